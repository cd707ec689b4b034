import { useId, useState, type FormEvent } from 'react'
import { Link } from 'react-router'
import { Button, Notice } from '../../components/ui'
import { addPhone, emptyClientForm, formErrors, newPet, removePhone, setPrimary, toRequest, updateRow, type ClientFormValues, type FormErrors } from './form'
import type { ClientDetailView, ClientRequest } from './types'

// The create and edit form. Nothing typed is lost on a refusal: the API's
// per-field messages show beside the fields, and a number another client
// already holds links to that client.
export function ClientForm({
  initial,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  initial?: ClientFormValues
  submitLabel: string
  onSubmit: (body: ClientRequest) => Promise<ClientDetailView>
  onCancel: () => void
}) {
  const [v, setV] = useState<ClientFormValues>(() => initial ?? emptyClientForm())
  const [errors, setErrors] = useState<FormErrors>({ fields: {}, takenBy: {} })
  const [saving, setSaving] = useState(false)
  const id = useId()
  const f = errors.fields
  const set = (patch: Partial<ClientFormValues>) => setV((cur) => ({ ...cur, ...patch }))

  async function submit(e: FormEvent) {
    e.preventDefault()
    const built = toRequest(v)
    setSaving(true)
    try {
      await onSubmit(built.body)
    } catch (err) {
      setErrors(formErrors(err, built))
      // Focus the first field at fault.
      requestAnimationFrame(() => document.querySelector<HTMLElement>('.client-form [aria-invalid="true"]')?.focus())
    } finally {
      setSaving(false)
    }
  }

  const err = (key: string, fieldId: string) =>
    f[key] ? (
      <p className="field-error" id={`${fieldId}-error`}>
        {f[key]}
      </p>
    ) : null
  const described = (key: string, fieldId: string, hint?: string) => [f[key] ? `${fieldId}-error` : '', hint ?? ''].filter(Boolean).join(' ') || undefined

  return (
    <form className="form client-form" onSubmit={submit} noValidate>
      {errors.message && (
        <Notice tone="danger" role="alert">
          {errors.message}
        </Notice>
      )}
      {Object.keys(f).length > 0 && (
        <Notice tone="danger" role="alert">
          Some details need a fix; see the messages below.
        </Notice>
      )}

      <div className="field">
        <label htmlFor={`${id}-name`}>Name</label>
        <input id={`${id}-name`} value={v.name} autoComplete="off" onChange={(e) => set({ name: e.target.value })} aria-invalid={!!f.name || undefined} aria-describedby={described('name', `${id}-name`)} />
        {err('name', `${id}-name`)}
      </div>

      <fieldset className="fieldset">
        <legend>Phone numbers</legend>
        <p className="muted small" id={`${id}-phone-hint`}>
          Any common format: (650) 555-0123, 650.555.0123, +44 20 7946 0958. The primary number is the one texts go to.
        </p>
        {f.phones && <p className="field-error">{f.phones}</p>}
        <ul className="rows">
          {v.phones.map((p, i) => {
            const pid = `${id}-phone-${p.key}`
            const taken = errors.takenBy[p.key]
            return (
              <li key={p.key} className="phone-row" data-testid="phone-row">
                <div className="field phone-number">
                  <label htmlFor={pid}>Phone {i + 1}</label>
                  <input
                    id={pid}
                    type="tel"
                    inputMode="tel"
                    autoComplete="off"
                    value={p.number}
                    onChange={(e) => set({ phones: updateRow(v.phones, p.key, { number: e.target.value }) })}
                    aria-invalid={!!f[`${p.key}.number`] || undefined}
                    aria-describedby={described(`${p.key}.number`, pid, `${id}-phone-hint`)}
                  />
                  {f[`${p.key}.number`] && (
                    <p className="field-error" id={`${pid}-error`}>
                      {f[`${p.key}.number`]}{' '}
                      {taken && (
                        <Link to={`/clients/${taken.clientId}`} className="nowrap">
                          Open {taken.clientName}
                        </Link>
                      )}
                    </p>
                  )}
                </div>
                <div className="field phone-label">
                  <label htmlFor={`${pid}-label`}>Label</label>
                  <input id={`${pid}-label`} value={p.label} placeholder="Mobile, work…" onChange={(e) => set({ phones: updateRow(v.phones, p.key, { label: e.target.value }) })} aria-invalid={!!f[`${p.key}.label`] || undefined} />
                  {err(`${p.key}.label`, `${pid}-label`)}
                </div>
                <label className="radio phone-primary">
                  <input type="radio" name={`${id}-primary`} checked={p.primary} onChange={() => set({ phones: setPrimary(v.phones, p.key) })} />
                  Primary
                </label>
                {v.phones.length > 1 && (
                  <Button variant="ghost" className="row-remove" onClick={() => set({ phones: removePhone(v.phones, p.key) })} aria-label={`Remove phone ${i + 1}`}>
                    Remove
                  </Button>
                )}
              </li>
            )
          })}
        </ul>
        {v.phones.length < 5 && (
          <Button onClick={() => set({ phones: addPhone(v.phones) })}>Add another number</Button>
        )}
      </fieldset>

      <div className="field">
        <label htmlFor={`${id}-email`}>Email</label>
        <input id={`${id}-email`} type="email" autoComplete="off" value={v.email} onChange={(e) => set({ email: e.target.value })} aria-invalid={!!f.email || undefined} aria-describedby={described('email', `${id}-email`)} />
        {err('email', `${id}-email`)}
      </div>

      <fieldset className="fieldset">
        <legend>Pets</legend>
        {f.pets && <p className="field-error">{f.pets}</p>}
        {v.pets.length === 0 && <p className="muted small">No pets yet.</p>}
        <ul className="rows">
          {v.pets.map((p, i) => {
            const pid = `${id}-pet-${p.key}`
            return (
              <li key={p.key} className="pet-row" data-testid="pet-row">
                <div className="field pet-name">
                  <label htmlFor={pid}>Pet {i + 1} name</label>
                  <input id={pid} value={p.name} onChange={(e) => set({ pets: updateRow(v.pets, p.key, { name: e.target.value }) })} aria-invalid={!!f[`${p.key}.name`] || undefined} aria-describedby={described(`${p.key}.name`, pid)} />
                  {err(`${p.key}.name`, pid)}
                </div>
                <div className="field pet-notes">
                  <label htmlFor={`${pid}-notes`}>Notes</label>
                  <input id={`${pid}-notes`} value={p.notes} placeholder="Breed, feeding, habits…" onChange={(e) => set({ pets: updateRow(v.pets, p.key, { notes: e.target.value }) })} aria-invalid={!!f[`${p.key}.notes`] || undefined} aria-describedby={described(`${p.key}.notes`, `${pid}-notes`)} />
                  {err(`${p.key}.notes`, `${pid}-notes`)}
                </div>
                <Button variant="ghost" className="row-remove" onClick={() => set({ pets: v.pets.filter((x) => x.key !== p.key) })} aria-label={`Remove pet ${i + 1}${p.name ? ` (${p.name})` : ''}`}>
                  Remove
                </Button>
              </li>
            )
          })}
        </ul>
        <Button onClick={() => set({ pets: [...v.pets, newPet()] })}>Add a pet</Button>
      </fieldset>

      <div className="field">
        <label htmlFor={`${id}-address`}>Address</label>
        <textarea id={`${id}-address`} rows={2} value={v.address} onChange={(e) => set({ address: e.target.value })} aria-invalid={!!f.address || undefined} aria-describedby={described('address', `${id}-address`)} />
        {err('address', `${id}-address`)}
      </div>

      <div className="field">
        <label htmlFor={`${id}-tags`}>Tags</label>
        <input id={`${id}-tags`} value={v.tags} placeholder="weekly, vip" onChange={(e) => set({ tags: e.target.value })} aria-invalid={!!f.tags || undefined} aria-describedby={described('tags', `${id}-tags`, `${id}-tags-hint`)} />
        <p className="muted small" id={`${id}-tags-hint`}>
          Separate tags with commas.
        </p>
        {err('tags', `${id}-tags`)}
      </div>

      <div className="field">
        <label htmlFor={`${id}-notes`}>Notes</label>
        <textarea id={`${id}-notes`} rows={3} value={v.notes} onChange={(e) => set({ notes: e.target.value })} aria-invalid={!!f.notes || undefined} aria-describedby={described('notes', `${id}-notes`)} />
        {err('notes', `${id}-notes`)}
      </div>

      <div className="form-actions">
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" disabled={saving} busy={saving}>
          {saving ? 'Saving…' : submitLabel}
        </Button>
      </div>
    </form>
  )
}
