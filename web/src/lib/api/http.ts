// The one way the dashboard talks to the API: same-origin fetch with the
// session cookie, the CSRF header on every write, and the API's error body
// turned into an ApiError whose message is written for people.

export interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string>; detail?: unknown; correlationId: string }
}

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly fields: Record<string, string>
  /** Structured data some refusals carry (a phone's holder, a conflict's impact). */
  readonly detail: unknown
  readonly correlationId: string

  constructor(status: number, body: Partial<ErrorBody['error']>) {
    super(body.message || defaultMessage(status))
    this.name = 'ApiError'
    this.status = status
    this.code = body.code ?? 'unknown'
    this.fields = body.fields ?? {}
    this.detail = body.detail
    this.correlationId = body.correlationId ?? ''
  }

  get notFound() {
    return this.status === 404
  }
}

function defaultMessage(status: number): string {
  if (status === 0) return "We couldn't reach Snout. Check your connection and try again."
  if (status >= 500) return 'Something went wrong on our side. Try again in a moment.'
  return 'That request was refused.'
}

let csrfToken = ''
let onUnauthorized: ((message: string) => void) | null = null

/** Called with the session's token after sign-in and on every /me. */
export function setCsrfToken(token: string) {
  csrfToken = token
}

/** Called when a signed-in request answers 401: the session has expired. */
export function setUnauthorizedHandler(fn: ((message: string) => void) | null) {
  onUnauthorized = fn
}

export async function parseError(res: Response): Promise<ApiError> {
  let body: Partial<ErrorBody['error']> = {}
  try {
    const json = (await res.json()) as Partial<ErrorBody>
    body = json.error ?? {}
  } catch {
    // not JSON: keep the default message
  }
  return new ApiError(res.status, body)
}

/** A fetch that adds the CSRF header to writes and reports expired sessions. */
export async function apiFetch(input: Request): Promise<Response> {
  const req = input
  if (req.method !== 'GET' && req.method !== 'HEAD' && csrfToken) req.headers.set('X-CSRF-Token', csrfToken)
  let res: Response
  try {
    res = await fetch(req)
  } catch {
    throw new ApiError(0, {})
  }
  if (res.status === 401 && !new URL(req.url).pathname.startsWith('/api/v1/auth/login')) {
    const err = await parseError(res.clone())
    onUnauthorized?.(err.message)
  }
  return res
}
