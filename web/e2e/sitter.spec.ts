import { expect, test, type Page } from '@playwright/test'
import { clientPhoneForms, demo, expectAccessible, shot, signIn } from './helpers'

test.describe.configure({ mode: 'serial' })

// A short unique word for this run's messages (no long digit runs: the
// content policy reads seven digits as a phone number).
const tag = () => Math.random().toString(36).replace(/[0-9]/g, '').slice(0, 6)

let page: Page
const bodies: string[] = []
const apiPaths: string[] = []

test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true })
  page = await context.newPage()
  // Everything the sitter's browser receives, to search for client numbers.
  page.on('response', async (r) => {
    const url = new URL(r.url())
    if (url.pathname.startsWith('/api/')) apiPaths.push(`${r.request().method()} ${url.pathname}`)
    try {
      bodies.push(`${r.url()}\n${await r.text()}`)
    } catch {
      // redirects and aborted requests have no body
    }
  })
})
test.afterAll(async () => {
  await page.context().close()
})

function expectNoClientNumbers(text: string, where: string) {
  for (const form of clientPhoneForms()) expect(text.includes(form), `${where} contains ${form}`).toBe(false)
}

test('a sitter on a phone sees only the conversation assigned to them now', async () => {
  await signIn(page, demo.sam)
  await expect(page).toHaveURL(/\/sitter$/)
  await expect(page.getByRole('heading', { name: 'My conversations' })).toBeVisible()
  const threads = page.getByTestId('sitter-thread')
  await expect(threads).toHaveCount(1)
  await expect(threads.first()).toContainText(demo.avery.name)
  // No business navigation for a sitter.
  await expect(page.getByRole('link', { name: /Inbox/ })).toHaveCount(0)
  await expectAccessible(page, 'sitter home')
  await shot(page, 'sitter-home')
})

test('the sitter sends a reply with the live counter', async () => {
  await page.getByTestId('sitter-thread').first().click()
  await expect(page.getByRole('heading', { name: demo.avery.name })).toBeVisible()
  const body = `Biscuit had a lovely walk and ate all his dinner 🐶 (${tag()})`
  await page.getByRole('textbox', { name: `Message ${demo.avery.name}` }).fill(body)
  await expect(page.getByTestId('segment-counter')).toContainText('UCS-2')
  await expect(page.getByTestId('segment-counter')).toContainText('1 segment')
  await page.getByRole('button', { name: 'Send' }).click()
  const mine = page.getByTestId('message').filter({ hasText: body })
  await expect(mine).toBeVisible()
  await expect(mine.locator('.msg-status .badge')).toHaveText(/Sent|Delivered/, { timeout: 45_000 })
  await expectAccessible(page, 'sitter conversation')
  await shot(page, 'sitter-conversation')
})

test('sharing a phone number is explained before sending and blocked with the reason', async () => {
  const box = page.getByRole('textbox', { name: `Message ${demo.avery.name}` })
  await box.fill('Easier to text me directly at 650 555 0191')
  await expect(page.getByTestId('compose-warning')).toContainText('includes a phone number')
  await shot(page, 'sitter-warning')
  await page.getByRole('button', { name: 'Send' }).click()
  await expect(page.getByRole('alert')).toContainText("Your message wasn't sent")
  await expect(page.getByRole('alert')).toContainText('includes a phone number')
  // Nothing is lost: the draft is back in the box to edit.
  await expect(box).toHaveValue('Easier to text me directly at 650 555 0191')
  await shot(page, 'sitter-blocked')
})

test("a sitter who types an owner URL gets nothing of the owner's", async () => {
  apiPaths.length = 0
  for (const path of ['/inbox', `/inbox/${'00000000-0000-4000-8000-000000000000'}`, '/settings', '/alerts']) {
    await page.goto(path)
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible()
  }
  await shot(page, 'sitter-owner-url')
  // The pages asked for nothing but the sitter's own session and badge.
  expect(apiPaths.filter((p) => !/ \/api\/v1\/(auth\/me|inbox\/counts)$/.test(p))).toEqual([])
  // And the API itself refuses the owner's routes.
  const r = await page.request.get('/api/v1/threads')
  expect(r.status()).toBe(403)
})

test('no client phone number appears in the page, its network traffic or its source', async () => {
  await page.goto('/sitter')
  await page.getByTestId('sitter-thread').first().click()
  await expect(page.getByTestId('message').first()).toBeVisible()
  expectNoClientNumbers(await page.content(), 'the page')
  expect(bodies.length).toBeGreaterThan(5)
  expectNoClientNumbers(bodies.join('\n'), 'the network traffic')
})
