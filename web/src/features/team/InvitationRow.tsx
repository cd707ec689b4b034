import { Badge, Button, Notice, type Tone } from '../../components/ui'
import { formatDateTime } from '../../lib/format'
import { useSession } from '../../lib/session'
import { useResendInvitation, type Invitation } from './api'

const statusBadge: Record<string, { label: string; tone: Tone }> = {
  pending: { label: 'Waiting', tone: 'info' },
  expired: { label: 'Expired', tone: 'warning' },
  accepted: { label: 'Accepted', tone: 'success' },
  revoked: { label: 'Withdrawn', tone: 'neutral' },
}
const roleLabels: Record<string, string> = { admin: 'Admin', sitter: 'Sitter', owner: 'Owner' }

export function InvitationRow({ invitation: i, onRevoke }: { invitation: Invitation; onRevoke?: () => void }) {
  const { timeZone } = useSession()
  const resend = useResendInvitation()
  const badge = statusBadge[i.status] ?? { label: i.status, tone: 'neutral' as Tone }
  const open = i.status === 'pending' || i.status === 'expired'
  const who = i.name || i.email
  let when: string
  switch (i.status) {
    case 'accepted':
      when = `Accepted ${formatDateTime(i.acceptedAt ?? i.lastSentAt, timeZone)}`
      break
    case 'revoked':
      when = `Withdrawn ${formatDateTime(i.revokedAt ?? i.lastSentAt, timeZone)}`
      break
    case 'expired':
      when = `Expired ${formatDateTime(i.expiresAt, timeZone)}: resend it for a new link`
      break
    default:
      when = `Sent ${formatDateTime(i.lastSentAt, timeZone)}${i.sentCount > 1 ? ` (${i.sentCount} times)` : ''}; works until ${formatDateTime(i.expiresAt, timeZone)}`
  }
  return (
    <li className="person" data-testid="invitation">
      <div className="person-main">
        <p className="person-name">
          <span className="break">{i.name || i.email}</span> <Badge tone={badge.tone}>{badge.label}</Badge>
        </p>
        {i.name && <p className="person-sub break">{i.email}</p>}
        <p className="person-sub small">
          {roleLabels[i.role] ?? i.role} · {when}
        </p>
        {resend.isSuccess && (
          <Notice tone="success" role="status">
            Sent again with a new link.
          </Notice>
        )}
        {resend.isError && (
          <Notice tone="danger" role="alert">
            {resend.error.message}
          </Notice>
        )}
      </div>
      {open && (
        <div className="person-actions">
          <Button onClick={() => resend.mutate(i.id)} disabled={resend.isPending} aria-label={`Resend the invitation to ${who}`}>
            {resend.isPending ? 'Sending…' : 'Resend'}
          </Button>
          {onRevoke && (
            <Button onClick={onRevoke} aria-label={`Withdraw the invitation to ${who}`}>
              Withdraw
            </Button>
          )}
        </div>
      )}
    </li>
  )
}
