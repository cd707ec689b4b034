import { ConfirmDialog } from '../../components/ConfirmDialog'
import { Notice, Skeleton } from '../../components/ui'
import { formatPhone } from '../../lib/format'
import { useCancelWindow, useImpact, type AssignmentWindow } from './api'
import { formatRange } from './WeekCalendar'

// Cancelling a window. What it changes comes from the server first: a
// running window takes the sitter's access away now, so the dialog names
// the conversations they lose and the cancel carries the impact's
// confirmation token; a scheduled one only asks.
export function CancelWindowDialog({
  id,
  timeZone,
  onClose,
  onCancelled,
}: {
  id: string | null
  timeZone: string
  onClose: () => void
  onCancelled: (w: AssignmentWindow) => void
}) {
  const impact = useImpact(id)
  const cancel = useCancelWindow()
  const close = () => {
    cancel.reset()
    onClose()
  }
  const i = impact.data
  const active = !!i?.active
  return (
    <ConfirmDialog
      open={!!id}
      title={active ? 'Cancel a window that is running?' : 'Cancel this window?'}
      confirmLabel={active ? 'Cancel it and end access now' : 'Cancel window'}
      tone="danger"
      busy={cancel.isPending || impact.isPending}
      onCancel={close}
      onConfirm={() => {
        if (!id || !i) return
        cancel.mutate(
          { id, confirmToken: i.confirmToken },
          {
            onSuccess: (w) => {
              cancel.reset()
              onCancelled(w)
            },
            // An expired or used token: a fresh impact brings a new one.
            onError: () => void impact.refetch(),
          },
        )
      }}
    >
      {impact.isPending ? (
        <Skeleton lines={3} />
      ) : impact.isError ? (
        <Notice tone="danger" role="alert">
          What cancelling would change didn't load: {impact.error.message}
        </Notice>
      ) : (
        i && (
          <div className="cancel-impact" data-testid="cancel-impact">
            <p>
              <strong>
                {i.window.sitter.name} with {i.window.client.name}
              </strong>
              <br />
              <span className="muted">{formatRange(i.window.startsAt, i.window.endsAt, timeZone)}</span>
            </p>
            <p>{i.message}</p>
            {active && i.threads.length > 0 && (
              <>
                <p className="field-label">{i.window.sitter.name} loses access to:</p>
                <ul className="plain impact-threads">
                  {i.threads.map((t) => (
                    <li key={t.id}>
                      The conversation with {i.window.client.name} on {formatPhone(t.numberE164)}
                      {t.sitterUnread > 0 && <span className="muted"> ({t.sitterUnread} unread by the sitter)</span>}
                    </li>
                  ))}
                </ul>
              </>
            )}
            {active && <p className="muted small">New texts from {i.window.client.name} go to the owner inbox. This cannot be undone; create a new window to give access again.</p>}
          </div>
        )
      )}
      {cancel.isError && (
        <Notice tone="danger" role="alert">
          {cancel.error.message}
        </Notice>
      )}
    </ConfirmDialog>
  )
}
