import { useState, type FormEvent } from 'react'
import { formError, TextField } from '../../components/FormField'
import { Button, EmptyState, Notice, Skeleton } from '../../components/ui'
import { useAvailableNumbers, useOwnedNumbers, type AvailableNumber, type NumberSearch as Search } from './api'
import { money } from './steps'

// Search numbers for sale by area code or state, each shown with what it
// costs a month before anything is bought. pick decides what a result's
// button does (buy now, or add to a list).
export function NumberSearch({
  idPrefix,
  pickLabel,
  onPick,
  picked,
}: {
  idPrefix: string
  pickLabel: (n: AvailableNumber) => string
  onPick: (n: AvailableNumber) => void
  picked?: (n: AvailableNumber) => boolean
}) {
  const [draft, setDraft] = useState<Search>({ areaCode: '', region: '', tollFree: false })
  const [search, setSearch] = useState<Search | null>(null)
  const found = useAvailableNumbers(search)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    setSearch({ areaCode: draft.areaCode?.trim(), region: draft.region?.trim().toUpperCase(), tollFree: draft.tollFree })
  }
  return (
    <div className="number-search">
      <form className="search-row" onSubmit={submit} role="search" aria-label="Numbers for sale">
        <TextField
          id={`${idPrefix}-area`}
          label="Area code"
          inputMode="numeric"
          maxLength={3}
          value={draft.areaCode}
          onChange={(e) => setDraft((d) => ({ ...d, areaCode: e.target.value }))}
          disabled={draft.tollFree}
          placeholder="415"
        />
        <TextField
          id={`${idPrefix}-region`}
          label="or state"
          maxLength={2}
          value={draft.region}
          onChange={(e) => setDraft((d) => ({ ...d, region: e.target.value }))}
          disabled={draft.tollFree}
          placeholder="CA"
        />
        <label className="check">
          <input type="checkbox" checked={draft.tollFree} onChange={(e) => setDraft((d) => ({ ...d, tollFree: e.target.checked }))} /> Toll-free
        </label>
        <Button type="submit">Search</Button>
      </form>
      {search === null ? null : found.isPending ? (
        <div role="status" aria-label="Searching numbers">
          <Skeleton lines={3} />
        </div>
      ) : found.isError ? (
        <Notice tone="danger" role="alert">
          {formError(found.error, [])}
        </Notice>
      ) : found.data.numbers.length === 0 ? (
        <EmptyState title="No numbers for sale there">Try a nearby area code, or search by state.</EmptyState>
      ) : (
        <>
          <p className="muted">
            Each number costs {money(found.data.monthlyCost, found.data.currency)} a month, charged by Twilio to your account.
          </p>
          <ul className="available" aria-label="Numbers for sale">
            {found.data.numbers.map((n) => (
              <li key={n.e164}>
                <span className="mono">{n.display}</span>
                <span className="muted">{[n.locality, n.region].filter(Boolean).join(', ') || 'Toll-free'}</span>
                <span>
                  {money(n.monthlyCost, n.currency)}/month{n.mms ? ' · photos' : ''}
                </span>
                <Button onClick={() => onPick(n)} disabled={picked?.(n)} aria-label={`${pickLabel(n)} ${n.display}`}>
                  {picked?.(n) ? 'Added' : pickLabel(n)}
                </Button>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  )
}

/**
 * A number the account already owns, to import: picked from the account's
 * list, or typed in.
 */
export function ImportField({
  idPrefix,
  label,
  busy,
  onImport,
  picked,
}: {
  idPrefix: string
  label: string
  busy?: boolean
  onImport: (typed: string) => string | null
  picked?: (e164: string) => boolean
}) {
  const owned = useOwnedNumbers()
  const free = (owned.data?.numbers ?? []).filter((n) => !n.inUse && n.sms)
  const [pickError, setPickError] = useState<string | null>(null)
  const [typed, setTyped] = useState('')
  const [error, setError] = useState<string | undefined>()
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const problem = onImport(typed)
    setError(problem ?? undefined)
    if (!problem) setTyped('')
  }
  return (
    <div className="stack">
      <p className="muted">Snout keeps the number as it is in Twilio and only points its texts here.</p>
      {owned.isPending ? (
        <div role="status" aria-label="Loading your Twilio numbers">
          <Skeleton lines={2} />
        </div>
      ) : owned.isError ? (
        <Notice tone="warning">Your Twilio account’s numbers couldn’t be listed ({formError(owned.error, [])}). Type the number instead.</Notice>
      ) : free.length === 0 ? (
        <p className="muted">Every number in your Twilio account is in Snout already.</p>
      ) : (
        <ul className="available" aria-label="Numbers in your Twilio account">
          {free.map((n) => (
            <li key={n.e164}>
              <span className="mono">{n.display}</span>
              <span className="muted">{n.friendlyName}</span>
              <Button
                onClick={() => setPickError(onImport(n.e164))}
                disabled={busy || picked?.(n.e164)}
                aria-label={`${label} ${n.display}`}
              >
                {picked?.(n.e164) ? 'Added' : label}
              </Button>
            </li>
          ))}
        </ul>
      )}
      {pickError && <p className="field-error">{pickError}</p>}
      <form onSubmit={submit} noValidate>
        <div className="search-row">
          <TextField
            id={`${idPrefix}-import`}
            label="Or type a number from your Twilio account"
            inputMode="tel"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            placeholder="+1 415 555 0100"
            error={error}
          />
          <Button type="submit" busy={busy} disabled={busy}>
            {label}
          </Button>
        </div>
      </form>
    </div>
  )
}
