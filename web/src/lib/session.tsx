import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from './api/client'
import { ApiError, setCsrfToken, setUnauthorizedHandler } from './api/http'
import type { SessionView } from './api/types'

// The signed-in session, shared by every feature: who is signed in, their
// org (name and time zone) and role. A request that answers 401 after
// sign-in means the session expired: the user is sent back to sign-in with
// a message.

export const sessionKey = ['session'] as const

export async function fetchSession(): Promise<SessionView | null> {
  try {
    const s = await unwrap(api.GET('/api/v1/auth/me'))
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
  /** Sets the session; ending it with a message shows that message on the sign-in page. */
  setSession: (s: SessionView | null, endedMessage?: string) => void
  /** Why the last session ended (expired, signed out), for the sign-in page. */
  endedMessage: string | null
}

const SessionContext = createContext<SessionContextValue | null>(null)

export const EXPIRED_MESSAGE = 'Your session has expired. Sign in again to continue.'

export function SessionProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient()
  const q = useQuery({ queryKey: sessionKey, queryFn: fetchSession, staleTime: 60_000, retry: 1 })
  const [endedMessage, setEndedMessage] = useState<string | null>(null)

  const setSession = useCallback(
    (s: SessionView | null, ended?: string) => {
      setCsrfToken(s ? s.csrfToken : '')
      setEndedMessage(s ? null : (ended ?? null))
      qc.setQueryData(sessionKey, s)
    },
    [qc],
  )

  const session = q.data ?? null
  // RequireSession then sends the user to sign-in, with the message.
  useEffect(() => {
    setUnauthorizedHandler(() => {
      if (!qc.getQueryData(sessionKey)) return
      setEndedMessage(EXPIRED_MESSAGE)
      qc.setQueryData(sessionKey, null)
      qc.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionKey[0] })
    })
    return () => setUnauthorizedHandler(null)
  }, [qc])

  const value = useMemo<SessionContextValue>(
    () => ({
      session,
      loading: q.isPending,
      error: q.error,
      retry: () => void q.refetch(),
      timeZone: session?.org.timeZone || undefined,
      setSession,
      endedMessage,
    }),
    [session, q, setSession, endedMessage],
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
