import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import { Link, useParams } from 'react-router'
import { Compose } from '../../components/Compose'
import { MessageBubble } from '../../components/MessageBubble'
import { EmptyState, ErrorState, Notice, Skeleton } from '../../components/ui'
import { ApiError } from '../../lib/api/http'
import { formatDateTime } from '../../lib/format'
import { useSession } from '../../lib/session'
import { allSitterMessages, useSitterMarkRead, useSitterMessages, useSitterSend, useSitterThread } from './api'
import { policyWarning } from './policyPreview'

export function SitterConversation() {
  const { threadId = '' } = useParams()
  const thread = useSitterThread(threadId)
  const { timeZone } = useSession()
  if (thread.isPending) {
    return (
      <main id="main" className="sitter">
        <Skeleton lines={6} />
      </main>
    )
  }
  if (thread.isError) {
    const notFound = thread.error instanceof ApiError && thread.error.notFound
    return (
      <main id="main" className="sitter">
        {notFound ? (
          <EmptyState title="Conversation not found" action={<Link to="/sitter">Back to my conversations</Link>}>
            This conversation isn't one of your active visits.
          </EmptyState>
        ) : (
          <ErrorState error={thread.error} onRetry={() => void thread.refetch()} />
        )}
      </main>
    )
  }
  const t = thread.data
  return (
    <main id="main" className="sitter sitter-conversation">
      <header className="sitter-head">
        <Link to="/sitter" className="back-link">
          ← My conversations
        </Link>
        <h1>{t.client.name}</h1>
        <p className="muted small">
          {t.line.label} · visit until {formatDateTime(t.window.endsAt, timeZone)}
        </p>
        {t.window.note && <p className="sitter-note">{t.window.note}</p>}
      </header>
      <Messages threadId={t.id} clientName={t.client.name} unread={t.unread} />
    </main>
  )
}

function Messages({ threadId, clientName, unread }: { threadId: string; clientName: string; unread: number }) {
  const messages = useSitterMessages(threadId)
  const send = useSitterSend(threadId)
  const { mutate: markRead } = useSitterMarkRead(threadId)
  const { timeZone } = useSession()
  const [refusal, setRefusal] = useState<string | null>(null)
  const list = useMemo(() => allSitterMessages(messages.data), [messages.data])
  const end = useRef<HTMLDivElement>(null)

  useEffect(() => {
    if (unread > 0) markRead()
  }, [unread, markRead])
  useLayoutEffect(() => {
    end.current?.scrollIntoView?.({ block: 'end' })
  }, [list.length])

  async function onSend(body: string) {
    setRefusal(null)
    try {
      await send.mutateAsync(body)
    } catch (e) {
      setRefusal(e instanceof Error ? e.message : 'Your message was not sent.')
      throw e
    }
  }

  return (
    <>
      <div className="sitter-messages" tabIndex={0} aria-label="Messages">
        {messages.isPending ? (
          <Skeleton lines={5} />
        ) : messages.isError ? (
          <ErrorState error={messages.error} onRetry={() => void messages.refetch()} />
        ) : list.length === 0 ? (
          <EmptyState title="No messages yet">Say hello to {clientName} below.</EmptyState>
        ) : (
          <ol className="messages">
            {list.map((m) => (
              <MessageBubble key={m.id} m={m} timeZone={timeZone} mine={m.mine} />
            ))}
          </ol>
        )}
        <div ref={end} />
      </div>
      {refusal && (
        <Notice tone="danger" role="alert" onDismiss={() => setRefusal(null)}>
          {refusal}
        </Notice>
      )}
      <Compose label={`Message ${clientName}`} onSend={onSend} warn={policyWarning} />
    </>
  )
}
