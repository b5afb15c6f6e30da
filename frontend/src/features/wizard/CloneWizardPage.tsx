import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { Checkbox, Form, Label, Radio, RadioGroup, TextField, Input, FieldError, Text } from 'react-aria-components';
import { ApiError } from '../../api/errors';
import { useCanChange } from '../../auth/useAuth';
import { Button, ErrorBanner, Field, Loading } from '../../components/ui';
import { formatBytes } from '../../components/format';
import { DiskPicture } from '../nodes/DiskPicture';
import { diskLabel, useInventory, useNodes, type Disk } from '../nodes/api';
import { useBackends, useMeasureSpace } from '../storage/api';
import { analyzeSession, savePlan, useSessionPlans, planKeys } from '../plans/api';
import { ResizePlanEditor } from '../plans/ResizePlanEditor';
import { useCreateSession, useStartSession, type SessionRequest } from '../sessions/api';

type Mode = 'staged' | 'direct';
type ResizeMode = 'none' | 'shrink_source' | 'grow_target';
interface Pick { node_id: string; disk_id: string }

const STEPS = ['Mode', 'Source', 'Targets', 'Staging', 'Resize', 'Plans', 'Review and start'] as const;

/**
 * The clone wizard: mode, source, targets, staging, resize mode; then the session is created so the
 * planner can plan each target; the plans can be edited; review asks for the last characters of
 * each target disk's serial when the disk holds partitions, then starts.
 */
export default function CloneWizardPage() {
  const canChange = useCanChange();
  const [step, setStep] = useState(0);
  const [name, setName] = useState('');
  const [mode, setMode] = useState<Mode>('staged');
  const [source, setSource] = useState<Pick | null>(null);
  const [targets, setTargets] = useState<Pick[]>([]);
  const [backendId, setBackendId] = useState<string | null>(null);
  const [resizeMode, setResizeMode] = useState<ResizeMode>('shrink_source');
  const [swarm, setSwarm] = useState(false);
  const [sessionId, setSessionId] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const create = useCreateSession();
  const sourceDisk = useDisk(source);

  if (!canChange) return <p>Only admins define clone sessions.</p>;
  const skip = (index: number) => mode === 'direct' && STEPS[index] === 'Staging';
  const next = () => setStep((current) => { let n = current + 1; while (skip(n)) n++; return n; });
  const back = () => setStep((current) => { let n = current - 1; while (n > 0 && skip(n)) n--; return Math.max(0, n); });
  const canGoOn = [
    name.trim() !== '',
    source != null,
    targets.length > 0 && targets.every((target) => target.disk_id),
    mode === 'direct' || backendId != null,
    true, true, true,
  ][step];

  async function createSession() {
    setErrors({});
    const request: SessionRequest = {
      name: name.trim(), clone_mode: mode, source_node_id: source!.node_id, source_disk_id: source!.disk_id,
      targets, resize_mode: resizeMode, swarm, ...(mode === 'staged' ? { staging_backend_id: backendId! } : {}),
    };
    try {
      const created = (await create.mutateAsync(request)) as { id: string };
      setSessionId(created.id);
      // Plans are made from the inventories as soon as the planner knows the session; ask at once.
      await analyzeSession(created.id).catch(() => undefined);
      next();
    } catch (error) {
      if (error instanceof ApiError) setErrors(error.fieldErrors());
    }
  }

  return (
    <section aria-labelledby="wizard-title">
      <h1 id="wizard-title">New clone</h1>
      <ol className="wizard-steps" aria-label="Steps">
        {STEPS.map((label, index) => !skip(index) && (
          <li key={label} className={`step step-${index < step ? 'past' : index === step ? 'current' : 'future'}`} aria-current={index === step ? 'step' : undefined}>
            {index + 1}. {label}
          </li>
        ))}
      </ol>
      <div className="panel">
        <h2>{STEPS[step]}</h2>
        {step === 0 && (
          <Form validationBehavior="aria" validationErrors={errors} className="form">
            <Field label="Session name" name="name" value={name} onChange={setName} isRequired />
            <RadioGroup value={mode} onChange={(value) => setMode(value as Mode)} className="radio-group" name="clone_mode">
              <Label>Mode</Label>
              <Radio value="staged">Staged: source → staging storage → targets (now or later)</Radio>
              <Radio value="direct">Direct: source streams to the targets over TLS, no staging</Radio>
            </RadioGroup>
          </Form>
        )}
        {step === 1 && <NodeDiskPicker label="Source" value={source} onChange={setSource} exclude={targets.map((t) => t.node_id)} />}
        {step === 2 && <TargetsPicker source={source} targets={targets} onChange={setTargets} />}
        {step === 2 && (
          <Checkbox name="swarm" isSelected={swarm} onChange={setSwarm} className="checkbox">
            <span className="checkbox-box" aria-hidden="true" />
            Swarm: the targets also serve each other the chunks they have restored, so the {mode === 'staged' ? 'staging server' : 'source'} sends each chunk about once
          </Checkbox>
        )}
        {step === 3 && <StagingPicker value={backendId} onChange={setBackendId} estimate={estimateImage(sourceDisk)} />}
        {step === 4 && (
          <RadioGroup value={resizeMode} onChange={(value) => setResizeMode(value as ResizeMode)} className="radio-group" name="resize_mode">
            <Label>Resize</Label>
            <Radio value="shrink_source">Shrink the source's filesystems while capturing (targets may be smaller)</Radio>
            <Radio value="grow_target">Grow on targets only (targets at least as large as the used layout)</Radio>
            <Radio value="none">No resizing: partitions copied as they are</Radio>
          </RadioGroup>
        )}
        {step === 5 && sessionId && <WizardPlans sessionId={sessionId} />}
        {step === 6 && sessionId && <Review sessionId={sessionId} targets={targets} />}
        {Object.keys(errors).length > 0 && <ErrorBanner error={new Error(Object.entries(errors).map(([field, reasons]) => `${field}: ${reasons.join(', ')}`).join('; '))} title="The service refused the session" />}
        <ErrorBanner error={create.error && !(create.error instanceof ApiError && create.error.fields.length > 0) ? create.error : null} title="Not created" />
        <div className="actions">
          {step > 0 && step < 5 && <Button onPress={back}>Back</Button>}
          {step < 4 && <Button variant="primary" onPress={next} isDisabled={!canGoOn}>Next</Button>}
          {step === 4 && <Button variant="primary" onPress={() => void createSession()} isDisabled={create.isPending}>Create session and plan targets</Button>}
          {step === 5 && <Button variant="primary" onPress={next}>Review</Button>}
        </div>
      </div>
    </section>
  );
}

function useDisk(pick: Pick | null): Disk | undefined {
  const inventory = useInventory(pick?.node_id);
  return inventory.data?.disks?.find((disk) => disk.stable_id === pick?.disk_id);
}

/** A rough image size: what the source's filesystems use (all of a partition when unknown), compressed 1:1 at worst. */
export function estimateImage(disk: Disk | undefined): number | null {
  if (!disk) return null;
  return (disk.partitions ?? []).reduce((sum, partition) => sum + (partition.used_bytes ?? partition.size_bytes ?? 0), 0);
}

function NodeDiskPicker({ label, value, onChange, exclude = [] }: {
  label: string; value: Pick | null; onChange: (pick: Pick | null) => void; exclude?: string[];
}) {
  const nodes = useNodes();
  const inventory = useInventory(value?.node_id);
  if (nodes.isPending) return <Loading what="nodes" />;
  return (
    <div className="form">
      <RadioGroup value={value?.node_id ?? null} onChange={(node_id) => onChange({ node_id, disk_id: '' })} className="radio-group">
        <Label>{label} node</Label>
        {nodes.data?.filter((node) => !exclude.includes(node.id!)).map((node) => (
          <Radio key={node.id} value={node.id!}>{node.name} <span className="mono">({node.mac})</span></Radio>
        ))}
      </RadioGroup>
      {value?.node_id && (inventory.isPending ? <Loading what="disks" /> : inventory.data == null ? (
        <p className="banner banner-error">This node has not reported its disks: request an inventory on the Nodes screen first.</p>
      ) : (
        <RadioGroup value={value.disk_id || null} onChange={(disk_id) => onChange({ node_id: value.node_id, disk_id })} className="radio-group">
          <Label>{label} disk (by stable id)</Label>
          {inventory.data.disks?.map((disk) => (
            <Radio key={disk.stable_id} value={disk.stable_id!}>
              <span><strong>{disk.stable_id}</strong> — {diskLabel(disk)}, {formatBytes(disk.size_bytes)}, {disk.partitions?.length ?? 0} partitions</span>
            </Radio>
          ))}
        </RadioGroup>
      ))}
      {value?.disk_id && inventory.data?.disks?.filter((disk) => disk.stable_id === value.disk_id).map((disk) => <DiskPicture key={disk.stable_id} disk={disk} />)}
    </div>
  );
}

function TargetsPicker({ source, targets, onChange }: { source: Pick | null; targets: Pick[]; onChange: (targets: Pick[]) => void }) {
  const [adding, setAdding] = useState<Pick | null>(null);
  const taken = [source?.node_id ?? '', ...targets.map((target) => target.node_id)];
  return (
    <div>
      <ul aria-label="Chosen targets">
        {targets.map((target) => (
          <li key={`${target.node_id}/${target.disk_id}`}>
            <TargetLine target={target} />
            <Button onPress={() => onChange(targets.filter((other) => other !== target))}>Remove</Button>
          </li>
        ))}
      </ul>
      <NodeDiskPicker label="Target" value={adding} onChange={setAdding} exclude={taken} />
      <Button variant="primary" isDisabled={!adding?.disk_id} onPress={() => { onChange([...targets, adding!]); setAdding(null); }}>Add this target</Button>
    </div>
  );
}

function TargetLine({ target }: { target: Pick }) {
  const nodes = useNodes();
  const disk = useDisk(target);
  return <span>{nodes.data?.find((node) => node.id === target.node_id)?.name}: {target.disk_id} {disk && `(${formatBytes(disk.size_bytes)})`} </span>;
}

function StagingPicker({ value, onChange, estimate }: { value: string | null; onChange: (id: string) => void; estimate: number | null }) {
  const backends = useBackends();
  const space = useMeasureSpace();
  return (
    <div className="form">
      <p>Estimated image size: <strong>{formatBytes(estimate)}</strong> (what the source's filesystems use).</p>
      <RadioGroup value={value} onChange={(id) => { onChange(id); space.mutate(id); }} className="radio-group">
        <Label>Staging backend</Label>
        {backends.data?.filter((backend) => backend.enabled).map((backend) => (
          <Radio key={backend.id} value={backend.id!}>{backend.name} ({backend.backend_type}), {formatBytes(backend.available_bytes)} available when last measured</Radio>
        ))}
      </RadioGroup>
      {space.isPending && <Loading what="free space" />}
      {space.data && (
        <p role="status" className={`banner ${space.data.measured && estimate != null && (space.data.free_for_staging_bytes ?? 0) < estimate ? 'banner-error' : 'banner-ok'}`}>
          {space.data.measured ? `Free for staging now: ${formatBytes(space.data.free_for_staging_bytes)}${estimate != null && (space.data.free_for_staging_bytes ?? 0) < estimate ? ' — less than the estimated image' : ' — enough for the estimated image'}` : `Space not measured: ${space.data.message}`}
        </p>
      )}
    </div>
  );
}

function WizardPlans({ sessionId }: { sessionId: string }) {
  const plans = useSessionPlans(sessionId);
  const queryClient = useQueryClient();
  if (plans.isPending) return <Loading what="plans" />;
  return (
    <div>
      <ErrorBanner error={plans.error} />
      <Button onPress={() => void plans.refetch()}>Reload plans</Button>
      {plans.data?.targets?.map((target) => (
        <div key={`${target.node_id}/${target.disk_id}`} className="panel">
          <h3>Target {target.disk_id}</h3>
          {target.plan ? (
            <ResizePlanEditor plan={target.plan} onSave={(edit) => savePlan(sessionId, target.node_id!, target.disk_id, edit)}
              onStale={() => void queryClient.invalidateQueries({ queryKey: planKeys.all(sessionId) })} />
          ) : <p>No plan yet ({target.inventory_reported ? 'analysis pending' : 'no inventory from this target'}).</p>}
        </div>
      ))}
    </div>
  );
}

function Review({ sessionId, targets }: { sessionId: string; targets: Pick[] }) {
  const start = useStartSession();
  const navigate = useNavigate();
  const [typed, setTyped] = useState<Record<string, string>>({});
  return (
    <div className="form">
      <p>The session is defined. Starting it overwrites each target disk below.</p>
      {targets.map((target) => (
        <OverwriteCheck key={`${target.node_id}/${target.disk_id}`} target={target} value={typed[target.disk_id] ?? ''}
          onChange={(value) => setTyped((current) => ({ ...current, [target.disk_id]: value }))} />
      ))}
      <ConfirmAllTyped targets={targets} typed={typed}>
        {(confirmed) => (
          <Button variant="primary" isDisabled={!confirmed || start.isPending} onPress={async () => {
            await start.mutateAsync({ id: sessionId, argument: undefined });
            navigate(`/sessions/${sessionId}`);
          }}>Start the clone</Button>
        )}
      </ConfirmAllTyped>
      <ErrorBanner error={start.error} title="Not started" />
    </div>
  );
}

const SERIAL_CHARACTERS = 4;
/** What an operator must type before overwriting a disk that holds partitions: the end of its serial (or stable id). */
export function confirmationOf(disk: Disk | undefined): string | null {
  if (!disk || (disk.partitions?.length ?? 0) === 0) return null;
  return (disk.serial || disk.stable_id || '').slice(-SERIAL_CHARACTERS);
}

function OverwriteCheck({ target, value, onChange }: { target: Pick; value: string; onChange: (value: string) => void }) {
  const disk = useDisk(target);
  const expected = confirmationOf(disk);
  if (expected == null) return <p>{target.disk_id}: no partitions, nothing to lose.</p>;
  return (
    <TextField value={value} onChange={onChange} className="field" isInvalid={value !== '' && value !== expected}>
      <Label>Type the last {SERIAL_CHARACTERS} characters of the serial of {target.disk_id} ({disk?.partitions?.length} partitions will be overwritten)</Label>
      <Input autoComplete="off" />
      <Text slot="description">Serial {disk?.serial ?? disk?.stable_id}</Text>
      <FieldError className="field-error">Does not match the end of the serial</FieldError>
    </TextField>
  );
}

function ConfirmAllTyped({ targets, typed, children }: { targets: Pick[]; typed: Record<string, string>; children: (confirmed: boolean) => React.ReactNode }) {
  return <Confirmed targets={targets} typed={typed} index={0} render={children} />;
}

// Hooks per target (each needs its inventory) chained as components, so the count may vary.
function Confirmed({ targets, typed, index, render, ok = true }: {
  targets: Pick[]; typed: Record<string, string>; index: number; render: (confirmed: boolean) => React.ReactNode; ok?: boolean;
}) {
  const disk = useDisk(targets[index] ?? null);
  if (index >= targets.length) return <>{render(ok)}</>;
  const expected = confirmationOf(disk);
  const thisOk = disk != null && (expected == null || typed[targets[index].disk_id] === expected);
  return <Confirmed targets={targets} typed={typed} index={index + 1} render={render} ok={ok && thisOk} />;
}

