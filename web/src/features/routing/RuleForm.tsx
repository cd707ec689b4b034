import { useState, type FormEvent } from 'react'
import { Drawer } from '../../components/Drawer'
import { fieldErrors, formError, SelectField, TextField } from '../../components/FormField'
import { Button, Notice } from '../../components/ui'
import { useCreateRule, useNumberChoices, useSitterChoices, useUpdateRule, type Rule, type RuleRequest } from './api'
import { dayNames, weekdays } from './words'

const classes: [string, string][] = [
  ['front_desk', 'Front desk'],
  ['sitter', "A sitter's line"],
  ['pool', 'Pool numbers'],
]

const shownFields = ['name', 'target.kind', 'target.sitterId', 'when.numberClasses', 'when.numberIds', 'when.clientTags', 'when.days', 'when.from', 'when.to', 'when.knownClient']

// Add or edit one of the owner's rules: its name, its conditions (all that
// are set must hold) and where it sends texts.
export function RuleForm({ rule, version, onClose }: { rule: Rule | null; version: number; onClose: () => void }) {
  const create = useCreateRule()
  const update = useUpdateRule()
  const sitters = useSitterChoices()
  const numbers = useNumberChoices()
  const w = rule?.when
  const [name, setName] = useState(rule?.name ?? '')
  const [targetKind, setTargetKind] = useState<string>(rule?.target?.kind ?? 'owner_inbox')
  const [sitterId, setSitterId] = useState(rule?.target?.sitterId ?? '')
  const [numberClasses, setNumberClasses] = useState<string[]>(w?.numberClasses ?? [])
  const [numberIds, setNumberIds] = useState<string[]>(w?.numberIds ?? [])
  const [tags, setTags] = useState((w?.clientTags ?? []).join(', '))
  const [days, setDays] = useState<string[]>(w?.days ?? [])
  const [from, setFrom] = useState(w?.from ?? '')
  const [to, setTo] = useState(w?.to ?? '')
  const [known, setKnown] = useState(w?.knownClient == null ? 'any' : w.knownClient ? 'known' : 'new')
  const m = rule ? update : create
  const errors = fieldErrors(m.error)
  const top = formError(m.error, shownFields)

  const toggle = (list: string[], set: (v: string[]) => void, v: string) => set(list.includes(v) ? list.filter((x) => x !== v) : [...list, v])

  function onSubmit(e: FormEvent) {
    e.preventDefault()
    const body: RuleRequest = {
      name,
      expectedVersion: version,
      target: { kind: targetKind, sitterId: targetKind === 'sitter' ? sitterId : '' },
      when: {
        numberClasses,
        numberIds,
        clientTags: tags
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
        days,
        from,
        to,
        knownClient: known === 'any' ? null : known === 'known',
      },
    }
    if (rule) update.mutate({ id: rule.id, body }, { onSuccess: onClose })
    else create.mutate(body, { onSuccess: onClose })
  }

  return (
    <Drawer open title={rule ? `Edit “${rule.name}”` : 'Add a rule'} onClose={onClose}>
      <form className="rule-form" onSubmit={onSubmit} noValidate>
        {top && (
          <Notice tone="danger" role="alert">
            {top}
          </Notice>
        )}
        <TextField id="rule-name" label="Name" value={name} onChange={(e) => setName(e.target.value)} error={errors['name']} maxLength={80} />
        <fieldset className="fieldset">
          <legend>When (all that are set must hold)</legend>
          <CheckGroup
            id="rule-classes"
            legend="Number texted"
            hint="None ticked: any number."
            error={errors['when.numberClasses']}
            options={classes}
            chosen={numberClasses}
            onToggle={(v) => toggle(numberClasses, setNumberClasses, v)}
          />
          {(numbers.data?.length ?? 0) > 0 && (
            <CheckGroup
              id="rule-numbers"
              legend="Or only these numbers"
              error={errors['when.numberIds']}
              options={(numbers.data ?? []).map((n) => [n.id, `${n.friendlyName || 'Number'} · ${n.display}`])}
              chosen={numberIds}
              onToggle={(v) => toggle(numberIds, setNumberIds, v)}
            />
          )}
          <SelectField id="rule-known" label="Sender" value={known} onChange={(e) => setKnown(e.target.value)} error={errors['when.knownClient']}>
            <option value="any">Anyone</option>
            <option value="known">A known client</option>
            <option value="new">A new sender (not a client yet)</option>
          </SelectField>
          <TextField
            id="rule-tags"
            label="Client tags"
            hint="Separate tags with commas; the client needs one of them. Empty: any client."
            value={tags}
            onChange={(e) => setTags(e.target.value)}
            error={errors['when.clientTags']}
          />
          <CheckGroup
            id="rule-days"
            legend="Days (the business's time zone)"
            hint="None ticked: every day."
            error={errors['when.days']}
            options={weekdays.map((d) => [d, dayNames[d] ?? d])}
            chosen={days}
            onToggle={(v) => toggle(days, setDays, v)}
          />
          <div className="field-pair">
            <TextField id="rule-from" label="From" type="time" value={from} onChange={(e) => setFrom(e.target.value)} error={errors['when.from']} />
            <TextField id="rule-to" label="To" type="time" value={to} onChange={(e) => setTo(e.target.value)} error={errors['when.to']} hint="Before From: overnight." />
          </div>
        </fieldset>
        <SelectField id="rule-target" label="Send the texts to" value={targetKind} onChange={(e) => setTargetKind(e.target.value)} error={errors['target.kind']}>
          <option value="owner_inbox">The owner inbox</option>
          <option value="window_sitter">The sitter with an active window with the client</option>
          <option value="sitter">One sitter (while they have an active window with the client)</option>
        </SelectField>
        {targetKind === 'sitter' && (
          <SelectField id="rule-sitter" label="Sitter" value={sitterId} onChange={(e) => setSitterId(e.target.value)} error={errors['target.sitterId']}>
            <option value="">Choose a sitter</option>
            {(sitters.data ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </SelectField>
        )}
        <div className="form-actions">
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" type="submit" disabled={m.isPending} busy={m.isPending}>
            {rule ? 'Save rule' : 'Add rule'}
          </Button>
        </div>
      </form>
    </Drawer>
  )
}

function CheckGroup({
  id,
  legend,
  hint,
  error,
  options,
  chosen,
  onToggle,
}: {
  id: string
  legend: string
  hint?: string
  error?: string
  options: [string, string][]
  chosen: string[]
  onToggle: (v: string) => void
}) {
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined
  return (
    <fieldset className="check-group" aria-describedby={described}>
      <legend className="field-label">{legend}</legend>
      <div className="check-options">
        {options.map(([v, label]) => (
          <label key={v} className="check">
            <input type="checkbox" checked={chosen.includes(v)} onChange={() => onToggle(v)} /> {label}
          </label>
        ))}
      </div>
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </fieldset>
  )
}
