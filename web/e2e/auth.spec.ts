import { expect, request, test } from '@playwright/test'
import { apiAs, apiURL, demo, expectAccessible, password, shot, signIn } from './helpers'

test('pages carry a strict CSP and nothing on them breaks it', async ({ page }) => {
  const violations: string[] = []
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text())
  })
  const res = await page.goto('/sign-in')
  const csp = res!.headers()['content-security-policy'] ?? ''
  expect(csp).toContain("script-src 'self'")
  expect(csp).toContain("frame-ancestors 'none'")
  expect(csp).not.toContain('unsafe-inline')
  expect(res!.headers()['x-content-type-options']).toBe('nosniff')
  await signIn(page, demo.owner)
  await expect(page.getByTestId('thread-row').first()).toBeVisible()
  await page.getByTestId('thread-row').first().click()
  await expect(page.getByTestId('message').first()).toBeVisible()
  expect(violations).toEqual([])
})

test('the sign-in pages are readable, accessible and say what went wrong', async ({ page }) => {
  await page.goto('/sign-in')
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible()
  await expectAccessible(page, 'sign in')
  await shot(page, 'sign-in')

  await signIn(page, demo.owner, 'not-the-password')
  await expect(page.getByRole('alert')).toContainText(/email or password|not correct|didn't match|invalid/i)

  await page.getByRole('link', { name: 'Forgot your password?' }).click()
  await expect(page.getByRole('heading', { name: 'Reset your password' })).toBeVisible()
  await expectAccessible(page, 'forgot password')
  await shot(page, 'forgot-password')

  await page.goto('/reset-password')
  await expect(page.getByRole('alert')).toContainText('needs the link from your reset email')
  await expectAccessible(page, 'reset password without a token')
})

test('forgot password: the link in the email sets a new password', async ({ page }) => {
  await page.goto('/forgot-password')
  await page.getByLabel('Email').fill(demo.admin)
  await page.getByRole('button', { name: 'Send reset link' }).click()
  await expect(page.getByRole('status')).toContainText('reset link is on its way')

  // Development has no SMTP: the owner's outbox holds the email.
  const owner = await apiAs(demo.owner)
  const outbox = (await (await owner.get('/api/v1/ops/outbox')).json()) as { emails: { to: string; body: string }[] }
  const mail = outbox.emails.find((m) => m.to === demo.admin)
  expect(mail, 'the reset email to the admin').toBeTruthy()
  const link = /https?:\/\/\S+\/reset-password#token=\S+/.exec(mail!.body)?.[0]
  expect(link, mail!.body).toBeTruthy()
  await owner.dispose()

  const { pathname, hash } = new URL(link!)
  await page.goto(pathname + hash)
  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible()
  await expectAccessible(page, 'reset password')
  await shot(page, 'reset-password')
  await page.getByLabel('New password', { exact: true }).fill('a-new-admin-password')
  await page.getByLabel('Repeat the new password').fill('a-new-admin-password')
  await page.getByRole('button', { name: 'Set new password' }).click()
  await expect(page.getByRole('status')).toContainText('Your password has been changed')

  await page.getByRole('link', { name: 'Sign in' }).click()
  await signIn(page, demo.admin, 'a-new-admin-password')
  await expect(page).toHaveURL(/\/inbox/)
  await expect(page.getByTestId('org-name')).toHaveText(demo.org)

  // The demo password again (other specs sign in as the admin), the same way through the API.
  const anon = await request.newContext({ baseURL: apiURL })
  expect((await anon.post('/api/v1/auth/password-reset', { data: { email: demo.admin } })).ok()).toBeTruthy()
  const owner2 = await apiAs(demo.owner)
  let token = ''
  await expect(async () => {
    const mails = (await (await owner2.get('/api/v1/ops/outbox')).json()) as { emails: { to: string; body: string }[] }
    const tokens = mails.emails.filter((m) => m.to === demo.admin).map((m) => /reset-password#token=(\S+)/.exec(m.body)?.[1] ?? '')
    token = tokens.find((t) => t && !link!.includes(t)) ?? ''
    expect(token).not.toBe('')
  }).toPass({ timeout: 15_000 })
  await owner2.dispose()
  const back = await anon.post('/api/v1/auth/password-reset/confirm', { data: { token, password } })
  expect(back.ok(), await back.text()).toBeTruthy()
  await anon.dispose()
})

test('an expired session sends the user back to sign in with a message, and sign out works', async ({ page, context }) => {
  await signIn(page, demo.owner)
  await expect(page).toHaveURL(/\/inbox/)
  await expect(page.getByTestId('thread-row').first()).toBeVisible()
  // The session ends (here: its cookie is gone); the next poll finds out.
  await context.clearCookies()
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible({ timeout: 20_000 })
  await expect(page.getByRole('status')).toContainText('Your session has expired')

  await signIn(page, demo.owner)
  await expect(page).toHaveURL(/\/inbox/)
  await page.getByRole('button', { name: /account menu/ }).click()
  await expect(page.getByText('Owner at Happy Tails Pet Sitting')).toBeVisible()
  await page.getByRole('button', { name: 'Sign out' }).click()
  await expect(page.getByRole('status')).toContainText('You have signed out')
  await page.goto('/inbox')
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible()
})
