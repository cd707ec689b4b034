import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { Compose } from './Compose'

describe('Compose', () => {
  it('counts encoding and segments as the user types', async () => {
    render(<Compose label="Reply" onSend={async () => {}} />)
    const box = screen.getByLabelText('Reply', { selector: 'textarea' })
    const counter = screen.getByTestId('segment-counter')
    expect(counter).toHaveTextContent('GSM-7 0 segments 0 / 1,600')
    await userEvent.type(box, 'Biscuit had a great walk')
    expect(counter).toHaveTextContent('GSM-7 1 segment 24 / 1,600')
    await userEvent.type(box, ' 🐶')
    expect(counter).toHaveTextContent('UCS-2 1 segment 26 / 1,600')
    expect(counter).toHaveTextContent('Unicode because of 🐶')
  })

  it('refuses more than 1,600 characters and says how to fix it', async () => {
    render(<Compose label="Reply" onSend={async () => {}} />)
    const box = screen.getByLabelText('Reply', { selector: 'textarea' })
    await userEvent.click(box)
    await userEvent.paste('a'.repeat(1601))
    expect(screen.getByRole('button', { name: 'Send' })).toBeDisabled()
    expect(screen.getByText(/Shorten the message to 1,600 characters/)).toBeInTheDocument()
    expect(screen.getByTestId('segment-counter')).toHaveTextContent('11 segments 1,601 / 1,600')
  })

  it('clears on send and gives the draft back when the send fails', async () => {
    let fail!: (e: Error) => void
    render(<Compose label="Reply" onSend={() => new Promise((_, reject) => (fail = reject))} />)
    const box = screen.getByLabelText('Reply', { selector: 'textarea' })
    await userEvent.type(box, 'See you at 5')
    await userEvent.click(screen.getByRole('button', { name: 'Send' }))
    expect(box).toHaveValue('')
    fail(new Error('refused'))
    await screen.findByDisplayValue('See you at 5')
  })

  it('warns before sending when a warning applies', async () => {
    render(<Compose label="Reply" onSend={async () => {}} warn={(b) => (b.includes('555') ? 'No phone numbers.' : null)} />)
    await userEvent.type(screen.getByLabelText('Reply', { selector: 'textarea' }), 'call 555')
    expect(screen.getByTestId('compose-warning')).toHaveTextContent('No phone numbers.')
  })
})
