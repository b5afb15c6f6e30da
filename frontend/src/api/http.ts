import createClient, { type Middleware } from 'openapi-fetch';
import { authorizationHeader, setCredentials } from '../auth/credentials';
import { renewToken } from '../auth/signIn';
import { ApiError, type ApiErrorBody } from './errors';
import type { paths as ClonePaths } from './schema/clone';
import type { paths as PlannerPaths } from './schema/planner';
import type { paths as StoragePaths } from './schema/storage';

/**
 * The one API layer: a typed client per service, generated from its OpenAPI document, all on the
 * one origin. Every request carries the operator's token, renewed before it expires; after a 401
 * the token is renewed with the API key, and if the key is refused the operator is signed out.
 * No component calls fetch itself.
 */
const auth: Middleware = {
  async onRequest({ request }) {
    await renewToken();
    for (const [name, value] of Object.entries(authorizationHeader())) request.headers.set(name, value);
    return request;
  },
  async onResponse({ response }) {
    if (response.status === 401) await renewToken(true).catch(() => setCredentials(null));
    return response;
  },
};

function client<Paths extends {}>() {
  const created = createClient<Paths>({ baseUrl: '' });
  created.use(auth);
  return created;
}

export const cloneApi = client<ClonePaths>();
export const storageApi = client<StoragePaths>();
export const plannerApi = client<PlannerPaths>();

/** The answer's data, or an ApiError carrying the server's message and field reasons. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok) return result.data as T;
  const body = (typeof result.error === 'object' ? result.error : undefined) as Partial<ApiErrorBody> | undefined;
  throw new ApiError(result.response.status, body, `HTTP ${result.response.status}`);
}
