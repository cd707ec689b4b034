import { useState } from 'react'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { fieldErrors } from '../../components/FormField'
import { Button, Notice } from '../../components/ui'
import { isConfirmation, useBulkAssign, useBulkQuarantine, useBulkRelease, type Assignment } from './api'
import { AssignFields, BulkResults, ImpactList } from './pieces'
import type { BulkOutcomeView, BulkResult, ConfirmationView, NumberView } from './types'

type Mode = 'assign' | 'release' | 'quarantine'

const doneWords: Record<Mode, string> = { assign: 'Assigned', release: 'Released', quarantine: 'Quarantined' }

// The selection's actions: assign, release or quarantine several numbers.
// Release and quarantine first show their combined impact (and which
// numbers cannot be changed, and why), then ask.
export function BulkBar({ chosen, onClear }: { chosen: NumberView[]; onClear: () => void }) {
  const [mode, setMode] = useState<Mode | null>(null)
  const [assignment, setAssignment] = useState<Assignment>({ to: 'pool' })
  const [notify, setNotify] = useState(true)
  const [confirmation, setConfirmation] = useState<ConfirmationView | null>(null)
  const [outcome, setOutcome] = useState<{ mode: Mode; result: BulkOutcomeView } | null>(null)
  const [error, setError] = useState<unknown>(null)
  const assign = useBulkAssign()
  const release = useBulkRelease()
  const quarantine = useBulkQuarantine()
  const ids = chosen.map((n) => n.id)
  const busy = assign.isPending || release.isPending || quarantine.isPending

  const close = () => {
    setMode(null)
    setConfirmation(null)
    setError(null)
  }
  const finish = (m: Mode, result: BulkOutcomeView) => {
    setOutcome({ mode: m, result })
    close()
    if (result.failed === 0) onClear()
  }

  // The first call of a destructive bulk action: its impact and token.
  const preview = (m: 'release' | 'quarantine') => {
    setMode(m)
    setConfirmation(null)
    setError(null)
    const onSuccess = (r: ConfirmationView | BulkOutcomeView) => (isConfirmation(r) ? setConfirmation(r) : finish(m, r))
    if (m === 'release') release.mutate({ ids }, { onSuccess, onError: setError })
    else quarantine.mutate({ ids, notifyClients: notify }, { onSuccess, onError: setError })
  }

  const confirm = () => {
    if (mode === 'assign') {
      assign.mutate({ ids, a: assignment }, { onSuccess: (r) => finish('assign', r), onError: setError })
      return
    }
    if (!confirmation || !mode) return
    const onSuccess = (r: ConfirmationView | BulkOutcomeView) => (isConfirmation(r) ? setConfirmation(r) : finish(mode, r))
    if (mode === 'release') release.mutate({ ids, confirmToken: confirmation.confirmToken }, { onSuccess, onError: setError })
    else quarantine.mutate({ ids, confirmToken: confirmation.confirmToken, notifyClients: notify }, { onSuccess, onError: setError })
  }

  const refused = (confirmation?.items ?? []).filter((i: BulkResult) => !i.ok)
  const n = chosen.length
  const what = `${n} ${n === 1 ? 'number' : 'numbers'}`

  return (
    <>
      {n > 0 && (
        <div className="bulk-bar" role="region" aria-label="Selected numbers">
          <strong>{what} selected</strong>
          <Button onClick={() => setMode('assign')}>Assign…</Button>
          <Button onClick={() => preview('quarantine')}>Quarantine…</Button>
          <Button variant="danger" onClick={() => preview('release')}>
            Release…
          </Button>
          <Button variant="ghost" onClick={onClear}>
            Clear selection
          </Button>
        </div>
      )}
      {outcome && (
        <Notice tone={outcome.result.failed ? 'warning' : 'success'} role="status" onDismiss={() => setOutcome(null)}>
          <p>
            {doneWords[outcome.mode]} {outcome.result.succeeded} of {outcome.result.items.length}.
            {outcome.result.failed > 0 && ` ${outcome.result.failed} could not be changed:`}
          </p>
          <BulkResults items={outcome.result.items} label="What happened to each number" />
        </Notice>
      )}
      <ConfirmDialog
        open={mode !== null}
        title={mode === 'assign' ? `Assign ${what}` : mode === 'release' ? `Release ${what}?` : `Quarantine ${what}?`}
        confirmLabel={mode === 'assign' ? 'Assign' : mode === 'release' ? 'Release' : 'Quarantine'}
        tone={mode === 'assign' ? 'primary' : 'danger'}
        busy={busy || (mode !== 'assign' && !confirmation)}
        onConfirm={confirm}
        onCancel={close}
      >
        {mode === 'assign' ? (
          <AssignFields value={assignment} onChange={setAssignment} errors={fieldErrors(error)} />
        ) : !confirmation && !error ? (
          <p role="status">Working out what this would change…</p>
        ) : confirmation ? (
          <>
            <p>{confirmation.message}</p>
            <ImpactList impact={confirmation.impact} />
            {mode === 'quarantine' && (
              <label className="check">
                <input type="checkbox" checked={notify} onChange={(e) => setNotify(e.target.checked)} /> Text clients their conversation's new number
              </label>
            )}
            {refused.length > 0 && (
              <>
                <p>These stay as they are:</p>
                <BulkResults items={refused} label="Numbers that cannot be changed" />
              </>
            )}
          </>
        ) : null}
        {error != null && (
          <p className="field-error" role="alert">
            {error instanceof Error ? error.message : 'That did not work.'}
          </p>
        )}
      </ConfirmDialog>
    </>
  )
}
