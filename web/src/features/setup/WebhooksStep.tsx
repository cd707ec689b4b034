import { Badge, Button, Notice } from '../../components/ui'
import { formError } from '../../components/FormField'
import { formatPhone } from '../../lib/format'
import { useInstallWebhooks, useRetryWebhook, type SetupView } from './api'
import { numberClassWords, webhookWords } from './steps'

// Step 6: point every number's incoming texts at Snout, one status per
// number and a retry for a number that failed.
export function WebhooksStep({ view }: { view: SetupView }) {
  const install = useInstallWebhooks()
  const retry = useRetryWebhook()
  const error = install.error ?? retry.error
  return (
    <div className="stack">
      <p>Snout sets each number in your Twilio account to send its incoming texts here, then checks that it took.</p>
      {view.numbers.length === 0 ? (
        <p className="muted">There are no numbers yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="table">
            <caption className="sr-only">Each number and its connection to Snout</caption>
            <thead>
              <tr>
                <th scope="col">Number</th>
                <th scope="col">Kind</th>
                <th scope="col">Connection</th>
                <th scope="col">
                  <span className="sr-only">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {view.numbers.map((n) => {
                const w = webhookWords(n.webhookStatus)
                return (
                  <tr key={n.id}>
                    <td className="mono">{n.display || formatPhone(n.e164)}</td>
                    <td>{numberClassWords(n.class)}</td>
                    <td>
                      <Badge tone={w.tone}>{w.label}</Badge>
                      {n.webhookError && <p className="field-error">{n.webhookError}</p>}
                      {view.diagnostics && n.webhookUrl && <p className="muted mono">{n.webhookUrl}</p>}
                    </td>
                    <td>
                      {n.webhookStatus !== 'verified' && (
                        <Button
                          onClick={() => retry.mutate(n.id)}
                          busy={retry.isPending && retry.variables === n.id}
                          disabled={retry.isPending || install.isPending}
                          aria-label={`Retry ${n.display || formatPhone(n.e164)}`}
                        >
                          Retry
                        </Button>
                      )}
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
      {error ? (
        <Notice tone="danger" role="alert">
          {formError(error, [])}
        </Notice>
      ) : null}
      <div>
        <Button variant="primary" busy={install.isPending} disabled={install.isPending || view.numbers.length === 0} onClick={() => install.mutate(undefined)}>
          {install.isPending ? 'Connecting…' : 'Connect every number'}
        </Button>
      </div>
    </div>
  )
}
