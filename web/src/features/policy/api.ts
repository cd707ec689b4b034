import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '../../lib/api/client'
import type { components } from '../../lib/api/schema'

export type ViolationView = components['schemas']['PolicyViolationView']
export type ViolationStatus = '' | 'open' | 'dismissed' | 'overridden'

// Policy review: the messages the content policy stopped, and the owner's
// decision on each (dismiss, or override with a reason), both audited.

export function useViolations(status: ViolationStatus) {
  return useInfiniteQuery({
    queryKey: ['policy-violations', status],
    queryFn: ({ pageParam, signal }) =>
      unwrap(api.GET('/api/v1/policy-violations', { params: { query: { status: status || undefined, cursor: pageParam, limit: 50 } }, signal })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor || undefined,
    refetchInterval: 15_000,
  })
}

export function useViolation(id: string | null) {
  return useQuery({
    queryKey: ['policy-violation', id],
    enabled: id !== null,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/policy-violations/{id}', { params: { path: { id: id! } }, signal })),
  })
}

export function useReview(action: 'dismiss' | 'override') {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) =>
      action === 'dismiss'
        ? unwrap(api.POST('/api/v1/policy-violations/{id}/dismiss', { params: { path: { id } }, body: { reason } }))
        : unwrap(api.POST('/api/v1/policy-violations/{id}/override', { params: { path: { id } }, body: { reason } })),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: ['policy-violations'] })
      void qc.invalidateQueries({ queryKey: ['policy-violation'] })
      void qc.invalidateQueries({ queryKey: ['threads'] })
    },
  })
}
