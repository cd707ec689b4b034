import { useEffect, useState } from 'react'
import { Link, useSearchParams } from 'react-router'
import { SelectField, TextField } from '../../components/FormField'
import { Button, EmptyState, ErrorState, LoadingList, Notice } from '../../components/ui'
import { useCSVDownload, type DownloadNotice } from '../../lib/download'
import { formatCount, formatListTime } from '../../lib/format'
import { useDebounced } from '../../lib/hooks'
import { useSession } from '../../lib/session'
import { useNumbers } from './api'
import { BulkBar } from './BulkBar'
import {
  assignedChoices,
  classChoices,
  emptyNumberFilters,
  healthChoices,
  isFiltered,
  nextSort,
  numberFiltersFromParams,
  numberFiltersToParams,
  numbersCSVPath,
  sortNumbers,
  statusChoices,
  type NumberFilters,
  type SortKey,
} from './filters'
import { ClassLabel, HealthBadge, StatusBadge } from './pieces'
import type { NumberView } from './types'

const columns: { key: SortKey; label: string; className?: string }[] = [
  { key: 'e164', label: 'Number' },
  { key: 'class', label: 'Class' },
  { key: 'status', label: 'Status' },
  { key: 'assignedTo', label: 'Assigned to' },
  { key: 'health', label: 'Health' },
  { key: 'lastUsedAt', label: 'Last used' },
  { key: 'volume7d', label: '7-day volume', className: 'num-col' },
]

// The number inventory (/numbers): every number the business texts from,
// filtered and sorted in the URL, downloadable as the same rows, with
// several numbers selected for one action.
export function NumbersPage() {
  const [params, setParams] = useSearchParams()
  const filters = numberFiltersFromParams(params)
  const [search, setSearch] = useState(filters.q)
  const debounced = useDebounced(search, 300)
  const update = (patch: Partial<NumberFilters>) => setParams(numberFiltersToParams({ ...filters, ...patch }), { replace: true })
  useEffect(() => {
    if (debounced.trim() !== filters.q) update({ q: debounced })
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [debounced])

  const list = useNumbers(filters)
  const loaded = list.data?.pages.flatMap((p) => p.numbers) ?? []
  const rows = sortNumbers(loaded, filters.sort, filters.dir)
  const complete = !list.hasNextPage

  const [selected, setSelected] = useState<Set<string>>(new Set())
  // Only what is on screen can stay selected.
  const visible = new Set(rows.map((r) => r.id))
  const chosen = rows.filter((r) => selected.has(r.id))
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set([...s].filter((x) => visible.has(x)))
      if (next.has(id)) next.delete(id)
      else next.add(id)
      return next
    })
  const allOn = rows.length > 0 && chosen.length === rows.length

  const [notice, setNotice] = useState<DownloadNotice | null>(null)
  const download = useCSVDownload(setNotice)
  const exportCSV = () =>
    download.run(numbersCSVPath(filters), 'numbers.csv', (r) =>
      r.truncated
        ? { tone: 'info', text: `Downloaded the first ${formatCount(r.rows)} numbers: a download holds at most 10,000.` }
        : { tone: 'success', text: `Downloaded ${formatCount(r.rows)} ${r.rows === 1 ? 'number' : 'numbers'}, the ones the filters show.` },
    )

  const clear = () => {
    setSearch('')
    setParams(numberFiltersToParams({ ...emptyNumberFilters, sort: filters.sort, dir: filters.dir }), { replace: true })
  }

  return (
    <main id="main" className="page page-wide">
      <div className="page-head">
        <div>
          <h1>Numbers</h1>
          <p className="muted">The numbers your business texts from: who each one serves, how it is doing, and what to do about it.</p>
        </div>
        <div className="row">
          <Button onClick={() => void exportCSV()} disabled={download.busy || !complete || rows.length === 0} busy={download.busy}>
            {download.busy ? 'Preparing…' : 'Export CSV'}
          </Button>
          <Link to="/numbers/import" className="btn btn-secondary">
            Import a CSV
          </Link>
          <Link to="/numbers/new" className="btn btn-primary">
            Buy or add a number
          </Link>
        </div>
      </div>
      <div aria-live="polite">
        {notice && (
          <Notice tone={notice.tone} role={notice.tone === 'danger' ? 'alert' : 'status'} onDismiss={() => setNotice(null)}>
            {notice.text}
          </Notice>
        )}
      </div>

      <div className="toolbar" role="search" aria-label="Filter numbers">
        <TextField id="numbers-q" label="Search" type="search" placeholder="Number or name" value={search} onChange={(e) => setSearch(e.target.value)} />
        <SelectField id="numbers-class" label="Class" value={filters.class} onChange={(e) => update({ class: e.target.value as NumberFilters['class'] })}>
          <option value="">Any class</option>
          {classChoices.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </SelectField>
        <SelectField id="numbers-status" label="Status" value={filters.status} onChange={(e) => update({ status: e.target.value as NumberFilters['status'] })}>
          <option value="">In service</option>
          {statusChoices.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </SelectField>
        <SelectField
          id="numbers-assigned"
          label="Assigned to"
          value={filters.assignedTo}
          onChange={(e) => update({ assignedTo: e.target.value as NumberFilters['assignedTo'] })}
        >
          <option value="">Anyone</option>
          {assignedChoices.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </SelectField>
        <SelectField id="numbers-health" label="Health" value={filters.health} onChange={(e) => update({ health: e.target.value as NumberFilters['health'] })}>
          <option value="">Any health</option>
          {healthChoices.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </SelectField>
        <TextField
          id="numbers-idle"
          label="Unused for (days)"
          type="number"
          min={0}
          inputMode="numeric"
          className="field-narrow"
          value={filters.idleDays}
          onChange={(e) => update({ idleDays: e.target.value })}
        />
        {isFiltered(filters) && <Button onClick={clear}>Clear filters</Button>}
      </div>

      <BulkBar chosen={chosen} onClear={() => setSelected(new Set())} />

      {list.isPending ? (
        <LoadingList label="Loading numbers" rows={4} />
      ) : list.isError && rows.length === 0 ? (
        <ErrorState title="The numbers didn't load" error={list.error} onRetry={() => void list.refetch()} />
      ) : rows.length === 0 ? (
        isFiltered(filters) ? (
          <EmptyState title="No number matches" action={<Button onClick={clear}>Clear filters</Button>}>
            Try another search or fewer filters.
          </EmptyState>
        ) : (
          <EmptyState
            title="No numbers yet"
            action={
              <Link to="/numbers/new" className="btn btn-primary">
                Buy or add a number
              </Link>
            }
          >
            Buy a number, or add one your Twilio account already has, to start texting clients.
          </EmptyState>
        )
      ) : (
        <>
          <p className="muted small" aria-live="polite" data-testid="numbers-count">
            {complete ? `${rows.length} ${rows.length === 1 ? 'number' : 'numbers'}` : `Loading… ${rows.length} so far`}
            {chosen.length > 0 && `, ${chosen.length} selected`}
          </p>
          <div className="table-scroll numbers-scroll" tabIndex={0} role="region" aria-label="Number inventory">
            <table className="table numbers-table">
              <thead>
                <tr>
                  <th scope="col" className="select-col">
                    <input
                      type="checkbox"
                      aria-label="Select every number shown"
                      checked={allOn}
                      onChange={() => setSelected(allOn ? new Set() : new Set(rows.map((r) => r.id)))}
                    />
                  </th>
                  {columns.map((c) => (
                    <th
                      key={c.key}
                      scope="col"
                      className={c.className}
                      aria-sort={filters.sort === c.key ? (filters.dir === 'asc' ? 'ascending' : 'descending') : undefined}
                    >
                      <button type="button" className="sort" onClick={() => update(nextSort(filters, c.key))}>
                        {c.label}
                        <span aria-hidden="true" className="sort-mark">
                          {filters.sort === c.key ? (filters.dir === 'asc' ? '▲' : '▼') : ''}
                        </span>
                      </button>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((n) => (
                  <NumberRow key={n.id} n={n} selected={selected.has(n.id)} onToggle={() => toggle(n.id)} />
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </main>
  )
}

function NumberRow({ n, selected, onToggle }: { n: NumberView; selected: boolean; onToggle: () => void }) {
  const { timeZone } = useSession()
  return (
    <tr data-testid="number-row" data-e164={n.e164} data-selected={selected || undefined}>
      <td className="select-col">
        <input type="checkbox" checked={selected} onChange={onToggle} aria-label={`Select ${n.display}`} />
      </td>
      <td data-label="Number">
        <Link to={`/numbers/${n.id}`} className="number-link">
          {n.display}
        </Link>
        {n.friendlyName && <div className="muted small">{n.friendlyName}</div>}
      </td>
      <td data-label="Class">
        <ClassLabel c={n.class} />
      </td>
      <td data-label="Status">
        <StatusBadge status={n.status} />
      </td>
      <td data-label="Assigned to">{n.assignedTo.label}</td>
      <td data-label="Health">
        <HealthBadge health={n.health} />
      </td>
      <td data-label="Last used" className="nowrap">
        {n.lastUsedAt ? formatListTime(n.lastUsedAt, timeZone) : <span className="muted">Never</span>}
      </td>
      <td data-label="7-day volume" className="num-col">
        {formatCount(n.volume7d)}
      </td>
    </tr>
  )
}
