import { expect, test, type Page } from '@playwright/test'
import { apiAs, demo, expectAccessible, shot, signIn, textIn } from './helpers'

// The client book in the dashboard: add a client with two pets, import a
// CSV with bad rows, merge a client named by their number into the real
// one, and start a conversation that is delivered.
test.describe.configure({ mode: 'serial' })

let page: Page
const nav = () => page.getByRole('navigation', { name: 'Main' })

test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  page = await context.newPage()
  await signIn(page, demo.owner)
  await expect(page).toHaveURL(/\/inbox$/)
})
test.afterAll(async () => {
  await page.context().close()
})

// Area codes of this run, so the spec can run again against the same stack.
const areas = ['212', '303', '312', '404', '512', '617', '702', '718', '773', '917', '206', '305']
const pick = () => areas.splice(Math.floor(Math.random() * areas.length), 1)[0]!
const own = pick()
const importArea = pick()
const unknownArea = pick()
const runTag = Math.random().toString(36).slice(2).replace(/[0-9]/g, '').slice(0, 4) || 'run'
const newClient = { name: `Jordan Avila ${runTag}`, typed: `(${own}) 555-0191`, display: `(${own}) 555-0191`, second: `${own}.555.0192`, secondDisplay: `(${own}) 555-0192` }

test('the client list: search, filters in the URL, and an empty result', async () => {
  await nav().getByRole('link', { name: 'Clients' }).click()
  await expect(page.getByRole('heading', { name: 'Clients', level: 1 })).toBeVisible()
  await expect(page.getByTestId('client-row').first()).toBeVisible()
  await expect(page.getByTestId('client-row').filter({ hasText: demo.avery.name })).toBeVisible()
  await expectAccessible(page, 'client list')
  await shot(page, 'clients-list')

  await page.getByLabel('Search clients').fill('Avery')
  await expect(page).toHaveURL(/q=Avery/)
  await expect(page.getByTestId('client-row')).toHaveCount(1)
  await page.getByLabel('Search clients').fill('zzzz-nobody')
  await expect(page.getByRole('heading', { name: 'No client matches' })).toBeVisible()
  await expectAccessible(page, 'client list, nothing matches')
  await shot(page, 'clients-empty')
  await page.getByRole('button', { name: 'Clear filters' }).click()
  await expect(page).toHaveURL(/\/clients$/)
  await page.getByRole('button', { name: 'Archived' }).click()
  await expect(page).toHaveURL(/archived=only/)
  await expect(page.getByRole('heading', { name: 'No client matches' })).toBeVisible()
  await page.getByRole('button', { name: 'Current' }).click()
  await expect(page.getByTestId('client-row').first()).toBeVisible()
})

test('the owner adds a client with two numbers and two pets', async () => {
  await page.getByRole('link', { name: 'Add client' }).click()
  await expect(page.getByRole('heading', { name: 'Add a client' })).toBeVisible()
  // Nothing filled in: every field at fault says so.
  await page.getByRole('button', { name: 'Add client' }).click()
  await expect(page.getByText("Enter the client's name.")).toBeVisible()
  await expect(page.getByText('Add at least one phone number.')).toBeVisible()

  await page.getByLabel('Name', { exact: true }).fill(newClient.name)
  await page.getByLabel('Phone 1', { exact: true }).fill(newClient.typed)
  await page.getByRole('button', { name: 'Add another number' }).click()
  await page.getByLabel('Phone 2', { exact: true }).fill(newClient.second)
  await page.getByLabel('Label', { exact: true }).nth(1).fill('work')
  await page.getByLabel('Email', { exact: true }).fill('jordan@avila.example')
  await page.getByRole('button', { name: 'Add a pet' }).click()
  await page.getByLabel('Pet 1 name').fill('Rex')
  await page.getByLabel('Notes').first().fill('beagle, two walks a day')
  await page.getByRole('button', { name: 'Add a pet' }).click()
  await page.getByLabel('Pet 2 name').fill('Mia')
  await page.getByLabel('Tags', { exact: true }).fill('weekly, cats')
  await expectAccessible(page, 'client form')
  await shot(page, 'client-form')
  await page.getByRole('button', { name: 'Add client' }).click()

  await expect(page.getByRole('heading', { name: newClient.name, level: 1 })).toBeVisible()
  await expect(page.getByText(`${newClient.name} was added.`)).toBeVisible()
  const pets = page.getByTestId('pets')
  await expect(pets.getByRole('listitem')).toHaveCount(2)
  await expect(pets).toContainText('Rex')
  await expect(pets).toContainText('beagle, two walks a day')
  await expect(pets).toContainText('Mia')
  // The numbers were normalised; the first is the primary one.
  await expect(page.getByText(newClient.display)).toBeVisible()
  await expect(page.getByText(newClient.secondDisplay)).toBeVisible()
  await expect(page.getByTestId('consent')).toContainText('Opted in as recorded by staff')
  await expectAccessible(page, 'client page')
  await shot(page, 'client-detail')
})

test('a number another client holds is refused, naming and linking that client', async () => {
  await page.goto('/clients/new')
  await page.getByLabel('Name', { exact: true }).fill('Jordan Twin')
  await page.getByLabel('Phone 1', { exact: true }).fill(`+1 ${own}-555-0191`)
  await page.getByRole('button', { name: 'Add client' }).click()
  const phone = page.getByLabel('Phone 1', { exact: true })
  await expect(phone).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByText(`is already the number of ${newClient.name}`)).toBeVisible()
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Jordan Twin')
  await expectAccessible(page, 'client form refusal')
  await shot(page, 'client-form-taken')
  await page.getByRole('link', { name: `Open ${newClient.name}` }).click()
  await expect(page.getByRole('heading', { name: newClient.name, level: 1 })).toBeVisible()
})

test('importing 50 clients with three bad rows: 47 imported, and each bad row says why', async () => {
  const lines = ['Client Name,Mobile,Email Address,Pet Names']
  for (let i = 0; i < 50; i++) {
    const n = String(i).padStart(2, '0')
    lines.push(`Import Client ${runTag} ${n},(${importArea}) 555-01${n},client${n}@import.example,"Rex (beagle); Mia"`)
  }
  // Line 6 (row 5): a number that cannot be texted; line 21: no name;
  // line 41: a number Avery Johnson already has.
  lines[5] = `Import Client ${runTag} 04,12345,client04@import.example,Rex`
  lines[20] = `,(${importArea}) 555-0119,client19@import.example,`
  lines[40] = `Import Client ${runTag} 39,${demo.avery.phone},client39@import.example,Biscuit`
  const csv = lines.join('\n') + '\n'

  await page.goto('/clients')
  await page.getByRole('link', { name: 'Import or export' }).click()
  await expect(page.getByRole('heading', { name: 'Import and export clients' })).toBeVisible()
  await expectAccessible(page, 'import page')
  await page.getByLabel('CSV file', { exact: true }).setInputFiles({ name: 'clients.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
  await page.getByRole('button', { name: 'Import clients' }).click()
  const result = page.getByTestId('import-result')
  await expect(result).toContainText('47 of 50 imported; 3 rows were not')
  await expect(result.getByTestId('import-row')).toHaveCount(50)
  await expect(result.locator('[data-testid=import-row][data-status=ok]')).toHaveCount(47)
  const bad = result.locator('[data-testid=import-row][data-status=error]')
  await expect(bad).toHaveCount(3)
  await expect(bad.nth(0)).toContainText('6')
  await expect(bad.nth(0)).toContainText('phone')
  await expect(bad.nth(0)).toContainText('Not a phone number we can text')
  await expect(bad.nth(1)).toContainText('21')
  await expect(bad.nth(1)).toContainText("Enter the client's name.")
  await expect(bad.nth(2)).toContainText('41')
  await expect(bad.nth(2)).toContainText(`already the number of ${demo.avery.name}`)
  await expectAccessible(page, 'import result')
  await shot(page, 'clients-import')
  await page.getByLabel('Only rows with a problem').check()
  await expect(result.getByTestId('import-row')).toHaveCount(3)
  await shot(page, 'clients-import-problems')

  // The export holds the imported clients.
  const download = page.waitForEvent('download')
  await page.getByRole('link', { name: 'Export CSV' }).click()
  const file = await download
  expect(file.suggestedFilename()).toMatch(/^clients-.*\.csv$/)

  // Many clients: the list pages with "load more".
  await page.goto('/clients')
  await expect(page.getByTestId('client-row')).toHaveCount(50)
  await shot(page, 'clients-many')
  await page.getByRole('button', { name: 'Load more clients' }).click()
  await expect.poll(() => page.getByTestId('client-row').count()).toBeGreaterThan(50)
  await page.getByLabel('Search clients').fill(`Import Client ${runTag} 07`)
  await expect(page.getByTestId('client-row')).toHaveCount(1)
  await expect(page.getByTestId('client-row')).toContainText('Rex, Mia')
})

test('an unknown sender, named by their number, is merged into the real client and the thread follows', async () => {
  const unknown = `+1${unknownArea}5550188`
  const body = `Hi, this is Avery from my work phone. Can Biscuit get an extra walk? (${runTag})`
  await textIn(unknown, demo.frontDesk, body)
  await page.goto(`/clients?q=${unknownArea}5550188`)
  const row = page.getByTestId('client-row')
  await expect(row).toHaveCount(1, { timeout: 20_000 })
  await expect(row.getByText('Number-named')).toBeVisible()
  await shot(page, 'clients-number-named')
  await row.getByRole('link').click()
  await expect(page.getByRole('heading', { name: `+1 (${unknownArea}) 555-0188`, level: 1 })).toBeVisible()
  await expect(page.getByTestId('client-thread')).toContainText(body)
  await expectAccessible(page, 'number-named client')
  await shot(page, 'client-number-named')
  await page.getByRole('link', { name: 'Merge into a client' }).first().click()

  await expect(page.getByRole('heading', { name: 'Merge into another client' })).toBeVisible()
  await page.getByLabel('Find the client').fill('Avery')
  await page.getByTestId('merge-candidate').filter({ hasText: demo.avery.name }).click()
  const preview = page.getByTestId('merge-preview')
  await expect(preview).toContainText(`What moves to ${demo.avery.name}`)
  await expect(preview).toContainText('1 conversation')
  await expect(preview).toContainText('1 message of history')
  await expect(preview).toContainText('1 phone number')
  await expectAccessible(page, 'merge preview')
  await shot(page, 'client-merge')
  await preview.getByRole('button', { name: `Merge into ${demo.avery.name}` }).click()
  const dialog = page.getByRole('dialog', { name: /Merge .* into Avery Johnson\?/ })
  await expect(dialog).toBeVisible()
  await expectAccessible(page, 'merge confirmation')
  await dialog.getByRole('button', { name: 'Merge' }).click()

  await expect(page.getByRole('heading', { name: demo.avery.name, level: 1 })).toBeVisible()
  await expect(page.getByText(/was merged into Avery Johnson/)).toBeVisible()
  await expect(page.getByText(`(${unknownArea}) 555-0188`, { exact: true })).toBeVisible()
  const thread = page.getByTestId('client-thread').filter({ hasText: body })
  await expect(thread).toBeVisible()
  await thread.click()
  await expect(page).toHaveURL(/\/inbox\//)
  await expect(page.locator('.thread-header').getByRole('heading', { name: demo.avery.name })).toBeVisible()
  await expect(page.getByTestId('message').filter({ hasText: body })).toBeVisible()
})

test('the owner starts a conversation from the client page and sees the first text delivered', async () => {
  await page.goto(`/clients?q=${encodeURIComponent(newClient.name)}`)
  await page.getByTestId('client-row').getByRole('link', { name: newClient.name }).click()
  await page.getByRole('button', { name: 'Text Jordan' }).click()
  const from = page.getByLabel('Send from')
  await expect(from).toBeVisible()
  await expect(from.locator('option:checked')).toHaveText(/^Front desk/)
  const options = await from.locator('option').allTextContents()
  expect(options.length).toBeGreaterThan(1)
  // No free-form number: only the business's numbers to pick from.
  await expect(page.getByRole('textbox', { name: /number/i })).toHaveCount(0)
  const first = 'Hi Jordan, welcome to Happy Tails! Reply here any time about Rex and Mia.'
  await page.getByRole('textbox', { name: `First message to ${newClient.name}` }).fill(first)
  await expectAccessible(page, 'start a conversation')
  await shot(page, 'client-start-conversation')
  await page.getByRole('button', { name: 'Send' }).click()
  await expect(page).toHaveURL(/\/inbox\/[0-9a-f-]+$/)
  await expect(page.locator('.thread-header').getByRole('heading', { name: newClient.name })).toBeVisible()
  const sent = page.getByTestId('message').filter({ hasText: first })
  await expect(sent.locator('.msg-status .badge')).toHaveText('Delivered', { timeout: 45_000 })
  await shot(page, 'client-first-text-delivered')

  // Back on the client page, the conversation is listed.
  await page.goto(`/clients?q=${encodeURIComponent(newClient.name)}`)
  await page.getByTestId('client-row').getByRole('link', { name: newClient.name }).click()
  await expect(page.getByTestId('client-thread')).toContainText(first)
})

test('an opted-out client is refused with the reason', async () => {
  await page.goto('/clients?q=Rosa')
  await page.getByTestId('client-row').getByRole('link', { name: 'Rosa Delgado' }).click()
  await expect(page.getByTestId('consent')).toContainText('Opted out by texting STOP')
  await page.getByRole('button', { name: 'Text Rosa' }).click()
  await expect(page.getByRole('alert').filter({ hasText: 'opted out of texts' })).toContainText('Only their own START')
  await expect(page.getByRole('button', { name: 'Send' })).toHaveCount(0)
  await expectAccessible(page, 'opted-out client')
  await shot(page, 'client-opted-out')
})

test('archive and restore, with confirmation', async () => {
  await page.goto(`/clients?q=${encodeURIComponent(`Import Client ${runTag} 10`)}`)
  await page.getByTestId('client-row').getByRole('link').click()
  await page.getByRole('button', { name: 'Archive' }).click()
  const dialog = page.getByRole('dialog', { name: `Archive Import Client ${runTag} 10?` })
  await expect(dialog).toContainText('history stay')
  await shot(page, 'client-archive-confirm')
  await dialog.getByRole('button', { name: 'Archive' }).click()
  await expect(page.getByText(`Import Client ${runTag} 10 is archived.`)).toBeVisible()
  await page.goto(`/clients?q=${encodeURIComponent(`Import Client ${runTag} 10`)}`)
  await expect(page.getByRole('heading', { name: 'No client matches' })).toBeVisible()
  await page.getByRole('button', { name: 'Archived' }).click()
  await page.getByTestId('client-row').getByRole('link').click()
  await page.getByRole('button', { name: 'Restore' }).click()
  await page.getByRole('dialog', { name: `Restore Import Client ${runTag} 10?` }).getByRole('button', { name: 'Restore' }).click()
  await expect(page.getByText(`Import Client ${runTag} 10 is back on the client list.`)).toBeVisible()
})

test("another business's client shows not-found and nothing of theirs", async () => {
  const other = await apiAs(demo.otherOwner)
  const list = (await (await other.get('/api/v1/clients')).json()) as { clients: { id: string; name: string }[] }
  await other.dispose()
  const foreign = list.clients[0]!
  await page.goto(`/clients/${foreign.id}`)
  await expect(page.getByRole('heading', { name: 'Client not found' })).toBeVisible()
  await expect(page.locator('body')).not.toContainText(foreign.name)
  await page.goto(`/clients/${foreign.id}/merge`)
  await expect(page.getByRole('heading', { name: 'Client not found' })).toBeVisible()
  await expectAccessible(page, 'client not found')
})
