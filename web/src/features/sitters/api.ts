import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '../../lib/api/client'
import type { components } from '../../lib/api/schema'

// The sitters (owners and admins): the roster with each sitter's number,
// active windows and threads; one sitter's profile with the windows ahead.

export type Sitter = components['schemas']['SitterView']
export type SitterProfile = components['schemas']['SitterProfileView']
export type NumberChoice = components['schemas']['NumberView']

export interface SitterForm {
  name: string
  displayName: string
  phone: string
  status: 'active' | 'inactive'
}

export function useSitters() {
  return useQuery({
    queryKey: ['sitters'],
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/sitters', { signal })),
  })
}

export function useSitter(id: string | null) {
  return useQuery({
    queryKey: ['sitters', id],
    enabled: !!id,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/sitters/{id}', { params: { path: { id: id! } }, signal })),
  })
}

function useSittersMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: fn,
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['sitters'] }),
  })
}

export function useCreateSitter() {
  return useSittersMutation((f: Omit<SitterForm, 'status'>) => unwrap(api.POST('/api/v1/sitters', { body: f })))
}

export function useUpdateSitter() {
  return useSittersMutation((v: { id: string; form: SitterForm }) => unwrap(api.PATCH('/api/v1/sitters/{id}', { params: { path: { id: v.id } }, body: v.form })))
}

/** Numbers that can become a sitter's number: the sitter numbers nobody holds. */
export function useFreeSitterNumbers(enabled: boolean) {
  return useQuery({
    queryKey: ['sitters', 'free-numbers'],
    enabled,
    queryFn: async ({ signal }) => {
      const page = await unwrap(api.GET('/api/v1/numbers', { params: { query: { class: 'sitter', assignedTo: 'unassigned', status: 'active', limit: 100 } }, signal }))
      // Without format=csv the answer is the JSON page.
      return typeof page === 'string' ? { numbers: [] as NumberChoice[], nextCursor: '' } : page
    },
  })
}

export function useAssignNumber() {
  return useSittersMutation((v: { numberId: string; sitterId: string }) =>
    unwrap(api.POST('/api/v1/numbers/{id}/assign', { params: { path: { id: v.numberId } }, body: { to: 'sitter', sitterId: v.sitterId } })),
  )
}

/** The form's starting values for a sitter (or a new one). */
export function formOf(s?: Sitter): SitterForm {
  return { name: s?.name ?? '', displayName: s?.displayName ?? '', phone: s?.phone ?? '', status: s?.active === false ? 'inactive' : 'active' }
}
