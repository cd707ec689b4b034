import { expect, test, type Page } from '@playwright/test'
import { apiAs, demo, expectAccessible, shot, signIn, textIn } from './helpers'

// /routing: the owner's rules, the simulator, overrides and each
// conversation's routing history, against the real stack.

test.describe.configure({ mode: 'serial' })

const samLine = '+14155550101' // Sam's own number (dev/seed SamNumber)
const tag = () => Math.random().toString(36).replace(/[^a-z]/g, '').slice(0, 6)

let page: Page

test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  page = await context.newPage()
  await signIn(page, demo.owner)
  await expect(page).toHaveURL(/\/inbox$/)
})
test.afterAll(async () => {
  await page.context().close()
})

test('the owner reorders two rules and the simulator answer changes', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Routing' }).click()
  await expect(page).toHaveURL(/\/routing$/)
  const rows = page.getByTestId('rule-row')
  // The built-in order, shown as rules.
  await expect(rows).toHaveCount(3)
  await expect(rows.nth(0)).toContainText('Active override')
  await expect(rows.nth(1)).toContainText('Sitter with an active window')
  await expect(rows.nth(2)).toContainText('Owner inbox')
  await expect(page.locator('.routing-version')).toContainText('Version 1')

  // A rule from the form; a missing name is refused on its field.
  await page.getByRole('button', { name: 'Add a rule' }).click()
  const form = page.getByRole('dialog', { name: 'Add a rule' })
  await form.getByLabel('Front desk', { exact: true }).check()
  await form.getByRole('button', { name: 'Add rule' }).click()
  await expect(form.locator('#rule-name-error')).toContainText('Give the rule a name')
  await expect(form.getByLabel('Name')).toHaveAttribute('aria-invalid', 'true')
  await shot(page, 'routing-rule-form')
  await form.getByLabel('Name').fill('Front desk to Sam')
  await form.getByLabel('Send the texts to').selectOption('sitter')
  await form.getByLabel('Sitter', { exact: true }).selectOption({ label: 'Sam Patel' })
  await expectAccessible(page, 'rule form')
  await form.getByRole('button', { name: 'Add rule' }).click()
  await expect(form).toBeHidden()
  await expect(rows).toHaveCount(4)
  await expect(rows.nth(2)).toContainText('Texts to the front desk')
  await expect(rows.nth(2)).toContainText('Sam Patel')

  // A second one through the API, added just before the owner inbox.
  const owner = await apiAs(demo.owner)
  const r = await owner.post('/api/v1/routing/rules', {
    data: { name: 'Front desk to me', when: { numberClasses: ['front_desk'] }, target: { kind: 'owner_inbox' } },
  })
  expect(r.status(), await r.text()).toBe(201)
  await owner.dispose()
  await page.reload()
  await expect(rows).toHaveCount(5)
  await expect(rows.nth(2)).toContainText('Front desk to Sam')
  await expect(rows.nth(3)).toContainText('Front desk to me')

  // Avery (who has Sam now) texts the front desk: Sam's rule comes first.
  const sim = page.getByRole('form', { name: 'Simulate a text' })
  await sim.getByLabel('A client').check()
  await sim.getByLabel('Client', { exact: true }).selectOption({ label: demo.avery.name })
  await sim.getByLabel('Business number texted').selectOption({ label: 'Front desk · +1 (415) 555-0100' })
  await sim.getByRole('button', { name: 'Simulate' }).click()
  const result = page.getByTestId('simulation')
  await expect(result.getByTestId('sim-target')).toHaveText('Sam Patel')
  await expect(result).toContainText('Front desk to Sam')
  await expect(result.locator('.trace-step.trace-matched')).toContainText('Front desk to Sam')

  // Move "Front desk to me" up with the keyboard; focus stays on it.
  const up = page.getByRole('button', { name: 'Move “Front desk to me” up' })
  await up.focus()
  await page.keyboard.press('Enter')
  await expect(rows.nth(2)).toContainText('Front desk to me')
  await expect(rows.nth(3)).toContainText('Front desk to Sam')
  await expect(up).toBeFocused()
  await expect(page.locator('.routing-version')).toContainText('Version 4')

  await sim.getByRole('button', { name: 'Simulate' }).click()
  await expect(result.getByTestId('sim-target')).toHaveText('Owner inbox')
  await expect(result).toContainText('Front desk to me')
  await expect(result).toContainText('version 4')

  // The versions list says who changed what.
  const versions = page.getByTestId('rule-version')
  await expect(versions).toHaveCount(4)
  await expect(versions.first()).toContainText('Version 4')
  await expect(versions.first()).toContainText('New order')
  await expect(versions.first()).toContainText('In force')

  await expectAccessible(page, 'routing page')
  await page.evaluate(() => window.scrollTo(0, 0))
  await shot(page, 'routing')
  await page.getByRole('heading', { name: 'Simulator' }).scrollIntoViewIfNeeded()
  await shot(page, 'routing-simulator')
})

test('an override sends texts to the owner until it expires', async () => {
  // An override lasts at least a minute (the API's floor): this test waits
  // for one to run out.
  test.setTimeout(180_000)
  // From the inbox thread to its routing.
  const owner = await apiAs(demo.owner)
  const list = (await (await owner.get('/api/v1/threads?limit=200')).json()) as { threads: { id: string; client: { name: string }; number: { class: string } }[] }
  await owner.dispose()
  const onSamsLine = list.threads.find((t) => t.client.name === demo.avery.name && t.number.class === 'sitter')
  expect(onSamsLine, 'Avery has a conversation on Sam\'s line').toBeTruthy()
  await page.goto(`/inbox/${onSamsLine!.id}`)
  await page.getByRole('link', { name: 'History and overrides' }).click()
  await expect(page).toHaveURL(/\/routing\?thread=[0-9a-f-]{36}$/)
  const threadId = new URL(page.url()).searchParams.get('thread')!
  await expect(page.locator('#history-thread')).toHaveValue(threadId)

  // The seeded texts were routed to Sam, who has Avery now.
  const decisions = page.getByTestId('decision')
  await expect(decisions.first().getByTestId('decision-target')).toHaveText('Sam Patel')

  const form = page.getByRole('form', { name: 'Create an override' })
  await expect(form.getByLabel('Conversation')).toHaveValue(threadId)
  await form.getByLabel('For', { exact: true }).fill('1')
  await form.getByLabel('Unit', { exact: true }).selectOption('minutes')
  await form.getByRole('button', { name: 'Create override' }).click()
  await expect(form.locator('#ov-reason-error')).toContainText('Say why')
  await form.getByLabel('Reason').fill('Sam is at the vet with Biscuit')
  await form.getByRole('button', { name: 'Create override' }).click()
  const inForce = page.getByRole('list', { name: 'Overrides in force' })
  await expect(inForce.getByTestId('override')).toHaveCount(1)
  await expect(inForce).toContainText(demo.avery.name)
  await expect(inForce).toContainText('the owner inbox')
  await expect(inForce).toContainText(/\d+ s left|1 min left/)
  // The conversation shows it too.
  await page.goto(`/inbox/${threadId}`)
  await expect(page.getByTestId('thread-override')).toContainText('Override: texts go to the owner inbox until')
  await expect(page.getByTestId('thread-override')).toContainText('Sam is at the vet with Biscuit')
  await page.goBack()
  await expect(inForce.getByTestId('override')).toHaveCount(1)

  const during = `Back at six today (${tag()})`
  await textIn(demo.avery.phone, samLine, during)
  const first = decisions.filter({ hasText: during })
  await expect(first.getByTestId('decision-target')).toHaveText('Owner inbox', { timeout: 30_000 })
  await expect(first).toContainText('Active override')
  await expectAccessible(page, 'routing with an override')
  await page.getByRole('heading', { name: 'Overrides' }).scrollIntoViewIfNeeded()
  await shot(page, 'routing-override')

  // At its end the override leaves the list by itself...
  await expect(page.getByText('No override in force')).toBeVisible({ timeout: 100_000 })
  await page.getByText('Ended overrides').click()
  await expect(page.getByRole('list', { name: 'Ended overrides' })).toContainText('Expired')

  // ...and Avery's texts go to Sam again.
  const after = `Thanks, all good (${tag()})`
  await textIn(demo.avery.phone, samLine, after)
  const second = decisions.filter({ hasText: after })
  await expect(second.getByTestId('decision-target')).toHaveText('Sam Patel', { timeout: 30_000 })
  await expect(second).toContainText('Sitter with an active window')
  await page.getByRole('heading', { name: 'Routing history' }).scrollIntoViewIfNeeded()
  await shot(page, 'routing-history')
})

test('the owner removes an override early, after a confirmation', async () => {
  const form = page.getByRole('form', { name: 'Create an override' })
  const blake = await form.locator('#ov-thread option', { hasText: 'Blake' }).first().getAttribute('value')
  await form.getByLabel('Conversation').selectOption(blake!)
  await form.getByLabel('Send its texts to').selectOption('sitter')
  await form.getByLabel('Sitter', { exact: true }).selectOption({ label: 'Sam Patel' })
  await form.getByLabel('For', { exact: true }).fill('3')
  await form.getByLabel('Unit', { exact: true }).selectOption('hours')
  await form.getByLabel('Reason').fill('Riley is away this afternoon')
  await form.getByRole('button', { name: 'Create override' }).click()
  const inForce = page.getByRole('list', { name: 'Overrides in force' })
  await expect(inForce).toContainText('Sam Patel')
  await expect(inForce).toContainText(/3 h left|2 h 59 min left|2 h 60 min left/)

  await inForce.getByRole('button', { name: /Remove the override of Blake/ }).click()
  const dialog = page.getByRole('dialog', { name: 'Remove this override now?' })
  await expect(dialog).toBeVisible()
  await expectAccessible(page, 'remove override dialog')
  await dialog.getByRole('button', { name: 'Remove override' }).click()
  await expect(dialog).toBeHidden()
  await expect(page.getByText('No override in force')).toBeVisible()
  await expect(page.getByRole('list', { name: 'Ended overrides' })).toContainText('Removed')
})

test('an admin sees routing but cannot change it', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  const admin = await context.newPage()
  await signIn(admin, demo.admin)
  await expect(admin).toHaveURL(/\/inbox$/)
  await admin.goto('/routing')
  await expect(admin.getByTestId('rule-row')).toHaveCount(5)
  await expect(admin.getByText('only the business owner can change rules and overrides')).toBeVisible()
  await expect(admin.getByRole('button', { name: 'Add a rule' })).toHaveCount(0)
  await expect(admin.getByRole('form', { name: 'Create an override' })).toHaveCount(0)
  await expect(admin.getByRole('checkbox', { name: 'Front desk to me: enabled' })).toBeDisabled()
  await context.close()
})
