import { ApiError } from '../../lib/api/http'
import { Notice } from '../../components/ui'
import { blockingWindows, useChangeRole, useDeactivate, type Member, type TeamRole, type WindowAhead } from './api'
import { ConfirmDialog } from './ConfirmDialog'

const roleWords: Record<string, string> = { owner: 'an owner', admin: 'an admin', sitter: 'a sitter' }
const roleMeans: Record<string, string> = {
  owner: 'They will manage everything, including the team, settings and setup.',
  admin: 'They will see the whole inbox, clients, sitters and numbers, but not the team or settings.',
  sitter: 'They will see only their own conversations, in the sitter app.',
}

export function RoleDialog({ pending, onClose }: { pending: { member: Member; role: TeamRole } | null; onClose: () => void }) {
  const change = useChangeRole()
  const close = () => {
    change.reset()
    onClose()
  }
  const name = pending?.member.name ?? ''
  return (
    <ConfirmDialog
      open={!!pending}
      title={`Make ${name} ${pending ? roleWords[pending.role] : ''}?`}
      confirmLabel="Change role"
      tone="primary"
      busy={change.isPending}
      onClose={close}
      onConfirm={() => pending && change.mutate({ id: pending.member.userId, role: pending.role }, { onSuccess: close })}
    >
      {pending && <p>{roleMeans[pending.role]}</p>}
      {change.isError && (
        <Notice tone="danger" role="alert">
          {change.error.message}
        </Notice>
      )}
    </ConfirmDialog>
  )
}

export function DeactivateDialog({ member, onClose }: { member: Member | null; onClose: () => void }) {
  const deactivate = useDeactivate()
  const close = () => {
    deactivate.reset()
    onClose()
  }
  const err = deactivate.error instanceof ApiError ? deactivate.error : null
  const windows = err ? blockingWindows(err.detail) : []
  const name = member?.name ?? ''
  return (
    <ConfirmDialog
      open={!!member}
      title={windows.length > 0 ? `${name} can't be deactivated yet` : `Deactivate ${name}?`}
      confirmLabel={`Deactivate ${name}`}
      busy={deactivate.isPending}
      hideConfirm={windows.length > 0}
      onClose={close}
      onConfirm={() => member && deactivate.mutate(member.userId, { onSuccess: close })}
    >
      {windows.length > 0 ? (
        <BlockingWindows name={name} windows={windows} />
      ) : (
        <>
          <p>
            {name} is signed out everywhere at once and can't sign in until you reactivate them. Their conversations and history stay.
          </p>
          {deactivate.isError && (
            <Notice tone="danger" role="alert">
              {deactivate.error.message}
            </Notice>
          )}
        </>
      )}
    </ConfirmDialog>
  )
}

/** The refusal: the sitter's windows that have not ended, one a line. */
export function BlockingWindows({ name, windows }: { name: string; windows: WindowAhead[] }) {
  const n = windows.length
  return (
    <div role="alert">
      <p>
        {name} still has {n === 1 ? 'a visit window' : `${n} visit windows`} that {n === 1 ? "hasn't" : "haven't"} ended. Reassign them to another sitter or cancel
        them first, then deactivate {name}.
      </p>
      <ul className="window-list">
        {windows.map((w) => (
          <li key={w.windowId}>
            <strong className="break">{w.clientName}</strong>
            <span>
              {w.starts} – {w.ends}
            </span>
          </li>
        ))}
      </ul>
    </div>
  )
}
