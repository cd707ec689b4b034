import { useId, useState, type FormEvent } from 'react'
import { Link } from 'react-router'
import { SelectField, TextField, fieldErrors, formError } from '../../components/FormField'
import { Badge, Button, EmptyState, Notice } from '../../components/ui'
import { useProvision, useSearchForSale, useSitterChoices, type ProvisionItem, type SearchQuery } from './api'
import type { AvailableNumber, ProvisionView } from './types'
import { classWords, displayNumber, requestKey } from './words'

type Use = { class: ProvisionItem['class']; sitterId: string }

// Buy a number (search by area code or state, the monthly cost shown
// before buying) or add one the Twilio account already owns.
export function AddNumberPage() {
  return (
    <main id="main" className="page page-wide">
      <Link to="/numbers" className="crumb">
        ← Numbers
      </Link>
      <h1>Buy or add a number</h1>
      <div className="number-grid">
        <BuySection />
        <ImportSection />
      </div>
    </main>
  )
}

function UseFields({ value, onChange, errors }: { value: Use; onChange: (u: Use) => void; errors: Record<string, string> }) {
  const id = useId()
  const sitters = useSitterChoices()
  return (
    <div className="row">
      <SelectField id={`${id}-class`} label="Use it for" value={value.class} error={errors.class} onChange={(e) => onChange({ ...value, class: e.target.value as Use['class'] })}>
        <option value="pool">The pool (new client conversations)</option>
        <option value="sitter">A sitter's line</option>
        <option value="front_desk">The front desk</option>
      </SelectField>
      {value.class === 'sitter' && (
        <SelectField id={`${id}-sitter`} label="Sitter" value={value.sitterId} error={errors.sitterId ?? errors.sitter} onChange={(e) => onChange({ ...value, sitterId: e.target.value })}>
          <option value="">Choose a sitter</option>
          {(sitters.data ?? []).map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </SelectField>
      )}
    </div>
  )
}

function item(e164: string, u: Use): ProvisionItem {
  return { e164, class: u.class, ...(u.class === 'sitter' && u.sitterId ? { sitterId: u.sitterId } : {}) }
}

/** The outcome of a buy or an import, number by number. */
function Outcome({ r, verb }: { r: ProvisionView | { status: string }; verb: string }) {
  if (!('items' in r)) return <Notice role="status">Still working on it: the number shows in the inventory in a minute.</Notice>
  return (
    <div role="status" data-testid="provision-result">
      {r.items.map((it) => (
        <Notice key={it.e164} tone={it.ok ? 'success' : 'danger'}>
          {it.ok ? (
            <>
              {verb} {displayNumber(it.e164)}.{' '}
              {it.numberId && (
                <Link to={`/numbers/${it.numberId}`}>Open {displayNumber(it.e164)}</Link>
              )}
            </>
          ) : (
            <>
              {displayNumber(it.e164)}: {it.error}
            </>
          )}
        </Notice>
      ))}
    </div>
  )
}

function BuySection() {
  const id = useId()
  const [mode, setMode] = useState<'areaCode' | 'region'>('areaCode')
  const [text, setText] = useState('')
  const [query, setQuery] = useState<SearchQuery | null>(null)
  const search = useSearchForSale(query)
  const [picked, setPicked] = useState<AvailableNumber | null>(null)
  const [use, setUse] = useState<Use>({ class: 'pool', sitterId: '' })
  const [requestId, setRequestId] = useState(() => requestKey())
  const buy = useProvision('buy')
  const searchErrors = fieldErrors(search.error)

  const submitSearch = (e: FormEvent) => {
    e.preventDefault()
    setPicked(null)
    buy.reset()
    const v = text.trim()
    setQuery(mode === 'areaCode' ? { areaCode: v } : { region: v.toUpperCase() })
  }

  return (
    <section className="card" aria-labelledby={`${id}-buy`}>
      <h2 id={`${id}-buy`}>Buy a new number</h2>
      <form className="form" onSubmit={submitSearch} role="search" aria-label="Numbers for sale">
        <fieldset className="fieldset">
          <legend className="field-label">Search by</legend>
          <div className="row">
            <label className="radio">
              <input type="radio" name={`${id}-mode`} checked={mode === 'areaCode'} onChange={() => setMode('areaCode')} /> Area code
            </label>
            <label className="radio">
              <input type="radio" name={`${id}-mode`} checked={mode === 'region'} onChange={() => setMode('region')} /> State or province
            </label>
          </div>
        </fieldset>
        <div className="row row-nowrap search-row">
          <TextField
            id={`${id}-q`}
            label={mode === 'areaCode' ? 'Area code' : 'State or province (two letters)'}
            placeholder={mode === 'areaCode' ? 'e.g. 415' : 'e.g. CA'}
            value={text}
            inputMode={mode === 'areaCode' ? 'numeric' : 'text'}
            maxLength={mode === 'areaCode' ? 3 : 2}
            error={searchErrors.areaCode ?? searchErrors.region}
            onChange={(e) => setText(e.target.value)}
          />
          <Button type="submit" variant="primary" disabled={!text.trim() || search.isFetching} busy={search.isFetching}>
            {search.isFetching ? 'Searching…' : 'Search'}
          </Button>
        </div>
      </form>
      {search.isError && !searchErrors.areaCode && !searchErrors.region && (
        <Notice tone="danger" role="alert">
          {search.error.message}
        </Notice>
      )}
      {search.data &&
        (search.data.numbers.length === 0 ? (
          <EmptyState title="No number for sale there">Try a nearby area code, or search by state.</EmptyState>
        ) : (
          <fieldset className="fieldset">
            <legend className="field-label">
              Numbers for sale, ${search.data.monthlyCost} {search.data.currency} a month each
            </legend>
            <ul className="plain pick-list" data-testid="for-sale">
              {search.data.numbers.map((n) => (
                <li key={n.e164}>
                  <label className={`pick${picked?.e164 === n.e164 ? ' pick-on' : ''}`}>
                    <input type="radio" name={`${id}-pick`} checked={picked?.e164 === n.e164} onChange={() => setPicked(n)} />
                    <span className="pick-main">
                      <strong>{n.display}</strong>
                      <span className="muted small">{[n.locality, n.region].filter(Boolean).join(', ')}</span>
                    </span>
                    <span className="nowrap">
                      ${n.monthlyCost}/mo{n.mms && <Badge tone="info">MMS</Badge>}
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
        ))}
      {picked && (
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault()
            buy.mutate({ requestId, items: [item(picked.e164, use)] }, { onSuccess: () => setRequestId(requestKey()) })
          }}
        >
          <UseFields value={use} onChange={setUse} errors={fieldErrors(buy.error)} />
          <p data-testid="buy-cost">
            <strong>{picked.display}</strong> costs <strong>${picked.monthlyCost} {picked.currency}</strong> a month, billed by Twilio to your account.
          </p>
          {buy.error != null && (
            <p className="field-error" role="alert">
              {formError(buy.error, ['class', 'sitterId'])}
            </p>
          )}
          <div>
            <Button type="submit" variant="primary" disabled={buy.isPending} busy={buy.isPending}>
              {buy.isPending ? 'Buying…' : `Buy for $${picked.monthlyCost}/month`}
            </Button>
          </div>
        </form>
      )}
      {buy.data && <Outcome r={buy.data} verb="Bought" />}
    </section>
  )
}

function ImportSection() {
  const id = useId()
  const [e164, setE164] = useState('')
  const [use, setUse] = useState<Use>({ class: 'pool', sitterId: '' })
  const [requestId, setRequestId] = useState(() => requestKey())
  const imp = useProvision('import')
  const errors = fieldErrors(imp.error)
  return (
    <section className="card" aria-labelledby={`${id}-import`}>
      <h2 id={`${id}-import`}>Add a number you already have</h2>
      <p className="muted">A number your Twilio account already owns: Snout points its texts here and adds it to the inventory. There is no new cost.</p>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault()
          imp.mutate({ requestId, items: [item(e164.trim(), use)] }, { onSuccess: () => setRequestId(requestKey()) })
        }}
      >
        <TextField
          id={`${id}-e164`}
          label="Phone number"
          placeholder="+1 415 555 0123"
          value={e164}
          error={errors.e164 ?? errors['items[0].e164']}
          onChange={(e) => setE164(e.target.value)}
        />
        <UseFields value={use} onChange={setUse} errors={errors} />
        {imp.error != null && (
          <p className="field-error" role="alert">
            {formError(imp.error, ['e164', 'class', 'sitterId'])}
          </p>
        )}
        <div className="row">
          <Button type="submit" variant="primary" disabled={!e164.trim() || imp.isPending} busy={imp.isPending}>
            {imp.isPending ? 'Adding…' : `Add as ${classWords[use.class]?.toLowerCase() ?? use.class} number`}
          </Button>
          <Link to="/numbers/import">Several numbers? Import a CSV</Link>
        </div>
      </form>
      {imp.data && <Outcome r={imp.data} verb="Added" />}
    </section>
  )
}
