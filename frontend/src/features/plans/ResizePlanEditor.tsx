import { useEffect, useRef, useState } from 'react';
import { Label, NumberField, Group, Input, Slider, SliderOutput, SliderThumb, SliderTrack, Radio, RadioGroup } from 'react-aria-components';
import { ApiError } from '../../api/errors';
import { Button } from '../../components/ui';
import { formatBytes } from '../../components/format';
import { colourOf } from '../nodes/DiskPicture';
import type { PlanEdit, PlanView } from './api';
import { fillTheRest, limits, MIB, overflowBytes, proportionalFit, setSize, type EditablePartition, type PlanGeometry } from './planMath';

type Unit = 'MiB' | 'GiB';
const UNIT_BYTES: Record<Unit, number> = { MiB: MIB, GiB: 1024 * MIB };

function editableOf(plan: PlanView): EditablePartition[] {
  return (plan.partitions ?? []).map((partition) => ({
    partition: partition.partition ?? 0, filesystem: partition.filesystem,
    current_start_bytes: partition.current_start_bytes ?? 0, current_size_bytes: partition.current_size_bytes ?? 0,
    new_start_bytes: partition.new_start_bytes ?? 0, new_size_bytes: partition.new_size_bytes ?? 0,
    minimum_size_bytes: partition.minimum_size_bytes ?? 0, maximum_size_bytes: partition.maximum_size_bytes ?? null,
    fixed_reason: partition.fixed_reason, action: partition.action ?? 'keep',
  }));
}

function geometryOf(plan: PlanView): PlanGeometry {
  return { first_usable_bytes: plan.first_usable_bytes ?? 0, usable_end_bytes: plan.usable_end_bytes ?? 0, alignment_bytes: plan.alignment_bytes ?? MIB };
}

/** Reasons by partition number, from a 422's fields (partitions[i].field) or a plan's violations. */
export function reasonsByPartition(partitions: EditablePartition[], error: ApiError | null, plan: PlanView): Map<number, string[]> {
  const reasons = new Map<number, string[]>();
  const add = (number: number, reason: string) => reasons.set(number, [...(reasons.get(number) ?? []), reason]);
  if (error) {
    for (const field of error.fields) {
      const match = /^partitions\[(\d+)\]/.exec(field.field);
      const partition = match ? partitions[Number(match[1])] : undefined;
      add(partition ? partition.partition : 0, field.reason);
    }
  } else {
    for (const violation of plan.violations ?? []) add(violation.partition ?? 0, violation.message ?? '');
  }
  return reasons;
}

/**
 * The visual resize-plan editor of one target: the source and the target disk side by side to
 * scale, a drag handle and a number field per partition, clamped and snapped by planMath, every
 * change sent to the server (PUT /plan), whose refusals are shown at the partition they concern.
 */
export function ResizePlanEditor({ plan, readOnly, onSave, onStale }: {
  plan: PlanView;
  readOnly?: boolean;
  onSave: (edit: PlanEdit) => Promise<PlanView>;
  /** The plan changed on the server meanwhile (409): the caller reloads it. */
  onStale: () => void;
}) {
  const [partitions, setPartitions] = useState(() => editableOf(plan));
  const [base, setBase] = useState(plan);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [unit, setUnit] = useState<Unit>('GiB');
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const geometry = geometryOf(base);

  // A plan reloaded from the server (a new version, or after a 409) replaces the edit.
  useEffect(() => {
    setBase(plan);
    setPartitions(editableOf(plan));
  }, [plan]);
  useEffect(() => () => { if (timer.current) clearTimeout(timer.current); }, []);

  async function save(next: EditablePartition[]) {
    setSaving(true);
    try {
      const saved = await onSave({
        version: base.version,
        partitions: next.map((partition) => ({
          partition: partition.partition, action: partition.action,
          new_size_bytes: partition.action === 'delete' ? 0 : partition.new_size_bytes,
          ...(partition.action === 'delete' ? {} : { new_start_bytes: partition.new_start_bytes }),
        })),
      });
      setError(null);
      setNotice(`Saved as version ${saved.version}: the server accepted the plan.`);
      setBase(saved);
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 409) {
        setError(null);
        setNotice(`Not saved: ${caught.message}. The current plan was reloaded; make the change again if it still applies.`);
        onStale();
      } else if (caught instanceof ApiError) {
        setError(caught);
        setNotice(null);
      } else {
        setError(new ApiError(0, undefined, String(caught)));
      }
    } finally {
      setSaving(false);
    }
  }

  function change(next: EditablePartition[]) {
    setPartitions(next);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void save(next), 400);
  }

  const reasons = reasonsByPartition(partitions, error, base);
  const overflow = overflowBytes(partitions, geometry);
  const general = [...(reasons.get(0) ?? []), ...(error && error.fields.length === 0 ? [error.message] : [])];

  return (
    <div className="plan-editor">
      <div className="plan-pictures">
        <DiskBar title={`Source disk ${formatBytes(base.source_disk_bytes)}`} diskBytes={base.source_disk_bytes ?? 1}
          extents={partitions.map((p) => ({ number: p.partition, start: p.current_start_bytes, size: p.current_size_bytes, filesystem: p.filesystem }))} />
        <DiskBar title={`Target disk ${formatBytes(base.target_disk_bytes)} (${base.target_disk_id})`} diskBytes={base.target_disk_bytes ?? 1}
          extents={partitions.filter((p) => p.action !== 'delete').map((p) => ({ number: p.partition, start: p.new_start_bytes, size: p.new_size_bytes, filesystem: p.filesystem }))} />
      </div>
      <div className="actions">
        <RadioGroup value={unit} onChange={(value) => setUnit(value as Unit)} orientation="horizontal" className="radio-group">
          <Label>Units</Label>
          <Radio value="MiB">MiB</Radio>
          <Radio value="GiB">GiB</Radio>
        </RadioGroup>
        {!readOnly && <Button onPress={() => change(proportionalFit(partitions, geometry))}>Proportional fit</Button>}
        {!readOnly && <Button onPress={() => { setError(null); setPartitions(editableOf(base)); }}>Undo unsaved changes</Button>}
      </div>
      <div aria-live="polite" role="status" className="plan-status">
        {saving ? 'Checking with the server…' : notice}
        {overflow > 0 && ` The partitions reach ${formatBytes(overflow)} past the end of the disk.`}
        {base.feasible === false && !error && ` The server marks this plan infeasible: ${base.error_message ?? ''}`}
      </div>
      {general.length > 0 && <div role="alert" className="banner banner-error">{general.join(' ')}</div>}
      <ol className="plan-partitions" aria-label="Partitions">
        {partitions.map((partition, index) => (
          <PartitionRow key={partition.partition} partition={partition} unit={unit} readOnly={readOnly}
            limits={limits(partitions, index, geometry)} reasons={reasons.get(partition.partition) ?? []}
            onSize={(bytes) => change(setSize(partitions, index, bytes, geometry))}
            onFill={() => change(fillTheRest(partitions, index, geometry))} />
        ))}
      </ol>
    </div>
  );
}

function PartitionRow({ partition, unit, readOnly, limits: { min, max }, reasons, onSize, onFill }: {
  partition: EditablePartition; unit: Unit; readOnly?: boolean; limits: { min: number; max: number };
  reasons: string[]; onSize: (bytes: number) => void; onFill: () => void;
}) {
  const unitBytes = UNIT_BYTES[unit];
  const [dragging, setDragging] = useState<number | null>(null);
  const fixed = max <= min;
  const label = `Partition ${partition.partition} (${partition.filesystem ?? 'unknown'})`;
  const reasonId = `partition-${partition.partition}-reasons`;
  return (
    <li className="editor-row" data-invalid={reasons.length > 0 || undefined} aria-describedby={reasons.length > 0 ? reasonId : undefined}>
      <div>
        <strong>{label}</strong>
        <div><span className={`tag action-${partition.action}`}>{partition.action}</span></div>
        <small className="muted">was {formatBytes(partition.current_size_bytes)}</small>
      </div>
      <div>
        {fixed ? (
          <p>{formatBytes(partition.new_size_bytes)} — fixed{partition.fixed_reason ? `: ${partition.fixed_reason}` : ''}</p>
        ) : (
          <>
            <NumberField aria-label={`${label} size in ${unit}`} value={Number((partition.new_size_bytes / unitBytes).toFixed(3))}
              minValue={Number((min / unitBytes).toFixed(3))} maxValue={Number((max / unitBytes).toFixed(3))}
              step={unit === 'MiB' ? 1 : 0.001} formatOptions={{ maximumFractionDigits: unit === 'MiB' ? 0 : 3 }}
              isDisabled={readOnly} onChange={(value) => {
                // The field shows rounded units: leaving it unchanged must not count as an edit.
                if (Number.isFinite(value) && Math.abs(value * unitBytes - partition.new_size_bytes) >= MIB / 2) onSize(value * unitBytes);
              }} className="field">
              <Label>Size ({unit})</Label>
              <Group><Input /></Group>
            </NumberField>
            <Slider aria-label={`${label} size`} minValue={min / MIB} maxValue={max / MIB} step={1} isDisabled={readOnly}
              value={dragging ?? partition.new_size_bytes / MIB} onChange={(value) => setDragging(value as number)}
              onChangeEnd={(value) => { setDragging(null); onSize((value as number) * MIB); }} className="size-slider">
              <SliderOutput className="muted">{() => `${formatBytes((dragging ?? partition.new_size_bytes / MIB) * MIB)} (min ${formatBytes(min)}, max ${formatBytes(max)})`}</SliderOutput>
              <SliderTrack className="track">
                <SliderThumb className="thumb" />
              </SliderTrack>
            </Slider>
            {!readOnly && <Button onPress={onFill}>Fill the rest</Button>}
          </>
        )}
        {reasons.length > 0 && (
          <ul id={reasonId} className="field-error" role="alert">{reasons.map((reason) => <li key={reason}>{reason}</li>)}</ul>
        )}
      </div>
    </li>
  );
}

function DiskBar({ title, diskBytes, extents }: {
  title: string; diskBytes: number; extents: { number: number; start: number; size: number; filesystem?: string | null }[];
}) {
  return (
    <figure className="disk-picture">
      <figcaption>{title}</figcaption>
      <svg viewBox="0 0 1000 36" preserveAspectRatio="none" role="img"
        aria-label={`${title}: ${extents.map((e) => `partition ${e.number} ${formatBytes(e.size)}`).join(', ')}`}>
        <rect x="0" y="0" width="1000" height="36" fill="#f2f2f2" stroke="#666" />
        {extents.map((extent) => (
          <rect key={extent.number} x={(extent.start / diskBytes) * 1000} y="2" width={Math.max(1, (extent.size / diskBytes) * 1000)} height="32"
            fill={colourOf(extent.filesystem)} stroke="#222" />
        ))}
      </svg>
    </figure>
  );
}
