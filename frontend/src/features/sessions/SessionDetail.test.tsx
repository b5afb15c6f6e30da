import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderWithApp } from '../../test/render';
import { SessionDetail } from './SessionDetailPage';
import type { Session } from './api';

const GiB = 1024 ** 3;
const session = (overrides: Partial<Session> = {}): Session => ({
  id: 's-1', name: 'rack 7', clone_mode: 'staged', state: 'downloading', phase: 'downloading',
  resize_mode: 'shrink_source', targets_run: 'after_upload', staging_status: 'downloading', staging_path: '/pureboot/s-1',
  source: { node_id: 'n-src', disk_id: 'wwn-1', phase: 'uploading', bytes_done: 10 * GiB, bytes_total: 10 * GiB, rate_bytes_per_second: 0 },
  targets: [
    { node_id: 'n-a', disk_id: 'wwn-a', state: 'downloading', phase: 'downloading', bytes_done: 2 * GiB, bytes_total: 10 * GiB, rate_bytes_per_second: 100 * 1024 * 1024 },
    { node_id: 'n-b', disk_id: 'wwn-b', state: 'failed', bytes_done: 1 * GiB, bytes_total: 10 * GiB, rate_bytes_per_second: 0, failure_reason: 'disk wwn-b is gone' },
  ],
  ...overrides,
} as Session);

describe('SessionDetail', () => {
  it('shows an upload bar and one download bar per target, with bytes, rate and ETA', () => {
    renderWithApp(<SessionDetail session={session()} stream="live" />);
    const bars = screen.getAllByRole('progressbar');
    expect(bars).toHaveLength(3);
    expect(bars[0]).toHaveAttribute('aria-valuenow', '100');
    expect(bars[1]).toHaveAttribute('aria-valuenow', '20');
    const first = bars[1];
    expect(within(first).getByText('2.0 GiB of 10.0 GiB')).toBeInTheDocument();
    expect(within(first).getByText('rate 100.0 MiB/s')).toBeInTheDocument();
    // 8 GiB left at 100 MiB/s: 82 s.
    expect(within(first).getByText('ETA 1 min 22 s')).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('disk wwn-b is gone');
  });

  it('says whether the targets run as a swarm', () => {
    const { unmount } = renderWithApp(<SessionDetail session={session({ swarm: true })} stream="live" />);
    expect(screen.getByText('Swarm').nextElementSibling).toHaveTextContent('on: the targets serve each other');
    unmount();
    renderWithApp(<SessionDetail session={session()} stream="live" />);
    expect(screen.getByText('Swarm').nextElementSibling).toHaveTextContent('off');
  });

  it('marks the current phase and announces it', () => {
    renderWithApp(<SessionDetail session={session()} stream="live" />);
    const current = screen.getByRole('list', { name: 'Phases' }).querySelector('[aria-current="step"]');
    expect(current).toHaveTextContent('Downloading');
    expect(screen.getByText(/^Phase: Downloading/)).toHaveAttribute('aria-live', 'polite');
  });

  it('asks for confirmation before cancelling', async () => {
    renderWithApp(<SessionDetail session={session()} stream="live" />);
    await userEvent.click(screen.getByRole('button', { name: 'Cancel session' }));
    const dialog = screen.getByRole('alertdialog');
    expect(within(dialog).getByText(/cannot be undone/)).toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Keep' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
  });

  it('names nodes, a retired one too (asked for by id, as the list holds registered nodes only)', async () => {
    const { client } = renderWithApp(<SessionDetail session={session()} stream="live" />);
    act(() => {
      client.setQueryData(['nodes'], [{ id: 'n-a', name: 'rack7-a' }, { id: 'n-b', name: 'rack7-b' }]);
      client.setQueryData(['nodes', 'n-src'], { id: 'n-src', name: 'old-source', retired_at: '2026-12-01T10:00:00Z' });
    });
    expect(await screen.findByRole('progressbar', { name: /^Upload from old-source \(retired\) \(wwn-1\)/ })).toBeInTheDocument();
    expect(screen.getByRole('progressbar', { name: /^Download to rack7-a \(wwn-a\)/ })).toBeInTheDocument();
  });

  it('shows a viewer no control that changes anything', () => {
    renderWithApp(<SessionDetail session={session({ state: 'created', phase: 'created' })} stream="live" />, { role: 'viewer' });
    expect(screen.queryByRole('button', { name: /cancel|start/i })).not.toBeInTheDocument();
  });
});
