import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '../../lib/api/client'

export type AlertMove = 'acknowledge' | 'resolve' | 'dismiss'

export function useAlerts(status: string, severity: string) {
  return useQuery({
    queryKey: ['alerts', status, severity],
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/alerts', { params: { query: { status, severity: severity || undefined, limit: 200 } }, signal })),
    refetchInterval: 5000,
    placeholderData: (prev) => prev,
  })
}

export function useAlertAction() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ id, move }: { id: string; move: AlertMove }) => {
      const params = { params: { path: { id } } }
      switch (move) {
        case 'acknowledge':
          return unwrap(api.POST('/api/v1/alerts/{id}/acknowledge', params))
        case 'resolve':
          return unwrap(api.POST('/api/v1/alerts/{id}/resolve', params))
        case 'dismiss':
          return unwrap(api.POST('/api/v1/alerts/{id}/dismiss', params))
      }
    },
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: ['alerts'] })
      void qc.invalidateQueries({ queryKey: ['badges'] })
    },
  })
}
