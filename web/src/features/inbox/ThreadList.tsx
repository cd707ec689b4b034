import { useEffect, useRef, useState } from 'react'
import { Link, useSearchParams } from 'react-router'
import { Avatar, Badge, Button, CountBadge, EmptyState, ErrorState, LoadingList } from '../../components/ui'
import { formatListTime, formatPhone } from '../../lib/format'
import { useDebounced } from '../../lib/hooks'
import { useSession } from '../../lib/session'
import type { ThreadView } from '../../lib/api/types'
import { useSitters, useThreads } from './api'
import { activeFilterCount, emptyFilters, filtersFromParams, filtersToParams, threadQuery, viewLabels, views, type Filters } from './filters'

export function ThreadList({ activeId }: { activeId?: string }) {
  const [params, setParams] = useSearchParams()
  const filters = filtersFromParams(params)
  const [search, setSearch] = useState(filters.q)
  const debounced = useDebounced(search, 300)
  const { timeZone } = useSession()
  const sitters = useSitters()
  const [showMore, setShowMore] = useState(!!(filters.sitterId || filters.from || filters.to))

  const update = (patch: Partial<Filters>) => setParams(filtersToParams({ ...filters, ...patch }), { replace: true })

  // The search box updates the URL once typing pauses.
  useEffect(() => {
    if (debounced.trim() !== filters.q) update({ q: debounced })
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [debounced])

  const query = threadQuery(filters, timeZone)
  const threads = useThreads(query)
  const rows = threads.data?.pages.flatMap((p) => p.threads) ?? []

  // Paging as the user scrolls: load the next page when the end of the
  // list comes into view.
  const sentinel = useRef<HTMLLIElement>(null)
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = threads
  useEffect(() => {
    const el = sentinel.current
    if (!el || !hasNextPage || typeof IntersectionObserver === 'undefined') return
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && !isFetchingNextPage) void fetchNextPage()
    }, { rootMargin: '200px' })
    io.observe(el)
    return () => io.disconnect()
  }, [hasNextPage, isFetchingNextPage, fetchNextPage, rows.length])

  const filtered = activeFilterCount(filters) > 0
  const keep = params.toString() ? `?${params.toString()}` : ''

  return (
    <section className="pane thread-list" aria-label="Conversations">
      <div className="filters" role="search">
        <label htmlFor="thread-search" className="sr-only">
          Search conversations
        </label>
        <input
          id="thread-search"
          type="search"
          className="search"
          placeholder="Search by name, message or number"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <div className="chips" role="group" aria-label="Show">
          {views.map((v) => (
            <button key={v} type="button" className="chip" aria-pressed={filters.view === v} onClick={() => update({ view: v })}>
              {viewLabels[v]}
            </button>
          ))}
          <button type="button" className="chip chip-more" aria-expanded={showMore} aria-controls="more-filters" onClick={() => setShowMore((s) => !s)}>
            {showMore ? 'Fewer filters' : 'More filters'}
          </button>
        </div>
        {showMore && (
          <div className="more-filters" id="more-filters">
            <div className="field field-inline">
              <label htmlFor="filter-sitter">Sitter</label>
              <select id="filter-sitter" value={filters.sitterId} onChange={(e) => update({ sitterId: e.target.value })}>
                <option value="">Any sitter</option>
                {sitters.data?.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="field field-inline">
              <label htmlFor="filter-from">From</label>
              <input id="filter-from" type="date" value={filters.from} max={filters.to || undefined} onChange={(e) => update({ from: e.target.value })} />
            </div>
            <div className="field field-inline">
              <label htmlFor="filter-to">To</label>
              <input id="filter-to" type="date" value={filters.to} min={filters.from || undefined} onChange={(e) => update({ to: e.target.value })} />
            </div>
          </div>
        )}
      </div>

      {threads.isPending ? (
        <LoadingList label="Loading conversations" />
      ) : threads.isError && rows.length === 0 ? (
        <ErrorState title="The conversations didn't load" error={threads.error} onRetry={() => void threads.refetch()} />
      ) : rows.length === 0 ? (
        filtered ? (
          <EmptyState
            title="No conversation matches"
            action={
              <Button
                onClick={() => {
                  setSearch('')
                  setParams(filtersToParams(emptyFilters), { replace: true })
                }}
              >
                Clear filters
              </Button>
            }
          >
            Try another search or fewer filters.
          </EmptyState>
        ) : (
          <EmptyState title="No conversations yet">When a client texts one of your numbers, the conversation shows up here.</EmptyState>
        )
      ) : (
        <ul className="threads">
          {rows.map((t) => (
            <ThreadRow key={t.id} t={t} active={t.id === activeId} href={`/inbox/${t.id}${keep}`} timeZone={timeZone} />
          ))}
          <li ref={sentinel} className="threads-end">
            {hasNextPage ? (
              <Button variant="ghost" onClick={() => void fetchNextPage()} disabled={isFetchingNextPage}>
                {isFetchingNextPage ? 'Loading more…' : 'Load more conversations'}
              </Button>
            ) : rows.length > 10 ? (
              <span className="muted">That's every conversation.</span>
            ) : null}
          </li>
        </ul>
      )}
    </section>
  )
}

function ThreadRow({ t, active, href, timeZone }: { t: ThreadView; active: boolean; href: string; timeZone?: string }) {
  return (
    <li>
      <Link to={href} className={`thread-row${active ? ' thread-row-active' : ''}${t.unread ? ' thread-row-unread' : ''}`} aria-current={active ? 'page' : undefined} data-testid="thread-row">
        <Avatar name={t.client.name} />
        <span className="thread-main">
          <span className="thread-top">
            <span className="thread-client">{t.client.name}</span>
            <time dateTime={t.lastMessageAt} className="thread-time">
              {formatListTime(t.lastMessageAt, timeZone)}
            </time>
          </span>
          <span className="thread-preview">{t.preview || 'No messages yet'}</span>
          <span className="thread-tags">
            <span className="thread-line">{t.sitter ? t.sitter.name : 'Unassigned'} · {t.number.name || formatPhone(t.number.e164)}</span>
            {t.openViolations > 0 && <Badge tone="warning">Policy</Badge>}
            {t.failedDeliveries > 0 && <Badge tone="danger">Failed</Badge>}
            {t.client.optedOut && <Badge>Opted out</Badge>}
          </span>
        </span>
        <CountBadge count={t.unread} label="unread" />
      </Link>
    </li>
  )
}
