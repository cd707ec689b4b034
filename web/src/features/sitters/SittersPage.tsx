import { useState } from 'react'
import { Drawer } from '../../components/Drawer'
import { Avatar, Badge, Button, EmptyState, ErrorState, LoadingList } from '../../components/ui'
import { formatPhone } from '../../lib/format'
import { useSitters, type Sitter } from './api'
import { SitterEditor } from './SitterEditor'

// Owners' and admins' sitters: who works for the business, the number
// clients text them on, and how busy they are now.
export function SittersPage() {
  const sitters = useSitters()
  // null: closed; 'new': adding; else the sitter being edited.
  const [editing, setEditing] = useState<Sitter | 'new' | null>(null)
  const list = sitters.data?.sitters ?? []
  return (
    <main id="main" className="page sitters-page">
      <div className="page-head">
        <div>
          <h1>Sitters</h1>
          <p className="muted">Each sitter's own number, the visits they're on now and their conversations.</p>
        </div>
        <Button variant="primary" onClick={() => setEditing('new')}>
          Add a sitter
        </Button>
      </div>
      {sitters.isPending ? (
        <LoadingList rows={4} label="Loading sitters" />
      ) : sitters.isError ? (
        <ErrorState title="Sitters didn't load" error={sitters.error} onRetry={() => void sitters.refetch()} />
      ) : list.length === 0 ? (
        <div className="card">
          <EmptyState title="No sitters yet" action={<Button onClick={() => setEditing('new')}>Add a sitter</Button>}>
            Add the people who visit your clients' pets. Invite them from the Team page to give them the sitter app.
          </EmptyState>
        </div>
      ) : (
        <ul className="sitter-roster">
          {list.map((s) => (
            <SitterCard key={s.id} sitter={s} onEdit={() => setEditing(s)} />
          ))}
        </ul>
      )}
      <Drawer open={editing !== null} title={editing === 'new' ? 'Add a sitter' : editing ? `Edit ${editing.name}` : ''} onClose={() => setEditing(null)}>
        {editing !== null && <SitterEditor key={editing === 'new' ? 'new' : editing.id} sitter={editing === 'new' ? undefined : editing} onDone={() => setEditing(null)} />}
      </Drawer>
    </main>
  )
}

function plural(n: number, one: string, many: string) {
  return `${n} ${n === 1 ? one : many}`
}

function SitterCard({ sitter: s, onEdit }: { sitter: Sitter; onEdit: () => void }) {
  return (
    <li className={`card roster-card${s.active ? '' : ' person-inactive'}`} data-testid="sitter">
      <div className="roster-head">
        <Avatar name={s.name} />
        <div className="person-main">
          <p className="person-name">
            <span className="break">{s.name}</span> {s.active ? <Badge tone="success">Active</Badge> : <Badge tone="neutral">Inactive</Badge>}
          </p>
          <p className="person-sub break">
            {s.displayName ? (
              <>
                Clients see <strong>{s.displayName}</strong>
              </>
            ) : (
              'No display name'
            )}
          </p>
          <p className="person-sub small break">{s.hasLogin ? `Signs in as ${s.email}` : 'No login: invite them from the Team page'}</p>
        </div>
        <Button onClick={onEdit} aria-label={`Edit ${s.name}`}>
          Edit
        </Button>
      </div>
      <dl className="roster-facts">
        <div>
          <dt>Sitter number</dt>
          <dd>{s.line ? <span className="nowrap">{formatPhone(s.line.e164)}</span> : <span className="muted">None</span>}</dd>
        </div>
        <div>
          <dt>Active windows</dt>
          <dd>{s.activeWindows}</dd>
        </div>
        <div>
          <dt>Threads</dt>
          <dd>
            {s.threads}
            {s.unreadThreads > 0 && <span className="muted small"> ({plural(s.unreadThreads, 'unread', 'unread')})</span>}
          </dd>
        </div>
      </dl>
    </li>
  )
}
