import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { plannerApi, unwrap } from '../../api/http';
import type { components } from '../../api/schema/planner';

export type PlanView = components['schemas']['PlanView'];
export type PlanEdit = components['schemas']['PlanEditRequest'];
export type SessionPlans = components['schemas']['SessionPlansView'];

export const planKeys = {
  all: (sessionId: string) => ['plans', sessionId] as const,
};

export function useSessionPlans(sessionId: string) {
  return useQuery({
    queryKey: planKeys.all(sessionId),
    queryFn: async () => unwrap(await plannerApi.GET('/api/v1/clone-sessions/{sessionId}/plans', { params: { path: { sessionId } } })),
  });
}

export async function analyzeSession(sessionId: string) {
  return unwrap(await plannerApi.POST('/api/v1/clone-sessions/{sessionId}/analyze', { params: { path: { sessionId } }, body: {} }));
}

export function useAnalyze(sessionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => analyzeSession(sessionId),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: planKeys.all(sessionId) }),
  });
}

/** PUT the edited plan; the server validates it and answers the new version, 422 with reasons, or 409. */
export async function savePlan(sessionId: string, target: string, disk: string | undefined, edit: PlanEdit): Promise<PlanView> {
  return unwrap(await plannerApi.PUT('/api/v1/clone-sessions/{sessionId}/plan', {
    params: { path: { sessionId }, query: { target, ...(disk ? { disk } : {}) } },
    body: edit,
  }));
}
