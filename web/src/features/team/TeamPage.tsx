import { useState } from 'react'
import { Avatar, Badge, Button, EmptyState, ErrorState, LoadingList, Notice } from '../../components/ui'
import { formatDateTime } from '../../lib/format'
import { useSession, useSignedIn } from '../../lib/session'
import { splitInvitations, useInvitations, useMembers, useReactivate, useRevokeInvitation, type Invitation, type Member, type TeamRole } from './api'
import { ConfirmDialog } from './ConfirmDialog'
import { InvitationRow } from './InvitationRow'
import { InviteForm } from './InviteForm'
import { DeactivateDialog, RoleDialog } from './MemberDialogs'

export const roleLabels: Record<string, string> = { owner: 'Owner', admin: 'Admin', sitter: 'Sitter' }
export const roleDescriptions: Record<string, string> = {
  owner: 'Everything, including the team, settings and setup.',
  admin: 'The whole inbox, clients, sitters and numbers; not the team or settings.',
  sitter: 'Only their own conversations, in the sitter app.',
}

type Pending = { kind: 'role'; member: Member; role: TeamRole } | { kind: 'deactivate'; member: Member } | null

// The owner's team page: who can sign in, as what; invitations out.
export function TeamPage() {
  const members = useMembers()
  const [pending, setPending] = useState<Pending>(null)
  return (
    <main id="main" className="page team-page">
      <h1>Team</h1>
      <p className="muted">Who can sign in to your business, and what each person sees. Changes take effect at once.</p>

      <section className="card" aria-labelledby="members-title">
        <h2 id="members-title">Members</h2>
        {members.isPending ? (
          <LoadingList rows={4} label="Loading the team" />
        ) : members.isError ? (
          <ErrorState title="The team didn't load" error={members.error} onRetry={() => void members.refetch()} />
        ) : members.data.members.length === 0 ? (
          <EmptyState title="Nobody on the team yet">Invite an admin or a sitter below.</EmptyState>
        ) : (
          <ul className="people-list">
            {members.data.members.map((m) => (
              <MemberRow key={m.userId} member={m} onRole={(role) => setPending({ kind: 'role', member: m, role })} onDeactivate={() => setPending({ kind: 'deactivate', member: m })} />
            ))}
          </ul>
        )}
      </section>

      <InvitationsSection />

      <RoleDialog pending={pending?.kind === 'role' ? pending : null} onClose={() => setPending(null)} />
      <DeactivateDialog member={pending?.kind === 'deactivate' ? pending.member : null} onClose={() => setPending(null)} />
    </main>
  )
}

function MemberRow({ member, onRole, onDeactivate }: { member: Member; onRole: (r: TeamRole) => void; onDeactivate: () => void }) {
  const session = useSignedIn()
  const { timeZone } = useSession()
  const reactivate = useReactivate()
  const self = member.userId === session.user.id
  const selectId = `role-${member.userId}`
  return (
    <li className={`person${member.active ? '' : ' person-inactive'}`} data-testid="member">
      <Avatar name={member.name} />
      <div className="person-main">
        <p className="person-name">
          <span className="break">{member.name}</span> {self && <Badge tone="info">You</Badge>}{' '}
          {member.active ? (
            <Badge tone="success">Active</Badge>
          ) : (
            <Badge tone="neutral">Deactivated</Badge>
          )}
        </p>
        <p className="person-sub break">{member.email}</p>
        <p className="person-sub small">
          {member.active || !member.deactivatedAt
            ? `Joined ${formatDateTime(member.joinedAt, timeZone)}`
            : `Deactivated ${formatDateTime(member.deactivatedAt, timeZone)}: can't sign in`}
        </p>
        {reactivate.isError && (
          <Notice tone="danger" role="alert">
            {reactivate.error.message}
          </Notice>
        )}
      </div>
      <div className="person-actions">
        {self ? (
          <span className="person-role">{roleLabels[member.role] ?? member.role}</span>
        ) : (
          <div className="field-inline">
            <label htmlFor={selectId} className="sr-only">
              Role of {member.name}
            </label>
            <select id={selectId} value={member.role} disabled={!member.active} onChange={(e) => onRole(e.target.value as TeamRole)}>
              <option value="owner">Owner</option>
              <option value="admin">Admin</option>
              <option value="sitter">Sitter</option>
            </select>
          </div>
        )}
        {!self &&
          (member.active ? (
            <Button variant="secondary" onClick={onDeactivate} aria-label={`Deactivate ${member.name}`}>
              Deactivate
            </Button>
          ) : (
            <Button variant="secondary" onClick={() => reactivate.mutate(member.userId)} disabled={reactivate.isPending} aria-label={`Reactivate ${member.name}`}>
              Reactivate
            </Button>
          ))}
      </div>
    </li>
  )
}

function InvitationsSection() {
  const invitations = useInvitations()
  const [revoking, setRevoking] = useState<Invitation | null>(null)
  const split = invitations.data ? splitInvitations(invitations.data.invitations) : null
  return (
    <section className="card" aria-labelledby="invitations-title">
      <h2 id="invitations-title">Invitations</h2>
      <p className="muted small">An invitation email holds a link that works once, for 7 days. Resending it sends a new link; the old one stops working.</p>
      <InviteForm />
      <h3 className="section-sub">Waiting for an answer</h3>
      {invitations.isPending ? (
        <LoadingList rows={2} label="Loading invitations" />
      ) : invitations.isError ? (
        <ErrorState title="Invitations didn't load" error={invitations.error} onRetry={() => void invitations.refetch()} />
      ) : split!.open.length === 0 ? (
        <p className="muted">No open invitations.</p>
      ) : (
        <ul className="people-list" aria-label="Open invitations">
          {split!.open.map((i) => (
            <InvitationRow key={i.id} invitation={i} onRevoke={() => setRevoking(i)} />
          ))}
        </ul>
      )}
      {split && split.closed.length > 0 && (
        <details className="closed-invitations">
          <summary>Accepted and withdrawn ({split.closed.length})</summary>
          <ul className="people-list" aria-label="Accepted and withdrawn invitations">
            {split.closed.map((i) => (
              <InvitationRow key={i.id} invitation={i} />
            ))}
          </ul>
        </details>
      )}
      <RevokeDialog invitation={revoking} onClose={() => setRevoking(null)} />
    </section>
  )
}

function RevokeDialog({ invitation, onClose }: { invitation: Invitation | null; onClose: () => void }) {
  const revoke = useRevokeInvitation()
  const close = () => {
    revoke.reset()
    onClose()
  }
  const who = invitation ? invitation.name || invitation.email : ''
  return (
    <ConfirmDialog
      open={!!invitation}
      title="Withdraw this invitation?"
      confirmLabel="Withdraw invitation"
      busy={revoke.isPending}
      onClose={close}
      onConfirm={() => invitation && revoke.mutate(invitation.id, { onSuccess: close })}
    >
      <p>
        The link sent to <strong className="break">{invitation?.email}</strong> stops working. You can invite {who} again later.
      </p>
      {revoke.isError && (
        <Notice tone="danger" role="alert">
          {revoke.error.message}
        </Notice>
      )}
    </ConfirmDialog>
  )
}
