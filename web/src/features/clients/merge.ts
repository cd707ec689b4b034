import type { MergedView, MergePreviewView } from './types'

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

/** What a merge moves (or would move), one sentence per kind; nothing for kinds with none. */
export function mergeLines(m: MergePreviewView | MergedView['moved']): string[] {
  const out: string[] = []
  const threads = m.threads + m.threadsJoined
  if (threads > 0) {
    let s = `${plural(threads, 'conversation', 'conversations')}`
    if (m.threadsJoined > 0) s += ` (${m.threadsJoined} joined into an existing conversation on the same number)`
    out.push(`${s}.`)
  }
  const history = 'history' in m ? m.history : 0
  if (history > 0) out.push(`${plural(history, 'message', 'messages')} of history.`)
  if (m.windows > 0) out.push(`${plural(m.windows, 'assignment window', 'assignment windows')}.`)
  if (m.phones > 0) out.push(`${plural(m.phones, 'phone number', 'phone numbers')}, kept as ${m.phones === 1 ? 'an extra number' : 'extra numbers'}.`)
  if (m.pets > 0) out.push(`${plural(m.pets, 'pet', 'pets')}.`)
  if (m.consentFollowed) out.push('Their opt-out: no texts to the merged client until they opt in again.')
  if (out.length === 0) out.push('Nothing but the record itself.')
  return out
}
