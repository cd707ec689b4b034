// The inventory's filters and sort, kept in the URL so a reload or a
// shared link shows the same table, and turned into the API's query (the
// same query serves the table and its CSV download).
import type { NumberView } from './types'

export type SortKey = 'e164' | 'class' | 'status' | 'assignedTo' | 'health' | 'lastUsedAt' | 'volume7d'
export type SortDir = 'asc' | 'desc'

export interface NumberFilters {
  q: string
  class: '' | 'front_desk' | 'sitter' | 'pool'
  status: '' | 'active' | 'quarantined' | 'inactive' | 'released'
  assignedTo: '' | 'front_desk' | 'sitter' | 'clients' | 'pool' | 'unassigned'
  health: '' | 'green' | 'yellow' | 'red'
  /** Unused for at least this many days (or never used). */
  idleDays: string
  sort: SortKey
  dir: SortDir
}

export const emptyNumberFilters: NumberFilters = { q: '', class: '', status: '', assignedTo: '', health: '', idleDays: '', sort: 'e164', dir: 'asc' }

export const classChoices = [
  { value: 'front_desk', label: 'Front desk' },
  { value: 'sitter', label: 'Sitter' },
  { value: 'pool', label: 'Pool' },
] as const
export const statusChoices = [
  { value: 'active', label: 'Active' },
  { value: 'quarantined', label: 'Quarantined' },
  { value: 'inactive', label: 'Inactive' },
  { value: 'released', label: 'Released' },
] as const
export const assignedChoices = [
  { value: 'front_desk', label: 'Front desk' },
  { value: 'sitter', label: 'A sitter' },
  { value: 'clients', label: 'Client conversations (pool)' },
  { value: 'pool', label: 'Idle in the pool' },
  { value: 'unassigned', label: 'Unassigned' },
] as const
export const healthChoices = [
  { value: 'green', label: 'Healthy' },
  { value: 'yellow', label: 'Some failures' },
  { value: 'red', label: 'Failing' },
] as const

const sortKeys: SortKey[] = ['e164', 'class', 'status', 'assignedTo', 'health', 'lastUsedAt', 'volume7d']

function oneOf<T extends string>(v: string | null, allowed: readonly { value: T }[]): T | '' {
  return allowed.some((c) => c.value === v) ? (v as T) : ''
}

export function numberFiltersFromParams(sp: URLSearchParams): NumberFilters {
  const idle = (sp.get('idleDays') ?? '').trim()
  const sort = sp.get('sort') as SortKey
  return {
    q: (sp.get('q') ?? '').trim(),
    class: oneOf(sp.get('class'), classChoices),
    status: oneOf(sp.get('status'), statusChoices),
    assignedTo: oneOf(sp.get('assignedTo'), assignedChoices),
    health: oneOf(sp.get('health'), healthChoices),
    idleDays: /^\d{1,4}$/.test(idle) ? String(Number(idle)) : '',
    sort: sortKeys.includes(sort) ? sort : 'e164',
    dir: sp.get('dir') === 'desc' ? 'desc' : 'asc',
  }
}

export function numberFiltersToParams(f: NumberFilters): URLSearchParams {
  const sp = new URLSearchParams()
  for (const [k, v] of Object.entries(numberQuery(f))) sp.set(k, v)
  if (f.sort !== 'e164') sp.set('sort', f.sort)
  if (f.dir !== 'asc') sp.set('dir', f.dir)
  return sp
}

export function isFiltered(f: NumberFilters): boolean {
  return Object.keys(numberQuery(f)).length > 0
}

/** The API's query of the filters (empty values left out); the sort is the table's own. */
export function numberQuery(f: NumberFilters): Record<string, string> {
  const q: Record<string, string> = {}
  if (f.q.trim()) q.q = f.q.trim()
  if (f.class) q.class = f.class
  if (f.status) q.status = f.status
  if (f.assignedTo) q.assignedTo = f.assignedTo
  if (f.health) q.health = f.health
  if (f.idleDays) q.idleDays = f.idleDays
  return q
}

/** The CSV download of exactly the numbers the filters show. */
export function numbersCSVPath(f: NumberFilters): string {
  const sp = new URLSearchParams(numberQuery(f))
  sp.set('format', 'csv')
  return `/api/v1/numbers?${sp.toString()}`
}

const healthRank: Record<string, number> = { green: 0, yellow: 1, red: 2 }
const classRank: Record<string, number> = { front_desk: 0, sitter: 1, pool: 2 }

function compare(a: NumberView, b: NumberView, key: SortKey): number {
  switch (key) {
    case 'class':
      return (classRank[a.class] ?? 3) - (classRank[b.class] ?? 3)
    case 'status':
      return a.status.localeCompare(b.status)
    case 'assignedTo':
      return a.assignedTo.label.localeCompare(b.assignedTo.label)
    case 'health':
      return (healthRank[a.health.level] ?? 0) - (healthRank[b.health.level] ?? 0) || a.health.errorRate - b.health.errorRate
    case 'lastUsedAt': {
      // Never used sorts as the oldest.
      const t = (v: NumberView) => (v.lastUsedAt ? new Date(v.lastUsedAt).getTime() : 0)
      return t(a) - t(b)
    }
    case 'volume7d':
      return a.volume7d - b.volume7d
    default:
      return a.e164.localeCompare(b.e164)
  }
}

/** The rows in the table's order: by the column, ties by number so the order is stable. */
export function sortNumbers(rows: NumberView[], key: SortKey, dir: SortDir): NumberView[] {
  const sign = dir === 'desc' ? -1 : 1
  return [...rows].sort((a, b) => sign * compare(a, b, key) || a.e164.localeCompare(b.e164))
}

/** The next sort when a column header is clicked: the same column flips, another starts ascending. */
export function nextSort(f: Pick<NumberFilters, 'sort' | 'dir'>, key: SortKey): { sort: SortKey; dir: SortDir } {
  if (f.sort === key) return { sort: key, dir: f.dir === 'asc' ? 'desc' : 'asc' }
  return { sort: key, dir: key === 'volume7d' || key === 'lastUsedAt' ? 'desc' : 'asc' }
}
