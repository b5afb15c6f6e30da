import { useSyncExternalStore } from 'react';
import { getCredentials, subscribe, type Credentials } from './credentials';

export function useCredentials(): Credentials | null {
  return useSyncExternalStore(subscribe, getCredentials);
}

/** True when the signed-in operator may change things. The server still refuses what a role may not do. */
export function useCanChange(): boolean {
  return useCredentials()?.role === 'admin';
}
