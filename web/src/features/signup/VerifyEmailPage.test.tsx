import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { fakeApi, fill, Landed, ownerSession, refusal, renderAt, Route } from '../../test/people'
import { VerifyEmailPage } from './VerifyEmailPage'

afterEach(() => vi.restoreAllMocks())
vi.setConfig({ testTimeout: 20_000 })

const routes = (
  <>
    <Route path="/signup/verify" element={<VerifyEmailPage />} />
    <Route path="/setup" element={<Landed name="setup" />} />
  </>
)

describe('email verification', () => {
  it('uses the token once, then signs the owner in and goes to setup', async () => {
    const api = fakeApi({
      'GET /api/v1/auth/me': refusal(401, 'unauthenticated', 'Sign in.'),
      'POST /api/v1/auth/signup/verify': {
        status: 200,
        body: { org: { id: 'o1', name: 'Paws & Whiskers', slug: 'p' }, owner: { id: 'u', email: 'dana@paws.example', name: 'Dana' }, timeZone: 'Europe/London', nextStep: 'setup' },
      },
      'POST /api/v1/auth/login': { status: 200, body: { ...ownerSession, expiresAt: '2026-12-02T00:00:00Z' } },
    })
    renderAt('/signup/verify?token=tok123', routes)
    expect(await screen.findByRole('heading', { name: 'Your email is confirmed' })).toBeInTheDocument()
    expect(screen.getByText(/Paws & Whiskers is ready to set up/)).toBeInTheDocument()
    expect(screen.getByLabelText('Email')).toHaveValue('dana@paws.example')
    const u = userEvent.setup()
    await fill(u, screen.getByLabelText('Password'), 'dana-password-1')
    await u.click(screen.getByRole('button', { name: 'Sign in and set up' }))
    expect(await screen.findByText('Landed on setup')).toBeInTheDocument()
    // StrictMode runs effects twice; the single-use token is sent once.
    expect(api.calls('POST', '/api/v1/auth/signup/verify')).toHaveLength(1)
    expect(api.calls('POST', '/api/v1/auth/signup/verify')[0]!.body).toEqual({ token: 'tok123' })
    expect(api.calls('POST', '/api/v1/auth/login')[0]!.body).toEqual({ email: 'dana@paws.example', password: 'dana-password-1' })
  })

  it('says plainly when the link has expired or was used', async () => {
    fakeApi({
      'GET /api/v1/auth/me': refusal(401, 'unauthenticated', 'Sign in.'),
      'POST /api/v1/auth/signup/verify': refusal(400, 'invalid_token', 'This verification link is not valid: it may have expired or been used already. Ask for a new one.'),
    })
    renderAt('/signup/verify?token=old', routes)
    expect(await screen.findByRole('heading', { name: "This link doesn't work" })).toBeInTheDocument()
    expect(screen.getByRole('alert')).toHaveTextContent('it may have expired or been used already')
    expect(screen.getByRole('link', { name: 'Sign up again' })).toHaveAttribute('href', '/signup')
  })
})
