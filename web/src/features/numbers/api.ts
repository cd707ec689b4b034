import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import { api, unwrap, unwrapJSON } from '../../lib/api/client'
import { numberQuery, type NumberFilters } from './filters'
import type {
  BulkOutcomeView,
  ConfirmationView,
  ImportView,
  NumberResult,
  ProvisionView,
  QuarantinePreviewView,
  QuarantineStartedView,
  QuarantineStatusView,
} from './types'

// The number inventory and its guarded actions. A destructive action is
// called twice: first without a confirmToken (the API answers its impact
// and the token), then with it.

const keys = {
  all: ['numbers'] as const,
  list: (f: NumberFilters) => ['numbers', 'list', numberQuery(f)] as const,
  detail: (id: string) => ['numbers', 'detail', id] as const,
  quarantine: (id: string) => ['numbers', 'quarantine', id] as const,
}

/** Every number the filters match (the inventory is small: all pages are read). */
export function useNumbers(f: NumberFilters) {
  const q = useInfiniteQuery({
    queryKey: keys.list(f),
    queryFn: ({ pageParam, signal }) =>
      unwrapJSON(api.GET('/api/v1/numbers', { params: { query: { ...numberQuery(f), cursor: pageParam, limit: 200 } }, signal })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor || undefined,
    placeholderData: keepPreviousData,
    refetchInterval: 15_000,
  })
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = q
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage()
  }, [hasNextPage, isFetchingNextPage, fetchNextPage])
  return q
}

export function useNumber(id: string) {
  return useQuery({
    queryKey: keys.detail(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/numbers/{id}', { params: { path: { id } }, signal })),
    refetchInterval: 10_000,
  })
}

/** The number's latest quarantine; polled quickly while it is starting or ending. */
export function useQuarantineStatus(id: string, waiting: (s: QuarantineStatusView | undefined) => boolean) {
  return useQuery({
    queryKey: keys.quarantine(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/numbers/{id}/quarantine', { params: { path: { id } }, signal })) as Promise<QuarantineStatusView>,
    refetchInterval: (query) => (waiting(query.state.data) ? 1000 : 15_000),
  })
}

export function useSitterChoices() {
  return useQuery({
    queryKey: ['sitters'],
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/sitters', { signal })),
    select: (d) => d.sitters.filter((s) => s.active),
  })
}

function useNumbersMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient()
  return useMutation({ mutationFn: fn, onSettled: () => void qc.invalidateQueries({ queryKey: keys.all }) })
}

export interface Assignment {
  to: 'sitter' | 'pool' | 'front_desk'
  sitterId?: string
}

export function useAssignNumber() {
  return useNumbersMutation(({ id, a }: { id: string; a: Assignment }) =>
    unwrap(api.POST('/api/v1/numbers/{id}/assign', { params: { path: { id } }, body: a })),
  )
}

/** Release: without a token, the impact and the token; with it, the release. */
export function useReleaseNumber() {
  return useNumbersMutation(
    ({ id, confirmToken }: { id: string; confirmToken?: string }) =>
      unwrap(api.POST('/api/v1/numbers/{id}/release', { params: { path: { id } }, body: confirmToken ? { confirmToken } : {} })) as Promise<
        ConfirmationView | NumberResult | { status: string }
      >,
  )
}

export function useQuarantinePreview(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ['numbers', 'quarantine-preview', id],
    enabled,
    staleTime: 0,
    gcTime: 0,
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/numbers/{id}/quarantine-preview', { params: { path: { id } }, signal })) as Promise<QuarantinePreviewView>,
  })
}

export interface QuarantineChoices {
  notifyClients: boolean
  cooldownDays: number
  endAction: 'return_to_pool' | 'release'
  reason: string
}

export function useQuarantine() {
  return useNumbersMutation(
    ({ id, token, c }: { id: string; token: string; c: QuarantineChoices }) =>
      unwrap(api.POST('/api/v1/numbers/{id}/quarantine', { params: { path: { id } }, body: { ...c, confirmToken: token } })) as Promise<QuarantineStartedView>,
  )
}

export function useRestore() {
  return useNumbersMutation(({ id, reason }: { id: string; reason: string }) =>
    unwrap(api.POST('/api/v1/numbers/{id}/quarantine/restore', { params: { path: { id } }, body: { reason } })),
  )
}

export function useReleaseNow() {
  return useNumbersMutation(
    ({ id, confirmToken }: { id: string; confirmToken?: string }) =>
      unwrap(api.POST('/api/v1/numbers/{id}/quarantine/release-now', { params: { path: { id } }, body: confirmToken ? { confirmToken } : {} })) as Promise<
        ConfirmationView | { quarantine: unknown } | { status: string }
      >,
  )
}

export function useBulkAssign() {
  return useNumbersMutation(
    ({ ids, a }: { ids: string[]; a: Assignment }) => unwrap(api.POST('/api/v1/numbers/bulk/assign', { body: { ids, ...a } })) as Promise<BulkOutcomeView>,
  )
}

export function useBulkRelease() {
  return useNumbersMutation(
    ({ ids, confirmToken }: { ids: string[]; confirmToken?: string }) =>
      unwrap(api.POST('/api/v1/numbers/bulk/release', { body: { ids, confirmToken } })) as Promise<ConfirmationView | BulkOutcomeView>,
  )
}

export function useBulkQuarantine() {
  return useNumbersMutation(
    ({ ids, confirmToken, notifyClients }: { ids: string[]; confirmToken?: string; notifyClients: boolean }) =>
      unwrap(api.POST('/api/v1/numbers/bulk/quarantine', { body: { ids, confirmToken, notifyClients } })) as Promise<ConfirmationView | BulkOutcomeView>,
  )
}

export interface SearchQuery {
  areaCode?: string
  region?: string
}

export function useSearchForSale(q: SearchQuery | null) {
  return useQuery({
    queryKey: ['numbers', 'available', q],
    enabled: q !== null,
    staleTime: 60_000,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/numbers/available', { params: { query: { ...q, limit: '10' } }, signal })),
  })
}

export interface ProvisionItem {
  e164: string
  class: 'front_desk' | 'sitter' | 'pool'
  sitterId?: string
  friendlyName?: string
}

/** Buy or import: one requestId per attempt makes a retry of the same click safe. */
export function useProvision(action: 'buy' | 'import') {
  return useNumbersMutation(({ requestId, items }: { requestId: string; items: ProvisionItem[] }) =>
    action === 'buy'
      ? (unwrap(api.POST('/api/v1/numbers/buy', { body: { requestId, items } })) as Promise<ProvisionView | { status: string; requestId: string }>)
      : (unwrap(api.POST('/api/v1/numbers/import', { body: { requestId, items } })) as Promise<ProvisionView | { status: string; requestId: string }>),
  )
}

export function useImportNumbersCSV() {
  return useNumbersMutation(
    ({ csv, requestId }: { csv: string; requestId: string }) =>
      unwrap(
        api.POST('/api/v1/numbers/bulk/import', {
          params: { query: { requestId } },
          body: csv as never,
          bodySerializer: (b: string) => b,
          headers: { 'Content-Type': 'text/csv' },
        }),
      ) as Promise<ImportView>,
  )
}

/** A confirmation answer (the first call of a destructive action), as opposed to its outcome. */
export function isConfirmation(v: unknown): v is ConfirmationView {
  return typeof v === 'object' && v !== null && 'confirmToken' in v && typeof (v as ConfirmationView).confirmToken === 'string'
}
