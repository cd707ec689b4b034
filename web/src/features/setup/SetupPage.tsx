import { useEffect, useRef } from 'react'
import { Link, useSearchParams } from 'react-router'
import { Badge, Button, ErrorState, Notice, Skeleton } from '../../components/ui'
import { useSignedIn } from '../../lib/session'
import { useSetupProgress, type SetupView } from './api'
import { ConnectivityStep, ReadinessStep } from './CheckSteps'
import { FrontDeskStep, NumbersStep } from './NumberSteps'
import { ProviderStep } from './ProviderStep'
import { blockerOf, nextOf, shownStep, stepStatusWords } from './steps'
import { WebhooksStep } from './WebhooksStep'
import '../../styles/setup.css'

// The setup wizard: seven steps, each gated on the ones before it. The
// state is the workflow's (read on every visit), so the owner can leave at
// any point and come back to where they were. ?step= is the step shown: a
// finished step stays on screen with its results until the owner goes on.
export function SetupPage() {
  const session = useSignedIn()
  const setup = useSetupProgress()
  return (
    <main id="main" className="page setup-page">
      <h1>Set up {session.org.name}</h1>
      <p className="muted">
        Connect your Twilio account and choose your numbers. Until then nobody can text your business. Times are shown in {session.org.timeZone}.
      </p>
      {setup.isPending ? (
        <div role="status" aria-label="Loading setup">
          <Skeleton lines={6} />
        </div>
      ) : setup.isError ? (
        <ErrorState title="Setup didn't load" error={setup.error} onRetry={() => void setup.refetch()} />
      ) : (
        <Wizard view={setup.data} />
      )}
    </main>
  )
}

function Wizard({ view }: { view: SetupView }) {
  const [params, setParams] = useSearchParams()
  const key = shownStep(view.steps, params.get('step'), view.currentStep)
  const index = view.steps.findIndex((s) => s.key === key)
  const step = view.steps[index]
  const prev = index > 0 ? view.steps[index - 1] : undefined
  const { next, disabledReason } = nextOf(view.steps, key)
  const done = view.steps.filter((s) => s.status === 'done' || s.status === 'skipped').length
  const heading = useRef<HTMLHeadingElement>(null)
  const go = (k: string) => setParams({ step: k })
  // The step shown stays put when it is finished (its results stay on
  // screen); Next moves on.
  const asked = params.get('step')
  useEffect(() => {
    if (asked !== key) setParams({ step: key }, { replace: true })
  }, [asked, key, setParams])
  // Moving between steps moves focus to the new step's heading.
  const first = useRef(true)
  useEffect(() => {
    if (first.current) {
      first.current = false
      return
    }
    heading.current?.focus()
  }, [key])

  return (
    <div className="wizard">
      {view.notice && <Notice tone="warning">{view.notice}</Notice>}
      <nav aria-label="Setup steps" className="wizard-steps">
        <p className="wizard-progress">
          <progress max={view.steps.length} value={done} aria-label="Setup progress" /> {done} of {view.steps.length} steps finished
        </p>
        <ol>
          {view.steps.map((s, i) => {
            const words = stepStatusWords[s.status] ?? { label: s.status, tone: 'neutral' as const }
            const blocker = blockerOf(view.steps, s.key)
            const here = s.key === key
            return (
              <li key={s.key} className={here ? 'is-current' : undefined}>
                {blocker ? (
                  <span className="wizard-step is-locked" title={blocker}>
                    <span className="wizard-step-n" aria-hidden>
                      {i + 1}
                    </span>
                    <span>
                      {s.title}
                      <span className="sr-only">. {blocker}</span>
                    </span>
                  </span>
                ) : (
                  <button type="button" className="wizard-step" aria-current={here ? 'step' : undefined} onClick={() => go(s.key)}>
                    <span className="wizard-step-n" aria-hidden>
                      {i + 1}
                    </span>
                    <span>{s.title}</span>
                  </button>
                )}
                <Badge tone={words.tone}>{words.label}</Badge>
              </li>
            )
          })}
        </ol>
      </nav>

      <section className="card wizard-panel" aria-labelledby="wizard-step-title">
        <p className="muted wizard-count">
          Step {index + 1} of {view.steps.length}
        </p>
        <h2 id="wizard-step-title" ref={heading} tabIndex={-1}>
          {step?.title}
        </h2>
        {view.complete && key === 'readiness' ? null : step?.error && <Notice tone="danger">{step.error}</Notice>}
        <StepBody view={view} stepKey={key} />
        <div className="wizard-nav">
          {prev && (
            <Button type="button" onClick={() => go(prev.key)}>
              Back
            </Button>
          )}
          {next && (
            <div className="wizard-next">
              <Button type="button" variant="primary" disabled={!!disabledReason} aria-describedby={disabledReason ? 'wizard-next-why' : undefined} onClick={() => go(next.key)}>
                Next: {next.title}
              </Button>
              {disabledReason && (
                <p id="wizard-next-why" className="field-hint">
                  {disabledReason}
                </p>
              )}
            </div>
          )}
          {view.complete && (
            <Link className="btn btn-primary" to="/inbox">
              Go to the inbox
            </Link>
          )}
        </div>
      </section>
    </div>
  )
}

function StepBody({ view, stepKey }: { view: SetupView; stepKey: string }) {
  switch (stepKey) {
    case 'provider':
      return <ProviderStep view={view} />
    case 'connectivity':
      return <ConnectivityStep view={view} />
    case 'front_desk':
      return <FrontDeskStep view={view} />
    case 'sitter_numbers':
      return <NumbersStep view={view} kind="sitter_numbers" />
    case 'pool_numbers':
      return <NumbersStep view={view} kind="pool_numbers" />
    case 'webhooks':
      return <WebhooksStep view={view} />
    case 'readiness':
      return <ReadinessStep view={view} />
    default:
      return null
  }
}
