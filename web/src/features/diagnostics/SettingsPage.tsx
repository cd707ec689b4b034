import { useId } from 'react'
import { Notice } from '../../components/ui'
import { useSignedIn } from '../../lib/session'
import { useSetDiagnostics } from './api'

// The owner's settings: for now the diagnostics switch.
export function SettingsPage() {
  const session = useSignedIn()
  const set = useSetDiagnostics()
  const id = useId()
  const on = set.isPending ? !!set.variables : session.diagnostics
  return (
    <main id="main" className="page">
      <h1>Settings</h1>
      <section className="card" aria-labelledby={`${id}-title`}>
        <h2 id={`${id}-title`}>Diagnostics</h2>
        <p>
          Shows technical details wherever they appear: provider message IDs, webhook addresses and the raw error codes of failed messages. Useful when
          talking to support; leave it off day to day.
        </p>
        <label className="switch" htmlFor={id}>
          <input id={id} type="checkbox" role="switch" checked={on} disabled={set.isPending} onChange={(e) => set.mutate(e.target.checked)} />
          <span className="switch-track" aria-hidden="true" />
          <span>{on ? 'Diagnostics are on' : 'Diagnostics are off'}</span>
        </label>
        {set.isError && (
          <Notice tone="danger" role="alert">
            {set.error.message}
          </Notice>
        )}
      </section>
    </main>
  )
}
