import { useId, useState } from 'react'
import { Link, useNavigate, useParams } from 'react-router'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { Avatar, Badge, Button, ErrorState, LoadingList, Notice, Skeleton } from '../../components/ui'
import { ApiError } from '../../lib/api/http'
import { formatPhone } from '../../lib/format'
import { useDebounced } from '../../lib/hooks'
import { useClient, useClients, useMergeClient, useMergePreview } from './api'
import { ClientNotFound } from './ClientFormPage'
import { emptyClientFilters } from './filters'
import { mergeLines } from './merge'
import type { ClientDetailView, ClientView } from './types'

// Merging a client (usually one named by their number) into the real one:
// pick the client, see what moves, confirm, land on the surviving client.
export function MergePage() {
  const { id = '' } = useParams()
  const from = useClient(id)
  return (
    <main id="main" className="page">
      <Link to={`/clients/${id}`} className="crumb">
        ← {from.data ? (from.data.namedByNumber ? formatPhone(from.data.phone) : from.data.name) : 'Client'}
      </Link>
      <h1>Merge into another client</h1>
      {from.isPending ? (
        <div className="card" role="status" aria-label="Loading the client">
          <Skeleton lines={4} />
        </div>
      ) : from.isError ? (
        from.error instanceof ApiError && from.error.notFound ? <ClientNotFound /> : <ErrorState error={from.error} onRetry={() => void from.refetch()} />
      ) : (
        <Merge from={from.data} />
      )}
    </main>
  )
}

function Merge({ from }: { from: ClientDetailView }) {
  const id = useId()
  const navigate = useNavigate()
  const fromName = from.namedByNumber ? formatPhone(from.phone) : from.name
  const [search, setSearch] = useState('')
  const q = useDebounced(search, 300)
  const [into, setInto] = useState<ClientView | null>(null)
  const [confirming, setConfirming] = useState(false)
  const candidates = useClients({ ...emptyClientFilters, q }, 20)
  const rows = (candidates.data?.pages.flatMap((p) => p.clients) ?? []).filter((c) => c.id !== from.id)
  const preview = useMergePreview(from.id, into?.id ?? null)
  const merge = useMergeClient(from.id)

  const doMerge = async () => {
    if (!into) return
    try {
      const m = await merge.mutateAsync(into.id)
      navigate(`/clients/${m.client.id}`, {
        replace: true,
        state: { notice: `${fromName} was merged into ${m.client.name}. ${mergeLines(m.moved).join(' ')}` },
      })
    } catch {
      setConfirming(false)
    }
  }

  return (
    <>
      <section className="card" aria-labelledby={`${id}-from`}>
        <h2 id={`${id}-from`}>Merging</h2>
        <div className="row">
          <Avatar name={from.namedByNumber ? '' : from.name} />
          <strong>{fromName}</strong>
          {from.namedByNumber && <Badge tone="warning">Number-named</Badge>}
          <span className="muted small">
            {from.threads.length} {from.threads.length === 1 ? 'conversation' : 'conversations'} · {from.phones.length} {from.phones.length === 1 ? 'number' : 'numbers'}
            {from.pets.length > 0 && ` · ${from.pets.length} ${from.pets.length === 1 ? 'pet' : 'pets'}`}
          </span>
        </div>
        <p className="muted small">This client's conversations, history, windows, numbers and pets move to the client you choose, and this record goes away.</p>
      </section>

      <section className="card" aria-labelledby={`${id}-into`}>
        <h2 id={`${id}-into`}>Into which client?</h2>
        <div className="field">
          <label htmlFor={`${id}-search`}>Find the client</label>
          <input id={`${id}-search`} type="search" placeholder="Name, email, tag or phone number" value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
        {candidates.isPending ? (
          <LoadingList label="Loading clients" rows={3} />
        ) : candidates.isError ? (
          <ErrorState error={candidates.error} onRetry={() => void candidates.refetch()} />
        ) : rows.length === 0 ? (
          <p className="muted">No other client matches “{q}”.</p>
        ) : (
          <fieldset className="fieldset pick-list">
            <legend className="sr-only">Client to merge into</legend>
            {rows.map((c) => (
              <label key={c.id} className={`pick${into?.id === c.id ? ' pick-on' : ''}`} data-testid="merge-candidate">
                <input type="radio" name={`${id}-pick`} checked={into?.id === c.id} onChange={() => setInto(c)} />
                <span className="pick-main">
                  <strong>{c.namedByNumber ? formatPhone(c.phone) : c.name}</strong>
                  <span className="muted small">
                    {formatPhone(c.phone)}
                    {c.pets.length > 0 && ` · ${c.pets.map((p) => p.name).join(', ')}`}
                  </span>
                </span>
                {c.namedByNumber && <Badge tone="warning">Number-named</Badge>}
              </label>
            ))}
          </fieldset>
        )}
      </section>

      {into && (
        <section className="card" aria-labelledby={`${id}-preview`} data-testid="merge-preview" aria-live="polite">
          <h2 id={`${id}-preview`}>What moves to {into.name}</h2>
          {preview.isPending ? (
            <Skeleton lines={3} />
          ) : preview.isError ? (
            <Notice tone="danger" role="alert">
              {preview.error.message}
            </Notice>
          ) : (
            <>
              <ul className="merge-lines">
                {mergeLines(preview.data).map((l) => (
                  <li key={l}>{l}</li>
                ))}
              </ul>
              {from.threads.length > 0 && (
                <ul className="plain small">
                  {from.threads.map((t) => (
                    <li key={t.id}>
                      <span className="muted">{t.number.name || formatPhone(t.number.e164)}:</span> {t.preview || 'No messages yet'}
                    </li>
                  ))}
                </ul>
              )}
              {merge.isError && (
                <Notice tone="danger" role="alert">
                  {merge.error.message}
                </Notice>
              )}
              <div className="form-actions">
                <Button onClick={() => setInto(null)}>Choose another</Button>
                <Button variant="primary" onClick={() => setConfirming(true)}>
                  Merge into {into.name}
                </Button>
              </div>
            </>
          )}
        </section>
      )}

      <ConfirmDialog
        open={confirming && !!into}
        title={`Merge ${fromName} into ${into?.name ?? ''}?`}
        confirmLabel="Merge"
        busy={merge.isPending}
        onConfirm={() => void doMerge()}
        onCancel={() => setConfirming(false)}
      >
        <p>This can't be undone: {fromName} stops being a separate client, and everything listed moves to {into?.name}.</p>
      </ConfirmDialog>
    </>
  )
}
