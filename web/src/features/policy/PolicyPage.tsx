import { useId, useState } from 'react'
import { Link, useSearchParams } from 'react-router'
import { Drawer } from '../../components/Drawer'
import { fieldErrors } from '../../components/FormField'
import { Badge, Button, EmptyState, ErrorState, LoadingList, Notice, Skeleton } from '../../components/ui'
import { formatDateTime } from '../../lib/format'
import { useSession, useSignedIn } from '../../lib/session'
import { useReview, useViolation, useViolations, type ViolationView } from './api'
import { kindsLabel, overrideProblem, statusFromParams, statusTabs, statusWords } from './words'

// Policy review (/policy): sitter messages the content policy stopped,
// with the redacted excerpt; the owner opens one to read it in full and
// dismisses it or sends it anyway with a reason. Both land in the audit.
export function PolicyPage() {
  const [params, setParams] = useSearchParams()
  const status = statusFromParams(params)
  const list = useViolations(status)
  const items = list.data?.pages.flatMap((p) => p.violations) ?? []
  const [openId, setOpenId] = useState<string | null>(null)
  const [notice, setNotice] = useState<{ tone: 'success' | 'danger'; text: string } | null>(null)

  return (
    <main id="main" className="page page-wide">
      <div className="page-head">
        <div>
          <h1>Policy review</h1>
          <p className="muted">
            Sitter messages stopped before they reached a client, for sharing contact details or asking to talk elsewhere. Decide on each one.
          </p>
        </div>
      </div>
      <div aria-live="polite">
        {notice && (
          <Notice tone={notice.tone} role={notice.tone === 'danger' ? 'alert' : 'status'} onDismiss={() => setNotice(null)}>
            {notice.text}{' '}
            {notice.tone === 'success' && <Link to="/audit?action=policy_violation.">See it in the audit trail</Link>}
          </Notice>
        )}
      </div>
      <div className="tabs chips" role="group" aria-label="Show">
        {statusTabs.map((t) => (
          <button
            key={t.value || 'all'}
            type="button"
            className="chip"
            aria-pressed={status === t.value}
            onClick={() => setParams(t.value === 'open' ? {} : { status: t.value || 'all' }, { replace: true })}
          >
            {t.label}
          </button>
        ))}
      </div>
      {list.isPending ? (
        <LoadingList label="Loading policy violations" rows={3} />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title={status === 'open' ? 'Nothing to review' : 'No violation here'}>
          {status === 'open' ? 'When a sitter message is stopped by the content policy, it waits here for your decision.' : 'Try another tab.'}
        </EmptyState>
      ) : (
        <>
          <ul className="table-list violations" aria-label="Policy violations">
            <li className="table-head" aria-hidden="true">
              <span>Type</span>
              <span>Conversation</span>
              <span>Excerpt</span>
              <span>Status</span>
              <span>Stopped</span>
              <span />
            </li>
            {items.map((v) => (
              <ViolationRow key={v.id} v={v} onOpen={() => setOpenId(v.id)} />
            ))}
          </ul>
          {list.hasNextPage && (
            <div className="load-more">
              <Button onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage} busy={list.isFetchingNextPage}>
                {list.isFetchingNextPage ? 'Loading…' : 'Show older'}
              </Button>
            </div>
          )}
        </>
      )}
      <Drawer open={openId !== null} title="Policy violation" onClose={() => setOpenId(null)}>
        {openId && (
          <ViolationDetail
            id={openId}
            onDone={(text) => {
              setOpenId(null)
              setNotice({ tone: 'success', text })
            }}
          />
        )}
      </Drawer>
    </main>
  )
}

function ViolationRow({ v, onOpen }: { v: ViolationView; onOpen: () => void }) {
  const { timeZone } = useSession()
  const st = statusWords[v.status] ?? { label: v.status, tone: 'neutral' as const }
  return (
    <li className="table-row" data-testid="violation" data-status={v.status}>
      <span className="cell" data-label="Type">
        <strong>{kindsLabel(v.kinds)}</strong>
      </span>
      <span className="cell" data-label="Conversation">
        <Link to={`/inbox/${v.threadId}`}>{v.clientName}</Link>
        <span className="muted small">{v.sitterName ? `From ${v.sitterName}` : 'From a sitter'}</span>
      </span>
      <span className="cell" data-label="Excerpt">
        {v.excerpts.length > 0 ? (
          v.excerpts.map((x, i) => (
            <q key={i} className="excerpt">
              {x.excerpt}
            </q>
          ))
        ) : (
          <span className="muted">No excerpt</span>
        )}
      </span>
      <span className="cell" data-label="Status">
        <Badge tone={st.tone}>{st.label}</Badge>
      </span>
      <span className="cell nowrap" data-label="Stopped">
        {formatDateTime(v.createdAt, timeZone)}
      </span>
      <span className="cell cell-actions">
        <Button onClick={onOpen} aria-label={`Open the violation in ${v.clientName}'s conversation`}>
          {v.status === 'open' ? 'Review' : 'Open'}
        </Button>
      </span>
    </li>
  )
}

function ViolationDetail({ id, onDone }: { id: string; onDone: (text: string) => void }) {
  const q = useViolation(id)
  const { timeZone } = useSession()
  const session = useSignedIn()
  const owner = session.role === 'owner'
  if (q.isPending)
    return (
      <div role="status" aria-label="Loading the violation">
        <Skeleton lines={5} />
      </div>
    )
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />
  const v = q.data
  const st = statusWords[v.status] ?? { label: v.status, tone: 'neutral' as const }
  return (
    <div className="violation-detail" data-testid="violation-detail">
      <dl className="kv">
        <dt>Type</dt>
        <dd>{kindsLabel(v.kinds)}</dd>
        <dt>Conversation</dt>
        <dd>
          <Link to={`/inbox/${v.threadId}`}>{v.clientName}</Link>
        </dd>
        <dt>Sitter</dt>
        <dd>{v.sitterName || 'Unknown'}</dd>
        <dt>Stopped</dt>
        <dd>{formatDateTime(v.createdAt, timeZone)}</dd>
        <dt>Status</dt>
        <dd>
          <Badge tone={st.tone}>{st.label}</Badge>
          {v.reviewedAt && <span className="muted small"> {formatDateTime(v.reviewedAt, timeZone)}</span>}
        </dd>
        {v.reviewReason && (
          <>
            <dt>Reason</dt>
            <dd>{v.reviewReason}</dd>
          </>
        )}
      </dl>
      <h3>Why it was stopped</h3>
      <ul className="excerpts">
        {v.excerpts.map((x, i) => (
          <li key={i}>
            <q>{x.excerpt}</q> — {x.reason}
          </li>
        ))}
      </ul>
      <h3>The message</h3>
      {v.messageBody ? (
        <blockquote className="full-text" data-testid="full-text">
          {v.messageBody}
        </blockquote>
      ) : (
        <p className="muted">Only the owner can read the full message.</p>
      )}
      {owner && v.status === 'open' && <Decide v={v} onDone={onDone} />}
    </div>
  )
}

function Decide({ v, onDone }: { v: ViolationView; onDone: (text: string) => void }) {
  const id = useId()
  const [reason, setReason] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  const dismiss = useReview('dismiss')
  const override = useReview('override')
  const error = dismiss.error ?? override.error
  const apiProblem = fieldErrors(error).reason ?? (error instanceof Error ? error.message : null)
  const shown = problem ?? apiProblem
  const busy = dismiss.isPending || override.isPending
  return (
    <form className="form decide" onSubmit={(e) => e.preventDefault()}>
      <div className="field">
        <label htmlFor={`${id}-reason`}>Reason</label>
        <textarea
          id={`${id}-reason`}
          rows={3}
          maxLength={1000}
          value={reason}
          aria-invalid={shown ? true : undefined}
          aria-describedby={`${id}-hint${shown ? ` ${id}-error` : ''}`}
          onChange={(e) => {
            setReason(e.target.value)
            setProblem(null)
          }}
        />
        <p id={`${id}-hint`} className="field-hint">
          Needed to send it anyway; optional to dismiss. Both are kept in the audit trail.
        </p>
        {shown && (
          <p id={`${id}-error`} className="field-error" role="alert">
            {shown}
          </p>
        )}
      </div>
      <div className="form-actions">
        <Button
          disabled={busy}
          busy={dismiss.isPending}
          onClick={() => dismiss.mutate({ id: v.id, reason: reason.trim() }, { onSuccess: () => onDone(`The message to ${v.clientName} was dismissed: it stays unsent.`) })}
        >
          Dismiss
        </Button>
        <Button
          variant="danger"
          disabled={busy}
          busy={override.isPending}
          onClick={() => {
            const p = overrideProblem(reason)
            setProblem(p)
            if (p) return
            override.mutate({ id: v.id, reason: reason.trim() }, { onSuccess: () => onDone(`The message to ${v.clientName} is being sent, with your reason.`) })
          }}
        >
          Send anyway
        </Button>
      </div>
    </form>
  )
}
