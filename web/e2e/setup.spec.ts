import { expect, request, test, type APIRequestContext, type Page } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { apiURL, expectAccessible, shot, sim, textIn } from './helpers'

// The section-14 story, through the browser, for a business that has just
// signed up and has no provider: the wrong credentials, then the right
// ones; a front desk number bought with its cost shown; sitter numbers
// imported from the Twilio account and a pool number bought; a webhook that
// fails and is retried; readiness; a client's first text in the inbox; and
// the audit trail downloaded and read.

test.describe.configure({ mode: 'serial' })

const run = Math.random().toString(36).slice(2, 8)
const owner = { email: `robin-${run}@fetch.example`, password: 'robin-password-1', name: 'Robin Vale' }
const orgName = `Fetch & Follow ${run}`
let page: Page
let account: { sid: string; auth_token: string }
// Numbers the Twilio account owned before it was connected (imported as sitter numbers).
const owned: string[] = []
let frontDesk = ''
let poolNumber = ''

async function mailedToken(anon: APIRequestContext, to: string): Promise<string> {
  let token = ''
  await expect(async () => {
    const r = await anon.get(`/api/v1/auth/dev-mailbox?to=${encodeURIComponent(to)}`)
    const { emails } = (await r.json()) as { emails: { body: string }[] }
    token = emails.map((e) => /\/signup\/verify\?token=([\w-]+)/.exec(e.body)?.[1]).find(Boolean) ?? ''
    expect(token).not.toBe('')
  }).toPass({ timeout: 15_000 })
  return token
}

/** A number bought straight in the simulated Twilio account, as in the Twilio console before Snout. */
async function buyInTwilio(areaCode: string): Promise<string> {
  const s = await sim()
  const auth = 'Basic ' + Buffer.from(`${account.sid}:${account.auth_token}`).toString('base64')
  const r = await s.post(`/2010-04-01/Accounts/${account.sid}/IncomingPhoneNumbers.json`, { form: { AreaCode: areaCode }, headers: { Authorization: auth } })
  expect(r.ok(), await r.text()).toBeTruthy()
  const n = (await r.json()) as { phone_number: string }
  await s.dispose()
  return n.phone_number
}

const display = (e164: string) => `(${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8)}`

test.beforeAll(async ({ browser }) => {
  // The business signs up and confirms its email (the sign-up pages have their own test).
  const anon = await request.newContext({ baseURL: apiURL })
  const r = await anon.post('/api/v1/auth/signup', { data: { orgName, timeZone: 'America/Denver', ownerName: owner.name, email: owner.email, password: owner.password } })
  expect(r.ok(), await r.text()).toBeTruthy()
  const v = await anon.post('/api/v1/auth/signup/verify', { data: { token: await mailedToken(anon, owner.email) } })
  expect(v.ok(), await v.text()).toBeTruthy()
  await anon.dispose()
  // Its own Twilio account, which already has two numbers.
  const s = await sim()
  const a = await s.post('/_sim/accounts', { data: { friendly_name: `${orgName} Twilio` } })
  expect(a.ok(), await a.text()).toBeTruthy()
  account = (await a.json()) as typeof account
  await s.dispose()
  owned.push(await buyInTwilio('303'), await buyInTwilio('303'))

  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage()
})

test.afterAll(async () => {
  const s = await sim()
  await s.delete('/_sim/faults/numbers')
  await s.dispose()
  await page.context().close()
})

test('a new owner is sent to setup, and Next waits for each step', async () => {
  await page.goto('/sign-in')
  await page.getByLabel('Email').fill(owner.email)
  await page.getByLabel('Password').fill(owner.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page).toHaveURL(/\/setup(\?|$)/)
  await expect(page.getByRole('heading', { name: `Set up ${orgName}` })).toBeVisible()
  await expect(page.getByText('0 of 7 steps finished')).toBeVisible()
  await expect(page.getByRole('heading', { name: 'Connect your Twilio account', level: 2 })).toBeVisible()
  const next = page.getByRole('button', { name: /^Next:/ })
  await expect(next).toBeDisabled()
  await expect(page.getByText('Finish “Connect your Twilio account” to go on.')).toBeVisible()
  // Later steps are locked, and say why.
  await expect(page.getByRole('navigation', { name: 'Setup steps' }).getByText('Finish “Connect your Twilio account” first.').first()).toBeAttached()
  // The inbox is setup until setup is done; other pages say setup is unfinished.
  await page.goto('/inbox')
  await expect(page).toHaveURL(/\/setup(\?|$)/)
  await page.goto('/clients')
  await expect(page.getByText('Setup isn’t finished: nobody can text your business yet.')).toBeVisible()
  await page.getByRole('link', { name: 'Continue setup' }).click()
  await expect(page).toHaveURL(/\/setup(\?|$)/)
  await expectAccessible(page, 'setup, first step')
  await shot(page, 'setup-provider')
})

test('wrong credentials are refused in words; the right ones connect', async () => {
  await page.getByRole('button', { name: 'Connect account' }).click()
  await expect(page.getByText(/The Account SID starts with AC/)).toBeVisible()
  await page.getByLabel('Account SID').fill(account.sid)
  await page.getByLabel('Auth Token', { exact: true }).fill('0'.repeat(32))
  await page.getByRole('button', { name: 'Connect account' }).click()
  await expect(page.getByRole('alert')).toContainText(/didn't accept|not accept|rejected|Check the Account SID/i, { timeout: 30_000 })
  await shot(page, 'setup-provider-refused')
  await page.getByLabel('Auth Token', { exact: true }).fill(account.auth_token)
  await page.getByRole('button', { name: 'Connect account' }).click()
  await expect(page.getByText(`Connected to ${orgName} Twilio`)).toBeVisible({ timeout: 30_000 })
  await expect(page.getByText('1 of 7 steps finished')).toBeVisible()
  await page.getByRole('button', { name: 'Next: Check the connection' }).click()
  await page.getByRole('region', { name: 'Check the connection' }).getByRole('button', { name: 'Check the connection' }).click()
  await expect(page.getByRole('list', { name: 'Connection checks' }).getByText('Pass').first()).toBeVisible({ timeout: 30_000 })
  await expect(page.getByRole('list', { name: 'Connection checks' }).getByText('Fail')).toHaveCount(0)
  await expect(page.getByText(/Account balance:/)).toBeVisible()
  await shot(page, 'setup-connectivity')
})

test('leaving and coming back resumes where the owner was', async () => {
  await page.goto('/team')
  await page.goto('/setup')
  await expect(page.getByText('2 of 7 steps finished')).toBeVisible()
  await expect(page.getByRole('heading', { name: 'Front desk number', level: 2 })).toBeVisible()
})

test('the front desk number is bought with its monthly cost shown first', async () => {
  await page.getByLabel('Area code').fill('415')
  await page.getByRole('button', { name: 'Search' }).click()
  const forSale = page.getByRole('list', { name: 'Numbers for sale' })
  await expect(forSale.getByRole('listitem').first()).toBeVisible({ timeout: 30_000 })
  await expect(page.getByText(/Each number costs \$1\.15 a month/)).toBeVisible()
  const first = forSale.getByRole('listitem').first()
  frontDesk = '+1' + (await first.locator('.mono').innerText()).replace(/\D/g, '').slice(-10)
  await first.getByRole('button', { name: /^Buy/ }).click()
  const dialog = page.getByRole('dialog', { name: 'Buy this number?' })
  await expect(dialog).toContainText('$1.15 a month')
  await expectAccessible(page, 'setup, buy confirmation')
  await shot(page, 'setup-front-desk-confirm')
  await dialog.getByRole('button', { name: 'Buy for $1.15 a month' }).click()
  await expect(page.getByRole('list', { name: 'Front desk number' })).toContainText(display(frontDesk), { timeout: 30_000 })
  await expect(page.getByText('3 of 7 steps finished')).toBeVisible()
})

test('sitter numbers are imported from the account and a pool number is bought', async () => {
  await page.getByRole('button', { name: 'Next: Sitter numbers' }).click()
  // A sitter number belongs to a sitter: a new business adds them here.
  await expect(page.getByRole('heading', { name: 'Add your sitters first' })).toBeVisible()
  for (const [name, phone] of [['Jo Park', '+17205550142'], ['Kai Ross', '+17205550143']] as const) {
    await page.getByLabel('Sitter’s name').fill(name)
    await page.getByLabel('Their own mobile number').fill(phone)
    await page.getByRole('button', { name: 'Add sitter' }).click()
    await expect(page.getByRole('status').filter({ hasText: `${name} was added.` })).toBeVisible()
  }
  // The account's own numbers are listed to pick; the front desk is not among them.
  const inTwilio = page.getByRole('list', { name: 'Numbers in your Twilio account' })
  await expect(inTwilio.getByRole('listitem')).toHaveCount(2)
  for (const n of owned) await inTwilio.getByRole('button', { name: `Add ${display(n)}` }).click()
  const toAdd = page.getByRole('list', { name: 'Numbers to add' })
  await expect(toAdd.getByRole('listitem')).toHaveCount(2)
  // A number typed twice is refused before anything is sent.
  await page.getByLabel('Or type a number from your Twilio account').fill(owned[0]!)
  await page.getByRole('button', { name: 'Add', exact: true }).click()
  await expect(page.getByText('That number is on the list already.')).toBeVisible()
  await page.getByRole('button', { name: 'Import 2' }).click()
  await expect(page.getByText('Choose a sitter for each number.')).toBeVisible()
  await page.getByLabel(`Sitter for +1 ${display(owned[0]!)}`).selectOption({ label: 'Jo Park' })
  await page.getByLabel(`Sitter for +1 ${display(owned[1]!)}`).selectOption({ label: 'Kai Ross' })
  await page.getByRole('button', { name: 'Import 2' }).click()
  const results = page.getByRole('list', { name: 'Last result, one line per number' })
  await expect(results.getByText('Imported')).toHaveCount(2, { timeout: 30_000 })
  const mine = page.getByRole('list', { name: 'Sitter numbers' })
  await expect(mine.getByRole('listitem')).toHaveCount(2)
  await expect(mine.getByRole('listitem').filter({ hasText: display(owned[0]!) })).toContainText('Jo Park')
  await expect(mine.getByRole('listitem').filter({ hasText: display(owned[1]!) })).toContainText('Kai Ross')
  await shot(page, 'setup-sitter-numbers')

  await page.getByRole('button', { name: 'Next: Pool numbers' }).click()
  await page.getByLabel('Area code').fill('512')
  await page.getByRole('button', { name: 'Search' }).click()
  const first = page.getByRole('list', { name: 'Numbers for sale' }).getByRole('listitem').first()
  await expect(first).toBeVisible({ timeout: 30_000 })
  poolNumber = '+1' + (await first.locator('.mono').innerText()).replace(/\D/g, '').slice(-10)
  await first.getByRole('button', { name: /^Add/ }).click()
  await page.getByRole('button', { name: 'Buy 1 and import 0' }).click()
  await page.getByRole('dialog', { name: 'Buy 1 number?' }).getByRole('button', { name: 'Buy for $1.15 a month' }).click()
  await expect(page.getByRole('list', { name: 'Pool numbers' })).toContainText(display(poolNumber), { timeout: 30_000 })
  await expect(page.getByText('5 of 7 steps finished')).toBeVisible()
})

test('one webhook install fails, is shown, and is retried', async () => {
  // The imported numbers keep their old settings until this step; one
  // cannot be changed the first time.
  const s = await sim()
  const f = await s.post('/_sim/faults/numbers', { data: { phone_number: owned[1], mode: 'update', error_code: 20404, times: 1 } })
  expect(f.ok(), await f.text()).toBeTruthy()
  await s.dispose()
  await page.getByRole('button', { name: 'Next: Connect your numbers to Snout' }).click()
  await page.getByRole('button', { name: 'Connect every number' }).click()
  const row = page.getByRole('row').filter({ hasText: display(owned[1]!) })
  await expect(row.getByText('Not connected', { exact: true })).toBeVisible({ timeout: 30_000 })
  await expect(page.getByText("1 of 4 numbers aren't connected to Snout yet; retry each one.")).toBeVisible()
  await expect(page.getByRole('button', { name: /^Next:/ })).toBeDisabled()
  for (const n of [frontDesk, owned[0]!, poolNumber]) await expect(page.getByRole('row').filter({ hasText: display(n) }).getByText('Connected')).toBeVisible()
  await expectAccessible(page, 'setup, webhooks')
  await shot(page, 'setup-webhook-failed')
  await row.getByRole('button', { name: `Retry ${display(owned[1]!)}` }).click()
  await expect(row.getByText('Connected', { exact: true })).toBeVisible({ timeout: 30_000 })
  await expect(page.getByText('6 of 7 steps finished')).toBeVisible()
})

test('readiness passes and setup is complete', async () => {
  await page.getByRole('button', { name: 'Next: Ready to go' }).click()
  await page.getByRole('button', { name: 'Check readiness' }).click()
  await expect(page.getByText('Setup is complete.', { exact: false })).toBeVisible({ timeout: 30_000 })
  const checks = page.getByRole('list', { name: 'Readiness checks' })
  await expect(checks.getByText('Fail')).toHaveCount(0)
  expect(await checks.getByText('Pass').count()).toBeGreaterThan(3)
  await expect(page.getByText('7 of 7 steps finished')).toBeVisible()
  await expectAccessible(page, 'setup, complete')
  await shot(page, 'setup-complete')
})

test("a client's first text to the new number appears in the inbox", async () => {
  await page.getByRole('link', { name: 'Go to the inbox' }).click()
  await expect(page).toHaveURL(/\/inbox/)
  const from = '+1720555' + String(Math.floor(1000 + Math.random() * 8999))
  const body = `Hi, do you have room for Pepper next week? (${run})`
  await textIn(from, frontDesk, body)
  await expect(page.getByText(body).first()).toBeVisible({ timeout: 30_000 })
  await shot(page, 'setup-first-text')
})

test('the audit trail of setup downloads as CSV', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit' }).click()
  await expect(page.getByRole('heading', { name: 'Audit trail' })).toBeVisible()
  const download = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Export CSV' }).click()
  const file = await download
  const text = readFileSync(await file.path(), 'utf8')
  const lines = text.trim().split('\n')
  expect(lines[0]).toContain('action')
  for (const action of ['setup.provider_rejected', 'setup.provider_connected', 'setup.front_desk', 'setup.sitter_numbers', 'setup.webhook_retried', 'setup.completed']) expect(text, action).toContain(action)
  expect(lines.length).toBeGreaterThan(6)
})
