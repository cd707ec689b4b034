import type { ReactNode } from 'react'
import { formatDateTime } from '../lib/format'
import { isFailure, senderLabel, statusWords } from '../lib/messageStatus'
import type { MediaItem } from '../lib/api/types'
import { Badge } from './ui'

export interface BubbleMessage {
  id: string
  direction: string
  senderType: string
  senderName: string
  createdAt: string
  body: string
  media: MediaItem[]
  status: string
  failureReason: string
  optimistic?: boolean
}

// One message of a conversation. Inbound on the left, outbound on the
// right; the status badge and the failure reason under outbound ones.
export function MessageBubble({ m, timeZone, children, mine }: { m: BubbleMessage; timeZone?: string; children?: ReactNode; mine?: boolean }) {
  const out = m.direction === 'outbound'
  const words = statusWords(m.optimistic ? 'sending' : m.status)
  const problem = isFailure(m.status) || m.status === 'blocked'
  const who = m.senderName || senderLabel(m.senderType)
  return (
    <li className={`msg ${out ? 'msg-out' : 'msg-in'}${problem ? ' msg-problem' : ''}`} data-testid="message" data-status={m.optimistic ? 'sending' : m.status}>
      <div className="msg-meta">
        <span className="msg-sender">
          {mine ? 'You' : who}
          {!mine && m.senderName && <span className="msg-role"> · {senderLabel(m.senderType)}</span>}
        </span>
        <time dateTime={m.createdAt}>{formatDateTime(m.createdAt, timeZone)}</time>
      </div>
      <div className="msg-bubble">
        {m.body && <p className="msg-body">{m.body}</p>}
        {m.media.length > 0 && (
          <div className="msg-media">
            {m.media.map((item, i) => (
              <a key={item.url + i} href={item.url} target="_blank" rel="noreferrer noopener" className="msg-media-link">
                <img src={item.url} alt={`Photo ${i + 1} from ${who}`} loading="lazy" width={160} height={120} />
              </a>
            ))}
          </div>
        )}
      </div>
      {out && (
        <div className="msg-status">
          <Badge tone={words.tone}>{words.label}</Badge>
          {problem && <span className="msg-reason">{m.failureReason || words.explain}</span>}
        </div>
      )}
      {children}
    </li>
  )
}
