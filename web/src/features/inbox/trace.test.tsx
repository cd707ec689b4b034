import { render, screen } from '@testing-library/react'
import type { RoutingTrace } from '../../lib/api/types'
import { readableDetail, readableTrace } from './trace'
import { TraceDrawer } from './TraceDrawer'
import type { MessageView } from '../../lib/api/types'

const sam = '8a2c1f0e-1111-4222-8333-444455556666'
const windowId = '0f0e0d0c-aaaa-4bbb-8ccc-ddddeeeeffff'
const tz = 'America/Los_Angeles'

const trace: RoutingTrace = {
  rule: 'sitter_window',
  reason: '',
  target: { kind: 'sitter', sitterId: sam, sitterName: 'Sam Patel' },
  decidedAt: '2026-11-25T17:05:00Z',
  steps: [
    { rule: 'override', outcome: 'skipped', detail: 'No routing override is active for this thread.' },
    { rule: 'sitter_window', outcome: 'matched', detail: `Sitter number of sitter ${sam}, whose window ${windowId} with this client is active until 2026-11-28T18:00:00Z.` },
    { rule: 'owner_inbox', outcome: 'skipped', detail: 'Not checked: an earlier rule already decided.' },
  ],
}

describe('the routing trace, readable', () => {
  it('names sitters and shows local times, never an ID or a UTC stamp', () => {
    const t = readableTrace(trace, {}, tz)
    const text = [t.summary, t.decidedAt, ...t.steps.map((s) => s.title + s.detail)].join('\n')
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}/)
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T/)
    expect(t.steps[1]!.detail).toBe('Sitter number of Sam Patel, whose window with this client is active until Nov 28, 10:00 AM PST.')
    expect(t.summary).toBe("Sent to Sam Patel's conversations because Sam Patel has an assignment window with this client.")
    expect(readableTrace({ ...trace, rule: 'owner_inbox', target: { kind: 'owner_inbox' } }, {}, tz).summary).toBe(
      'Sent to the owner inbox because no override or sitter window applied.',
    )
    expect(t.decidedAt).toBe('Nov 25, 9:05 AM PST')
    expect(t.steps.map((s) => s.matched)).toEqual([false, true, false])
  })

  it('names every sitter of a list and hides IDs it cannot name', () => {
    const riley = '11111111-2222-4333-8444-555555555555'
    expect(readableDetail(`Sitters ${sam} and ${riley} have windows with this client; the owner can forward the message.`, { [sam]: 'Sam Patel', [riley]: 'Riley Brooks' }))
      .toBe('Sam Patel and Riley Brooks have windows with this client; the owner can forward the message.')
    expect(readableDetail(`The next one (${windowId}) starts at 2026-12-01T08:00:00Z.`, {}, 'UTC')).toBe('The next one starts at Dec 1, 8:00 AM UTC.')
    expect(readableDetail(`Routing override ${windowId} sends this thread to sitter ${sam} until 2026-12-01T08:00:00Z`, {}, 'UTC')).toBe(
      'Routing override sends this thread to a sitter until Dec 1, 8:00 AM UTC',
    )
  })

  it('reads the structured steps the API sends (kind and sentence)', () => {
    const t: RoutingTrace = {
      rule: 'owner_inbox', reason: 'default', target: { kind: 'owner_inbox' }, decidedAt: '2026-12-01T17:00:00Z',
      steps: [
        { kind: 'override', outcome: 'skipped', sentence: 'No routing override is active for this client.' },
        { kind: 'owner_inbox', outcome: 'matched', sentence: 'Texts with no other rule go to the owner inbox.' },
      ],
    }
    const r = readableTrace(t, {}, 'America/Los_Angeles')
    expect(r.steps.map((s) => s.title)).toEqual(["The owner's routing override", 'The owner inbox (the default)'])
    expect(r.steps[1]).toMatchObject({ matched: true, detail: 'Texts with no other rule go to the owner inbox.' })
    expect(r.summary).toContain('Sent to the owner inbox')
  })

  it('leaves sentences that are already readable alone', () => {
    expect(readableDetail('The client texted the front desk, not a sitter number, so it goes to the business.', {})).toBe(
      'The client texted the front desk, not a sitter number, so it goes to the business.',
    )
  })

  it('renders as numbered steps in the drawer, the deciding one marked', () => {
    const m = { id: 'm1', routing: trace } as unknown as MessageView
    render(<TraceDrawer message={m} names={{}} timeZone={tz} onClose={() => {}} />)
    const steps = screen.getAllByRole('listitem')
    expect(steps).toHaveLength(3)
    expect(steps[1]).toHaveTextContent("A sitter's assignment window")
    expect(steps[1]).toHaveTextContent('Decided')
    expect(steps[0]).toHaveTextContent('Passed over')
    expect(screen.getByTestId('trace')).not.toHaveTextContent(sam)
  })
})
