import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { storageApi, unwrap } from '../../api/http';
import type { components } from '../../api/schema/storage';

export type Backend = components['schemas']['BackendView'];
export type BackendRequest = components['schemas']['BackendRequest'];
export type ConnectivityResult = components['schemas']['ConnectivityResult'];
export type Space = components['schemas']['SpaceView'];

export const storageKeys = {
  all: ['storage-backends'] as const,
  test: (id: string) => ['storage-backends', id, 'test'] as const,
  space: (id: string) => ['storage-backends', id, 'space'] as const,
};

export function useBackends() {
  return useQuery({
    queryKey: storageKeys.all,
    queryFn: async () => unwrap(await storageApi.GET('/api/v1/storage-backends')),
  });
}

export function useSaveBackend() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, request }: { id?: string; request: BackendRequest }) =>
      id
        ? unwrap(await storageApi.PUT('/api/v1/storage-backends/{id}', { params: { path: { id } }, body: request }))
        : unwrap(await storageApi.POST('/api/v1/storage-backends', { body: request })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: storageKeys.all }),
  });
}

export function useDeleteBackend() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => unwrap(await storageApi.DELETE('/api/v1/storage-backends/{id}', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: storageKeys.all }),
  });
}

/** Runs the connectivity test; the last result of each backend stays in the cache to be shown inline. */
export function useTestBackend() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => unwrap(await storageApi.POST('/api/v1/storage-backends/{id}/test', { params: { path: { id } } })),
    onSuccess: (result, id) => {
      queryClient.setQueryData(storageKeys.test(id), result);
      void queryClient.invalidateQueries({ queryKey: storageKeys.all, exact: true });
    },
  });
}

export function useMeasureSpace() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => unwrap(await storageApi.GET('/api/v1/storage-backends/{id}/space', { params: { path: { id } } })),
    onSuccess: (space, id) => {
      queryClient.setQueryData(storageKeys.space(id), space);
      void queryClient.invalidateQueries({ queryKey: storageKeys.all, exact: true });
    },
  });
}
