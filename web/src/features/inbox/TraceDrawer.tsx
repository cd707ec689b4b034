import { Drawer } from '../../components/Drawer'
import type { MessageView } from '../../lib/api/types'
import { readableTrace } from './trace'

export function TraceDrawer({ message, names, timeZone, onClose }: { message: MessageView | null; names: Record<string, string>; timeZone?: string; onClose: () => void }) {
  const t = message?.routing ? readableTrace(message.routing, names, timeZone) : null
  return (
    <Drawer open={!!message} title="Why routed here?" onClose={onClose}>
      {t && (
        <div className="trace" data-testid="trace">
          <p className="trace-summary">{t.summary}</p>
          <p className="muted">Decided {t.decidedAt}</p>
          <ol className="trace-steps">
            {t.steps.map((s, i) => (
              <li key={i} className={s.matched ? 'trace-step trace-matched' : 'trace-step'}>
                <span className="trace-step-head">
                  <span className="trace-num" aria-hidden="true">
                    {i + 1}
                  </span>
                  <strong>{s.title}</strong>
                  <span className={`badge ${s.matched ? 'badge-success' : 'badge-neutral'}`}>{s.matched ? 'Decided' : 'Passed over'}</span>
                </span>
                <span className="trace-detail">{s.detail}</span>
              </li>
            ))}
          </ol>
        </div>
      )}
    </Drawer>
  )
}
