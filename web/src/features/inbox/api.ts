import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '../../lib/api/client'
import type { MessagePage, ThreadDetailView } from '../../lib/api/types'
import type { ThreadQuery } from './filters'
import { optimisticMessage, withMessage, type MessagesData } from './optimistic'

// Polling follows the product's rule: the thread list every 5 s and an
// open conversation every 3 s, and only while the tab is visible
// (TanStack Query pauses intervals in the background).
export const THREADS_POLL_MS = 5000
export const MESSAGES_POLL_MS = 3000

export function useSitters() {
  return useQuery({
    queryKey: ['sitters'],
    queryFn: () => unwrap(api.GET('/api/v1/sitters')),
    select: (d) => d.sitters,
    staleTime: 60_000,
  })
}

export function useThreads(query: ThreadQuery) {
  return useInfiniteQuery({
    queryKey: ['threads', query],
    queryFn: ({ pageParam, signal }) => unwrap(api.GET('/api/v1/threads', { params: { query: { ...query, cursor: pageParam, limit: 30 } }, signal })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor || undefined,
    refetchInterval: THREADS_POLL_MS,
    placeholderData: keepPreviousData,
  })
}

export function useThread(id: string) {
  return useQuery({
    queryKey: ['thread', id],
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/threads/{id}', { params: { path: { id } }, signal })),
    refetchInterval: (q) => (q.state.error ? false : THREADS_POLL_MS),
    retry: (n, e) => !(e as { notFound?: boolean }).notFound && n < 2,
  })
}

export function messagesKey(threadId: string) {
  return ['messages', threadId] as const
}

export function useMessages(threadId: string, enabled = true) {
  return useInfiniteQuery({
    queryKey: messagesKey(threadId),
    enabled,
    queryFn: ({ pageParam, signal }) =>
      unwrap(api.GET('/api/v1/threads/{id}/messages', { params: { path: { id: threadId }, query: { cursor: pageParam, limit: 50 } }, signal })).then((p) => p as MessagePage),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor || undefined,
    refetchInterval: (q) => (q.state.error ? false : MESSAGES_POLL_MS),
  })
}

export function useMarkRead(threadId: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/threads/{id}/read', { params: { path: { id: threadId } } })),
    onSuccess: () => {
      qc.setQueryData<ThreadDetailView>(['thread', threadId], (t) => (t ? { ...t, unread: 0 } : t))
      void qc.invalidateQueries({ queryKey: ['threads'] })
      void qc.invalidateQueries({ queryKey: ['badges'] })
    },
  })
}

/** Send in a thread: the message shows at once and rolls back with the server's reason. */
export function useSendMessage(threadId: string, senderName: string) {
  const qc = useQueryClient()
  const key = messagesKey(threadId)
  return useMutation({
    mutationFn: (body: string) => unwrap(api.POST('/api/v1/threads/{id}/messages', { params: { path: { id: threadId } }, body: { body, mediaUrls: [] } })),
    onMutate: async (body) => {
      await qc.cancelQueries({ queryKey: key })
      const before = qc.getQueryData<MessagesData>(key)
      qc.setQueryData<MessagesData>(key, withMessage(before, optimisticMessage(body, senderName)))
      return { before }
    },
    onError: (_e, _body, ctx) => {
      qc.setQueryData(key, ctx?.before)
    },
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: key })
      void qc.invalidateQueries({ queryKey: ['threads'] })
    },
  })
}

export function useRetryMessage(threadId: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (messageId: string) => unwrap(api.POST('/api/v1/ops/dead-letters/{id}/retry', { params: { path: { id: messageId } } })),
    onSettled: () => void qc.invalidateQueries({ queryKey: messagesKey(threadId) }),
  })
}

export function useThreadViolations(threadId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['violations', threadId],
    enabled,
    queryFn: () => unwrap(api.GET('/api/v1/policy-violations', { params: { query: { thread: threadId } } })),
    select: (d) => d.violations,
  })
}

export function useOverrideViolation(threadId: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (v: { id: string; reason: string }) => unwrap(api.POST('/api/v1/policy-violations/{id}/override', { params: { path: { id: v.id } }, body: { reason: v.reason } })),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: ['violations', threadId] })
      void qc.invalidateQueries({ queryKey: messagesKey(threadId) })
    },
  })
}
