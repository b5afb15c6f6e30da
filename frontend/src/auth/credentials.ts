/**
 * Where the operator's credential lives while the tab is open: in memory, mirrored in
 * sessionStorage so a reload of a deep link keeps the operator signed in. Never in a URL, never in
 * localStorage. Requests carry the short-lived JWT; the API key is kept only to get the next JWT
 * (signIn.ts) before this one expires.
 */
export type Role = 'viewer' | 'operator' | 'admin';

/** viewer < operator < admin: a higher role may do all a lower one may. */
const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export function atLeast(role: Role | undefined, needed: Role): boolean {
  return role !== undefined && RANK[role] >= RANK[needed];
}

export interface Credentials {
  /** The API key the operator signed in with, to exchange for the next token. */
  apiKey: string;
  /** The JWT every request carries. */
  token: string;
  /** When the JWT expires, in epoch milliseconds. */
  expiresAt: number;
  role: Role;
  /** Who the services say the operator is (the key's name). */
  subject: string;
  keyId: string | null;
}

const STORAGE_KEY = 'pureboot.credentials';
let current: Credentials | null = read();
const listeners = new Set<() => void>();

function read(): Credentials | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    const parsed = raw ? (JSON.parse(raw) as Partial<Credentials>) : null;
    // A credential stored by an older console (an API key as the token) is dropped: sign in again.
    return parsed?.apiKey && parsed.token && parsed.expiresAt ? (parsed as Credentials) : null;
  } catch {
    return null;
  }
}

export function getCredentials(): Credentials | null {
  return current;
}

export function setCredentials(credentials: Credentials | null): void {
  current = credentials;
  const storage = globalThis.sessionStorage;
  if (credentials) storage?.setItem(STORAGE_KEY, JSON.stringify(credentials));
  else storage?.removeItem(STORAGE_KEY);
  listeners.forEach((listener) => listener());
}

export function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function authorizationHeader(): Record<string, string> {
  return current ? { Authorization: `Bearer ${current.token}` } : {};
}
