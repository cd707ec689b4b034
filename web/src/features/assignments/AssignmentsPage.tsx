import { useEffect, useState } from 'react'
import { Link, NavLink, Route, Routes, useSearchParams } from 'react-router'
import { Drawer } from '../../components/Drawer'
import { Button, EmptyState, ErrorState, LoadingList, Notice, Skeleton, type Tone } from '../../components/ui'
import { useSession } from '../../lib/session'
import { useEditWindow, useSitters, useWeekWindows, useWindow, type AssignmentWindow } from './api'
import './assignments.css'
import { CancelWindowDialog } from './CancelWindowDialog'
import { ConflictsView } from './ConflictsView'
import { readWeek } from './filters'
import { weekDays } from './layout'
import { Legend } from './status'
import { addDays, dayKeyOf, mondayOf } from './time'
import { WeekCalendar, formatRange, type Lane } from './WeekCalendar'
import { WindowForm, type NewWindow } from './WindowForm'
import { WindowList } from './WindowList'

// /assignments: who looks after whom, when. The week calendar, the list
// with its filters and the schedule's conflicts; each window opens in a
// drawer (?window=<id>) to edit or cancel it.
export function AssignmentsRoutes() {
  return (
    <Routes>
      <Route index element={<AssignmentsPage view="calendar" />} />
      <Route path="list" element={<AssignmentsPage view="list" />} />
      <Route path="conflicts" element={<AssignmentsPage view="conflicts" />} />
      <Route path="*" element={<AssignmentsPage view="calendar" />} />
    </Routes>
  )
}

type View = 'calendar' | 'list' | 'conflicts'
export interface PageNotice {
  tone: Tone
  text: string
}

const hour = 3600 * 1000

function AssignmentsPage({ view }: { view: View }) {
  const timeZone = useSession().timeZone ?? 'UTC'
  const [params, setParams] = useSearchParams()
  const [creating, setCreating] = useState<NewWindow | null>(null)
  const [cancelling, setCancelling] = useState<string | null>(null)
  const [notice, setNotice] = useState<PageNotice | null>(null)
  const openId = params.get('window') ?? ''

  const openWindow = (id: string) => {
    const p = new URLSearchParams(params)
    p.set('window', id)
    setParams(p)
  }
  const closeWindow = () => {
    const p = new URLSearchParams(params)
    p.delete('window')
    setParams(p)
  }
  const newWindow = (w?: Partial<NewWindow>) => {
    // The next full hour, for a day.
    const start = Math.ceil(Date.now() / hour) * hour
    if (openId) closeWindow()
    setCreating({ sitterId: '', startsAt: start, endsAt: start + 24 * hour, ...w })
  }

  return (
    <main id="main" className="page page-wide assignments-page">
      <div className="page-head">
        <div>
          <h1>Assignments</h1>
          <p className="muted">Which sitter looks after which client, and when. A sitter sees a client's conversations only during their window.</p>
        </div>
        <Button variant="primary" onClick={() => newWindow()}>
          New window
        </Button>
      </div>
      <nav className="view-tabs" aria-label="Assignment views">
        <NavLink to={{ pathname: '/assignments', search: keep(params, ['week']) }} end className="chip">
          Calendar
        </NavLink>
        <NavLink to={{ pathname: '/assignments/list', search: keep(params, ['sitter', 'client', 'status', 'from', 'to']) }} className="chip">
          List
        </NavLink>
        <NavLink to="/assignments/conflicts" className="chip">
          Conflicts
        </NavLink>
      </nav>
      <div aria-live="polite" className="page-notice">
        {notice && (
          <Notice tone={notice.tone} role={notice.tone === 'danger' ? 'alert' : 'status'} onDismiss={() => setNotice(null)}>
            {notice.text}
          </Notice>
        )}
      </div>
      {view === 'calendar' && (
        <CalendarView
          timeZone={timeZone}
          onOpen={(w) => openWindow(w.id)}
          onCreateAt={(sitterId, startsAt, endsAt) => newWindow({ sitterId, startsAt, endsAt })}
          setNotice={setNotice}
        />
      )}
      {view === 'list' && <WindowList timeZone={timeZone} onOpen={openWindow} onCancel={setCancelling} />}
      {view === 'conflicts' && <ConflictsView timeZone={timeZone} />}

      {/* One drawer (its title has a fixed id): a new window, or the one in the URL. */}
      <Drawer open={!!creating || !!openId} title={creating ? 'New window' : 'Edit window'} onClose={() => (creating ? setCreating(null) : closeWindow())}>
        {creating ? (
          <WindowForm
            timeZone={timeZone}
            initial={creating}
            onDone={(w) => {
              setCreating(null)
              setNotice({ tone: 'success', text: `Window created: ${w.sitter.name} with ${w.client.name}, ${formatRange(w.startsAt, w.endsAt, timeZone)}.` })
            }}
          />
        ) : (
          openId && (
            <EditWindow
              key={openId}
              id={openId}
              timeZone={timeZone}
              onSaved={(w) => {
                closeWindow()
                setNotice({ tone: 'success', text: `Saved: ${w.sitter.name} with ${w.client.name}, ${formatRange(w.startsAt, w.endsAt, timeZone)}.` })
              }}
              onCancelWindow={() => setCancelling(openId)}
            />
          )
        )}
      </Drawer>
      <CancelWindowDialog
        id={cancelling}
        timeZone={timeZone}
        onClose={() => setCancelling(null)}
        onCancelled={(w) => {
          setCancelling(null)
          if (openId === w.id) closeWindow()
          setNotice({ tone: 'success', text: `Cancelled ${w.sitter.name}'s window with ${w.client.name}.` })
        }}
      />
    </main>
  )
}

/** The search of params with only keys kept (so a tab keeps its own filters). */
function keep(params: URLSearchParams, keys: string[]): string {
  const p = new URLSearchParams()
  for (const k of keys) {
    const v = params.get(k)
    if (v) p.set(k, v)
  }
  const s = p.toString()
  return s ? `?${s}` : ''
}

function EditWindow({ id, timeZone, onSaved, onCancelWindow }: { id: string; timeZone: string; onSaved: (w: AssignmentWindow) => void; onCancelWindow: () => void }) {
  const w = useWindow(id)
  if (w.isPending) return <Skeleton lines={6} />
  if (w.isError) return <ErrorState title="This window didn't load" error={w.error} onRetry={() => void w.refetch()} />
  return (
    <>
      <p className="muted">
        {w.data.sitter.name} with {w.data.client.name}. <Link to={`/clients/${w.data.client.id}`}>The client's page</Link>
      </p>
      <WindowForm key={`${w.data.id}-${w.data.status}`} timeZone={timeZone} window={w.data} onDone={onSaved} onCancelWindow={onCancelWindow} />
    </>
  )
}

function CalendarView({
  timeZone,
  onOpen,
  onCreateAt,
  setNotice,
}: {
  timeZone: string
  onOpen: (w: AssignmentWindow) => void
  onCreateAt: (sitterId: string, startsAt: number, endsAt: number) => void
  setNotice: (n: PageNotice | null) => void
}) {
  const [params, setParams] = useSearchParams()
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 60_000)
    return () => clearInterval(t)
  }, [])
  const monday = readWeek(params, timeZone, now)
  const thisWeek = mondayOf(dayKeyOf(now, timeZone))
  const days = weekDays(monday, timeZone)
  const from = new Date(days[0]!.start).toISOString()
  const to = new Date(days[6]!.end).toISOString()
  const windows = useWeekWindows(from, to)
  const sitters = useSitters()
  const edit = useEditWindow()

  const goWeek = (week: string) => {
    const p = new URLSearchParams(params)
    if (week === thisWeek) p.delete('week')
    else p.set('week', week)
    setParams(p, { replace: true })
  }
  const list = windows.data?.windows ?? []
  const lanes: Lane[] = (sitters.data?.sitters ?? []).filter((s) => s.active).map((s) => ({ sitterId: s.id, name: s.name }))
  for (const w of list) {
    if (!lanes.some((l) => l.sitterId === w.sitter.id)) lanes.push({ sitterId: w.sitter.id, name: w.sitter.name, inactive: true })
  }
  const range = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric', year: 'numeric' })
  const title = `${range.format(new Date(`${days[0]!.key}T12:00:00Z`))} – ${range.format(new Date(`${days[6]!.key}T12:00:00Z`))}`

  const change = async (w: AssignmentWindow, times: { startsAt: string; endsAt: string }) => {
    setNotice(null)
    try {
      const saved = await edit.mutateAsync({ id: w.id, ...times })
      setNotice({ tone: 'success', text: `Moved ${saved.client.name}'s window with ${saved.sitter.name} to ${formatRange(saved.startsAt, saved.endsAt, timeZone)}.` })
    } catch (e) {
      setNotice({ tone: 'danger', text: `${w.client.name}'s window was not changed: ${e instanceof Error ? e.message : 'the change was refused.'}` })
    }
  }

  return (
    <section aria-labelledby="week-title">
      <div className="cal-toolbar">
        <div className="cal-nav" role="group" aria-label="Week">
          <Button onClick={() => goWeek(addDays(monday, -7))}>
            <span aria-hidden="true">← </span>Previous<span className="sr-only"> week</span>
          </Button>
          <Button onClick={() => goWeek(thisWeek)} disabled={monday === thisWeek}>
            Today
          </Button>
          <Button onClick={() => goWeek(addDays(monday, 7))}>
            Next<span className="sr-only"> week</span>
            <span aria-hidden="true"> →</span>
          </Button>
        </div>
        <h2 id="week-title" className="cal-title">
          {title}
        </h2>
        <Legend />
      </div>
      <p className="muted small cal-help">
        Days in {timeZone.replace(/_/g, ' ')} time. Click an empty place in a sitter's row to add a window; drag a window to move it, or its edge to
        resize it. Or choose a window to edit it.
      </p>
      {windows.isPending || sitters.isPending ? (
        <LoadingList rows={3} label="Loading the week" />
      ) : windows.isError ? (
        <ErrorState title="The week didn't load" error={windows.error} onRetry={() => void windows.refetch()} />
      ) : sitters.isError ? (
        <ErrorState title="The sitters didn't load" error={sitters.error} onRetry={() => void sitters.refetch()} />
      ) : lanes.length === 0 ? (
        <EmptyState title="No sitters yet" action={<Link to="/sitters">Add a sitter</Link>}>
          Add a sitter first; each sitter gets a row here.
        </EmptyState>
      ) : (
        <>
          <WeekCalendar days={days} lanes={lanes} windows={list} timeZone={timeZone} now={now} onOpen={onOpen} onCreateAt={onCreateAt} onChange={change} />
          {list.length === 0 && <p className="muted">No windows this week.</p>}
        </>
      )}
    </section>
  )
}
