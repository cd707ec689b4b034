import { useState } from 'react'
import { Link, useParams } from 'react-router'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { fieldErrors, formError } from '../../components/FormField'
import { Badge, Button, EmptyState, ErrorState, Notice, Skeleton } from '../../components/ui'
import { ApiError } from '../../lib/api/http'
import { formatCount, formatDateTime } from '../../lib/format'
import { useSession } from '../../lib/session'
import { isConfirmation, useAssignNumber, useNumber, useReleaseNumber, type Assignment } from './api'
import { AssignFields, ClassLabel, HealthBadge, ImpactList, StatusBadge } from './pieces'
import { QuarantinePanel } from './QuarantinePanel'
import type { ConfirmationView, NumberDetailView } from './types'
import { eventWords } from './words'

// One number (/numbers/:id): who it serves, its conversations, what
// happened to it, its recent delivery errors and any cooldown, with its
// actions.
export function NumberDetailPage() {
  const { id = '' } = useParams()
  const q = useNumber(id)
  return (
    <main id="main" className="page page-wide">
      <Link to="/numbers" className="crumb">
        ← Numbers
      </Link>
      {q.isPending ? (
        <div role="status" aria-label="Loading the number">
          <Skeleton lines={6} />
        </div>
      ) : q.isError ? (
        q.error instanceof ApiError && q.error.notFound ? (
          <EmptyState title="This number isn't in your inventory" action={<Link to="/numbers">See every number</Link>} />
        ) : (
          <ErrorState title="The number didn't load" error={q.error} onRetry={() => void q.refetch()} />
        )
      ) : (
        <NumberDetail d={q.data} />
      )}
    </main>
  )
}

function NumberDetail({ d }: { d: NumberDetailView }) {
  const { timeZone } = useSession()
  const n = d.number
  return (
    <>
      <div className="page-head">
        <div>
          <h1 data-testid="number-title">{n.display}</h1>
          <div className="row">
            {n.friendlyName && <span className="muted">{n.friendlyName}</span>}
            <Badge>
              <ClassLabel c={n.class} />
            </Badge>
            <StatusBadge status={n.status} />
            <HealthBadge health={n.health} />
          </div>
        </div>
      </div>

      <div className="number-grid">
        <section className="card" aria-labelledby="number-facts">
          <h2 id="number-facts">At a glance</h2>
          <dl className="facts">
            <dt>Assigned to</dt>
            <dd data-testid="assigned-to">{n.assignedTo.label}</dd>
            <dt>Conversations</dt>
            <dd>
              {n.threads} ({n.activeThreads} active)
            </dd>
            <dt>Texts in 7 days</dt>
            <dd>{formatCount(n.volume7d)}</dd>
            <dt>Last used</dt>
            <dd>{n.lastUsedAt ? formatDateTime(n.lastUsedAt, timeZone) : 'Never'}</dd>
            <dt>Webhook</dt>
            <dd>{n.webhookStatus ? n.webhookStatus.charAt(0).toUpperCase() + n.webhookStatus.slice(1).replace(/_/g, ' ') : 'Unknown'}</dd>
            {n.monthlyCost && (
              <>
                <dt>Monthly cost</dt>
                <dd>${n.monthlyCost}</dd>
              </>
            )}
            <dt>Added</dt>
            <dd>{formatDateTime(n.createdAt, timeZone)}</dd>
          </dl>
        </section>
        <Actions d={d} />
      </div>

      <QuarantinePanel d={d} />

      <section className="card" aria-labelledby="number-threads">
        <h2 id="number-threads">Current conversations</h2>
        {d.threads.length === 0 ? (
          <p className="muted">No conversation is on this number.</p>
        ) : (
          <ul className="plain client-threads" data-testid="number-threads">
            {d.threads.map((t) => (
              <li key={t.threadId}>
                <Link to={`/inbox/${t.threadId}`} className="client-thread">
                  <span className="row row-between">
                    <strong>{t.clientName}</strong>
                    <span className="muted small">{formatDateTime(t.lastMessageAt, timeZone)}</span>
                  </span>
                  <span className="muted small">
                    {t.sitterName ? `With ${t.sitterName}` : 'Front desk'}
                    {t.active ? ' · active' : ''}
                    {t.clientOptedOut ? ' · opted out' : ''}
                  </span>
                  {t.lastMessagePreview && <span className="cell-clip">{t.lastMessagePreview}</span>}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>

      <div className="number-grid">
        <section className="card" aria-labelledby="number-history">
          <h2 id="number-history">Assignment history</h2>
          {d.history.length === 0 ? (
            <p className="muted">Nothing has changed on this number yet.</p>
          ) : (
            <ol className="plain history" data-testid="number-history">
              {d.history.map((e) => (
                <li key={e.id}>
                  <strong>{eventWords(e.kind)}</strong> <span className="muted small">{formatDateTime(e.at, timeZone)}</span>
                  {e.detail && <div className="small">{e.detail}</div>}
                </li>
              ))}
            </ol>
          )}
        </section>
        <section className="card" aria-labelledby="number-errors">
          <h2 id="number-errors">Recent delivery errors</h2>
          {d.deliveryErrors.length === 0 ? (
            <p className="muted">No failed texts from this number.</p>
          ) : (
            <ul className="plain" data-testid="number-errors">
              {d.deliveryErrors.map((e) => (
                <li key={`${e.messageId}-${e.at}`}>
                  <Link to={`/inbox/${e.threadId}`}>{e.clientName}</Link> <span className="muted small">{formatDateTime(e.at, timeZone)}</span>
                  <div className="small">{e.reason}</div>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </>
  )
}

/** Assign and release. Release shows what it would change and asks first. */
function Actions({ d }: { d: NumberDetailView }) {
  const n = d.number
  const initial: Assignment =
    n.class === 'sitter' && n.assignedTo.sitterId ? { to: 'sitter', sitterId: n.assignedTo.sitterId } : { to: n.class === 'front_desk' ? 'front_desk' : 'pool' }
  const [assignment, setAssignment] = useState<Assignment>(initial)
  const [notice, setNotice] = useState<{ tone: 'success' | 'danger'; text: string } | null>(null)
  const assign = useAssignNumber()
  const release = useReleaseNumber()
  const [confirmation, setConfirmation] = useState<ConfirmationView | null>(null)
  const [releaseError, setReleaseError] = useState<unknown>(null)
  const active = n.status === 'active'
  const releasable = n.status === 'active' || n.status === 'inactive'

  const startRelease = () => {
    setReleaseError(null)
    release.mutate(
      { id: n.id },
      {
        onSuccess: (r) => (isConfirmation(r) ? setConfirmation(r) : undefined),
        onError: (e) => setNotice({ tone: 'danger', text: e instanceof Error ? e.message : 'The number cannot be released.' }),
      },
    )
  }
  const confirmRelease = () =>
    confirmation &&
    release.mutate(
      { id: n.id, confirmToken: confirmation.confirmToken },
      {
        onSuccess: (r) => {
          if (isConfirmation(r)) return setConfirmation(r)
          setConfirmation(null)
          setNotice({ tone: 'success', text: 'status' in r ? `Releasing ${n.display}…` : `${n.display} was released.` })
        },
        onError: setReleaseError,
      },
    )

  return (
    <section className="card" aria-labelledby="number-actions">
      <h2 id="number-actions">Actions</h2>
      <div aria-live="polite">
        {notice && (
          <Notice tone={notice.tone} role={notice.tone === 'danger' ? 'alert' : 'status'} onDismiss={() => setNotice(null)}>
            {notice.text}
          </Notice>
        )}
      </div>
      {active ? (
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault()
            setNotice(null)
            assign.mutate(
              { id: n.id, a: assignment },
              {
                onSuccess: (r) => setNotice({ tone: 'success', text: `${n.display} is now assigned to ${assignedWords(r.number.assignedTo)}.` }),
              },
            )
          }}
        >
          <AssignFields value={assignment} onChange={setAssignment} errors={fieldErrors(assign.error)} />
          {assign.error != null && (
            <p className="field-error" role="alert">
              {formError(assign.error, ['to', 'sitterId'])}
            </p>
          )}
          <div>
            <Button type="submit" variant="primary" disabled={assign.isPending} busy={assign.isPending}>
              Assign
            </Button>
          </div>
        </form>
      ) : (
        <p className="muted">{n.status === 'quarantined' ? 'A quarantined number cannot be reassigned until its cooldown ends.' : 'This number is no longer in service.'}</p>
      )}
      {releasable && (
        <div className="row action-row">
          <Button variant="danger" onClick={startRelease} disabled={release.isPending} busy={release.isPending && !confirmation}>
            Release…
          </Button>
          <span className="muted small">Gives the number back to Twilio. Its conversations move first.</span>
        </div>
      )}
      <ConfirmDialog
        open={confirmation !== null}
        title={`Release ${n.display}?`}
        confirmLabel="Release"
        tone="danger"
        busy={release.isPending}
        onConfirm={confirmRelease}
        onCancel={() => setConfirmation(null)}
      >
        {confirmation && (
          <>
            <p>{confirmation.message}</p>
            <ImpactList impact={confirmation.impact} />
            <p className="muted small">Once released, the number may go to someone else; this cannot be undone.</p>
          </>
        )}
        {releaseError != null && (
          <p className="field-error" role="alert">
            {releaseError instanceof Error ? releaseError.message : 'The release failed.'}
          </p>
        )}
      </ConfirmDialog>
    </section>
  )
}

function assignedWords(a: NumberDetailView['number']['assignedTo']): string {
  if (a.kind === 'sitter') return a.sitterName || 'a sitter'
  if (a.kind === 'front_desk') return 'the front desk'
  return 'the pool'
}
