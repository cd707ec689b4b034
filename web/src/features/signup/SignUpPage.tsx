import { useMemo, useState, type FormEvent } from 'react'
import { Link, Navigate } from 'react-router'
import { AuthLayout } from '../../components/AuthLayout'
import { fieldErrors, formError, SelectField, TextField } from '../../components/FormField'
import { Button, Notice } from '../../components/ui'
import { ApiError } from '../../lib/api/http'
import { useSession } from '../../lib/session'
import { linkIn, useDevMailbox, useResendSignup, useSignUp, type SignupForm } from './api'
import { browserTimeZone, nowIn, zoneGroups } from './timeZones'

const fields = ['orgName', 'timeZone', 'ownerName', 'email', 'password'] as const

/** The messages to show next to each field for a refused sign-up. */
export function signupFieldErrors(error: unknown): Record<string, string> {
  const out = { ...fieldErrors(error) }
  // One email has one sign-up in flight: the refusal is about the email.
  if (error instanceof ApiError && error.code === 'signup_in_flight') out.email = error.message
  return out
}

export function SignUpPage() {
  const { session } = useSession()
  const signUp = useSignUp()
  const [form, setForm] = useState<SignupForm>(() => ({ orgName: '', timeZone: browserTimeZone(), ownerName: '', email: '', password: '' }))
  const groups = useMemo(() => zoneGroups(form.timeZone), [form.timeZone])

  if (session && !signUp.isPending) return <Navigate to="/" replace />

  const set = (k: keyof SignupForm) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }))

  function submit(e: FormEvent) {
    e.preventDefault()
    signUp.mutate(form)
  }

  if (signUp.isSuccess) return <CheckEmail email={signUp.data.email} message={signUp.data.message} />

  const errors = signupFieldErrors(signUp.error)
  const inFlight = signUp.error instanceof ApiError && signUp.error.code === 'signup_in_flight'
  const top = inFlight ? null : formError(signUp.error, [...fields])
  const time = form.timeZone ? nowIn(form.timeZone) : ''

  return (
    <AuthLayout title="Create your business">
      <p>Set up Snout for your pet-sitting business. You'll confirm your email, then connect your phone numbers.</p>
      {top && (
        <Notice tone="danger" role="alert">
          {top}
        </Notice>
      )}
      <form onSubmit={submit} className="form" noValidate>
        <TextField id="orgName" label="Business name" autoComplete="organization" required value={form.orgName} onChange={set('orgName')} error={errors.orgName} />
        <SelectField
          id="timeZone"
          label="Time zone"
          value={form.timeZone}
          onChange={set('timeZone')}
          error={errors.timeZone}
          hint={time ? `Visits, quiet hours and message times use this zone. It is ${time} there now.` : 'Visits, quiet hours and message times use this zone.'}
        >
          {!form.timeZone && <option value="">Choose a time zone</option>}
          {groups.map((g) => (
            <optgroup key={g.region} label={g.region}>
              {g.zones.map((z) => (
                <option key={z.value} value={z.value}>
                  {z.label}
                  {g.region !== 'Other' ? ` (${g.region})` : ''}
                </option>
              ))}
            </optgroup>
          ))}
        </SelectField>
        <TextField id="ownerName" label="Your name" autoComplete="name" required value={form.ownerName} onChange={set('ownerName')} error={errors.ownerName} />
        <TextField id="email" label="Email" type="email" autoComplete="email" required value={form.email} onChange={set('email')} error={errors.email} />
        {inFlight && <ResendLink email={form.email} />}
        <TextField
          id="password"
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          value={form.password}
          onChange={set('password')}
          error={errors.password}
          hint="At least 10 characters."
        />
        <Button type="submit" variant="primary" disabled={signUp.isPending}>
          {signUp.isPending ? 'Creating…' : 'Create business'}
        </Button>
      </form>
      <p className="auth-links">
        Already on Snout? <Link to="/sign-in">Sign in</Link>
      </p>
    </AuthLayout>
  )
}

function ResendLink({ email }: { email: string }) {
  const resend = useResendSignup()
  if (resend.isSuccess)
    return (
      <Notice tone="success" role="status">
        {resend.data.message}
      </Notice>
    )
  return (
    <p className="small">
      <button type="button" className="link-button" onClick={() => resend.mutate(email)} disabled={resend.isPending}>
        Send me a new link
      </button>
      {resend.error && <span className="field-error"> {resend.error.message}</span>}
    </p>
  )
}

/** After signing up: the link is on its way; ask for another if it does not come. */
export function CheckEmail({ email, message }: { email: string; message: string }) {
  const resend = useResendSignup()
  const mailbox = useDevMailbox(email, true)
  const devLink = mailbox.data?.emails.map((m) => linkIn(m.body, '/signup/verify')).find(Boolean) ?? null
  return (
    <AuthLayout title="Check your email">
      <Notice tone="success" role="status">
        {message}
      </Notice>
      <p>
        The link works for a day. It may take a minute to arrive; look in your spam folder too. Nothing came, or the link has expired? Ask for a new one: the
        old link then stops working.
      </p>
      {resend.isSuccess && (
        <Notice tone="info" role="status">
          {resend.data.message}
        </Notice>
      )}
      {resend.error && (
        <Notice tone="danger" role="alert">
          {resend.error.message}
        </Notice>
      )}
      <Button onClick={() => resend.mutate(email)} disabled={resend.isPending}>
        {resend.isPending ? 'Sending…' : 'Send a new link'}
      </Button>
      {devLink && (
        <Notice tone="warning">
          This is a development install: it sends no email. The message is kept here instead. <Link to={devLink}>Open the verification link</Link>
        </Notice>
      )}
      <p className="auth-links">
        <Link to="/sign-in">Back to sign in</Link>
      </p>
    </AuthLayout>
  )
}
