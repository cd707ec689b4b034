import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '../../lib/api/client'
import { useSession } from '../../lib/session'

export interface Badges {
  unreadThreads: number
  openAlerts: number
}

// The navigation's badges, refreshed with the inbox's 5 s poll while the
// tab is visible.
export function useBadges(enabled: boolean) {
  return useQuery({
    queryKey: ['badges'],
    enabled,
    refetchInterval: 5000,
    queryFn: async (): Promise<Badges> => {
      const [threads, alerts] = await Promise.all([
        unwrap(api.GET('/api/v1/threads', { params: { query: { unread: true, limit: 100 } } })),
        unwrap(api.GET('/api/v1/alerts', { params: { query: { status: 'open', limit: 100 } } })),
      ])
      return { unreadThreads: threads.threads.length, openAlerts: alerts.alerts.length }
    },
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
