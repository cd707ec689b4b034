import { expect, test, type Page } from '@playwright/test'
import { readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { apiAs, demo, expectAccessible, shot, signIn, textIn } from './helpers'

// The number inventory: filters and sort kept in the URL and a CSV that
// holds exactly the rows shown; buying a number with its cost shown; a bulk
// release with its impact asked first; a CSV import answered line by line;
// and a quarantine of a number with a live conversation, from the impact
// preview through the cooldown to an early restore.

test.describe.configure({ mode: 'serial' })

let page: Page
// Numbers this spec buys: the simulator sells NPA-555-0100…0199 in every area code.
const bulkArea = '669'
const buyArea = '628'
let bulkNumbers: string[] = []
let bought = ''
// A texter no other spec knows (not one of the demo clients' numbers).
const texter = `+1650555${String(2000 + Math.floor(Math.random() * 7000)).padStart(4, '0')}`

const rows = () => page.getByTestId('number-row')
const shownNumbers = async () => (await rows().evaluateAll((els) => els.map((e) => e.getAttribute('data-e164') ?? ''))).sort()

/** The e164 column of the inventory's CSV download. */
function csvNumbers(text: string): string[] {
  const lines = text.trim().split('\n')
  const header = lines[0].split(',')
  const col = header.indexOf('e164')
  return lines
    .slice(1)
    .map((l) => l.split(',')[col])
    .sort()
}

test.beforeAll(async ({ browser }) => {
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true })).newPage()
  // Two pool numbers for the bulk release, bought through the API.
  const owner = await apiAs(demo.owner)
  const sale = await owner.get('/api/v1/numbers/available', { params: { areaCode: bulkArea, limit: '10' } })
  expect(sale.ok(), await sale.text()).toBeTruthy()
  const { numbers } = (await sale.json()) as { numbers: { e164: string }[] }
  bulkNumbers = numbers.slice(0, 2).map((n) => n.e164)
  expect(bulkNumbers).toHaveLength(2)
  const buy = await owner.post('/api/v1/numbers/buy', {
    data: { requestId: `e2e-bulk-${Date.now()}`, items: bulkNumbers.map((e164, i) => ({ e164, class: 'pool', friendlyName: `Bulk ${i + 1}` })) },
  })
  expect(buy.status(), await buy.text()).toBe(200)
  await owner.dispose()
})
test.afterAll(async () => {
  await page.context().close()
})

test('the inventory filters and sorts in the URL, and its CSV holds the rows shown', async () => {
  await signIn(page, demo.owner)
  await expect(page).toHaveURL(/\/inbox$/)
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Numbers' }).click()
  await expect(page.getByRole('heading', { name: 'Numbers', level: 1 })).toBeVisible()
  const front = rows().filter({ hasText: '(415) 555-0100' })
  await expect(front).toContainText('Front desk')
  await expect(front).toContainText('Active')
  await expect(rows().filter({ hasText: "Sam's line" })).toContainText('Sam')

  // Pool numbers only: the filter lands in the URL and the table follows it.
  await page.getByLabel('Class').selectOption('pool')
  await expect(page).toHaveURL(/class=pool/)
  await expect(rows().filter({ hasText: 'Front desk' })).toHaveCount(0)
  await expect(rows().filter({ hasText: 'Pool 1' })).toHaveCount(1)
  for (const cell of await rows().locator('td[data-label="Class"]').allTextContents()) expect(cell).toBe('Pool')

  // Sorting by volume: newest direction in the URL, the header says how it is sorted.
  await page.getByRole('button', { name: '7-day volume' }).click()
  await expect(page).toHaveURL(/sort=volume7d/)
  await expect(page.getByRole('columnheader', { name: '7-day volume' })).toHaveAttribute('aria-sort', 'descending')
  const volumes = (await rows().locator('td[data-label="7-day volume"]').allTextContents()).map((v) => Number(v.replace(/,/g, '')))
  expect(volumes).toEqual([...volumes].sort((a, b) => b - a))

  // A reload keeps the view.
  await page.reload()
  await expect(page.getByLabel('Class')).toHaveValue('pool')
  await expect(page.getByRole('columnheader', { name: '7-day volume' })).toHaveAttribute('aria-sort', 'descending')

  // The download holds exactly the numbers the table shows.
  await expect(page.getByTestId('numbers-count')).toHaveText(/^\d+ numbers?/)
  const shown = await shownNumbers()
  expect(shown.length).toBeGreaterThan(1)
  const download = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Export CSV' }).click()
  const file = await download
  expect(file.suggestedFilename()).toBe('numbers.csv')
  expect(csvNumbers(readFileSync(await file.path(), 'utf8'))).toEqual(shown)
  await expect(page.getByRole('status').filter({ hasText: `Downloaded ${shown.length} numbers` })).toBeVisible()

  await expectAccessible(page, 'numbers')
  await shot(page, 'numbers')
})

test('buying a number shows its monthly cost first', async () => {
  await page.goto('/numbers')
  await page.getByRole('link', { name: 'Buy or add a number' }).click()
  await expect(page.getByRole('heading', { name: 'Buy or add a number' })).toBeVisible()
  await page.getByRole('textbox', { name: 'Area code' }).fill(buyArea)
  await page.getByRole('button', { name: 'Search' }).click()
  const forSale = page.getByTestId('for-sale')
  await expect(forSale.getByRole('radio').first()).toBeVisible({ timeout: 30_000 })
  await expect(page.getByText(/Numbers for sale, \$1\.15 USD a month each/)).toBeVisible()
  const first = forSale.locator('li').first()
  await expect(first).toContainText('$1.15/mo')
  await first.getByRole('radio').check()
  await expect(page.getByTestId('buy-cost')).toContainText('$1.15 USD')
  const display = (await page.getByTestId('buy-cost').locator('strong').first().textContent()) ?? ''
  expect(display).toMatch(/\(628\) 555-01\d\d/)
  await expectAccessible(page, 'buy a number')
  await shot(page, 'numbers-buy')
  await page.getByRole('button', { name: 'Buy for $1.15/month' }).click()
  const result = page.getByTestId('provision-result')
  await expect(result).toContainText(`Bought ${display}`, { timeout: 60_000 })
  bought = '+1' + display.replace(/\D/g, '').slice(-10)
  await result.getByRole('link', { name: `Open ${display}` }).click()
  await expect(page.getByTestId('number-title')).toHaveText(display)
  await expect(page.getByTestId('assigned-to')).toHaveText('Pool')
})

test('a bulk release shows the impact, asks, then releases each number', async () => {
  await page.goto(`/numbers?q=${bulkArea}`)
  await expect(rows()).toHaveCount(2)
  for (const e164 of bulkNumbers) await page.locator(`tr[data-e164="${e164}"]`).getByRole('checkbox').check()
  await expect(page.getByRole('region', { name: 'Selected numbers' })).toContainText('2 numbers selected')
  await page.getByRole('button', { name: 'Release…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Release 2 numbers?' })
  await expect(dialog.getByTestId('impact')).toContainText('0 conversations')
  await expectAccessible(page, 'bulk release confirmation')
  await shot(page, 'numbers-bulk-release')
  await dialog.getByRole('button', { name: 'Release' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Released 2 of 2' })).toBeVisible({ timeout: 30_000 })
  await expect(page.getByTestId('bulk-result').filter({ hasText: 'Done' })).toHaveCount(2)
  // Released numbers leave the in-service view, and show under Released.
  await expect(rows()).toHaveCount(0, { timeout: 20_000 })
  await page.getByLabel('Status').selectOption('released')
  await expect(rows()).toHaveCount(2)
})

test('a CSV import answers for every line of the file', async () => {
  await page.goto('/numbers/import')
  const csv = [
    'e164,class,sitter_email,friendly_name',
    '+14155550103,pool,,Pool 1 again',
    'not-a-number,pool,,Broken',
    `+1${bulkArea}5550177,sitter,nobody@demo.test,Nobody's line`,
    `+1${bulkArea}5550178,pool,,Not ours`,
  ].join('\n')
  const path = join(tmpdir(), `numbers-import-${Date.now()}.csv`)
  writeFileSync(path, csv)
  await page.getByLabel('CSV file').setInputFiles(path)
  await page.getByRole('button', { name: 'Import numbers' }).click()
  const result = page.getByTestId('import-result')
  await expect(result).toBeVisible({ timeout: 60_000 })
  const lines = result.getByTestId('import-row')
  await expect(lines).toHaveCount(4)
  await expect(lines.locator('td:first-child')).toHaveText(['2', '3', '4', '5'])
  await expect(lines.nth(0)).toContainText('already in your inventory')
  await expect(lines.nth(1)).toContainText('not a valid phone number')
  await expect(lines.nth(2)).toContainText('No active sitter with that email')
  await expect(lines.nth(3)).toHaveAttribute('data-status', 'error')
  await expect(result.getByRole('status')).toContainText('None of the 4 lines could be imported')
  await expectAccessible(page, 'numbers import')
  await shot(page, 'numbers-import')
})

test('quarantining a number with a live conversation: preview, confirm, cooldown, restore', async () => {
  expect(bought, 'the number bought above').not.toBe('')
  // A new client texts the bought number: a live conversation on it.
  await textIn(texter, bought, 'Hi! Do you have room for a cat next week?')
  const owner = await apiAs(demo.owner)
  const list = await owner.get('/api/v1/numbers', { params: { q: bought } })
  const id = ((await list.json()) as { numbers: { id: string }[] }).numbers[0].id
  await owner.dispose()

  await page.goto(`/numbers/${id}`)
  await expect(page.getByTestId('number-threads').getByRole('link')).toHaveCount(1, { timeout: 20_000 })
  await expectAccessible(page, 'number detail')
  await shot(page, 'number-detail')

  const panel = page.getByTestId('quarantine')
  await panel.getByRole('button', { name: 'Quarantine…' }).click()
  const preview = panel.getByTestId('quarantine-preview')
  await expect(preview.getByTestId('impact')).toContainText('1 conversation (1 active)')
  await expect(preview.getByTestId('impact')).toContainText('1 client')
  await expect(preview.getByTestId('impact')).toContainText(/Conversations move to \(\d{3}\) \d{3}-\d{4}/)
  await expect(preview.getByLabel("Text each client their conversation's new number")).toBeChecked()
  await expectAccessible(page, 'quarantine preview')
  await shot(page, 'quarantine-preview')
  await preview.getByRole('button', { name: /^Quarantine / }).click()

  const cooldown = panel.getByTestId('cooldown')
  await expect(cooldown).toBeVisible({ timeout: 60_000 })
  await expect(cooldown.getByTestId('days-left')).toHaveText(/^\d+ days? left$/)
  await expect(cooldown).toContainText('Clients were told their new number.')
  // The conversation moved off the quarantined number.
  await expect(page.getByTestId('number-threads')).toHaveCount(0, { timeout: 20_000 })
  await expectAccessible(page, 'cooldown')
  await shot(page, 'quarantine-cooldown')

  await cooldown.getByRole('button', { name: 'Restore early' }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Restore' }).click()
  await expect(panel.getByText('Last quarantine: Restored early')).toBeVisible({ timeout: 60_000 })
  await expect(page.locator('.page-head').getByText('Active', { exact: true })).toBeVisible({ timeout: 20_000 })
})
