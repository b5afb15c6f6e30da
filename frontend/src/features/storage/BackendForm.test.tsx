import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/errors';
import { BackendForm, requestOf } from './BackendForm';

describe('BackendForm', () => {
  it('shows the server 400 reasons at their fields', async () => {
    const onSave = vi.fn().mockRejectedValue(new ApiError(400, {
      status: 400, message: 'invalid backend',
      fields: [{ field: 'nfs_export', reason: 'must be an absolute path' }, { field: 'name', reason: 'is required' }],
    }, 'HTTP 400'));
    render(<BackendForm onSave={onSave} onCancel={() => undefined} />);
    await userEvent.type(screen.getByLabelText('Server'), 'nfs.example');
    await userEvent.type(screen.getByLabelText('Export'), 'relative');
    await userEvent.click(screen.getByRole('button', { name: 'Create' }));

    await screen.findByText('must be an absolute path');
    const exportField = screen.getByLabelText('Export');
    expect(exportField).toHaveAttribute('aria-invalid', 'true');
    expect(exportField).toHaveAccessibleDescription(expect.stringContaining('must be an absolute path'));
    expect(screen.getByLabelText(/Name/)).toHaveAccessibleDescription(expect.stringContaining('is required'));
    expect(onSave).toHaveBeenCalledWith(expect.objectContaining({ backend_type: 'nfs', nfs_server: 'nfs.example', nfs_export: 'relative' }));
  });

  it('shows a 409 (name in use) as a banner', async () => {
    const onSave = vi.fn().mockRejectedValue(new ApiError(409, { status: 409, message: 'a backend named lab exists' }, 'HTTP 409'));
    render(<BackendForm onSave={onSave} onCancel={() => undefined} />);
    await userEvent.type(screen.getByLabelText(/Name/), 'lab');
    await userEvent.click(screen.getByRole('button', { name: 'Create' }));
    expect(within(await screen.findByRole('alert')).getByText(/a backend named lab exists/)).toBeInTheDocument();
  });

  it('never sends back a secret it was not given: an empty password keeps the stored one', async () => {
    const onSave = vi.fn().mockResolvedValue(undefined);
    render(<BackendForm onCancel={() => undefined} onSave={onSave} backend={{
      id: 'b1', name: 'san', backend_type: 'iscsi', enabled: true, iscsi_target: 'iqn.2026-01.com.example:store',
      iscsi_portal: '10.0.0.6', iscsi_username: 'pureboot', has_password: true,
      iscsi_management: { mode: 'tgtadm_local', control_port: 0, backing_store_dir: '/srv/luns', has_ssh_private_key: false },
    } as never} />);
    expect(screen.getByLabelText('CHAP password')).toHaveValue('');
    expect(screen.getByText(/A password is stored/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    const sent = onSave.mock.calls[0][0];
    expect(sent).not.toHaveProperty('iscsi_password', expect.anything());
    expect(sent.iscsi_management).toMatchObject({ mode: 'tgtadm_local', backing_store_dir: '/srv/luns' });
  });

  it('sends only the chosen type fields', () => {
    const request = requestOf({
      name: ' lab ', backend_type: 'nfs', enabled: true, nfs_server: 'h', nfs_export: '/e', nfs_options: '',
      iscsi_target: 'iqn.x', iscsi_portal: 'p', iscsi_username: 'u', iscsi_password: 'secret', mode: 'tgtadm_local',
      control_port: '0', backing_store_dir: '', ssh_host: '', ssh_port: '', ssh_user: '', ssh_private_key: '', ssh_host_key: '',
    });
    expect(request).toEqual({ name: 'lab', backend_type: 'nfs', enabled: true, nfs_server: 'h', nfs_export: '/e', nfs_options: undefined });
  });
});
