import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Form, Label, Radio, RadioGroup } from 'react-aria-components';
import { cloneApi, unwrap } from '../../api/http';
import type { components } from '../../api/schema/clone';
import { ApiError } from '../../api/errors';
import { useHasRole } from '../../auth/useAuth';
import { Button, ConfirmButton, ErrorBanner, Field, Loading } from '../../components/ui';
import { formatTime } from '../../components/format';

const keys = ['api-keys'] as const;

/** Admins create and revoke operator keys. A new key is shown once: the service keeps only its hash. */
export default function ApiKeysPage() {
  const canChange = useHasRole('admin');
  const queryClient = useQueryClient();
  const list = useQuery({ queryKey: keys, enabled: canChange, queryFn: async () => unwrap(await cloneApi.GET('/api/v1/api-keys')) });
  const create = useMutation({
    mutationFn: async (request: { name: string; role: string }) => unwrap(await cloneApi.POST('/api/v1/api-keys', { body: request })) as components['schemas']['ApiKeyView'],
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys }),
  });
  const revoke = useMutation({
    mutationFn: async (name: string) => unwrap(await cloneApi.DELETE('/api/v1/api-keys/{name}', { params: { path: { name } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys }),
  });
  const [name, setName] = useState('');
  const [role, setRole] = useState('viewer');
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);

  if (!canChange) return <p>Only admins manage API keys.</p>;
  return (
    <section aria-labelledby="keys-title">
      <div className="page-head"><h1 id="keys-title">API keys</h1></div>
      <div className="panel">
        <h2>New key</h2>
        <Form validationBehavior="aria" validationErrors={errors} className="form form-inline" onSubmit={async (event) => {
          event.preventDefault();
          setErrors({}); setCreated(null);
          try {
            const answer = await create.mutateAsync({ name: name.trim(), role });
            setCreated({ name: answer.name!, key: answer.key! });
            setName('');
          } catch (error) {
            if (error instanceof ApiError && error.fields.length > 0) setErrors(error.fieldErrors());
          }
        }}>
          <Field label="Name" name="name" value={name} onChange={(value) => { setName(value); setErrors({}); }} />
          <RadioGroup name="role" value={role} onChange={setRole} orientation="horizontal" className="radio-group">
            <Label>Role</Label>
            <Radio value="viewer">viewer (read only)</Radio>
            <Radio value="operator">operator (runs sessions)</Radio>
            <Radio value="admin">admin (also backends and keys)</Radio>
          </RadioGroup>
          <Button type="submit" variant="primary" isDisabled={create.isPending}>Create key</Button>
        </Form>
        {create.error && !(create.error instanceof ApiError && create.error.fields.length > 0) && <ErrorBanner error={create.error} title="Not created" />}
        {created && (
          <div role="status" className="banner banner-ok">
            Key <strong>{created.name}</strong>: <code className="secret">{created.key}</code>
            <p>Copy it now: it is never shown again.</p>
          </div>
        )}
      </div>
      {list.isPending && <Loading what="API keys" />}
      <ErrorBanner error={list.error ?? revoke.error} />
      <table className="table">
        <caption className="visually-hidden">API keys</caption>
        <thead><tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Created</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
          {list.data?.map((key) => (
            <tr key={key.name}>
              <th scope="row">{key.name}</th><td>{key.role}</td><td>{formatTime(key.created_at)}</td>
              <td>
                <ConfirmButton label={`Revoke ${key.name}`} title={`Revoke ${key.name}?`} confirmLabel="Revoke"
                  onConfirm={() => revoke.mutateAsync(key.name!).catch(() => undefined)}>
                  <p>Whoever uses this key is refused from now on.</p>
                </ConfirmButton>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
