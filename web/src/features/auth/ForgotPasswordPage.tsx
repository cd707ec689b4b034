import { useState, type FormEvent } from 'react'
import { Link } from 'react-router'
import { Button, Notice } from '../../components/ui'
import { AuthLayout } from './AuthLayout'
import { useRequestReset } from './api'

export function ForgotPasswordPage() {
  const [email, setEmail] = useState('')
  const reset = useRequestReset()

  function submit(e: FormEvent) {
    e.preventDefault()
    reset.mutate(email)
  }

  return (
    <AuthLayout title="Reset your password">
      {reset.isSuccess ? (
        <Notice tone="success" role="status">
          {reset.data.message} Open the link in that email to choose a new password.
        </Notice>
      ) : (
        <>
          <p>Enter the email you sign in with. We'll send a link to choose a new password.</p>
          {reset.error && (
            <Notice tone="danger" role="alert">
              {reset.error.message}
            </Notice>
          )}
          <form onSubmit={submit} className="form" noValidate>
            <div className="field">
              <label htmlFor="email">Email</label>
              <input id="email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
            </div>
            <Button type="submit" variant="primary" disabled={reset.isPending || !email}>
              Send reset link
            </Button>
          </form>
        </>
      )}
      <p className="auth-links">
        <Link to="/sign-in">Back to sign in</Link>
      </p>
    </AuthLayout>
  )
}
