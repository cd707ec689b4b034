import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '../../lib/api/client'

export function useDiagnostics() {
  return useQuery({
    queryKey: ['setup'],
    queryFn: () => unwrap(api.GET('/api/v1/setup')),
    select: (s) => s.diagnostics,
  })
}

export function useSetDiagnostics() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (enabled: boolean) => unwrap(api.POST('/api/v1/setup/diagnostics', { body: { enabled } })),
    onSuccess: (s) => qc.setQueryData(['setup'], s),
    // Every view that shows provider details reloads with the new setting.
    onSettled: () => void qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'setup' }),
  })
}
