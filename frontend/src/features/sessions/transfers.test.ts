import { describe, expect, it } from 'vitest';
import type { Session } from './api';
import { downloadTransfer, stepFigures, uploadTransfer } from './transfers';

const MiB = 1024 ** 2;
const staged = (state: string, phase: string, done: number, total: number): Session => ({
  id: 's', name: 's', clone_mode: 'staged', state, phase: 'uploading',
  source: { node_id: 'n', disk_id: 'd', phase, bytes_done: done, bytes_total: total, rate_bytes_per_second: MiB },
  targets: [],
} as unknown as Session);

describe('transfer bars', () => {
  it('the upload bar never goes back as the source moves from shrinking to uploading to growing back', () => {
    // What a shrink_source capture reports, in order (the agent starts each step's figures from zero).
    const reports = [
      staged('uploading', 'shrinking', 24 * MiB, 100 * MiB),
      staged('uploading', 'shrinking', 93 * MiB, 100 * MiB),
      staged('uploading', 'uploading', 0, 400 * MiB),
      staged('uploading', 'uploading', 200 * MiB, 400 * MiB),
      staged('uploading', 'growing_source', 10 * MiB, 100 * MiB),
      staged('uploaded', 'growing_source', 100 * MiB, 100 * MiB),
    ];
    const percents = reports.map((session) => {
      const bar = uploadTransfer(session);
      return bar.finished ? 100 : bar.total > 0 ? (100 * bar.done) / bar.total : 0;
    });
    expect(percents).toEqual([0, 0, 0, 50, 100, 100]);
    expect(stepFigures('uploading', reports[1].source)).toBe('93 %');
    expect(stepFigures('uploading', reports[3].source)).toBeUndefined();
  });

  it('a target past its download (partitioning, resizing) shows the download complete', () => {
    const target = { node_id: 'n', disk_id: 'd', state: 'downloading', phase: 'resizing', bytes_done: 1, bytes_total: 4, rate_bytes_per_second: 0 };
    expect(downloadTransfer(target as never)).toEqual({ done: 0, total: 0, rate: 0, finished: true });
    expect(stepFigures('downloading', target)).toBe('25 %');
    const downloading = { ...target, phase: 'downloading' };
    expect(downloadTransfer(downloading as never)).toEqual({ done: 1, total: 4, rate: 0, finished: false });
  });
});
