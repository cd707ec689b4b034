import { useState, type FormEvent } from 'react'
import { fieldErrors, formError, SelectField, TextField } from '../../components/FormField'
import { Badge, Button, Notice } from '../../components/ui'
import { formatPhone } from '../../lib/format'
import { useSession } from '../../lib/session'
import { useClientChoices, useNumberChoices, useSimulate, useThreadChoices, type Simulation, type SimulationRequest } from './api'
import { isoToZoned, ruleLabel, zonedToISO } from './words'

type Who = 'thread' | 'client' | 'new'

// The simulator: what live routing would decide for a text, with the same
// rules and facts, step by step. It only reads.
export function SimulatorSection({ threadId }: { threadId: string }) {
  const { timeZone } = useSession()
  const threads = useThreadChoices()
  const clients = useClientChoices()
  const numbers = useNumberChoices()
  const simulate = useSimulate()
  const [who, setWho] = useState<Who>(threadId ? 'thread' : 'client')
  const [thread, setThread] = useState(threadId)
  const [client, setClient] = useState('')
  const [number, setNumber] = useState('')
  const [at, setAt] = useState(() => isoToZoned(new Date(), timeZone))
  const [localError, setLocalError] = useState<string | null>(null)
  const errors: Record<string, string> = { ...fieldErrors(simulate.error), ...(localError ? { at: localError } : {}) }
  const top = formError(simulate.error, ['threadId', 'clientId', 'numberId', 'at'])

  function onSubmit(e: FormEvent) {
    e.preventDefault()
    const iso = at ? zonedToISO(at, timeZone) : ''
    if (iso === null) {
      setLocalError('Give a date and a time.')
      return
    }
    setLocalError(null)
    const body: SimulationRequest = { at: iso }
    if (who === 'thread') body.threadId = thread
    if (who === 'client') body.clientId = client
    if (who !== 'thread') body.numberId = number
    simulate.mutate(body)
  }

  return (
    <div className="simulator">
      <form className="simulator-form" onSubmit={onSubmit} noValidate aria-label="Simulate a text">
        <fieldset className="check-group">
          <legend className="field-label">Who texts</legend>
          <div className="check-options">
            {(
              [
                ['thread', 'A conversation'],
                ['client', 'A client'],
                ['new', 'A new sender'],
              ] as [Who, string][]
            ).map(([v, label]) => (
              <label key={v} className="check">
                <input type="radio" name="sim-who" value={v} checked={who === v} onChange={() => setWho(v)} /> {label}
              </label>
            ))}
          </div>
        </fieldset>
        {who === 'thread' && (
          <SelectField id="sim-thread" label="Conversation" value={thread} onChange={(e) => setThread(e.target.value)} error={errors['threadId']}>
            <option value="">Choose a conversation</option>
            {(threads.data ?? []).map((t) => (
              <option key={t.id} value={t.id}>
                {t.client.name} · {t.number.name}
              </option>
            ))}
          </SelectField>
        )}
        {who === 'client' && (
          <SelectField id="sim-client" label="Client" value={client} onChange={(e) => setClient(e.target.value)} error={errors['clientId']}>
            <option value="">Choose a client</option>
            {(clients.data ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </SelectField>
        )}
        {who !== 'thread' && (
          <SelectField id="sim-number" label="Business number texted" value={number} onChange={(e) => setNumber(e.target.value)} error={errors['numberId']}>
            <option value="">Choose a number</option>
            {(numbers.data ?? []).map((n) => (
              <option key={n.id} value={n.id}>
                {n.friendlyName || 'Number'} · {formatPhone(n.e164)}
              </option>
            ))}
          </SelectField>
        )}
        <TextField
          id="sim-at"
          label="When it arrives"
          type="datetime-local"
          value={at}
          onChange={(e) => setAt(e.target.value)}
          error={errors['at']}
          hint={`In the business's time zone${timeZone ? ` (${timeZone})` : ''}.`}
        />
        <div className="form-actions">
          <Button variant="primary" type="submit" disabled={simulate.isPending} busy={simulate.isPending}>
            Simulate
          </Button>
        </div>
        {top && (
          <Notice tone="danger" role="alert">
            {top}
          </Notice>
        )}
      </form>
      <div className="simulator-result" aria-live="polite">
        {simulate.data ? <SimulationResult sim={simulate.data} /> : <p className="muted">Choose who texts, the number and a time, then Simulate. Nothing is saved.</p>}
      </div>
    </div>
  )
}

export function targetName(t: { kind: string; sitterName?: string }): string {
  return t.kind === 'sitter' ? t.sitterName || 'A sitter' : 'Owner inbox'
}

function SimulationResult({ sim }: { sim: Simulation }) {
  const r = sim.routing
  return (
    <div className="trace" data-testid="simulation">
      <p className="sim-target">
        Goes to <strong data-testid="sim-target">{targetName(r.target)}</strong>
      </p>
      <p>
        Decided by <strong>{ruleLabel(r.ruleName, r.rule)}</strong>
        {r.rulesetVersion ? <> · rules version {r.rulesetVersion}</> : null}
        {sim.newSender && <> · a new sender</>}
      </p>
      <p className="trace-summary">{r.reason}</p>
      <p className="muted small">Arriving {sim.atLocal}. A simulation writes nothing.</p>
      <Steps steps={r.steps} />
    </div>
  )
}

export function Steps({ steps }: { steps: Simulation['routing']['steps'] }) {
  return (
    <ol className="trace-steps" aria-label="Steps">
      {steps.map((s, i) => (
        <li key={i} className={s.outcome === 'matched' ? 'trace-step trace-matched' : 'trace-step'}>
          <span className="trace-step-head">
            <span className="trace-num" aria-hidden="true">
              {i + 1}
            </span>
            <strong>{ruleLabel(s.ruleName, s.kind)}</strong>
            <Badge tone={s.outcome === 'matched' ? 'success' : 'neutral'}>{s.outcome === 'matched' ? 'Decided' : 'Passed over'}</Badge>
          </span>
          <span className="trace-detail">{s.sentence}</span>
        </li>
      ))}
    </ol>
  )
}
