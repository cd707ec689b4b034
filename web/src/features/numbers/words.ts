// How the number pages say things: classes, statuses, health, the impact
// of a destructive action and the cooldown, in plain words.
import type { Tone } from '../../components/ui'
import { formatPhone } from '../../lib/format'
import type { ImpactView, NumberView } from './types'

export const classWords: Record<string, string> = { front_desk: 'Front desk', sitter: 'Sitter', pool: 'Pool' }

export const statusWords: Record<string, { label: string; tone: Tone }> = {
  active: { label: 'Active', tone: 'success' },
  quarantined: { label: 'Quarantined', tone: 'warning' },
  inactive: { label: 'Inactive', tone: 'neutral' },
  released: { label: 'Released', tone: 'neutral' },
}

export const healthWords: Record<string, { label: string; tone: Tone }> = {
  green: { label: 'Healthy', tone: 'success' },
  yellow: { label: 'Some failures', tone: 'warning' },
  red: { label: 'Failing', tone: 'danger' },
}

/** The health cell's explanation: what the level is made of. */
export function healthDetail(h: NumberView['health']): string {
  if (h.attempts === 0) return 'No texts sent in 7 days'
  const pct = Math.round(h.errorRate * 1000) / 10
  return `${h.failed} of ${h.attempts} texts failed in 7 days (${pct}%)`
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`
}

/** The impact of releasing or quarantining numbers, as a list of facts. */
export function impactFacts(i: Omit<ImpactView, 'replacement'>): string[] {
  const facts = [
    `${plural(i.threads, 'conversation', 'conversations')} (${i.activeThreads} active)`,
    plural(i.clients, 'client', 'clients'),
    `${plural(i.activeWindows, 'assignment window', 'assignment windows')} in progress, ${i.upcomingWindows} upcoming`,
  ]
  return facts
}

/** Whole days left until the cooldown ends, rounded up (0 once it has ended). */
export function daysLeft(endsAt: string, now: Date = new Date()): number {
  const ms = new Date(endsAt).getTime() - now.getTime()
  if (!(ms > 0)) return 0
  return Math.ceil(ms / (24 * 3600 * 1000))
}

export function daysLeftWords(endsAt: string, now: Date = new Date()): string {
  const d = daysLeft(endsAt, now)
  if (d === 0) return 'The cooldown is ending'
  return `${plural(d, 'day', 'days')} left`
}

/** A quarantine workflow's phase, for the progress line. */
export const phaseWords: Record<string, string> = {
  starting: 'Starting the quarantine…',
  moving_threads: 'Moving conversations to the replacement number…',
  notifying_clients: 'Telling clients about their new number…',
  cooling_down: 'Cooling down',
  finishing: 'Finishing…',
  done: 'Done',
}

export const quarantineOutcomeWords: Record<string, string> = {
  cooling_down: 'Cooling down',
  restored: 'Restored early',
  returned_to_pool: 'Returned to the pool',
  released: 'Released',
}

/** A history event's kind in words. */
export function eventWords(kind: string): string {
  const words: Record<string, string> = {
    bought: 'Bought',
    imported: 'Imported',
    assigned: 'Assigned',
    released: 'Released',
    quarantined: 'Quarantined',
    threads_moved: 'Conversations moved',
    restored: 'Restored',
    returned_to_pool: 'Returned to the pool',
    webhook_installed: 'Webhook installed',
  }
  return words[kind] ?? kind.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase())
}

/** A key that makes a retried buy or import run once (letters, digits and -). */
export function requestKey(): string {
  const bytes = new Uint8Array(16)
  crypto.getRandomValues(bytes)
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

/** What is wrong with the chosen file before it is sent, or null. */
export function importProblem(file: { name: string; size: number } | null): string | null {
  if (!file) return 'Choose a CSV file first.'
  if (file.size === 0) return 'This file is empty.'
  if (file.size > 1024 * 1024) return 'The file is larger than 1 MB; split it.'
  if (!/\.(csv|txt)$/i.test(file.name)) return 'Choose a .csv file (save the spreadsheet as CSV first).'
  return null
}

/** A CSV import's outcome in one sentence. */
export function importSummary(r: { imported: number; failed: number; rows: unknown[] }): string {
  const lines = `${r.rows.length} ${r.rows.length === 1 ? 'line' : 'lines'}`
  if (r.failed === 0) return `All ${lines} imported.`
  if (r.imported === 0) return `None of the ${lines} could be imported: see the reason on each line.`
  return `${r.imported} of ${lines} imported; ${r.failed} could not be: see the reason on each line.`
}

/** A number as the inventory writes it (the API's display form): (415) 555-0100 in North America. */
export function displayNumber(e164: string): string {
  return formatPhone(e164).replace(/^\+1 /, '')
}
