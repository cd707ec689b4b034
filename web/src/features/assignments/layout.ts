// The week calendar's maths, kept pure: the seven days of a week in the
// org's zone, where an instant falls across them (each day one equal
// column, even a 23- or 25-hour day), the blocks of a sitter's lane
// stacked so overlapping windows never cover each other, and the times a
// drag or a resize gives.

import { addDays, dayStart, instantOf, wallTime } from './time'

export interface Day {
  /** YYYY-MM-DD in the org's zone. */
  key: string
  start: number
  end: number
}

/** The seven days from monday (a day key), as instants in timeZone. */
export function weekDays(monday: string, timeZone: string): Day[] {
  const days: Day[] = []
  for (let i = 0; i < 7; i++) {
    const key = addDays(monday, i)
    days.push({ key, start: dayStart(key, timeZone), end: dayStart(addDays(key, 1), timeZone) })
  }
  return days
}

/** Where instant ms falls across days, from 0 (the first day's start) to 1 (the last day's end), clamped. */
export function fractionOf(ms: number, days: Day[]): number {
  if (days.length === 0) return 0
  if (ms <= days[0]!.start) return 0
  if (ms >= days[days.length - 1]!.end) return 1
  const i = days.findIndex((d) => ms < d.end)
  const d = days[i]!
  return (i + (ms - d.start) / (d.end - d.start)) / days.length
}

/** The instant at fraction f across days (the inverse of fractionOf); beyond the week it goes on at the edge days' length. */
export function instantAt(f: number, days: Day[]): number {
  const n = days.length
  const x = f * n
  const i = Math.min(Math.max(Math.floor(x), 0), n - 1)
  const d = days[i]!
  return d.start + (x - i) * (d.end - d.start)
}

export interface Span {
  id: string
  startsAt: string
  endsAt: string
}

export interface Block<W extends Span> {
  window: W
  /** Left edge and width as fractions of the week. */
  left: number
  width: number
  /** The row within the lane (0 first), so overlapping windows stack. */
  track: number
  /** The window goes on before the week's start or after its end. */
  beforeWeek: boolean
  afterWeek: boolean
}

/** The blocks of one lane: windows that touch the week, earliest first, each on the first track free at its start. */
export function layoutLane<W extends Span>(windows: W[], days: Day[]): { blocks: Block<W>[]; tracks: number } {
  if (days.length === 0) return { blocks: [], tracks: 1 }
  const weekStart = days[0]!.start
  const weekEnd = days[days.length - 1]!.end
  const inWeek = windows
    .map((w) => ({ w, s: Date.parse(w.startsAt), e: Date.parse(w.endsAt) }))
    .filter(({ s, e }) => e > weekStart && s < weekEnd && e > s)
    .sort((a, b) => a.s - b.s || a.e - b.e || a.w.id.localeCompare(b.w.id))
  const trackEnds: number[] = []
  const blocks = inWeek.map(({ w, s, e }) => {
    let track = trackEnds.findIndex((end) => end <= s)
    if (track === -1) {
      track = trackEnds.length
      trackEnds.push(e)
    } else trackEnds[track] = e
    const left = fractionOf(s, days)
    return { window: w, left, width: fractionOf(e, days) - left, track, beforeWeek: s < weekStart, afterWeek: e > weekEnd }
  })
  return { blocks, tracks: Math.max(trackEnds.length, 1) }
}

export type DragMode = 'move' | 'start' | 'end'

export const snapMinutes = 30
const minute = 60_000
/** The shortest window a resize leaves. */
export const minLength = snapMinutes * minute

function snap(ms: number, step = snapMinutes * minute): number {
  return Math.round(ms / step) * step
}

/**
 * The times a drag gives: the pointer went from fraction `from` to `to` of
 * the week. A move keeps the length and puts the start on the half hour;
 * a resize puts the dragged edge on the half hour and keeps at least half
 * an hour. Null when nothing moved.
 */
export function dragTimes(mode: DragMode, window: { startsAt: string; endsAt: string }, from: number, to: number, days: Day[]): { startsAt: string; endsAt: string } | null {
  const s = Date.parse(window.startsAt)
  const e = Date.parse(window.endsAt)
  const delta = instantAt(to, days) - instantAt(from, days)
  let ns = s
  let ne = e
  if (mode === 'move') {
    ns = snap(s + delta)
    ne = ns + (e - s)
  } else if (mode === 'start') {
    ns = Math.min(snap(s + delta), e - minLength)
  } else {
    ne = Math.max(snap(e + delta), s + minLength)
  }
  if (ns === s && ne === e) return null
  return { startsAt: new Date(ns).toISOString(), endsAt: new Date(ne).toISOString() }
}

/** The hour a click at fraction f of the week means: the start of that hour in the org's zone. */
export function slotAt(f: number, days: Day[], timeZone: string): number {
  const w = wallTime(instantAt(Math.min(Math.max(f, 0), 0.99999), days), timeZone)
  return instantOf({ ...w, minute: 0 }, timeZone)
}
