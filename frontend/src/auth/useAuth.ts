import { useSyncExternalStore } from 'react';
import { atLeast, getCredentials, subscribe, type Credentials, type Role } from './credentials';

export function useCredentials(): Credentials | null {
  return useSyncExternalStore(subscribe, getCredentials);
}

/**
 * True when the signed-in operator holds the role (or a higher one): operator runs sessions, admin
 * also manages backends and keys. The server still refuses what a role may not do.
 */
export function useHasRole(needed: Role): boolean {
  return atLeast(useCredentials()?.role, needed);
}

/** True when the operator may define, start and cancel sessions, edit plans and change nodes. */
export function useCanChange(): boolean {
  return useHasRole('operator');
}
