import { useState } from 'react';
import { Form } from 'react-aria-components';
import { ApiError } from '../../api/errors';
import { useCanChange } from '../../auth/useAuth';
import { Button, Empty, ErrorBanner, Field, Loading } from '../../components/ui';
import { formatBytes, formatTime } from '../../components/format';
import { DiskPicture } from './DiskPicture';
import { NodeControls } from './NodeControls';
import { diskLabel, useInventory, useNodes, useRegisterNode, useRenameNode, useRequestInventory, useRetireNode, type Node } from './api';

/** The registered nodes; operators and admins also register, rename and retire them. */
export default function NodesPage() {
  const nodes = useNodes();
  const canChange = useCanChange();
  return (
    <section aria-labelledby="nodes-title">
      <div className="page-head"><h1 id="nodes-title">Nodes</h1></div>
      {canChange && <RegisterNode />}
      {nodes.isPending && <Loading what="nodes" />}
      <ErrorBanner error={nodes.error} title="Nodes could not be loaded" />
      {nodes.data?.length === 0 && <Empty>No node registered.</Empty>}
      <ul className="cards" aria-label="Nodes">
        {nodes.data?.map((node) => <NodeCard key={node.id} node={node} canChange={canChange} />)}
      </ul>
    </section>
  );
}

function RegisterNode() {
  const register = useRegisterNode();
  const [mac, setMac] = useState('');
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [failure, setFailure] = useState<unknown>(null);
  return (
    <details className="panel">
      <summary>Register a node</summary>
      <Form validationBehavior="aria" validationErrors={errors} className="form form-inline" onSubmit={async (event) => {
        event.preventDefault();
        setErrors({}); setFailure(null);
        try {
          await register.mutateAsync({ mac: mac.trim(), name: name.trim() });
          setMac(''); setName('');
        } catch (error) {
          if (error instanceof ApiError && error.fields.length > 0) setErrors(error.fieldErrors());
          else setFailure(error);
        }
      }}>
        <ErrorBanner error={failure} title="Not registered" />
        <Field label="MAC address" name="mac" value={mac} onChange={(value) => { setMac(value); setErrors({}); }} description="e.g. 52:54:00:12:34:56" />
        <Field label="Name" name="name" value={name} onChange={(value) => { setName(value); setErrors({}); }} />
        <Button type="submit" variant="primary">Register</Button>
      </Form>
    </details>
  );
}

function NodeCard({ node, canChange }: { node: Node; canChange: boolean }) {
  const inventory = useInventory(node.id);
  const requestInventory = useRequestInventory();
  const rename = useRenameNode();
  const retire = useRetireNode();
  return (
    <li className="card" aria-labelledby={`node-${node.id}`}>
      <div className="card-head">
        <h2 id={`node-${node.id}`}>{node.name}</h2>
        <span className="mono">{node.mac}</span>
      </div>
      <p className="muted">registered {formatTime(node.created_at)}; last inventory {formatTime(node.last_inventory_at)}</p>
      {inventory.isPending && <Loading what="disks" />}
      <ErrorBanner error={inventory.error} />
      {inventory.data === null && <p className="muted">No inventory reported yet.</p>}
      {inventory.data?.disks?.map((disk) => (
        <div key={disk.stable_id} className="disk">
          <h3>{diskLabel(disk)}</h3>
          <p className="mono">{disk.stable_id} · {formatBytes(disk.size_bytes)} · {disk.table_type} · {disk.logical_sector_size} B sectors{disk.device_path ? ` · was ${disk.device_path}` : ''}</p>
          <DiskPicture disk={disk} />
        </div>
      ))}
      <ErrorBanner error={requestInventory.error} title="Refused" />
      {canChange && (
        <>
          <div className="actions">
            <Button onPress={() => requestInventory.mutate(node.id!)}>Take inventory at next boot</Button>
          </div>
          <NodeControls node={node} onRename={(name) => rename.mutateAsync({ id: node.id!, name })}
            onRetire={() => retire.mutateAsync(node.id!)} />
        </>
      )}
    </li>
  );
}
