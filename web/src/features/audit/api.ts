import { useInfiniteQuery, useQuery } from '@tanstack/react-query'
import { api, unwrap, unwrapJSON } from '../../lib/api/client'
import { auditQuery, type AuditFilters } from './filters'

export function useAuditEvents(f: AuditFilters) {
  const query = auditQuery(f)
  return useInfiniteQuery({
    queryKey: ['audit', query],
    queryFn: ({ pageParam, signal }) => unwrapJSON(api.GET('/api/v1/audit', { params: { query: { ...query, cursor: pageParam, limit: 50 } }, signal })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor || undefined,
    placeholderData: (prev) => prev,
  })
}

/** The org's people by user ID, to name the actor of each event. */
export function useMembers() {
  return useQuery({
    queryKey: ['audit-members'],
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/team/members', { signal })),
    staleTime: 60_000,
  })
}

/** The conversation a thread filter names, to show its client rather than an ID. */
export function useThreadName(id: string) {
  return useQuery({
    queryKey: ['audit-thread', id],
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/threads/{id}', { params: { path: { id } }, signal })),
    enabled: id !== '',
    staleTime: 60_000,
  })
}

/** The org's numbers, for the number filter. */
export function useNumbers() {
  return useQuery({
    queryKey: ['audit-numbers'],
    queryFn: ({ signal }) => unwrapJSON(api.GET('/api/v1/numbers', { params: { query: { limit: 200 } }, signal })),
    staleTime: 60_000,
  })
}
