// The window list's filters, kept in the URL (so a view can be shared or
// bookmarked) and turned into the API's query; and the calendar's week.

import { addDays, dayKeyOf, dayStart, isDayKey, mondayOf } from './time'

export const statuses = ['scheduled', 'active', 'ended', 'cancelled'] as const
export type WindowStatus = (typeof statuses)[number]

export const statusLabels: Record<WindowStatus, string> = {
  scheduled: 'Scheduled',
  active: 'Active',
  ended: 'Ended',
  cancelled: 'Cancelled',
}

export interface ListFilters {
  sitterId: string
  clientId: string
  status: WindowStatus | ''
  /** Days (YYYY-MM-DD) in the org's zone, both included. */
  from: string
  to: string
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The filters in params; anything that is not a valid value is left out. */
export function readListFilters(params: URLSearchParams): ListFilters {
  const id = (k: string) => {
    const v = params.get(k) ?? ''
    return uuidPattern.test(v) ? v : ''
  }
  const day = (k: string) => {
    const v = params.get(k) ?? ''
    return isDayKey(v) ? v : ''
  }
  const status = params.get('status') ?? ''
  return {
    sitterId: id('sitter'),
    clientId: id('client'),
    status: (statuses as readonly string[]).includes(status) ? (status as WindowStatus) : '',
    from: day('from'),
    to: day('to'),
  }
}

/** params with the filters written in (empty ones removed); other parameters are kept. */
export function writeListFilters(f: ListFilters, params = new URLSearchParams()): URLSearchParams {
  const p = new URLSearchParams(params)
  const set = (k: string, v: string) => (v ? p.set(k, v) : p.delete(k))
  set('sitter', f.sitterId)
  set('client', f.clientId)
  set('status', f.status)
  set('from', f.from)
  set('to', f.to)
  return p
}

export function hasFilters(f: ListFilters): boolean {
  return !!(f.sitterId || f.clientId || f.status || f.from || f.to)
}

export interface WindowQuery {
  sitterId?: string
  clientId?: string
  status?: WindowStatus
  includeCancelled?: boolean
  from?: string
  to?: string
}

/** The API's query: days become instants in the org's zone ("to" includes its whole day); cancelled windows are listed too. */
export function listQuery(f: ListFilters, timeZone: string): WindowQuery {
  const q: WindowQuery = { includeCancelled: true }
  if (f.sitterId) q.sitterId = f.sitterId
  if (f.clientId) q.clientId = f.clientId
  if (f.status) q.status = f.status
  if (f.from) q.from = new Date(dayStart(f.from, timeZone)).toISOString()
  if (f.to) q.to = new Date(dayStart(addDays(f.to, 1), timeZone)).toISOString()
  return q
}

/** The calendar's week (its Monday) from ?week=, or this week in the org's zone. */
export function readWeek(params: URLSearchParams, timeZone: string, now = Date.now()): string {
  const w = params.get('week') ?? ''
  return isDayKey(w) ? mondayOf(w) : mondayOf(dayKeyOf(now, timeZone))
}

/** The week (its Monday) that instant iso falls in. */
export function weekOf(iso: string, timeZone: string): string {
  return mondayOf(dayKeyOf(Date.parse(iso), timeZone))
}
