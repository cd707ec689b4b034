import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { call } from '../../lib/api/client'
import type { AlertView, ThreadPage } from '../../lib/api/types'
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
        call<ThreadPage>('GET', '/api/v1/threads', { query: { unread: true, limit: 100 } }),
        call<{ alerts: AlertView[] }>('GET', '/api/v1/alerts', { query: { status: 'open', limit: 100 } }),
      ])
      return { unreadThreads: threads.threads.length, openAlerts: alerts.alerts.length }
    },
  })
}

export function useSignOut() {
  const qc = useQueryClient()
  const { setSession } = useSession()
  return useMutation({
    mutationFn: () => call<void>('POST', '/api/v1/auth/logout'),
    onSettled: () => {
      setSession(null, 'You have signed out.')
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'session' })
    },
  })
}
