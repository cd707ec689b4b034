import { useState, type FormEvent } from 'react'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { fieldErrors, formError, TextField } from '../../components/FormField'
import { Badge, Button, Notice } from '../../components/ui'
import { formatPhone } from '../../lib/format'
import { useAddNumbers, useAddSitter, useFrontDesk, useSitterChoices, useSkipNumbers, type NumberStepKind, type SetupNumber, type SetupResult, type SetupView } from './api'
import { ImportField, NumberSearch } from './NumberSearch'
import { money, monthlyTotal, numberClassWords, toE164, webhookWords } from './steps'

const notANumber = 'Enter the number with its area code, for example +1 415 555 0100.'

// Step 3: the number clients text. Buy one (its cost confirmed first) or
// import one the Twilio account has.
export function FrontDeskStep({ view }: { view: SetupView }) {
  const frontDesk = useFrontDesk()
  const [buying, setBuying] = useState<{ e164: string; display: string; cost: string; currency: string } | null>(null)
  const current = view.numbers.find((n) => n.class === 'front_desk')
  return (
    <div className="stack">
      <p>The front desk number is the one your clients know: texts to it come to your inbox, and new clients start here.</p>
      {current && <NumberList numbers={[current]} label="Front desk number" />}
      {frontDesk.error ? (
        <Notice tone="danger" role="alert">
          {formError(frontDesk.error, [])}
        </Notice>
      ) : null}
      {!current && (
        <>
          <h3>Buy a new number</h3>
          <NumberSearch idPrefix="fd" pickLabel={() => 'Buy'} onPick={(n) => setBuying({ e164: n.e164, display: n.display, cost: n.monthlyCost, currency: n.currency })} />
          <h3>Or use a number you have</h3>
          <ImportField
            idPrefix="fd"
            label="Import"
            busy={frontDesk.isPending && frontDesk.variables?.action === 'import'}
            onImport={(typed) => {
              const e164 = toE164(typed)
              if (!e164) return notANumber
              frontDesk.mutate({ action: 'import', e164 })
              return null
            }}
          />
        </>
      )}
      <ConfirmDialog
        open={buying !== null}
        title="Buy this number?"
        confirmLabel={buying ? `Buy for ${money(buying.cost, buying.currency)} a month` : 'Buy'}
        busy={frontDesk.isPending}
        onCancel={() => setBuying(null)}
        onConfirm={() => {
          if (!buying) return
          frontDesk.mutate({ action: 'buy', e164: buying.e164 }, { onSettled: () => setBuying(null) })
        }}
      >
        {buying && (
          <p>
            <span className="mono">{buying.display}</span> becomes your front desk number. Twilio charges your account {money(buying.cost, buying.currency)} a month
            for it until you release it.
          </p>
        )}
      </ConfirmDialog>
    </div>
  )
}

interface Item {
  action: 'buy' | 'import'
  e164: string
  display: string
  cost?: string
  currency?: string
  sitterId: string
}

const stepWords: Record<NumberStepKind, { intro: string; skip: string; none: string }> = {
  sitter_numbers: {
    intro: 'Each sitter can have their own number. Clients text it to reach the sitter caring for them, and the sitter never sees the client’s real number.',
    skip: 'Skip: sitters reply through the front desk number',
    none: 'No sitter numbers yet.',
  },
  pool_numbers: {
    intro: 'Pool numbers are lent to sitters who have none for the length of a booking, so each client still texts one steady number.',
    skip: 'Skip pool numbers',
    none: 'No pool numbers yet.',
  },
}

// Steps 4 and 5: several numbers at once, bought or imported, sitter
// numbers given to their sitters. The whole list's monthly cost is shown
// before buying; each number's result comes back on its own line.
export function NumbersStep({ view, kind }: { view: SetupView; kind: NumberStepKind }) {
  const add = useAddNumbers(kind)
  const skip = useSkipNumbers(kind)
  const sitters = useSitterChoices(kind === 'sitter_numbers')
  const [items, setItems] = useState<Item[]>([])
  const [confirming, setConfirming] = useState(false)
  const [missingSitter, setMissingSitter] = useState(false)
  const words = stepWords[kind]
  const cls = kind === 'sitter_numbers' ? 'sitter' : 'pool'
  const have = view.numbers.filter((n) => n.class === cls)
  const toBuy = items.filter((i) => i.action === 'buy')
  const total = monthlyTotal(toBuy.map((i) => i.cost ?? '0'))
  const currency = toBuy[0]?.currency ?? view.currency
  const step = view.steps.find((s) => s.key === kind)
  const finishedStep = step?.status === 'done' || step?.status === 'skipped'
  const error = add.error ?? skip.error
  const rowErrors = fieldErrors(add.error)
  const rowFields = items.flatMap((_, i) => [`items[${i}].sitterId`, `items[${i}].e164`])
  const put = (item: Item) => setItems((list) => (list.some((i) => i.e164 === item.e164) ? list : [...list, item]))

  return (
    <div className="stack">
      <p>{words.intro}</p>
      {have.length > 0 ? <NumberList numbers={have} label={kind === 'sitter_numbers' ? 'Sitter numbers' : 'Pool numbers'} sitters={sitters.data?.sitters} /> : <p className="muted">{words.none}</p>}
      {add.data && add.data.lastResults.length > 0 && <ResultList results={add.data.lastResults} />}
      {kind === 'sitter_numbers' && sitters.data && <AddSitter first={sitters.data.sitters.length === 0} />}
      {error ? (
        <Notice tone="danger" role="alert">
          {formError(error, rowFields)}
        </Notice>
      ) : null}
      <h3>Buy numbers</h3>
      <NumberSearch
        idPrefix={kind}
        pickLabel={() => 'Add'}
        picked={(n) => items.some((i) => i.e164 === n.e164)}
        onPick={(n) => put({ action: 'buy', e164: n.e164, display: n.display, cost: n.monthlyCost, currency: n.currency, sitterId: '' })}
      />
      <h3>Or import numbers you have</h3>
      <ImportField
        idPrefix={kind}
        label="Add"
        picked={(e164) => items.some((i) => i.e164 === e164)}
        onImport={(typed) => {
          const e164 = toE164(typed)
          if (!e164) return notANumber
          if (items.some((i) => i.e164 === e164) || view.numbers.some((n) => n.e164 === e164)) return 'That number is on the list already.'
          put({ action: 'import', e164, display: formatPhone(e164), sitterId: '' })
          return null
        }}
      />
      {items.length > 0 && (
        <div className="cart">
          <h3>To add ({items.length})</h3>
          <ul aria-label="Numbers to add">
            {items.map((it, idx) => {
              const rowError = rowErrors[`items[${idx}].sitterId`] ?? rowErrors[`items[${idx}].e164`]
              return (
                <li key={it.e164}>
                  <span className="mono">{it.display}</span>
                  <span>{it.action === 'buy' ? `Buy, ${money(it.cost, it.currency)}/month` : 'Import'}</span>
                  {kind === 'sitter_numbers' && (
                    <label className="cart-sitter">
                      <span className="sr-only">Sitter for {it.display}</span>
                      <select
                        value={it.sitterId}
                        aria-invalid={rowError ? true : undefined}
                        aria-describedby={rowError ? `row-${idx}-error` : undefined}
                        onChange={(e) => setItems((list) => list.map((i) => (i.e164 === it.e164 ? { ...i, sitterId: e.target.value } : i)))}
                      >
                        <option value="">Choose a sitter</option>
                        {(sitters.data?.sitters ?? []).map((s) => (
                          <option key={s.id} value={s.id}>
                            {s.name}
                          </option>
                        ))}
                      </select>
                    </label>
                  )}
                  <Button variant="ghost" onClick={() => setItems((list) => list.filter((i) => i.e164 !== it.e164))} aria-label={`Remove ${it.display}`}>
                    Remove
                  </Button>
                  {rowError && (
                    <p id={`row-${idx}-error`} className="field-error cart-error">
                      {rowError}
                    </p>
                  )}
                </li>
              )
            })}
          </ul>
          {missingSitter && items.some((i) => !i.sitterId) && (
            <p className="field-error" role="alert">
              Choose a sitter for each number.
            </p>
          )}
          <Button variant="primary" onClick={review} busy={add.isPending} disabled={add.isPending}>
            {toBuy.length > 0 ? `Buy ${toBuy.length} and import ${items.length - toBuy.length}` : `Import ${items.length}`}
          </Button>
        </div>
      )}
      {!finishedStep && items.length === 0 && (
        <div>
          <Button onClick={() => skip.mutate(undefined)} busy={skip.isPending} disabled={skip.isPending}>
            {words.skip}
          </Button>
        </div>
      )}
      <ConfirmDialog
        open={confirming}
        title={`Buy ${toBuy.length} ${toBuy.length === 1 ? 'number' : 'numbers'}?`}
        confirmLabel={`Buy for ${money(total, currency)} a month`}
        busy={add.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={submit}
      >
        <p>
          Twilio charges your account {money(total, currency)} a month for {toBuy.length === 1 ? 'this number' : 'these numbers'} until you release them.
          {items.length > toBuy.length && ` ${items.length - toBuy.length} imported ${items.length - toBuy.length === 1 ? 'number costs' : 'numbers cost'} nothing more.`}
        </p>
      </ConfirmDialog>
    </div>
  )

  // Every sitter number needs its sitter; what is bought is confirmed with its cost.
  function review() {
    const missing = kind === 'sitter_numbers' && items.some((i) => !i.sitterId)
    setMissingSitter(missing)
    if (missing) return
    if (toBuy.length > 0) setConfirming(true)
    else submit()
  }

  function submit() {
    add.mutate(
      items.map((i) => ({ action: i.action, e164: i.e164, ...(i.sitterId ? { sitterId: i.sitterId } : {}) })),
      {
        onSuccess: () => setItems([]),
        onSettled: () => setConfirming(false),
      },
    )
  }
}

function NumberList({ numbers, label, sitters }: { numbers: SetupNumber[]; label: string; sitters?: { id: string; name: string }[] }) {
  return (
    <ul className="have" aria-label={label}>
      {numbers.map((n) => {
        const w = webhookWords(n.webhookStatus)
        const sitter = sitters?.find((s) => s.id === n.sitterId)
        return (
          <li key={n.id}>
            <span className="mono">{n.display || formatPhone(n.e164)}</span>
            <span>{numberClassWords(n.class)}</span>
            {sitter && <span>{sitter.name}</span>}
            <span className="muted">{n.bought ? `Bought, ${money(n.monthlyCost, 'USD')}/month` : 'Imported'}</span>
            <Badge tone={w.tone}>{w.label}</Badge>
          </li>
        )
      })}
    </ul>
  )
}

function ResultList({ results }: { results: SetupResult[] }) {
  return (
    <div>
      <h3>Last result</h3>
      <ul className="results" aria-label="Last result, one line per number">
        {results.map((r) => (
          <li key={r.e164} className={r.ok ? 'check-ok' : 'check-failed'}>
            <Badge tone={r.ok ? 'success' : 'danger'}>{r.ok ? (r.bought ? 'Bought' : 'Imported') : 'Failed'}</Badge>
            <span className="mono">{formatPhone(r.e164)}</span>
            {r.error && <span>{r.error}</span>}
            {r.compensated && <span className="muted">Released again, so you are not charged for it.</span>}
          </li>
        ))}
      </ul>
    </div>
  )
}

/** A sitter added without leaving setup: sitter numbers belong to sitters. */
function AddSitter({ first }: { first: boolean }) {
  const add = useAddSitter()
  const [open, setOpen] = useState(first)
  const [form, setForm] = useState({ name: '', phone: '' })
  const errors = fieldErrors(add.error)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    add.mutate(form, { onSuccess: () => setForm({ name: '', phone: '' }) })
  }
  if (!open) {
    return (
      <div>
        <Button variant="ghost" onClick={() => setOpen(true)}>
          Add a sitter
        </Button>
      </div>
    )
  }
  return (
    <form className="add-sitter" onSubmit={submit} noValidate aria-labelledby="add-sitter-title">
      <h3 id="add-sitter-title">{first ? 'Add your sitters first' : 'Add a sitter'}</h3>
      {first && <p className="muted">Each sitter number belongs to a sitter. Add them here, or invite them from the Team page later and skip this step.</p>}
      <div className="search-row">
        <TextField id="sitter-name" label="Sitter’s name" value={form.name} onChange={(e) => setForm((f) => ({ ...f, name: e.target.value }))} error={errors.name} />
        <TextField id="sitter-phone" label="Their own mobile number" inputMode="tel" value={form.phone} onChange={(e) => setForm((f) => ({ ...f, phone: e.target.value }))} error={errors.phone} />
        <Button type="submit" busy={add.isPending} disabled={add.isPending}>
          Add sitter
        </Button>
      </div>
      {add.isSuccess && <p role="status">{add.data.name} was added.</p>}
      {add.error && !errors.name && !errors.phone ? <p className="field-error">{formError(add.error, ['name', 'phone'])}</p> : null}
    </form>
  )
}
