import { useId } from 'react'
import { useSearchParams } from 'react-router'
import { Button, EmptyState, ErrorState, LoadingList } from '../../components/ui'
import { useClientOptions, useSitters, useWindowList } from './api'
import { hasFilters, listQuery, readListFilters, statusLabels, statuses, writeListFilters, type ListFilters } from './filters'
import { StatusBadge } from './status'

// The windows as a list, earliest start first, filtered by sitter,
// client, status and days (all in the URL), a page at a time.
export function WindowList({ timeZone, onOpen, onCancel }: { timeZone: string; onOpen: (id: string) => void; onCancel: (id: string) => void }) {
  const [params, setParams] = useSearchParams()
  const f = readListFilters(params)
  const list = useWindowList(listQuery(f, timeZone))
  const items = list.data?.pages.flatMap((p) => p.windows) ?? []
  const set = (patch: Partial<ListFilters>) => setParams(writeListFilters({ ...f, ...patch }, params), { replace: true })
  const when = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' })
  return (
    <section aria-label="Windows as a list">
      <Filters f={f} set={set} />
      {list.isPending ? (
        <LoadingList label="Loading windows" rows={5} />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState
          title={hasFilters(f) ? 'No windows match' : 'No windows yet'}
          action={hasFilters(f) ? <Button onClick={() => set({ sitterId: '', clientId: '', status: '', from: '', to: '' })}>Clear the filters</Button> : undefined}
        >
          {hasFilters(f) ? 'Try a wider date range or fewer filters.' : 'Create a window to give a sitter a client for a time.'}
        </EmptyState>
      ) : (
        <>
          <ul className="table-list window-table" aria-label="Windows">
            <li className="table-head" aria-hidden="true">
              <span>Client</span>
              <span>Sitter</span>
              <span>Starts</span>
              <span>Ends</span>
              <span>Status</span>
              <span />
            </li>
            {items.map((w) => (
              <li key={w.id} className="table-row" data-testid="window-row">
                <span className="cell" data-label="Client">
                  <strong>{w.client.name}</strong>
                  {w.note && <span className="muted small cell-clip">{w.note}</span>}
                </span>
                <span className="cell" data-label="Sitter">
                  {w.sitter.name}
                </span>
                <span className="cell" data-label="Starts">
                  {when.format(new Date(w.startsAt))}
                </span>
                <span className="cell" data-label="Ends">
                  {when.format(new Date(w.endsAt))}
                </span>
                <span className="cell" data-label="Status">
                  <StatusBadge status={w.status} />
                </span>
                <span className="cell-actions">
                  <Button onClick={() => onOpen(w.id)} aria-label={`Edit ${w.client.name}'s window with ${w.sitter.name}`}>
                    Edit
                  </Button>
                  {(w.status === 'scheduled' || w.status === 'active') && (
                    <Button variant="danger" onClick={() => onCancel(w.id)} aria-label={`Cancel ${w.client.name}'s window with ${w.sitter.name}`}>
                      Cancel
                    </Button>
                  )}
                </span>
              </li>
            ))}
          </ul>
          {list.hasNextPage && (
            <div className="load-more">
              <Button onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage} busy={list.isFetchingNextPage}>
                {list.isFetchingNextPage ? 'Loading…' : 'Show more windows'}
              </Button>
            </div>
          )}
        </>
      )}
    </section>
  )
}

function Filters({ f, set }: { f: ListFilters; set: (p: Partial<ListFilters>) => void }) {
  const id = useId()
  const sitters = useSitters()
  const clients = useClientOptions()
  return (
    <form className="toolbar" role="search" aria-label="Filter the windows" onSubmit={(e) => e.preventDefault()}>
      <div className="field">
        <label htmlFor={`${id}-sitter`}>Sitter</label>
        <select id={`${id}-sitter`} value={f.sitterId} onChange={(e) => set({ sitterId: e.target.value })}>
          <option value="">Any sitter</option>
          {(sitters.data?.sitters ?? []).map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-client`}>Client</label>
        <select id={`${id}-client`} value={f.clientId} onChange={(e) => set({ clientId: e.target.value })}>
          <option value="">Any client</option>
          {f.clientId && !clients.data?.clients.some((c) => c.id === f.clientId) && <option value={f.clientId}>This client</option>}
          {(clients.data?.clients ?? []).map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field field-narrow">
        <label htmlFor={`${id}-status`}>Status</label>
        <select id={`${id}-status`} value={f.status} onChange={(e) => set({ status: e.target.value as ListFilters['status'] })}>
          <option value="">Any status</option>
          {statuses.map((s) => (
            <option key={s} value={s}>
              {statusLabels[s]}
            </option>
          ))}
        </select>
      </div>
      <div className="field field-narrow">
        <label htmlFor={`${id}-from`}>From</label>
        <input id={`${id}-from`} type="date" value={f.from} max={f.to || undefined} onChange={(e) => set({ from: e.target.value })} />
      </div>
      <div className="field field-narrow">
        <label htmlFor={`${id}-to`}>To</label>
        <input id={`${id}-to`} type="date" value={f.to} min={f.from || undefined} onChange={(e) => set({ to: e.target.value })} />
      </div>
    </form>
  )
}
