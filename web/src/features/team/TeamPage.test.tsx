import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { fakeApi, ownerSession, refusal, renderAt, Route, SignedIn } from '../../test/people'
import { TeamPage } from './TeamPage'

afterEach(() => vi.restoreAllMocks())
vi.setConfig({ testTimeout: 20_000 })

// jsdom has no modal dialogs: open and close them as attributes.
beforeAll(() => {
  HTMLDialogElement.prototype.showModal = function (this: HTMLDialogElement) {
    this.setAttribute('open', '')
  }
  HTMLDialogElement.prototype.close = function (this: HTMLDialogElement) {
    this.removeAttribute('open')
    this.dispatchEvent(new Event('close'))
  }
})

const member = (id: string, name: string, role: string, extra = {}) => ({
  userId: id, name, email: `${id}@tails.example`, role, active: true, sitterId: null, joinedAt: '2026-11-01T17:00:00Z', ...extra,
})
const members = {
  members: [
    member('u-owner', 'Morgan Reyes', 'owner'),
    member('u-sam', 'Sam Patel', 'sitter', { sitterId: 's-sam' }),
    member('u-jamie', 'Jamie Chen', 'admin', { active: false, deactivatedAt: '2026-11-20T17:00:00Z' }),
  ],
}
const base = {
  'GET /api/v1/auth/me': { status: 200, body: { ...ownerSession, user: { ...ownerSession.user, id: 'u-owner' }, expiresAt: '2026-12-02T00:00:00Z' } },
  'GET /api/v1/team/members': { status: 200, body: members },
  'GET /api/v1/team/invitations': { status: 200, body: { invitations: [] } },
}

function renderTeam() {
  return renderAt('/team', <Route
      path="/team"
      element={
        <SignedIn>
          <TeamPage />
        </SignedIn>
      }
    />)
}

describe('team page', () => {
  it('shows roles and status, and gives the owner no controls over themselves', async () => {
    fakeApi(base)
    renderTeam()
    const rows = await screen.findAllByTestId('member')
    expect(rows).toHaveLength(3)
    const [me, sam, jamie] = rows as [HTMLElement, HTMLElement, HTMLElement]
    expect(within(me).getByText('You')).toBeInTheDocument()
    expect(within(me).queryByRole('button')).not.toBeInTheDocument()
    expect(within(me).queryByRole('combobox')).not.toBeInTheDocument()
    expect(within(sam).getByLabelText('Role of Sam Patel')).toHaveValue('sitter')
    expect(within(jamie).getByText('Deactivated')).toBeInTheDocument()
    expect(within(jamie).getByRole('button', { name: 'Reactivate Jamie Chen' })).toBeInTheDocument()
    expect(screen.getByText('No open invitations.')).toBeInTheDocument()
  })

  it('lists, one a line, the windows that block deactivating a sitter, and changes nothing', async () => {
    const windows = [
      { windowId: 'w1', sitterName: 'Sam Patel', clientId: 'c1', clientName: 'Avery Johnson', startsAt: '', endsAt: '', starts: 'Tue Dec 1, 9:00 AM PST', ends: 'Thu Dec 3, 6:00 PM PST' },
      { windowId: 'w2', sitterName: 'Sam Patel', clientId: 'c2', clientName: 'Casey Nguyen', startsAt: '', endsAt: '', starts: 'Fri Dec 11, 8:00 AM PST', ends: 'Sat Dec 12, 8:00 PM PST' },
    ]
    const api = fakeApi({
      ...base,
      'POST /api/v1/team/members/u-sam/deactivate': refusal(409, 'sitter_has_windows', 'Sam Patel still has 2 windows that have not ended.', { detail: { windows } }),
    })
    renderTeam()
    const u = userEvent.setup()
    await u.click(await screen.findByRole('button', { name: 'Deactivate Sam Patel' }))
    const dialog = await screen.findByRole('dialog', { name: 'Deactivate Sam Patel?' })
    await u.click(within(dialog).getByRole('button', { name: 'Deactivate Sam Patel' }))
    const refused = await screen.findByRole('dialog', { name: "Sam Patel can't be deactivated yet" })
    const items = within(refused).getAllByRole('listitem')
    expect(items.map((li) => li.textContent)).toEqual([
      'Avery JohnsonTue Dec 1, 9:00 AM PST – Thu Dec 3, 6:00 PM PST',
      'Casey NguyenFri Dec 11, 8:00 AM PST – Sat Dec 12, 8:00 PM PST',
    ])
    expect(within(refused).getByText(/2 visit windows that haven't ended/)).toBeInTheDocument()
    // Only a way out: no second try from the refusal.
    expect(within(refused).queryByRole('button', { name: 'Deactivate Sam Patel' })).not.toBeInTheDocument()
    expect(api.calls('POST', '/api/v1/team/members/u-sam/deactivate')).toHaveLength(1)
  })

  it('changes a role only once confirmed', async () => {
    const api = fakeApi({
      ...base,
      'POST /api/v1/team/members/u-sam/role': { status: 200, body: member('u-sam', 'Sam Patel', 'admin') },
    })
    renderTeam()
    const u = userEvent.setup()
    await u.selectOptions(await screen.findByLabelText('Role of Sam Patel'), 'admin')
    const dialog = await screen.findByRole('dialog', { name: 'Make Sam Patel an admin?' })
    await u.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    expect(api.calls('POST', '/api/v1/team/members/u-sam/role')).toHaveLength(0)
    expect(screen.getByLabelText('Role of Sam Patel')).toHaveValue('sitter')

    await u.selectOptions(screen.getByLabelText('Role of Sam Patel'), 'admin')
    await u.click(within(await screen.findByRole('dialog', { name: 'Make Sam Patel an admin?' })).getByRole('button', { name: 'Change role' }))
    await vi.waitFor(() => expect(api.calls('POST', '/api/v1/team/members/u-sam/role')).toHaveLength(1))
    expect(api.calls('POST', '/api/v1/team/members/u-sam/role')[0]!.body).toEqual({ role: 'admin' })
  })

  it("invites with the API's field messages next to the fields", async () => {
    const api = fakeApi({
      ...base,
      'POST /api/v1/team/invitations': refusal(400, 'invalid', '', { fields: { email: 'Sam Patel is already on the team.' } }),
    })
    renderTeam()
    const u = userEvent.setup()
    const email = await screen.findByLabelText('Email')
    await u.click(email)
    await u.paste('u-sam@tails.example')
    await u.selectOptions(screen.getByLabelText('Role'), 'admin')
    await u.click(screen.getByRole('button', { name: 'Send invitation' }))
    await vi.waitFor(() => expect(email).toHaveAccessibleDescription('Sam Patel is already on the team.'))
    expect(email).toHaveValue('u-sam@tails.example')
    expect(api.calls('POST', '/api/v1/team/invitations')[0]!.body).toEqual({ email: 'u-sam@tails.example', name: '', role: 'admin' })
  })

  it('gives a sitter record without a login its login', async () => {
    const api = fakeApi({
      ...base,
      'GET /api/v1/sitters': {
        status: 200,
        body: {
          sitters: [
            { id: 's-jordan', name: 'Jordan Diaz', displayName: '', phone: '', status: 'active', active: true, hasLogin: false, line: null, activeWindows: 1, threads: 1, unreadThreads: 0, createdAt: '' },
            { id: 's-sam', name: 'Sam Patel', displayName: '', phone: '', status: 'active', active: true, hasLogin: true, line: null, activeWindows: 1, threads: 1, unreadThreads: 0, createdAt: '' },
          ],
        },
      },
      'POST /api/v1/team/invitations': { status: 201, body: { id: 'i1', email: 'jordan@tails.example', name: 'Jordan Diaz', role: 'sitter', sitterId: 's-jordan', status: 'pending', expiresAt: '', sentCount: 1, lastSentAt: '', createdAt: '' } },
    })
    renderTeam()
    const u = userEvent.setup()
    const record = await screen.findByLabelText('Sitter record (optional)')
    expect(within(record).getAllByRole('option').map((o) => o.textContent)).toEqual(['A new sitter', 'Jordan Diaz'])
    await u.selectOptions(record, 's-jordan')
    await u.click(screen.getByLabelText('Email'))
    await u.paste('jordan@tails.example')
    await u.click(screen.getByRole('button', { name: 'Send invitation' }))
    expect(await screen.findByText(/Invitation sent to/)).toBeInTheDocument()
    expect(api.calls('POST', '/api/v1/team/invitations')[0]!.body).toEqual({ email: 'jordan@tails.example', name: '', role: 'sitter', sitterId: 's-jordan' })
  })
})
