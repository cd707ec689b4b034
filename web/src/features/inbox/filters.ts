// The inbox's filters: kept in the URL (a reload or a shared link shows
// the same list) and turned into the API's thread query.

export const views = ['all', 'unread', 'assigned', 'unassigned', 'violations', 'failures'] as const
export type View = (typeof views)[number]

export const viewLabels: Record<View, string> = {
  all: 'All',
  unread: 'Unread',
  assigned: 'Assigned',
  unassigned: 'Unassigned',
  violations: 'Policy violation',
  failures: 'Delivery failure',
}

export interface Filters {
  view: View
  sitterId: string
  /** Dates as YYYY-MM-DD in the business's time zone, inclusive. */
  from: string
  to: string
  q: string
}

export const emptyFilters: Filters = { view: 'all', sitterId: '', from: '', to: '', q: '' }

const datePattern = /^\d{4}-\d{2}-\d{2}$/

export function filtersFromParams(sp: URLSearchParams): Filters {
  const view = sp.get('view') as View | null
  const date = (k: string) => {
    const v = sp.get(k) ?? ''
    return datePattern.test(v) ? v : ''
  }
  return {
    view: view && (views as readonly string[]).includes(view) ? view : 'all',
    sitterId: sp.get('sitter') ?? '',
    from: date('from'),
    to: date('to'),
    q: sp.get('q') ?? '',
  }
}

export function filtersToParams(f: Filters): URLSearchParams {
  const sp = new URLSearchParams()
  if (f.view !== 'all') sp.set('view', f.view)
  if (f.sitterId) sp.set('sitter', f.sitterId)
  if (f.from) sp.set('from', f.from)
  if (f.to) sp.set('to', f.to)
  if (f.q.trim()) sp.set('q', f.q.trim())
  return sp
}

export function activeFilterCount(f: Filters): number {
  return [f.view !== 'all', !!f.sitterId, !!f.from, !!f.to, !!f.q.trim()].filter(Boolean).length
}

export type ThreadQuery = Partial<Record<'unread' | 'assigned' | 'violations' | 'failures', boolean>> &
  Partial<Record<'sitterId' | 'from' | 'to' | 'q', string>>

/** The API query of the filters; dates are whole days in timeZone. */
export function threadQuery(f: Filters, timeZone?: string): ThreadQuery {
  const q: ThreadQuery = {}
  switch (f.view) {
    case 'unread':
      q.unread = true
      break
    case 'assigned':
      q.assigned = true
      break
    case 'unassigned':
      q.assigned = false
      break
    case 'violations':
      q.violations = true
      break
    case 'failures':
      q.failures = true
      break
  }
  if (f.sitterId) q.sitterId = f.sitterId
  if (f.from) q.from = zonedDayStart(f.from, timeZone).toISOString().replace('.000Z', 'Z')
  if (f.to) q.to = zonedDayStart(nextDay(f.to), timeZone).toISOString().replace('.000Z', 'Z')
  if (f.q.trim()) q.q = f.q.trim()
  return q
}

function nextDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10)
}

/** How far the wall clock in timeZone is ahead of UTC at instant t, in ms. */
function zoneOffset(t: number, timeZone?: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(t))
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second'))
  return wall - Math.floor(t / 1000) * 1000
}

/** The instant a calendar day starts in timeZone (midnight local time). */
export function zonedDayStart(date: string, timeZone?: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const guess = Date.UTC(y, m - 1, d)
  let t = guess - zoneOffset(guess, timeZone)
  // Correct once more across a daylight-saving change.
  t = guess - zoneOffset(t, timeZone)
  return new Date(t)
}
