// The API's JSON views the dashboard uses. (Provisional hand-written
// mirror of the Go views until the generated schema lands.)

export type Role = 'owner' | 'admin' | 'sitter' | string

export interface SessionView {
  user: { id: string; email: string; name: string }
  org: { id: string; name: string; slug: string; timezone?: string }
  role: Role
  csrfToken: string
  expiresAt: string
  diagnostics?: boolean
}

export interface ThreadClientView { id: string; name: string; phone: string; optedOut: boolean; optedOutAt?: string }
export interface ThreadSitterView { id: string; name: string }
export interface ThreadNumberView { id: string; e164: string; class: string; name: string; status: string }

export interface ThreadView {
  id: string
  client: ThreadClientView
  sitter: ThreadSitterView | null
  number: ThreadNumberView
  lastMessageAt: string
  preview: string
  unread: number
  openViolations: number
  failedDeliveries: number
  windowStatus: string
}

export interface ThreadWindowView { id: string; sitterId: string; startsAt: string; endsAt: string }

export interface ThreadDetailView extends ThreadView {
  window: ThreadWindowView | null
  sitterUnread: number
  createdAt: string
  flags: string[] | null
}

export interface ThreadPage { threads: ThreadView[]; nextCursor: string }

export interface MediaItem { url: string; contentType?: string }

export interface TraceStep { rule: string; outcome: string; detail: string }
export interface RoutingTrace {
  rule: string
  reason: string
  target: { kind: string; sitterId?: string; sitterName?: string }
  steps: TraceStep[]
  decidedAt: string
  numberId?: string
  numberClass?: string
}

export interface MessageView {
  id: string
  direction: 'inbound' | 'outbound' | string
  senderType: string
  senderName: string
  createdAt: string
  body: string
  media: MediaItem[]
  status: string
  errorCode?: number | null
  failureReason: string
  attempts: number
  encoding: string
  segments: number
  from?: string
  to?: string
  deadLettered: boolean
  routing?: RoutingTrace
}

export interface MessagePage { messages: MessageView[]; nextCursor: string }

export interface StaffMessageView {
  id: string
  threadId: string
  direction: string
  senderType: string
  body: string
  mediaUrls: string[]
  status: string
  encoding: string
  segments: number
  createdAt: string
}

export interface SitterView { id: string; name: string; active: boolean; hasLogin: boolean }

export interface PolicyViolationView {
  id: string
  messageId: string
  threadId: string
  sitterName: string
  clientName: string
  kinds: string[]
  excerpts: { kind: string; excerpt: string; reason: string }[]
  status: string
  messageStatus: string
  reviewReason?: string
  createdAt: string
}

export interface AlertView { id: string; severity: string; kind: string; title: string; detail: string; status: string; createdAt: string }

export interface SitterThreadView {
  id: string
  client: { id: string; name: string }
  line: { label: string; class: string }
  lastMessageAt: string
  preview: string
  unread: number
  window: { startsAt: string; endsAt: string; note: string }
}

export interface SitterThreadPage { threads: SitterThreadView[]; nextCursor: string }

export interface SitterThreadMessageView {
  id: string
  direction: string
  senderType: string
  senderName: string
  mine: boolean
  createdAt: string
  body: string
  media: MediaItem[]
  status: string
  failureReason: string
}

export interface SitterMessagePage { messages: SitterThreadMessageView[]; nextCursor: string }

export interface SitterMessageView {
  id: string
  threadId: string
  direction: string
  senderType: string
  body: string
  mediaUrls: string[]
  status: string
  createdAt: string
}

export interface SetupView { diagnostics: boolean; complete: boolean }
