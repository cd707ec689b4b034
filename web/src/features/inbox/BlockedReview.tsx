import { useState, type FormEvent } from 'react'
import { Button, Notice } from '../../components/ui'
import type { PolicyViolationView } from '../../lib/api/types'
import { useOverrideViolation } from './api'

const kindWords: Record<string, string> = {
  phone_number: 'shares a phone number',
  email: 'shares an email address',
  payment_app: 'mentions an outside payment app',
  contact_request: 'asks the client to talk elsewhere',
}

// A blocked sitter message: its violation in plain words and the owner's
// override (send it anyway) with a reason.
export function BlockedReview({ threadId, violation: v }: { threadId: string; violation: PolicyViolationView }) {
  const override = useOverrideViolation(threadId)
  const [open, setOpen] = useState(false)
  const [reason, setReason] = useState('')

  const what = v.kinds.map((k) => kindWords[k] ?? k.replace(/_/g, ' ')).join(' and ')
  function submit(e: FormEvent) {
    e.preventDefault()
    if (reason.trim().length < 3) return
    override.mutate({ id: v.id, reason: reason.trim() }, { onSuccess: () => setOpen(false) })
  }

  return (
    <div className="blocked" data-testid="blocked-review">
      <p>
        <strong>Stopped by the content policy:</strong> this message {what}.
      </p>
      {v.excerpts.length > 0 && (
        <ul className="excerpts">
          {v.excerpts.map((x, i) => (
            <li key={i}>
              <q>{x.excerpt}</q> — {x.reason}
            </li>
          ))}
        </ul>
      )}
      {v.status === 'open' ? (
        open ? (
          <form onSubmit={submit} className="form override-form">
            <div className="field">
              <label htmlFor={`reason-${v.id}`}>Why is it fine to send? (kept in the audit log)</label>
              <textarea id={`reason-${v.id}`} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} required />
            </div>
            {override.isError && (
              <Notice tone="danger" role="alert">
                {override.error.message}
              </Notice>
            )}
            <div className="row">
              <Button type="submit" variant="primary" disabled={reason.trim().length < 3 || override.isPending}>
                Send anyway
              </Button>
              <Button variant="ghost" onClick={() => setOpen(false)}>
                Cancel
              </Button>
            </div>
          </form>
        ) : (
          <Button onClick={() => setOpen(true)}>Override and send…</Button>
        )
      ) : (
        <p className="muted">
          {v.status === 'overridden' ? 'Overridden, sent anyway' : 'Dismissed, not sent'}
          {v.reviewReason ? `: ${v.reviewReason}` : '.'}
        </p>
      )}
    </div>
  )
}
