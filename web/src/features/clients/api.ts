import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '../../lib/api/client'
import { clientQuery, type ClientFilters } from './filters'
import type { ClientDetailView, ClientRequest, ImportResultView } from './types'

// The client book over the generated API client. Keys: ['clients', query]
// for list pages, ['client', id] for one client.

export function useClients(filters: ClientFilters, limit = 50) {
  const query = clientQuery(filters)
  return useInfiniteQuery({
    queryKey: ['clients', query, limit],
    queryFn: ({ pageParam, signal }) => unwrap(api.GET('/api/v1/clients', { params: { query: { ...query, cursor: pageParam, limit } }, signal })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor || undefined,
    placeholderData: keepPreviousData,
  })
}

export function useClient(id: string) {
  return useQuery({
    queryKey: ['client', id],
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/clients/{id}', { params: { path: { id } }, signal })),
    retry: (n, e) => !(e as { notFound?: boolean }).notFound && n < 2,
  })
}

function useClientWrite<V>(fn: (v: V) => Promise<ClientDetailView>) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: fn,
    onSuccess: (c) => {
      qc.setQueryData(['client', c.id], c)
      void qc.invalidateQueries({ queryKey: ['clients'] })
    },
  })
}

export function useCreateClient() {
  return useClientWrite((body: ClientRequest) => unwrap(api.POST('/api/v1/clients', { body })))
}

export function useUpdateClient(id: string) {
  return useClientWrite((body: ClientRequest) => unwrap(api.PUT('/api/v1/clients/{id}', { params: { path: { id } }, body })))
}

export function useArchiveClient(id: string) {
  return useClientWrite((archive: boolean) =>
    archive
      ? unwrap(api.POST('/api/v1/clients/{id}/archive', { params: { path: { id } } }))
      : unwrap(api.POST('/api/v1/clients/{id}/restore', { params: { path: { id } } })),
  )
}

export function useSetConsent(id: string) {
  return useClientWrite((status: 'opted_in' | 'opted_out') => unwrap(api.POST('/api/v1/clients/{id}/consent', { params: { path: { id } }, body: { status } })))
}

export function useMergePreview(fromId: string, intoId: string | null) {
  return useQuery({
    queryKey: ['merge-preview', fromId, intoId],
    enabled: !!intoId,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/clients/{id}/merge-preview', { params: { path: { id: fromId }, query: { intoId: intoId! } }, signal })),
    retry: false,
    staleTime: 0,
  })
}

export function useMergeClient(fromId: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (intoId: string) => unwrap(api.POST('/api/v1/clients/{id}/merge', { params: { path: { id: fromId } }, body: { intoId } })),
    onSuccess: (m) => {
      qc.removeQueries({ queryKey: ['client', fromId] })
      qc.setQueryData(['client', m.client.id], m.client)
      void qc.invalidateQueries({ queryKey: ['clients'] })
      void qc.invalidateQueries({ queryKey: ['threads'] })
    },
  })
}

export function useImportClients() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (csv: string): Promise<ImportResultView> =>
      unwrap(api.POST('/api/v1/clients/import', { body: csv, bodySerializer: (b: string) => b, headers: { 'Content-Type': 'text/csv' } })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['clients'] }),
  })
}

/** The business's active numbers, to start a conversation from. */
export function useBusinessNumbers(enabled: boolean) {
  return useQuery({
    queryKey: ['numbers', 'active'],
    enabled,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/numbers', { params: { query: { status: 'active', limit: 200 } }, signal })),
    // The endpoint also answers CSV (?format=csv); this call asks for JSON.
    select: (d) => (typeof d === 'string' ? [] : d.numbers),
    staleTime: 60_000,
  })
}

export function useStartConversation(clientId: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (v: { numberId: string; body: string }) =>
      unwrap(api.POST('/api/v1/clients/{id}/conversations', { params: { path: { id: clientId } }, body: { numberId: v.numberId, body: v.body, mediaUrls: [] } })),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['client', clientId] })
      void qc.invalidateQueries({ queryKey: ['threads'] })
    },
  })
}
