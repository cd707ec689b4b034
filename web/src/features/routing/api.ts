import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap, unwrapJSON } from '../../lib/api/client'
import type { components } from '../../lib/api/schema'
import { reorder } from './words'

// Routing control: the rules (every change a new version), the versions,
// the simulator, overrides and each conversation's routing history.

export type Ruleset = components['schemas']['RulesetView']
export type Rule = components['schemas']['RuleView']
export type RuleRequest = components['schemas']['RuleRequest']
export type RuleVersion = components['schemas']['RuleVersionView']
export type Simulation = components['schemas']['SimulationView']
export type SimulationRequest = components['schemas']['SimulationRequest']
export type Override = components['schemas']['OverrideView']
export type OverrideRequest = components['schemas']['OverrideRequest']
export type Decision = components['schemas']['RoutingDecisionView']
export type RoutingStep = components['schemas']['RoutingStepView']

const rulesKey = ['routing', 'rules'] as const
const versionsKey = ['routing', 'versions'] as const
const overridesKey = ['routing', 'overrides'] as const

export function useRules() {
  return useQuery({ queryKey: rulesKey, queryFn: ({ signal }) => unwrap(api.GET('/api/v1/routing/rules', { signal })) })
}

export function useRuleVersions() {
  return useInfiniteQuery({
    queryKey: versionsKey,
    initialPageParam: 0,
    queryFn: ({ signal, pageParam }) =>
      unwrap(api.GET('/api/v1/routing/rules/versions', { signal, params: { query: { limit: 10, ...(pageParam ? { before: pageParam } : {}) } } })),
    getNextPageParam: (last) => last.nextBefore || undefined,
  })
}

// Every change answers the whole ruleset at its new version.
function useRulesMutation<V>(fn: (v: V) => Promise<Ruleset>) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: fn,
    onSuccess: (rs) => qc.setQueryData(rulesKey, rs),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: rulesKey })
      void qc.invalidateQueries({ queryKey: versionsKey })
    },
  })
}

export function useCreateRule() {
  return useRulesMutation((body: RuleRequest) => unwrap(api.POST('/api/v1/routing/rules', { body })))
}

export function useUpdateRule() {
  return useRulesMutation((v: { id: string; body: RuleRequest }) => unwrap(api.PATCH('/api/v1/routing/rules/{id}', { params: { path: { id: v.id } }, body: v.body })))
}

export function useDeleteRule() {
  return useRulesMutation((v: { id: string; expectedVersion: number }) =>
    unwrap(api.DELETE('/api/v1/routing/rules/{id}', { params: { path: { id: v.id }, query: { expectedVersion: v.expectedVersion } } })),
  )
}

/** Reorders at once on the page, and puts the old order back if the API refuses. */
export function useReorderRules() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (v: { ruleIds: string[]; expectedVersion: number }) => unwrap(api.PUT('/api/v1/routing/rules/order', { body: v })),
    onMutate: async (v) => {
      await qc.cancelQueries({ queryKey: rulesKey })
      const before = qc.getQueryData<Ruleset>(rulesKey)
      if (before) {
        const rules = reorder(before.rules, v.ruleIds).map((r, i) => ({ ...r, position: i + 1 }))
        qc.setQueryData<Ruleset>(rulesKey, { ...before, rules })
      }
      return { before }
    },
    onError: (_e, _v, ctx) => {
      if (ctx?.before) qc.setQueryData(rulesKey, ctx.before)
    },
    onSuccess: (rs) => qc.setQueryData(rulesKey, rs),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: rulesKey })
      void qc.invalidateQueries({ queryKey: versionsKey })
    },
  })
}

export function useSimulate() {
  return useMutation({ mutationFn: (body: SimulationRequest) => unwrap(api.POST('/api/v1/routing/simulate', { body })) })
}

/** Overrides in force; polled while the page is visible so expiries show. */
export function useActiveOverrides() {
  return useQuery({
    queryKey: [...overridesKey, 'active'],
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/routing/overrides', { signal, params: { query: { status: 'active' } } })),
    refetchInterval: 10_000,
  })
}

export function useEndedOverrides(enabled: boolean) {
  return useQuery({
    queryKey: [...overridesKey, 'ended'],
    enabled,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/routing/overrides', { signal, params: { query: { status: 'ended' } } })),
  })
}

function useOverrideMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: fn,
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: overridesKey })
      void qc.invalidateQueries({ queryKey: ['routing', 'history'] })
    },
  })
}

export function useCreateOverride() {
  return useOverrideMutation((body: OverrideRequest) => unwrap(api.POST('/api/v1/routing/overrides', { body })))
}

export function useRemoveOverride() {
  return useOverrideMutation((id: string) => unwrap(api.DELETE('/api/v1/routing/overrides/{id}', { params: { path: { id } } })))
}

/** A conversation's routing decisions, newest first; polled while visible. */
export function useRoutingHistory(threadId: string) {
  return useInfiniteQuery({
    queryKey: ['routing', 'history', threadId],
    enabled: !!threadId,
    initialPageParam: '',
    queryFn: ({ signal, pageParam }) =>
      unwrap(
        api.GET('/api/v1/routing/threads/{id}/history', {
          signal,
          params: { path: { id: threadId }, query: { limit: 25, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (last) => last.nextCursor || undefined,
    refetchInterval: 5_000,
  })
}

// The pickers: conversations, clients, business numbers and sitters.

export function useThreadChoices() {
  return useQuery({
    queryKey: ['routing', 'choices', 'threads'],
    queryFn: async ({ signal }) => (await unwrap(api.GET('/api/v1/threads', { signal, params: { query: { limit: 200 } } }))).threads,
    staleTime: 30_000,
  })
}

export function useClientChoices() {
  return useQuery({
    queryKey: ['routing', 'choices', 'clients'],
    queryFn: async ({ signal }) => (await unwrap(api.GET('/api/v1/clients', { signal, params: { query: { limit: 200 } } }))).clients,
    staleTime: 30_000,
  })
}

export function useNumberChoices() {
  return useQuery({
    queryKey: ['routing', 'choices', 'numbers'],
    queryFn: async ({ signal }) =>
      (await unwrapJSON(api.GET('/api/v1/numbers', { signal, params: { query: { limit: 200 } } }))).numbers.filter((n) => n.status !== 'released'),
    staleTime: 30_000,
  })
}

export function useSitterChoices() {
  return useQuery({
    queryKey: ['routing', 'choices', 'sitters'],
    queryFn: async ({ signal }) => (await unwrap(api.GET('/api/v1/sitters', { signal }))).sitters.filter((s) => s.active),
    staleTime: 30_000,
  })
}
