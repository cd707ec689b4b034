import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { configure, render } from '@testing-library/react'
import { StrictMode, type ReactNode } from 'react'
import { MemoryRouter, Route, Routes } from 'react-router'
import { SessionProvider, useSession } from '../lib/session'

// Page tests: a fake API answering by "METHOD /path", the requests it saw,
// and the page rendered with the real providers at a URL.

// This machine can be slow: give the page time to load its data.
configure({ asyncUtilTimeout: 5000 })

export type Answer = { status: number; body?: unknown }
export type Handler = Answer | ((req: Request, body: unknown) => Answer)

export interface Seen {
  method: string
  path: string
  search: string
  body: unknown
}

export const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

export const refusal = (status: number, code: string, message: string, extra: { fields?: Record<string, string>; detail?: unknown } = {}): Answer => ({
  status,
  body: { error: { code, message, correlationId: 'c1', ...extra } },
})

export function fakeApi(handlers: Record<string, Handler>) {
  const seen: Seen[] = []
  const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input) => {
    const req = input as Request
    const url = new URL(req.url)
    const text = req.method === 'GET' ? '' : await req.text()
    const body = text ? (JSON.parse(text) as unknown) : undefined
    seen.push({ method: req.method, path: url.pathname, search: url.search, body })
    const h = handlers[`${req.method} ${url.pathname}`]
    if (!h) return json(404, { error: { code: 'not_found', message: `No fake for ${req.method} ${url.pathname}`, correlationId: 'c0' } })
    const a = typeof h === 'function' ? h(req, body) : h
    return a.status === 204 ? new Response(null, { status: 204 }) : json(a.status, a.body ?? {})
  })
  const calls = (method: string, path: string) => seen.filter((s) => s.method === method && s.path === path)
  return { spy, seen, calls }
}

export const ownerSession = {
  user: { id: 'u-owner', email: 'morgan@tails.example', name: 'Morgan Reyes' },
  org: { id: 'o1', name: 'Happy Tails', slug: 'happy-tails', timeZone: 'America/Los_Angeles' },
  role: 'owner',
  csrfToken: 'csrf',
  diagnostics: false,
  setupComplete: true,
}

/** Renders routes at a URL with the app's providers (StrictMode too: effects run twice). */
export function renderAt(url: string, routes: ReactNode) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } })
  return render(
    <StrictMode>
      <QueryClientProvider client={qc}>
        <MemoryRouter initialEntries={[url]}>
          <SessionProvider>
            <Routes>{routes}</Routes>
          </SessionProvider>
        </MemoryRouter>
      </QueryClientProvider>
    </StrictMode>,
  )
}

export function Landed({ name }: { name: string }) {
  return <p>Landed on {name}</p>
}

export { Route }

/** A signed-in page's content, once the session has loaded (as RequireSession does). */
export function SignedIn({ children }: { children: ReactNode }) {
  const { session } = useSession()
  return session ? <>{children}</> : <p>Loading the session</p>
}

/** Types into a field at once (a paste: per-key typing is slow in jsdom). */
export async function fill(u: { click: (el: Element) => Promise<void>; paste: (t: string) => Promise<void> }, el: Element, text: string) {
  await u.click(el)
  await u.paste(text)
}
