import type { AlertView } from '../../lib/api/types'

/** Where an alert leads: the conversation it is about. (Numbers get a page, and a link, with the numbers pages.) */
export function alertLink(a: Pick<AlertView, 'entityType' | 'entityId' | 'threadId'>): { to: string; label: string } | null {
  if (a.threadId) return { to: `/inbox/${a.threadId}`, label: 'Open the conversation' }
  if (a.entityType === 'thread' && a.entityId) return { to: `/inbox/${a.entityId}`, label: 'Open the conversation' }
  return null
}
