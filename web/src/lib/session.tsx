import { createContext, useCallback, useContext, useEffect, useMemo, type ReactNode } from 'react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useLocation, useNavigate } from 'react-router'
import { call } from './api/client'
import { ApiError, setCsrfToken, setUnauthorizedHandler } from './api/http'
import type { SessionView } from './api/types'

// The signed-in session, shared by every feature: who is signed in, their
// org (name and time zone) and role. A request that answers 401 after
// sign-in means the session expired: the user is sent back to sign-in with
// a message.

export const sessionKey = ['session'] as const

export async function fetchSession(): Promise<SessionView | null> {
  try {
    const s = await call<SessionView>('GET', '/api/v1/auth/me')
    setCsrfToken(s.csrfToken)
    return s
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null
    throw e
  }
}

interface SessionContextValue {
  session: SessionView | null
  loading: boolean
  error: Error | null
  retry: () => void
  /** The business's time zone (IANA), for every displayed time. */
  timeZone: string | undefined
  setSession: (s: SessionView | null) => void
}

const SessionContext = createContext<SessionContextValue | null>(null)

export const EXPIRED_MESSAGE = 'Your session has expired. Sign in again to continue.'

export function SessionProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient()
  const navigate = useNavigate()
  const location = useLocation()
  const q = useQuery({ queryKey: sessionKey, queryFn: fetchSession, staleTime: 60_000, retry: 1 })

  const setSession = useCallback(
    (s: SessionView | null) => {
      if (s) setCsrfToken(s.csrfToken)
      else setCsrfToken('')
      qc.setQueryData(sessionKey, s)
    },
    [qc],
  )

  const session = q.data ?? null
  const path = location.pathname
  useEffect(() => {
    setUnauthorizedHandler(() => {
      if (!qc.getQueryData(sessionKey)) return
      qc.setQueryData(sessionKey, null)
      qc.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionKey[0] })
      navigate('/sign-in', { replace: true, state: { message: EXPIRED_MESSAGE, from: path } })
    })
    return () => setUnauthorizedHandler(null)
  }, [qc, navigate, path])

  const value = useMemo<SessionContextValue>(
    () => ({
      session,
      loading: q.isPending,
      error: q.error,
      retry: () => void q.refetch(),
      timeZone: session?.org.timezone || undefined,
      setSession,
    }),
    [session, q, setSession],
  )
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>
}

export function useSession(): SessionContextValue {
  const v = useContext(SessionContext)
  if (!v) throw new Error('useSession outside SessionProvider')
  return v
}

/** The session of a page behind RequireSession. */
export function useSignedIn(): SessionView {
  const { session } = useSession()
  if (!session) throw new Error('useSignedIn outside a signed-in route')
  return session
}

export function isStaff(role: string | undefined): boolean {
  return role === 'owner' || role === 'admin'
}
