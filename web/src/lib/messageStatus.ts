import type { Tone } from '../components/ui'

// A message's delivery status in plain words, the same in the owner's
// inbox and the sitter's app.

interface StatusWords {
  label: string
  tone: Tone
  /** Said under a message that did not go out. */
  explain?: string
}

const words: Record<string, StatusWords> = {
  received: { label: 'Received', tone: 'neutral' },
  pending: { label: 'Sending', tone: 'info' },
  sending: { label: 'Sending', tone: 'info' },
  queued: { label: 'Queued', tone: 'info' },
  sent: { label: 'Sent', tone: 'info' },
  delivered: { label: 'Delivered', tone: 'success' },
  undelivered: { label: 'Not delivered', tone: 'danger', explain: "The carrier couldn't deliver this message." },
  failed: { label: 'Failed', tone: 'danger', explain: "This message couldn't be sent." },
  blocked: { label: 'Blocked', tone: 'warning', explain: 'This message was stopped by the content policy and was not sent.' },
  discarded: { label: 'Discarded', tone: 'neutral', explain: 'This message was discarded and will not be sent.' },
  partially_delivered: { label: 'Partly delivered', tone: 'warning', explain: 'Some parts of this message were not delivered.' },
}

export function statusWords(status: string): StatusWords {
  return words[status] ?? { label: status.replace(/_/g, ' '), tone: 'neutral' }
}

export function isFailure(status: string): boolean {
  return status === 'failed' || status === 'undelivered'
}

export function senderLabel(senderType: string): string {
  switch (senderType) {
    case 'client':
      return 'Client'
    case 'sitter':
      return 'Sitter'
    case 'owner':
      return 'Owner'
    case 'admin':
      return 'Admin'
    case 'system':
      return 'Automatic'
    default:
      return senderType
  }
}
