import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { fakeApi, fill, refusal, renderAt, Route } from '../../test/people'
import { SignUpPage } from './SignUpPage'
import { browserTimeZone } from './timeZones'

afterEach(() => vi.restoreAllMocks())
vi.setConfig({ testTimeout: 20_000 })

const noSession = { 'GET /api/v1/auth/me': refusal(401, 'unauthenticated', 'Sign in.') }

async function fillForm() {
  const u = userEvent.setup()
  await fill(u, await screen.findByLabelText('Business name'), 'Paws & Whiskers')
  await fill(u, screen.getByLabelText('Your name'), 'Dana Lee')
  await fill(u, screen.getByLabelText('Email'), 'dana@paws.example')
  await fill(u, screen.getByLabelText('Password'), 'short')
  return u
}

describe('sign-up', () => {
  it("starts with the browser's time zone", async () => {
    fakeApi(noSession)
    renderAt('/signup', <Route path="/signup" element={<SignUpPage />} />)
    expect(await screen.findByLabelText('Time zone')).toHaveValue(browserTimeZone())
  })

  it("puts each of the API's field messages next to its field and keeps what was typed", async () => {
    const api = fakeApi({
      ...noSession,
      'POST /api/v1/auth/signup': refusal(400, 'invalid', 'Check the form.', {
        fields: { password: 'password must be at least 10 characters', email: 'An account already uses this email. Sign in instead, or reset your password.' },
      }),
    })
    renderAt('/signup', <Route path="/signup" element={<SignUpPage />} />)
    const u = await fillForm()
    await u.click(screen.getByRole('button', { name: 'Create business' }))
    const password = screen.getByLabelText('Password')
    await waitFor(() => expect(password).toHaveAttribute('aria-invalid', 'true'))
    expect(password).toHaveAccessibleDescription(/at least 10 characters/)
    expect(screen.getByLabelText('Email')).toHaveAccessibleDescription(/An account already uses this email/)
    expect(screen.getByLabelText('Business name')).not.toHaveAttribute('aria-invalid')
    expect(screen.getByLabelText('Business name')).toHaveValue('Paws & Whiskers')
    expect(screen.getByRole('alert')).toHaveTextContent('Check the highlighted fields.')
    expect(api.calls('POST', '/api/v1/auth/signup')[0]!.body).toEqual({
      orgName: 'Paws & Whiskers', timeZone: browserTimeZone(), ownerName: 'Dana Lee', email: 'dana@paws.example', password: 'short',
    })
  })

  it('offers a new link when the email has a sign-up waiting', async () => {
    const api = fakeApi({
      ...noSession,
      'POST /api/v1/auth/signup': refusal(409, 'signup_in_flight', 'A sign-up for this email is waiting for its verification link.'),
      'POST /api/v1/auth/signup/resend': { status: 202, body: { message: 'If a sign-up for that email is waiting, a new link is on its way.' } },
    })
    renderAt('/signup', <Route path="/signup" element={<SignUpPage />} />)
    const u = await fillForm()
    await u.click(screen.getByRole('button', { name: 'Create business' }))
    expect(await screen.findByLabelText('Email')).toHaveAccessibleDescription(/waiting for its verification link/)
    await u.click(screen.getByRole('button', { name: 'Send me a new link' }))
    expect(await screen.findByText(/a new link is on its way/)).toBeInTheDocument()
    expect(api.calls('POST', '/api/v1/auth/signup/resend')[0]!.body).toEqual({ email: 'dana@paws.example' })
  })

  it('then says to check the email, resends, and shows the link a development install kept', async () => {
    const api = fakeApi({
      ...noSession,
      'POST /api/v1/auth/signup': { status: 202, body: { orgId: 'o', email: 'dana@paws.example', expiresAt: '2026-12-02T00:00:00Z', message: 'We sent a link to dana@paws.example.' } },
      'POST /api/v1/auth/signup/resend': { status: 202, body: { message: 'A new link is on its way.' } },
      'GET /api/v1/auth/dev-mailbox': {
        status: 200,
        body: { emails: [{ id: 'e', to: 'dana@paws.example', subject: 'Confirm', body: 'Open http://127.0.0.1:8080/signup/verify?token=abc_DEF-123 now', createdAt: '', transport: 'outbox' }] },
      },
    })
    renderAt('/signup', <Route path="/signup" element={<SignUpPage />} />)
    const u = await fillForm()
    await u.click(screen.getByRole('button', { name: 'Create business' }))
    expect(await screen.findByRole('heading', { name: 'Check your email' })).toBeInTheDocument()
    expect(screen.getByText('We sent a link to dana@paws.example.')).toBeInTheDocument()
    expect(await screen.findByRole('link', { name: 'Open the verification link' })).toHaveAttribute('href', '/signup/verify?token=abc_DEF-123')
    await u.click(screen.getByRole('button', { name: 'Send a new link' }))
    expect(await screen.findByText('A new link is on its way.')).toBeInTheDocument()
    expect(api.calls('GET', '/api/v1/auth/dev-mailbox')[0]!.search).toBe('?to=dana%40paws.example')
  })
})
