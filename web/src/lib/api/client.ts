import createClient from 'openapi-fetch'
import { ApiError, apiFetch, type ErrorBody } from './http'
import type { paths } from './schema'

/** The typed API client: paths, parameters and bodies from the OpenAPI document. */
export const api = createClient<paths>({
  baseUrl: typeof window === 'undefined' ? '' : window.location.origin,
  fetch: apiFetch,
  credentials: 'same-origin',
})

/** The body of a successful answer, or the API's refusal thrown as an ApiError. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call
  if (!response.ok) throw new ApiError(response.status, ((error ?? {}) as Partial<ErrorBody>).error ?? {})
  return data as T
}

/**
 * unwrap for a list that can also be downloaded as CSV (?format=csv): the
 * document gives the answer both forms; without format it is always JSON.
 */
export async function unwrapJSON<T extends object>(call: Promise<{ data?: T | string; error?: unknown; response: Response }>): Promise<T> {
  const data = await unwrap(call)
  if (typeof data === 'string') throw new ApiError(0, { message: 'The server answered with a file where a list was expected.' })
  return data
}
