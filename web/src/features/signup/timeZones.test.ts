import { browserTimeZone, nowIn, zoneGroups, zoneLabel } from './timeZones'

describe('time zone picker', () => {
  it('groups zones by region with readable labels', () => {
    const groups = zoneGroups('', ['Europe/London', 'America/New_York', 'America/Argentina/Buenos_Aires', 'UTC'])
    expect(groups.map((g) => g.region)).toEqual(['America', 'Europe', 'Other'])
    expect(groups[0]!.zones.map((z) => z.label)).toEqual(['Argentina / Buenos Aires', 'New York'])
    expect(zoneLabel('America/Los_Angeles')).toBe('Los Angeles')
  })

  it("always offers the current zone, even one the browser's list lacks", () => {
    const groups = zoneGroups('Asia/Calcutta', ['Asia/Kolkata'])
    expect(groups[0]!.zones.map((z) => z.value)).toEqual(['Asia/Calcutta', 'Asia/Kolkata'])
  })

  it('defaults to a zone the API accepts', () => {
    const tz = browserTimeZone()
    expect(tz === 'UTC' || tz.includes('/')).toBe(true)
  })

  it('shows the time there to confirm the choice, nothing for an unknown zone', () => {
    const at = new Date('2026-12-01T17:05:00Z')
    expect(nowIn('America/New_York', at)).toMatch(/12:05/)
    expect(nowIn('Mars/Olympus', at)).toBe('')
  })
})
