// The time zone picker's choices: every IANA zone the browser knows,
// grouped by region, with the browser's own zone first so a business
// usually keeps the default.

/** The browser's time zone, or "" when it has none usable (such as an offset). */
export function browserTimeZone(): string {
  try {
    const tz = Intl.DateTimeFormat().resolvedOptions().timeZone
    return tz && (tz.includes('/') || tz === 'UTC') ? tz : ''
  } catch {
    return ''
  }
}

const fallbackZones = [
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Phoenix',
  'America/Los_Angeles',
  'America/Anchorage',
  'Pacific/Honolulu',
  'America/Toronto',
  'America/Vancouver',
  'Europe/London',
  'Europe/Dublin',
  'Europe/Paris',
  'Europe/Berlin',
  'Australia/Sydney',
  'Pacific/Auckland',
  'UTC',
]

export interface ZoneGroup {
  region: string
  zones: { value: string; label: string }[]
}

/** "America/Argentina/Buenos_Aires" → "Argentina / Buenos Aires". */
export function zoneLabel(zone: string): string {
  const parts = zone.split('/')
  const rest = parts.length > 1 ? parts.slice(1) : parts
  return rest.join(' / ').replace(/_/g, ' ')
}

/** The zones by region (Africa, America, …), sorted; `current` is always present. */
export function zoneGroups(current: string, all: string[] = supportedZones()): ZoneGroup[] {
  const zones = new Set(all)
  if (current) zones.add(current)
  const byRegion = new Map<string, string[]>()
  for (const z of zones) {
    const region = z.includes('/') ? (z.split('/')[0] ?? 'Other') : 'Other'
    byRegion.set(region, [...(byRegion.get(region) ?? []), z])
  }
  return [...byRegion.entries()]
    .sort(([a], [b]) => (a === 'Other' ? 1 : b === 'Other' ? -1 : a.localeCompare(b)))
    .map(([region, zs]) => ({
      region,
      zones: zs.sort((a, b) => zoneLabel(a).localeCompare(zoneLabel(b))).map((z) => ({ value: z, label: zoneLabel(z) })),
    }))
}

function supportedZones(): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (k: string) => string[] }
  try {
    const zs = intl.supportedValuesOf?.('timeZone')
    if (zs && zs.length > 0) return [...zs, 'UTC']
  } catch {
    // an older browser: the short list
  }
  return fallbackZones
}

/** The current time in a zone ("9:41 AM"), to confirm the choice; "" when the zone is unknown. */
export function nowIn(zone: string, now = new Date()): string {
  try {
    return new Intl.DateTimeFormat(undefined, { timeZone: zone, hour: 'numeric', minute: '2-digit' }).format(now)
  } catch {
    return ''
  }
}
