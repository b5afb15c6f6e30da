import { useState } from 'react';
import { Form } from 'react-aria-components';
import { ApiError, errorMessage } from '../api/errors';
import { Button, Field } from '../components/ui';
import { signInWithApiKey } from './signIn';

/** Sign-in with an operator API key, kept for this tab only (see credentials.ts). */
export function SignInPage() {
  const [key, setKey] = useState('');
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit() {
    setBusy(true);
    setErrors({});
    setFailure(null);
    try {
      await signInWithApiKey(key);
    } catch (error) {
      if (error instanceof ApiError && error.fields.length > 0) setErrors(error.fieldErrors());
      else setFailure(errorMessage(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="sign-in" id="main">
      <h1>PureBoot Clone</h1>
      <Form validationBehavior="aria" validationErrors={errors} onSubmit={(event) => { event.preventDefault(); void submit(); }}>
        <Field label="API key" name="key" type="password" value={key} onChange={(value) => { setKey(value); setErrors({}); }} autoComplete="off"
          description="An operator key (viewer, operator or admin), exchanged for a short-lived token. It stays in this browser tab only." />
        {failure && <p role="alert" className="banner banner-error">{failure}</p>}
        <Button type="submit" variant="primary" isDisabled={busy}>Sign in</Button>
      </Form>
    </main>
  );
}
