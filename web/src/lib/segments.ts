// How an SMS body will travel: GSM-7 or UCS-2, and how many segments it is
// sent (and billed) as. The same rules as the server's
// internal/domain/segments, so the live counter agrees with what is sent.

export type Encoding = 'GSM-7' | 'UCS-2'

export const MAX_BODY_CHARACTERS = 1600

const GSM_SINGLE = 160
const GSM_PART = 153
const UCS_SINGLE = 70
const UCS_PART = 67

const GSM_BASIC_EXTRA = new Set([
  '@', '£', '$', '¥', 'è', 'é', 'ù', 'ì', 'ò', 'Ç', '\n', 'Ø', 'ø', '\r', 'Å', 'å',
  'Δ', '_', 'Φ', 'Γ', 'Λ', 'Ω', 'Π', 'Ψ', 'Σ', 'Θ', 'Ξ', 'Æ', 'æ', 'ß', 'É',
  '¤', '¡', 'Ä', 'Ö', 'Ñ', 'Ü', '§', '¿', 'ä', 'ö', 'ñ', 'ü', 'à',
])
const GSM_EXTENSION = new Set(['^', '{', '}', '\\', '[', ']', '~', '|', '€', '\f'])

function gsmBasic(ch: string): boolean {
  const c = ch.codePointAt(0) ?? 0
  if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39)) return true
  // ASCII space through '/' and ':' through '?'.
  if ((c >= 0x20 && c <= 0x2f) || (c >= 0x3a && c <= 0x3f)) return true
  return GSM_BASIC_EXTRA.has(ch)
}

export interface SegmentInfo {
  encoding: Encoding
  /** SMS parts; 0 for an empty body. */
  segments: number
  /** GSM-7 septets or UTF-16 code units. */
  units: number
  /** Unicode code points: what the 1,600-character limit counts. */
  characters: number
  /** Units left in the last segment before another one starts. */
  remainingInSegment: number
  /** The characters that force UCS-2, each once, in order of appearance. */
  unicodeCharacters: string[]
}

export function analyze(body: string): SegmentInfo {
  const chars = Array.from(body)
  const unicodeCharacters: string[] = []
  for (const ch of chars) {
    if (!gsmBasic(ch) && !GSM_EXTENSION.has(ch) && !unicodeCharacters.includes(ch)) unicodeCharacters.push(ch)
  }
  const encoding: Encoding = unicodeCharacters.length === 0 ? 'GSM-7' : 'UCS-2'
  const width = encoding === 'GSM-7' ? (ch: string) => (GSM_EXTENSION.has(ch) ? 2 : 1) : (ch: string) => ch.length
  const single = encoding === 'GSM-7' ? GSM_SINGLE : UCS_SINGLE
  const part = encoding === 'GSM-7' ? GSM_PART : UCS_PART

  let units = 0
  for (const ch of chars) units += width(ch)

  let segments: number
  let used = units
  if (units === 0) {
    segments = 0
  } else if (units <= single) {
    segments = 1
  } else {
    // Pack parts in order, never splitting an escape or surrogate pair.
    segments = 1
    used = 0
    for (const ch of chars) {
      const w = width(ch)
      if (used + w > part) {
        segments++
        used = 0
      }
      used += w
    }
  }
  const capacity = segments <= 1 ? single : part
  return { encoding, segments, units, characters: chars.length, remainingInSegment: capacity - used, unicodeCharacters }
}

export type BodyProblem = 'empty' | 'too_long' | null

export function bodyProblem(body: string): BodyProblem {
  if (body.trim() === '') return 'empty'
  if (Array.from(body).length > MAX_BODY_CHARACTERS) return 'too_long'
  return null
}
