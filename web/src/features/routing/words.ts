// The pure parts of the routing page: a rule's conditions and target in
// words, the reorder maths, an override's time left, and times typed in the
// business's own zone.

export interface Conditions {
  numberClasses: string[]
  numberIds: string[]
  clientTags: string[]
  days: string[]
  from: string
  to: string
  knownClient?: boolean | null
}

export interface RuleLike {
  id: string
  name: string
  kind: string
  canMove: boolean
  when: Conditions
  target?: { kind: string; sitterId?: string; sitterName?: string } | null
}

const classWords: Record<string, string> = { front_desk: 'the front desk', sitter: "a sitter's line", pool: 'a pool number' }
const dayOrder = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
const dayWords: Record<string, string> = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' }
export const dayNames: Record<string, string> = {
  mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday',
}
export const weekdays = dayOrder

/** "a, b or c" */
export function orList(items: string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`
}

/** "18:30" → "6:30 PM"; anything else as it is. */
export function clockWords(hhmm: string): string {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm)
  if (!m) return hhmm
  const h = Number(m[1])
  const suffix = h < 12 ? 'AM' : 'PM'
  const h12 = h % 12 === 0 ? 12 : h % 12
  return m[2] === '00' ? `${h12} ${suffix}` : `${h12}:${m[2]} ${suffix}`
}

function daysWords(days: string[]): string {
  const set = new Set(days)
  const sorted = dayOrder.filter((d) => set.has(d))
  if (sorted.length === 7) return ''
  if (sorted.length === 2 && set.has('sat') && set.has('sun')) return 'on weekends'
  if (sorted.length === 5 && ['mon', 'tue', 'wed', 'thu', 'fri'].every((d) => set.has(d))) return 'on weekdays'
  return `on ${orList(sorted.map((d) => dayWords[d] ?? d))}`
}

/**
 * A rule's conditions as one sentence, e.g. "Texts from a new sender to a
 * pool number, on weekends, 6 PM to 8 AM (overnight)". numberNames names
 * business numbers by ID.
 */
export function conditionWords(rule: Pick<RuleLike, 'kind' | 'when'>, numberNames: Record<string, string> = {}): string {
  switch (rule.kind) {
    case 'override':
      return 'The conversation has an active override'
    case 'sitter_window':
      return "A text to a sitter's own line while that sitter has an active window with the client"
    case 'owner_inbox':
      return 'Any text no rule above took, including texts to the front desk and pool numbers'
  }
  const w = rule.when
  const sender = w.knownClient === true ? 'from a known client' : w.knownClient === false ? 'from a new sender' : ''
  const tags = w.clientTags.length > 0 ? `from a client tagged ${orList(w.clientTags.map((t) => `“${t}”`))}` : ''
  const to: string[] = [...w.numberClasses.map((c) => classWords[c] ?? c), ...w.numberIds.map((id) => numberNames[id] ?? 'a chosen number')]
  const parts = [[sender, tags].filter(Boolean).join(' '), to.length ? `to ${orList(to)}` : ''].filter(Boolean)
  const head = parts.length ? `Texts ${parts.join(' ')}` : 'Every text'
  const when: string[] = []
  const days = w.days.length ? daysWords(w.days) : ''
  if (days) when.push(days)
  if (w.from && w.to) {
    const overnight = w.to < w.from
    when.push(`${clockWords(w.from)} to ${clockWords(w.to)}${overnight ? ' (overnight)' : ''}`)
  }
  return [head, ...when].join(', ')
}

/** Where a rule sends texts, in words. */
export function targetWords(rule: Pick<RuleLike, 'kind' | 'target'>): string {
  switch (rule.kind) {
    case 'override':
      return "The override's target (owner inbox or a sitter)"
    case 'sitter_window':
      return 'That sitter'
    case 'owner_inbox':
      return 'Owner inbox'
  }
  switch (rule.target?.kind) {
    case 'sitter':
      return `${rule.target.sitterName || 'A sitter'} (while they have an active window with the client)`
    case 'window_sitter':
      return 'The sitter with an active window with the client'
    default:
      return 'Owner inbox'
  }
}

/**
 * The rule IDs in their order after moving one rule up (-1) or down (+1),
 * or null when it cannot move that way: only movable rules move, and only
 * past another movable rule (the override stays first, the owner inbox
 * last).
 */
export function moveRule(rules: Pick<RuleLike, 'id' | 'canMove'>[], id: string, delta: -1 | 1): string[] | null {
  const i = rules.findIndex((r) => r.id === id)
  const a = rules[i]
  const b = rules[i + delta]
  if (i < 0 || !a || !b || !a.canMove || !b.canMove) return null
  const ids = rules.map((r) => r.id)
  ids[i] = b.id
  ids[i + delta] = a.id
  return ids
}

/** The rules in the order of ids (rules not listed keep their place at the end). */
export function reorder<T extends { id: string }>(rules: T[], ids: string[]): T[] {
  const byId = new Map(rules.map((r) => [r.id, r]))
  const out = ids.map((id) => byId.get(id)).filter((r): r is T => !!r)
  return [...out, ...rules.filter((r) => !ids.includes(r.id))]
}

/** "2 h 5 min left", "45 s left", "ended" */
export function timeLeft(endsAt: string, now: Date): string {
  const ms = new Date(endsAt).getTime() - now.getTime()
  if (!(ms > 0)) return 'ended'
  const s = Math.ceil(ms / 1000)
  if (s < 60) return `${s} s left`
  const min = Math.ceil(s / 60)
  if (min < 60) return `${min} min left`
  const d = Math.floor(min / 1440)
  const h = Math.floor((min % 1440) / 60)
  const m = min % 60
  if (d > 0) return `${d} d${h ? ` ${h} h` : ''} left`
  return `${h} h${m ? ` ${m} min` : ''} left`
}

/** Minutes of a duration typed as an amount and a unit. */
export function durationMinutes(amount: string, unit: 'minutes' | 'hours' | 'days'): number {
  const n = Number(amount)
  if (!Number.isFinite(n) || n <= 0) return 0
  const per = unit === 'days' ? 1440 : unit === 'hours' ? 60 : 1
  return Math.round(n * per)
}

// The offset (ms) of timeZone from UTC at the instant t.
function zoneOffset(t: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(t))
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  const asUTC = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'))
  return asUTC - Math.floor(t / 1000) * 1000
}

/**
 * A wall-clock time typed in the business's zone ("2026-12-05T18:30", a
 * datetime-local value) as an RFC 3339 instant; null when it does not read.
 */
export function zonedToISO(local: string, timeZone: string | undefined): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local)
  if (!m) return null
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number]
  const wall = Date.UTC(y, mo - 1, d, h, mi)
  if (!timeZone) return new Date(y, mo - 1, d, h, mi).toISOString().replace('.000Z', 'Z')
  let t = wall - zoneOffset(wall, timeZone)
  // Across a daylight-saving change the offset at the result may differ.
  const again = wall - zoneOffset(t, timeZone)
  if (again !== t) t = again
  return new Date(t).toISOString().replace('.000Z', 'Z')
}

/** An instant as the datetime-local value of the business's wall clock. */
export function isoToZoned(iso: string | Date, timeZone: string | undefined): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  }).formatToParts(d)
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`
}

/** Who made a version: the member's name; the built-in first version has nobody. */
export function changedBy(name: string, version: number): string {
  if (name) return name
  return version === 1 ? 'Built in' : 'A former member'
}

const ruleNames: Record<string, string> = {
  override: 'Active override',
  sitter_window: 'Sitter with an active window',
  owner_inbox: 'Owner inbox',
  custom: 'A rule of yours',
}

/** The rule a trace names; decisions stored before rules had names give only the kind. */
export function ruleLabel(name: string | undefined, kind: string): string {
  return name || ruleNames[kind] || kind.replace(/_/g, ' ')
}
