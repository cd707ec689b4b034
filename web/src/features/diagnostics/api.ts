import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '../../lib/api/client'
import { sessionKey } from '../../lib/session'

// The owner's diagnostics switch. Whether it is on comes with the session
// (/auth/me); every view that shows provider details reloads after a change.
export function useSetDiagnostics() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (enabled: boolean) => unwrap(api.PUT('/api/v1/settings/diagnostics', { body: { enabled } })),
    onSettled: async () => {
      await qc.invalidateQueries({ queryKey: sessionKey })
      await qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] })
    },
  })
}
