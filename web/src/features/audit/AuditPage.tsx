import { useId, useState } from 'react'
import { Link, useSearchParams } from 'react-router'
import { Badge, Button, EmptyState, ErrorState, LoadingList, Notice } from '../../components/ui'
import type { AuditEvent } from '../../lib/api/types'
import { useCSVDownload, type DownloadNotice } from '../../lib/download'
import { formatCount, formatDateTime } from '../../lib/format'
import { useSession } from '../../lib/session'
import { useAuditEvents, useMembers, useNumbers, useThreadName } from './api'
import { actionLabel, auditQuery, families, readFilters, writeFilters, type AuditFilters } from './filters'

const exportLimit = 10_000

// The audit trail (/audit, owner only): every change and every refusal,
// newest first, filtered by what, who, which conversation or number, when,
// or one request's whole story (its correlation ID).
export function AuditPage() {
  const { timeZone } = useSession()
  const [params, setParams] = useSearchParams()
  const f = readFilters(params, timeZone ?? 'UTC')
  const events = useAuditEvents(f)
  const members = useMembers()
  const numbers = useNumbers()
  const names = new Map((members.data?.members ?? []).map((m) => [m.userId, m.name]))
  const [notice, setNotice] = useState<DownloadNotice | null>(null)
  const items = events.data?.pages.flatMap((p) => p.events) ?? []
  const filtered = [...writeFilters(f).keys()].length > 0

  const set = (patch: Partial<AuditFilters>) => setParams(writeFilters({ ...f, ...patch }), { replace: true })

  const download = useCSVDownload(setNotice)
  const exportCSV = () =>
    download.run(`/api/v1/audit?${new URLSearchParams({ ...(auditQuery(f) as Record<string, string>), format: 'csv' })}`, 'audit.csv', (r) =>
      r.truncated
        ? { tone: 'info', text: `Downloaded the newest ${formatCount(exportLimit)} events, the most a download holds. Narrow the dates to get older ones.` }
        : { tone: 'success', text: `Downloaded ${formatCount(r.rows)} ${r.rows === 1 ? 'event' : 'events'}.` },
    )

  return (
    <main id="main" className="page page-wide">
      <div className="page-head">
        <div>
          <h1>Audit trail</h1>
          <p className="muted">Everything that changed, who did it and when. Nothing here can be edited or deleted.</p>
        </div>
        <Button onClick={() => void exportCSV()} disabled={download.busy || items.length === 0} busy={download.busy}>
          {download.busy ? 'Preparing…' : 'Export CSV'}
        </Button>
      </div>
      <Filters f={f} set={set} names={[...names]} numbers={(numbers.data?.numbers ?? []).map((n) => [n.id, `${n.display} · ${n.friendlyName || n.class}`])} />
      <ActiveFilters f={f} set={set} names={names} />
      <p className="muted small">Downloads hold at most {formatCount(exportLimit)} events, newest first.</p>
      <div aria-live="polite">
        {notice && (
          <Notice tone={notice.tone} role={notice.tone === 'danger' ? 'alert' : 'status'} onDismiss={() => setNotice(null)}>
            {notice.text}
          </Notice>
        )}
      </div>
      {events.isPending ? (
        <LoadingList label="Loading the audit trail" rows={6} />
      ) : events.isError ? (
        <ErrorState error={events.error} onRetry={() => void events.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState
          title={filtered ? 'No events match' : 'Nothing recorded yet'}
          action={filtered ? <Button onClick={() => setParams(new URLSearchParams(), { replace: true })}>Clear the filters</Button> : undefined}
        >
          {filtered ? 'Try a wider date range or fewer filters.' : 'Sign-ins, messages and every change to the business are recorded here.'}
        </EmptyState>
      ) : (
        <>
          <ol className="timeline" aria-label="Audit events">
            {items.map((e) => (
              <EventItem key={e.id} e={e} actor={names.get(e.actorId)} onCorrelation={(id) => set({ correlationId: id })} />
            ))}
          </ol>
          {events.hasNextPage && (
            <div className="load-more">
              <Button onClick={() => void events.fetchNextPage()} disabled={events.isFetchingNextPage} busy={events.isFetchingNextPage}>
                {events.isFetchingNextPage ? 'Loading…' : 'Show older events'}
              </Button>
            </div>
          )}
        </>
      )}
    </main>
  )
}

function Filters({ f, set, names, numbers }: { f: AuditFilters; set: (p: Partial<AuditFilters>) => void; names: [string, string][]; numbers: [string, string][] }) {
  const id = useId()
  const familyValues = new Set(families.map(([v]) => v))
  return (
    <form className="toolbar" role="search" aria-label="Filter the audit trail" onSubmit={(e) => e.preventDefault()}>
      <div className="field">
        <label htmlFor={`${id}-type`}>Event type</label>
        <select id={`${id}-type`} value={familyValues.has(f.action) || !f.action ? f.action : 'exact'} onChange={(e) => set({ action: e.target.value === 'exact' ? f.action : e.target.value })}>
          <option value="">All events</option>
          {families.map(([v, label]) => (
            <option key={v} value={v}>
              {label}
            </option>
          ))}
          {f.action && !familyValues.has(f.action) && <option value="exact">{actionLabel(f.action)}</option>}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-actor`}>Who</label>
        <select id={`${id}-actor`} value={f.actor} onChange={(e) => set({ actor: e.target.value })}>
          <option value="">Anyone</option>
          {names.map(([userId, name]) => (
            <option key={userId} value={userId}>
              {name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-number`}>Number</label>
        <select id={`${id}-number`} value={f.numberId} onChange={(e) => set({ numberId: e.target.value })}>
          <option value="">Any number</option>
          {numbers.map(([numberId, label]) => (
            <option key={numberId} value={numberId}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div className="field field-narrow">
        <label htmlFor={`${id}-from`}>From</label>
        <input id={`${id}-from`} type="date" value={f.from} max={f.to || undefined} onChange={(e) => set({ from: e.target.value })} />
      </div>
      <div className="field field-narrow">
        <label htmlFor={`${id}-to`}>To</label>
        <input id={`${id}-to`} type="date" value={f.to} min={f.from || undefined} onChange={(e) => set({ to: e.target.value })} />
      </div>
    </form>
  )
}

/** The filters that have no control of their own (a conversation, a request), as removable chips. */
function ActiveFilters({ f, set, names }: { f: AuditFilters; set: (p: Partial<AuditFilters>) => void; names: Map<string, string> }) {
  const thread = useThreadName(f.threadId)
  const chips: [string, () => void][] = []
  if (f.threadId) chips.push([`Conversation with ${thread.data?.client.name ?? '…'}`, () => set({ threadId: '' })])
  if (f.correlationId) chips.push([`One request's story: ${f.correlationId.slice(0, 8)}…`, () => set({ correlationId: '' })])
  if (f.actor && !names.has(f.actor)) chips.push([`Actor ${f.actor.slice(0, 8)}…`, () => set({ actor: '' })])
  if (chips.length === 0) return null
  return (
    <div className="chips" aria-label="Other filters" role="group">
      {chips.map(([label, clear]) => (
        <button key={label} type="button" className="chip" aria-pressed="true" onClick={clear} aria-label={`${label}: remove this filter`}>
          {label} ✕
        </button>
      ))}
    </div>
  )
}

function EventItem({ e, actor, onCorrelation }: { e: AuditEvent; actor?: string; onCorrelation: (id: string) => void }) {
  const { timeZone } = useSession()
  const [open, setOpen] = useState(false)
  const detailId = `audit-${e.id}`
  const who = actor ?? (e.actorType === 'system' ? 'Snout' : e.actorType === 'provider' ? 'Twilio' : e.actorType === 'user' ? 'A former member' : e.actorType)
  return (
    <li className="timeline-item" data-testid="audit-event">
      <button type="button" className="timeline-summary" aria-expanded={open} aria-controls={detailId} onClick={() => setOpen((o) => !o)}>
        <span className="muted small nowrap">{formatDateTime(e.at, timeZone)}</span>
        <span className="timeline-what">
          <strong>{actionLabel(e.action)}</strong> <span className="muted">by {who}</span>
        </span>
        <Badge>{e.entityType || 'event'}</Badge>
      </button>
      {open && (
        <div className="timeline-detail" id={detailId}>
          <dl className="kv">
            <dt>Action</dt>
            <dd>
              <code>{e.action}</code>
            </dd>
            <dt>About</dt>
            <dd>
              {e.entityType === 'thread' ? <Link to={`/inbox/${e.entityId}`}>the conversation</Link> : e.entityType} <code>{e.entityId}</code>
            </dd>
            {e.correlationId && (
              <>
                <dt>Request</dt>
                <dd>
                  <button type="button" className="link-button" onClick={() => onCorrelation(e.correlationId)}>
                    Show this request's whole story
                  </button>{' '}
                  <code>{e.correlationId}</code>
                </dd>
              </>
            )}
            {e.ip && (
              <>
                <dt>From</dt>
                <dd>{e.ip}</dd>
              </>
            )}
          </dl>
          <pre aria-label="The event as recorded">{JSON.stringify(e, null, 2)}</pre>
        </div>
      )}
    </li>
  )
}
