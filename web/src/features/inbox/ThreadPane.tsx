import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import { Link } from 'react-router'
import { Compose } from '../../components/Compose'
import { MessageBubble } from '../../components/MessageBubble'
import { Badge, Button, EmptyState, ErrorState, Notice, Skeleton } from '../../components/ui'
import { ApiError } from '../../lib/api/http'
import type { MessageView, ThreadDetailView } from '../../lib/api/types'
import { formatDateTime, formatPhone } from '../../lib/format'
import { useSession, useSignedIn } from '../../lib/session'
import { useMarkRead, useMessages, useRetryMessage, useSendMessage, useSitters, useThread, useThreadViolations } from './api'
import { BlockedReview } from './BlockedReview'
import { allMessages } from './optimistic'
import { TraceDrawer } from './TraceDrawer'

const classNames: Record<string, string> = { front_desk: 'Front desk', sitter: 'Sitter line', pool: 'Pool' }
const windowWords: Record<string, string> = { active: 'In a window now', scheduled: 'Window coming up', ended: 'Window ended', none: 'No window' }

export function ThreadPane({ threadId }: { threadId: string }) {
  const thread = useThread(threadId)
  if (thread.isPending) {
    return (
      <section className="pane thread-pane" aria-label="Conversation" aria-busy="true">
        <div className="thread-header">
          <Skeleton lines={2} />
        </div>
        <div className="messages-scroll">
          <Skeleton lines={6} />
        </div>
      </section>
    )
  }
  if (thread.isError) {
    const notFound = thread.error instanceof ApiError && thread.error.notFound
    return (
      <section className="pane thread-pane" aria-label="Conversation">
        {notFound ? (
          <EmptyState title="Conversation not found" action={<Link to="/inbox">Back to the inbox</Link>}>
            This conversation doesn't exist, or it belongs to another business.
          </EmptyState>
        ) : (
          <ErrorState title="This conversation didn't load" error={thread.error} onRetry={() => void thread.refetch()} />
        )}
      </section>
    )
  }
  return <Conversation thread={thread.data} />
}

function Conversation({ thread }: { thread: ThreadDetailView }) {
  const session = useSignedIn()
  const { timeZone } = useSession()
  const messages = useMessages(thread.id)
  const markRead = useMarkRead(thread.id)
  const send = useSendMessage(thread.id, session.user.name)
  const retry = useRetryMessage(thread.id)
  const sitters = useSitters()
  const list = useMemo(() => allMessages(messages.data), [messages.data])
  const hasBlocked = list.some((m) => m.status === 'blocked') || thread.openViolations > 0
  const violations = useThreadViolations(thread.id, hasBlocked)
  const violationOf = useMemo(() => new Map((violations.data ?? []).map((v) => [v.messageId, v])), [violations.data])
  const [traceOf, setTraceOf] = useState<MessageView | null>(null)
  const [sendError, setSendError] = useState<string | null>(null)
  const diagnostics = !!session.diagnostics

  // Opening a thread marks it read (and again when new messages arrive
  // while it is open).
  const { mutate: mark } = markRead
  useEffect(() => {
    if (thread.unread > 0) mark()
  }, [thread.unread, mark])

  const names = useMemo(() => Object.fromEntries((sitters.data ?? []).map((s) => [s.id, s.name])), [sitters.data])

  // Scroll: start at the newest message; stay at the bottom when new ones
  // arrive if the reader was there; otherwise keep the reader's place
  // (also when older messages load above).
  const scroller = useRef<HTMLDivElement>(null)
  const atBottom = useRef(true)
  const prevHeight = useRef(0)
  const firstId = list[0]?.id
  const lastId = list[list.length - 1]?.id
  const prevFirst = useRef<string | undefined>(undefined)
  useLayoutEffect(() => {
    const el = scroller.current
    if (!el) return
    if (atBottom.current) {
      el.scrollTop = el.scrollHeight
    } else if (prevFirst.current && firstId !== prevFirst.current) {
      el.scrollTop += el.scrollHeight - prevHeight.current
    }
    prevHeight.current = el.scrollHeight
    prevFirst.current = firstId
  }, [firstId, lastId, list.length])

  function onScroll() {
    const el = scroller.current
    if (!el) return
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40
    prevHeight.current = el.scrollHeight
    if (el.scrollTop < 80 && messages.hasNextPage && !messages.isFetchingNextPage) void messages.fetchNextPage()
  }

  async function onSend(body: string) {
    setSendError(null)
    atBottom.current = true
    try {
      await send.mutateAsync(body)
    } catch (e) {
      setSendError(e instanceof Error ? e.message : 'The message was not sent.')
      throw e
    }
  }

  const optedOut = thread.client.optedOut
  return (
    <section className="pane thread-pane" aria-labelledby="thread-title">
      <header className="thread-header">
        <Link to="/inbox" className="back-link">
          ← All conversations
        </Link>
        <div className="thread-header-main">
          <h2 id="thread-title">{thread.client.name}</h2>
          <span className="muted">{formatPhone(thread.client.phone)}</span>
        </div>
        <dl className="thread-facts">
          <div>
            <dt>Sitter</dt>
            <dd>{thread.sitter?.name ?? 'Unassigned'}</dd>
          </div>
          <div>
            <dt>Window</dt>
            <dd>
              <Badge tone={thread.windowStatus === 'active' ? 'success' : 'neutral'}>{windowWords[thread.windowStatus] ?? thread.windowStatus}</Badge>
              {thread.window && (
                <span className="muted">
                  {' '}
                  {formatDateTime(thread.window.startsAt, timeZone)} – {formatDateTime(thread.window.endsAt, timeZone)}
                </span>
              )}
            </dd>
          </div>
          <div>
            <dt>Number</dt>
            <dd>
              {classNames[thread.number.class] ?? thread.number.class} · <span className="nowrap">{formatPhone(thread.number.e164)}</span>
            </dd>
          </div>
          <div>
            <dt>Last activity</dt>
            <dd>{formatDateTime(thread.lastMessageAt, timeZone)}</dd>
          </div>
          <div>
            <dt>Started</dt>
            <dd>{formatDateTime(thread.createdAt, timeZone)}</dd>
          </div>
          <div>
            <dt>Routing</dt>
            <dd>
              {thread.routingOverride?.status === 'active' && (
                <span className="thread-override" data-testid="thread-override">
                  Override: texts go to{' '}
                  {thread.routingOverride.target.kind === 'sitter' ? (thread.routingOverride.target.sitterName ?? 'a sitter') : 'the owner inbox'} until{' '}
                  {formatDateTime(thread.routingOverride.endsAt, timeZone)}
                  {thread.routingOverride.reason ? ` (${thread.routingOverride.reason})` : ''}.{' '}
                </span>
              )}
              <Link to={`/routing?thread=${thread.id}`}>History and overrides</Link>
            </dd>
          </div>
        </dl>
        {optedOut && (
          <Notice tone="warning">
            {thread.client.name} has opted out (replied STOP). Messages can't be sent until they text START.
          </Notice>
        )}
      </header>

      <div className="messages-scroll" ref={scroller} onScroll={onScroll} tabIndex={0} aria-label="Messages">
        {messages.isPending ? (
          <Skeleton lines={6} />
        ) : messages.isError && list.length === 0 ? (
          <ErrorState title="The messages didn't load" error={messages.error} onRetry={() => void messages.refetch()} />
        ) : list.length === 0 ? (
          <EmptyState title="No messages yet">Write the first message below.</EmptyState>
        ) : (
          <>
            {messages.hasNextPage && (
              <div className="older">
                <Button variant="ghost" onClick={() => void messages.fetchNextPage()} disabled={messages.isFetchingNextPage}>
                  {messages.isFetchingNextPage ? 'Loading older messages…' : 'Show older messages'}
                </Button>
              </div>
            )}
            <ol className="messages" aria-live="polite" aria-relevant="additions">
              {list.map((m) => (
                <MessageBubble key={m.id} m={m} timeZone={timeZone}>
                  <MessageActions
                    m={m}
                    diagnostics={diagnostics}
                    onTrace={() => setTraceOf(m)}
                    onRetry={() => retry.mutate(m.id)}
                    retrying={retry.isPending && retry.variables === m.id}
                  />
                  {violationOf.has(m.id) && <BlockedReview threadId={thread.id} violation={violationOf.get(m.id)!} />}
                </MessageBubble>
              ))}
            </ol>
          </>
        )}
      </div>

      {retry.isError && (
        <Notice tone="danger" role="alert">
          {retry.error.message}
        </Notice>
      )}
      {sendError && (
        <Notice tone="danger" role="alert" onDismiss={() => setSendError(null)}>
          Not sent: {sendError}
        </Notice>
      )}
      <Compose label={`Reply to ${thread.client.name}`} onSend={onSend} disabled={optedOut} disabledReason={optedOut ? 'This client opted out.' : undefined} />

      <TraceDrawer message={traceOf} names={names} timeZone={timeZone} onClose={() => setTraceOf(null)} />
    </section>
  )
}

function MessageActions({ m, diagnostics, onTrace, onRetry, retrying }: { m: MessageView; diagnostics: boolean; onTrace: () => void; onRetry: () => void; retrying: boolean }) {
  const extra = m as MessageView & { providerSid?: string; sid?: string }
  const sid = extra.providerSid ?? extra.sid
  const showRetry = m.deadLettered && (m.status === 'failed' || m.status === 'undelivered')
  if (!m.routing && !showRetry && !(diagnostics && (sid || m.errorCode))) return null
  return (
    <div className="msg-actions">
      {m.routing && (
        <button type="button" className="link-button" onClick={onTrace}>
          Why routed here?
        </button>
      )}
      {showRetry && (
        <Button variant="secondary" onClick={onRetry} disabled={retrying}>
          {retrying ? 'Retrying…' : 'Retry sending'}
        </Button>
      )}
      {diagnostics && (sid || m.errorCode) && (
        <span className="diag" data-testid="diagnostics">
          {sid && <code>{sid}</code>}
          {m.errorCode ? <code>error {m.errorCode}</code> : null}
        </span>
      )}
    </div>
  )
}
