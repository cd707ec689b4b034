// The audit page's filters: read from and written to the URL, so a view of
// the trail can be shared or bookmarked, and turned into the API's query.

export interface AuditFilters {
  /** One action ("message.sent") or a family ending in a dot ("message."). */
  action: string
  actor: string
  threadId: string
  /** A number's ID: events about that number. */
  numberId: string
  correlationId: string
  /** Days (YYYY-MM-DD) in the org's time zone, both included. */
  from: string
  to: string
  timeZone: string
}

export const families: [string, string][] = [
  ['message.', 'Messages'],
  ['thread.', 'Conversations'],
  ['client.', 'Clients'],
  ['team.', 'Team'],
  ['sitter.', 'Sitters'],
  ['window.', 'Assignment windows'],
  ['number.', 'Numbers'],
  ['setup.', 'Setup'],
  ['policy_violation.', 'Policy reviews'],
  ['dead_letter.', 'Delivery failures'],
  ['alert.', 'Alerts'],
  ['auth.', 'Sign-ins'],
  ['settings.', 'Settings'],
  ['webhook.', 'Webhooks'],
  ['access.denied', 'Access refused'],
]

const keys = ['action', 'actor', 'threadId', 'numberId', 'correlationId', 'from', 'to'] as const

export function readFilters(params: URLSearchParams, timeZone: string): AuditFilters {
  const f = { timeZone } as AuditFilters
  for (const k of keys) f[k] = params.get(k) ?? ''
  return f
}

/** The URL's search for these filters (empty ones left out). */
export function writeFilters(f: AuditFilters): URLSearchParams {
  const p = new URLSearchParams()
  for (const k of keys) if (f[k]) p.set(k, f[k])
  return p
}

/** The offset of timeZone from UTC at instant, in minutes. */
function offsetMinutes(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(instant)
  const n = (t: string) => Number(parts.find((p) => p.type === t)?.value)
  const asUTC = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'))
  return Math.round((asUTC - instant.getTime()) / 60000)
}

/** The instant a day (YYYY-MM-DD) starts in timeZone, as ISO 8601; '' when day is not a date. */
export function dayStart(day: string, timeZone: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day)
  if (!m) return ''
  const guess = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
  // Twice: the offset at the guess, then at the corrected instant (a day
  // that starts next to a daylight-saving change).
  let t = guess - offsetMinutes(new Date(guess), timeZone) * 60000
  t = guess - offsetMinutes(new Date(t), timeZone) * 60000
  return new Date(t).toISOString()
}

function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + 1)
  return d.toISOString().slice(0, 10)
}

export interface AuditQuery {
  action?: string
  actor?: string
  threadId?: string
  entityType?: string
  entityId?: string
  correlationId?: string
  from?: string
  to?: string
}

/** The API's query: days become instants in the org's zone, "to" includes its whole day. */
export function auditQuery(f: AuditFilters): AuditQuery {
  const q: AuditQuery = {}
  if (f.action) q.action = f.action
  if (f.actor) q.actor = f.actor
  if (f.threadId) q.threadId = f.threadId
  if (f.numberId) {
    q.entityType = 'phone_number'
    q.entityId = f.numberId
  }
  if (f.correlationId) q.correlationId = f.correlationId
  const from = dayStart(f.from, f.timeZone)
  if (from) q.from = from
  const to = /^\d{4}-\d{2}-\d{2}$/.test(f.to) ? dayStart(nextDay(f.to), f.timeZone) : ''
  if (to) q.to = to
  return q
}

/** A readable name for an action: "message.dead_lettered" → "Message dead lettered". */
export function actionLabel(action: string): string {
  const words = action.replace(/[._]/g, ' ').trim()
  return words.charAt(0).toUpperCase() + words.slice(1)
}
