import { Badge, type Tone } from '../../components/ui'
import { statusLabels, statuses, type WindowStatus } from './filters'

// A window's status in words, a mark and a colour, so none of them is
// needed alone.

export const statusMarks: Record<WindowStatus, string> = { scheduled: '○', active: '●', ended: '✓', cancelled: '✕' }
const tones: Record<WindowStatus, Tone> = { scheduled: 'info', active: 'success', ended: 'neutral', cancelled: 'danger' }

export function asStatus(s: string): WindowStatus {
  return (statuses as readonly string[]).includes(s) ? (s as WindowStatus) : 'scheduled'
}

export function StatusBadge({ status }: { status: string }) {
  const s = asStatus(status)
  return (
    <Badge tone={tones[s]}>
      <span aria-hidden="true">{statusMarks[s]} </span>
      {statusLabels[s]}
    </Badge>
  )
}

export function Legend() {
  return (
    <ul className="cal-legend" aria-label="Window statuses">
      {statuses.map((s) => (
        <li key={s}>
          <span className={`cal-swatch cal-${s}`} aria-hidden="true">
            {statusMarks[s]}
          </span>
          {statusLabels[s]}
        </li>
      ))}
    </ul>
  )
}
