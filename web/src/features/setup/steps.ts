import type { Tone } from '../../components/ui'

// The wizard's rules the page shows before the server would refuse: which
// step can be opened, what Next waits for, what things cost.

export interface StepLike {
  key: string
  title: string
  status: string
}

export const finished = (s: StepLike | undefined) => !!s && (s.status === 'done' || s.status === 'skipped')

/** Why the step cannot be worked yet (the first earlier step not finished), or null. */
export function blockerOf(steps: StepLike[], key: string): string | null {
  for (const s of steps) {
    if (s.key === key) return null
    if (!finished(s)) return `Finish “${s.title}” first.`
  }
  return null
}

/** The step after key, and why Next is disabled (null when it is not). */
export function nextOf(steps: StepLike[], key: string): { next: StepLike | null; disabledReason: string | null } {
  const i = steps.findIndex((s) => s.key === key)
  const next = i >= 0 && i + 1 < steps.length ? steps[i + 1] : null
  if (!next) return { next: null, disabledReason: null }
  const here = steps[i]
  return { next, disabledReason: finished(here) ? null : `Finish “${here?.title}” to go on.` }
}

/** The step to show: the one asked for when it can be opened, else the wizard's current step (the last when setup is complete). */
export function shownStep(steps: StepLike[], asked: string | null, current: string): string {
  if (asked && steps.some((s) => s.key === asked) && blockerOf(steps, asked) === null) return asked
  // "complete": every step is finished, and the last one says so.
  return steps.some((s) => s.key === current) ? current : (steps[steps.length - 1]?.key ?? current)
}

/** 1.15 USD → "$1.15" in the browser's locale. */
export function money(amount: string | undefined, currency: string | undefined): string {
  const n = Number(amount)
  if (!amount || !Number.isFinite(n)) return '—'
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency: currency || 'USD' }).format(n)
  } catch {
    return `${amount} ${currency ?? ''}`.trim()
  }
}

/** The monthly total of the numbers to buy, each at its price. */
export function monthlyTotal(prices: string[]): string {
  const cents = prices.reduce((sum, p) => sum + Math.round(Number(p) * 100), 0)
  return (cents / 100).toFixed(2)
}

export const stepStatusWords: Record<string, { label: string; tone: Tone }> = {
  done: { label: 'Done', tone: 'success' },
  skipped: { label: 'Skipped', tone: 'neutral' },
  pending: { label: 'To do', tone: 'neutral' },
}

/** A number's webhook, in words. */
export function webhookWords(status: string): { label: string; tone: Tone } {
  switch (status) {
    case 'verified':
      return { label: 'Connected', tone: 'success' }
    case 'failed':
      return { label: 'Not connected', tone: 'danger' }
    case 'installed':
      return { label: 'Installed, checking', tone: 'info' }
    default:
      return { label: 'Not connected yet', tone: 'warning' }
  }
}

const classWords: Record<string, string> = { front_desk: 'Front desk', sitter: 'Sitter', pool: 'Pool' }
export const numberClassWords = (c: string) => classWords[c] ?? c

/** "+14155550100" from what was typed ("(415) 555-0100", "415 555 0100"); null when it is no number. */
export function toE164(typed: string): string | null {
  const t = typed.trim()
  const digits = t.replace(/\D/g, '')
  if (t.startsWith('+')) return digits.length >= 8 && digits.length <= 15 ? `+${digits}` : null
  if (digits.length === 10) return `+1${digits}`
  if (digits.length === 11 && digits.startsWith('1')) return `+${digits}`
  return null
}
