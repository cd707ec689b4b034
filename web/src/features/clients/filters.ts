// The client list's filters, kept in the URL so a reload or a shared link
// shows the same list.

export type Archived = '' | 'only' | 'all'

export interface ClientFilters {
  q: string
  /** '' current clients, 'only' archived ones, 'all' both. */
  archived: Archived
  tag: string
}

export const emptyClientFilters: ClientFilters = { q: '', archived: '', tag: '' }

export const archivedChoices: { value: Archived; label: string }[] = [
  { value: '', label: 'Current' },
  { value: 'only', label: 'Archived' },
  { value: 'all', label: 'All' },
]

export function clientFiltersFromParams(sp: URLSearchParams): ClientFilters {
  const a = sp.get('archived')
  return {
    q: (sp.get('q') ?? '').trim(),
    archived: a === 'only' || a === 'all' ? a : '',
    tag: (sp.get('tag') ?? '').trim().toLowerCase(),
  }
}

export function clientFiltersToParams(f: ClientFilters): URLSearchParams {
  const sp = new URLSearchParams()
  if (f.q.trim()) sp.set('q', f.q.trim())
  if (f.archived) sp.set('archived', f.archived)
  if (f.tag.trim()) sp.set('tag', f.tag.trim().toLowerCase())
  return sp
}

export function isFiltered(f: ClientFilters): boolean {
  return !!(f.q.trim() || f.archived || f.tag.trim())
}

/** The API query of the filters (empty values left out). */
export function clientQuery(f: ClientFilters): { q?: string; archived?: 'only' | 'all'; tag?: string } {
  const q: { q?: string; archived?: 'only' | 'all'; tag?: string } = {}
  if (f.q.trim()) q.q = f.q.trim()
  if (f.archived) q.archived = f.archived
  if (f.tag.trim()) q.tag = f.tag.trim().toLowerCase()
  return q
}
