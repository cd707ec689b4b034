import { Link } from 'react-router'
import { Avatar, CountBadge, EmptyState, ErrorState, LoadingList } from '../../components/ui'
import { formatDateTime, formatListTime } from '../../lib/format'
import { useSession } from '../../lib/session'
import { useSitterThreads } from './api'

// The sitter's app: the conversations they may write in now.
export function SitterHome() {
  const threads = useSitterThreads()
  const { timeZone } = useSession()
  const rows = threads.data?.pages.flatMap((p) => p.threads) ?? []
  return (
    <main id="main" className="sitter">
      <h1>My conversations</h1>
      <p className="muted">Clients you're looking after right now. A conversation appears when its visit starts and goes away when it ends.</p>
      {threads.isPending ? (
        <LoadingList label="Loading your conversations" rows={3} />
      ) : threads.isError ? (
        <ErrorState title="Your conversations didn't load" error={threads.error} onRetry={() => void threads.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState title="No active visits">When one of your visits starts, the client's conversation shows up here.</EmptyState>
      ) : (
        <ul className="sitter-threads">
          {rows.map((t) => (
            <li key={t.id}>
              <Link to={`/sitter/${t.id}`} className="sitter-card" data-testid="sitter-thread">
                <Avatar name={t.client.name} />
                <span className="thread-main">
                  <span className="thread-top">
                    <span className="thread-client">{t.client.name}</span>
                    <time dateTime={t.lastMessageAt} className="thread-time">
                      {formatListTime(t.lastMessageAt, timeZone)}
                    </time>
                  </span>
                  <span className="thread-preview">{t.preview}</span>
                  <span className="muted small">
                    {t.line.label} · until {formatDateTime(t.window.endsAt, timeZone)}
                  </span>
                </span>
                <CountBadge count={t.unread} label="unread" />
              </Link>
            </li>
          ))}
        </ul>
      )}
    </main>
  )
}
