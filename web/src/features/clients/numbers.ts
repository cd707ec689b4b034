import { formatPhone } from '../../lib/format'
import type { NumberView } from './types'

const classOrder: Record<string, number> = { front_desk: 0, pool: 1, sitter: 2 }
const classWords: Record<string, string> = { front_desk: 'Front desk', pool: 'Pool', sitter: 'Sitter line' }

export interface NumberChoice {
  id: string
  label: string
}

/** The active business numbers to text from: the front desk first, then the pool, then sitters' lines. */
export function numberChoices(numbers: NumberView[]): NumberChoice[] {
  return numbers
    .filter((n) => n.status === 'active')
    .sort((a, b) => (classOrder[a.class] ?? 9) - (classOrder[b.class] ?? 9) || a.e164.localeCompare(b.e164))
    .map((n) => {
      const kind = classWords[n.class] ?? n.class
      const name = n.friendlyName && n.friendlyName !== kind ? `${kind}: ${n.friendlyName}` : kind
      return { id: n.id, label: `${name} · ${n.display || formatPhone(n.e164)}` }
    })
}
