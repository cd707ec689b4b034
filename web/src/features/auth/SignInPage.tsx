import { useState, type FormEvent } from 'react'
import { Link, Navigate, useLocation, useNavigate } from 'react-router'
import { Button, Notice } from '../../components/ui'
import { ApiError } from '../../lib/api/http'
import { isStaff, useSession } from '../../lib/session'
import { AuthLayout } from './AuthLayout'
import { useSignIn } from './api'

interface SignInState {
  message?: string
  from?: string
}

export function SignInPage() {
  const location = useLocation()
  const navigate = useNavigate()
  const state = (location.state ?? {}) as SignInState
  const { session } = useSession()
  const signIn = useSignIn()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')

  if (session && !signIn.isPending && !signIn.isSuccess) return <Navigate to="/" replace />

  async function submit(e: FormEvent) {
    e.preventDefault()
    const s = await signIn.mutateAsync({ email, password }).catch(() => null)
    if (!s) return
    // Back where the session expired, if that page is this role's.
    const back = state.from ?? '/'
    const allowed = isStaff(s.role) ? !back.startsWith('/sitter') : back.startsWith('/sitter')
    navigate(allowed ? back : '/', { replace: true })
  }

  const err = signIn.error instanceof ApiError ? signIn.error : null
  return (
    <AuthLayout title="Sign in">
      {state.message && !signIn.isPending && !err && (
        <Notice tone="info" role="status">
          {state.message}
        </Notice>
      )}
      {err && (
        <Notice tone="danger" role="alert">
          {err.message}
        </Notice>
      )}
      <form onSubmit={submit} className="form" noValidate>
        <div className="field">
          <label htmlFor="email">Email</label>
          <input id="email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input id="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </div>
        <Button type="submit" variant="primary" disabled={signIn.isPending || !email || !password}>
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </Button>
      </form>
      <p className="auth-links">
        <Link to="/forgot-password">Forgot your password?</Link>
      </p>
    </AuthLayout>
  )
}
