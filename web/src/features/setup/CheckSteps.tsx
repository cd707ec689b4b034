import { Link } from 'react-router'
import { Badge, Button, Notice } from '../../components/ui'
import { formError } from '../../components/FormField'
import { useCheckConnectivity, useCheckReadiness, type SetupCheck, type SetupView } from './api'
import { money } from './steps'

/** Pass or fail for each check, and what to do about a failure. */
export function ChecksList({ checks, label, diagnostics }: { checks: SetupCheck[]; label: string; diagnostics: boolean }) {
  return (
    <ul className="checks" aria-label={label}>
      {checks.map((c) => (
        <li key={c.key} className={c.ok ? 'check-ok' : 'check-failed'}>
          <Badge tone={c.ok ? 'success' : 'danger'}>{c.ok ? 'Pass' : 'Fail'}</Badge>
          <div>
            <strong>{c.title}</strong>
            <p>{c.detail}</p>
            {!c.ok && c.fix && (
              <p className="check-fix">
                <span className="sr-only">What to do: </span>
                {c.fix}
              </p>
            )}
            {diagnostics && (c.providerCode || c.diagnostic) && (
              <p className="muted mono">
                {c.providerCode ? `Twilio error ${c.providerCode}` : ''} {c.diagnostic}
              </p>
            )}
          </div>
        </li>
      ))}
    </ul>
  )
}

// Step 2: can the account send? Balance, status and permissions.
export function ConnectivityStep({ view }: { view: SetupView }) {
  const check = useCheckConnectivity()
  const ran = view.connectivity.length > 0
  return (
    <div className="stack">
      <p>Snout checks that the account is active, has credit, and lets Snout buy numbers and send texts.</p>
      {view.balance && (
        <p>
          Account balance: <strong>{money(view.balance, view.currency)}</strong>
        </p>
      )}
      {ran && <ChecksList checks={view.connectivity} label="Connection checks" diagnostics={view.diagnostics} />}
      {check.error ? (
        <Notice tone="danger" role="alert">
          {formError(check.error, [])}
        </Notice>
      ) : null}
      <div>
        <Button variant={ran ? 'secondary' : 'primary'} busy={check.isPending} disabled={check.isPending} onClick={() => check.mutate(undefined)}>
          {check.isPending ? 'Checking…' : ran ? 'Run the checks again' : 'Check the connection'}
        </Button>
      </div>
    </div>
  )
}

// Step 7: everything a business needs before its first text, and setup's end.
export function ReadinessStep({ view }: { view: SetupView }) {
  const check = useCheckReadiness()
  const ran = view.readiness.length > 0
  return (
    <div className="stack">
      {view.complete ? (
        <Notice tone="success">Setup is complete. Your clients can text your numbers, and their texts arrive in the inbox.</Notice>
      ) : (
        <p>The last check: every number active, connected to Snout and in your Twilio account.</p>
      )}
      {ran && <ChecksList checks={view.readiness} label="Readiness checks" diagnostics={view.diagnostics} />}
      {check.error ? (
        <Notice tone="danger" role="alert">
          {formError(check.error, [])}
        </Notice>
      ) : null}
      {!view.complete && (
        <div>
          <Button variant="primary" busy={check.isPending} disabled={check.isPending} onClick={() => check.mutate(undefined)}>
            {check.isPending ? 'Checking…' : ran ? 'Check again' : 'Check readiness'}
          </Button>
        </div>
      )}
      {view.complete && (
        <p>
          Next: <Link to="/team">invite your team</Link> and <Link to="/clients">add your clients</Link>.
        </p>
      )}
    </div>
  )
}
