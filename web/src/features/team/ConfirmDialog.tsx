import { useEffect, useId, useRef, type ReactNode } from 'react'
import { Button } from '../../components/ui'

// A confirmation on a native modal <dialog>: focus moves into it, Escape
// or Cancel closes it, and focus goes back to what opened it. The confirm
// button says what it does ("Deactivate Sam"), never just "OK".
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  tone = 'danger',
  busy,
  onConfirm,
  onClose,
  hideConfirm,
}: {
  open: boolean
  title: string
  children: ReactNode
  confirmLabel: string
  tone?: 'danger' | 'primary'
  busy?: boolean
  onConfirm: () => void
  onClose: () => void
  /** Only a close button (when the answer was a refusal to read). */
  hideConfirm?: boolean
}) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  useEffect(() => {
    const d = ref.current
    if (!d) return
    if (open && !d.open) {
      if (typeof d.showModal === 'function') d.showModal()
      else d.setAttribute('open', '')
    } else if (!open && d.open) {
      if (typeof d.close === 'function') d.close()
      else d.removeAttribute('open')
    }
  }, [open])
  return (
    <dialog ref={ref} className="confirm" aria-labelledby={titleId} onClose={onClose} onCancel={onClose}>
      <h2 id={titleId}>{title}</h2>
      <div className="confirm-body">{open && children}</div>
      <div className="confirm-actions">
        <Button onClick={onClose} autoFocus={!hideConfirm}>
          {hideConfirm ? 'Close' : 'Cancel'}
        </Button>
        {!hideConfirm && (
          <Button variant={tone} onClick={onConfirm} disabled={busy} busy={busy}>
            {confirmLabel}
          </Button>
        )}
      </div>
    </dialog>
  )
}
