import { describe, expect, it } from 'vitest'
import { dragTimes, fractionOf, instantAt, layoutLane, slotAt, weekDays } from './layout'
import { dayStart, fromLocalInput, mondayOf, toLocalInput } from './time'

const la = 'America/Los_Angeles'
const iso = (local: string) => fromLocalInput(local, la)

describe('the week in the org zone', () => {
  it('starts on Monday at midnight there, seven days', () => {
    const days = weekDays('2026-11-30', la)
    expect(days.map((d) => d.key)).toEqual(['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05', '2026-12-06'])
    expect(new Date(days[0]!.start).toISOString()).toBe('2026-11-30T08:00:00.000Z')
    expect(days[6]!.end - days[0]!.start).toBe(7 * 24 * 3600 * 1000)
  })

  it('finds the Monday of any day', () => {
    expect(mondayOf('2026-12-06')).toBe('2026-11-30')
    expect(mondayOf('2026-11-30')).toBe('2026-11-30')
    expect(mondayOf('2027-01-01')).toBe('2026-12-28')
  })

  it('gives a 23-hour day its own equal column across the spring change', () => {
    // 2027-03-14 is the day clocks go forward in Los Angeles.
    const days = weekDays('2027-03-08', la)
    const sunday = days[6]!
    expect(sunday.end - sunday.start).toBe(23 * 3600 * 1000)
    // Noon wall time on that Sunday is 11 hours after its start: 11/23 of the column.
    const noon = Date.parse(iso('2027-03-14T12:00'))
    expect(fractionOf(noon, days)).toBeCloseTo((6 + 11 / 23) / 7, 6)
    expect(instantAt(fractionOf(noon, days), days)).toBeCloseTo(noon, -1)
  })

  it('clamps instants outside the week to its edges', () => {
    const days = weekDays('2026-11-30', la)
    expect(fractionOf(Date.parse('2026-11-01T00:00:00Z'), days)).toBe(0)
    expect(fractionOf(Date.parse('2027-01-01T00:00:00Z'), days)).toBe(1)
  })
})

describe('a lane', () => {
  const days = weekDays('2026-11-30', la)
  const w = (id: string, s: string, e: string) => ({ id, startsAt: iso(s), endsAt: iso(e) })

  it('stacks overlapping windows on separate tracks and reuses a freed one', () => {
    const { blocks, tracks } = layoutLane(
      [w('c', '2026-12-03T09:00', '2026-12-04T09:00'), w('a', '2026-12-01T00:00', '2026-12-03T00:00'), w('b', '2026-12-02T00:00', '2026-12-05T00:00')],
      days,
    )
    expect(tracks).toBe(2)
    expect(blocks.map((b) => [b.window.id, b.track])).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 0],
    ])
    expect(blocks[0]!.left).toBeCloseTo(1 / 7)
    expect(blocks[0]!.width).toBeCloseTo(2 / 7)
  })

  it('clips a window running past the week and says so; leaves out windows of other weeks', () => {
    const { blocks } = layoutLane([w('long', '2026-11-28T00:00', '2026-12-01T12:00'), w('gone', '2026-11-20T00:00', '2026-11-21T00:00')], days)
    expect(blocks).toHaveLength(1)
    expect(blocks[0]).toMatchObject({ left: 0, beforeWeek: true, afterWeek: false })
    expect(blocks[0]!.width).toBeCloseTo(1.5 / 7)
  })

  it('gives an empty lane one track', () => {
    expect(layoutLane([], days)).toEqual({ blocks: [], tracks: 1 })
  })
})

describe('dragging', () => {
  const days = weekDays('2026-11-30', la)
  const win = { startsAt: iso('2026-12-01T09:00'), endsAt: iso('2026-12-02T17:00') }
  const oneDay = 1 / 7

  it('moves the whole window by a day and keeps its length', () => {
    expect(dragTimes('move', win, 0.2, 0.2 + oneDay, days)).toEqual({ startsAt: iso('2026-12-02T09:00'), endsAt: iso('2026-12-03T17:00') })
  })

  it('puts a moved start on the half hour', () => {
    // 1 hour 10 minutes later rounds to 1 hour.
    const t = dragTimes('move', win, 0.3, 0.3 + (70 / 60 / 24) * oneDay, days)!
    expect(toLocalInput(Date.parse(t.startsAt), la)).toBe('2026-12-01T10:00')
    expect(toLocalInput(Date.parse(t.endsAt), la)).toBe('2026-12-02T18:00')
  })

  it('resizes the end alone, and never below half an hour', () => {
    expect(dragTimes('end', win, 0.4, 0.4 + oneDay / 2, days)).toEqual({ startsAt: win.startsAt, endsAt: iso('2026-12-03T05:00') })
    expect(dragTimes('end', win, 0.4, 0, days)).toEqual({ startsAt: win.startsAt, endsAt: iso('2026-12-01T09:30') })
  })

  it('resizes the start alone, never past the end', () => {
    expect(dragTimes('start', win, 0.2, 0.2 - oneDay / 4, days)).toEqual({ startsAt: iso('2026-12-01T03:00'), endsAt: win.endsAt })
    expect(dragTimes('start', win, 0.2, 1, days)).toEqual({ startsAt: iso('2026-12-02T16:30'), endsAt: win.endsAt })
  })

  it('is no change when the pointer comes back', () => {
    expect(dragTimes('move', win, 0.3, 0.3, days)).toBeNull()
  })

  it('turns a click into the start of that hour in the org zone', () => {
    // Three and a half hours into Wednesday.
    const f = (2 + 3.5 / 24) / 7
    expect(toLocalInput(slotAt(f, days, la), la)).toBe('2026-12-02T03:00')
  })
})

describe('datetime-local values in the org zone', () => {
  it('round-trip an instant', () => {
    expect(fromLocalInput('2026-12-01T09:30', la)).toBe('2026-12-01T17:30:00.000Z')
    expect(toLocalInput(Date.parse('2026-12-01T17:30:00Z'), la)).toBe('2026-12-01T09:30')
    expect(toLocalInput(Date.parse('2026-12-01T17:30:00Z'), 'Asia/Kolkata')).toBe('2026-12-01T23:00')
  })

  it('refuse what is not a time', () => {
    expect(fromLocalInput('', la)).toBe('')
    expect(fromLocalInput('2026-02-30T09:00', la)).toBe('')
    expect(fromLocalInput('tomorrow', la)).toBe('')
  })

  it('read midnight of a day in the zone', () => {
    expect(new Date(dayStart('2026-07-01', la)).toISOString()).toBe('2026-07-01T07:00:00.000Z')
  })
})
