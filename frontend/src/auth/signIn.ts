import { ApiError } from '../api/errors';
import { setCredentials, type Role } from './credentials';

/**
 * Checks an API key against clone-service and learns its role. The service has no "who am I"
 * call yet, so the role is read from the key list, which only admins may see: 200 admin, 403
 * viewer, 401 not a key.
 */
export async function signInWithApiKey(key: string, fetchImpl: typeof fetch = fetch): Promise<Role> {
  const token = key.trim();
  if (!token) throw new ApiError(400, { fields: [{ field: 'key', reason: 'is required' }] }, 'an API key is required');
  const response = await fetchImpl('/api/v1/api-keys', { headers: { Authorization: `Bearer ${token}` } });
  let role: Role;
  if (response.ok) role = 'admin';
  else if (response.status === 403) role = 'viewer';
  else if (response.status === 401) {
    throw new ApiError(401, { fields: [{ field: 'key', reason: 'is not a valid API key' }] }, 'the API key was refused');
  } else throw new ApiError(response.status, undefined, `sign-in failed: HTTP ${response.status}`);
  setCredentials({ token, role, name: `${role} key …${token.slice(-4)}` });
  return role;
}

export function signOut(): void {
  setCredentials(null);
}
