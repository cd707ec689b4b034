import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { fakeApi, refusal, renderAt, Route } from '../../test/people'
import type { Sitter } from './api'
import { SitterEditor } from './SitterEditor'

afterEach(() => vi.restoreAllMocks())
vi.setConfig({ testTimeout: 20_000 })

const jordan: Sitter = {
  id: 's-jordan', name: 'Jordan Diaz', displayName: '', phone: '+16505550193', status: 'active', active: true, hasLogin: false,
  line: null, activeWindows: 1, threads: 1, unreadThreads: 0, createdAt: '2026-11-01T17:00:00Z',
}
const window = { windowId: 'w1', sitterName: 'Jordan Diaz', clientId: 'c1', clientName: 'Owen Gallagher', startsAt: '', endsAt: '', starts: 'Mon Nov 30, 12:22 PM PST', ends: 'Sat Dec 5, 8:22 AM PST' }
const me = { 'GET /api/v1/auth/me': refusal(401, 'unauthenticated', 'Sign in.') }

function renderEditor(onDone = vi.fn()) {
  renderAt('/sitters', <Route path="/sitters" element={<SitterEditor sitter={jordan} onDone={onDone} />} />)
  return onDone
}

describe('sitter profile', () => {
  it("refuses inactive while a window runs, listing it, and keeps the form", async () => {
    const api = fakeApi({
      ...me,
      'GET /api/v1/sitters/s-jordan': { status: 200, body: { ...jordan, windowsAhead: [window] } },
      'PATCH /api/v1/sitters/s-jordan': refusal(409, 'sitter_has_windows', 'Jordan Diaz still has 1 window that has not ended.', { detail: { windows: [window] } }),
    })
    const onDone = renderEditor()
    const u = userEvent.setup()
    await u.selectOptions(screen.getByLabelText('Status'), 'inactive')
    await u.click(screen.getByRole('button', { name: 'Save changes' }))
    const alert = await screen.findByRole('alert')
    expect(alert).toHaveTextContent("Jordan Diaz still has a window that hasn't ended")
    expect(within(alert).getByRole('listitem')).toHaveTextContent('Owen GallagherMon Nov 30, 12:22 PM PST – Sat Dec 5, 8:22 AM PST')
    expect(screen.getByLabelText('Status')).toHaveValue('inactive')
    expect(onDone).not.toHaveBeenCalled()
    expect(api.calls('PATCH', '/api/v1/sitters/s-jordan')[0]!.body).toEqual({ name: 'Jordan Diaz', displayName: '', phone: '+16505550193', status: 'inactive' })
    // The windows ahead are listed below the form too.
    expect(await screen.findByRole('heading', { name: 'Windows now and ahead' })).toBeInTheDocument()
  })

  it('puts field messages next to the fields and closes once saved', async () => {
    let n = 0
    fakeApi({
      ...me,
      'GET /api/v1/sitters/s-jordan': { status: 200, body: { ...jordan, windowsAhead: [] } },
      'PATCH /api/v1/sitters/s-jordan': () =>
        ++n === 1 ? refusal(400, 'invalid', '', { fields: { phone: 'Not a phone number we can use: too short.' } }) : { status: 200, body: { ...jordan, windowsAhead: [] } },
    })
    const onDone = renderEditor()
    const u = userEvent.setup()
    const phone = screen.getByLabelText('Their own phone (optional)')
    await u.clear(phone)
    await u.click(phone)
    await u.paste('12')
    await u.click(screen.getByRole('button', { name: 'Save changes' }))
    await vi.waitFor(() => expect(phone).toHaveAccessibleDescription(/Not a phone number we can use: too short./))
    expect(onDone).not.toHaveBeenCalled()
    await u.clear(phone)
    await u.click(phone)
    await u.paste('(650) 555-0193')
    await u.click(screen.getByRole('button', { name: 'Save changes' }))
    await vi.waitFor(() => expect(onDone).toHaveBeenCalled())
  })
})
