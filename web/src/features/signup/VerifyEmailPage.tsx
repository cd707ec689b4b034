import { useState, type FormEvent } from 'react'
import { Link, useNavigate, useSearchParams } from 'react-router'
import { AuthLayout } from '../../components/AuthLayout'
import { TextField } from '../../components/FormField'
import { Button, Notice, Skeleton } from '../../components/ui'
import { useSession } from '../../lib/session'
import { useSignInAfterJoining, useVerifySignup } from './api'

// /signup/verify?token=…, the link of the sign-up email: the token is
// used once, then the owner signs in with the password they chose and
// goes on to setup.
export function VerifyEmailPage() {
  const [params] = useSearchParams()
  const token = params.get('token')?.trim() ?? ''
  const verify = useVerifySignup(token)

  if (!token) {
    return (
      <AuthLayout title="Confirm your email">
        <Notice tone="warning" role="alert">
          This page needs the link from your sign-up email. Open the link in the email again.
        </Notice>
        <p className="auth-links">
          <Link to="/signup">Sign up</Link> · <Link to="/sign-in">Sign in</Link>
        </p>
      </AuthLayout>
    )
  }
  if (verify.isPending) {
    return (
      <AuthLayout title="Confirming your email…">
        <div role="status" aria-label="Confirming your email">
          <Skeleton lines={2} />
        </div>
      </AuthLayout>
    )
  }
  if (verify.isError) {
    return (
      <AuthLayout title="This link doesn't work">
        <Notice tone="danger" role="alert">
          {verify.error.message}
        </Notice>
        <p>If you have confirmed your email already, sign in. Otherwise sign up again with the same email to get a new link.</p>
        <p className="auth-links">
          <Link to="/sign-in">Sign in</Link> · <Link to="/signup">Sign up again</Link>
        </p>
      </AuthLayout>
    )
  }
  return <SignInToSetup orgName={verify.data.org.name} email={verify.data.owner.email} />
}

function SignInToSetup({ orgName, email }: { orgName: string; email: string }) {
  const { session } = useSession()
  const navigate = useNavigate()
  const signIn = useSignInAfterJoining()
  const [password, setPassword] = useState('')

  async function submit(e: FormEvent) {
    e.preventDefault()
    const s = await signIn.mutateAsync({ email, password }).catch(() => null)
    if (s) navigate('/setup', { replace: true })
  }

  return (
    <AuthLayout title="Your email is confirmed">
      <Notice tone="success" role="status">
        {orgName} is ready to set up. Sign in to connect your phone numbers.
      </Notice>
      {session && session.user.email === email ? (
        <p>
          <Link to="/setup">Go to setup</Link>
        </p>
      ) : (
        <form onSubmit={submit} className="form" noValidate>
          {signIn.error && (
            <Notice tone="danger" role="alert">
              {signIn.error.message}
            </Notice>
          )}
          <TextField id="email" label="Email" type="email" autoComplete="username" readOnly value={email} />
          <TextField
            id="password"
            label="Password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            hint="The password you chose when you signed up."
          />
          <Button type="submit" variant="primary" disabled={signIn.isPending || !password}>
            {signIn.isPending ? 'Signing in…' : 'Sign in and set up'}
          </Button>
        </form>
      )}
    </AuthLayout>
  )
}
