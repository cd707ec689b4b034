import { useId, useState, type FormEvent, type KeyboardEvent } from 'react'
import { analyze, bodyProblem, MAX_BODY_CHARACTERS } from '../lib/segments'
import { formatCount } from '../lib/format'
import { Button } from './ui'

// Compose inside a conversation: the live encoding and segment count as
// the user types, the 1,600-character limit, and an optional warning
// (the sitter app's content-policy preview) shown before sending. The draft
// is kept until the send succeeds.

export function SegmentCounter({ body }: { body: string }) {
  const info = analyze(body)
  const over = info.characters > MAX_BODY_CHARACTERS
  return (
    <div className={`counter${over ? ' counter-over' : ''}`} aria-live="polite" data-testid="segment-counter">
      <span className="counter-encoding" title={info.encoding === 'UCS-2' ? 'Unicode: fewer characters fit in each segment' : 'Standard SMS characters'}>
        {info.encoding}
      </span>{' '}
      <span>
        {info.segments} {info.segments === 1 ? 'segment' : 'segments'}
      </span>{' '}
      <span>
        {formatCount(info.characters)} / {formatCount(MAX_BODY_CHARACTERS)}
      </span>{' '}
      {info.encoding === 'UCS-2' && info.unicodeCharacters.length > 0 && (
        <span className="counter-note">Unicode because of {info.unicodeCharacters.slice(0, 3).join(' ')}</span>
      )}
    </div>
  )
}

export interface ComposeProps {
  label: string
  onSend: (body: string) => Promise<unknown>
  disabled?: boolean
  disabledReason?: string
  /** A plain-language warning about the draft before it is sent. */
  warn?: (body: string) => string | null
  placeholder?: string
}

export function Compose({ label, onSend, disabled, disabledReason, warn, placeholder }: ComposeProps) {
  const [body, setBody] = useState('')
  const [sending, setSending] = useState(false)
  const id = useId()
  const problem = bodyProblem(body)
  const warning = warn && body.trim() ? warn(body) : null

  async function submit(e?: FormEvent) {
    e?.preventDefault()
    if (problem || disabled || sending) return
    const text = body
    setSending(true)
    setBody('')
    try {
      await onSend(text)
    } catch {
      // The caller shows the reason; the draft comes back so nothing is lost.
      setBody((cur) => (cur === '' ? text : cur))
    } finally {
      setSending(false)
    }
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) {
      e.preventDefault()
      void submit()
    }
  }

  return (
    <form className="compose" onSubmit={submit} aria-label={label}>
      {disabled && disabledReason && (
        <p className="compose-disabled" role="status">
          {disabledReason}
        </p>
      )}
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <textarea
        id={id}
        value={body}
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={onKeyDown}
        rows={3}
        placeholder={placeholder ?? 'Write a message…'}
        disabled={disabled}
        aria-describedby={`${id}-hint`}
        aria-invalid={problem === 'too_long' || undefined}
      />
      {warning && (
        <p className="compose-warning" role="status" data-testid="compose-warning">
          {warning}
        </p>
      )}
      <div className="compose-foot" id={`${id}-hint`}>
        <SegmentCounter body={body} />
        {problem === 'too_long' && <span className="compose-error">Shorten the message to {formatCount(MAX_BODY_CHARACTERS)} characters or fewer.</span>}
        <Button type="submit" variant="primary" disabled={!!problem || disabled || sending}>
          Send
        </Button>
      </div>
    </form>
  )
}
