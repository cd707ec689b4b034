import { formatDateTime } from '../../lib/format'
import type { RoutingTrace } from '../../lib/api/types'

// The "Why routed here?" drawer's content: the routing trace as readable
// steps. Sitters appear by name and times in the business's local time,
// never as a raw ID or a UTC stamp.

export interface ReadableStep {
  title: string
  matched: boolean
  detail: string
}

export interface ReadableTrace {
  summary: string
  decidedAt: string
  steps: ReadableStep[]
}

const ruleTitles: Record<string, string> = {
  override: "The owner's routing override",
  sitter_window: "A sitter's assignment window",
  owner_inbox: 'The owner inbox (the default)',
}

const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
const isoStamp = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})\b/g

/** A step's sentence with IDs replaced by names and UTC stamps by local times. */
export function readableDetail(detail: string, names: Record<string, string>, timeZone?: string): string {
  let out = detail.replace(isoStamp, (s) => formatDateTime(s, timeZone) || s)
  // "sitter <id>" → the sitter's name; "Sitters <id>, <id> and <id>" too.
  out = out.replace(new RegExp(`\\b([Ss]itters?) ((?:${uuid}(?:, | and )?)+)`, 'g'), (_m, word: string, list: string) => {
    const named = list.replace(new RegExp(uuid, 'g'), (id) => names[id] ?? 'a sitter')
    const capital = word[0] === 'S'
    return (capital ? named.charAt(0).toUpperCase() + named.slice(1) : named)
  })
  // "window <id>", "override <id>": the thing, without its ID.
  out = out.replace(new RegExp(`\\b(window|override) ${uuid}`, 'g'), '$1')
  out = out.replace(new RegExp(` ?\\(${uuid}\\)`, 'g'), '')
  // Any other ID left: a known name or nothing.
  out = out.replace(new RegExp(uuid, 'g'), (id) => names[id] ?? 'one')
  return out.replace(/ {2,}/g, ' ')
}

export function readableTrace(trace: RoutingTrace, names: Record<string, string>, timeZone?: string): ReadableTrace {
  const all = { ...names }
  if (trace.target.sitterId && trace.target.sitterName) all[trace.target.sitterId] = trace.target.sitterName
  const sitter = trace.target.sitterName || (trace.target.sitterId && all[trace.target.sitterId]) || 'a sitter'
  const who = trace.target.kind === 'sitter' ? `${sitter}'s conversations` : 'the owner inbox'
  const why: Record<string, string> = {
    override: "because of the owner's routing override",
    sitter_window: `because ${sitter} has an assignment window with this client`,
    owner_inbox: 'because no override or sitter window applied',
  }
  return {
    summary: `Sent to ${who} ${why[trace.rule] ?? `by the rule “${trace.rule.replace(/_/g, ' ')}”`}.`,
    decidedAt: formatDateTime(trace.decidedAt, timeZone),
    steps: trace.steps.map((s) => {
      const rule = s.kind ?? s.rule ?? ''
      return {
        title: ruleTitles[rule] ?? rule.replace(/_/g, ' '),
        matched: s.outcome === 'matched',
        detail: readableDetail(s.sentence ?? s.detail ?? '', all, timeZone),
      }
    }),
  }
}
