import { useState } from 'react'
import { Link, useLocation, useNavigate, useParams } from 'react-router'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { Avatar, Badge, Button, ErrorState, Notice, Skeleton } from '../../components/ui'
import { ApiError } from '../../lib/api/http'
import { formatDateTime, formatListTime, formatPhone } from '../../lib/format'
import { useSession, useSignedIn } from '../../lib/session'
import { useArchiveClient, useClient, useSetConsent } from './api'
import { ClientNotFound } from './ClientFormPage'
import { consentSentence } from './consent'
import { StartConversation } from './StartConversation'
import type { ClientDetailView } from './types'

const classNames: Record<string, string> = { front_desk: 'Front desk', sitter: 'Sitter line', pool: 'Pool' }
const windowWords: Record<string, string> = { active: 'Now', scheduled: 'Coming up', ended: 'Ended', cancelled: 'Cancelled' }

export function ClientDetailPage() {
  const { id = '' } = useParams()
  const client = useClient(id)
  if (client.isPending) {
    return (
      <main id="main" className="page" aria-busy="true">
        <Link to="/clients" className="crumb">
          ← Clients
        </Link>
        <div className="card" role="status" aria-label="Loading the client">
          <Skeleton lines={6} />
        </div>
      </main>
    )
  }
  if (client.isError) {
    return (
      <main id="main" className="page">
        <Link to="/clients" className="crumb">
          ← Clients
        </Link>
        {client.error instanceof ApiError && client.error.notFound ? <ClientNotFound /> : <ErrorState error={client.error} onRetry={() => void client.refetch()} />}
      </main>
    )
  }
  return <ClientDetail key={client.data.id} c={client.data} />
}

function ClientDetail({ c }: { c: ClientDetailView }) {
  const { timeZone } = useSession()
  const session = useSignedIn()
  const location = useLocation()
  const navigate = useNavigate()
  const arrived = (location.state as { notice?: string } | null)?.notice
  const [notice, setNotice] = useState<string | null>(arrived ?? null)
  const [confirm, setConfirm] = useState<null | 'archive' | 'restore' | 'opt_out' | 'opt_in'>(null)
  const [composing, setComposing] = useState(false)
  const archive = useArchiveClient(c.id)
  const consent = useSetConsent(c.id)
  const staff = session.role === 'owner' || session.role === 'admin'
  const title = c.namedByNumber ? formatPhone(c.phone) : c.name
  const error = archive.error ?? consent.error

  const run = async () => {
    try {
      if (confirm === 'archive' || confirm === 'restore') {
        await archive.mutateAsync(confirm === 'archive')
        setNotice(confirm === 'archive' ? `${c.name} is archived.` : `${c.name} is back on the client list.`)
      } else if (confirm) {
        await consent.mutateAsync(confirm === 'opt_out' ? 'opted_out' : 'opted_in')
        setNotice(confirm === 'opt_out' ? `Texts to ${c.name} are now stopped.` : `${c.name} can receive texts again.`)
      }
    } catch {
      // shown below
    } finally {
      setConfirm(null)
    }
  }

  const keywordOptOut = c.optedOut && c.consent.source === 'keyword'

  return (
    <main id="main" className="page">
      <Link to="/clients" className="crumb">
        ← Clients
      </Link>
      {notice && (
        <Notice tone="success" role="status" onDismiss={() => setNotice(null)}>
          {notice}
        </Notice>
      )}
      {error && (
        <Notice tone="danger" role="alert">
          {error.message}
        </Notice>
      )}

      <header className="client-head">
        <Avatar name={c.namedByNumber ? '' : c.name} />
        <div className="client-head-main">
          <h1>{title}</h1>
          <div className="row">
            {c.namedByNumber && <Badge tone="warning">Number-named</Badge>}
            {c.archived && <Badge>Archived</Badge>}
            {c.optedOut ? <Badge tone="danger">Opted out</Badge> : <Badge tone="success">Opted in</Badge>}
            <span className="muted small">Client since {formatDateTime(c.createdAt, timeZone)}</span>
          </div>
        </div>
        <div className="client-actions">
          {staff && !c.archived && (
            <Button variant="primary" onClick={() => setComposing(true)} aria-expanded={composing} aria-controls="start-conversation">
              Text {c.namedByNumber ? 'this number' : c.name.split(/\s+/)[0]}
            </Button>
          )}
          <Link to={`/clients/${c.id}/edit`} className="btn btn-secondary">
            Edit
          </Link>
          <Link to={`/clients/${c.id}/merge`} className="btn btn-secondary">
            {c.namedByNumber ? 'Merge into a client…' : 'Merge…'}
          </Link>
          {c.archived ? (
            <Button onClick={() => setConfirm('restore')}>Restore</Button>
          ) : (
            <Button variant="ghost" onClick={() => setConfirm('archive')}>
              Archive
            </Button>
          )}
        </div>
      </header>

      {c.namedByNumber && (
        <Notice tone="warning">
          This client texted in from a number we didn't know, so they are named by their number. If they are one of your clients, merge them into that client:
          the conversation and its history follow.{' '}
          <Link to={`/clients/${c.id}/merge`}>Merge into a client</Link>
        </Notice>
      )}

      {composing && staff && <StartConversation client={c} onCancel={() => setComposing(false)} onStarted={(threadId) => navigate(`/inbox/${threadId}`)} />}

      <div className="client-grid">
        <section className="card" aria-labelledby="contact-title">
          <h2 id="contact-title">Contact</h2>
          <dl className="facts">
            <dt>Phone numbers</dt>
            <dd>
              <ul className="plain">
                {c.phones.map((p) => (
                  <li key={p.e164}>
                    <span className="nowrap">{p.display || formatPhone(p.e164)}</span> {p.label && <span className="muted">({p.label})</span>} {p.primary && <Badge tone="info">Primary</Badge>}
                  </li>
                ))}
              </ul>
            </dd>
            <dt>Email</dt>
            <dd>{c.email || <span className="muted">None</span>}</dd>
            <dt>Address</dt>
            <dd className="pre">{c.address || <span className="muted">None</span>}</dd>
            <dt>Tags</dt>
            <dd>
              {c.tags.length ? (
                <span className="client-tags">
                  {c.tags.map((t) => (
                    <Link key={t} to={`/clients?tag=${encodeURIComponent(t)}`} className="tag">
                      {t}
                    </Link>
                  ))}
                </span>
              ) : (
                <span className="muted">None</span>
              )}
            </dd>
            {c.notes && (
              <>
                <dt>Notes</dt>
                <dd className="pre">{c.notes}</dd>
              </>
            )}
          </dl>
        </section>

        <section className="card" aria-labelledby="pets-title">
          <h2 id="pets-title">Pets</h2>
          {c.pets.length === 0 ? (
            <p className="muted">No pets recorded. <Link to={`/clients/${c.id}/edit`}>Add a pet</Link></p>
          ) : (
            <ul className="plain pets" data-testid="pets">
              {c.pets.map((p) => (
                <li key={p.id}>
                  <strong>{p.name}</strong>
                  {p.notes && <span className="muted"> — {p.notes}</span>}
                </li>
              ))}
            </ul>
          )}
        </section>

        <section className="card" aria-labelledby="consent-title" data-testid="consent">
          <h2 id="consent-title">Texting consent</h2>
          <p>
            {c.optedOut ? <Badge tone="danger">Opted out</Badge> : <Badge tone="success">Opted in</Badge>} {consentSentence(c.consent, timeZone)}
          </p>
          {keywordOptOut ? (
            <p className="muted small">They texted {c.consent.keyword || 'STOP'} themselves, so only their own START allows texts again.</p>
          ) : c.optedOut ? (
            <Button onClick={() => setConfirm('opt_in')}>Record that they opted in</Button>
          ) : (
            <Button onClick={() => setConfirm('opt_out')}>Record that they opted out</Button>
          )}
        </section>

        <section className="card client-wide" aria-labelledby="threads-title">
          <h2 id="threads-title">Conversations</h2>
          {c.threads.length === 0 ? (
            <p className="muted">No conversations yet.{staff && !c.archived && !c.optedOut ? ' Use “Text” above to send the first message.' : ''}</p>
          ) : (
            <ul className="plain client-threads">
              {c.threads.map((t) => (
                <li key={t.id}>
                  <Link to={`/inbox/${t.id}`} className="client-thread" data-testid="client-thread">
                    <span className="client-thread-top">
                      <strong>{t.number.name || classNames[t.number.class]}</strong>
                      <span className="muted small nowrap">{formatPhone(t.number.e164)}</span>
                      <time dateTime={t.lastMessageAt} className="thread-time">
                        {formatListTime(t.lastMessageAt, timeZone)}
                      </time>
                    </span>
                    <span className="thread-preview">{t.preview || 'No messages yet'}</span>
                    <span className="muted small">{t.sitter ? `Sitter: ${t.sitter.name}` : 'Front desk'}</span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </section>

        {c.windows.length > 0 && (
          <section className="card client-wide" aria-labelledby="windows-title">
            <h2 id="windows-title">Assignment windows</h2>
            <ul className="plain">
              {c.windows.map((w) => (
                <li key={w.id} className="row">
                  <Badge tone={w.status === 'active' ? 'success' : w.status === 'scheduled' ? 'info' : 'neutral'}>{windowWords[w.status] ?? w.status}</Badge>
                  <span>{w.sitter.name}</span>
                  <span className="muted small">
                    {formatDateTime(w.startsAt, timeZone)} – {formatDateTime(w.endsAt, timeZone)}
                  </span>
                </li>
              ))}
            </ul>
          </section>
        )}
      </div>

      <ConfirmDialog
        open={confirm === 'archive' || confirm === 'restore'}
        title={confirm === 'restore' ? `Restore ${c.name}?` : `Archive ${c.name}?`}
        confirmLabel={confirm === 'restore' ? 'Restore' : 'Archive'}
        tone={confirm === 'archive' ? 'danger' : 'primary'}
        busy={archive.isPending}
        onConfirm={() => void run()}
        onCancel={() => setConfirm(null)}
      >
        {confirm === 'restore' ? (
          <p>They come back on the client list and can be texted again.</p>
        ) : (
          <p>They leave the client list. Their conversations and history stay, and a text from them still reaches the inbox. You can restore them at any time.</p>
        )}
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === 'opt_out' || confirm === 'opt_in'}
        title={confirm === 'opt_in' ? `Record that ${c.name} opted in?` : `Record that ${c.name} opted out?`}
        confirmLabel={confirm === 'opt_in' ? 'Record opt-in' : 'Record opt-out'}
        tone={confirm === 'opt_out' ? 'danger' : 'primary'}
        busy={consent.isPending}
        onConfirm={() => void run()}
        onCancel={() => setConfirm(null)}
      >
        {confirm === 'opt_in' ? (
          <p>Only do this if {c.name} told you they want texts again. Texts to them are allowed from now on.</p>
        ) : (
          <p>No text is sent to {c.name} from any of your numbers until they opt in again.</p>
        )}
      </ConfirmDialog>
    </main>
  )
}

