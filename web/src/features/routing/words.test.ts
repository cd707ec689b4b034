import { describe, expect, it } from 'vitest'
import { clockWords, conditionWords, durationMinutes, isoToZoned, moveRule, reorder, ruleLabel, targetWords, timeLeft, zonedToISO, type Conditions } from './words'

const none: Conditions = { numberClasses: [], numberIds: [], clientTags: [], days: [], from: '', to: '', knownClient: null }
const custom = (when: Partial<Conditions>) => ({ kind: 'custom', when: { ...none, ...when } })

describe('conditionWords', () => {
  it('says every text when nothing is set', () => {
    expect(conditionWords(custom({}))).toBe('Every text')
  })
  it('reads sender, numbers, days and an overnight span as one sentence', () => {
    expect(conditionWords(custom({ knownClient: false, numberClasses: ['pool', 'front_desk'], days: ['sun', 'sat'], from: '18:00', to: '08:00' }))).toBe(
      'Texts from a new sender to a pool number or the front desk, on weekends, 6 PM to 8 AM (overnight)',
    )
  })
  it('names chosen numbers, tags and single days', () => {
    expect(conditionWords(custom({ numberIds: ['n1', 'n2'], clientTags: ['vip'], days: ['wed', 'mon'] }), { n1: "Sam's line" })).toBe(
      'Texts from a client tagged “vip” to Sam\'s line or a chosen number, on Mon or Wed',
    )
  })
  it('says weekdays for Monday to Friday, nothing for all seven days', () => {
    expect(conditionWords(custom({ days: ['mon', 'tue', 'wed', 'thu', 'fri'], knownClient: true }))).toBe('Texts from a known client, on weekdays')
    expect(conditionWords(custom({ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] }))).toBe('Every text')
  })
  it('describes the built-in rules', () => {
    expect(conditionWords({ kind: 'override', when: none })).toMatch(/active override/)
    expect(conditionWords({ kind: 'owner_inbox', when: none })).toMatch(/front desk and pool/)
  })
})

describe('clockWords and targetWords', () => {
  it('reads 24-hour times as people say them', () => {
    expect(clockWords('00:00')).toBe('12 AM')
    expect(clockWords('12:30')).toBe('12:30 PM')
    expect(clockWords('09:05')).toBe('9:05 AM')
  })
  it('names the sitter a rule sends to', () => {
    expect(targetWords({ kind: 'custom', target: { kind: 'sitter', sitterName: 'Sam Patel' } })).toMatch(/^Sam Patel/)
    expect(targetWords({ kind: 'custom', target: { kind: 'owner_inbox' } })).toBe('Owner inbox')
    expect(targetWords({ kind: 'sitter_window' })).toBe('That sitter')
  })
})

describe('moveRule', () => {
  const rules = [
    { id: 'ov', canMove: false },
    { id: 'sw', canMove: true },
    { id: 'a', canMove: true },
    { id: 'b', canMove: true },
    { id: 'inbox', canMove: false },
  ]
  it('swaps a rule with its neighbour', () => {
    expect(moveRule(rules, 'b', -1)).toEqual(['ov', 'sw', 'b', 'a', 'inbox'])
    expect(moveRule(rules, 'sw', 1)).toEqual(['ov', 'a', 'sw', 'b', 'inbox'])
  })
  it('never moves past the pinned override and owner inbox, nor the pinned rules themselves', () => {
    expect(moveRule(rules, 'sw', -1)).toBeNull()
    expect(moveRule(rules, 'b', 1)).toBeNull()
    expect(moveRule(rules, 'ov', 1)).toBeNull()
    expect(moveRule(rules, 'missing', 1)).toBeNull()
  })
  it('reorders objects by a list of IDs', () => {
    expect(reorder(rules, ['ov', 'b', 'a', 'sw', 'inbox']).map((r) => r.id)).toEqual(['ov', 'b', 'a', 'sw', 'inbox'])
  })
})

describe('timeLeft and durationMinutes', () => {
  const now = new Date('2026-12-01T10:00:00Z')
  it('counts down in the largest sensible units', () => {
    expect(timeLeft('2026-12-01T10:00:30Z', now)).toBe('30 s left')
    expect(timeLeft('2026-12-01T10:45:00Z', now)).toBe('45 min left')
    expect(timeLeft('2026-12-01T12:05:00Z', now)).toBe('2 h 5 min left')
    expect(timeLeft('2026-12-03T13:00:00Z', now)).toBe('2 d 3 h left')
    expect(timeLeft('2026-12-01T09:59:00Z', now)).toBe('ended')
  })
  it('turns an amount and unit into minutes', () => {
    expect(durationMinutes('2', 'hours')).toBe(120)
    expect(durationMinutes('1.5', 'days')).toBe(2160)
    expect(durationMinutes('', 'minutes')).toBe(0)
    expect(durationMinutes('-3', 'minutes')).toBe(0)
  })
})

describe('times in the business zone', () => {
  it('reads a wall-clock time in the zone as the right instant, across daylight saving', () => {
    expect(zonedToISO('2026-12-05T18:30', 'America/Los_Angeles')).toBe('2026-12-06T02:30:00Z')
    expect(zonedToISO('2026-07-05T18:30', 'America/Los_Angeles')).toBe('2026-07-06T01:30:00Z')
    expect(zonedToISO('2026-12-05T18:30', 'Europe/Paris')).toBe('2026-12-05T17:30:00Z')
    expect(zonedToISO('nonsense', 'UTC')).toBeNull()
  })
  it('writes an instant back as the zone’s wall clock', () => {
    expect(isoToZoned('2026-12-06T02:30:00Z', 'America/Los_Angeles')).toBe('2026-12-05T18:30')
    expect(isoToZoned(zonedToISO('2026-03-08T12:00', 'America/New_York')!, 'America/New_York')).toBe('2026-03-08T12:00')
  })
})

describe('ruleLabel', () => {
  it('names the rule of a decision stored before rules had names', () => {
    expect(ruleLabel(undefined, 'sitter_window')).toBe('Sitter with an active window')
    expect(ruleLabel('', 'override')).toBe('Active override')
    expect(ruleLabel('Weekends to me', 'custom')).toBe('Weekends to me')
    expect(ruleLabel(undefined, 'something_new')).toBe('something new')
  })
})
