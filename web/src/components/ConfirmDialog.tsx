import { useEffect, useId, useRef, type ReactNode } from 'react'
import { Button } from './ui'

// A confirmation on a native modal <dialog>: focus moves into it, Escape
// cancels, and focus goes back to the button that opened it.
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  tone = 'primary',
  busy,
  onConfirm,
  onCancel,
}: {
  open: boolean
  title: string
  children: ReactNode
  confirmLabel: string
  tone?: 'primary' | 'danger'
  busy?: boolean
  onConfirm: () => void
  onCancel: () => void
}) {
  const ref = useRef<HTMLDialogElement>(null)
  const id = useId()
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
    <dialog ref={ref} className="confirm" aria-labelledby={`${id}-title`} onClose={onCancel} onCancel={onCancel}>
      {open && (
        <div className="confirm-body">
          <h2 id={`${id}-title`}>{title}</h2>
          <div>{children}</div>
          <div className="confirm-actions">
            <Button onClick={onCancel}>Cancel</Button>
            <Button variant={tone} onClick={onConfirm} disabled={busy} busy={busy}>
              {confirmLabel}
            </Button>
          </div>
        </div>
      )}
    </dialog>
  )
}
