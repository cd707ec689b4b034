import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query'
import { api, unwrap, unwrapJSON } from '../../lib/api/client'

// The dead-letter list: outbound texts that could not be delivered, kept
// until the owner sends them again or discards them.

export function useDeadLetters() {
  return useInfiniteQuery({
    queryKey: ['dead-letters'],
    queryFn: ({ pageParam, signal }) => unwrapJSON(api.GET('/api/v1/ops/dead-letters', { params: { query: { cursor: pageParam, limit: 50 } }, signal })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor || undefined,
    refetchInterval: 10_000,
  })
}

export function useRetryDeadLetter() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/api/v1/ops/dead-letters/{id}/retry', { params: { path: { id } } })),
    onSettled: () => void qc.invalidateQueries({ queryKey: ['dead-letters'] }),
  })
}

export function useDiscardDeadLetter() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) =>
      unwrap(api.POST('/api/v1/ops/dead-letters/{id}/discard', { params: { path: { id } }, body: { reason } })),
    onSettled: () => void qc.invalidateQueries({ queryKey: ['dead-letters'] }),
  })
}
