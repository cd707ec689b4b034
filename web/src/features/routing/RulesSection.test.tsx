import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { fakeApi, fill, ownerSession, refusal, renderAt, Route, SignedIn } from '../../test/people'
import { RulesSection } from './RulesSection'

afterEach(() => vi.restoreAllMocks())
vi.setConfig({ testTimeout: 20_000 })

beforeAll(() => {
  HTMLDialogElement.prototype.showModal = function (this: HTMLDialogElement) {
    this.setAttribute('open', '')
  }
  HTMLDialogElement.prototype.close = function (this: HTMLDialogElement) {
    this.removeAttribute('open')
    this.dispatchEvent(new Event('close'))
  }
})

const none = { numberClasses: [], numberIds: [], clientTags: [], days: [], from: '', to: '', knownClient: null }
const rule = (id: string, name: string, kind: string, extra = {}) => ({
  id, name, kind, builtin: kind !== 'custom', enabled: true, position: 0,
  canDisable: kind === 'custom' || kind === 'sitter_window', canMove: kind === 'custom' || kind === 'sitter_window',
  canEdit: kind === 'custom', canDelete: kind === 'custom', when: none, target: null, routedCount: 0, lastFiredAt: null, summary: '', ...extra,
})
const ruleset = {
  version: 4,
  updatedAt: '2026-12-01T17:00:00Z',
  rules: [
    rule('ov', 'Active override', 'override'),
    rule('sw', 'Sitter with an active window', 'sitter_window'),
    rule('a', 'Front desk to Sam', 'custom', { when: { ...none, numberClasses: ['front_desk'] }, target: { kind: 'sitter', sitterId: 's1', sitterName: 'Sam Patel' }, routedCount: 12, lastFiredAt: '2026-12-01T16:00:00Z' }),
    rule('b', 'Weekends to me', 'custom', { when: { ...none, days: ['sat', 'sun'] }, target: { kind: 'owner_inbox' } }),
    rule('inbox', 'Owner inbox', 'owner_inbox'),
  ],
}
const base = {
  'GET /api/v1/auth/me': { status: 200, body: { ...ownerSession, expiresAt: '2026-12-02T00:00:00Z' } },
  'GET /api/v1/routing/rules': { status: 200, body: ruleset },
  'GET /api/v1/numbers': { status: 200, body: { numbers: [], nextCursor: '' } },
  'GET /api/v1/sitters': { status: 200, body: { sitters: [] } },
}

const names = () => screen.getAllByTestId('rule-row').map((r) => within(r).getByRole('rowheader').textContent)

function renderRules() {
  return renderAt('/routing', <Route
      path="/routing"
      element={
        <SignedIn>
          <main className="routing-page">
            <RulesSection canChange />
          </main>
        </SignedIn>
      }
    />)
}

describe('rules table', () => {
  it('shows each rule in words with its counts', async () => {
    fakeApi(base)
    renderRules()
    const rows = await screen.findAllByTestId('rule-row')
    expect(rows).toHaveLength(5)
    expect(rows[2]).toHaveTextContent('Texts to the front desk')
    expect(rows[2]).toHaveTextContent('Sam Patel (while they have an active window with the client)')
    expect(rows[2]).toHaveTextContent('12')
    expect(rows[3]).toHaveTextContent('Every text, on weekends')
    // The override stays first and the owner inbox last: no buttons move them.
    expect(within(rows[0]!).queryByRole('button', { name: /Move/ })).not.toBeInTheDocument()
    expect(within(rows[4]!).getByRole('checkbox', { name: 'Owner inbox: enabled' })).toBeDisabled()
    expect(screen.getByRole('button', { name: 'Move “Sitter with an active window” up' })).toBeDisabled()
  })

  it('moves a rule up by keyboard, sends the new order with the version, and keeps focus on it', async () => {
    let current = ruleset
    const api = fakeApi({
      ...base,
      'GET /api/v1/routing/rules': () => ({ status: 200, body: current }),
      'PUT /api/v1/routing/rules/order': (_r, body) => {
        const ids = (body as { ruleIds: string[] }).ruleIds
        current = { ...ruleset, version: 5, rules: ids.map((id) => ruleset.rules.find((r) => r.id === id)!) }
        return { status: 200, body: current }
      },
    })
    const u = userEvent.setup()
    renderRules()
    const up = await screen.findByRole('button', { name: 'Move “Weekends to me” up' })
    up.focus()
    await u.keyboard('{Enter}')
    await waitFor(() => expect(api.calls('PUT', '/api/v1/routing/rules/order')).toHaveLength(1))
    await waitFor(() => expect(names()[2]).toContain('Weekends to me'))
    expect(api.calls('PUT', '/api/v1/routing/rules/order')[0]?.body).toEqual({ ruleIds: ['ov', 'sw', 'b', 'a', 'inbox'], expectedVersion: 4 })
    await waitFor(() => expect(screen.getByRole('button', { name: 'Move “Weekends to me” up' })).toHaveFocus())
    expect(screen.getByRole('status')).toHaveTextContent('Moved “Weekends to me” to position 3.')
  })

  it('puts the old order back when the rules changed meanwhile', async () => {
    fakeApi({ ...base, 'PUT /api/v1/routing/rules/order': refusal(409, 'rules_changed', 'The routing rules changed since you loaded them.') })
    const u = userEvent.setup()
    renderRules()
    await u.click(await screen.findByRole('button', { name: 'Move “Front desk to Sam” down' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('The routing rules changed since you loaded them.')
    expect(names()[2]).toContain('Front desk to Sam')
    expect(names()[3]).toContain('Weekends to me')
  })

  it('shows a refused rule’s messages on their fields and keeps what was typed', async () => {
    const api = fakeApi({
      ...base,
      'POST /api/v1/routing/rules': refusal(400, 'invalid', 'Check the rule.', { fields: { name: 'Give the rule a name.', 'when.from': 'Use HH:MM.' } }),
    })
    const u = userEvent.setup()
    renderRules()
    await u.click(await screen.findByRole('button', { name: 'Add a rule' }))
    const form = screen.getByRole('dialog', { name: 'Add a rule' })
    await fill(u, within(form).getByLabelText('Client tags'), 'vip, weekly')
    await u.click(within(form).getByLabelText('Saturday'))
    await u.click(within(form).getByRole('button', { name: 'Add rule' }))
    expect(await within(form).findByText('Give the rule a name.')).toBeInTheDocument()
    expect(within(form).getByLabelText('Name')).toHaveAttribute('aria-invalid', 'true')
    expect(within(form).getByText('Use HH:MM.')).toBeInTheDocument()
    expect(within(form).getByLabelText('Client tags')).toHaveValue('vip, weekly')
    expect(api.calls('POST', '/api/v1/routing/rules')[0]?.body).toMatchObject({
      expectedVersion: 4,
      target: { kind: 'owner_inbox' },
      when: { clientTags: ['vip', 'weekly'], days: ['sat'], knownClient: null },
    })
  })
})
