import { useParams } from 'react-router'
import { ThreadList } from './ThreadList'
import { ThreadPane } from './ThreadPane'

// The inbox: the thread list beside the open conversation at desktop
// width; one or the other on a phone.
export function InboxPage() {
  const { threadId } = useParams()
  return (
    <main id="main" className={`inbox${threadId ? ' inbox-has-thread' : ''}`}>
      <h1 className="sr-only">Inbox</h1>
      <ThreadList activeId={threadId} />
      {threadId ? (
        <ThreadPane key={threadId} threadId={threadId} />
      ) : (
        <section className="pane pane-empty" aria-label="Conversation">
          <div className="empty-state">
            <h2 className="empty-title">Pick a conversation</h2>
            <p>Choose a thread on the left to read it and reply.</p>
          </div>
        </section>
      )}
    </main>
  )
}
