import { expect, request, test, type Browser, type Page } from '@playwright/test'
import { apiURL, demo, expectAccessible, shot, signIn } from './helpers'

// People: a new business signs up and reaches setup; the owner invites a
// sitter who accepts in another browser and lands in the sitter app; the
// owner changes roles, is refused deactivating a sitter with visits ahead,
// deactivates and reactivates; sitters' profiles are edited.

test.describe.configure({ mode: 'serial' })

const run = Math.random().toString(36).slice(2, 8)
const newOwner = { email: `dana-${run}@paws.example`, password: 'dana-password-1', name: 'Dana Leigh-Montgomery' }
const longOrg = `Paws, Whiskers & Feathers of the Greater Sacramento Valley ${run}`
const sitter = { email: `lou-${run}@sitters.example`, name: 'Lou Park', password: 'lous-password-1' }

/** The newest link to `path` mailed to an address (the dev mailbox: no SMTP here). */
async function mailedLink(to: string, path: string): Promise<string> {
  const anon = await request.newContext({ baseURL: apiURL })
  let link = ''
  await expect(async () => {
    const r = await anon.get(`/api/v1/auth/dev-mailbox?to=${encodeURIComponent(to)}`)
    expect(r.ok(), await r.text()).toBeTruthy()
    const { emails } = (await r.json()) as { emails: { body: string }[] }
    const m = emails.map((e) => new RegExp(`https?://\\S+${path.replace('?', '\\?')}\\?token=[\\w-]+`).exec(e.body)?.[0]).find(Boolean)
    expect(m, `a ${path} link mailed to ${to}`).toBeTruthy()
    const u = new URL(m!)
    link = u.pathname + u.search
  }).toPass({ timeout: 15_000 })
  await anon.dispose()
  return link
}

async function freshPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  return context.newPage()
}

let owner: Page

test.beforeAll(async ({ browser }) => {
  owner = await freshPage(browser)
})
test.afterAll(async () => {
  await owner.context().close()
})

test('a new business signs up, verifies its email from the dev mailbox and lands in setup', async ({ browser }) => {
  const page = await freshPage(browser)
  await page.goto('/sign-in')
  await page.getByRole('link', { name: 'Create your business' }).click()
  await expect(page.getByRole('heading', { name: 'Create your business' })).toBeVisible()
  // The browser's zone is the default.
  const zone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)
  await expect(page.getByLabel('Time zone')).toHaveValue(zone)

  // Nothing typed: every field says what it needs, from the API.
  await page.getByRole('button', { name: 'Create business' }).click()
  await expect(page.getByLabel('Business name')).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByText("Enter your business's name.")).toBeVisible()
  await expect(page.getByText('Enter your name.')).toBeVisible()
  await expect(page.getByText('Enter an email address.')).toBeVisible()
  await expect(page.getByText(/password must be at least 10 characters/)).toBeVisible()
  await expectAccessible(page, 'sign-up with errors')
  await shot(page, 'signup-errors')

  await page.getByLabel('Business name').fill(longOrg)
  await page.getByLabel('Time zone').selectOption('America/Chicago')
  await page.getByLabel('Your name').fill(newOwner.name)
  await page.getByLabel('Email').fill(newOwner.email)
  await page.getByLabel('Password').fill(newOwner.password)
  await page.getByRole('button', { name: 'Create business' }).click()
  await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible()
  await expect(page.getByText(`We sent a link to ${newOwner.email}`)).toBeVisible()
  await page.getByRole('button', { name: 'Send a new link' }).click()
  await expect(page.getByText(/a new link is on its way/)).toBeVisible()
  await expect(page.getByRole('link', { name: 'Open the verification link' })).toBeVisible()
  await expectAccessible(page, 'check your email')
  await shot(page, 'signup-check-email')

  // The email (kept in the dev mailbox): the newest link works, once.
  const link = await mailedLink(newOwner.email, '/signup/verify')
  const reader = await freshPage(browser)
  await reader.goto(link)
  await expect(reader.getByRole('heading', { name: 'Your email is confirmed' })).toBeVisible()
  await expect(reader.getByLabel('Email')).toHaveValue(newOwner.email)
  await expectAccessible(reader, 'email confirmed')
  await shot(reader, 'signup-verified')
  await reader.getByLabel('Password').fill(newOwner.password)
  await reader.getByRole('button', { name: 'Sign in and set up' }).click()
  await expect(reader).toHaveURL(/\/setup(\?|$)/)
  await expect(reader.getByRole('heading', { name: `Set up ${longOrg}` })).toBeVisible()
  await expect(reader.getByText('America/Chicago')).toBeVisible()
  await expect(reader.getByTestId('org-name')).toHaveText(longOrg)
  await expectAccessible(reader, 'setup')
  await shot(reader, 'setup-landing')

  // A new business has nobody yet: the team and sitters pages say so.
  await reader.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sitters' }).click()
  await expect(reader.getByRole('heading', { name: 'No sitters yet' })).toBeVisible()
  await expectAccessible(reader, 'sitters, empty')
  await shot(reader, 'sitters-empty')
  await reader.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team' }).click()
  await expect(reader.getByText('No open invitations.')).toBeVisible()
  await expect(reader.getByTestId('member')).toHaveCount(1)
  await shot(reader, 'team-new-business')

  // The used link no longer works.
  const again = await freshPage(browser)
  await again.goto(link)
  await expect(again.getByRole('heading', { name: "This link doesn't work" })).toBeVisible()
  await expectAccessible(again, 'used verification link')
  await shot(again, 'signup-link-used')
  for (const p of [page, reader, again]) await p.context().close()
})

test('the owner invites a sitter, who accepts in another browser and lands in the sitter app', async ({ browser }) => {
  await signIn(owner, demo.owner)
  await expect(owner).toHaveURL(/\/inbox$/)
  await owner.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team' }).click()
  await expect(owner.getByRole('heading', { name: 'Team', exact: true })).toBeVisible()
  await expect(owner.getByTestId('member').filter({ hasText: 'Sam Patel' })).toBeVisible()

  // A bad email is refused next to the field.
  await owner.getByLabel('Email', { exact: true }).fill('lou@nowhere')
  await owner.getByRole('button', { name: 'Send invitation' }).click()
  await expect(owner.getByLabel('Email', { exact: true })).toHaveAttribute('aria-invalid', 'true')
  await expect(owner.getByText('Enter a valid email address, such as name@example.com.')).toBeVisible()

  // A sitter the business added without a login can be given one.
  await expect(owner.getByLabel('Sitter record (optional)')).toContainText('Jordan Diaz')
  await owner.getByLabel('Email', { exact: true }).fill(sitter.email)
  await owner.getByLabel('Name (optional)').fill('Lou')
  await owner.getByLabel('Role', { exact: true }).selectOption('sitter')
  await owner.getByRole('button', { name: 'Send invitation' }).click()
  await expect(owner.getByText(`Invitation sent to ${sitter.email}`)).toBeVisible()
  const row = owner.getByTestId('invitation').filter({ hasText: sitter.email })
  await expect(row).toContainText('Waiting')
  await expectAccessible(owner, 'team with an invitation')
  await shot(owner, 'team-invited')

  const link = await mailedLink(sitter.email, '/invitations/accept')
  const lou = await freshPage(browser)
  await lou.goto(link)
  await expect(lou.getByRole('heading', { name: `Join ${demo.org}` })).toBeVisible()
  await expect(lou.getByText(/to join their team on Snout as a sitter/)).toBeVisible()
  await expect(lou.getByLabel('Your name')).toHaveValue('Lou')
  await expectAccessible(lou, 'accept invitation')
  await shot(lou, 'invitation-accept')
  await lou.getByLabel('Your name').fill(sitter.name)
  await lou.getByLabel('Choose a password').fill(sitter.password)
  await lou.getByLabel('Repeat the password').fill(sitter.password)
  await lou.getByRole('button', { name: `Join ${demo.org}` }).click()
  await expect(lou).toHaveURL(/\/sitter$/)
  await expect(lou.getByRole('heading', { name: 'My conversations' })).toBeVisible()
  await expect(lou.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team' })).toHaveCount(0)
  await shot(lou, 'invitation-sitter-app')

  // The link works once.
  await lou.goto(link)
  await expect(lou.getByRole('heading', { name: 'This invitation has been used' })).toBeVisible()
  await expectAccessible(lou, 'used invitation')
  await shot(lou, 'invitation-used')
  await lou.context().close()

  // And Lou signs in like anyone else.
  const again = await freshPage(browser)
  await signIn(again, sitter.email, sitter.password)
  await expect(again).toHaveURL(/\/sitter$/)
  await expect(again.getByRole('heading', { name: 'My conversations' })).toBeVisible()
  await again.context().close()

  // On the owner's page Lou is a member now.
  await owner.reload()
  await expect(owner.getByTestId('member').filter({ hasText: sitter.name })).toContainText('Active')
})

test('a withdrawn invitation says so', async ({ browser }) => {
  const email = `gone-${run}@sitters.example`
  await owner.getByLabel('Email', { exact: true }).fill(email)
  await owner.getByLabel('Role', { exact: true }).selectOption('admin')
  await owner.getByRole('button', { name: 'Send invitation' }).click()
  const row = owner.getByTestId('invitation').filter({ hasText: email })
  await expect(row).toContainText('Waiting')
  await row.getByRole('button', { name: `Resend the invitation to ${email}` }).click()
  await expect(row).toContainText('Sent again with a new link.')
  await expect(row).toContainText('(2 times)')
  const link = await mailedLink(email, '/invitations/accept')
  await row.getByRole('button', { name: `Withdraw the invitation to ${email}` }).click()
  const dialog = owner.getByRole('dialog', { name: 'Withdraw this invitation?' })
  await expect(dialog).toBeVisible()
  await expectAccessible(owner, 'withdraw confirmation')
  await shot(owner, 'team-withdraw-confirm')
  await dialog.getByRole('button', { name: 'Withdraw invitation' }).click()
  await expect(dialog).toBeHidden()
  await expect(owner.getByText('No open invitations.')).toBeVisible()
  await owner.getByText(/Accepted and withdrawn/).click()
  const closed = owner.getByRole('list', { name: 'Accepted and withdrawn invitations' })
  await expect(closed.getByTestId('invitation').filter({ hasText: email })).toContainText('Withdrawn')
  await expect(closed.getByTestId('invitation').filter({ hasText: sitter.email })).toContainText('Accepted')
  await shot(owner, 'team-closed-invitations')

  const p = await freshPage(browser)
  await p.goto(link)
  await expect(p.getByRole('heading', { name: 'This invitation was withdrawn' })).toBeVisible()
  await shot(p, 'invitation-withdrawn')
  await p.context().close()
})

test('roles change, a sitter with visits ahead is not deactivated, and deactivation ends a session', async ({ browser }) => {
  // Sam has visits ahead: the refusal lists them, one a line.
  const sam = owner.getByTestId('member').filter({ hasText: 'Sam Patel' })
  await sam.getByRole('button', { name: 'Deactivate Sam Patel' }).click()
  const confirm = owner.getByRole('dialog', { name: 'Deactivate Sam Patel?' })
  await expect(confirm).toContainText('signed out everywhere at once')
  await confirm.getByRole('button', { name: 'Deactivate Sam Patel' }).click()
  const refused = owner.getByRole('dialog', { name: "Sam Patel can't be deactivated yet" })
  await expect(refused).toBeVisible()
  await expect(refused.getByRole('listitem').filter({ hasText: demo.avery.name })).toBeVisible()
  expect(await refused.getByRole('listitem').count()).toBeGreaterThanOrEqual(2)
  await expectAccessible(owner, 'deactivation refused')
  await shot(owner, 'team-deactivate-refused')
  await refused.getByRole('button', { name: 'Close' }).click()
  await expect(sam).toContainText('Active')

  // Lou, signed in elsewhere, becomes an admin: the dashboard is theirs.
  const lou = await freshPage(browser)
  await signIn(lou, sitter.email, sitter.password)
  await expect(lou).toHaveURL(/\/sitter$/)
  const louRow = owner.getByTestId('member').filter({ hasText: sitter.name })
  await louRow.getByLabel(`Role of ${sitter.name}`).selectOption('admin')
  const roleDialog = owner.getByRole('dialog', { name: `Make ${sitter.name} an admin?` })
  await expect(roleDialog).toContainText('whole inbox')
  await roleDialog.getByRole('button', { name: 'Change role' }).click()
  await expect(roleDialog).toBeHidden()
  await expect(louRow.getByLabel(`Role of ${sitter.name}`)).toHaveValue('admin')

  // Deactivated: Lou's session ends at once.
  await louRow.getByRole('button', { name: `Deactivate ${sitter.name}` }).click()
  const d = owner.getByRole('dialog', { name: `Deactivate ${sitter.name}?` })
  await d.getByRole('button', { name: `Deactivate ${sitter.name}` }).click()
  await expect(d).toBeHidden()
  await expect(louRow).toContainText('Deactivated')
  await expect(louRow.getByRole('button', { name: `Reactivate ${sitter.name}` })).toBeVisible()
  await expectAccessible(owner, 'team with a deactivated member')
  await shot(owner, 'team-deactivated')
  await lou.reload()
  await expect(lou).toHaveURL(/\/sign-in$/)
  await signIn(lou, sitter.email, sitter.password)
  await expect(lou.getByRole('alert')).toBeVisible()
  await expect(lou).toHaveURL(/\/sign-in$/)

  await louRow.getByRole('button', { name: `Reactivate ${sitter.name}` }).click()
  await expect(louRow).toContainText('Active')
  await signIn(lou, sitter.email, sitter.password)
  await expect(lou).toHaveURL(/\/inbox$/)
  await lou.context().close()
})

test('sitters: the roster with numbers and workload, and a profile edit', async () => {
  await owner.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sitters' }).click()
  await expect(owner.getByRole('heading', { name: 'Sitters', exact: true })).toBeVisible()
  const samCard = owner.getByTestId('sitter').filter({ hasText: 'Sam Patel' })
  await expect(samCard).toContainText('Signs in as sam@demo.test')
  await expect(samCard.getByText('Sitter number')).toBeVisible()
  await expectAccessible(owner, 'sitters')
  await shot(owner, 'sitters')

  const jordan = owner.getByTestId('sitter').filter({ hasText: 'Jordan Diaz' })
  await expect(jordan).toContainText('No login')
  await jordan.getByRole('button', { name: 'Edit Jordan Diaz' }).click()
  const drawer = owner.getByRole('dialog', { name: 'Edit Jordan Diaz' })
  await expect(drawer.getByRole('heading', { name: 'Windows now and ahead' })).toBeVisible()
  await drawer.getByLabel('Display name').fill('Jordan D.')
  await drawer.getByLabel('Their own phone (optional)').fill('12')
  await drawer.getByRole('button', { name: 'Save changes' }).click()
  await expect(drawer.getByLabel('Their own phone (optional)')).toHaveAttribute('aria-invalid', 'true')
  await drawer.getByLabel('Their own phone (optional)').fill('(650) 555-0193')
  // Inactive is refused while Jordan has a visit running: it is listed.
  await drawer.getByLabel('Status').selectOption('inactive')
  await drawer.getByRole('button', { name: 'Save changes' }).click()
  await expect(drawer.getByRole('alert')).toContainText("hasn't ended")
  await expect(drawer.getByRole('alert').getByRole('listitem')).toHaveCount(1)
  await expectAccessible(owner, 'sitter editor with a refusal')
  await shot(owner, 'sitter-edit-refused')
  await drawer.getByLabel('Status').selectOption('active')
  await drawer.getByRole('button', { name: 'Save changes' }).click()
  await expect(drawer).toBeHidden()
  await expect(jordan).toContainText('Clients see Jordan D.')
})
