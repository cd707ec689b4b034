import { useEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react'
import type { AssignmentWindow } from './api'
import { statusLabels } from './filters'
import { dragTimes, fractionOf, layoutLane, slotAt, type Day, type DragMode } from './layout'
import { asStatus, statusMarks } from './status'
import { dayKeyOf } from './time'

export interface Lane {
  sitterId: string
  name: string
  inactive?: boolean
}

interface Drag {
  id: string
  mode: DragMode
  x0: number
  left: number
  width: number
  from: number
  to: number
}

const day = 24 * 3600 * 1000

export function formatRange(startsAt: string, endsAt: string, timeZone: string): string {
  const f = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' })
  return `${f.format(new Date(startsAt))} – ${f.format(new Date(endsAt))}`
}

// The week: a lane per sitter, a column per day in the org's zone, each
// window a block coloured, marked and named by its status. A block is a
// button that opens the window's form (the keyboard's way to change it);
// with a pointer, drag it to move it or drag an edge to resize it, and
// click an empty place in a lane to start a window there.
export function WeekCalendar({
  days,
  lanes,
  windows,
  timeZone,
  now,
  onOpen,
  onCreateAt,
  onChange,
}: {
  days: Day[]
  lanes: Lane[]
  windows: AssignmentWindow[]
  timeZone: string
  now: number
  onOpen: (w: AssignmentWindow) => void
  onCreateAt: (sitterId: string, startsAt: number, endsAt: number) => void
  /** A drag's edit; resolves when the server has answered (refused or not). */
  onChange: (w: AssignmentWindow, times: { startsAt: string; endsAt: string }) => Promise<unknown>
}) {
  const [drag, setDrag] = useState<Drag | null>(null)
  // A drag waiting for the server: the block stays where it was dropped.
  const [pending, setPending] = useState<{ id: string; startsAt: string; endsAt: string } | null>(null)
  const moved = useRef(false)
  const today = dayKeyOf(now, timeZone)
  const weekday = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'short' })
  const dayLabel = { format: (d: Date) => `${weekday.format(d)} ${d.getUTCDate()}` }
  const dayLong = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'long', month: 'long', day: 'numeric' })
  const nowAt = now >= days[0]!.start && now < days[6]!.end ? fractionOf(now, days) : null

  const shown = (w: AssignmentWindow) => {
    if (drag?.id === w.id) return dragTimes(drag.mode, w, drag.from, drag.to, days) ?? w
    if (pending?.id === w.id) return { startsAt: pending.startsAt, endsAt: pending.endsAt }
    return w
  }

  const down = (e: ReactPointerEvent<HTMLButtonElement>, w: AssignmentWindow) => {
    moved.current = false
    // A finger scrolls the week and a tap opens the form; a mouse or pen drags.
    if (e.pointerType === 'touch' || e.button !== 0 || (w.status !== 'scheduled' && w.status !== 'active') || pending) return
    const track = e.currentTarget.parentElement!.getBoundingClientRect()
    const edge = (e.target as HTMLElement).dataset.edge
    const mode: DragMode = edge === 'start' ? 'start' : edge === 'end' ? 'end' : 'move'
    const f = (e.clientX - track.left) / track.width
    e.currentTarget.setPointerCapture?.(e.pointerId)
    setDrag({ id: w.id, mode, x0: e.clientX, left: track.left, width: track.width, from: f, to: f })
  }
  const move = (e: ReactPointerEvent<HTMLButtonElement>) => {
    if (!drag) return
    if (Math.abs(e.clientX - drag.x0) > 4) moved.current = true
    if (moved.current) setDrag({ ...drag, to: (e.clientX - drag.left) / drag.width })
  }
  const up = (w: AssignmentWindow) => {
    if (!drag) return
    const times = moved.current ? dragTimes(drag.mode, w, drag.from, drag.to, days) : null
    setDrag(null)
    if (!times) return
    setPending({ id: w.id, ...times })
    void onChange(w, times).finally(() => setPending(null))
  }

  const createAt = (e: React.MouseEvent<HTMLDivElement>, sitterId: string) => {
    if ((e.target as HTMLElement).closest('.cal-block')) return
    const r = e.currentTarget.getBoundingClientRect()
    const start = slotAt((e.clientX - r.left) / r.width, days, timeZone)
    onCreateAt(sitterId, start, start + day)
  }

  // On a narrow screen the week scrolls sideways: start at today.
  const scroller = useRef<HTMLDivElement>(null)
  const week = days[0]!.key
  useEffect(() => {
    const el = scroller.current
    const col = el?.querySelector<HTMLElement>('.cal-day-head.cal-today')
    const name = el?.querySelector<HTMLElement>('.cal-head .cal-lane-name')
    if (!el || !col || !name || el.scrollWidth <= el.clientWidth) return
    el.scrollLeft += col.getBoundingClientRect().left - el.getBoundingClientRect().left - name.offsetWidth
  }, [week])

  return (
    <div className="cal-scroll" ref={scroller}>
      <div className="cal" data-testid="week-calendar">
        <div className="cal-row cal-head" aria-hidden="true">
          <div className="cal-lane-name">Sitter</div>
          <div className="cal-days">
            {days.map((d) => (
              <div key={d.key} className={`cal-day-head${d.key === today ? ' cal-today' : ''}`}>
                {dayLabel.format(new Date(`${d.key}T12:00:00Z`))}
                {d.key === today && <span className="cal-today-mark">Today</span>}
              </div>
            ))}
          </div>
        </div>
        {lanes.map((lane) => {
          const mine = windows.filter((w) => w.sitter.id === lane.sitterId).map((w) => ({ ...w, ...shown(w) }))
          const { blocks, tracks } = layoutLane(mine, days)
          return (
            <section key={lane.sitterId} className="cal-row cal-lane" aria-label={`${lane.name}'s windows this week`} data-testid="cal-lane" data-sitter={lane.name}>
              <h3 className="cal-lane-name">
                {lane.name}
                {lane.inactive && <span className="muted small"> (inactive)</span>}
                <span className="sr-only">: {blocks.length === 0 ? 'no windows this week' : `${blocks.length} ${blocks.length === 1 ? 'window' : 'windows'}`}</span>
              </h3>
              <div
                className="cal-track"
                style={{ height: `calc(${tracks} * var(--cal-track-h) + var(--cal-add-h))` }}
                onClick={(e) => createAt(e, lane.sitterId)}
                title={`Click to add a window for ${lane.name}`}
                data-testid="cal-track"
              >
                {days.map((d) => (
                  <div key={d.key} className={`cal-day-bg${d.key === today ? ' cal-today' : ''}`} data-day={d.key}>
                    <span className="sr-only">{dayLong.format(new Date(`${d.key}T12:00:00Z`))}</span>
                  </div>
                ))}
                {nowAt !== null && <div className="cal-now" style={{ left: `${nowAt * 100}%` }} aria-hidden="true" />}
                <ul className="cal-blocks">
                  {blocks.map((b) => {
                    const w = windows.find((x) => x.id === b.window.id)!
                    const status = asStatus(w.status)
                    const editable = status === 'scheduled' || status === 'active'
                    const dragging = drag?.id === w.id && drag.to !== drag.from
                    return (
                      <li key={w.id} className="cal-block-item">
                        <button
                          type="button"
                          className={`cal-block cal-${status}${b.beforeWeek ? ' cal-before' : ''}${b.afterWeek ? ' cal-after' : ''}${dragging ? ' cal-dragging' : ''}${pending?.id === w.id ? ' cal-saving' : ''}`}
                          style={{ left: `${b.left * 100}%`, width: `${b.width * 100}%`, top: `calc(${b.track} * var(--cal-track-h) + 4px)` }}
                          title={`${w.client.name} with ${w.sitter.name}: ${statusLabels[status]}, ${formatRange(b.window.startsAt, b.window.endsAt, timeZone)}`}
                          data-testid="cal-block"
                          data-window={w.id}
                          data-status={status}
                          onPointerDown={(e) => down(e, w)}
                          onPointerMove={move}
                          onPointerUp={() => up(w)}
                          onPointerCancel={() => setDrag(null)}
                          onClick={(e) => {
                            e.stopPropagation()
                            if (moved.current) {
                              moved.current = false
                              return
                            }
                            onOpen(w)
                          }}
                        >
                          {editable && !b.beforeWeek && <span className="cal-handle cal-handle-start" data-edge="start" aria-hidden="true" />}
                          <span className="cal-block-text">
                            <span aria-hidden="true">{statusMarks[status]} </span>
                            <strong className="cal-client">{w.client.name}</strong> <span className="cal-status">{statusLabels[status]}</span>
                            <span className="sr-only">
                              , {formatRange(b.window.startsAt, b.window.endsAt, timeZone)}. Edit
                            </span>
                          </span>
                          {editable && !b.afterWeek && <span className="cal-handle cal-handle-end" data-edge="end" aria-hidden="true" />}
                        </button>
                      </li>
                    )
                  })}
                </ul>
              </div>
            </section>
          )
        })}
      </div>
    </div>
  )
}
