import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '../../lib/api/client'
import type { components } from '../../lib/api/schema'
import type { WindowQuery } from './filters'

// Assignment windows over the generated API client. Keys: ['windows', ...]
// for every window read (a change refreshes them all), the sitters and
// clients for the pickers. A window's status moves on its own (its
// workflow starts and ends it), so the reads poll while the tab is shown.

export type AssignmentWindow = components['schemas']['WindowView']
export type WindowConflict = components['schemas']['WindowConflictView']
export type WindowImpact = components['schemas']['WindowImpactView']
export type Sitter = components['schemas']['SitterView']
export type ClientItem = components['schemas']['ClientView']

const poll = 5000

export function useSitters() {
  return useQuery({
    queryKey: ['sitters'],
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/sitters', { signal })),
    staleTime: 30_000,
  })
}

/** The client book's current clients, for the client picker (the first 200 by name). */
export function useClientOptions() {
  return useQuery({
    queryKey: ['clients', 'window-picker'],
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/clients', { params: { query: { limit: 200 } }, signal })),
    staleTime: 30_000,
  })
}

/** Every window that touches [from, to), cancelled ones too: the calendar's week. */
export function useWeekWindows(from: string, to: string) {
  return useQuery({
    queryKey: ['windows', 'week', from, to],
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/windows', { params: { query: { from, to, includeCancelled: true, limit: 500 } }, signal })),
    placeholderData: keepPreviousData,
    refetchInterval: poll,
  })
}

export function useWindowList(query: WindowQuery) {
  return useInfiniteQuery({
    queryKey: ['windows', 'list', query],
    queryFn: ({ pageParam, signal }) => unwrap(api.GET('/api/v1/windows', { params: { query: { ...query, cursor: pageParam, limit: 50 } }, signal })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor || undefined,
    placeholderData: keepPreviousData,
    refetchInterval: poll,
  })
}

export function useWindow(id: string) {
  return useQuery({
    queryKey: ['windows', 'one', id],
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/windows/{id}', { params: { path: { id } }, signal })),
    enabled: id !== '',
    refetchInterval: poll,
  })
}

export function useConflicts() {
  return useQuery({
    queryKey: ['windows', 'conflicts'],
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/windows/conflicts', { signal })),
    refetchInterval: poll * 2,
  })
}

/** What cancelling would change (and, for a running window, the token that confirms it). Always fresh. */
export function useImpact(id: string | null) {
  return useQuery({
    queryKey: ['windows', 'impact', id],
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/windows/{id}/impact', { params: { path: { id: id! } }, signal })),
    enabled: !!id,
    staleTime: 0,
    gcTime: 0,
  })
}

function useWindowMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: fn,
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: ['windows'] })
      // A sitter's count of windows and a client's schedule change too.
      void qc.invalidateQueries({ queryKey: ['sitters'] })
    },
  })
}

export interface WindowDraft {
  sitterId: string
  clientId: string
  startsAt: string
  endsAt: string
  note: string
  notifyClient: boolean
}

export function useCreateWindow() {
  return useWindowMutation((body: WindowDraft) => unwrap(api.POST('/api/v1/windows', { body })))
}

export interface WindowChange {
  id: string
  sitterId?: string
  startsAt?: string
  endsAt?: string
  note?: string
  notifyClient?: boolean
}

export function useEditWindow() {
  return useWindowMutation(({ id, ...body }: WindowChange) => unwrap(api.PATCH('/api/v1/windows/{id}', { params: { path: { id } }, body })))
}

export function useCancelWindow() {
  return useWindowMutation(({ id, confirmToken }: { id: string; confirmToken?: string }) =>
    unwrap(api.DELETE('/api/v1/windows/{id}', { params: { path: { id }, query: confirmToken ? { confirmToken } : {} } })),
  )
}
