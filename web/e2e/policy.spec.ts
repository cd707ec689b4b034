import { expect, test, type Page } from '@playwright/test'
import { apiAs, demo, expectAccessible, shot, signIn } from './helpers'

// Policy review: two messages Riley tried to send Blake were stopped by the
// content policy. The feed shows each with its type, conversation, sitter,
// status and a redacted excerpt; the owner reads one in full and dismisses
// it, sends the other anyway with a reason, and finds both in the audit.
// An admin sees the feed but not the full text.

test.describe.configure({ mode: 'serial' })

const blake = 'Blake Martinez'
const tag = () => Math.random().toString(36).replace(/[0-9]/g, '').slice(0, 6)
const toDismiss = `Text me on my own phone at 415 555 0177, ${tag()}`
const toOverride = `My email is riley.${tag()}@example.com for the key photos`
const reason = `Blake asked for Riley's email for the key photos (${tag()})`
let page: Page

test.beforeAll(async ({ browser }) => {
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage()
  const riley = await apiAs('riley@demo.test')
  const threads = await riley.get('/api/v1/sitter/threads')
  expect(threads.ok(), await threads.text()).toBeTruthy()
  const list = (await threads.json()) as { threads: { id: string; clientName?: string; client?: { name: string } }[] }
  const t = list.threads.find((x) => (x.clientName ?? x.client?.name ?? '').startsWith('Blake'))
  expect(t, `Riley's conversation with ${blake}`).toBeTruthy()
  for (const body of [toDismiss, toOverride]) {
    const r = await riley.post(`/api/v1/sitter/threads/${t!.id}/messages`, { data: { body } })
    expect(r.status(), await r.text()).toBe(422)
  }
  await riley.dispose()
})
test.afterAll(async () => {
  await page.context().close()
})

// Only this spec's violations are in Blake's conversation: one of each type.
const violation = (type: 'Phone number' | 'Email address') => page.getByTestId('violation').filter({ hasText: blake }).filter({ hasText: type })

test('an admin sees the feed with redacted excerpts, but not the full text', async () => {
  await signIn(page, demo.admin)
  await expect(page).toHaveURL(/\/inbox$/)
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Policy' }).click()
  await expect(page.getByRole('heading', { name: 'Policy review' })).toBeVisible()
  const row = violation('Phone number')
  await expect(row).toHaveCount(1, { timeout: 20_000 })
  await expect(row).toContainText('77')
  await expect(row).toContainText(blake)
  await expect(row).toContainText('Riley Brooks')
  await expect(row).toContainText('Needs review')
  // The excerpt is redacted: not the whole message.
  await expect(row).not.toContainText(toDismiss)
  await row.getByRole('button', { name: /Open the violation/ }).click()
  const drawer = page.getByRole('dialog', { name: 'Policy violation' })
  await expect(drawer.getByText('Only the owner can read the full message.')).toBeVisible()
  await expect(drawer.getByTestId('full-text')).toHaveCount(0)
  await expect(drawer.getByRole('button', { name: 'Dismiss' })).toHaveCount(0)
  await drawer.getByRole('button', { name: 'Close' }).click()
  await page.getByRole('button', { name: /account menu/ }).click()
  await page.getByRole('button', { name: 'Sign out' }).click()
  await expect(page).toHaveURL(/sign-in/)
})

test('the owner reads a violation in full and dismisses it', async () => {
  await signIn(page, demo.owner)
  await expect(page.getByTestId('org-name')).toBeVisible()
  await page.goto('/policy')
  const row = violation('Phone number')
  await expect(row).toHaveCount(1, { timeout: 20_000 })
  await expectAccessible(page, 'policy review')
  await shot(page, 'policy')
  await row.getByRole('button', { name: /Open the violation/ }).click()
  const drawer = page.getByRole('dialog', { name: 'Policy violation' })
  await expect(drawer.getByTestId('full-text')).toHaveText(toDismiss)
  await expectAccessible(page, 'policy violation')
  await shot(page, 'policy-violation')
  await drawer.getByLabel('Reason').fill('Talked to Riley about keeping texts here')
  await drawer.getByRole('button', { name: 'Dismiss' }).click()
  await expect(page.getByRole('status').filter({ hasText: `The message to ${blake} was dismissed` })).toBeVisible()
  await expect(violation('Phone number')).toHaveCount(0)
  await page.getByRole('button', { name: 'Dismissed' }).click()
  await expect(page).toHaveURL(/status=dismissed/)
  await expect(violation('Phone number')).toContainText('Dismissed')
})

test('sending one anyway takes a reason, and both decisions are in the audit', async () => {
  await page.getByRole('button', { name: 'Needs review' }).click()
  const row = violation('Email address')
  await expect(row).toHaveCount(1)
  await row.getByRole('button', { name: /Open the violation/ }).click()
  const drawer = page.getByRole('dialog', { name: 'Policy violation' })
  await expect(drawer.getByTestId('full-text')).toHaveText(toOverride)
  // No reason: nothing is sent, and the form says why.
  await drawer.getByRole('button', { name: 'Send anyway' }).click()
  await expect(drawer.getByRole('alert')).toHaveText('Say why this message may be sent anyway.')
  await drawer.getByLabel('Reason').fill(reason)
  await drawer.getByRole('button', { name: 'Send anyway' }).click()
  const done = page.getByRole('status').filter({ hasText: `The message to ${blake} is being sent` })
  await expect(done).toBeVisible()

  await done.getByRole('link', { name: 'See it in the audit trail' }).click()
  await expect(page).toHaveURL(/\/audit\?action=policy_violation\./)
  const overridden = page.getByTestId('audit-event').filter({ hasText: 'Policy violation overridden' }).first()
  const dismissed = page.getByTestId('audit-event').filter({ hasText: 'Policy violation dismissed' }).first()
  await expect(overridden).toBeVisible({ timeout: 20_000 })
  await expect(dismissed).toBeVisible()
  await overridden.getByRole('button').first().click()
  await expect(overridden.getByLabel('The event as recorded')).toContainText(reason)
  await dismissed.getByRole('button').first().click()
  await expect(dismissed.getByLabel('The event as recorded')).toContainText('Talked to Riley about keeping texts here')
})

test('policy review reads on a phone', async () => {
  await page.setViewportSize({ width: 375, height: 740 })
  await page.goto('/policy?status=all')
  await expect(page.getByTestId('violation').first()).toBeVisible()
  await expectAccessible(page, 'policy review on a phone')
  await shot(page, 'policy-phone')
  await page.setViewportSize({ width: 1280, height: 800 })
})
