import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { act, renderHook, waitFor } from '@testing-library/react'
import type { ReactNode } from 'react'
import type { MessagePage, MessageView } from '../../lib/api/types'
import { messagesKey, useSendMessage } from './api'
import { allMessages, type MessagesData } from './optimistic'

const thread = '7e57e57e-0000-4000-8000-000000000001'
const existing: MessageView = {
  id: 'm1', direction: 'inbound', senderType: 'client', senderName: 'Avery', createdAt: '2026-11-25T17:00:00Z', body: 'Hi!', media: [],
  status: 'received', failureReason: '', attempts: 0, encoding: 'GSM-7', segments: 1, deadLettered: false, errorCode: null, from: '', to: '',
}

function setup() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity }, mutations: { retry: false } } })
  const page: MessagePage = { messages: [existing], nextCursor: '' }
  qc.setQueryData<MessagesData>(messagesKey(thread), { pages: [page], pageParams: [undefined] })
  const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={qc}>{children}</QueryClientProvider>
  const { result } = renderHook(() => useSendMessage(thread, 'Morgan Reyes'), { wrapper })
  const messages = () => allMessages(qc.getQueryData<MessagesData>(messagesKey(thread)))
  return { qc, result, messages }
}

function deferredFetch() {
  let resolve!: (r: Response) => void
  const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(() => new Promise<Response>((r) => (resolve = r)))
  return { spy, answer: (r: Response) => resolve(r) }
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

afterEach(() => vi.restoreAllMocks())

describe('optimistic send', () => {
  it('shows the message at once, as sending, before the server answers', async () => {
    const { result, messages } = setup()
    const f = deferredFetch()
    act(() => result.current.mutate('On my way!'))
    await waitFor(() => expect(messages()).toHaveLength(2))
    const last = messages()[1] as MessageView & { optimistic?: boolean }
    expect(last).toMatchObject({ body: 'On my way!', direction: 'outbound', senderName: 'Morgan Reyes', optimistic: true })
    const req = f.spy.mock.calls[0]![0] as Request
    expect(req.method).toBe('POST')
    expect(new URL(req.url).pathname).toBe(`/api/v1/threads/${thread}/messages`)
    expect(await req.json()).toEqual({ body: 'On my way!', mediaUrls: [] })
    f.answer(json(202, { id: 'm2', threadId: thread, direction: 'outbound', senderType: 'owner', body: 'On my way!', mediaUrls: [], status: 'pending', encoding: 'GSM-7', segments: 1, createdAt: '2026-11-25T17:01:00Z' }))
    await waitFor(() => expect(result.current.isSuccess).toBe(true))
  })

  it("rolls back with the server's reason when the send is refused", async () => {
    const { result, messages } = setup()
    const f = deferredFetch()
    let caught: unknown
    act(() => {
      result.current.mutateAsync('Hello?').catch((e) => (caught = e))
    })
    await waitFor(() => expect(messages()).toHaveLength(2))
    f.answer(json(422, { error: { code: 'opted_out', message: 'Avery has opted out of texts (they replied STOP).', correlationId: 'c1' } }))
    await waitFor(() => expect(result.current.isError).toBe(true))
    expect(messages()).toEqual([existing])
    expect((caught as Error).message).toBe('Avery has opted out of texts (they replied STOP).')
  })

  it('rolls back when the network fails, with a message that says what to do', async () => {
    const { result, messages } = setup()
    vi.spyOn(globalThis, 'fetch').mockRejectedValue(new TypeError('Failed to fetch'))
    await act(async () => {
      await result.current.mutateAsync('Hello?').catch(() => undefined)
    })
    expect(messages()).toEqual([existing])
    expect(result.current.error?.message).toMatch(/couldn't reach Snout/)
  })
})
