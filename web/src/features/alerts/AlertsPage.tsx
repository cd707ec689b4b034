import { useState } from 'react'
import { Link, useSearchParams } from 'react-router'
import { Badge, Button, EmptyState, ErrorState, LoadingList, Notice } from '../../components/ui'
import type { AlertView } from '../../lib/api/types'
import { formatDateTime } from '../../lib/format'
import { useSession } from '../../lib/session'
import { useAlertAction, useAlerts, type AlertMove } from './api'
import { alertLink } from './links'

const tone = { critical: 'danger', warning: 'warning', info: 'info' } as const
const severities = ['critical', 'warning', 'info'] as const
const statuses = [
  ['open', 'Open'],
  ['acknowledged', 'Acknowledged'],
  ['resolved', 'Resolved'],
  ['dismissed', 'Dismissed'],
] as const
const severityNames: Record<string, string> = { critical: 'Critical', warning: 'Warning', info: 'Info' }

// Alerts: what needs the owner's attention, most severe first. Each links
// to what it is about; critical ones can only be resolved.
export function AlertsPage() {
  const [params, setParams] = useSearchParams()
  const status = params.get('status') ?? 'open'
  const severity = params.get('severity') ?? ''
  const alerts = useAlerts(status, severity)
  const [notice, setNotice] = useState<{ tone: 'success' | 'danger'; text: string } | null>(null)
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params)
    if (value) next.set(key, value)
    else next.delete(key)
    setParams(next, { replace: true })
  }

  return (
    <main id="main" className="page">
      <div className="page-head">
        <div>
          <h1>Alerts</h1>
          <p className="muted">Problems with deliveries, numbers and setup, most severe first.</p>
        </div>
      </div>
      <div className="toolbar">
        <div className="chips" role="group" aria-label="Status">
          {statuses.map(([value, label]) => (
            <button key={value} type="button" className="chip" aria-pressed={status === value} onClick={() => set('status', value === 'open' ? '' : value)}>
              {label}
            </button>
          ))}
        </div>
        <div className="chips" role="group" aria-label="Severity">
          <button type="button" className="chip" aria-pressed={severity === ''} onClick={() => set('severity', '')}>
            Any severity
          </button>
          {severities.map((s) => (
            <button key={s} type="button" className="chip" aria-pressed={severity === s} onClick={() => set('severity', s)}>
              {severityNames[s]}
            </button>
          ))}
        </div>
      </div>
      <div aria-live="polite">
        {notice && (
          <Notice tone={notice.tone} role={notice.tone === 'danger' ? 'alert' : 'status'} onDismiss={() => setNotice(null)}>
            {notice.text}
          </Notice>
        )}
      </div>
      {alerts.isPending ? (
        <LoadingList label="Loading alerts" rows={3} />
      ) : alerts.isError ? (
        <ErrorState error={alerts.error} onRetry={() => void alerts.refetch()} />
      ) : alerts.data.alerts.length === 0 ? (
        status === 'open' && !severity ? (
          <EmptyState title="No open alerts">Everything is running. Problems with numbers or deliveries show up here.</EmptyState>
        ) : (
          <EmptyState title="No alerts here">No {severity ? `${severityNames[severity]?.toLowerCase()} ` : ''}alert is {status}.</EmptyState>
        )
      ) : (
        <ul className="cards" aria-label="Alerts">
          {alerts.data.alerts.map((a) => (
            <AlertCard key={a.id} a={a} onDone={setNotice} />
          ))}
        </ul>
      )}
    </main>
  )
}

const done: Record<AlertMove, string> = { acknowledge: 'acknowledged', resolve: 'resolved', dismiss: 'dismissed' }

function AlertCard({ a, onDone }: { a: AlertView; onDone: (n: { tone: 'success' | 'danger'; text: string }) => void }) {
  const { timeZone } = useSession()
  const act = useAlertAction()
  const link = alertLink(a)
  const closed = a.status === 'resolved' || a.status === 'dismissed'
  const critical = a.severity === 'critical'
  const move = (m: AlertMove) =>
    act.mutate(
      { id: a.id, move: m },
      {
        onSuccess: () => onDone({ tone: 'success', text: `“${a.title}” was ${done[m]}.` }),
        onError: (e) => onDone({ tone: 'danger', text: e instanceof Error ? e.message : 'That did not work.' }),
      },
    )
  const hintId = `dismiss-hint-${a.id}`
  return (
    <li className={`card alert-card alert-${a.severity}`} data-testid="alert">
      <p className="row">
        <Badge tone={tone[a.severity as keyof typeof tone] ?? 'neutral'}>{severityNames[a.severity] ?? a.severity}</Badge>
        <strong>{a.title}</strong>
        {a.status !== 'open' && <Badge>{a.status}</Badge>}
      </p>
      <p>{a.detail}</p>
      <p className="muted small">
        Raised {formatDateTime(a.createdAt, timeZone)}
        {a.closedAt && ` · ${a.status} ${formatDateTime(a.closedAt, timeZone)}`}
      </p>
      {(link || !closed) && (
        <div className="alert-actions">
          {link && <Link to={link.to}>{link.label}</Link>}
          {!closed && (
            <>
              {a.status === 'open' && (
                <Button onClick={() => move('acknowledge')} disabled={act.isPending}>
                  Acknowledge
                </Button>
              )}
              <Button variant="primary" onClick={() => move('resolve')} disabled={act.isPending}>
                Resolve
              </Button>
              <Button onClick={() => move('dismiss')} disabled={act.isPending || critical} aria-describedby={critical ? hintId : undefined}>
                Dismiss
              </Button>
              {critical && (
                <span id={hintId} className="muted small">
                  A critical alert can't be dismissed: resolve it once the problem is fixed.
                </span>
              )}
            </>
          )}
        </div>
      )}
    </li>
  )
}
