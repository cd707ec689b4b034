import { useState, type FormEvent } from 'react'
import { Link, useNavigate, useSearchParams } from 'react-router'
import { AuthLayout } from '../../components/AuthLayout'
import { fieldErrors, formError, TextField } from '../../components/FormField'
import { Button, Notice, Skeleton } from '../../components/ui'
import { ApiError } from '../../lib/api/http'
import { useSession } from '../../lib/session'
import { useAcceptInvitation, useInvitationPreview, useSignInAfterJoining } from './api'

const roleWords: Record<string, string> = { admin: 'an admin', sitter: 'a sitter', owner: 'an owner' }

/** Why an invitation link can't be used, as a title and what to do. */
export function invitationProblem(error: unknown): { title: string; message: string; signIn: boolean } {
  const code = error instanceof ApiError ? error.code : ''
  const message = error instanceof Error ? error.message : 'This invitation could not be loaded.'
  switch (code) {
    case 'invitation_expired':
      return { title: 'This invitation has expired', message, signIn: false }
    case 'invitation_used':
      return { title: 'This invitation has been used', message, signIn: true }
    case 'invitation_revoked':
      return { title: 'This invitation was withdrawn', message, signIn: false }
    case 'invalid_token':
      return { title: "This invitation link doesn't work", message, signIn: false }
  }
  return { title: "This invitation didn't load", message, signIn: false }
}

// /invitations/accept?token=…, the link of an invitation email: who
// invites whom as what, then a name and password, then straight in (a
// sitter to their app, an admin to the dashboard).
export function AcceptInvitationPage() {
  const [params] = useSearchParams()
  const token = params.get('token')?.trim() ?? ''
  const preview = useInvitationPreview(token)

  if (!token) {
    return (
      <AuthLayout title="Join a team">
        <Notice tone="warning" role="alert">
          This page needs the link from your invitation email. Open the link in the email again.
        </Notice>
        <p className="auth-links">
          <Link to="/sign-in">Sign in</Link>
        </p>
      </AuthLayout>
    )
  }
  if (preview.isPending) {
    return (
      <AuthLayout title="Join a team">
        <div role="status" aria-label="Loading the invitation">
          <Skeleton lines={3} />
        </div>
      </AuthLayout>
    )
  }
  if (preview.isError) {
    const p = invitationProblem(preview.error)
    return (
      <AuthLayout title={p.title}>
        <Notice tone={p.signIn ? 'info' : 'danger'} role="alert">
          {p.message}
        </Notice>
        {!p.signIn && <p>The business can send you a new invitation from its Team page.</p>}
        <p className="auth-links">
          <Link to="/sign-in">Sign in</Link>
        </p>
      </AuthLayout>
    )
  }
  return <AcceptForm token={token} invitation={preview.data} />
}

function AcceptForm({
  token,
  invitation,
}: {
  token: string
  invitation: { orgName: string; email: string; name: string; role: string; existingAccount: boolean; expiresAt: string }
}) {
  const navigate = useNavigate()
  const { session } = useSession()
  const accept = useAcceptInvitation()
  const signIn = useSignInAfterJoining()
  const [name, setName] = useState(invitation.name)
  const [password, setPassword] = useState('')
  const [confirm, setConfirm] = useState('')
  const [mismatch, setMismatch] = useState(false)

  async function submit(e: FormEvent) {
    e.preventDefault()
    if (!invitation.existingAccount && password !== confirm) {
      setMismatch(true)
      return
    }
    setMismatch(false)
    const joined = await accept.mutateAsync({ token, name: invitation.existingAccount ? '' : name, password }).catch(() => null)
    if (!joined) return
    const s = await signIn.mutateAsync({ email: invitation.email, password }).catch(() => null)
    // Home sends a sitter to their app and an admin to the inbox.
    if (s) navigate('/', { replace: true })
  }

  if (accept.isSuccess && signIn.isError) {
    return (
      <AuthLayout title="You've joined the team">
        <Notice tone="success" role="status">
          You're on the team of {invitation.orgName}. Sign in with {invitation.email} to continue.
        </Notice>
        <p className="auth-links">
          <Link to="/sign-in">Sign in</Link>
        </p>
      </AuthLayout>
    )
  }

  const errors = fieldErrors(accept.error)
  const tokenGone = accept.error instanceof ApiError && (errors.token || accept.error.status === 409)
  const top = tokenGone ? accept.error!.message : formError(accept.error, ['name', 'password'])
  const role = roleWords[invitation.role] ?? invitation.role
  return (
    <AuthLayout title={`Join ${invitation.orgName}`}>
      <p>
        <strong>{invitation.orgName}</strong> invites <strong className="break">{invitation.email}</strong> to join their team on Snout as {role}.
      </p>
      {session && (
        <Notice tone="info">
          You're signed in as {session.user.email}. Joining signs you in as {invitation.email} instead.
        </Notice>
      )}
      {top && (
        <Notice tone="danger" role="alert">
          {top}
        </Notice>
      )}
      <form onSubmit={submit} className="form" noValidate>
        <TextField id="invite-email" label="Email" type="email" autoComplete="username" readOnly value={invitation.email} />
        {invitation.existingAccount ? (
          <TextField
            id="password"
            label="Password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={errors.password}
            hint="This email has a Snout login already: enter its password to join."
          />
        ) : (
          <>
            <TextField id="name" label="Your name" autoComplete="name" required value={name} onChange={(e) => setName(e.target.value)} error={errors.name} />
            <TextField
              id="password"
              label="Choose a password"
              type="password"
              autoComplete="new-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              error={errors.password}
              hint="At least 10 characters."
            />
            <TextField
              id="confirm-password"
              label="Repeat the password"
              type="password"
              autoComplete="new-password"
              required
              value={confirm}
              onChange={(e) => setConfirm(e.target.value)}
              error={mismatch ? 'The two passwords are not the same.' : undefined}
            />
          </>
        )}
        <Button type="submit" variant="primary" disabled={accept.isPending || signIn.isPending || !password}>
          {accept.isPending || signIn.isPending ? 'Joining…' : `Join ${invitation.orgName}`}
        </Button>
      </form>
      <p className="auth-links small muted">
        The invitation works until {new Date(invitation.expiresAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}.
      </p>
    </AuthLayout>
  )
}
