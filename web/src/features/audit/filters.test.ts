import { actionLabel, auditQuery, dayStart, readFilters, writeFilters } from './filters'

describe('the audit filters', () => {
  it('round-trips through the URL, leaving empty filters out', () => {
    const f = readFilters(new URLSearchParams('action=message.&correlationId=abc&from=2026-11-01'), 'America/Los_Angeles')
    expect(f.action).toBe('message.')
    expect(f.actor).toBe('')
    expect(writeFilters(f).toString()).toBe('action=message.&correlationId=abc&from=2026-11-01')
  })

  it('reads days in the business time zone, "to" including its whole day', () => {
    const q = auditQuery({ ...readFilters(new URLSearchParams('from=2026-12-01&to=2026-12-01'), 'America/Los_Angeles') })
    expect(q.from).toBe('2026-12-01T08:00:00.000Z')
    expect(q.to).toBe('2026-12-02T08:00:00.000Z')
  })

  it('finds the start of a day next to a daylight-saving change', () => {
    // Los Angeles moved to PDT on 2026-03-08 at 2 am; the day began in PST.
    expect(dayStart('2026-03-08', 'America/Los_Angeles')).toBe('2026-03-08T08:00:00.000Z')
    expect(dayStart('2026-03-09', 'America/Los_Angeles')).toBe('2026-03-09T07:00:00.000Z')
    expect(dayStart('not a day', 'UTC')).toBe('')
  })

  it('turns a number filter into its entity', () => {
    const q = auditQuery(readFilters(new URLSearchParams('numberId=n1'), 'UTC'))
    expect(q).toEqual({ entityType: 'phone_number', entityId: 'n1' })
  })

  it('names actions for people', () => {
    expect(actionLabel('message.dead_lettered')).toBe('Message dead lettered')
  })
})
