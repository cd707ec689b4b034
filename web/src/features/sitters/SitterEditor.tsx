import { useState, type FormEvent } from 'react'
import { fieldErrors, formError, SelectField, TextField } from '../../components/FormField'
import { Button, Notice, Skeleton } from '../../components/ui'
import { ApiError } from '../../lib/api/http'
import { formatPhone } from '../../lib/format'
import { formOf, useAssignNumber, useCreateSitter, useFreeSitterNumbers, useSitter, useUpdateSitter, type Sitter, type SitterForm } from './api'

const fields = ['name', 'displayName', 'phone', 'status']

interface WindowAhead {
  windowId: string
  clientName: string
  starts: string
  ends: string
}

function windowsOf(detail: unknown): WindowAhead[] {
  const ws = detail && typeof detail === 'object' ? (detail as { windows?: unknown }).windows : null
  return Array.isArray(ws) ? (ws as WindowAhead[]) : []
}

/** The profile form of a sitter (or a new one), with their number and the windows ahead of them. */
export function SitterEditor({ sitter, onDone }: { sitter?: Sitter; onDone: () => void }) {
  const [form, setForm] = useState<SitterForm>(() => formOf(sitter))
  const create = useCreateSitter()
  const update = useUpdateSitter()
  const save = sitter ? update : create
  const set = (k: keyof SitterForm) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }))

  function submit(e: FormEvent) {
    e.preventDefault()
    if (sitter) update.mutate({ id: sitter.id, form }, { onSuccess: onDone })
    else create.mutate({ name: form.name, displayName: form.displayName, phone: form.phone }, { onSuccess: onDone })
  }

  const errors = fieldErrors(save.error)
  const blocking = save.error instanceof ApiError && save.error.code === 'sitter_has_windows' ? windowsOf(save.error.detail) : []
  const top = blocking.length > 0 ? null : formError(save.error, fields)
  return (
    <div className="sitter-editor">
      <form className="form" onSubmit={submit} noValidate>
        {top && (
          <Notice tone="danger" role="alert">
            {top}
          </Notice>
        )}
        <TextField id="sitter-name" label="Name" autoComplete="off" required value={form.name} onChange={set('name')} error={errors.name} />
        <TextField
          id="sitter-display"
          label="Display name"
          autoComplete="off"
          value={form.displayName}
          onChange={set('displayName')}
          error={errors.displayName}
          hint="The name your clients see, such as “Sam P.”."
        />
        <TextField
          id="sitter-phone"
          label="Their own phone (optional)"
          type="tel"
          autoComplete="off"
          value={form.phone}
          onChange={set('phone')}
          error={errors.phone}
          hint="For the business to reach them. Clients never see it."
        />
        {sitter && (
          <SelectField
            id="sitter-status"
            label="Status"
            value={form.status}
            onChange={set('status')}
            error={errors.status}
            hint="An inactive sitter no longer works with clients."
          >
            <option value="active">Active</option>
            <option value="inactive">Inactive</option>
          </SelectField>
        )}
        {blocking.length > 0 && (
          <div className="notice notice-warning" role="alert">
            <p>
              {sitter?.name} still has {blocking.length === 1 ? 'a window' : `${blocking.length} windows`} that {blocking.length === 1 ? "hasn't" : "haven't"}{' '}
              ended. Reassign or cancel {blocking.length === 1 ? 'it' : 'them'} first:
            </p>
            <ul className="window-list">
              {blocking.map((w) => (
                <li key={w.windowId}>
                  <strong className="break">{w.clientName}</strong>
                  <span>
                    {w.starts} – {w.ends}
                  </span>
                </li>
              ))}
            </ul>
          </div>
        )}
        <div className="row">
          <Button type="submit" variant="primary" disabled={save.isPending || !form.name.trim()}>
            {save.isPending ? 'Saving…' : sitter ? 'Save changes' : 'Add sitter'}
          </Button>
          <Button onClick={onDone}>Cancel</Button>
        </div>
      </form>
      {sitter && <SitterNumber sitter={sitter} />}
      {sitter && <WindowsAhead id={sitter.id} />}
    </div>
  )
}

function SitterNumber({ sitter }: { sitter: Sitter }) {
  const [choosing, setChoosing] = useState(false)
  const free = useFreeSitterNumbers(choosing)
  const assign = useAssignNumber()
  const [numberId, setNumberId] = useState('')
  const choices = free.data?.numbers ?? []
  return (
    <section className="editor-section" aria-labelledby="sitter-number-title">
      <h3 id="sitter-number-title">Sitter number</h3>
      {sitter.line ? (
        <p>
          Clients text {sitter.name} on <strong className="nowrap">{formatPhone(sitter.line.e164)}</strong>
          {sitter.line.name && <span className="muted"> ({sitter.line.name})</span>}.
        </p>
      ) : (
        <p className="muted">{sitter.name} has no number of their own: their clients text the front desk.</p>
      )}
      {assign.isSuccess ? (
        <Notice tone="success" role="status">
          Number assigned.
        </Notice>
      ) : !choosing ? (
        <Button onClick={() => setChoosing(true)}>{sitter.line ? 'Give them another number' : 'Give them a number'}</Button>
      ) : free.isPending ? (
        <Skeleton lines={1} />
      ) : free.isError ? (
        <Notice tone="danger" role="alert">
          {free.error.message}
        </Notice>
      ) : choices.length === 0 ? (
        <p className="muted">No free sitter numbers. Buy or import one on the numbers page first.</p>
      ) : (
        <div className="row">
          <div className="field grow">
            <label htmlFor="sitter-number">Free sitter numbers</label>
            <select id="sitter-number" value={numberId} onChange={(e) => setNumberId(e.target.value)}>
              <option value="">Choose a number</option>
              {choices.map((n) => (
                <option key={n.id} value={n.id}>
                  {n.display || formatPhone(n.e164)}
                  {n.friendlyName ? ` (${n.friendlyName})` : ''}
                </option>
              ))}
            </select>
          </div>
          <Button variant="primary" disabled={!numberId || assign.isPending} onClick={() => assign.mutate({ numberId, sitterId: sitter.id })}>
            Assign
          </Button>
        </div>
      )}
      {assign.isError && (
        <Notice tone="danger" role="alert">
          {assign.error.message}
        </Notice>
      )}
    </section>
  )
}

function WindowsAhead({ id }: { id: string }) {
  const profile = useSitter(id)
  return (
    <section className="editor-section" aria-labelledby="windows-ahead-title">
      <h3 id="windows-ahead-title">Windows now and ahead</h3>
      {profile.isPending ? (
        <Skeleton lines={2} />
      ) : profile.isError ? (
        <Notice tone="danger" role="alert">
          {profile.error.message}
        </Notice>
      ) : profile.data.windowsAhead.length === 0 ? (
        <p className="muted">No windows now or ahead.</p>
      ) : (
        <ul className="window-list">
          {profile.data.windowsAhead.map((w) => (
            <li key={w.windowId}>
              <strong className="break">{w.clientName}</strong>
              <span>
                {w.starts} – {w.ends}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
