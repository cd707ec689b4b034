import { apiFetch, parseError } from './http'

type Query = Record<string, string | number | boolean | undefined | null>

function url(path: string, query?: Query): string {
  const u = new URL(path, window.location.origin)
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null && v !== '') u.searchParams.set(k, String(v))
  }
  return u.pathname + u.search
}

/** One API call: the parsed body, or a thrown ApiError. */
export async function call<T>(method: string, path: string, opts: { query?: Query; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const req = new Request(new URL(url(path, opts.query), window.location.origin), {
    method,
    credentials: 'same-origin',
    headers: opts.body !== undefined ? { 'Content-Type': 'application/json', Accept: 'application/json' } : { Accept: 'application/json' },
    body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
    signal: opts.signal,
  })
  const res = await apiFetch(req)
  if (!res.ok) throw await parseError(res)
  if (res.status === 204) return undefined as T
  return (await res.json()) as T
}
