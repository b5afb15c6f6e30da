import { useState } from 'react';
import { Form } from 'react-aria-components';
import { ApiError } from '../../api/errors';
import { Button, ConfirmButton, ErrorBanner, Field } from '../../components/ui';
import type { Node } from './api';

/**
 * What an operator may change on a node: its name (the server's 400 reason shown at the field) and retirement
 * (confirmed first; the server's 409, naming the session the node is in, shown as it is). Rendered only for roles
 * that may change nodes; the server refuses the rest anyway.
 */
export function NodeControls({ node, onRename, onRetire }: {
  node: Node;
  onRename: (name: string) => Promise<unknown>;
  onRetire: () => Promise<unknown>;
}) {
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(node.name ?? '');
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [retireFailure, setRetireFailure] = useState<unknown>(null);

  if (renaming) {
    return (
      <Form validationBehavior="aria" validationErrors={errors} className="form form-inline" aria-label={`Rename ${node.name}`}
        onSubmit={async (event) => {
          event.preventDefault();
          setErrors({}); setFailure(null);
          try {
            await onRename(name);
            setRenaming(false);
          } catch (error) {
            if (error instanceof ApiError && error.fields.length > 0) setErrors(error.fieldErrors());
            else setFailure(error);
          }
        }}>
        <ErrorBanner error={failure} title="Not renamed" />
        <Field label="New name" name="name" value={name} autoFocus onChange={(value) => { setName(value); setErrors({}); }} />
        <Button type="submit" variant="primary">Save name</Button>
        <Button onPress={() => { setRenaming(false); setErrors({}); setFailure(null); setName(node.name ?? ''); }}>Keep the old name</Button>
      </Form>
    );
  }
  return (
    <>
      <ErrorBanner error={retireFailure} title="Not retired" />
      <div className="actions">
        <Button onPress={() => { setName(node.name ?? ''); setRenaming(true); }}>Rename</Button>
        <ConfirmButton label="Retire" title={`Retire ${node.name}?`} confirmLabel="Retire node"
          onConfirm={async () => {
            setRetireFailure(null);
            try {
              await onRetire();
            } catch (error) {
              setRetireFailure(error);
            }
          }}>
          <p>
            {node.name} ({node.mac}) leaves the list and boots its local disk from now on; its node tokens are revoked.
            The sessions it took part in keep its name. Its MAC can be registered again.
          </p>
        </ConfirmButton>
      </div>
    </>
  );
}
