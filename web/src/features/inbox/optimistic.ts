import type { InfiniteData } from '@tanstack/react-query'
import type { MessagePage, MessageView } from '../../lib/api/types'

// The optimistic part of sending: the message appears at the end of the
// conversation at once, marked as sending, and goes away again if the
// server refuses it.

export type MessagesData = InfiniteData<MessagePage, unknown>

export function optimisticMessage(body: string, senderName: string, now = new Date()): MessageView & { optimistic: true } {
  return {
    id: `optimistic-${now.getTime()}-${Math.random().toString(36).slice(2, 8)}`,
    direction: 'outbound',
    senderType: 'owner',
    senderName,
    createdAt: now.toISOString(),
    body,
    media: [],
    status: 'pending',
    failureReason: '',
    attempts: 0,
    encoding: '',
    segments: 0,
    deadLettered: false,
    errorCode: null,
    from: '',
    to: '',
    optimistic: true,
  }
}

/** The conversation with m appended to its newest page (the first). */
export function withMessage(data: MessagesData | undefined, m: MessageView): MessagesData {
  if (!data || data.pages.length === 0) {
    return { pages: [{ messages: [m], nextCursor: '' }], pageParams: [undefined] }
  }
  const [newest, ...older] = data.pages as [MessagePage, ...MessagePage[]]
  return { ...data, pages: [{ ...newest, messages: [...newest.messages, m] }, ...older] }
}

/** Every message of the conversation, oldest first. */
export function allMessages(data: MessagesData | undefined): MessageView[] {
  if (!data) return []
  return [...data.pages].reverse().flatMap((p) => p.messages)
}
