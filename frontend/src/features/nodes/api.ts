import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { cloneApi, plannerApi, unwrap } from '../../api/http';
import { ApiError } from '../../api/errors';
import type { components as CloneSchemas } from '../../api/schema/clone';
import type { components as PlannerSchemas } from '../../api/schema/planner';

export type Node = CloneSchemas['schemas']['NodeView'];
export type Inventory = PlannerSchemas['schemas']['InventoryView'];
export type Disk = PlannerSchemas['schemas']['DiskInventory'];
export type Partition = PlannerSchemas['schemas']['PartitionInventory'];

export const nodeKeys = {
  all: ['nodes'] as const,
  inventory: (id: string) => ['inventories', id] as const,
};

export function useNodes() {
  return useQuery({
    queryKey: nodeKeys.all,
    queryFn: async () => unwrap(await cloneApi.GET('/api/v1/nodes')),
  });
}

/**
 * A node's name by id, for screens that only hold ids. The list holds registered nodes only; a node retired since
 * a session named it is asked for by id (the API keeps its row) and named "(retired)".
 */
export function useNodeNames(ids: readonly (string | null | undefined)[] = []): (id: string | null | undefined) => string {
  const nodes = useNodes();
  const missing = nodes.data
    ? [...new Set(ids.filter((id): id is string => !!id && !nodes.data.some((node) => node.id === id)))]
    : [];
  const retired = useQueries({
    queries: missing.map((id) => ({
      queryKey: [...nodeKeys.all, id] as const,
      queryFn: async () => unwrap(await cloneApi.GET('/api/v1/nodes/{id}', { params: { path: { id } } })),
      staleTime: Infinity,
    })),
  });
  return (id) => {
    const listed = nodes.data?.find((node) => node.id === id);
    if (listed) return listed.name ?? id ?? '—';
    const asked = retired.find((query) => query.data?.id === id)?.data;
    if (asked) return asked.retired_at ? `${asked.name} (retired)` : asked.name ?? asked.id ?? '—';
    return id ?? '—';
  };
}

/** The node's latest disks as the planner holds them; null when the node never reported. */
export function useInventory(nodeId: string | null | undefined) {
  return useQuery({
    queryKey: nodeKeys.inventory(nodeId ?? ''),
    enabled: !!nodeId,
    queryFn: async () => {
      try {
        return unwrap(await plannerApi.GET('/api/v1/inventories/{nodeId}', { params: { path: { nodeId: nodeId! } } }));
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
  });
}

export function useRegisterNode() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (request: { mac: string; name: string }) => unwrap(await cloneApi.POST('/api/v1/nodes', { body: request })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: nodeKeys.all }),
  });
}

export function useRequestInventory() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => unwrap(await cloneApi.POST('/api/v1/nodes/{id}/request-inventory', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: nodeKeys.all }),
  });
}

export function useRenameNode() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, name }: { id: string; name: string }) =>
      unwrap(await cloneApi.PATCH('/api/v1/nodes/{id}', { params: { path: { id } }, body: { name } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: nodeKeys.all }),
  });
}

/** Retires a node: it leaves the list; the server refuses (409, with the session) while it is in one. */
export function useRetireNode() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => unwrap(await cloneApi.DELETE('/api/v1/nodes/{id}', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: nodeKeys.all }),
  });
}

/** The label operators know a disk by: model, serial, WWN, never the kernel name alone. */
export function diskLabel(disk: Disk): string {
  const parts = [disk.model, disk.serial && `serial ${disk.serial}`, disk.wwn && `WWN ${disk.wwn}`].filter(Boolean);
  return parts.length > 0 ? parts.join(' · ') : disk.stable_id ?? '';
}
