import type { Session } from './api';

type Source = NonNullable<Session['source']>;
type Target = NonNullable<Session['targets']>[number];

/** What one transfer bar shows. */
export interface Transfer {
  done: number;
  total: number;
  rate: number;
  finished: boolean;
}

/**
 * A node reports one set of figures, for the step it is in, and starts again from zero at each step (the agent's
 * ProgressReporter): a source shrinks its filesystems, then uploads, then grows them back; a target downloads, then
 * partitions, then resizes. A bar that showed whatever the node reported last would jump from 93 % shrunk to 0 %
 * uploaded. So each bar shows only its own step's figures: nothing before the step, the node's figures during it,
 * complete after it. The other steps are told in words beside the bar ({@link stepFigures}).
 */
const SOURCE_AFTER_UPLOAD = new Set(['growing_source']);
const SESSION_STATES_AFTER_UPLOAD = new Set(['uploaded', 'downloading', 'completed']);
const TARGET_AFTER_DOWNLOAD = new Set(['partitioning', 'resizing']);

const NOTHING_YET: Transfer = { done: 0, total: 0, rate: 0, finished: false };

function transfer(step: string, finished: boolean, node?: { phase?: string; bytes_done?: number; bytes_total?: number; rate_bytes_per_second?: number }): Transfer {
  if (node?.phase === step) {
    return { done: node.bytes_done ?? 0, total: node.bytes_total ?? 0, rate: node.rate_bytes_per_second ?? 0, finished };
  }
  return finished ? { ...NOTHING_YET, finished: true } : NOTHING_YET;
}

export function uploadTransfer(session: Session): Transfer {
  const source: Source | undefined = session.source;
  const finished = SESSION_STATES_AFTER_UPLOAD.has(session.state ?? '') || SOURCE_AFTER_UPLOAD.has(source?.phase ?? '');
  return transfer('uploading', finished, source);
}

export function downloadTransfer(target: Target): Transfer {
  const finished = target.state === 'completed' || TARGET_AFTER_DOWNLOAD.has(target.phase ?? '');
  return transfer('downloading', finished, target);
}

/** The figures of a step that has no bar of its own (shrinking, resizing...), or nothing during the bar's own step. */
export function stepFigures(barStep: string, node?: { phase?: string; bytes_done?: number; bytes_total?: number }): string | undefined {
  if (!node?.phase || node.phase === barStep || !node.bytes_total) return undefined;
  return `${Math.min(100, Math.floor((100 * (node.bytes_done ?? 0)) / node.bytes_total))} %`;
}
