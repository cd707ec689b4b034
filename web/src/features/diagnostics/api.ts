import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { call } from '../../lib/api/client'
import type { SetupView } from '../../lib/api/types'

export function useDiagnostics() {
  return useQuery({
    queryKey: ['setup'],
    queryFn: () => call<SetupView>('GET', '/api/v1/setup'),
    select: (s) => s.diagnostics,
  })
}

export function useSetDiagnostics() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (enabled: boolean) => call<SetupView>('POST', '/api/v1/setup/diagnostics', { body: { enabled } }),
    onSuccess: (s) => qc.setQueryData(['setup'], s),
    // Every view that shows provider details reloads with the new setting.
    onSettled: () => void qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'setup' }),
  })
}
