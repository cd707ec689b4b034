import type { AlertView } from '../../lib/api/types'

/** Where an alert leads: the conversation it is about, or the number (a quarantine that could not release, a failing number). */
export function alertLink(a: Pick<AlertView, 'entityType' | 'entityId' | 'threadId'>): { to: string; label: string } | null {
  if (a.threadId) return { to: `/inbox/${a.threadId}`, label: 'Open the conversation' }
  if (a.entityType === 'thread' && a.entityId) return { to: `/inbox/${a.entityId}`, label: 'Open the conversation' }
  if ((a.entityType === 'phone_number' || a.entityType === 'number') && a.entityId) return { to: `/numbers/${a.entityId}`, label: 'Open the number' }
  return null
}
