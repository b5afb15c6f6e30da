import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { cloneApi, unwrap } from '../../api/http';
import { openLiveStream, type StreamStatus } from '../../api/liveStream';
import type { components } from '../../api/schema/clone';

export type Session = components['schemas']['SessionView'];
export type SessionRequest = components['schemas']['SessionRequest'];
export type AuditEvent = components['schemas']['AuditView'];

export const sessionKeys = {
  all: ['clone-sessions'] as const,
  one: (id: string) => ['clone-sessions', id] as const,
  audit: (id: string) => ['audit', id] as const,
};

export function useSessions() {
  return useQuery({
    queryKey: sessionKeys.all,
    queryFn: async () => unwrap(await cloneApi.GET('/api/v1/clone-sessions')),
    // The list shows live status: refreshed every few seconds (each session's detail streams).
    refetchInterval: 3_000,
  });
}

export function useSession(id: string) {
  return useQuery({
    queryKey: sessionKeys.one(id),
    queryFn: async () => unwrap(await cloneApi.GET('/api/v1/clone-sessions/{id}', { params: { path: { id } } })),
  });
}

/** Keeps the session's cache entry live from its Server-Sent Events, reconnecting after a drop. */
export function useSessionLive(id: string): StreamStatus {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<StreamStatus>('connecting');
  useEffect(() => openLiveStream<Session>(`/api/v1/clone-sessions/${encodeURIComponent(id)}/progress`, {
    onMessage: (session) => {
      queryClient.setQueryData(sessionKeys.one(id), session);
      void queryClient.invalidateQueries({ queryKey: sessionKeys.audit(id) });
    },
    onStatus: setStatus,
  }), [id, queryClient]);
  return status;
}

export function useAudit(id: string) {
  return useQuery({
    queryKey: sessionKeys.audit(id),
    queryFn: async () => unwrap(await cloneApi.GET('/api/v1/audit', { params: { query: { session: id } } })),
    staleTime: 1_000,
  });
}

function useSessionAction<T>(run: (id: string, argument: T) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, argument }: { id: string; argument: T }) => run(id, argument),
    onSuccess: (_, { id }) => {
      void queryClient.invalidateQueries({ queryKey: sessionKeys.one(id) });
      void queryClient.invalidateQueries({ queryKey: sessionKeys.all, exact: true });
    },
  });
}

export const useCancelSession = () => useSessionAction<string>(async (id, reason) =>
  unwrap(await cloneApi.POST('/api/v1/clone-sessions/{id}/cancel', { params: { path: { id } }, body: { reason } })));

export const useStartSession = () => useSessionAction<void>(async (id) =>
  unwrap(await cloneApi.POST('/api/v1/clone-sessions/{id}/start', { params: { path: { id } } })));

export const useStartTargets = () => useSessionAction<void>(async (id) =>
  unwrap(await cloneApi.POST('/api/v1/clone-sessions/{id}/start-targets', { params: { path: { id } } })));

export const useDeleteSession = () => useSessionAction<void>(async (id) =>
  unwrap(await cloneApi.DELETE('/api/v1/clone-sessions/{id}', { params: { path: { id } } })));

export function useCreateSession() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (request: SessionRequest) => unwrap(await cloneApi.POST('/api/v1/clone-sessions', { body: request })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: sessionKeys.all }),
  });
}

export const PHASES = ['provisioning', 'uploading', 'ready', 'downloading', 'cleanup', 'done'] as const;
export const ENDED = new Set(['completed', 'cancelled', 'failed']);
