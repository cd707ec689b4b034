// Wall-clock time in the org's time zone, with Intl only: days as
// YYYY-MM-DD keys, the instant a wall time means there, and the value of a
// datetime-local input ("2026-12-01T09:00") for an instant.

const partsFormat = new Map<string, Intl.DateTimeFormat>()

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = partsFormat.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    })
    partsFormat.set(timeZone, f)
  }
  return f
}

export interface WallTime {
  year: number
  month: number
  day: number
  hour: number
  minute: number
}

/** The wall time at instant ms in timeZone. */
export function wallTime(ms: number, timeZone: string): WallTime {
  const parts = formatter(timeZone).formatToParts(new Date(ms))
  const n = (t: string) => Number(parts.find((p) => p.type === t)?.value)
  return { year: n('year'), month: n('month'), day: n('day'), hour: n('hour') % 24, minute: n('minute') }
}

/** The offset of timeZone from UTC at instant ms, in ms. */
function offset(ms: number, timeZone: string): number {
  const w = wallTime(ms, timeZone)
  const asUTC = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute)
  return asUTC - Math.floor(ms / 60000) * 60000
}

/**
 * The instant a wall time means in timeZone. A time that a daylight-saving
 * change skips lands after the gap; a repeated one takes its first instant.
 */
export function instantOf(w: WallTime, timeZone: string): number {
  const guess = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute)
  const first = guess - offset(guess, timeZone)
  const second = guess - offset(first, timeZone)
  if (first === second) return first
  // Next to a change: prefer the earlier reading that shows the wall time.
  const [a, b] = first < second ? [first, second] : [second, first]
  const shows = (t: number) => {
    const x = wallTime(t, timeZone)
    return x.hour === w.hour && x.minute === w.minute
  }
  if (shows(a)) return a
  if (shows(b)) return b
  return Math.max(a, b)
}

const pad = (n: number, len = 2) => String(n).padStart(len, '0')

/** The day (YYYY-MM-DD) of instant ms in timeZone. */
export function dayKeyOf(ms: number, timeZone: string): string {
  const w = wallTime(ms, timeZone)
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`
}

export function parseDayKey(key: string): { year: number; month: number; day: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(key)
  if (!m) return null
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  if (d.getUTCMonth() !== Number(m[2]) - 1) return null
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }
}

export function isDayKey(key: string): boolean {
  return parseDayKey(key) !== null
}

/** The day n days after key (n may be negative). */
export function addDays(key: string, n: number): string {
  const p = parseDayKey(key)
  if (!p) return key
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day + n))
  return d.toISOString().slice(0, 10)
}

/** The Monday of key's week. */
export function mondayOf(key: string): string {
  const p = parseDayKey(key)
  if (!p) return key
  const weekday = (new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay() + 6) % 7
  return addDays(key, -weekday)
}

/** The instant day key starts (midnight) in timeZone. */
export function dayStart(key: string, timeZone: string): number {
  const p = parseDayKey(key)
  if (!p) return NaN
  return instantOf({ ...p, hour: 0, minute: 0 }, timeZone)
}

/** A datetime-local value for instant ms in timeZone. */
export function toLocalInput(ms: number, timeZone: string): string {
  if (!Number.isFinite(ms)) return ''
  const w = wallTime(ms, timeZone)
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`
}

/** The ISO 8601 instant a datetime-local value means in timeZone; '' when it is not one. */
export function fromLocalInput(value: string, timeZone: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value.trim())
  if (!m || !parseDayKey(`${m[1]}-${m[2]}-${m[3]}`)) return ''
  const [hour, minute] = [Number(m[4]), Number(m[5])]
  if (hour > 23 || minute > 59) return ''
  const t = instantOf({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour, minute }, timeZone)
  return new Date(t).toISOString()
}
