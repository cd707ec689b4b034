import { useState, type FormEvent } from 'react'
import { fieldErrors, formError, TextField } from '../../components/FormField'
import { Button, Notice } from '../../components/ui'
import { formatDateTime } from '../../lib/format'
import { useSession } from '../../lib/session'
import { useConnectProvider, type SetupView } from './api'

// Step 1: the Twilio account. The credentials are checked against Twilio
// before anything is kept, then stored encrypted; they are never shown again.
export function ProviderStep({ view }: { view: SetupView }) {
  const { timeZone } = useSession()
  const connect = useConnectProvider()
  const [useKey, setUseKey] = useState(false)
  const [form, setForm] = useState({ accountSid: '', authToken: '', apiKeySid: '', apiKeySecret: '' })
  const connected = view.provider
  const errors = fieldErrors(connect.error)
  const general = formError(connect.error, ['accountSid', 'authToken', 'apiKeySid', 'apiKeySecret'])
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }))

  const submit = (e: FormEvent) => {
    e.preventDefault()
    connect.mutate({
      accountSid: form.accountSid,
      authToken: form.authToken,
      ...(useKey ? { apiKeySid: form.apiKeySid, apiKeySecret: form.apiKeySecret } : {}),
    })
  }

  if (connected && view.steps[0]?.status === 'done') {
    return (
      <div className="stack">
        <Notice tone="success">
          Connected to <strong>{connected.friendlyName}</strong> on {formatDateTime(connected.connectedAt, timeZone)}.
        </Notice>
        {connected.accountSid && <p className="muted">Account SID {connected.accountSid}</p>}
        <p className="muted">The credentials are kept encrypted and are never shown again.</p>
      </div>
    )
  }
  return (
    <form className="stack" onSubmit={submit} noValidate>
      <p>
        In the Twilio console, open <em>Account info</em> on the home page and copy the Account SID and the Auth Token. Snout checks them with
        Twilio before keeping them, encrypted.
      </p>
      <TextField id="accountSid" label="Account SID" value={form.accountSid} onChange={set('accountSid')} autoComplete="off" spellCheck={false} placeholder="AC…" error={errors.accountSid} required />
      <TextField
        id="authToken"
        label="Auth Token"
        type="password"
        value={form.authToken}
        onChange={set('authToken')}
        autoComplete="off"
        error={errors.authToken}
        hint="Needed even with an API key: Snout uses it to check that incoming texts really come from Twilio."
        required
      />
      <label className="check">
        <input type="checkbox" checked={useKey} onChange={(e) => setUseKey(e.target.checked)} /> Use an API key (SK…) to send texts
      </label>
      {useKey && (
        <>
          <TextField id="apiKeySid" label="API key SID" value={form.apiKeySid} onChange={set('apiKeySid')} autoComplete="off" spellCheck={false} placeholder="SK…" error={errors.apiKeySid} />
          <TextField id="apiKeySecret" label="API key secret" type="password" value={form.apiKeySecret} onChange={set('apiKeySecret')} autoComplete="off" error={errors.apiKeySecret} />
        </>
      )}
      {general && (
        <Notice tone="danger" role="alert">
          {general}
        </Notice>
      )}
      <div>
        <Button type="submit" variant="primary" busy={connect.isPending} disabled={connect.isPending}>
          {connect.isPending ? 'Checking with Twilio…' : 'Connect account'}
        </Button>
      </div>
    </form>
  )
}
