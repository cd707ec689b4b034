import { formatDateTime } from '../../lib/format'
import type { ClientView } from './types'

const sources: Record<string, string> = {
  first_text: 'since their first text',
  keyword: 'by texting',
  staff: 'as recorded by staff',
  import: 'from a CSV import',
  merge: 'carried over in a merge',
}

/** "Opted out by texting STOP on Dec 1, 3:04 PM PST." */
export function consentSentence(c: ClientView['consent'], timeZone?: string): string {
  const state = c.status === 'opted_out' ? 'Opted out' : 'Opted in'
  let how = sources[c.source] ?? c.source
  if (c.source === 'keyword') how = `by texting ${c.keyword || (c.status === 'opted_out' ? 'STOP' : 'START')}`
  const when = c.at && !c.at.startsWith('0001-') ? ` on ${formatDateTime(c.at, timeZone)}` : ''
  return `${state} ${how}${when}.`
}
