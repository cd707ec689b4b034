import { useId, useState } from 'react'
import { Compose } from '../../components/Compose'
import { Button, Notice, Skeleton } from '../../components/ui'
import { formatPhone } from '../../lib/format'
import { useBusinessNumbers, useStartConversation } from './api'
import { numberChoices } from './numbers'
import type { ClientDetailView } from './types'

// The first text to a client, from the front desk or another of the
// business's numbers. Only this client's record: no number is typed here.
// An opted-out client is refused before anything is written.
export function StartConversation({ client, onCancel, onStarted }: { client: ClientDetailView; onCancel: () => void; onStarted: (threadId: string) => void }) {
  const id = useId()
  const numbers = useBusinessNumbers(!client.optedOut)
  const start = useStartConversation(client.id)
  const choices = numberChoices(numbers.data ?? [])
  const [picked, setPicked] = useState<string>('')
  const numberId = picked || choices[0]?.id || ''
  const first = client.namedByNumber ? formatPhone(client.phone) : client.name

  return (
    <section className="card start-conversation" id="start-conversation" aria-labelledby={`${id}-title`}>
      <div className="row row-between row-nowrap">
        <h2 id={`${id}-title`}>Text {first}</h2>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
      {client.optedOut ? (
        <Notice tone="danger" role="alert">
          {client.name} opted out of texts, so no message can be sent to them.{' '}
          {client.consent.source === 'keyword' ? 'Only their own START text allows texts again.' : 'Record their opt-in below if they told you they want texts again.'}
        </Notice>
      ) : numbers.isPending ? (
        <Skeleton lines={3} />
      ) : numbers.isError ? (
        <Notice tone="danger" role="alert">
          Your business numbers didn't load: {numbers.error.message}
        </Notice>
      ) : choices.length === 0 ? (
        <Notice tone="warning">The business has no active number to text from yet. Finish setup first.</Notice>
      ) : (
        <>
          <div className="field">
            <label htmlFor={`${id}-from`}>Send from</label>
            <select id={`${id}-from`} value={numberId} onChange={(e) => setPicked(e.target.value)}>
              {choices.map((n) => (
                <option key={n.id} value={n.id}>
                  {n.label}
                </option>
              ))}
            </select>
            <p className="muted small">
              To {client.phones.find((p) => p.primary)?.display ?? formatPhone(client.phone)}, {first}'s primary number. The conversation then continues in the inbox.
            </p>
          </div>
          {start.isError && (
            <Notice tone="danger" role="alert">
              {start.error.message}
            </Notice>
          )}
          <Compose
            label={`First message to ${first}`}
            placeholder={`Hi ${client.namedByNumber ? 'there' : client.name.split(/\s+/)[0]}, …`}
            onSend={async (body) => {
              const opened = await start.mutateAsync({ numberId, body })
              onStarted(opened.threadId)
            }}
          />
        </>
      )}
    </section>
  )
}
