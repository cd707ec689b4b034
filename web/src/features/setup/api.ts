import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '../../lib/api/client'
import type { components } from '../../lib/api/schema'
import { sessionKey } from '../../lib/session'

// The setup wizard: one long-lived workflow per business. Every step is an
// update the workflow validates (an early step refuses with what to finish
// first); every answer is the whole wizard state, which becomes the page's.

export type SetupView = components['schemas']['SetupView']
export type SetupStep = components['schemas']['SetupStepView']
export type SetupCheck = components['schemas']['SetupCheckView']
export type SetupNumber = components['schemas']['SetupNumberView']
export type SetupResult = components['schemas']['SetupResultView']
export type AvailableNumber = components['schemas']['SetupAvailableNumber']
export type OwnedNumber = components['schemas']['SetupOwnedNumber']
export type NumberItem = components['schemas']['SetupNumberRequest']
export type Sitter = components['schemas']['SitterView']

export const setupKey = ['setup'] as const

/** The wizard's progress, read from its workflow (the API starts the wizard on first use). */
export function useSetupProgress() {
  return useQuery({
    queryKey: setupKey,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/setup', { signal })),
  })
}

/** A step's request; its answer replaces the wizard state. */
function useStep<A>(call: (args: A) => Promise<SetupView>) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: call,
    onSuccess: (view) => {
      qc.setQueryData(setupKey, view)
      void qc.invalidateQueries({ queryKey: ['setup', 'owned'] })
      // Finishing setup changes where the dashboard sends the owner.
      if (view.complete) void qc.invalidateQueries({ queryKey: sessionKey })
    },
    // A refusal can still have moved the wizard (a failed step records its error).
    onError: () => void qc.invalidateQueries({ queryKey: setupKey }),
  })
}

export interface Credentials {
  accountSid: string
  authToken: string
  apiKeySid?: string
  apiKeySecret?: string
}

export function useConnectProvider() {
  return useStep((c: Credentials) => unwrap(api.POST('/api/v1/setup/provider', { body: c })))
}

export function useCheckConnectivity() {
  return useStep(() => unwrap(api.POST('/api/v1/setup/connectivity')))
}

export interface NumberSearch {
  areaCode?: string
  region?: string
  tollFree?: boolean
}

/** Numbers for sale with their monthly cost; enabled once the owner searched. */
export function useAvailableNumbers(search: NumberSearch | null) {
  return useQuery({
    queryKey: ['setup', 'available', search],
    enabled: search !== null,
    staleTime: 60_000,
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/setup/available-numbers', {
          params: {
            query: {
              areaCode: search?.areaCode || undefined,
              region: search?.region || undefined,
              tollFree: search?.tollFree ? 'true' : undefined,
              limit: '12',
            },
          },
          signal,
        }),
      ),
  })
}

/** The numbers the connected Twilio account already has (to import instead of typing them). */
export function useOwnedNumbers() {
  return useQuery({
    queryKey: ['setup', 'owned'],
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/setup/owned-numbers', { signal })),
  })
}

export function useFrontDesk() {
  return useStep(({ action, e164 }: { action: 'buy' | 'import'; e164: string }) =>
    unwrap(api.POST('/api/v1/setup/front-desk', { body: action === 'buy' ? { buy: { e164 } } : { import: { e164 } } })),
  )
}

export type NumberStepKind = 'sitter_numbers' | 'pool_numbers'

export function useAddNumbers(kind: NumberStepKind) {
  return useStep((items: NumberItem[]) =>
    unwrap(
      kind === 'sitter_numbers'
        ? api.POST('/api/v1/setup/sitter-numbers', { body: { items } })
        : api.POST('/api/v1/setup/pool-numbers', { body: { items } }),
    ),
  )
}

export function useSkipNumbers(kind: NumberStepKind) {
  return useStep(() =>
    unwrap(kind === 'sitter_numbers' ? api.POST('/api/v1/setup/sitter-numbers/skip') : api.POST('/api/v1/setup/pool-numbers/skip')),
  )
}

export function useInstallWebhooks() {
  return useStep(() => unwrap(api.POST('/api/v1/setup/webhooks')))
}

export function useRetryWebhook() {
  return useStep((numberId: string) => unwrap(api.POST('/api/v1/setup/webhooks/{numberId}/retry', { params: { path: { numberId } } })))
}

export function useCheckReadiness() {
  return useStep(() => unwrap(api.POST('/api/v1/setup/readiness')))
}

/** The sitters a sitter number can be given to. */
export function useSitterChoices(enabled: boolean) {
  return useQuery({
    queryKey: ['sitters'],
    enabled,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/sitters', { signal })),
  })
}

/** A sitter added from the wizard (name and their own mobile number), to give a number to. */
export function useAddSitter() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: { name: string; phone: string }) => unwrap(api.POST('/api/v1/sitters', { body: { ...body, status: 'active' } })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['sitters'] }),
  })
}
