import { useState } from 'react'
import { Link } from 'react-router'
import { Badge, Button, EmptyState, ErrorState, LoadingList, Notice } from '../../components/ui'
import type { DeadLetterView } from '../../lib/api/types'
import { useCSVDownload, type DownloadNotice } from '../../lib/download'
import { formatCount, formatDateTime } from '../../lib/format'
import { useSession } from '../../lib/session'
import { useDeadLetters, useDiscardDeadLetter, useRetryDeadLetter } from './api'

const senders: Record<string, string> = { owner: 'Owner', admin: 'Admin', sitter: 'Sitter', automation: 'Automation', system: 'Snout' }

// Delivery failures (/ops): every outbound text that could not be
// delivered, why in plain words, and what the owner can do about it.
export function DeliveryFailuresPage() {
  const list = useDeadLetters()
  const [notice, setNotice] = useState<DownloadNotice | null>(null)
  const items = list.data?.pages.flatMap((p) => p.deadLetters) ?? []

  const download = useCSVDownload(setNotice)
  const exportCSV = () =>
    download.run('/api/v1/ops/dead-letters?format=csv', 'delivery-failures.csv', (r) =>
      r.truncated
        ? { tone: 'info', text: `Downloaded the ${formatCount(r.rows)} most recent failures: a download holds at most 10,000.` }
        : { tone: 'success', text: `Downloaded ${formatCount(r.rows)} ${r.rows === 1 ? 'failure' : 'failures'}.` },
    )

  return (
    <main id="main" className="page page-wide">
      <div className="page-head">
        <div>
          <h1>Delivery failures</h1>
          <p className="muted">Texts that could not be delivered after every retry. Send one again once the cause is fixed, or discard it.</p>
        </div>
        <Button onClick={() => void exportCSV()} disabled={download.busy || items.length === 0} busy={download.busy}>
          {download.busy ? 'Preparing…' : 'Export CSV'}
        </Button>
      </div>
      <div aria-live="polite">
        {notice && (
          <Notice tone={notice.tone} role={notice.tone === 'danger' ? 'alert' : 'status'} onDismiss={() => setNotice(null)}>
            {notice.text}
          </Notice>
        )}
      </div>
      {list.isPending ? (
        <LoadingList label="Loading delivery failures" rows={4} />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title="No delivery failures">Every text has been delivered or is on its way. A text that fails after its retries shows up here.</EmptyState>
      ) : (
        <>
          <ul className="table-list" aria-label="Delivery failures">
            <li className="table-head" aria-hidden="true">
              <span>Conversation</span>
              <span>Message</span>
              <span>Why it failed</span>
              <span>Attempts</span>
              <span>Failed</span>
              <span />
            </li>
            {items.map((d) => (
              <DeadLetterRow key={d.messageId} d={d} onDone={setNotice} />
            ))}
          </ul>
          {list.hasNextPage && (
            <div className="load-more">
              <Button onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage} busy={list.isFetchingNextPage}>
                {list.isFetchingNextPage ? 'Loading…' : 'Show older failures'}
              </Button>
            </div>
          )}
        </>
      )}
    </main>
  )
}

function DeadLetterRow({ d, onDone }: { d: DeadLetterView; onDone: (n: { tone: 'success' | 'danger'; text: string }) => void }) {
  const { timeZone } = useSession()
  const retry = useRetryDeadLetter()
  const discard = useDiscardDeadLetter()
  const [discarding, setDiscarding] = useState(false)
  const [reason, setReason] = useState('')
  const waiting = d.status !== 'failed' && d.status !== 'undelivered'
  const fail = (e: unknown) => onDone({ tone: 'danger', text: e instanceof Error ? e.message : 'That did not work.' })

  return (
    <li className="table-row" data-testid="dead-letter">
      <span className="cell" data-label="Conversation">
        <Link to={`/inbox/${d.threadId}`}>{d.clientName}</Link>
        <span className="muted small">{senders[d.senderType] ?? d.senderType}</span>
      </span>
      <span className="cell cell-clip" data-label="Message" title={d.body}>
        {d.body}
      </span>
      <span className="cell" data-label="Why it failed">
        {d.reason}
        {d.errorCode != null && <code className="muted small"> code {d.errorCode}</code>}
      </span>
      <span className="cell" data-label="Attempts">
        {d.attempts}
      </span>
      <span className="cell nowrap" data-label="Failed">
        {formatDateTime(d.deadLetteredAt, timeZone)}
      </span>
      <span className="cell cell-actions">
        {waiting ? (
          <Badge tone="info">{d.status === 'queued' || d.status === 'sending' ? 'Sending again' : d.status}</Badge>
        ) : discarding ? (
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault()
              discard.mutate(
                { id: d.messageId, reason: reason.trim() },
                { onSuccess: () => onDone({ tone: 'success', text: `The text to ${d.clientName} was discarded.` }), onError: fail },
              )
            }}
          >
            <label className="sr-only" htmlFor={`discard-${d.messageId}`}>
              Why discard the text to {d.clientName}? (optional)
            </label>
            <input id={`discard-${d.messageId}`} placeholder="Reason (optional)" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
            <Button type="submit" variant="danger" disabled={discard.isPending} busy={discard.isPending}>
              Discard
            </Button>
            <Button variant="ghost" onClick={() => setDiscarding(false)}>
              Keep
            </Button>
          </form>
        ) : (
          <>
            <Button
              variant="primary"
              disabled={retry.isPending}
              busy={retry.isPending}
              aria-label={`Send the text to ${d.clientName} again`}
              onClick={() =>
                retry.mutate(d.messageId, { onSuccess: () => onDone({ tone: 'success', text: `Sending the text to ${d.clientName} again.` }), onError: fail })
              }
            >
              Retry
            </Button>
            <Button aria-label={`Discard the text to ${d.clientName}`} onClick={() => setDiscarding(true)}>
              Discard…
            </Button>
          </>
        )}
      </span>
    </li>
  )
}
