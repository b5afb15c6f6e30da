import { useState } from 'react';
import { Checkbox, FieldError, Form, Label, Radio, RadioGroup, TextArea, TextField, Text } from 'react-aria-components';
import { ApiError } from '../../api/errors';
import { Button, ErrorBanner, Field } from '../../components/ui';
import type { Backend, BackendRequest } from './api';

type Draft = {
  name: string; backend_type: 'nfs' | 'iscsi'; enabled: boolean;
  nfs_server: string; nfs_export: string; nfs_options: string;
  iscsi_target: string; iscsi_portal: string; iscsi_username: string; iscsi_password: string;
  mode: 'tgtadm_local' | 'tgtadm_ssh'; control_port: string; backing_store_dir: string;
  ssh_host: string; ssh_port: string; ssh_user: string; ssh_private_key: string; ssh_host_key: string;
};

function draftOf(backend?: Backend): Draft {
  const management = backend?.iscsi_management;
  return {
    name: backend?.name ?? '', backend_type: (backend?.backend_type as Draft['backend_type']) ?? 'nfs', enabled: backend?.enabled ?? true,
    nfs_server: backend?.nfs_server ?? '', nfs_export: backend?.nfs_export ?? '', nfs_options: backend?.nfs_options ?? '',
    iscsi_target: backend?.iscsi_target ?? '', iscsi_portal: backend?.iscsi_portal ?? '',
    iscsi_username: backend?.iscsi_username ?? '', iscsi_password: '',
    mode: (management?.mode as Draft['mode']) ?? 'tgtadm_local', control_port: String(management?.control_port ?? 0),
    backing_store_dir: management?.backing_store_dir ?? '', ssh_host: management?.ssh_host ?? '',
    ssh_port: management?.ssh_port != null ? String(management.ssh_port) : '', ssh_user: management?.ssh_user ?? '',
    ssh_private_key: '', ssh_host_key: management?.ssh_host_key ?? '',
  };
}

const blankToUndefined = (value: string) => (value.trim() === '' ? undefined : value.trim());
const numberOrUndefined = (value: string) => (value.trim() === '' ? undefined : Number(value));

/** The request as the API wants it: only the chosen type's fields; an empty secret keeps the stored one. */
export function requestOf(draft: Draft): BackendRequest {
  const common = { name: draft.name.trim(), backend_type: draft.backend_type, enabled: draft.enabled };
  if (draft.backend_type === 'nfs') {
    return { ...common, nfs_server: blankToUndefined(draft.nfs_server), nfs_export: blankToUndefined(draft.nfs_export),
      nfs_options: blankToUndefined(draft.nfs_options) } as BackendRequest;
  }
  const ssh = draft.mode === 'tgtadm_ssh';
  return {
    ...common,
    iscsi_target: blankToUndefined(draft.iscsi_target), iscsi_portal: blankToUndefined(draft.iscsi_portal),
    iscsi_username: blankToUndefined(draft.iscsi_username), iscsi_password: draft.iscsi_password || undefined,
    iscsi_management: {
      mode: draft.mode, control_port: numberOrUndefined(draft.control_port),
      backing_store_dir: blankToUndefined(draft.backing_store_dir),
      ...(ssh ? { ssh_host: blankToUndefined(draft.ssh_host), ssh_port: numberOrUndefined(draft.ssh_port),
        ssh_user: blankToUndefined(draft.ssh_user), ssh_private_key: draft.ssh_private_key || undefined,
        ssh_host_key: blankToUndefined(draft.ssh_host_key) } : {}),
    },
  } as BackendRequest;
}

export function BackendForm({ backend, onSave, onCancel }: {
  backend?: Backend;
  onSave: (request: BackendRequest) => Promise<unknown>;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(backend));
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const set = <K extends keyof Draft>(key: K) => (value: Draft[K]) => {
    setDraft((current) => ({ ...current, [key]: value }));
    // A changed field's server error goes (react-aria would otherwise hold the form as invalid); the others stay.
    const field = MANAGEMENT_KEYS.has(key) ? `iscsi_management.${key}` : key;
    setFieldErrors((current) => {
      if (!(field in current)) return current;
      const rest = { ...current };
      delete rest[field];
      return rest;
    });
  };
  const editing = backend != null;

  async function submit() {
    setSaving(true);
    setFieldErrors({});
    setFailure(null);
    try {
      await onSave(requestOf(draft));
    } catch (error) {
      if (error instanceof ApiError && error.fields.length > 0) {
        setFieldErrors(error.fieldErrors());
        const shown = new Set(FIELD_NAMES);
        const elsewhere = error.fields.filter((field) => !shown.has(field.field));
        setFailure(elsewhere.length > 0 || error.status === 409 ? error : null);
      } else {
        setFailure(error);
      }
    } finally {
      setSaving(false);
    }
  }

  return (
    <Form validationBehavior="aria" className="form" validationErrors={fieldErrors} aria-label={editing ? `Edit ${backend.name}` : 'New storage backend'}
      onSubmit={(event) => { event.preventDefault(); void submit(); }}>
      <ErrorBanner error={failure} title="Not saved" />
      <Field label="Name" name="name" value={draft.name} onChange={set('name')} isRequired />
      <RadioGroup name="backend_type" value={draft.backend_type} onChange={(value) => set('backend_type')(value as Draft['backend_type'])}
        isDisabled={editing} orientation="horizontal" className="radio-group">
        <Label>Type</Label>
        <Radio value="nfs">NFS export</Radio>
        <Radio value="iscsi">iSCSI target</Radio>
        {editing && <Text slot="description">The type of a backend cannot change.</Text>}
        <FieldError className="field-error" />
      </RadioGroup>
      <Checkbox name="enabled" isSelected={draft.enabled} onChange={set('enabled')} className="checkbox">
        <span className="checkbox-box" aria-hidden="true" />Enabled (new sessions may stage here)
      </Checkbox>
      {draft.backend_type === 'nfs' ? (
        <fieldset>
          <legend>NFS</legend>
          <Field label="Server" name="nfs_server" value={draft.nfs_server} onChange={set('nfs_server')} description="Host name or address" />
          <Field label="Export" name="nfs_export" value={draft.nfs_export} onChange={set('nfs_export')} description="Absolute path, e.g. /pureboot" />
          <Field label="Mount options" name="nfs_options" value={draft.nfs_options} onChange={set('nfs_options')} description="Default vers=3,proto=tcp" />
        </fieldset>
      ) : (
        <>
          <fieldset>
            <legend>iSCSI target</legend>
            <Field label="Target IQN" name="iscsi_target" value={draft.iscsi_target} onChange={set('iscsi_target')} />
            <Field label="Portal" name="iscsi_portal" value={draft.iscsi_portal} onChange={set('iscsi_portal')} description="host[:port]" />
            <Field label="CHAP user" name="iscsi_username" value={draft.iscsi_username} onChange={set('iscsi_username')} />
            <Field label="CHAP password" name="iscsi_password" type="password" value={draft.iscsi_password} onChange={set('iscsi_password')}
              autoComplete="new-password"
              description={backend?.has_password ? 'A password is stored; leave empty to keep it. It is never shown.' : 'Write-only: 12 to 255 characters.'} />
          </fieldset>
          <fieldset>
            <legend>Target management</legend>
            <RadioGroup name="iscsi_management.mode" value={draft.mode} onChange={(value) => set('mode')(value as Draft['mode'])} orientation="horizontal" className="radio-group">
              <Label>Mode</Label>
              <Radio value="tgtadm_local">tgtadm on this host</Radio>
              <Radio value="tgtadm_ssh">tgtadm over SSH</Radio>
              <FieldError className="field-error" />
            </RadioGroup>
            <Field label="tgtd control port" name="iscsi_management.control_port" value={draft.control_port} onChange={set('control_port')} inputMode="numeric" />
            <Field label="Backing store directory" name="iscsi_management.backing_store_dir" value={draft.backing_store_dir} onChange={set('backing_store_dir')} />
            {draft.mode === 'tgtadm_ssh' && (
              <>
                <Field label="SSH host" name="iscsi_management.ssh_host" value={draft.ssh_host} onChange={set('ssh_host')} />
                <Field label="SSH port" name="iscsi_management.ssh_port" value={draft.ssh_port} onChange={set('ssh_port')} inputMode="numeric" />
                <Field label="SSH user" name="iscsi_management.ssh_user" value={draft.ssh_user} onChange={set('ssh_user')} />
                <TextField name="iscsi_management.ssh_private_key" value={draft.ssh_private_key} onChange={set('ssh_private_key')} className="field">
                  <Label>SSH private key</Label>
                  <TextArea rows={4} />
                  <Text slot="description">{backend?.iscsi_management?.has_ssh_private_key ? 'A key is stored; leave empty to keep it.' : 'Write-only, OpenSSH or PEM.'}</Text>
                  <FieldError className="field-error" />
                </TextField>
                <Field label="SSH host key" name="iscsi_management.ssh_host_key" value={draft.ssh_host_key} onChange={set('ssh_host_key')} description="As ssh-keyscan prints it" />
              </>
            )}
          </fieldset>
        </>
      )}
      <div className="actions">
        <Button onPress={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" isDisabled={saving}>{editing ? 'Save' : 'Create'}</Button>
      </div>
    </Form>
  );
}

const MANAGEMENT_KEYS = new Set<string>(['mode', 'control_port', 'backing_store_dir', 'ssh_host', 'ssh_port', 'ssh_user', 'ssh_private_key', 'ssh_host_key']);

const FIELD_NAMES = ['name', 'backend_type', 'enabled', 'nfs_server', 'nfs_export', 'nfs_options', 'iscsi_target', 'iscsi_portal',
  'iscsi_username', 'iscsi_password', 'iscsi_management.mode', 'iscsi_management.control_port', 'iscsi_management.backing_store_dir',
  'iscsi_management.ssh_host', 'iscsi_management.ssh_port', 'iscsi_management.ssh_user', 'iscsi_management.ssh_private_key',
  'iscsi_management.ssh_host_key'];
