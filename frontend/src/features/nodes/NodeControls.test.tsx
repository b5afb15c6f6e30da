import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/errors';
import { renderWithApp } from '../../test/render';
import { NodeControls } from './NodeControls';
import NodesPage from './NodesPage';
import { nodeKeys, type Node } from './api';

const node = { id: 'n-1', mac: '52:54:00:12:34:56', name: 'rack 4 slot 2', created_at: '2026-12-01T10:00:00Z' } as Node;

describe('NodeControls', () => {
  it('renames: the field starts with the current name and the new one is sent', async () => {
    const onRename = vi.fn().mockResolvedValue(undefined);
    render(<NodeControls node={node} onRename={onRename} onRetire={vi.fn()} />);
    await userEvent.click(screen.getByRole('button', { name: 'Rename' }));
    const field = screen.getByLabelText('New name');
    expect(field).toHaveValue('rack 4 slot 2');
    await userEvent.clear(field);
    await userEvent.type(field, 'db-primary');
    await userEvent.click(screen.getByRole('button', { name: 'Save name' }));
    expect(onRename).toHaveBeenCalledWith('db-primary');
    expect(await screen.findByRole('button', { name: 'Rename' })).toBeInTheDocument();
  });

  it('shows the server 400 reason at the name field and keeps the form open', async () => {
    const onRename = vi.fn().mockRejectedValue(new ApiError(400, {
      status: 400, message: 'invalid request', fields: [{ field: 'name', reason: 'is required' }],
    }, 'HTTP 400'));
    render(<NodeControls node={node} onRename={onRename} onRetire={vi.fn()} />);
    await userEvent.click(screen.getByRole('button', { name: 'Rename' }));
    await userEvent.clear(screen.getByLabelText('New name'));
    await userEvent.click(screen.getByRole('button', { name: 'Save name' }));
    await screen.findByText('is required');
    const field = screen.getByLabelText('New name');
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(field).toHaveAccessibleDescription(expect.stringContaining('is required'));
    expect(onRename).toHaveBeenCalledWith('');
  });

  it('retires only after confirmation', async () => {
    const onRetire = vi.fn().mockResolvedValue(undefined);
    render(<NodeControls node={node} onRename={vi.fn()} onRetire={onRetire} />);
    await userEvent.click(screen.getByRole('button', { name: 'Retire' }));
    const dialog = screen.getByRole('alertdialog');
    expect(within(dialog).getByRole('heading')).toHaveTextContent('Retire rack 4 slot 2?');
    expect(within(dialog).getByText(/boots its local disk/)).toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Keep' }));
    expect(onRetire).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Retire' }));
    await userEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Retire node' }));
    expect(onRetire).toHaveBeenCalledTimes(1);
  });

  it('shows the server reason when retirement is refused (node in an active session)', async () => {
    const reason = 'node rack 4 slot 2 is a target of clone session nightly (s-1), which is downloading; '
      + 'it can be retired once that session has ended or is deleted';
    const onRetire = vi.fn().mockRejectedValue(new ApiError(409, { status: 409, message: reason }, 'HTTP 409'));
    render(<NodeControls node={node} onRename={vi.fn()} onRetire={onRetire} />);
    await userEvent.click(screen.getByRole('button', { name: 'Retire' }));
    await userEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Retire node' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Not retired');
    expect(alert).toHaveTextContent(reason);
  });
});

describe('NodesPage', () => {
  it('shows a viewer the nodes but no register, rename or retire control', async () => {
    const { client } = renderWithApp(<NodesPage />, { role: 'viewer' });
    act(() => {
      client.setQueryData(nodeKeys.inventory('n-1'), null);
      client.setQueryData(nodeKeys.all, [node]);
    });
    expect(await screen.findByRole('heading', { name: 'rack 4 slot 2' })).toBeInTheDocument();
    expect(screen.queryByText('Register a node')).not.toBeInTheDocument();
    expect(screen.queryAllByRole('button')).toHaveLength(0);
  });

  it('shows an operator rename and retire on each node', async () => {
    const { client } = renderWithApp(<NodesPage />, { role: 'operator' });
    act(() => {
      client.setQueryData(nodeKeys.inventory('n-1'), null);
      client.setQueryData(nodeKeys.all, [node]);
    });
    const card = await screen.findByRole('listitem', { name: 'rack 4 slot 2' });
    expect(within(card).getByRole('button', { name: 'Rename' })).toBeInTheDocument();
    expect(within(card).getByRole('button', { name: 'Retire' })).toBeInTheDocument();
  });
});
