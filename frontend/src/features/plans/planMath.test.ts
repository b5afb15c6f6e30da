import { describe, expect, it } from 'vitest';
import { actionFor, clampSize, fillTheRest, limits, MIB, overflowBytes, proportionalFit, setSize, type EditablePartition } from './planMath';

const GiB = 1024 * MIB;

function partition(number: number, start: number, size: number, min: number, max: number | null): EditablePartition {
  return {
    partition: number, filesystem: 'ext4', current_start_bytes: start, current_size_bytes: size,
    new_start_bytes: start, new_size_bytes: size, minimum_size_bytes: min, maximum_size_bytes: max, action: 'keep',
  };
}

// A source of ESP 512 MiB (fixed), root 40 GiB (min 10 GiB), data 20 GiB (min 5 GiB) on a 50 GiB target.
const geometry = { first_usable_bytes: MIB, usable_end_bytes: 50 * GiB - 17 * 1024, alignment_bytes: MIB };
const source = () => [
  partition(1, MIB, 512 * MIB, 512 * MIB, 512 * MIB),
  partition(2, MIB + 512 * MIB, 40 * GiB, 10 * GiB, null),
  partition(3, MIB + 512 * MIB + 40 * GiB, 20 * GiB, 5 * GiB, null),
];

describe('clampSize', () => {
  it('snaps to the nearest MiB', () => {
    expect(clampSize(10 * GiB + 300 * 1024, 0, 100 * GiB)).toBe(10 * GiB);
    expect(clampSize(10 * GiB + 700 * 1024, 0, 100 * GiB)).toBe(10 * GiB + MIB);
  });
  it('holds a size at its minimum, rounded up to a whole MiB', () => {
    expect(clampSize(1 * GiB, 10 * GiB + 5, 100 * GiB)).toBe(10 * GiB + MIB);
  });
  it('holds a size at its maximum', () => {
    expect(clampSize(200 * GiB, GiB, 100 * GiB + 12345)).toBe(100 * GiB);
  });
  it('keeps a fixed partition at its one size, even when it is not whole MiB', () => {
    expect(clampSize(5 * GiB, 1000 * 512, 1000 * 512)).toBe(1000 * 512);
  });
});

describe('setSize', () => {
  it('refuses to go below the minimum', () => {
    const edited = setSize(source(), 1, 1 * GiB, geometry);
    expect(edited[1].new_size_bytes).toBe(10 * GiB);
    expect(edited[1].action).toBe('shrink');
  });
  it('refuses to take more than the space left after the following partitions', () => {
    const edited = setSize(source(), 1, 45 * GiB, geometry);
    const { max } = limits(source(), 1, geometry);
    expect(edited[1].new_size_bytes).toBe(max);
    expect(max % MIB).toBe(0);
    expect(overflowBytes(edited, geometry)).toBe(0);
  });
  it('moves the following partitions to the first aligned byte after their predecessor', () => {
    const edited = setSize(source(), 1, 20 * GiB, geometry);
    expect(edited[2].new_start_bytes).toBe(edited[1].new_start_bytes + 20 * GiB);
    expect(edited[2].new_start_bytes % MIB).toBe(0);
  });
});

describe('actionFor', () => {
  it('follows from the sizes', () => {
    expect(actionFor({ current_size_bytes: 10, new_size_bytes: 10, action: 'grow' })).toBe('keep');
    expect(actionFor({ current_size_bytes: 10, new_size_bytes: 5, action: 'keep' })).toBe('shrink');
    expect(actionFor({ current_size_bytes: 10, new_size_bytes: 15, action: 'keep' })).toBe('grow');
    expect(actionFor({ current_size_bytes: 10, new_size_bytes: 0, action: 'delete' })).toBe('delete');
  });
});

describe('proportionalFit', () => {
  it('shares the target in proportion to the source sizes, in MiB steps, within the disk', () => {
    const fitted = proportionalFit(source(), geometry);
    expect(fitted[0].new_size_bytes).toBe(512 * MIB);
    const [root, data] = [fitted[1].new_size_bytes, fitted[2].new_size_bytes];
    expect(root % MIB).toBe(0);
    expect(data % MIB).toBe(0);
    expect(Math.abs(root / data - 2)).toBeLessThan(0.001);
    expect(overflowBytes(fitted, geometry)).toBe(0);
    // Nothing useful is left over: less than a couple of steps.
    const end = fitted[2].new_start_bytes + data;
    expect(geometry.usable_end_bytes - end).toBeLessThan(3 * MIB);
  });
  it('holds a partition at its minimum and shares the rest among the others', () => {
    // 19.5 GiB to share 2:1 would give data 6.5 GiB, below its 8 GiB minimum.
    const small = { ...geometry, usable_end_bytes: 20 * GiB };
    const partitions = source();
    partitions[2].minimum_size_bytes = 8 * GiB;
    const fitted = proportionalFit(partitions, small);
    expect(fitted[2].new_size_bytes).toBe(8 * GiB);
    expect(fitted[1].new_size_bytes).toBeGreaterThan(11 * GiB);
    expect(overflowBytes(fitted, small)).toBe(0);
    expect(fitted.map((p) => p.action)).toEqual(['keep', 'shrink', 'shrink']);
  });
  it('grows on a larger target', () => {
    const large = { ...geometry, usable_end_bytes: 200 * GiB };
    const fitted = proportionalFit(source(), large);
    expect(fitted[1].action).toBe('grow');
    expect(fitted[2].action).toBe('grow');
  });
});

describe('fillTheRest', () => {
  it('gives the last partition everything up to the usable end', () => {
    const large = { ...geometry, usable_end_bytes: 200 * GiB };
    const filled = fillTheRest(source(), 2, large);
    expect(filled[2].new_start_bytes + filled[2].new_size_bytes).toBeLessThanOrEqual(large.usable_end_bytes);
    expect(large.usable_end_bytes - (filled[2].new_start_bytes + filled[2].new_size_bytes)).toBeLessThan(MIB);
  });
});
