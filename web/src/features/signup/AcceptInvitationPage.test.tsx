import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { fakeApi, fill, Landed, ownerSession, refusal, renderAt, Route } from '../../test/people'
import { AcceptInvitationPage } from './AcceptInvitationPage'

afterEach(() => vi.restoreAllMocks())
vi.setConfig({ testTimeout: 20_000 })

const routes = (
  <>
    <Route path="/invitations/accept" element={<AcceptInvitationPage />} />
    <Route path="/" element={<Landed name="home" />} />
  </>
)
const me = { 'GET /api/v1/auth/me': refusal(401, 'unauthenticated', 'Sign in.') }
const preview = { orgName: 'Happy Tails', email: 'lou@sitters.example', name: 'Lou', role: 'sitter', existingAccount: false, expiresAt: '2026-12-08T00:00:00Z' }

describe('accepting an invitation', () => {
  it('shows the business and the role, sets a password, and signs in', async () => {
    const api = fakeApi({
      ...me,
      'POST /api/v1/auth/invitations/preview': { status: 200, body: preview },
      'POST /api/v1/auth/invitations/accept': { status: 200, body: { orgId: 'o1', user: { id: 'u', email: preview.email, name: 'Lou Park' }, role: 'sitter' } },
      'POST /api/v1/auth/login': { status: 200, body: { ...ownerSession, role: 'sitter', expiresAt: '2026-12-02T00:00:00Z' } },
    })
    renderAt('/invitations/accept?token=inv1', routes)
    expect(await screen.findByRole('heading', { name: 'Join Happy Tails' })).toBeInTheDocument()
    expect(screen.getByText(/to join their team on Snout as a sitter/)).toBeInTheDocument()
    const u = userEvent.setup()
    const name = screen.getByLabelText('Your name')
    expect(name).toHaveValue('Lou')
    await u.clear(name)
    await fill(u, name, 'Lou Park')
    await fill(u, screen.getByLabelText('Choose a password'), 'lous-password-1')
    await fill(u, screen.getByLabelText('Repeat the password'), 'lous-password-2')
    await u.click(screen.getByRole('button', { name: 'Join Happy Tails' }))
    expect(screen.getByLabelText('Repeat the password')).toHaveAccessibleDescription('The two passwords are not the same.')
    expect(api.calls('POST', '/api/v1/auth/invitations/accept')).toHaveLength(0)

    await u.clear(screen.getByLabelText('Repeat the password'))
    await fill(u, screen.getByLabelText('Repeat the password'), 'lous-password-1')
    await u.click(screen.getByRole('button', { name: 'Join Happy Tails' }))
    expect(await screen.findByText('Landed on home')).toBeInTheDocument()
    expect(api.calls('POST', '/api/v1/auth/invitations/accept')[0]!.body).toEqual({ token: 'inv1', name: 'Lou Park', password: 'lous-password-1' })
    expect(api.calls('POST', '/api/v1/auth/login')[0]!.body).toEqual({ email: 'lou@sitters.example', password: 'lous-password-1' })
  })

  it.each([
    ['invitation_expired', 'This invitation has expired. Ask the business to resend it.', 'This invitation has expired'],
    ['invitation_revoked', 'This invitation was withdrawn. Ask the business for a new one.', 'This invitation was withdrawn'],
    ['invitation_used', 'This invitation has been used already. Sign in instead.', 'This invitation has been used'],
  ])('explains a %s link', async (code, message, title) => {
    fakeApi({ ...me, 'POST /api/v1/auth/invitations/preview': refusal(400, code, message, { fields: { token: 'x' } }) })
    renderAt('/invitations/accept?token=gone', routes)
    expect(await screen.findByRole('heading', { name: title })).toBeInTheDocument()
    expect(screen.getByRole('alert')).toHaveTextContent(message)
    expect(screen.queryByLabelText('Choose a password')).not.toBeInTheDocument()
  })

  it('asks for the existing password of an email that has a login', async () => {
    fakeApi({ ...me, 'POST /api/v1/auth/invitations/preview': { status: 200, body: { ...preview, existingAccount: true } } })
    renderAt('/invitations/accept?token=inv1', routes)
    expect(await screen.findByLabelText('Password')).toHaveAccessibleDescription(/has a Snout login already/)
    expect(screen.queryByLabelText('Your name')).not.toBeInTheDocument()
  })
})
