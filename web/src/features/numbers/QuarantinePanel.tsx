import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useId, useState } from 'react'
import { Link } from 'react-router'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { SelectField, TextField, fieldErrors, formError } from '../../components/FormField'
import { Badge, Button, Notice } from '../../components/ui'
import { formatDateTime } from '../../lib/format'
import { useSession } from '../../lib/session'
import { isConfirmation, useQuarantine, useQuarantinePreview, useQuarantineStatus, useReleaseNow, useRestore, type QuarantineChoices } from './api'
import { ImpactList } from './pieces'
import type { ConfirmationView, NumberDetailView, QuarantinePreviewView, QuarantineStatusView, QuarantineView } from './types'
import { daysLeftWords, impactFacts, phaseWords, quarantineOutcomeWords } from './words'

type Pending = 'starting' | 'restoring' | 'releasing' | null

/** Whether a request of this page is still being carried out by the quarantine workflow. */
function isWaiting(pending: Pending, s: QuarantineStatusView | undefined): boolean {
  const q = s?.quarantine
  if (pending === 'starting') return !(q?.coolingDown && s?.state?.phase === 'cooling_down')
  if (pending === 'restoring' || pending === 'releasing') return !q || q.coolingDown
  return false
}

// Quarantine: the impact preview (conversations, windows and clients it
// touches, the replacement number), the confirmation with the choice of
// texting clients, the workflow's progress, then the cooldown with the
// days left, ended early by a restore or a release now.
export function QuarantinePanel({ d }: { d: NumberDetailView }) {
  const n = d.number
  const [pending, setPending] = useState<Pending>(null)
  const status = useQuarantineStatus(n.id, (s) => isWaiting(pending, s))
  const q = status.data?.quarantine ?? d.quarantine
  const phase = status.data?.state?.phase
  const waiting = isWaiting(pending, status.data)
  // The rest of the page (status, conversations, history) follows each step of the quarantine.
  const qc = useQueryClient()
  const step = `${q?.id ?? ''}:${q?.status ?? ''}:${phase ?? ''}`
  useEffect(() => {
    void qc.invalidateQueries({ queryKey: ['numbers', 'detail', n.id] })
  }, [qc, n.id, step])
  const [previewing, setPreviewing] = useState(false)
  const [notice, setNotice] = useState<{ tone: 'success' | 'danger' | 'info'; text: string } | null>(null)

  const canQuarantine = n.status === 'active' && n.class !== 'front_desk'

  return (
    <section className="card" aria-labelledby="quarantine-title" data-testid="quarantine">
      <h2 id="quarantine-title">Quarantine</h2>
      <div aria-live="polite">
        {notice && (
          <Notice tone={notice.tone} role={notice.tone === 'danger' ? 'alert' : 'status'} onDismiss={() => setNotice(null)}>
            {notice.text}
          </Notice>
        )}
        {waiting && pending === 'starting' && (
          <p role="status" className="progress" data-testid="quarantine-progress">
            {phaseWords[phase ?? 'starting'] ?? phase}
          </p>
        )}
      </div>
      {q?.coolingDown ? (
        <Cooldown q={q} phase={phase} displayName={n.display} numberId={n.id} pending={waiting ? pending : null} setPending={setPending} onNotice={setNotice} />
      ) : previewing && canQuarantine ? (
        <Preview
          numberId={n.id}
          displayName={n.display}
          onCancel={() => setPreviewing(false)}
          onStarted={() => {
            setPreviewing(false)
            setPending('starting')
          }}
        />
      ) : (
        <>
          <p className="muted">
            Take a number out of service for a while (for example when texts from it keep failing): its conversations move to another number, and
            after the cooldown it goes back to the pool or is released.
          </p>
          {q && !q.coolingDown && (
            <p className="small">
              Last quarantine: {quarantineOutcomeWords[q.status] ?? q.status}
              {q.finishedAt ? ` on ${new Date(q.finishedAt).toLocaleDateString('en-US', { month: 'short', day: 'numeric' })}` : ''}.
            </p>
          )}
          {canQuarantine ? (
            <Button onClick={() => setPreviewing(true)} disabled={waiting}>
              Quarantine…
            </Button>
          ) : (
            n.class === 'front_desk' && <p className="muted small">The front desk number cannot be quarantined: buy another front desk number first.</p>
          )}
        </>
      )}
    </section>
  )
}

function Preview({ numberId, displayName, onCancel, onStarted }: { numberId: string; displayName: string; onCancel: () => void; onStarted: () => void }) {
  const preview = useQuarantinePreview(numberId, true)
  if (preview.isPending) return <p role="status">Working out what a quarantine would change…</p>
  if (preview.isError)
    return (
      <div>
        <Notice tone="danger" role="alert">
          {preview.error.message}
        </Notice>
        <Button onClick={onCancel}>Back</Button>
      </div>
    )
  return <PreviewForm p={preview.data} displayName={displayName} numberId={numberId} onCancel={onCancel} onStarted={onStarted} />
}

function PreviewForm({
  p,
  numberId,
  displayName,
  onCancel,
  onStarted,
}: {
  p: QuarantinePreviewView
  numberId: string
  displayName: string
  onCancel: () => void
  onStarted: () => void
}) {
  const id = useId()
  const { timeZone } = useSession()
  const [c, setC] = useState<QuarantineChoices>({
    notifyClients: p.defaults.notifyClients || p.impact.clients > 0,
    cooldownDays: p.defaults.cooldownDays,
    endAction: p.defaults.endAction === 'release' ? 'release' : 'return_to_pool',
    reason: '',
  })
  const start = useQuarantine()
  const errors = fieldErrors(start.error)
  return (
    <form
      className="form quarantine-preview"
      data-testid="quarantine-preview"
      onSubmit={(e) => {
        e.preventDefault()
        start.mutate({ id: numberId, token: p.confirmToken, c }, { onSuccess: onStarted })
      }}
    >
      <h3>What quarantining {displayName} would do</h3>
      <p>{p.message}</p>
      <ImpactList impact={p.impact} />
      {!p.impact.replacement && p.impact.threads > 0 && (
        <Notice tone="warning">No replacement number is free: buy a pool number first, or the conversations stay where they are.</Notice>
      )}
      {p.threads.length > 0 && (
        <details>
          <summary>The conversations that move ({p.threads.length})</summary>
          <ul className="plain">
            {p.threads.map((t) => (
              <li key={t.threadId}>
                <Link to={`/inbox/${t.threadId}`}>{t.clientName}</Link>{' '}
                <span className="muted small">
                  last text {formatDateTime(t.lastMessageAt, timeZone)}
                  {t.active ? ' · active' : ''}
                </span>
              </li>
            ))}
          </ul>
        </details>
      )}
      <label className="check">
        <input type="checkbox" checked={c.notifyClients} onChange={(e) => setC({ ...c, notifyClients: e.target.checked })} /> Text each client their
        conversation's new number
      </label>
      <div className="row">
        <TextField
          id={`${id}-days`}
          label="Cooldown (days)"
          type="number"
          min={1}
          max={365}
          value={String(c.cooldownDays)}
          error={errors.cooldownDays}
          onChange={(e) => setC({ ...c, cooldownDays: Number(e.target.value) })}
        />
        <SelectField
          id={`${id}-end`}
          label="After the cooldown"
          value={c.endAction}
          error={errors.endAction}
          onChange={(e) => setC({ ...c, endAction: e.target.value as QuarantineChoices['endAction'] })}
        >
          <option value="return_to_pool">Return it to the pool</option>
          <option value="release">Release it to Twilio</option>
        </SelectField>
      </div>
      <TextField
        id={`${id}-reason`}
        label="Reason (optional)"
        value={c.reason}
        maxLength={500}
        error={errors.reason}
        onChange={(e) => setC({ ...c, reason: e.target.value })}
      />
      {start.error != null && (
        <p className="field-error" role="alert">
          {formError(start.error, ['cooldownDays', 'endAction', 'reason'])}
        </p>
      )}
      <div className="form-actions">
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="danger" disabled={start.isPending} busy={start.isPending}>
          Quarantine {displayName}
        </Button>
      </div>
    </form>
  )
}

function Cooldown({
  q,
  phase,
  displayName,
  numberId,
  pending,
  setPending,
  onNotice,
}: {
  q: QuarantineView
  phase?: string
  displayName: string
  numberId: string
  pending: Pending
  setPending: (p: Pending) => void
  onNotice: (n: { tone: 'success' | 'danger' | 'info'; text: string }) => void
}) {
  const { timeZone } = useSession()
  const [ask, setAsk] = useState<'restore' | 'release' | null>(null)
  const [confirmation, setConfirmation] = useState<ConfirmationView | null>(null)
  const restore = useRestore()
  const releaseNow = useReleaseNow()
  const fail = (e: unknown) => onNotice({ tone: 'danger', text: e instanceof Error ? e.message : 'That did not work.' })

  const askRelease = () => {
    setAsk('release')
    setConfirmation(null)
    releaseNow.mutate({ id: numberId }, { onSuccess: (r) => (isConfirmation(r) ? setConfirmation(r) : setPending('releasing')), onError: fail })
  }

  return (
    <div className="cooldown" data-testid="cooldown">
      <p>
        <Badge tone="warning">In quarantine</Badge> <strong data-testid="days-left">{daysLeftWords(q.cooldownEndsAt)}</strong>{' '}
        <span className="muted">(the cooldown ends {formatDateTime(q.cooldownEndsAt, timeZone)})</span>
      </p>
      {phase && phase !== 'cooling_down' && <p className="muted small">{phaseWords[phase] ?? phase}</p>}
      <p className="small">
        Moved: {impactFacts(q.impact).join(', ')}. {q.notifyClients ? 'Clients were told their new number.' : 'Clients were not texted.'}
        {q.reason && ` Reason: ${q.reason}`}
      </p>
      <p className="small muted">
        After the cooldown it {q.endAction === 'release' ? 'is released to Twilio' : 'goes back to the pool'}.
        {q.workflowUrl && (
          <>
            {' '}
            <a href={q.workflowUrl} target="_blank" rel="noreferrer">
              See the workflow
            </a>
          </>
        )}
      </p>
      {pending === 'restoring' || pending === 'releasing' ? (
        <p role="status">{pending === 'restoring' ? 'Restoring…' : 'Releasing…'}</p>
      ) : (
        <div className="row">
          <Button variant="primary" onClick={() => setAsk('restore')}>
            Restore early
          </Button>
          <Button variant="danger" onClick={askRelease} disabled={releaseNow.isPending}>
            Release now…
          </Button>
        </div>
      )}
      <ConfirmDialog
        open={ask === 'restore'}
        title={`Restore ${displayName}?`}
        confirmLabel="Restore"
        busy={restore.isPending}
        onCancel={() => setAsk(null)}
        onConfirm={() =>
          restore.mutate(
            { id: numberId, reason: '' },
            {
              onSuccess: () => {
                setAsk(null)
                setPending('restoring')
              },
              onError: (e) => {
                setAsk(null)
                fail(e)
              },
            },
          )
        }
      >
        <p>The number goes back into service now. The conversations that moved stay on their new number.</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={ask === 'release'}
        title={`Release ${displayName} now?`}
        confirmLabel="Release now"
        tone="danger"
        busy={releaseNow.isPending || !confirmation}
        onCancel={() => setAsk(null)}
        onConfirm={() =>
          confirmation &&
          releaseNow.mutate(
            { id: numberId, confirmToken: confirmation.confirmToken },
            {
              onSuccess: () => {
                setAsk(null)
                setPending('releasing')
              },
              onError: (e) => {
                setAsk(null)
                fail(e)
              },
            },
          )
        }
      >
        {confirmation ? (
          <>
            <p>{confirmation.message}</p>
            <ImpactList impact={confirmation.impact} />
            <p className="muted small">The number goes back to Twilio and may go to someone else. This cannot be undone.</p>
          </>
        ) : (
          <p role="status">Working out what this would change…</p>
        )}
      </ConfirmDialog>
    </div>
  )
}
