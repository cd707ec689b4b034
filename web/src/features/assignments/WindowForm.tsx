import { useId, useState, type FormEvent } from 'react'
import { fieldErrors, formError, SelectField, TextField } from '../../components/FormField'
import { Button, Notice } from '../../components/ui'
import { useClientOptions, useCreateWindow, useEditWindow, useSitters, type AssignmentWindow } from './api'
import { fromLocalInput, toLocalInput } from './time'

export interface NewWindow {
  sitterId: string
  clientId?: string
  /** Instants (ms). */
  startsAt: number
  endsAt: number
}

const shownFields = ['sitterId', 'clientId', 'startsAt', 'endsAt', 'note']

// The create and edit form of a window. Times are typed in the org's zone;
// each field shows the API's own message about it, and a refusal that
// concerns no field (an overlap naming the window in the way) shows above
// the buttons.
export function WindowForm({
  timeZone,
  initial,
  window: existing,
  onDone,
  onCancelWindow,
}: {
  timeZone: string
  initial?: NewWindow
  window?: AssignmentWindow
  onDone: (w: AssignmentWindow) => void
  onCancelWindow?: () => void
}) {
  const id = useId()
  const sitters = useSitters()
  const clients = useClientOptions()
  const create = useCreateWindow()
  const edit = useEditWindow()
  const editing = !!existing
  const [sitterId, setSitterId] = useState(existing?.sitter.id ?? initial?.sitterId ?? '')
  const [clientId, setClientId] = useState(existing?.client.id ?? initial?.clientId ?? '')
  const [start, setStart] = useState(toLocalInput(existing ? Date.parse(existing.startsAt) : (initial?.startsAt ?? NaN), timeZone))
  const [end, setEnd] = useState(toLocalInput(existing ? Date.parse(existing.endsAt) : (initial?.endsAt ?? NaN), timeZone))
  const [note, setNote] = useState(existing?.note ?? '')
  const [notify, setNotify] = useState(!editing)
  const mutation = editing ? edit : create
  const errors = fieldErrors(mutation.error)
  const topError = formError(mutation.error, shownFields)
  const finished = existing && (existing.status === 'ended' || existing.status === 'cancelled')

  const activeSitters = (sitters.data?.sitters ?? []).filter((s) => s.active || s.id === sitterId)
  const clientOptions = clients.data?.clients ?? []
  const hasClient = clientOptions.some((c) => c.id === clientId)

  const submit = (e: FormEvent) => {
    e.preventDefault()
    // A time the browser could not read goes to the API as typed, so its
    // message shows beside the field.
    const startsAt = fromLocalInput(start, timeZone) || start
    const endsAt = fromLocalInput(end, timeZone) || end
    if (existing) {
      // Only what changed: an untouched time keeps its seconds.
      const was = { start: toLocalInput(Date.parse(existing.startsAt), timeZone), end: toLocalInput(Date.parse(existing.endsAt), timeZone) }
      edit.mutate(
        {
          id: existing.id,
          sitterId: sitterId !== existing.sitter.id ? sitterId : undefined,
          startsAt: start !== was.start ? startsAt : undefined,
          endsAt: end !== was.end ? endsAt : undefined,
          note: note !== existing.note ? note : undefined,
          notifyClient: notify,
        },
        { onSuccess: onDone },
      )
    } else {
      create.mutate({ sitterId, clientId, startsAt, endsAt, note, notifyClient: notify }, { onSuccess: onDone })
    }
  }

  return (
    <form className="window-form" onSubmit={submit} noValidate aria-label={editing ? 'Edit the window' : 'New window'}>
      {finished && (
        <Notice tone="neutral">
          This window has {existing.status}; it can no longer change. Create a new one for another visit.
        </Notice>
      )}
      <SelectField id={`${id}-sitter`} label="Sitter" value={sitterId} onChange={(e) => setSitterId(e.target.value)} error={errors.sitterId} disabled={!!finished} required>
        <option value="">Choose a sitter</option>
        {activeSitters.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
            {s.active ? '' : ' (inactive)'}
          </option>
        ))}
        {existing && !activeSitters.some((s) => s.id === existing.sitter.id) && <option value={existing.sitter.id}>{existing.sitter.name}</option>}
      </SelectField>
      {editing ? (
        <div className="field">
          <span className="field-label">Client</span>
          <p className="field-static">{existing.client.name}</p>
          <p className="field-hint">A window stays with its client; cancel it and create another for a different client.</p>
        </div>
      ) : (
        <SelectField
          id={`${id}-client`}
          label="Client"
          value={clientId}
          onChange={(e) => setClientId(e.target.value)}
          error={errors.clientId}
          hint={clients.isError ? `The client list didn't load: ${clients.error.message}` : undefined}
          required
        >
          <option value="">{clients.isPending ? 'Loading clients…' : 'Choose a client'}</option>
          {clientId && !hasClient && !clients.isPending && <option value={clientId}>This client</option>}
          {clientOptions.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </SelectField>
      )}
      <div className="field-row">
        <TextField
          id={`${id}-start`}
          label="Starts"
          type="datetime-local"
          value={start}
          onChange={(e) => setStart(e.target.value)}
          error={errors.startsAt}
          disabled={!!finished || existing?.status === 'active'}
          hint={existing?.status === 'active' ? 'It has started, so its start stays; change its end, or cancel it.' : undefined}
          required
        />
        <TextField id={`${id}-end`} label="Ends" type="datetime-local" value={end} onChange={(e) => setEnd(e.target.value)} error={errors.endsAt} disabled={!!finished} required />
      </div>
      <p className="field-hint">Times are in the business's time zone, {timeZone.replace(/_/g, ' ')}.</p>
      <div className="field">
        <label htmlFor={`${id}-note`}>Note for the sitter (optional)</label>
        <textarea
          id={`${id}-note`}
          rows={2}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          aria-invalid={errors.note ? true : undefined}
          aria-describedby={errors.note ? `${id}-note-error` : undefined}
          disabled={!!finished}
          maxLength={1000}
        />
        {errors.note && (
          <p id={`${id}-note-error`} className="field-error">
            {errors.note}
          </p>
        )}
      </div>
      {!finished && (
        <label className="check">
          <input type="checkbox" checked={notify} onChange={(e) => setNotify(e.target.checked)} />
          {editing ? 'If the sitter changes, text the client who is caring for them now' : 'Text the client who is caring for them when the window starts'}
        </label>
      )}
      {topError && (
        <Notice tone="danger" role="alert">
          {topError}
        </Notice>
      )}
      <div className="form-actions">
        {!finished && (
          <Button type="submit" variant="primary" disabled={mutation.isPending} busy={mutation.isPending}>
            {mutation.isPending ? 'Saving…' : editing ? 'Save changes' : 'Create window'}
          </Button>
        )}
        {onCancelWindow && !finished && (
          <Button variant="danger" onClick={onCancelWindow}>
            Cancel this window…
          </Button>
        )}
      </div>
    </form>
  )
}
