import { useMutation } from '@tanstack/react-query'
import { api, unwrap } from '../../lib/api/client'
import { useSession } from '../../lib/session'

export function useSignIn() {
  const { setSession } = useSession()
  return useMutation({
    mutationFn: (creds: { email: string; password: string }) => unwrap(api.POST('/api/v1/auth/login', { body: creds })),
    onSuccess: (s) => setSession(s),
  })
}

export function useRequestReset() {
  return useMutation({
    mutationFn: (email: string) => unwrap(api.POST('/api/v1/auth/password-reset', { body: { email } })),
  })
}

export function useConfirmReset() {
  return useMutation({
    mutationFn: (v: { token: string; password: string }) => unwrap(api.POST('/api/v1/auth/password-reset/confirm', { body: v })),
  })
}
