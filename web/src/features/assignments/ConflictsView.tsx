import { Link } from 'react-router'
import { EmptyState, ErrorState, LoadingList } from '../../components/ui'
import { useConflicts, type AssignmentWindow } from './api'
import { weekOf } from './filters'
import { StatusBadge } from './status'
import { formatRange } from './WeekCalendar'

// The schedule's problems over the next 30 days: a sitter booked for two
// clients at once, and windows whose sitter is no longer active (a client
// with nobody to look after them). Each window links to its place on the
// calendar, with its form open.
export function ConflictsView({ timeZone }: { timeZone: string }) {
  const conflicts = useConflicts()
  const link = (w: AssignmentWindow) => `/assignments?week=${weekOf(w.startsAt, timeZone)}&window=${w.id}`
  const item = (w: AssignmentWindow) => (
    <>
      <Link to={link(w)}>
        {w.client.name} with {w.sitter.name}
      </Link>{' '}
      <StatusBadge status={w.status} /> <span className="muted small">{formatRange(w.startsAt, w.endsAt, timeZone)}</span>
    </>
  )
  return (
    <section aria-labelledby="conflicts-title">
      <h2 id="conflicts-title" className="section-sub">
        Conflicts in the next 30 days
      </h2>
      {conflicts.isPending ? (
        <LoadingList label="Loading conflicts" rows={3} />
      ) : conflicts.isError ? (
        <ErrorState error={conflicts.error} onRetry={() => void conflicts.refetch()} />
      ) : conflicts.data.conflicts.length === 0 ? (
        <EmptyState title="No conflicts">No sitter is booked twice at once, and every window has an active sitter.</EmptyState>
      ) : (
        <ul className="cards conflict-list" aria-label="Conflicts">
          {conflicts.data.conflicts.map((c) => (
            <li key={`${c.kind}-${c.window.id}-${c.other?.id ?? ''}`} className={`card conflict conflict-${c.kind}`} data-testid="conflict">
              {c.kind === 'sitter_double_booked' && c.other ? (
                <>
                  <h3>
                    <span aria-hidden="true">⚠ </span>
                    {c.window.sitter.name} is booked for two clients at once
                  </h3>
                  <p className="muted small">Overlapping bookings: check that one sitter can look after both.</p>
                  <ul className="plain">
                    <li>{item(c.window)}</li>
                    <li>{item(c.other)}</li>
                  </ul>
                </>
              ) : (
                <>
                  <h3>
                    <span aria-hidden="true">⚠ </span>
                    {c.window.client.name} has no sitter
                  </h3>
                  <p className="muted small">{c.window.sitter.name} is no longer an active sitter. Give this window to another sitter, or cancel it.</p>
                  <ul className="plain">
                    <li>{item(c.window)}</li>
                  </ul>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
