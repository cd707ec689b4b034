import { SelectField } from '../../components/FormField'
import { Button, EmptyState, ErrorState, LoadingList } from '../../components/ui'
import { useRoutingHistory, useThreadChoices, type Decision } from './api'
import { Steps, targetName } from './SimulatorSection'
import { ruleLabel } from './words'

// A conversation's routing history: each routed text, the rule and rules
// version that decided, where it went and when.
export function HistorySection({ threadId, onThread }: { threadId: string; onThread: (id: string) => void }) {
  const threads = useThreadChoices()
  return (
    <>
      <SelectField id="history-thread" label="Conversation" value={threadId} onChange={(e) => onThread(e.target.value)}>
        <option value="">Choose a conversation</option>
        {(threads.data ?? []).map((t) => (
          <option key={t.id} value={t.id}>
            {t.client.name} · {t.number.name}
          </option>
        ))}
      </SelectField>
      {threadId ? <Timeline threadId={threadId} /> : <p className="muted">Choose a conversation to see how each of its texts was routed.</p>}
    </>
  )
}

function Timeline({ threadId }: { threadId: string }) {
  const history = useRoutingHistory(threadId)
  if (history.isPending) return <LoadingList rows={3} label="Loading the routing history" />
  if (history.isError) return <ErrorState title="The routing history didn't load" error={history.error} onRetry={() => void history.refetch()} />
  const decisions = history.data.pages.flatMap((p) => p.decisions)
  if (decisions.length === 0) return <EmptyState title="No routed texts yet">Texts this client sends will appear here with the rule that routed each.</EmptyState>
  return (
    <>
      <ol className="timeline routing-timeline" aria-label="Routing decisions">
        {decisions.map((d) => (
          <DecisionItem key={d.messageId} d={d} />
        ))}
      </ol>
      {history.hasNextPage && (
        <div className="load-more">
          <Button onClick={() => void history.fetchNextPage()} disabled={history.isFetchingNextPage} busy={history.isFetchingNextPage}>
            Load older decisions
          </Button>
        </div>
      )}
    </>
  )
}

function DecisionItem({ d }: { d: Decision }) {
  const r = d.routing
  return (
    <li className="timeline-item decision" data-testid="decision">
      <details>
        <summary className="timeline-summary">
          <span className="muted small nowrap">{d.atLocal}</span>
          <span className="timeline-what">
            <span className="decision-preview break">“{d.preview || 'A photo'}”</span>
            <span className="small">
              → <strong data-testid="decision-target">{targetName(r.target)}</strong> by {ruleLabel(r.ruleName, r.rule)}
              {r.rulesetVersion ? ` (version ${r.rulesetVersion})` : ''}
            </span>
          </span>
          <span className="muted small nowrap" aria-hidden="true">
            Steps
          </span>
        </summary>
        <div className="timeline-detail">
          <p className="trace-summary">{r.reason}</p>
          <Steps steps={r.steps} />
        </div>
      </details>
    </li>
  )
}
