import { useQuery } from '@tanstack/react-query'
import { Badge, EmptyState, ErrorState, LoadingList } from '../../components/ui'
import { api, unwrap } from '../../lib/api/client'
import { formatDateTime } from '../../lib/format'
import { useSession } from '../../lib/session'

const tone = { critical: 'danger', warning: 'warning', info: 'info' } as const

// Open alerts: what needs the owner's attention.
export function AlertsPage() {
  const { timeZone } = useSession()
  const alerts = useQuery({
    queryKey: ['alerts', 'open'],
    queryFn: () => unwrap(api.GET('/api/v1/alerts', { params: { query: { status: 'open' } } })),
    refetchInterval: 5000,
  })
  return (
    <main id="main" className="page">
      <h1>Alerts</h1>
      {alerts.isPending ? (
        <LoadingList label="Loading alerts" rows={3} />
      ) : alerts.isError ? (
        <ErrorState error={alerts.error} onRetry={() => void alerts.refetch()} />
      ) : alerts.data.alerts.length === 0 ? (
        <EmptyState title="No open alerts">Everything is running. Problems with numbers or deliveries show up here.</EmptyState>
      ) : (
        <ul className="cards">
          {alerts.data.alerts.map((a) => (
            <li key={a.id} className="card">
              <p className="row">
                <Badge tone={tone[a.severity as keyof typeof tone] ?? 'neutral'}>{a.severity}</Badge>
                <strong>{a.title}</strong>
              </p>
              <p>{a.detail}</p>
              <p className="muted small">{formatDateTime(a.createdAt, timeZone)}</p>
            </li>
          ))}
        </ul>
      )}
    </main>
  )
}
