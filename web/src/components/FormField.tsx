import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from 'react'
import { ApiError } from '../lib/api/http'

// A labelled form control with its hint and its error, wired together for
// screen readers (aria-describedby, aria-invalid). The error is usually
// the API's per-field message.

interface FieldBits {
  id: string
  label: string
  hint?: ReactNode
  error?: string
}

function describedBy(id: string, hint?: ReactNode, error?: string) {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ')
  return ids || undefined
}

function Bits({ id, hint, error }: { id: string; hint?: ReactNode; error?: string }) {
  return (
    <>
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </>
  )
}

export function TextField({ id, label, hint, error, ...input }: FieldBits & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, hint, error)} {...input} />
      <Bits id={id} hint={hint} error={error} />
    </div>
  )
}

export function SelectField({ id, label, hint, error, children, ...select }: FieldBits & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, hint, error)} {...select}>
        {children}
      </select>
      <Bits id={id} hint={hint} error={error} />
    </div>
  )
}

/** The per-field messages of a refusal (a 422 or 400 with fields), empty for anything else. */
export function fieldErrors(error: unknown): Record<string, string> {
  return error instanceof ApiError ? error.fields : {}
}

/**
 * The refusal's message when no field shows it: a form shows the fields'
 * messages next to the fields, and this above the form.
 */
export function formError(error: unknown, shownFields: string[]): string | null {
  if (!error) return null
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : 'Something went wrong.'
  const onFields = Object.keys(error.fields).filter((f) => shownFields.includes(f))
  const elsewhere = Object.entries(error.fields).filter(([f]) => !shownFields.includes(f))
  if (onFields.length > 0 && elsewhere.length === 0) return 'Check the highlighted fields.'
  // Several fields can share one message (the same problem on each line): say it once.
  if (elsewhere.length > 0) return [...new Set(elsewhere.map(([, m]) => m))].join(' ')
  return error.message
}
