import type { ReactNode } from 'react'
import { Navigate, useLocation } from 'react-router'
import { ErrorState, Skeleton } from '../components/ui'
import { isStaff, useSession } from '../lib/session'
import { NotFoundPage } from './NotFoundPage'

/** Signed-in pages: without a session, to sign-in (and back after). */
export function RequireSession({ children }: { children: ReactNode }) {
  const { session, loading, error, retry, endedMessage } = useSession()
  const location = useLocation()
  if (loading) {
    return (
      <div className="boot" role="status" aria-label="Loading">
        <Skeleton lines={3} />
      </div>
    )
  }
  if (error && !session) {
    return (
      <main id="main" className="page">
        <ErrorState title="Snout didn't load" error={error} onRetry={retry} />
      </main>
    )
  }
  if (!session) {
    return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search, message: endedMessage ?? undefined }} />
  }
  return <>{children}</>
}

/**
 * Pages of one kind of role. Anyone else gets the same not-found page as
 * for a missing page: a sitter who types an owner's URL learns nothing.
 */
export function RequireRole({ staff, ownerOnly, children }: { staff: boolean; ownerOnly?: boolean; children: ReactNode }) {
  const { session } = useSession()
  const role = session?.role
  const ok = ownerOnly ? role === 'owner' : staff ? isStaff(role) : role === 'sitter'
  if (!ok) return <NotFoundPage />
  return <>{children}</>
}

/** An owner whose setup is unfinished works on setup: nobody can text the business yet. */
export function needsSetup(session: ReturnType<typeof useSession>['session']) {
  return session?.role === 'owner' && !session.setupComplete
}

export function HomeRedirect() {
  const { session } = useSession()
  if (needsSetup(session)) return <Navigate to="/setup" replace />
  return <Navigate to={isStaff(session?.role) ? '/inbox' : '/sitter'} replace />
}

/** The inbox: an owner is sent to setup until it is complete (the people pages stay open, to invite sitters first). */
export function RequireSetup({ children }: { children: ReactNode }) {
  const { session } = useSession()
  if (needsSetup(session)) return <Navigate to="/setup" replace />
  return <>{children}</>
}
