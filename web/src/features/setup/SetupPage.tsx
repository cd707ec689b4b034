import { Link } from 'react-router'
import { Badge, ErrorState, Skeleton, type Tone } from '../../components/ui'
import { useSignedIn } from '../../lib/session'
import { useSetupProgress } from './api'

const statusWords: Record<string, { label: string; tone: Tone }> = {
  done: { label: 'Done', tone: 'success' },
  skipped: { label: 'Skipped', tone: 'neutral' },
  pending: { label: 'To do', tone: 'neutral' },
}

// Where a new business lands after confirming its email: the steps of
// setup and how far along they are. The wizard's own pages (connecting
// the Twilio account, choosing numbers) build on this.
export function SetupPage() {
  const session = useSignedIn()
  const setup = useSetupProgress()
  return (
    <main id="main" className="page">
      <h1>Set up {session.org.name}</h1>
      <p className="muted">
        Connect your Twilio account and choose your numbers. Until then nobody can text your business. Time zone: {session.org.timeZone}.
      </p>
      {setup.isPending ? (
        <div role="status" aria-label="Loading setup">
          <Skeleton lines={5} />
        </div>
      ) : setup.isError ? (
        <ErrorState title="Setup didn't load" error={setup.error} onRetry={() => void setup.refetch()} />
      ) : (
        <section className="card" aria-labelledby="setup-steps">
          <h2 id="setup-steps">{setup.data.complete ? 'Setup is complete' : 'Steps'}</h2>
          {setup.data.notice && <p>{setup.data.notice}</p>}
          <ol className="setup-steps">
            {setup.data.steps.map((s) => {
              const st = statusWords[s.status] ?? { label: s.status, tone: 'neutral' as Tone }
              return (
                <li key={s.key} aria-current={s.key === setup.data.currentStep ? 'step' : undefined}>
                  <span>{s.title}</span> <Badge tone={st.tone}>{st.label}</Badge>
                  {s.error && <p className="field-error">{s.error}</p>}
                </li>
              )
            })}
          </ol>
          {setup.data.complete && <Link to="/inbox">Go to the inbox</Link>}
        </section>
      )}
    </main>
  )
}
