import { useState, type FormEvent } from 'react'
import { fieldErrors, formError, SelectField, TextField } from '../../components/FormField'
import { Button, Notice } from '../../components/ui'
import { useInvite, useSittersWithoutLogin } from './api'

export function InviteForm() {
  const invite = useInvite()
  const [email, setEmail] = useState('')
  const [name, setName] = useState('')
  const [role, setRole] = useState<'admin' | 'sitter'>('sitter')
  const [sitterId, setSitterId] = useState('')
  const withoutLogin = useSittersWithoutLogin(role === 'sitter')
  const records = role === 'sitter' ? (withoutLogin.data ?? []) : []

  function submit(e: FormEvent) {
    e.preventDefault()
    invite.mutate(
      { email, name, role, ...(role === 'sitter' && sitterId ? { sitterId } : {}) },
      {
        onSuccess: () => {
          setEmail('')
          setName('')
          setSitterId('')
        },
      },
    )
  }

  const errors = fieldErrors(invite.error)
  const top = formError(invite.error, ['email', 'name', 'role', 'sitterId'])
  return (
    <form className="invite-form" onSubmit={submit} noValidate aria-labelledby="invite-title">
      <h3 id="invite-title" className="section-sub">
        Invite someone
      </h3>
      {top && (
        <Notice tone="danger" role="alert">
          {top}
        </Notice>
      )}
      {invite.isSuccess && (
        <Notice tone="success" role="status" onDismiss={() => invite.reset()}>
          Invitation sent to <strong className="break">{invite.data.email}</strong>.
          {invite.data.link && (
            <>
              {' '}
              If the email goes astray, send them this link yourself: <code className="break">{invite.data.link}</code>
            </>
          )}
        </Notice>
      )}
      <div className="invite-fields">
        <TextField id="invite-email-input" label="Email" type="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} error={errors.email} />
        <TextField id="invite-name" label="Name (optional)" autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} />
        <SelectField id="invite-role" label="Role" value={role} onChange={(e) => setRole(e.target.value as 'admin' | 'sitter')} error={errors.role}>
          <option value="sitter">Sitter</option>
          <option value="admin">Admin</option>
        </SelectField>
      </div>
      {records.length > 0 && (
        <SelectField
          id="invite-sitter"
          label="Sitter record (optional)"
          value={sitterId}
          onChange={(e) => setSitterId(e.target.value)}
          error={errors.sitterId}
          hint="Give a sitter you already added their login; their windows and conversations stay theirs."
        >
          <option value="">A new sitter</option>
          {records.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </SelectField>
      )}
      <Button type="submit" variant="primary" disabled={invite.isPending || !email}>
        {invite.isPending ? 'Sending…' : 'Send invitation'}
      </Button>
    </form>
  )
}
