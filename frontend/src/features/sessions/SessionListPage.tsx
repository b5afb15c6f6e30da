import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { SearchField, Input, Label, Select, SelectValue, Button as AriaButton, Popover, ListBox, ListBoxItem } from 'react-aria-components';
import { useCanChange } from '../../auth/useAuth';
import { Empty, ErrorBanner, Loading } from '../../components/ui';
import { formatTime, percent } from '../../components/format';
import { ENDED, useSessions, type Session } from './api';

type Filter = 'all' | 'active' | 'ended' | 'failed';

export default function SessionListPage() {
  const sessions = useSessions();
  const canChange = useCanChange();
  const [search, setSearch] = useState('');
  const [filter, setFilter] = useState<Filter>('all');
  const shown = useMemo(() => (sessions.data ?? []).filter((session) => matches(session, filter, search)), [sessions.data, filter, search]);
  return (
    <section aria-labelledby="sessions-title">
      <div className="page-head">
        <h1 id="sessions-title">Clone sessions</h1>
        {canChange && <Link className="button button-primary" to="/sessions/new">New clone</Link>}
      </div>
      <div className="filters">
        <SearchField value={search} onChange={setSearch} className="field">
          <Label>Search by name</Label>
          <Input />
        </SearchField>
        <Select selectedKey={filter} onSelectionChange={(key) => setFilter(key as Filter)} className="field">
          <Label>Show</Label>
          <AriaButton className="select-button"><SelectValue /> <span aria-hidden="true">▾</span></AriaButton>
          <Popover className="popover">
            <ListBox>
              <ListBoxItem id="all">All sessions</ListBoxItem>
              <ListBoxItem id="active">Running or waiting</ListBoxItem>
              <ListBoxItem id="ended">Ended</ListBoxItem>
              <ListBoxItem id="failed">Failed</ListBoxItem>
            </ListBox>
          </Popover>
        </Select>
      </div>
      {sessions.isPending && <Loading what="sessions" />}
      <ErrorBanner error={sessions.error} title="Sessions could not be loaded" />
      {sessions.data && shown.length === 0 && <Empty>No session matches.</Empty>}
      {shown.length > 0 && (
        <table className="table">
          <caption className="visually-hidden">Clone sessions, newest first</caption>
          <thead>
            <tr><th scope="col">Name</th><th scope="col">Mode</th><th scope="col">Phase</th><th scope="col">State</th><th scope="col">Targets</th><th scope="col">Progress</th><th scope="col">Created</th></tr>
          </thead>
          <tbody>
            {shown.map((session) => (
              <tr key={session.id}>
                <th scope="row"><Link to={`/sessions/${session.id}`}>{session.name}</Link></th>
                <td>{session.clone_mode}</td>
                <td>{session.phase}</td>
                <td><span className={`tag state-${session.state}`}>{session.state}</span></td>
                <td>{session.targets?.length ?? 0}</td>
                <td>{progressText(session)}</td>
                <td>{formatTime(session.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function matches(session: Session, filter: Filter, search: string): boolean {
  if (search && !(session.name ?? '').toLowerCase().includes(search.toLowerCase())) return false;
  const ended = ENDED.has(session.state ?? '');
  if (filter === 'active') return !ended;
  if (filter === 'ended') return ended;
  if (filter === 'failed') return session.state === 'failed';
  return true;
}

function progressText(session: Session): string {
  const targets = session.targets ?? [];
  const done = targets.reduce((sum, target) => sum + (target.bytes_done ?? 0), 0);
  const total = targets.reduce((sum, target) => sum + (target.bytes_total ?? 0), 0);
  if (total > 0) return `${percent(done, total).toFixed(0)} % downloaded`;
  const source = session.source;
  if (source && (source.bytes_total ?? 0) > 0) return `${percent(source.bytes_done ?? 0, source.bytes_total ?? 0).toFixed(0)} % uploaded`;
  return '—';
}
