import type { ButtonHTMLAttributes, ReactNode } from 'react'

// Shared building blocks. Every list uses Skeleton, EmptyState and
// ErrorState so loading, nothing-yet and failure look the same everywhere.

type Variant = 'primary' | 'secondary' | 'ghost' | 'danger'

export function Button({ variant = 'secondary', busy, className, children, ...rest }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; busy?: boolean }) {
  return (
    <button type="button" className={`btn btn-${variant}${className ? ` ${className}` : ''}`} aria-busy={busy || undefined} {...rest}>
      {children}
    </button>
  )
}

export type Tone = 'neutral' | 'info' | 'success' | 'warning' | 'danger'

export function Badge({ tone = 'neutral', children, label }: { tone?: Tone; children: ReactNode; label?: string }) {
  return (
    <span className={`badge badge-${tone}`} aria-label={label}>
      {children}
    </span>
  )
}

/** A count pill (unread, open alerts); nothing when zero. */
export function CountBadge({ count, label }: { count: number | undefined; label: string }) {
  if (!count) return null
  return (
    <span className="count" aria-label={`${count} ${label}`}>
      {count > 99 ? '99+' : count}
    </span>
  )
}

export function Skeleton({ lines = 3, className }: { lines?: number; className?: string }) {
  return (
    <div className={`skeleton${className ? ` ${className}` : ''}`} aria-hidden="true">
      {Array.from({ length: lines }, (_, i) => (
        <div key={i} className="skeleton-line" />
      ))}
    </div>
  )
}

export function LoadingList({ rows = 6, label }: { rows?: number; label: string }) {
  return (
    <div role="status" aria-label={label} className="loading-list">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="skeleton-row" aria-hidden="true">
          <div className="skeleton-avatar" />
          <Skeleton lines={2} />
        </div>
      ))}
    </div>
  )
}

export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty-state">
      <h2 className="empty-title">{title}</h2>
      {children && <p>{children}</p>}
      {action}
    </div>
  )
}

export function ErrorState({ title = "This didn't load", error, onRetry }: { title?: string; error: unknown; onRetry?: () => void }) {
  const message = error instanceof Error ? error.message : 'Something went wrong.'
  return (
    <div className="error-state" role="alert">
      <h2 className="empty-title">{title}</h2>
      <p>{message}</p>
      {onRetry && <p>Check your connection, then try again. If it keeps failing, reload the page.</p>}
      {onRetry && (
        <Button variant="primary" onClick={onRetry}>
          Try again
        </Button>
      )}
    </div>
  )
}

export function Notice({ tone = 'info', children, role, onDismiss }: { tone?: Tone; children: ReactNode; role?: 'alert' | 'status'; onDismiss?: () => void }) {
  return (
    <div className={`notice notice-${tone}${onDismiss ? ' notice-dismissable' : ''}`} role={role}>
      <div>{children}</div>
      {onDismiss && (
        <button type="button" className="notice-dismiss" onClick={onDismiss} aria-label="Dismiss">
          ✕
        </button>
      )}
    </div>
  )
}

export function Avatar({ name }: { name: string }) {
  const initials = name
    .split(/\s+/)
    .filter((p) => /^\p{L}/u.test(p))
    .slice(0, 2)
    .map((p) => Array.from(p)[0]?.toUpperCase())
    .join('')
  return (
    <span className="avatar" aria-hidden="true">
      {initials || '#'}
    </span>
  )
}
