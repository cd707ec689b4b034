import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router'
import { ApiError } from '../../lib/api/http'
import { ClientForm } from './ClientForm'
import type { ClientDetailView, ClientRequest } from './types'

function setup(onSubmit: (b: ClientRequest) => Promise<ClientDetailView>) {
  render(
    <MemoryRouter>
      <ClientForm submitLabel="Add client" onSubmit={onSubmit} onCancel={() => {}} />
    </MemoryRouter>,
  )
  return userEvent.setup()
}

describe('ClientForm', () => {
  it('sends two numbers and two pets, with the chosen primary', async () => {
    const sent: ClientRequest[] = []
    const user = setup(async (b) => {
      sent.push(b)
      return { id: 'c1' } as ClientDetailView
    })
    await user.type(screen.getByLabelText('Name'), 'Avery Lee')
    await user.type(screen.getByLabelText('Phone 1'), '(650) 555-0123')
    await user.click(screen.getByRole('button', { name: 'Add another number' }))
    await user.type(screen.getByLabelText('Phone 2'), '650.555.0124')
    await user.click(screen.getAllByRole('radio', { name: 'Primary' })[1]!)
    await user.click(screen.getByRole('button', { name: 'Add a pet' }))
    await user.type(screen.getByLabelText('Pet 1 name'), 'Rex')
    await user.click(screen.getByRole('button', { name: 'Add a pet' }))
    await user.type(screen.getByLabelText('Pet 2 name'), 'Mia')
    await user.type(screen.getAllByLabelText('Notes')[1]!, 'shy')
    await user.click(screen.getByRole('button', { name: 'Add client' }))
    expect(sent).toHaveLength(1)
    expect(sent[0]!.phones).toEqual([
      { number: '(650) 555-0123', label: '', primary: false },
      { number: '650.555.0124', label: '', primary: true },
    ])
    expect(sent[0]!.pets).toEqual([{ name: 'Rex', notes: '' }, { name: 'Mia', notes: 'shy' }])
  }, 20_000)

  it('shows a taken number beside its field with a link to its holder, and keeps what was typed', async () => {
    const user = setup(async () => {
      throw new ApiError(400, {
        code: 'phone_taken',
        message: 'A phone number belongs to another client.',
        fields: { 'phones[0].number': '+1 650-555-0177 is already the number of Quinn Lake.' },
        detail: { taken: [{ phone: '+16505550177', clientId: 'quinn-id', clientName: 'Quinn Lake' }] },
      })
    })
    await user.type(screen.getByLabelText('Name'), 'Quinn Twin')
    await user.type(screen.getByLabelText('Phone 1'), '650 555 0177')
    await user.click(screen.getByRole('button', { name: 'Add client' }))
    const phone = screen.getByLabelText('Phone 1')
    expect(phone).toHaveAttribute('aria-invalid', 'true')
    expect(phone).toHaveAccessibleDescription(/already the number of Quinn Lake/)
    expect(screen.getByRole('link', { name: 'Open Quinn Lake' })).toHaveAttribute('href', '/clients/quinn-id')
    expect(phone).toHaveValue('650 555 0177')
    expect(screen.getByLabelText('Name')).toHaveValue('Quinn Twin')
  }, 20_000)
})
