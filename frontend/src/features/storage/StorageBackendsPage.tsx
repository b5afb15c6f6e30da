import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Meter, Label } from 'react-aria-components';
import { useHasRole } from '../../auth/useAuth';
import { Button, ConfirmButton, Empty, ErrorBanner, Loading } from '../../components/ui';
import { formatBytes, formatTime } from '../../components/format';
import { BackendForm } from './BackendForm';
import {
  storageKeys, useBackends, useDeleteBackend, useMeasureSpace, useSaveBackend, useTestBackend,
  type Backend, type ConnectivityResult, type Space,
} from './api';

export default function StorageBackendsPage() {
  const backends = useBackends();
  const canChange = useHasRole('admin');
  const save = useSaveBackend();
  const [editing, setEditing] = useState<Backend | 'new' | null>(null);

  return (
    <section aria-labelledby="storage-title">
      <div className="page-head">
        <h1 id="storage-title">Storage backends</h1>
        {canChange && editing == null && <Button variant="primary" onPress={() => setEditing('new')}>New backend</Button>}
      </div>
      {editing != null && (
        <div className="panel">
          <h2>{editing === 'new' ? 'New storage backend' : `Edit ${editing.name}`}</h2>
          <BackendForm
            key={editing === 'new' ? 'new' : editing.id}
            backend={editing === 'new' ? undefined : editing}
            onCancel={() => setEditing(null)}
            onSave={async (request) => {
              await save.mutateAsync({ id: editing === 'new' ? undefined : editing.id!, request });
              setEditing(null);
            }}
          />
        </div>
      )}
      {backends.isPending && <Loading what="storage backends" />}
      <ErrorBanner error={backends.error} title="Storage backends could not be loaded" />
      {backends.data?.length === 0 && <Empty>No storage backend yet.{canChange && ' Create one to stage images.'}</Empty>}
      <ul className="cards" aria-label="Storage backends">
        {backends.data?.map((backend) => (
          <BackendCard key={backend.id} backend={backend} canChange={canChange} onEdit={() => setEditing(backend)} />
        ))}
      </ul>
    </section>
  );
}

function where(backend: Backend): string {
  return backend.backend_type === 'nfs' ? `${backend.nfs_server}:${backend.nfs_export}` : `${backend.iscsi_target} @ ${backend.iscsi_portal}`;
}

function BackendCard({ backend, canChange, onEdit }: { backend: Backend; canChange: boolean; onEdit: () => void }) {
  const id = backend.id!;
  const test = useTestBackend();
  const space = useMeasureSpace();
  const remove = useDeleteBackend();
  const lastTest = useQuery<ConnectivityResult>({ queryKey: storageKeys.test(id), enabled: false });
  const lastSpace = useQuery<Space>({ queryKey: storageKeys.space(id), enabled: false });
  const total = backend.total_bytes ?? null;
  const available = backend.available_bytes ?? null;
  const used = total != null && available != null ? total - available : null;

  return (
    <li className="card" aria-labelledby={`backend-${id}`}>
      <div className="card-head">
        <h2 id={`backend-${id}`}>{backend.name}</h2>
        <span className="tag">{backend.backend_type?.toUpperCase()}</span>
        <span className={`tag ${backend.enabled ? 'tag-ok' : 'tag-muted'}`}>{backend.enabled ? 'enabled' : 'disabled'}</span>
      </div>
      <p className="mono">{where(backend)}</p>
      {total != null && used != null ? (
        <Meter value={used} maxValue={total} className="meter" valueLabel={`${formatBytes(used)} used of ${formatBytes(total)}`}>
          {({ valueText, percentage }) => (
            <>
              <div className="transfer-head"><Label>Space</Label><span>{valueText}</span></div>
              <div className="bar"><div className="fill" style={{ width: `${percentage}%` }} /></div>
              <small>measured {formatTime(backend.space_measured_at)}</small>
            </>
          )}
        </Meter>
      ) : <p className="muted">Space not measured yet.</p>}
      {lastSpace.data && <SpaceLine space={lastSpace.data} />}
      {lastTest.data && <TestResult result={lastTest.data} />}
      <ErrorBanner error={test.error} title="Test failed to run" />
      <ErrorBanner error={space.error} title="Space failed to run" />
      <ErrorBanner error={remove.error} title="Not deleted" />
      <div className="actions">
        <Button onPress={() => test.mutate(id)} isDisabled={test.isPending}>{test.isPending ? 'Testing…' : 'Test connectivity'}</Button>
        <Button onPress={() => space.mutate(id)} isDisabled={space.isPending}>{space.isPending ? 'Measuring…' : 'Measure space'}</Button>
        {canChange && <Button onPress={onEdit}>Edit</Button>}
        {canChange && (
          <ConfirmButton label="Delete" title={`Delete ${backend.name}?`} confirmLabel="Delete backend"
            onConfirm={() => remove.mutateAsync(id).catch(() => undefined)}>
            <p>The backend is removed. The service refuses while staging areas on it are in use.</p>
          </ConfirmButton>
        )}
      </div>
    </li>
  );
}

function SpaceLine({ space }: { space: Space }) {
  if (!space.measured) return <p role="status" className="banner banner-error">Space not measured: {space.message}</p>;
  return (
    <p role="status" className="muted">
      Free for staging {formatBytes(space.free_for_staging_bytes)} ({formatBytes(space.reserved_bytes)} reserved by {space.active_staging_areas} active areas)
    </p>
  );
}

function TestResult({ result }: { result: ConnectivityResult }) {
  return (
    <div role="status" className={`banner ${result.ok ? 'banner-ok' : 'banner-error'}`}>
      <strong>{result.ok ? '✔ Connectivity OK' : `✘ Connectivity failed${result.failure ? ` (${result.failure})` : ''}`}</strong>
      {result.message && <span> — {result.message}</span>}
      <ul className="checks">
        {result.checks?.map((check) => (
          <li key={check.name}>{check.ok ? '✔' : '✘'} {check.name}{check.detail ? `: ${check.detail}` : ''}</li>
        ))}
      </ul>
      <small>tested {formatTime(result.tested_at)} in {result.duration_ms} ms</small>
    </div>
  );
}
