import { useEffect, useRef, type ReactNode } from 'react'

// A side drawer on a native <dialog>: focus moves into it, Escape closes
// it, and focus returns to the button that opened it.
export function Drawer({ open, title, onClose, children }: { open: boolean; title: string; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null)
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
    <dialog ref={ref} className="drawer" aria-labelledby="drawer-title" onClose={onClose} onCancel={onClose}>
      <div className="drawer-head">
        <h2 id="drawer-title">{title}</h2>
        <button type="button" className="btn btn-ghost" onClick={onClose} aria-label="Close">
          ✕
        </button>
      </div>
      <div className="drawer-body">{open && children}</div>
    </dialog>
  )
}
