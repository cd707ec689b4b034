import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router'
import { SessionProvider } from '../../lib/session'
import { ThreadList } from './ThreadList'

const session = {
  user: { id: 'u1', email: 'owner@demo.test', name: 'Morgan Reyes' },
  org: { id: 'o1', name: 'Happy Tails Pet Sitting', slug: 'demo', timeZone: 'America/Los_Angeles' },
  role: 'owner', csrfToken: 'c', expiresAt: '2030-01-01T00:00:00Z', diagnostics: false, setupComplete: true,
}
const thread = (id: string, name: string) => ({
  id, client: { id: `c-${id}`, name, phone: '+16505550101', optedOut: false }, sitter: null,
  number: { id: 'n1', e164: '+14155550100', class: 'front_desk', name: 'Front desk', status: 'active' },
  lastMessageAt: '2026-11-25T17:00:00Z', preview: 'Hello', unread: 0, openViolations: 0, failedDeliveries: 0, windowStatus: 'none',
})

function json(body: unknown) {
  return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } })
}

function setup(initial = '/inbox') {
  const threadQueries: URLSearchParams[] = []
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input) => {
    const url = new URL((input as Request).url)
    if (url.pathname === '/api/v1/auth/me') return json(session)
    if (url.pathname === '/api/v1/sitters') return json({ sitters: [{ id: 's1', name: 'Sam Patel', phone: '', active: true, hasLogin: true, line: null }] })
    if (url.pathname === '/api/v1/threads') {
      threadQueries.push(url.searchParams)
      const q = url.searchParams.get('q')
      return json({ threads: q ? [thread('t2', 'Frankie Rossi')] : [thread('t1', 'Avery Johnson'), thread('t2', 'Frankie Rossi')], nextCursor: '' })
    }
    return new Response('{}', { status: 404 })
  })
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } })
  render(
    <QueryClientProvider client={qc}>
      <MemoryRouter initialEntries={[initial]}>
        <SessionProvider>
          <ThreadList />
        </SessionProvider>
      </MemoryRouter>
    </QueryClientProvider>,
  )
  return { threadQueries }
}

afterEach(() => vi.restoreAllMocks())

describe('the thread list', () => {
  it('searches once typing pauses, not on every key', async () => {
    const { threadQueries } = setup()
    await screen.findByText('Avery Johnson')
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search conversations' }), 'Frank')
    await waitFor(() => expect(screen.queryByText('Avery Johnson')).not.toBeInTheDocument())
    expect(screen.getByText('Frankie Rossi')).toBeInTheDocument()
    const searched = threadQueries.map((q) => q.get('q')).filter(Boolean)
    expect(searched).toEqual(['Frank'])
  })

  it('asks the API for what the chips say', async () => {
    const { threadQueries } = setup()
    await screen.findByText('Avery Johnson')
    await userEvent.click(screen.getByRole('button', { name: 'Unassigned' }))
    await waitFor(() => expect(threadQueries.some((q) => q.get('assigned') === 'false')).toBe(true))
    expect(screen.getByRole('button', { name: 'Unassigned' })).toHaveAttribute('aria-pressed', 'true')
    await userEvent.click(screen.getByRole('button', { name: 'Delivery failure' }))
    await waitFor(() => expect(threadQueries.at(-1)?.get('failures')).toBe('true'))
    expect(threadQueries.at(-1)?.get('assigned')).toBeNull()
  })

  it('filters by sitter and by dates in the business time zone', async () => {
    const { threadQueries } = setup('/inbox?sitter=s1&from=2026-11-01')
    await screen.findByText('Avery Johnson')
    const q = threadQueries.at(-1)!
    expect(q.get('sitterId')).toBe('s1')
    expect(q.get('from')).toBe('2026-11-01T07:00:00Z')
    expect(await screen.findByRole('option', { name: 'Sam Patel' })).toBeInTheDocument()
  })
})
