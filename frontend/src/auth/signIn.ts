import { ApiError } from '../api/errors';
import { getCredentials, setCredentials, type Credentials, type Role } from './credentials';

/** Renew the token this long before it expires, so no request goes out with a token about to lapse. */
const RENEW_BEFORE_MS = 60_000;

interface IssuedToken { access_token: string; expires_in: number; role: Role; subject: string }
interface WhoAmI { subject: string; role: Role; key_id: string | null }

/**
 * Exchanges the API key for a short-lived JWT at clone-service (POST /api/v1/auth/token) and asks
 * who that is (GET /api/v1/auth/whoami): the role decides what the console offers.
 */
async function exchange(apiKey: string, fetchImpl: typeof fetch): Promise<Credentials> {
  const issued = await fetchImpl('/api/v1/auth/token', { method: 'POST', headers: { Authorization: `Bearer ${apiKey}` } });
  if (issued.status === 401) {
    throw new ApiError(401, { fields: [{ field: 'key', reason: 'is not a valid API key' }] }, 'the API key was refused');
  }
  if (!issued.ok) throw new ApiError(issued.status, undefined, `sign-in failed: HTTP ${issued.status}`);
  const token = (await issued.json()) as IssuedToken;
  const who = await fetchImpl('/api/v1/auth/whoami', { headers: { Authorization: `Bearer ${token.access_token}` } });
  if (!who.ok) throw new ApiError(who.status, undefined, `sign-in failed: HTTP ${who.status}`);
  const identity = (await who.json()) as WhoAmI;
  return {
    apiKey, token: token.access_token, expiresAt: Date.now() + token.expires_in * 1000,
    role: identity.role, subject: identity.subject, keyId: identity.key_id,
  };
}

export async function signInWithApiKey(key: string, fetchImpl: typeof fetch = fetch): Promise<Role> {
  const apiKey = key.trim();
  if (!apiKey) throw new ApiError(400, { fields: [{ field: 'key', reason: 'is required' }] }, 'an API key is required');
  const credentials = await exchange(apiKey, fetchImpl);
  setCredentials(credentials);
  return credentials.role;
}

let renewing: Promise<void> | null = null;

/**
 * Gets a new token for the signed-in key, once for all callers at the same moment; signs out when
 * the key is refused (revoked). With force, renews even a token that has not expired (after a 401).
 */
export function renewToken(force = false, fetchImpl: typeof fetch = fetch): Promise<void> {
  const credentials = getCredentials();
  if (!credentials) return Promise.resolve();
  if (!force && credentials.expiresAt - Date.now() > RENEW_BEFORE_MS) return Promise.resolve();
  renewing ??= exchange(credentials.apiKey, fetchImpl)
    .then((next) => setCredentials(next))
    .catch((error: unknown) => { if (error instanceof ApiError && error.status === 401) setCredentials(null); else throw error; })
    .finally(() => { renewing = null; });
  return renewing;
}

export function signOut(): void {
  setCredentials(null);
}
