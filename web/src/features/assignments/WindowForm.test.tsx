import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { fakeApi, refusal, renderAt, Route } from '../../test/people'
import type { AssignmentWindow } from './api'
import { WindowForm } from './WindowForm'

afterEach(() => vi.restoreAllMocks())
vi.setConfig({ testTimeout: 20_000 })

const la = 'America/Los_Angeles'
const sitters = {
  sitters: [
    { id: 's-sam', name: 'Sam Patel', active: true },
    { id: 's-riley', name: 'Riley Brooks', active: true },
    { id: 's-gone', name: 'Former Sitter', active: false },
  ],
}
const clients = { clients: [{ id: 'c-gray', name: 'Gray Williams' }], nextCursor: '' }
const base = { 'GET /api/v1/auth/me': refusal(401, 'unauthenticated', 'Sign in.'), 'GET /api/v1/sitters': { status: 200, body: sitters }, 'GET /api/v1/clients': { status: 200, body: clients } }

// A running window whose times carry seconds, as the server stores them.
const running: AssignmentWindow = {
  id: 'w1', sitter: { id: 's-sam', name: 'Sam Patel' }, client: { id: 'c-gray', name: 'Gray Williams' },
  startsAt: '2026-12-01T17:00:42Z', endsAt: '2026-12-03T01:00:42Z', status: 'active', note: 'Two walks', createdAt: '2026-11-30T00:00:00Z',
}

describe('the window form', () => {
  it('creates with the times read in the org zone, and shows each field message from the API beside its field', async () => {
    let n = 0
    const api = fakeApi({
      ...base,
      'POST /api/v1/windows': () =>
        ++n === 1
          ? refusal(400, 'invalid', '', { fields: { clientId: 'Choose a client.', endsAt: 'The window must end after it starts.' } })
          : { status: 201, body: { ...running, status: 'scheduled' } },
    })
    const onDone = vi.fn()
    const start = Date.parse('2026-12-01T17:00:00Z')
    renderAt('/a', <Route path="/a" element={<WindowForm timeZone={la} initial={{ sitterId: 's-sam', startsAt: start, endsAt: start + 3600_000 }} onDone={onDone} />} />)
    const u = userEvent.setup()
    // Prefilled from the calendar: Sam, 9 AM to 10 AM in Los Angeles.
    await vi.waitFor(() => expect(screen.getByLabelText('Sitter')).toHaveValue('s-sam'))
    expect(screen.getByLabelText('Starts')).toHaveValue('2026-12-01T09:00')
    expect(screen.getByLabelText('Ends')).toHaveValue('2026-12-01T10:00')
    // Inactive sitters are not offered for a new window.
    expect(screen.queryByRole('option', { name: /Former Sitter/ })).toBeNull()
    await u.click(screen.getByRole('button', { name: 'Create window' }))
    await vi.waitFor(() => expect(screen.getByLabelText('Client')).toHaveAccessibleDescription('Choose a client.'))
    expect(screen.getByLabelText('Ends')).toHaveAccessibleDescription('The window must end after it starts.')
    expect(screen.getByRole('alert')).toHaveTextContent('Check the highlighted fields.')
    expect(onDone).not.toHaveBeenCalled()

    await u.selectOptions(await screen.findByLabelText('Client'), 'c-gray')
    await u.click(screen.getByRole('button', { name: 'Create window' }))
    await vi.waitFor(() => expect(onDone).toHaveBeenCalled())
    expect(api.calls('POST', '/api/v1/windows')[1]!.body).toEqual({
      sitterId: 's-sam', clientId: 'c-gray', startsAt: '2026-12-01T17:00:00.000Z', endsAt: '2026-12-01T18:00:00.000Z', note: '', notifyClient: true,
    })
  })

  it('edits a running window by sending only what changed, and shows an overlap in words', async () => {
    const api = fakeApi({
      ...base,
      'PATCH /api/v1/windows/w1': refusal(409, 'window_overlap', 'Gray Williams already has Riley Brooks from Thu Dec 3, 9:00 AM PST to Thu Dec 3, 6:00 PM PST (window w2).'),
    })
    renderAt('/a', <Route path="/a" element={<WindowForm timeZone={la} window={running} onDone={vi.fn()} />} />)
    const u = userEvent.setup()
    // A started window keeps its start.
    expect(screen.getByLabelText('Starts')).toBeDisabled()
    const end = screen.getByLabelText('Ends')
    await u.clear(end)
    await u.type(end, '2026-12-03T12:00')
    await u.click(screen.getByRole('button', { name: 'Save changes' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('Gray Williams already has Riley Brooks from Thu Dec 3, 9:00 AM PST')
    // The untouched start (with its seconds), sitter and note are not sent.
    expect(api.calls('PATCH', '/api/v1/windows/w1')[0]!.body).toEqual({ endsAt: '2026-12-03T20:00:00.000Z', notifyClient: false })
    expect(end).toHaveValue('2026-12-03T12:00')
  })
})
