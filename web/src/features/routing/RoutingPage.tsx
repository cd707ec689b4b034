import { useSearchParams } from 'react-router'
import { useSignedIn } from '../../lib/session'
import { HistorySection } from './HistorySection'
import { OverridesSection } from './OverridesSection'
import { RulesSection } from './RulesSection'
import { SimulatorSection } from './SimulatorSection'
import { VersionsSection } from './VersionsSection'
import './routing.css'

// /routing: the owner's routing control. The rules and their versions, the
// simulator, overrides and each conversation's routing history. Admins
// read everything; only the owner changes rules and overrides.
export function RoutingPage() {
  const session = useSignedIn()
  const owner = session.role === 'owner'
  const [params, setParams] = useSearchParams()
  const threadId = params.get('thread') ?? ''
  const onThread = (id: string) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p)
        if (id) next.set('thread', id)
        else next.delete('thread')
        return next
      },
      { replace: true },
    )
  return (
    <main id="main" className="page page-wide routing-page">
      <div className="page-head">
        <div>
          <h1>Routing</h1>
          <p className="muted">Where each client's text goes: the rules in order, a simulator to try them, overrides for a while, and each conversation's history.</p>
        </div>
        <nav aria-label="Routing sections" className="routing-jump">
          <a href="#rules-title">Rules</a>
          <a href="#simulator-title">Simulator</a>
          <a href="#overrides-title">Overrides</a>
          <a href="#history-title">History</a>
          <a href="#versions-title">Versions</a>
        </nav>
      </div>
      {!owner && <p className="notice notice-info">You can see routing; only the business owner can change rules and overrides.</p>}

      <section className="card" aria-labelledby="rules-title">
        <h2 id="rules-title">Rules</h2>
        <RulesSection canChange={owner} />
      </section>

      <section className="card" aria-labelledby="simulator-title">
        <h2 id="simulator-title">Simulator</h2>
        <p className="muted small">Exactly what live routing would decide, with the rules in force now. It only reads: nothing is sent or saved.</p>
        <SimulatorSection threadId={threadId} />
      </section>

      <section className="card" aria-labelledby="overrides-title">
        <h2 id="overrides-title">Overrides</h2>
        <p className="muted small">For a while, send one conversation's texts to the owner inbox or a sitter, whatever the rules say. Every override ends by itself.</p>
        <OverridesSection canChange={owner} threadId={threadId} />
      </section>

      <section className="card" aria-labelledby="history-title">
        <h2 id="history-title">Routing history</h2>
        <HistorySection threadId={threadId} onThread={onThread} />
      </section>

      <section className="card" aria-labelledby="versions-title">
        <h2 id="versions-title">Versions of the rules</h2>
        <VersionsSection />
      </section>
    </main>
  )
}
