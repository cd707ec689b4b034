import { isFiltered, nextSort, numberFiltersFromParams, numberFiltersToParams, numbersCSVPath, sortNumbers } from './filters'
import type { NumberView } from './types'

function n(e164: string, over: Partial<NumberView> = {}): NumberView {
  return {
    id: e164, e164, display: e164, friendlyName: '', class: 'pool', status: 'active', threads: 0, activeThreads: 0, volume7d: 0, webhookStatus: 'installed',
    createdAt: '2026-01-01T00:00:00Z', lastUsedAt: null,
    assignedTo: { kind: 'pool', label: 'Pool', threadCount: 0 },
    health: { level: 'green', errorRate: 0, attempts: 0, failed: 0, reputationErrors: 0 },
    ...over,
  } as NumberView
}

describe('the inventory filters in the URL', () => {
  it('reads what it wrote, and leaves defaults out of the URL', () => {
    const f = numberFiltersFromParams(new URLSearchParams('class=pool&health=red&q=415&sort=volume7d&dir=desc&idleDays=30'))
    expect(f).toMatchObject({ class: 'pool', health: 'red', q: '415', sort: 'volume7d', dir: 'desc', idleDays: '30' })
    expect(numberFiltersFromParams(numberFiltersToParams(f))).toEqual(f)
    expect(numberFiltersToParams(numberFiltersFromParams(new URLSearchParams(''))).toString()).toBe('')
  })
  it('ignores values the API would refuse', () => {
    const f = numberFiltersFromParams(new URLSearchParams('class=vip&status=gone&health=blue&idleDays=-3&sort=price&dir=up'))
    expect(f).toEqual(numberFiltersFromParams(new URLSearchParams('')))
    expect(isFiltered(f)).toBe(false)
  })
  it('downloads the CSV of the same filters, without the table-only sort', () => {
    const f = numberFiltersFromParams(new URLSearchParams('status=quarantined&q=Sam&sort=health'))
    expect(numbersCSVPath(f)).toBe('/api/v1/numbers?q=Sam&status=quarantined&format=csv')
  })
})

describe('sorting the inventory', () => {
  const rows = [
    n('+14155550103', { volume7d: 5, lastUsedAt: '2026-03-01T10:00:00Z', health: { level: 'red', errorRate: 0.5, attempts: 10, failed: 5, reputationErrors: 0 } }),
    n('+14155550100', { class: 'front_desk', volume7d: 40, lastUsedAt: '2026-03-02T10:00:00Z' }),
    n('+14155550104', { volume7d: 5 }),
    n('+14155550101', { class: 'sitter', volume7d: 12, health: { level: 'yellow', errorRate: 0.1, attempts: 10, failed: 1, reputationErrors: 0 } }),
  ]
  const order = (key: Parameters<typeof sortNumbers>[1], dir: 'asc' | 'desc') => sortNumbers(rows, key, dir).map((r) => r.e164)
  it('orders by volume with ties by number, both ways', () => {
    expect(order('volume7d', 'desc')).toEqual(['+14155550100', '+14155550101', '+14155550103', '+14155550104'])
    expect(order('volume7d', 'asc')).toEqual(['+14155550103', '+14155550104', '+14155550101', '+14155550100'])
  })
  it('puts failing numbers last in health order and never-used numbers oldest', () => {
    expect(order('health', 'asc')).toEqual(['+14155550100', '+14155550104', '+14155550101', '+14155550103'])
    expect(order('lastUsedAt', 'desc')[0]).toBe('+14155550100')
    expect(order('lastUsedAt', 'asc').slice(0, 2)).toEqual(['+14155550101', '+14155550104'])
  })
  it('orders classes front desk, sitter, pool', () => {
    expect(order('class', 'asc')).toEqual(['+14155550100', '+14155550101', '+14155550103', '+14155550104'])
  })
  it('flips the same column and starts busy-first on volume', () => {
    expect(nextSort({ sort: 'e164', dir: 'asc' }, 'e164')).toEqual({ sort: 'e164', dir: 'desc' })
    expect(nextSort({ sort: 'e164', dir: 'asc' }, 'volume7d')).toEqual({ sort: 'volume7d', dir: 'desc' })
    expect(nextSort({ sort: 'volume7d', dir: 'desc' }, 'status')).toEqual({ sort: 'status', dir: 'asc' })
  })
})
