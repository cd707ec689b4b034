import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '../../lib/api/client'
import { useSession } from '../../lib/session'

// The navigation's badges (unread threads, open alerts; a sitter's own
// unread conversations), refreshed every 5 s while the tab is visible.
export function useBadges() {
  return useQuery({
    queryKey: ['badges'],
    refetchInterval: 5000,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/inbox/counts', { signal })),
  })
}

export function useSignOut() {
  const qc = useQueryClient()
  const { setSession } = useSession()
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/auth/logout')),
    onSettled: () => {
      setSession(null, 'You have signed out.')
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'session' })
    },
  })
}
