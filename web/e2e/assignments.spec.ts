import { expect, test, type APIRequestContext, type Locator, type Page } from '@playwright/test'
import { addDays, dayKeyOf, fromLocalInput, mondayOf, toLocalInput } from '../src/features/assignments/time'
import { apiAs, demo, expectAccessible, shot, signIn } from './helpers'

// Assignments: a window made on the calendar starts, texts the client who
// is caring for them and gives the sitter the conversation, then ends and
// takes it away; drag and resize edit a window and an overlap is refused
// in words; a running window is cancelled after its impact; the list's
// filters live in the URL, and the conflicts view links to each window.

test.describe.configure({ mode: 'serial' })

// Jules Moreau (dev/seed) is in no other spec: the window made here texts them on Sam's line.
const jules = 'Jules Moreau'
const zone = 'America/Los_Angeles' // the demo org's
const minute = 60_000
const dayW = (track: Locator) => track.boundingBox().then((b) => b!.width / 7)

let owner: Page
let api: APIRequestContext
const ids: Record<string, string> = {}

test.beforeAll(async ({ browser }) => {
  owner = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage()
  await signIn(owner, demo.owner)
  await expect(owner).toHaveURL(/\/inbox/)
  api = await apiAs(demo.owner)
  const sitters = (await (await api.get('/api/v1/sitters')).json()) as { sitters: { id: string; name: string }[] }
  for (const s of sitters.sitters) ids[s.name] = s.id
  const clients = (await (await api.get('/api/v1/clients?limit=200')).json()) as { clients: { id: string; name: string }[] }
  for (const c of clients.clients) ids[c.name] = c.id
})
test.afterAll(async () => {
  await owner.context().close()
  await api.dispose()
})

function lane(page: Page, sitter: string) {
  return page.locator(`[data-testid="cal-lane"][data-sitter="${sitter}"]`)
}

async function windowOf(id: string) {
  const r = await api.get(`/api/v1/windows/${id}`)
  expect(r.ok(), await r.text()).toBeTruthy()
  return (await r.json()) as { startsAt: string; endsAt: string; status: string }
}

test('a window made on the calendar starts, texts the client and opens the conversation to the sitter until it ends', async ({ browser }) => {
  await owner.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Assignments' }).click()
  await expect(owner.getByRole('heading', { name: 'Assignments', level: 1 })).toBeVisible()
  const sam = lane(owner, 'Sam Patel')
  await expect(sam.getByTestId('cal-block').first()).toBeVisible()
  await expectAccessible(owner, 'the week calendar')
  await shot(owner, 'assignments-calendar')

  // Click today in Sam's lane, below his blocks (the strip that is always free).
  const today = await sam.locator('.cal-day-bg.cal-today').boundingBox()
  const track = await sam.getByTestId('cal-track').boundingBox()
  await owner.mouse.click(today!.x + today!.width / 2, track!.y + track!.height - 6)
  const drawer = owner.getByRole('dialog', { name: 'New window' })
  await expect(drawer).toBeVisible()
  await expect(drawer.getByLabel('Sitter', { exact: true }).locator('option:checked')).toHaveText('Sam Patel')
  await expect(drawer.getByLabel('Starts', { exact: true })).toHaveValue(new RegExp(`^${dayKeyOf(Date.now(), zone)}T\\d\\d:00$`))
  await expect(drawer.getByLabel('Text the client who is caring for them when the window starts')).toBeChecked()

  // Nothing chosen: the API's per-field message beside the field.
  await drawer.getByRole('button', { name: 'Create window' }).click()
  await expect(drawer.getByText('Choose a client.')).toBeVisible()
  await expect(drawer.getByLabel('Client', { exact: true })).toHaveAttribute('aria-invalid', 'true')
  await expectAccessible(owner, 'the new window form')
  await shot(owner, 'assignments-new-window')

  // It starts now (the minute just begun) and would run an hour.
  const start = Math.floor(Date.now() / minute) * minute - minute
  await drawer.getByLabel('Client', { exact: true }).selectOption({ label: jules })
  await drawer.getByLabel('Starts', { exact: true }).fill(toLocalInput(start, zone))
  await drawer.getByLabel('Ends', { exact: true }).fill(toLocalInput(start + 60 * minute, zone))
  await drawer.getByRole('button', { name: 'Create window' }).click()
  await expect(drawer).toBeHidden()
  await expect(owner.getByRole('status').filter({ hasText: `Window created: Sam Patel with ${jules}` })).toBeVisible()
  const block = sam.getByTestId('cal-block').filter({ hasText: jules })
  await expect(block).toHaveAttribute('data-status', 'active', { timeout: 30_000 })
  await expect(block).toContainText('Active')
  const windowId = (await block.getAttribute('data-window'))!

  // The client is texted who is caring for them, in the conversation on Sam's line.
  await owner.goto('/inbox')
  const row = owner.getByTestId('thread-row').filter({ hasText: jules }).filter({ hasText: 'caring for' })
  await expect(async () => {
    await owner.reload()
    await expect(row).toHaveCount(1, { timeout: 3000 })
  }).toPass({ timeout: 45_000 })
  await row.click()
  await expect(owner.getByTestId('message').filter({ hasText: 'Sam will be caring for Jules from' })).toBeVisible()

  // Sam, in his own browser, sees the conversation.
  const sitter = await (await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true })).newPage()
  await signIn(sitter, demo.sam)
  await expect(sitter).toHaveURL(/\/sitter$/)
  const samsThread = sitter.getByTestId('sitter-thread').filter({ hasText: jules })
  await expect(samsThread).toHaveCount(1, { timeout: 30_000 })

  // The owner brings the end to now, through the form; the window ends.
  await owner.goto('/assignments')
  await lane(owner, 'Sam Patel').locator(`[data-window="${windowId}"]`).click()
  const edit = owner.getByRole('dialog', { name: 'Edit window' })
  await expect(edit.getByLabel('Starts', { exact: true })).toBeDisabled()
  await expectAccessible(owner, 'the edit window form')
  await shot(owner, 'assignments-edit-window')
  await edit.getByLabel('Ends', { exact: true }).fill(toLocalInput(Math.floor(Date.now() / minute) * minute, zone))
  await edit.getByRole('button', { name: 'Save changes' }).click()
  await expect(edit).toBeHidden()
  await expect.poll(async () => (await windowOf(windowId)).status, { timeout: 30_000 }).toBe('ended')
  await expect(lane(owner, 'Sam Patel').locator(`[data-window="${windowId}"]`)).toHaveAttribute('data-status', 'ended', { timeout: 15_000 })

  // Sam no longer sees it.
  await expect(async () => {
    await sitter.reload()
    await expect(sitter.getByRole('heading', { name: 'My conversations' })).toBeVisible()
    await expect(samsThread).toHaveCount(0, { timeout: 3000 })
  }).toPass({ timeout: 30_000 })
  await sitter.context().close()
})

test('dragging a window moves it, dragging its edge resizes it, and an overlap is refused in words', async () => {
  // Riley has Gray Tuesday 9 AM to Thursday 5 PM next week.
  const next = addDays(mondayOf(dayKeyOf(Date.now(), zone)), 7)
  const at = (day: number, time: string) => fromLocalInput(`${addDays(next, day)}T${time}`, zone)
  const made = await api.post('/api/v1/windows', {
    data: { sitterId: ids['Riley Brooks'], clientId: ids[demo.gray.name], startsAt: at(1, '09:00'), endsAt: at(3, '17:00'), notifyClient: false },
  })
  expect(made.status(), await made.text()).toBe(201)
  const id = ((await made.json()) as { id: string }).id

  await owner.goto(`/assignments?week=${next}`)
  const riley = lane(owner, 'Riley Brooks')
  const block = riley.locator(`[data-window="${id}"]`)
  await expect(block).toContainText('Scheduled')
  const day = await dayW(riley.getByTestId('cal-track'))

  const drag = async (fromX: number, dx: number) => {
    const b = (await block.boundingBox())!
    const y = b.y + b.height / 2
    await owner.mouse.move(fromX, y)
    await owner.mouse.down()
    await owner.mouse.move(fromX + dx / 2, y, { steps: 4 })
    await owner.mouse.move(fromX + dx, y, { steps: 4 })
    await owner.mouse.up()
  }

  // Move by a day: Wednesday 9 AM to Friday 5 PM.
  let box = (await block.boundingBox())!
  await drag(box.x + box.width / 2, day)
  await expect(owner.getByRole('status').filter({ hasText: `Moved ${demo.gray.name}'s window with Riley Brooks` })).toBeVisible()
  await expect.poll(async () => windowOf(id)).toMatchObject({ startsAt: at(2, '09:00').replace('.000Z', 'Z'), endsAt: at(4, '17:00').replace('.000Z', 'Z') })

  // Drag the end half a day later: Saturday 5 AM.
  await expect(block).not.toHaveClass(/cal-saving/)
  box = (await block.boundingBox())!
  await drag(box.x + box.width - 3, day / 2)
  await expect.poll(async () => (await windowOf(id)).endsAt).toBe(at(5, '05:00').replace('.000Z', 'Z'))
  await expect(block).not.toHaveClass(/cal-saving/)

  // Jordan has Gray on Sunday: moving Riley's window two days later would overlap it.
  const other = await api.post('/api/v1/windows', {
    data: { sitterId: ids['Jordan Diaz'], clientId: ids[demo.gray.name], startsAt: at(6, '10:00'), endsAt: at(6, '18:00'), notifyClient: false },
  })
  expect(other.status(), await other.text()).toBe(201)
  const otherId = ((await other.json()) as { id: string }).id
  await owner.reload()
  await expect(lane(owner, 'Jordan Diaz').locator(`[data-window="${otherId}"]`)).toBeVisible()
  box = (await block.boundingBox())!
  await drag(box.x + box.width / 2, day * 1.5)
  const refusal = owner.getByRole('alert').filter({ hasText: `${demo.gray.name}'s window was not changed` })
  await expect(refusal).toContainText(`${demo.gray.name} already has Jordan Diaz from`)
  await expect(refusal).toContainText(otherId)
  // The block is back where it was, and so is the window.
  await expect.poll(async () => (await block.boundingBox())!.x).toBeCloseTo(box.x, 0)
  expect(await windowOf(id)).toMatchObject({ startsAt: at(2, '09:00').replace('.000Z', 'Z'), endsAt: at(5, '05:00').replace('.000Z', 'Z') })
  await expectAccessible(owner, 'the calendar with a refusal')
  await shot(owner, 'assignments-drag-refused')

  // A scheduled window is cancelled with a plain confirmation.
  await lane(owner, 'Jordan Diaz').locator(`[data-window="${otherId}"]`).click()
  await owner.getByRole('dialog', { name: 'Edit window' }).getByRole('button', { name: 'Cancel this window…' }).click()
  const confirm = owner.getByRole('dialog', { name: 'Cancel this window?' })
  await expect(confirm).toContainText('nobody loses access now')
  await confirm.getByRole('button', { name: 'Cancel window' }).click()
  await expect(owner.getByRole('status').filter({ hasText: `Cancelled Jordan Diaz's window with ${demo.gray.name}` })).toBeVisible()
  await expect(lane(owner, 'Jordan Diaz').locator(`[data-window="${otherId}"]`)).toHaveAttribute('data-status', 'cancelled')
})

test('cancelling a running window shows who loses which conversation and needs that confirmation', async () => {
  // Its own running window (Emerson with Riley): the seeded ones belong to other specs.
  const startsAt = new Date(Date.now() + 2000).toISOString()
  const endsAt = new Date(Date.now() + 3 * 3600_000).toISOString()
  const made = await api.post('/api/v1/windows', {
    data: { sitterId: ids['Riley Brooks'], clientId: ids['Emerson Lee'], startsAt, endsAt, notifyClient: false },
  })
  expect(made.ok(), await made.text()).toBeTruthy()
  const id = ((await made.json()) as { id: string }).id
  await expect.poll(async () => (await windowOf(id)).status, { timeout: 30_000 }).toBe('active')

  await owner.goto(`/assignments/list?sitter=${ids['Riley Brooks']}&client=${ids['Emerson Lee']}`)
  const row = owner.getByTestId('window-row').filter({ hasText: 'Emerson Lee' })
  await expect(row).toContainText('Active')
  await row.getByRole('button', { name: "Cancel Emerson Lee's window with Riley Brooks" }).click()
  const dialog = owner.getByRole('dialog', { name: 'Cancel a window that is running?' })
  await expect(dialog.getByTestId('cancel-impact')).toContainText("Riley Brooks loses access to Emerson Lee's conversations now")
  await expectAccessible(owner, 'the cancel impact')
  await shot(owner, 'assignments-cancel-impact')
  await dialog.getByRole('button', { name: 'Cancel it and end access now' }).click()
  await expect(dialog).toBeHidden()
  await expect(owner.getByRole('status').filter({ hasText: "Cancelled Riley Brooks's window with Emerson Lee" })).toBeVisible()
  await expect(row).toContainText('Cancelled')
  await expect(row.getByRole('button', { name: /^Cancel/ })).toHaveCount(0)
  await expect.poll(async () => (await windowOf(id)).status, { timeout: 30_000 }).toBe('cancelled')
})

test('the list filters live in the URL, and the conflicts view links to each window', async () => {
  await owner.goto('/assignments/list')
  const rows = owner.getByTestId('window-row')
  await expect(rows.first()).toBeVisible()
  await owner.getByLabel('Sitter', { exact: true }).selectOption({ label: 'Sam Patel' })
  await owner.getByLabel('Status', { exact: true }).selectOption({ label: 'Scheduled' })
  await expect(owner).toHaveURL(new RegExp(`sitter=${ids['Sam Patel']}.*status=scheduled`))
  await expect(rows).toHaveCount(2)
  await expect(rows.nth(0)).toContainText('Casey Nguyen')
  await expect(rows.nth(1)).toContainText('Indigo Park')
  // Up to five days ahead: Casey's (tomorrow) only.
  await owner.getByLabel('To', { exact: true }).fill(addDays(dayKeyOf(Date.now(), zone), 5))
  await expect(rows).toHaveCount(1)
  await expect(rows.first()).toContainText('Casey Nguyen')
  // The URL holds the view: a reload shows the same.
  await owner.reload()
  await expect(owner.getByLabel('Sitter', { exact: true }).locator('option:checked')).toHaveText('Sam Patel')
  await expect(owner.getByLabel('Status', { exact: true }).locator('option:checked')).toHaveText('Scheduled')
  await expect(rows).toHaveCount(1)
  await expectAccessible(owner, 'the window list')
  await shot(owner, 'assignments-list')
  await owner.getByLabel('Status', { exact: true }).selectOption({ label: 'Ended' })
  await owner.getByLabel('To', { exact: true }).fill('')
  await expect(rows.filter({ hasText: jules })).toHaveCount(1)

  await owner.getByRole('link', { name: 'Conflicts' }).click()
  await expect(owner).toHaveURL(/\/assignments\/conflicts$/)
  const conflict = owner.getByTestId('conflict').filter({ hasText: 'Sam Patel is booked for two clients at once' }).filter({ hasText: 'Casey Nguyen' })
  await expect(conflict).toContainText('Avery Johnson with Sam Patel')
  await expectAccessible(owner, 'the conflicts view')
  await shot(owner, 'assignments-conflicts')
  await conflict.getByRole('link', { name: 'Casey Nguyen with Sam Patel' }).click()
  await expect(owner).toHaveURL(/\/assignments\?week=\d{4}-\d{2}-\d{2}&window=/)
  const drawer = owner.getByRole('dialog', { name: 'Edit window' })
  await expect(drawer).toContainText('Sam Patel with Casey Nguyen')
  await expect(lane(owner, 'Sam Patel').getByTestId('cal-block').filter({ hasText: 'Casey Nguyen' })).toHaveCount(1)
})
