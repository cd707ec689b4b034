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
