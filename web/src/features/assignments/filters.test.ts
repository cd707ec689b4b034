import { describe, expect, it } from 'vitest'
import { listQuery, readListFilters, readWeek, weekOf, writeListFilters } from './filters'

const sam = '0b6c1b5e-6a57-5b3c-9c1e-6f1f3a7d2b11'

describe('the list filters in the URL', () => {
  it('read what the URL holds, and drop what is not a valid value', () => {
    const f = readListFilters(new URLSearchParams(`sitter=${sam}&client=nope&status=finished&from=2026-12-01&to=2026-13-01`))
    expect(f).toEqual({ sitterId: sam, clientId: '', status: '', from: '2026-12-01', to: '' })
  })

  it('write back only the filters set, keeping the other parameters', () => {
    const p = writeListFilters({ sitterId: sam, clientId: '', status: 'active', from: '', to: '2026-12-06' }, new URLSearchParams('window=abc&from=2026-01-01'))
    expect(p.toString()).toBe(`window=abc&sitter=${sam}&status=active&to=2026-12-06`)
    expect(readListFilters(p)).toEqual({ sitterId: sam, clientId: '', status: 'active', from: '', to: '2026-12-06' })
  })

  it('become the API query: whole days in the org zone, cancelled windows listed', () => {
    const q = listQuery({ sitterId: sam, clientId: '', status: 'ended', from: '2026-12-01', to: '2026-12-06' }, 'America/Los_Angeles')
    expect(q).toEqual({ includeCancelled: true, sitterId: sam, status: 'ended', from: '2026-12-01T08:00:00.000Z', to: '2026-12-07T08:00:00.000Z' })
    expect(listQuery({ sitterId: '', clientId: '', status: '', from: '', to: '' }, 'UTC')).toEqual({ includeCancelled: true })
  })
})

describe('the calendar week', () => {
  const la = 'America/Los_Angeles'
  it('is this week in the org zone by default', () => {
    // Monday 2026-11-30 at 03:00 UTC is still Sunday evening in Los Angeles.
    expect(readWeek(new URLSearchParams(), la, Date.parse('2026-11-30T03:00:00Z'))).toBe('2026-11-23')
    expect(readWeek(new URLSearchParams(), 'UTC', Date.parse('2026-11-30T03:00:00Z'))).toBe('2026-11-30')
  })

  it('snaps ?week= to its Monday and ignores a bad one', () => {
    expect(readWeek(new URLSearchParams('week=2026-12-03'), la)).toBe('2026-11-30')
    expect(readWeek(new URLSearchParams('week=soon'), la, Date.parse('2026-12-03T20:00:00Z'))).toBe('2026-11-30')
  })

  it('finds the week a window starts in', () => {
    expect(weekOf('2026-12-07T07:30:00Z', la)).toBe('2026-11-30')
    expect(weekOf('2026-12-07T08:30:00Z', la)).toBe('2026-12-07')
  })
})
