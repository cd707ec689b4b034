import { useEffect, useState, type FormEvent } from 'react'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { fieldErrors, formError, SelectField, TextField } from '../../components/FormField'
import { Badge, Button, EmptyState, ErrorState, LoadingList, Notice } from '../../components/ui'
import { formatDateTime } from '../../lib/format'
import { useSession } from '../../lib/session'
import { useActiveOverrides, useCreateOverride, useEndedOverrides, useRemoveOverride, useSitterChoices, useThreadChoices, type Override } from './api'
import { durationMinutes, timeLeft } from './words'

/** Now, moving every second while something counts down. */
function useNow(ticking: boolean) {
  const [now, setNow] = useState(() => new Date())
  useEffect(() => {
    if (!ticking) return
    const t = setInterval(() => setNow(new Date()), 1000)
    return () => clearInterval(t)
  }, [ticking])
  return now
}

const statusWords: Record<string, string> = { active: 'Active', expired: 'Expired', cancelled: 'Removed' }

// Overrides: a conversation's texts sent to the owner or a sitter for a
// while, whatever the rules say; none is permanent. Owners create and
// remove them.
export function OverridesSection({ canChange, threadId }: { canChange: boolean; threadId: string }) {
  const active = useActiveOverrides()
  const [showEnded, setShowEnded] = useState(false)
  const ended = useEndedOverrides(showEnded)
  const [removing, setRemoving] = useState<Override | null>(null)
  const list = active.data?.overrides.filter((o) => o.status === 'active') ?? []
  const now = useNow(list.length > 0)

  return (
    <>
      {canChange && <OverrideForm threadId={threadId} />}
      <h3 className="section-sub">In force</h3>
      {active.isPending ? (
        <LoadingList rows={2} label="Loading overrides" />
      ) : active.isError ? (
        <ErrorState title="Overrides didn't load" error={active.error} onRetry={() => void active.refetch()} />
      ) : list.length === 0 ? (
        <EmptyState title="No override in force">Every conversation follows the rules above.</EmptyState>
      ) : (
        <ul className="override-list" aria-label="Overrides in force">
          {list.map((o) => (
            <OverrideRow key={o.id} o={o} now={now} onRemove={canChange ? () => setRemoving(o) : undefined} />
          ))}
        </ul>
      )}
      <details className="ended-overrides" onToggle={(e) => setShowEnded((e.target as HTMLDetailsElement).open)}>
        <summary>Ended overrides</summary>
        {ended.isPending ? (
          <LoadingList rows={2} label="Loading ended overrides" />
        ) : ended.isError ? (
          <ErrorState title="Ended overrides didn't load" error={ended.error} onRetry={() => void ended.refetch()} />
        ) : ended.data.overrides.length === 0 ? (
          <p className="muted">None yet.</p>
        ) : (
          <ul className="override-list" aria-label="Ended overrides">
            {ended.data.overrides.map((o) => (
              <OverrideRow key={o.id} o={o} now={now} />
            ))}
          </ul>
        )}
      </details>
      <RemoveDialog o={removing} onClose={() => setRemoving(null)} />
    </>
  )
}

function OverrideRow({ o, now, onRemove }: { o: Override; now: Date; onRemove?: () => void }) {
  const { timeZone } = useSession()
  const to = o.target.kind === 'sitter' ? o.target.sitterName || 'a sitter' : 'the owner inbox'
  return (
    <li className="override" data-testid="override">
      <div className="override-main">
        <p className="override-title">
          <strong className="break">{o.client.name}</strong> → {to}{' '}
          {o.status === 'active' ? <Badge tone="warning">{timeLeft(o.endsAt, now)}</Badge> : <Badge tone="neutral">{statusWords[o.status] ?? o.status}</Badge>}
        </p>
        <p className="muted small">
          {formatDateTime(o.startsAt, timeZone)} – {formatDateTime(o.status === 'active' ? o.endsAt : (o.endedAt ?? o.endsAt), timeZone)} · “{o.reason}”
        </p>
      </div>
      {onRemove && (
        <Button variant="secondary" onClick={onRemove} aria-label={`Remove the override of ${o.client.name}`}>
          Remove now
        </Button>
      )}
    </li>
  )
}

function RemoveDialog({ o, onClose }: { o: Override | null; onClose: () => void }) {
  const remove = useRemoveOverride()
  const close = () => {
    remove.reset()
    onClose()
  }
  return (
    <ConfirmDialog
      open={!!o}
      title="Remove this override now?"
      confirmLabel="Remove override"
      tone="danger"
      busy={remove.isPending}
      onCancel={close}
      onConfirm={() => o && remove.mutate(o.id, { onSuccess: close })}
    >
      <p>
        Texts from <strong className="break">{o?.client.name}</strong> follow the routing rules again from now. The removal is recorded in the audit trail.
      </p>
      {remove.isError && (
        <Notice tone="danger" role="alert">
          {remove.error.message}
        </Notice>
      )}
    </ConfirmDialog>
  )
}

const overrideFields = ['threadId', 'targetKind', 'sitterId', 'durationMinutes', 'reason']

function OverrideForm({ threadId }: { threadId: string }) {
  const { timeZone } = useSession()
  const threads = useThreadChoices()
  const sitters = useSitterChoices()
  const create = useCreateOverride()
  const [thread, setThread] = useState(threadId)
  const [targetKind, setTargetKind] = useState('owner_inbox')
  const [sitterId, setSitterId] = useState('')
  const [amount, setAmount] = useState('2')
  const [unit, setUnit] = useState<'minutes' | 'hours' | 'days'>('hours')
  const [reason, setReason] = useState('')
  const [done, setDone] = useState<string | null>(null)
  const errors = fieldErrors(create.error)
  const top = formError(create.error, overrideFields)

  function onSubmit(e: FormEvent) {
    e.preventDefault()
    setDone(null)
    create.mutate(
      { threadId: thread, targetKind, sitterId: targetKind === 'sitter' ? sitterId : '', durationMinutes: durationMinutes(amount, unit), reason },
      {
        onSuccess: (o) => {
          setReason('')
          setDone(`Created an override of ${o.client.name}, until ${formatDateTime(o.endsAt, timeZone)}.`)
        },
      },
    )
  }

  return (
    <form className="override-form" onSubmit={onSubmit} noValidate aria-label="Create an override">
      <SelectField id="ov-thread" label="Conversation" value={thread} onChange={(e) => setThread(e.target.value)} error={errors['threadId']}>
        <option value="">Choose a conversation</option>
        {(threads.data ?? []).map((t) => (
          <option key={t.id} value={t.id}>
            {t.client.name} · {t.number.name}
          </option>
        ))}
      </SelectField>
      <SelectField id="ov-target" label="Send its texts to" value={targetKind} onChange={(e) => setTargetKind(e.target.value)} error={errors['targetKind']}>
        <option value="owner_inbox">The owner inbox</option>
        <option value="sitter">A sitter</option>
      </SelectField>
      {targetKind === 'sitter' && (
        <SelectField id="ov-sitter" label="Sitter" value={sitterId} onChange={(e) => setSitterId(e.target.value)} error={errors['sitterId']}>
          <option value="">Choose a sitter</option>
          {(sitters.data ?? []).map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </SelectField>
      )}
      <div className="field">
        <label htmlFor="ov-amount">For</label>
        <div className="duration">
          <input
            id="ov-amount"
            type="number"
            min={1}
            inputMode="numeric"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            aria-invalid={errors['durationMinutes'] ? true : undefined}
            aria-describedby={`ov-amount-hint${errors['durationMinutes'] ? ' ov-amount-error' : ''}`}
          />
          <label htmlFor="ov-unit" className="sr-only">
            Unit
          </label>
          <select id="ov-unit" value={unit} onChange={(e) => setUnit(e.target.value as typeof unit)}>
            <option value="minutes">minutes</option>
            <option value="hours">hours</option>
            <option value="days">days</option>
          </select>
        </div>
        <p id="ov-amount-hint" className="field-hint">
          From a minute to 30 days; it ends by itself.
        </p>
        {errors['durationMinutes'] && (
          <p id="ov-amount-error" className="field-error">
            {errors['durationMinutes']}
          </p>
        )}
      </div>
      <TextField id="ov-reason" label="Reason" value={reason} onChange={(e) => setReason(e.target.value)} error={errors['reason']} maxLength={500} hint="Shown in the list and the audit trail." />
      <div className="form-actions">
        <Button variant="primary" type="submit" disabled={create.isPending} busy={create.isPending}>
          Create override
        </Button>
      </div>
      {top && (
        <Notice tone="danger" role="alert">
          {top}
        </Notice>
      )}
      {done && (
        <Notice tone="success" role="status" onDismiss={() => setDone(null)}>
          {done}
        </Notice>
      )}
    </form>
  )
}
