import { useMutation, useQuery } from '@tanstack/react-query'
import { api, unwrap } from '../../lib/api/client'
import { ApiError } from '../../lib/api/http'
import { useSession } from '../../lib/session'

// The public pages of joining Snout: a new business signs up and verifies
// its owner's email; an invited person accepts their invitation. None of
// these needs a session.

export interface SignupForm {
  orgName: string
  timeZone: string
  ownerName: string
  email: string
  password: string
}

export function useSignUp() {
  return useMutation({
    mutationFn: (form: SignupForm) => unwrap(api.POST('/api/v1/auth/signup', { body: form })),
  })
}

export function useResendSignup() {
  return useMutation({
    mutationFn: (email: string) => unwrap(api.POST('/api/v1/auth/signup/resend', { body: { email } })),
  })
}

/**
 * Verifies the sign-up's token. A token works once, so this is a query
 * (shared, never refetched or retried) rather than an effect that React
 * could run twice.
 */
export function useVerifySignup(token: string) {
  return useQuery({
    queryKey: ['signup-verify', token],
    enabled: token !== '',
    queryFn: () => unwrap(api.POST('/api/v1/auth/signup/verify', { body: { token } })),
    staleTime: Infinity,
    gcTime: Infinity,
    retry: false,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  })
}

/**
 * The mail a development install kept for an address (no SMTP there, so
 * nothing really leaves). Anywhere else the API answers 404 and this is
 * simply empty.
 */
export function useDevMailbox(email: string, enabled: boolean) {
  return useQuery({
    queryKey: ['dev-mailbox', email],
    enabled: enabled && email !== '',
    refetchInterval: 3000,
    queryFn: async ({ signal }) => {
      try {
        return await unwrap(api.GET('/api/v1/auth/dev-mailbox', { params: { query: { to: email } }, signal }))
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return { emails: [] }
        throw e
      }
    },
  })
}

export function useInvitationPreview(token: string) {
  return useQuery({
    queryKey: ['invitation-preview', token],
    enabled: token !== '',
    queryFn: () => unwrap(api.POST('/api/v1/auth/invitations/preview', { body: { token } })),
    retry: false,
    refetchOnWindowFocus: false,
  })
}

export function useAcceptInvitation() {
  return useMutation({
    mutationFn: (v: { token: string; name: string; password: string }) => unwrap(api.POST('/api/v1/auth/invitations/accept', { body: v })),
  })
}

/** Signs in (after verifying or accepting) and keeps the session. */
export function useSignInAfterJoining() {
  const { setSession } = useSession()
  return useMutation({
    mutationFn: (creds: { email: string; password: string }) => unwrap(api.POST('/api/v1/auth/login', { body: creds })),
    onSuccess: (s) => setSession(s),
  })
}

/** The first link to this site's page in a mail's body (a verification or invitation link). */
export function linkIn(body: string, path: string): string | null {
  const m = new RegExp(`https?://\\S+?${path.replace(/[/?]/g, '\\$&')}\\?token=[\\w-]+`).exec(body)
  if (!m) return null
  try {
    const u = new URL(m[0])
    return u.pathname + u.search
  } catch {
    return null
  }
}
