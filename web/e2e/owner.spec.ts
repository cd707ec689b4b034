import { expect, test, type Page } from '@playwright/test'
import { addFault, apiAs, clearFaults, demo, expectAccessible, isoPattern, shot, signIn, textIn, uuidPattern } from './helpers'

test.describe.configure({ mode: 'serial' })

// A short unique word for this run's messages (no long digit runs: the
// content policy reads seven digits as a phone number).
const tag = () => Math.random().toString(36).replace(/[0-9]/g, '').slice(0, 6)

let page: Page

test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  page = await context.newPage()
})
test.afterAll(async () => {
  await clearFaults()
  await page.context().close()
})

test('the owner signs in and sees the inbox of their business', async () => {
  await signIn(page, demo.owner)
  await expect(page).toHaveURL(/\/inbox$/)
  await expect(page.getByTestId('org-name')).toHaveText(demo.org)
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Inbox/ })).toBeVisible()
  await expect(page.getByTestId('thread-row').first()).toBeVisible()
  await expectAccessible(page, 'inbox')
  await shot(page, 'inbox')
})

test('a client texts in and the thread appears without a reload', async () => {
  const body = `Hi! Is there room for Pepper on Dec 20? (${tag()})`
  let reloaded = false
  page.once('load', () => (reloaded = true))
  await textIn(demo.gray.phone, demo.frontDesk, body)
  const row = page.getByTestId('thread-row').filter({ hasText: demo.gray.name })
  await expect(row).toBeVisible({ timeout: 20_000 })
  await expect(row).toContainText(body.slice(0, 30))
  await expect(row.locator('.count')).toBeVisible()
  expect(reloaded).toBe(false)
})

test('the owner reads the trace, replies, and sees the reply delivered', async () => {
  await page.getByTestId('thread-row').filter({ hasText: demo.gray.name }).click()
  const header = page.locator('.thread-header')
  await expect(header.getByRole('heading', { name: demo.gray.name })).toBeVisible()
  await expect(header).toContainText('Front desk')
  await expect(header).toContainText('+1 (415) 555-0100')
  // Opening the thread marked it read.
  await expect(page.getByTestId('thread-row').filter({ hasText: demo.gray.name }).locator('.count')).toHaveCount(0)

  await page.getByRole('button', { name: 'Why routed here?' }).last().click()
  const drawer = page.getByRole('dialog', { name: 'Why routed here?' })
  await expect(drawer.getByTestId('trace')).toContainText('Sent to the owner inbox')
  await expect(drawer.locator('.trace-step')).toHaveCount(3)
  const text = await drawer.innerText()
  expect(text).not.toMatch(uuidPattern)
  expect(text).not.toMatch(isoPattern)
  await expectAccessible(page, 'trace drawer')
  await shot(page, 'trace')
  await page.keyboard.press('Escape')
  await expect(drawer).toBeHidden()

  const reply = `Yes, we have room for Pepper! I'll send the booking details (${tag()}).`
  const box = page.getByRole('textbox', { name: `Reply to ${demo.gray.name}` })
  await box.fill(reply)
  await expect(page.getByTestId('segment-counter')).toContainText('GSM-7')
  await expect(page.getByTestId('segment-counter')).toContainText('1 segment')
  await page.getByRole('button', { name: 'Send' }).click()
  const sent = page.getByTestId('message').filter({ hasText: reply })
  await expect(sent).toBeVisible()
  await expect(sent.locator('.msg-status .badge')).toHaveText('Delivered', { timeout: 45_000 })
  await expectAccessible(page, 'thread')
  await shot(page, 'thread')
})

test('a permanent failure shows its reason and a retry', async () => {
  // The carrier refuses every send to Frankie's number as invalid.
  await addFault({ to: demo.frankie.phone, error_code: 21211, mode: 'create' })
  await page.getByRole('searchbox', { name: 'Search conversations' }).fill('Frankie')
  const row = page.getByTestId('thread-row').filter({ hasText: demo.frankie.name })
  await expect(page.getByTestId('thread-row')).toHaveCount(1)
  await row.click()
  const body = `Sure, 5pm tomorrow works (${tag()}).`
  await page.getByRole('textbox', { name: `Reply to ${demo.frankie.name}` }).fill(body)
  await page.getByRole('button', { name: 'Send' }).click()
  const msg = page.getByTestId('message').filter({ hasText: body })
  await expect(msg.locator('.msg-status .badge')).toHaveText(/Failed|Not delivered/, { timeout: 45_000 })
  await expect(msg.locator('.msg-reason')).not.toBeEmpty()
  await expect(msg.locator('.msg-reason')).not.toHaveText(/^\d+$/)
  const retry = msg.getByRole('button', { name: 'Retry sending' })
  await expect(retry).toBeVisible({ timeout: 30_000 })
  // Diagnostics is off: no raw provider code in the page.
  await expect(msg.getByTestId('diagnostics')).toHaveCount(0)
  expect(await page.content()).not.toContain('21211')
  await shot(page, 'failed-message')

  // The owner turns diagnostics on: the raw code shows; off again: it is gone.
  const thread = page.url()
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click()
  await page.getByText('Diagnostics are off').click()
  await expect(page.getByText('Diagnostics are on')).toBeVisible()
  await page.goto(thread)
  await expect(msg.getByTestId('diagnostics')).toContainText('21211')
  await page.goto('/settings')
  await page.getByText('Diagnostics are on').click()
  await expect(page.getByText('Diagnostics are off')).toBeVisible()
  await page.goto(thread)
  await expect(msg.locator('.msg-status .badge')).toHaveText(/Failed|Not delivered/)
  await expect(msg.getByTestId('diagnostics')).toHaveCount(0)

  // The number is fixed; the retry goes through.
  await clearFaults()
  await retry.click()
  await expect(msg.locator('.msg-status .badge')).toHaveText('Delivered', { timeout: 45_000 })

  // The failure filter finds the thread while it has a failed delivery;
  // clearing the search shows the rest again.
  await page.getByRole('searchbox', { name: 'Search conversations' }).fill('')
  await expect.poll(() => page.getByTestId('thread-row').count()).toBeGreaterThan(1)
})

test('filters narrow the list and say when nothing matches', async () => {
  await page.goto('/inbox')
  await page.getByRole('button', { name: 'Policy violation' }).click()
  await expect(page).toHaveURL(/view=violations/)
  await expect(page.getByTestId('thread-row').filter({ hasText: 'Harper Singh' })).toBeVisible()
  await page.getByRole('searchbox', { name: 'Search conversations' }).fill('zzzz-no-such-client')
  await expect(page.getByRole('heading', { name: 'No conversation matches' })).toBeVisible()
  await expectAccessible(page, 'inbox empty filter')
  await page.getByRole('button', { name: 'Clear filters' }).click()
  await expect(page).toHaveURL(/\/inbox$/)
})

test('a blocked sitter message shows its violation and can be overridden with a reason', async () => {
  await page.goto('/inbox?view=violations')
  await page.getByTestId('thread-row').filter({ hasText: 'Harper Singh' }).click()
  const blocked = page.getByTestId('message').filter({ hasText: 'Easiest is to text me directly' })
  const review = blocked.getByTestId('blocked-review')
  await expect(review).toContainText('shares a phone number')
  await expect(blocked.locator('.msg-status .badge')).toHaveText('Blocked')
  await shot(page, 'blocked-message')
  await review.getByRole('button', { name: 'Override and send…' }).click()
  await review.getByLabel(/Why is it fine to send/).fill('The client asked for this number for the weekend.')
  await expectAccessible(page, 'override form')
  await review.getByRole('button', { name: 'Send anyway' }).click()
  await expect(review).toContainText('Overridden, sent anyway: The client asked for this number for the weekend.')
  await expect(blocked.locator('.msg-status .badge')).not.toHaveText('Blocked')
})

test("another org's thread URL shows not-found", async () => {
  const other = await apiAs(demo.otherOwner)
  const page1 = (await (await other.get('/api/v1/threads')).json()) as { threads: { id: string }[] }
  await other.dispose()
  const foreign = page1.threads[0]!.id
  await page.goto(`/inbox/${foreign}`)
  await expect(page.getByRole('heading', { name: 'Conversation not found' })).toBeVisible()
  await expect(page.locator('body')).not.toContainText('Zoe Park')
  await expectAccessible(page, 'thread not found')
  await shot(page, 'thread-not-found')

  await page.goto('/no-such-page')
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible()
  await expectAccessible(page, 'not found')
})

test('alerts and settings pages', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Alerts/ }).click()
  await expect(page.getByRole('heading', { name: 'Alerts', level: 1 })).toBeVisible()
  await expect(page.locator('.loading-list')).toHaveCount(0)
  await expectAccessible(page, 'alerts')
  await shot(page, 'alerts')
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click()
  await expect(page.getByRole('heading', { name: 'Diagnostics' })).toBeVisible()
  await expect(page.getByRole('switch')).toBeVisible()
  await expectAccessible(page, 'settings')
  await shot(page, 'settings')
})
