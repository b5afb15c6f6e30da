/**
 * Where the operator's credential lives while the tab is open: in memory, mirrored in
 * sessionStorage so a reload of a deep link keeps the operator signed in. Never in a URL, never in
 * localStorage. This module is the one place that knows what a credential is: when operators
 * sign in with tokens (issue 12) only this file and SignInPage change.
 */
export type Role = 'admin' | 'viewer';

export interface Credentials {
  token: string;
  role: Role;
  name: string;
}

const STORAGE_KEY = 'pureboot.credentials';
let current: Credentials | null = read();
const listeners = new Set<() => void>();

function read(): Credentials | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Credentials) : null;
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
