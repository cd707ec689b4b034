import { useEffect, useState } from 'react'
import { Link, useSearchParams } from 'react-router'
import { Avatar, Badge, Button, EmptyState, ErrorState, LoadingList } from '../../components/ui'
import { formatPhone } from '../../lib/format'
import { useDebounced } from '../../lib/hooks'
import { useClients } from './api'
import { archivedChoices, clientFiltersFromParams, clientFiltersToParams, emptyClientFilters, isFiltered, type ClientFilters } from './filters'
import type { ClientView } from './types'

// The client book: search (name, email, tag or any number), current or
// archived clients, a tag, and "load more" paging by name.
export function ClientsPage() {
  const [params, setParams] = useSearchParams()
  const filters = clientFiltersFromParams(params)
  const [search, setSearch] = useState(filters.q)
  const debounced = useDebounced(search, 300)
  const update = (patch: Partial<ClientFilters>) => setParams(clientFiltersToParams({ ...filters, ...patch }), { replace: true })

  // The search box updates the URL once typing pauses.
  useEffect(() => {
    if (debounced.trim() !== filters.q) update({ q: debounced })
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [debounced])

  const clients = useClients(filters)
  const rows = clients.data?.pages.flatMap((p) => p.clients) ?? []
  const seenTags = [...new Set(rows.flatMap((c) => c.tags))].sort()
  const [tagDraft, setTagDraft] = useState(filters.tag)

  const clear = () => {
    setSearch('')
    setTagDraft('')
    setParams(clientFiltersToParams(emptyClientFilters), { replace: true })
  }

  return (
    <main id="main" className="page page-wide">
      <div className="page-head">
        <h1>Clients</h1>
        <div className="row">
          <Link to="/clients/import" className="btn btn-secondary">
            Import or export
          </Link>
          <Link to="/clients/new" className="btn btn-primary">
            Add client
          </Link>
        </div>
      </div>

      <div className="client-filters" role="search">
        <div className="field client-search">
          <label htmlFor="client-search">Search clients</label>
          <input id="client-search" type="search" placeholder="Name, email, tag or phone number" value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
        <div className="field">
          <span className="field-label" id="archived-label">
            Show
          </span>
          <div className="chips" role="group" aria-labelledby="archived-label">
            {archivedChoices.map((c) => (
              <button key={c.value} type="button" className="chip" aria-pressed={filters.archived === c.value} onClick={() => update({ archived: c.value })}>
                {c.label}
              </button>
            ))}
          </div>
        </div>
        <form
          className="field client-tag"
          onSubmit={(e) => {
            e.preventDefault()
            update({ tag: tagDraft })
          }}
        >
          <label htmlFor="client-tag">Tag</label>
          <div className="row row-nowrap">
            <input id="client-tag" list="client-tags" value={tagDraft} placeholder="Any tag" onChange={(e) => setTagDraft(e.target.value)} onBlur={() => update({ tag: tagDraft })} />
            <datalist id="client-tags">
              {seenTags.map((t) => (
                <option key={t} value={t} />
              ))}
            </datalist>
            {filters.tag && (
              <Button
                variant="ghost"
                onClick={() => {
                  setTagDraft('')
                  update({ tag: '' })
                }}
              >
                Any tag
              </Button>
            )}
          </div>
        </form>
      </div>

      {clients.isPending ? (
        <LoadingList label="Loading clients" />
      ) : clients.isError && rows.length === 0 ? (
        <ErrorState title="The clients didn't load" error={clients.error} onRetry={() => void clients.refetch()} />
      ) : rows.length === 0 ? (
        isFiltered(filters) ? (
          <EmptyState title="No client matches" action={<Button onClick={clear}>Clear filters</Button>}>
            Try another search, another tag, or show archived clients too.
          </EmptyState>
        ) : (
          <EmptyState
            title="No clients yet"
            action={
              <div className="row row-center">
                <Link to="/clients/new" className="btn btn-primary">
                  Add client
                </Link>
                <Link to="/clients/import" className="btn btn-secondary">
                  Import a CSV
                </Link>
              </div>
            }
          >
            Add your clients one by one or import the list your booking tool exports. A client who texts you first shows up here too.
          </EmptyState>
        )
      ) : (
        <>
          <ul className="client-list" aria-label="Clients">
            {rows.map((c) => (
              <ClientRow key={c.id} c={c} onTag={(t) => { setTagDraft(t); update({ tag: t }) }} />
            ))}
          </ul>
          <div className="threads-end">
            {clients.hasNextPage ? (
              <Button variant="secondary" onClick={() => void clients.fetchNextPage()} disabled={clients.isFetchingNextPage}>
                {clients.isFetchingNextPage ? 'Loading more…' : 'Load more clients'}
              </Button>
            ) : rows.length > 10 ? (
              <span className="muted">That's every client{isFiltered(filters) ? ' that matches' : ''}.</span>
            ) : null}
          </div>
        </>
      )}
    </main>
  )
}

function ClientRow({ c, onTag }: { c: ClientView; onTag: (t: string) => void }) {
  const pets = c.pets.map((p) => p.name).join(', ')
  return (
    <li className="client-row" data-testid="client-row">
      <Avatar name={c.namedByNumber ? '' : c.name} />
      <div className="client-main">
        <div className="client-top">
          <Link to={`/clients/${c.id}`} className="client-name">
            {c.namedByNumber ? formatPhone(c.phone) : c.name}
          </Link>
          {c.namedByNumber && (
            <Badge tone="warning" label="Named by number: texted in, not yet matched to a client">
              Number-named
            </Badge>
          )}
          {c.archived && <Badge>Archived</Badge>}
          {c.optedOut && <Badge tone="danger">Opted out</Badge>}
        </div>
        <div className="client-facts">
          {c.namedByNumber ? <span className="muted">Texted in from a number not in the client book</span> : <span>{formatPhone(c.phone)}</span>}
          {c.phones.length > 1 && <span className="muted">+{c.phones.length - 1} more</span>}
          {c.email && <span className="client-email">{c.email}</span>}
          {pets && (
            <span>
              <span className="muted">Pets:</span> {pets}
            </span>
          )}
        </div>
        {c.tags.length > 0 && (
          <div className="client-tags">
            {c.tags.map((t) => (
              <button key={t} type="button" className="tag" onClick={() => onTag(t)} aria-label={`Only clients tagged ${t}`}>
                {t}
              </button>
            ))}
          </div>
        )}
      </div>
    </li>
  )
}
