import { daysLeft, daysLeftWords, healthDetail, impactFacts, importProblem, importSummary, requestKey } from './words'

describe('the cooldown', () => {
  const now = new Date('2026-03-01T12:00:00Z')
  it('counts whole days left, rounded up', () => {
    expect(daysLeft('2026-03-15T12:00:00Z', now)).toBe(14)
    expect(daysLeft('2026-03-01T13:00:00Z', now)).toBe(1)
    expect(daysLeftWords('2026-03-02T11:00:00Z', now)).toBe('1 day left')
    expect(daysLeftWords('2026-03-08T12:00:00Z', now)).toBe('7 days left')
  })
  it('says so once it is over', () => {
    expect(daysLeft('2026-02-28T12:00:00Z', now)).toBe(0)
    expect(daysLeftWords('2026-03-01T12:00:00Z', now)).toBe('The cooldown is ending')
  })
})

describe('the impact of an action', () => {
  it('names conversations, clients and windows', () => {
    expect(impactFacts({ threads: 1, activeThreads: 1, clients: 1, activeWindows: 0, upcomingWindows: 2 })).toEqual([
      '1 conversation (1 active)',
      '1 client',
      '0 assignment windows in progress, 2 upcoming',
    ])
  })
})

describe('health in words', () => {
  it('explains the level', () => {
    expect(healthDetail({ level: 'green', errorRate: 0, attempts: 0, failed: 0, reputationErrors: 0 })).toBe('No texts sent in 7 days')
    expect(healthDetail({ level: 'red', errorRate: 0.125, attempts: 8, failed: 1, reputationErrors: 0 })).toBe('1 of 8 texts failed in 7 days (12.5%)')
  })
})

describe('the CSV import', () => {
  it('refuses a file before sending it when it cannot be a CSV', () => {
    expect(importProblem(null)).toMatch(/Choose a CSV/)
    expect(importProblem({ name: 'a.csv', size: 0 })).toMatch(/empty/)
    expect(importProblem({ name: 'a.xlsx', size: 10 })).toMatch(/\.csv/)
    expect(importProblem({ name: 'a.csv', size: 2 * 1024 * 1024 })).toMatch(/1 MB/)
    expect(importProblem({ name: 'numbers.CSV', size: 10 })).toBeNull()
  })
  it('sums up the lines', () => {
    expect(importSummary({ imported: 2, failed: 0, rows: [1, 2] })).toBe('All 2 lines imported.')
    expect(importSummary({ imported: 0, failed: 1, rows: [1] })).toMatch(/^None of the 1 line could/)
    expect(importSummary({ imported: 1, failed: 2, rows: [1, 2, 3] })).toMatch(/^1 of 3 lines imported; 2 could not be/)
  })
  it('makes request keys the API accepts', () => {
    const k = requestKey()
    expect(k).toMatch(/^[0-9a-f]{32}$/)
    expect(requestKey()).not.toBe(k)
  })
})
