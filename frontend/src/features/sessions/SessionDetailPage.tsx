import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { TextArea, TextField, Label } from 'react-aria-components';
import { useCanChange } from '../../auth/useAuth';
import { Button, ConfirmButton, ErrorBanner, Loading, TransferBar } from '../../components/ui';
import { formatBytes, formatTime } from '../../components/format';
import { useNodeNames } from '../nodes/api';
import { AuditTimeline } from './AuditTimeline';
import { PhaseStepper, phaseLabel } from './PhaseStepper';
import { downloadTransfer, stepFigures, uploadTransfer } from './transfers';
import { ENDED, useCancelSession, useSession, useSessionLive, useStartSession, useStartTargets, type Session } from './api';

export default function SessionDetailPage() {
  const { id = '' } = useParams();
  const session = useSession(id);
  const stream = useSessionLive(id);
  if (session.isPending) return <Loading what="the session" />;
  if (session.error) return <ErrorBanner error={session.error} title="The session could not be loaded" />;
  return <SessionDetail session={session.data} stream={stream} />;
}

export function SessionDetail({ session, stream }: { session: Session; stream: string }) {
  const canChange = useCanChange();
  const nodeName = useNodeNames([session.source?.node_id, ...(session.targets ?? []).map((target) => target.node_id)]);
  const ended = ENDED.has(session.state ?? '');
  const source = session.source;
  const upload = uploadTransfer(session);
  const sourceStep = stepFigures('uploading', source);
  return (
    <article aria-labelledby="session-title">
      <div className="page-head">
        <h1 id="session-title">{session.name}</h1>
        <span className={`tag state-${session.state}`}>{session.state}</span>
        <span className="tag">{session.clone_mode}</span>
        <span className="muted" aria-live="polite">{stream === 'live' ? '● live' : stream === 'reconnecting' ? 'reconnecting…' : stream}</span>
      </div>
      {/* Phase changes are announced: the region is polite and says only the phase. */}
      <p className="visually-hidden" aria-live="polite" aria-atomic="true">Phase: {phaseLabel(session.phase ?? '')}, state {session.state}</p>
      <PhaseStepper phase={session.phase ?? 'created'} mode={session.clone_mode ?? 'staged'} outcome={ended ? session.state : undefined} />
      {session.failure_reason && <div role="alert" className="banner banner-error">{session.state === 'cancelled' ? 'Cancelled' : 'Failed'}: {session.failure_reason}</div>}
      <SessionActions session={session} canChange={canChange} ended={ended} />

      <section aria-labelledby="transfers-title" className="panel">
        <h2 id="transfers-title">Transfers</h2>
        <TransferBar label={`Upload from ${nodeName(source?.node_id)} (${source?.disk_id})`} {...upload} />
        {source?.phase && <p className="muted">source: {source.phase}{sourceStep ? ` ${sourceStep}` : ''}, last seen {formatTime(source.last_seen_at)}</p>}
        {session.targets?.map((target) => (
          <div key={`${target.node_id}/${target.disk_id}`} className="target">
            <TransferBar label={`Download to ${nodeName(target.node_id)} (${target.disk_id})`} {...downloadTransfer(target)} />
            <p className="muted">
              target {target.state}{target.phase ? `, ${target.phase}` : ''}{stepFigures('downloading', target) ? ` ${stepFigures('downloading', target)}` : ''}
              {target.plan_version != null ? `, plan v${target.plan_version}` : ''}
              {target.last_seen_at ? `, last seen ${formatTime(target.last_seen_at)}` : ''}
            </p>
            {target.failure_reason && <p role="alert" className="banner banner-error">{nodeName(target.node_id)}: {target.failure_reason}</p>}
          </div>
        ))}
      </section>

      <section aria-labelledby="facts-title" className="panel">
        <h2 id="facts-title">Details</h2>
        <dl className="facts">
          <dt>Resize</dt><dd>{session.resize_mode}</dd>
          <dt>Targets run</dt><dd>{session.targets_run}</dd>
          <dt>Swarm</dt><dd>{session.swarm ? 'on: the targets serve each other' : 'off'}</dd>
          {session.clone_mode === 'staged' && (<>
            <dt>Staging</dt><dd>{session.staging_status ?? '—'} {session.staging_path ? <code>{session.staging_path}</code> : null}</dd>
            <dt>Staging size</dt><dd>{formatBytes(session.staging_size_bytes)}</dd>
          </>)}
          <dt>Image</dt><dd>{formatBytes(session.image_size_bytes)}</dd>
          <dt>Created</dt><dd>{formatTime(session.created_at)}</dd>
          <dt>Updated</dt><dd>{formatTime(session.updated_at)}</dd>
        </dl>
        <Link to={`/sessions/${session.id}/plans`}>Resize plans of the targets</Link>
      </section>
      <AuditTimeline sessionId={session.id!} />
    </article>
  );
}

function SessionActions({ session, canChange, ended }: { session: Session; canChange: boolean; ended: boolean }) {
  const cancel = useCancelSession();
  const start = useStartSession();
  const startTargets = useStartTargets();
  const [reason, setReason] = useState('');
  if (!canChange || ended) return null;
  const id = session.id!;
  return (
    <div className="actions">
      {session.state === 'created' && (
        <Button variant="primary" onPress={() => start.mutate({ id, argument: undefined })} isDisabled={start.isPending}>Start</Button>
      )}
      {session.targets_run === 'on_request' && session.state === 'uploaded' && (
        <Button variant="primary" onPress={() => startTargets.mutate({ id, argument: undefined })}>Start targets</Button>
      )}
      <ConfirmButton label="Cancel session" title={`Cancel ${session.name}?`} confirmLabel="Cancel the session"
        onConfirm={() => cancel.mutateAsync({ id, argument: reason.trim() || 'cancelled from the console' }).catch(() => undefined)}>
        <p>Running nodes stop at their next report and the staging area is cleaned up. This cannot be undone.</p>
        <TextField value={reason} onChange={setReason} className="field">
          <Label>Reason (kept in the audit trail)</Label>
          <TextArea rows={2} />
        </TextField>
      </ConfirmButton>
      <ErrorBanner error={start.error ?? startTargets.error ?? cancel.error} title="Refused" />
    </div>
  );
}
