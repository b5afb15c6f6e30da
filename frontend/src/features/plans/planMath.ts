/**
 * The editor's arithmetic, apart from React so it can be tested alone. The server validates every
 * plan (PUT /plan); these rules only keep the operator's edits inside what the server will accept
 * (minimum, maximum, space left, 1 MiB steps) so that a 422 is the exception, not the way to learn.
 */
export const MIB = 1024 * 1024;

export type PlanAction = 'keep' | 'shrink' | 'grow' | 'delete';

export interface EditablePartition {
  partition: number;
  filesystem?: string | null;
  current_start_bytes: number;
  current_size_bytes: number;
  new_start_bytes: number;
  new_size_bytes: number;
  minimum_size_bytes: number;
  maximum_size_bytes?: number | null;
  fixed_reason?: string | null;
  action: PlanAction;
}

export interface PlanGeometry {
  first_usable_bytes: number;
  usable_end_bytes: number;
  alignment_bytes?: number;
}

export function alignUp(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment;
}

export function alignDown(value: number, alignment: number): number {
  return Math.floor(value / alignment) * alignment;
}

function alignmentOf(geometry: PlanGeometry): number {
  return geometry.alignment_bytes && geometry.alignment_bytes > 0 ? geometry.alignment_bytes : MIB;
}

/** The action follows from the sizes: an operator never picks keep/shrink/grow by hand. */
export function actionFor(partition: Pick<EditablePartition, 'current_size_bytes' | 'new_size_bytes' | 'action'>): PlanAction {
  if (partition.action === 'delete') return 'delete';
  if (partition.new_size_bytes === partition.current_size_bytes) return 'keep';
  return partition.new_size_bytes < partition.current_size_bytes ? 'shrink' : 'grow';
}

export function isResizable(partition: EditablePartition): boolean {
  return partition.maximum_size_bytes == null || partition.maximum_size_bytes > partition.minimum_size_bytes;
}

/**
 * Lays partitions out as the server does for a start the client leaves out: the first keeps the
 * start the server gave it, each next one goes to the first aligned byte after its predecessor.
 */
export function layout<T extends EditablePartition>(partitions: T[], geometry: PlanGeometry): T[] {
  const alignment = alignmentOf(geometry);
  let end: number | null = null;
  return partitions.map((partition) => {
    if (partition.action === 'delete') return { ...partition, new_size_bytes: 0 };
    const start = end == null ? partition.new_start_bytes : alignUp(end, alignment);
    end = start + partition.new_size_bytes;
    return { ...partition, new_start_bytes: start };
  });
}

/** What the partitions after `index` need, laid out from an aligned start. */
function tailNeed(partitions: EditablePartition[], index: number, alignment: number): number {
  let end = 0;
  for (const partition of partitions.slice(index + 1)) {
    if (partition.action === 'delete') continue;
    end = alignUp(end, alignment) + partition.new_size_bytes;
  }
  return end;
}

/** The sizes partition `index` may take: its minimum up to its maximum or the space left, whichever is less. */
export function limits(partitions: EditablePartition[], index: number, geometry: PlanGeometry): { min: number; max: number } {
  const alignment = alignmentOf(geometry);
  const laidOut = layout(partitions, geometry);
  const partition = laidOut[index];
  const spaceLeft = geometry.usable_end_bytes - partition.new_start_bytes - tailNeed(laidOut, index, alignment);
  // The partition's end must leave the next one an aligned start: round the space down to a step.
  const spaceLeftAligned = tailNeed(laidOut, index, alignment) > 0 ? alignDown(spaceLeft, alignment) : spaceLeft;
  const max = Math.min(partition.maximum_size_bytes ?? Number.POSITIVE_INFINITY, spaceLeftAligned);
  return { min: partition.minimum_size_bytes, max };
}

/**
 * The size an operator asked for, made acceptable: snapped to 1 MiB (the nearest step), then held
 * between the minimum and the maximum or space left. A fixed partition keeps its size.
 */
export function clampSize(requested: number, min: number, max: number, alignment = MIB): number {
  if (max <= min) return min;
  let size = Math.round(requested / alignment) * alignment;
  const lowest = alignUp(min, alignment) <= max ? alignUp(min, alignment) : min;
  const highest = alignDown(max, alignment) >= lowest ? alignDown(max, alignment) : max;
  size = Math.max(lowest, Math.min(highest, size));
  return size;
}

export function setSize<T extends EditablePartition>(partitions: T[], index: number, requested: number, geometry: PlanGeometry): T[] {
  const { min, max } = limits(partitions, index, geometry);
  const size = clampSize(requested, min, max, alignmentOf(geometry));
  const next = partitions.map((partition, i) => (i === index ? { ...partition, new_size_bytes: size } : partition));
  next[index] = { ...next[index], action: actionFor({ ...next[index], action: 'keep' }) };
  return layout(next, geometry);
}

/** Partition `index` takes everything left up to the end of the disk (or its maximum). */
export function fillTheRest<T extends EditablePartition>(partitions: T[], index: number, geometry: PlanGeometry): T[] {
  return setSize(partitions, index, limits(partitions, index, geometry).max, geometry);
}

/**
 * Every resizable partition gets a share of the target's usable space in proportion to its size on
 * the source, never below its minimum nor above its maximum, in 1 MiB steps. Partitions held at a
 * limit take their limit and the rest is shared again among the others (water filling).
 */
export function proportionalFit<T extends EditablePartition>(partitions: T[], geometry: PlanGeometry): T[] {
  const alignment = alignmentOf(geometry);
  const live = partitions.map((partition, index) => ({ partition, index })).filter(({ partition }) => partition.action !== 'delete');
  if (live.length === 0) return partitions;
  const start = layout(partitions, geometry).find((partition) => partition.action !== 'delete')!.new_start_bytes;
  const usable = geometry.usable_end_bytes - start;
  const sizes = new Map<number, number>();
  const fixed = new Set<number>();
  for (const { partition, index } of live) {
    if (!isResizable(partition)) {
      sizes.set(index, partition.minimum_size_bytes);
      fixed.add(index);
    }
  }
  for (let round = 0; round <= live.length; round++) {
    const open = live.filter(({ index }) => !fixed.has(index));
    if (open.length === 0) break;
    // Each partition but the last may waste up to one step to keep the next start aligned.
    const heldBytes = [...fixed].reduce((sum, index) => sum + alignUp(sizes.get(index)!, alignment), 0);
    const share = usable - heldBytes - alignment;
    const weight = open.reduce((sum, { partition }) => sum + partition.current_size_bytes, 0);
    let changed = false;
    for (const { partition, index } of open) {
      const wanted = alignDown((share * partition.current_size_bytes) / weight, alignment);
      const max = partition.maximum_size_bytes ?? Number.POSITIVE_INFINITY;
      if (wanted < partition.minimum_size_bytes) {
        sizes.set(index, alignUp(partition.minimum_size_bytes, alignment));
        fixed.add(index);
        changed = true;
      } else if (wanted > max) {
        sizes.set(index, alignDown(max, alignment));
        fixed.add(index);
        changed = true;
      } else {
        sizes.set(index, wanted);
      }
    }
    if (!changed) break;
  }
  const next = layout(partitions.map((partition, index) => {
    if (!sizes.has(index)) return partition;
    const resized = { ...partition, new_size_bytes: sizes.get(index)! };
    return { ...resized, action: actionFor({ ...resized, action: 'keep' }) };
  }), geometry);
  // Rounding down to steps leaves a few MiB over: the last partition still free to grow takes them.
  const last = live.map(({ index }) => index).filter((index) => !fixed.has(index)).pop();
  if (last === undefined) return next;
  const spare = limits(next, last, geometry).max - next[last].new_size_bytes;
  return spare >= alignment ? setSize(next, last, next[last].new_size_bytes + alignDown(spare, alignment), geometry) : next;
}

/** How far past the usable end the plan reaches (0 when it fits). */
export function overflowBytes(partitions: EditablePartition[], geometry: PlanGeometry): number {
  const laidOut = layout(partitions, geometry).filter((partition) => partition.action !== 'delete');
  if (laidOut.length === 0) return 0;
  const last = laidOut[laidOut.length - 1];
  return Math.max(0, last.new_start_bytes + last.new_size_bytes - geometry.usable_end_bytes);
}
