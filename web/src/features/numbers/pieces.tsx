import { useId } from 'react'
import { Badge } from '../../components/ui'
import { SelectField } from '../../components/FormField'
import type { Assignment } from './api'
import { useSitterChoices } from './api'
import type { BulkResult, ImpactView, NumberView } from './types'
import { classWords, displayNumber, healthDetail, healthWords, impactFacts, statusWords } from './words'

export function StatusBadge({ status }: { status: string }) {
  const s = statusWords[status] ?? { label: status, tone: 'neutral' as const }
  return <Badge tone={s.tone}>{s.label}</Badge>
}

export function HealthBadge({ health }: { health: NumberView['health'] }) {
  const h = healthWords[health.level] ?? { label: health.level, tone: 'neutral' as const }
  return (
    <span className="health" title={healthDetail(health)}>
      <Badge tone={h.tone}>{h.label}</Badge>
      <span className="sr-only">: {healthDetail(health)}</span>
    </span>
  )
}

export function ClassLabel({ c }: { c: string }) {
  return <>{classWords[c] ?? c}</>
}

/** What a destructive action would touch, with the proposed replacement. */
export function ImpactList({ impact }: { impact: ImpactView }) {
  return (
    <ul className="impact" data-testid="impact">
      {impactFacts(impact).map((f) => (
        <li key={f}>{f}</li>
      ))}
      {impact.replacement && (
        <li>
          Conversations move to <strong>{impact.replacement.display}</strong> ({classWords[impact.replacement.class] ?? impact.replacement.class})
        </li>
      )}
    </ul>
  )
}

/** Where a number goes: a sitter (chosen from the active sitters), the pool or the front desk. */
export function AssignFields({ value, onChange, errors }: { value: Assignment; onChange: (a: Assignment) => void; errors?: Record<string, string> }) {
  const id = useId()
  const sitters = useSitterChoices()
  return (
    <div className="assign-fields">
      <SelectField
        id={`${id}-to`}
        label="Assign to"
        value={value.to}
        error={errors?.to}
        onChange={(e) => onChange({ to: e.target.value as Assignment['to'], sitterId: e.target.value === 'sitter' ? value.sitterId : undefined })}
      >
        <option value="sitter">A sitter</option>
        <option value="pool">The pool</option>
        <option value="front_desk">The front desk</option>
      </SelectField>
      {value.to === 'sitter' && (
        <SelectField
          id={`${id}-sitter`}
          label="Sitter"
          value={value.sitterId ?? ''}
          error={errors?.sitterId ?? errors?.sitter}
          hint={sitters.isError ? 'The sitters did not load.' : undefined}
          onChange={(e) => onChange({ to: 'sitter', sitterId: e.target.value || undefined })}
        >
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

/** A bulk action's outcome, number by number. */
export function BulkResults({ items, label }: { items: BulkResult[]; label: string }) {
  return (
    <ul className="plain bulk-results" aria-label={label}>
      {items.map((it) => (
        <li key={it.id} data-testid="bulk-result" data-status={it.ok ? 'ok' : 'error'}>
          {it.ok ? <Badge tone="success">Done</Badge> : <Badge tone="danger">Not done</Badge>} <strong>{it.number?.display ?? (it.e164 ? displayNumber(it.e164) : it.id)}</strong>
          {it.error && <span className="muted"> — {it.error.message}</span>}
        </li>
      ))}
    </ul>
  )
}
