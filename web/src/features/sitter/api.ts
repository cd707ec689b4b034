import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type InfiniteData } from '@tanstack/react-query'
import { api, unwrap } from '../../lib/api/client'
import type { SitterMessagePage, SitterThreadMessageView } from '../../lib/api/types'

// The sitter's own API: only their active conversations, and no phone
// number of anyone in any answer.

export function useSitterThreads() {
  return useInfiniteQuery({
    queryKey: ['sitter-threads'],
    queryFn: ({ pageParam, signal }) => unwrap(api.GET('/api/v1/sitter/threads', { params: { query: { cursor: pageParam, limit: 50 } }, signal })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor || undefined,
    refetchInterval: 5000,
  })
}

export function useSitterThread(id: string) {
  return useQuery({
    queryKey: ['sitter-thread', id],
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/sitter/threads/{id}', { params: { path: { id } }, signal })),
    refetchInterval: (q) => (q.state.error ? false : 5000),
    retry: (n, e) => !(e as { notFound?: boolean }).notFound && n < 2,
  })
}

type Data = InfiniteData<SitterMessagePage, unknown>

export function useSitterMessages(id: string) {
  return useInfiniteQuery({
    queryKey: ['sitter-messages', id],
    queryFn: ({ pageParam, signal }) =>
      unwrap(api.GET('/api/v1/sitter/threads/{id}/messages', { params: { path: { id }, query: { cursor: pageParam, limit: 50 } }, signal })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor || undefined,
    refetchInterval: (q) => (q.state.error ? false : 3000),
  })
}

export function allSitterMessages(d: Data | undefined): SitterThreadMessageView[] {
  return d ? [...d.pages].reverse().flatMap((p) => p.messages) : []
}

export function useSitterMarkRead(id: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/sitter/threads/{id}/read', { params: { path: { id } } })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['sitter-threads'] }),
  })
}

export function useSitterSend(id: string) {
  const qc = useQueryClient()
  const key = ['sitter-messages', id]
  return useMutation({
    mutationFn: (body: string) => unwrap(api.POST('/api/v1/sitter/threads/{id}/messages', { params: { path: { id } }, body: { body, mediaUrls: [] } })),
    onMutate: async (body) => {
      await qc.cancelQueries({ queryKey: key })
      const before = qc.getQueryData<Data>(key)
      const m: SitterThreadMessageView & { optimistic: true } = {
        id: `optimistic-${Date.now()}`, direction: 'outbound', senderType: 'sitter', senderName: '', mine: true,
        createdAt: new Date().toISOString(), body, media: [], status: 'pending', failureReason: '', optimistic: true,
      }
      if (before && before.pages.length > 0) {
        const [newest, ...older] = before.pages as [SitterMessagePage, ...SitterMessagePage[]]
        qc.setQueryData<Data>(key, { ...before, pages: [{ ...newest, messages: [...newest.messages, m] }, ...older] })
      }
      return { before }
    },
    onError: (_e, _b, ctx) => qc.setQueryData(key, ctx?.before),
    onSettled: () => void qc.invalidateQueries({ queryKey: key }),
  })
}
