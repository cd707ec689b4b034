import { useState, type FormEvent } from 'react'
import { Link, useLocation } from 'react-router'
import { Button, Notice } from '../../components/ui'
import { ApiError } from '../../lib/api/http'
import { AuthLayout } from './AuthLayout'
import { useConfirmReset } from './api'

/** The token of a reset link: /reset-password#token=… (kept out of logs and Referer). */
export function tokenFromHash(hash: string): string {
  return new URLSearchParams(hash.replace(/^#/, '')).get('token') ?? ''
}

export function ResetPasswordPage() {
  const { hash } = useLocation()
  const token = tokenFromHash(hash)
  const [password, setPassword] = useState('')
  const [confirm, setConfirm] = useState('')
  const [mismatch, setMismatch] = useState(false)
  const reset = useConfirmReset()

  function submit(e: FormEvent) {
    e.preventDefault()
    if (password !== confirm) {
      setMismatch(true)
      return
    }
    setMismatch(false)
    reset.mutate({ token, password })
  }

  if (!token) {
    return (
      <AuthLayout title="Choose a new password">
        <Notice tone="warning" role="alert">
          This page needs the link from your reset email. Open the link in the email again, or ask for a new one.
        </Notice>
        <p className="auth-links">
          <Link to="/forgot-password">Ask for a new reset link</Link>
        </p>
      </AuthLayout>
    )
  }

  const err = reset.error instanceof ApiError ? reset.error : null
  return (
    <AuthLayout title="Choose a new password">
      {reset.isSuccess ? (
        <>
          <Notice tone="success" role="status">
            {reset.data.message}
          </Notice>
          <p className="auth-links">
            <Link to="/sign-in">Sign in</Link>
          </p>
        </>
      ) : (
        <>
          {err && (
            <Notice tone="danger" role="alert">
              {err.fields.password || err.message}
            </Notice>
          )}
          <form onSubmit={submit} className="form" noValidate>
            <div className="field">
              <label htmlFor="new-password">New password</label>
              <input id="new-password" type="password" autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="confirm-password">Repeat the new password</label>
              <input
                id="confirm-password"
                type="password"
                autoComplete="new-password"
                required
                value={confirm}
                onChange={(e) => setConfirm(e.target.value)}
                aria-invalid={mismatch || undefined}
                aria-describedby={mismatch ? 'mismatch' : undefined}
              />
              {mismatch && (
                <p id="mismatch" className="field-error">
                  The two passwords are not the same.
                </p>
              )}
            </div>
            <Button type="submit" variant="primary" disabled={reset.isPending || !password || !confirm}>
              Set new password
            </Button>
          </form>
          <p className="auth-links">
            <Link to="/forgot-password">Ask for a new reset link</Link>
          </p>
        </>
      )}
    </AuthLayout>
  )
}
