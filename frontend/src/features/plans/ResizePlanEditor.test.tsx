import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/errors';
import { ResizePlanEditor } from './ResizePlanEditor';
import type { PlanView } from './api';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

const plan = (): PlanView => ({
  session_id: 's', target_node_id: 'n', target_disk_id: 'wwn-t', version: 3, feasible: true,
  source_disk_bytes: 64 * GiB, target_disk_bytes: 32 * GiB, first_usable_bytes: MiB, usable_end_bytes: 32 * GiB - 17 * 1024,
  alignment_bytes: MiB, resize_mode: 'shrink_source',
  partitions: [
    { partition: 1, filesystem: 'vfat', current_start_bytes: MiB, current_size_bytes: 512 * MiB, new_start_bytes: MiB, new_size_bytes: 512 * MiB,
      minimum_size_bytes: 512 * MiB, maximum_size_bytes: 512 * MiB, action: 'keep', fixed_reason: 'vfat: copied as it is' },
    { partition: 2, filesystem: 'ext4', current_start_bytes: 513 * MiB, current_size_bytes: 63 * GiB, new_start_bytes: 513 * MiB, new_size_bytes: 20 * GiB,
      minimum_size_bytes: 10 * GiB, maximum_size_bytes: undefined, action: 'shrink' },
  ],
});

async function typeSize(label: RegExp, value: string) {
  const field = screen.getByRole('textbox', { name: label });
  await userEvent.clear(field);
  await userEvent.type(field, `${value}{Enter}`);
}

describe('ResizePlanEditor', () => {
  it('clamps a size below the minimum to the minimum and sends it to the server', async () => {
    const onSave = vi.fn().mockImplementation(async (edit) => ({ ...plan(), version: 4, partitions: plan().partitions!.map((p, i) => ({ ...p, ...edit.partitions[i] })) }));
    render(<ResizePlanEditor plan={plan()} onSave={onSave} onStale={() => undefined} />);
    await typeSize(/Partition 2 \(ext4\) size in GiB/, '5');
    await vi.waitFor(() => expect(onSave).toHaveBeenCalled(), { timeout: 3000 });
    const edit = onSave.mock.calls.at(-1)![0];
    expect(edit.version).toBe(3);
    expect(edit.partitions[1]).toMatchObject({ partition: 2, action: 'shrink', new_size_bytes: 10 * GiB, new_start_bytes: 513 * MiB });
    expect(await screen.findByText(/Saved as version 4/)).toBeInTheDocument();
  });

  it('snaps a typed size to whole MiB', async () => {
    const onSave = vi.fn().mockImplementation(async () => ({ ...plan(), version: 4 }));
    render(<ResizePlanEditor plan={plan()} onSave={onSave} onStale={() => undefined} />);
    await typeSize(/Partition 2 \(ext4\) size in GiB/, '12.3456');
    await vi.waitFor(() => expect(onSave).toHaveBeenCalled(), { timeout: 3000 });
    const size = onSave.mock.calls.at(-1)![0].partitions[1].new_size_bytes;
    expect(size % MiB).toBe(0);
    expect(Math.abs(size - 12.346 * GiB)).toBeLessThan(MiB);
  });

  it('shows the server 422 reason at the partition it concerns', async () => {
    const onSave = vi.fn().mockRejectedValue(new ApiError(422, {
      status: 422, message: 'the edited plan breaks 1 rule',
      fields: [{ field: 'partitions[1].new_size_bytes', reason: 'partition 2 (ext4): new size is below its minimum by 1.0 GiB' }],
    }, 'HTTP 422'));
    render(<ResizePlanEditor plan={plan()} onSave={onSave} onStale={() => undefined} />);
    await typeSize(/Partition 2 \(ext4\) size in GiB/, '15');
    const partitions = screen.getByRole('list', { name: 'Partitions' });
    const rows = within(partitions).getAllByRole('listitem', { name: undefined }).filter((row) => row.classList.contains('editor-row'));
    await within(rows[1]).findByText(/below its minimum by 1.0 GiB/);
    expect(within(rows[0]).queryByText(/below its minimum/)).not.toBeInTheDocument();
  });

  it('reloads instead of overwriting when the plan changed meanwhile (409)', async () => {
    const onStale = vi.fn();
    const onSave = vi.fn().mockRejectedValue(new ApiError(409, { status: 409, message: 'version 3 is not the current version 4' }, 'HTTP 409'));
    const { rerender } = render(<ResizePlanEditor plan={plan()} onSave={onSave} onStale={onStale} />);
    await typeSize(/Partition 2 \(ext4\) size in GiB/, '15');
    await vi.waitFor(() => expect(onStale).toHaveBeenCalled(), { timeout: 3000 });
    expect(await screen.findByText(/current plan was reloaded/)).toBeInTheDocument();
    const newer = { ...plan(), version: 4 };
    newer.partitions![1].new_size_bytes = 25 * GiB;
    await act(async () => rerender(<ResizePlanEditor plan={newer} onSave={onSave} onStale={onStale} />));
    expect(screen.getByRole('textbox', { name: /Partition 2 \(ext4\) size in GiB/ })).toHaveValue('25');
  });

  it('fits partitions in proportion and keeps fixed ones', async () => {
    const onSave = vi.fn().mockImplementation(async () => ({ ...plan(), version: 4 }));
    render(<ResizePlanEditor plan={plan()} onSave={onSave} onStale={() => undefined} />);
    await userEvent.click(screen.getByRole('button', { name: 'Proportional fit' }));
    await vi.waitFor(() => expect(onSave).toHaveBeenCalled(), { timeout: 3000 });
    const sent = onSave.mock.calls.at(-1)![0].partitions;
    expect(sent[0].new_size_bytes).toBe(512 * MiB);
    // The only resizable partition takes the rest of the 32 GiB target, in whole MiB.
    expect(sent[1].new_size_bytes % MiB).toBe(0);
    expect(32 * GiB - 17 * 1024 - (sent[1].new_start_bytes + sent[1].new_size_bytes)).toBeLessThan(MiB);
  });

  it('lets a viewer look but not change', () => {
    render(<ResizePlanEditor plan={plan()} readOnly onSave={vi.fn()} onStale={() => undefined} />);
    expect(screen.queryByRole('button', { name: 'Proportional fit' })).not.toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: /Partition 2/ })).toBeDisabled();
  });
});
