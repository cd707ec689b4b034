import { activeFilterCount, emptyFilters, filtersFromParams, filtersToParams, threadQuery, zonedDayStart } from './filters'

describe('inbox filters', () => {
  it('round-trips through the URL and leaves defaults out', () => {
    const f = { view: 'failures' as const, sitterId: 'abc', from: '2026-11-01', to: '2026-11-30', q: ' biscuit ' }
    const sp = filtersToParams(f)
    expect(sp.toString()).toBe('view=failures&sitter=abc&from=2026-11-01&to=2026-11-30&q=biscuit')
    expect(filtersFromParams(sp)).toEqual({ ...f, q: 'biscuit' })
    expect(filtersToParams(emptyFilters).toString()).toBe('')
  })

  it('ignores what it does not understand in the URL', () => {
    expect(filtersFromParams(new URLSearchParams('view=everything&from=yesterday'))).toEqual(emptyFilters)
  })

  it.each([
    ['unread', { unread: true }],
    ['assigned', { assigned: true }],
    ['unassigned', { assigned: false }],
    ['violations', { violations: true }],
    ['failures', { failures: true }],
    ['all', {}],
  ] as const)('the %s view asks the API for %j', (view, want) => {
    expect(threadQuery({ ...emptyFilters, view })).toEqual(want)
  })

  it('turns a date range into whole days in the business time zone', () => {
    const q = threadQuery({ ...emptyFilters, from: '2026-11-01', to: '2026-11-03', sitterId: 's1', q: 'Sam' }, 'America/Los_Angeles')
    // Nov 1 is still daylight time (UTC-7); Nov 4 starts after the change (UTC-8).
    expect(q).toEqual({ from: '2026-11-01T07:00:00Z', to: '2026-11-04T08:00:00Z', sitterId: 's1', q: 'Sam' })
  })

  it('finds midnight across a daylight-saving change', () => {
    expect(zonedDayStart('2026-03-08', 'America/New_York').toISOString()).toBe('2026-03-08T05:00:00.000Z')
    expect(zonedDayStart('2026-03-09', 'America/New_York').toISOString()).toBe('2026-03-09T04:00:00.000Z')
    expect(zonedDayStart('2026-06-01', 'UTC').toISOString()).toBe('2026-06-01T00:00:00.000Z')
  })

  it('counts active filters', () => {
    expect(activeFilterCount(emptyFilters)).toBe(0)
    expect(activeFilterCount({ ...emptyFilters, view: 'unread', q: 'x' })).toBe(2)
    expect(activeFilterCount({ ...emptyFilters, q: '   ' })).toBe(0)
  })
})
