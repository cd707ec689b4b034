// The API's views, from the generated OpenAPI types (schema.d.ts, made by
// `npm run gen:api` from api/openapi.json; `npm run check:api` fails when
// it is stale).
import type { components } from './schema'

type S = components['schemas']

export type SessionView = S['SessionView']
export type CountsView = S['CountsView']
export type Role = SessionView['role']
export type ThreadView = S['ThreadView']
export type ThreadDetailView = S['ThreadDetailView']
export type ThreadPage = S['ThreadPage']
export type MediaItem = S['MediaItem']
export type StaffMessageView = S['StaffMessageView']
export type SitterView = S['SitterView']
export type PolicyViolationView = S['PolicyViolationView']
export type AlertView = S['AlertView']
export type AuditEvent = S['AuditEvent']
export type DeadLetterView = S['DeadLetterView']
export type DeadLetterPage = S['DeadLetterPage']
export type AuditPage = S['AuditPage']
export type NumberPage = S['NumberPage']
export type SitterThreadView = S['SitterThreadView']
export type SitterThreadPage = S['SitterThreadPage']
export type SitterThreadMessageView = S['SitterThreadMessageView']
export type SitterMessagePage = S['SitterMessagePage']
export type SitterMessageView = S['SitterMessageView']
export type SetupView = S['SetupView']

/** A message's routing trace (messages.routing; the document gives it no schema). */
export interface RoutingTrace {
  rule: string
  reason: string
  target: { kind: string; sitterId?: string; sitterName?: string }
  // The server sends kind and sentence (with ids only under diagnostics);
  // traces read before that change carry rule and detail.
  steps: { kind?: string; rule?: string; outcome: string; sentence?: string; detail?: string; ids?: string[] }[]
  decidedAt: string
  numberId?: string
  numberClass?: string
}

export type MessageView = Omit<S['MessageView'], 'routing'> & { routing?: RoutingTrace }
export type MessagePage = Omit<S['MessagePage'], 'messages'> & { messages: MessageView[] }
