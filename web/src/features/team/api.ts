import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '../../lib/api/client'
import type { components } from '../../lib/api/schema'

// The team (owners only): members with their roles and status, and the
// invitations. Every change refreshes both lists.

export type Member = components['schemas']['MemberView']
export type Invitation = components['schemas']['InvitationView']
export type WindowAhead = components['schemas']['WindowAhead']
export type TeamRole = 'owner' | 'admin' | 'sitter'

const membersKey = ['team', 'members'] as const
const invitationsKey = ['team', 'invitations'] as const

export function useMembers() {
  return useQuery({
    queryKey: membersKey,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/team/members', { signal })),
  })
}

export function useInvitations() {
  return useQuery({
    queryKey: invitationsKey,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/team/invitations', { signal })),
  })
}

function useTeamMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: fn,
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: ['team'] })
      // A role change or deactivation changes the sitters' roster too.
      void qc.invalidateQueries({ queryKey: ['sitters'] })
    },
  })
}

export function useChangeRole() {
  return useTeamMutation((v: { id: string; role: TeamRole }) =>
    unwrap(api.POST('/api/v1/team/members/{id}/role', { params: { path: { id: v.id } }, body: { role: v.role } })),
  )
}

export function useDeactivate() {
  return useTeamMutation((id: string) => unwrap(api.POST('/api/v1/team/members/{id}/deactivate', { params: { path: { id } } })))
}

export function useReactivate() {
  return useTeamMutation((id: string) => unwrap(api.POST('/api/v1/team/members/{id}/reactivate', { params: { path: { id } } })))
}

export function useInvite() {
  return useTeamMutation((v: { email: string; name: string; role: 'admin' | 'sitter'; sitterId?: string }) =>
    unwrap(api.POST('/api/v1/team/invitations', { body: v })),
  )
}

/** Sitters without a login, whom a sitter invitation can give one. */
export function useSittersWithoutLogin(enabled: boolean) {
  return useQuery({
    queryKey: ['sitters', 'without-login'],
    enabled,
    queryFn: async ({ signal }) => {
      const r = await unwrap(api.GET('/api/v1/sitters', { signal }))
      return r.sitters.filter((s) => !s.hasLogin && s.active)
    },
  })
}

export function useResendInvitation() {
  return useTeamMutation((id: string) => unwrap(api.POST('/api/v1/team/invitations/{id}/resend', { params: { path: { id } } })))
}

export function useRevokeInvitation() {
  return useTeamMutation((id: string) => unwrap(api.POST('/api/v1/team/invitations/{id}/revoke', { params: { path: { id } } })))
}

/** The windows a refused deactivation lists (detail.windows), empty for any other refusal. */
export function blockingWindows(detail: unknown): WindowAhead[] {
  if (!detail || typeof detail !== 'object') return []
  const ws = (detail as { windows?: unknown }).windows
  if (!Array.isArray(ws)) return []
  return ws.filter((w): w is WindowAhead => !!w && typeof w === 'object' && typeof (w as WindowAhead).clientName === 'string')
}

/** Open invitations (pending or expired: they can still be resent) first, then the closed ones. */
export function splitInvitations(all: Invitation[]): { open: Invitation[]; closed: Invitation[] } {
  const open = all.filter((i) => i.status === 'pending' || i.status === 'expired')
  const closed = all.filter((i) => i.status !== 'pending' && i.status !== 'expired')
  return { open, closed }
}
