import type { Tone } from '../../components/ui'

// A violation's type and status in plain words.

export const kindWords: Record<string, string> = {
  phone_number: 'Phone number',
  email: 'Email address',
  payment_app: 'Outside payment app',
  contact_request: 'Asks to talk elsewhere',
}

export function kindsLabel(kinds: string[]): string {
  if (kinds.length === 0) return 'Policy'
  return kinds.map((k) => kindWords[k] ?? k.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase())).join(', ')
}

export const statusWords: Record<string, { label: string; tone: Tone }> = {
  open: { label: 'Needs review', tone: 'warning' },
  dismissed: { label: 'Dismissed', tone: 'neutral' },
  overridden: { label: 'Sent anyway', tone: 'info' },
}

export const statusTabs = [
  { value: 'open', label: 'Needs review' },
  { value: 'dismissed', label: 'Dismissed' },
  { value: 'overridden', label: 'Sent anyway' },
  { value: '', label: 'All' },
] as const

/** The status filter of the URL (?status=…); open when absent. */
export function statusFromParams(sp: URLSearchParams): '' | 'open' | 'dismissed' | 'overridden' {
  const s = sp.get('status')
  if (s === 'all') return ''
  return s === 'dismissed' || s === 'overridden' ? s : 'open'
}

/** Why an override may not go out as typed (the API asks for a reason), or null. */
export function overrideProblem(reason: string): string | null {
  const r = reason.trim()
  if (!r) return 'Say why this message may be sent anyway.'
  if (r.length > 1000) return 'Keep the reason under 1,000 characters.'
  return null
}
