import { useMutation } from '@tanstack/react-query'
import { call } from '../../lib/api/client'
import type { SessionView } from '../../lib/api/types'
import { useSession } from '../../lib/session'

export function useSignIn() {
  const { setSession } = useSession()
  return useMutation({
    mutationFn: (creds: { email: string; password: string }) => call<SessionView>('POST', '/api/v1/auth/login', { body: creds }),
    onSuccess: (s) => setSession(s),
  })
}

export function useRequestReset() {
  return useMutation({
    mutationFn: (email: string) => call<{ message: string }>('POST', '/api/v1/auth/password-reset', { body: { email } }),
  })
}

export function useConfirmReset() {
  return useMutation({
    mutationFn: (v: { token: string; password: string }) => call<{ message: string }>('POST', '/api/v1/auth/password-reset/confirm', { body: v }),
  })
}
