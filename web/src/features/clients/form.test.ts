import { ApiError } from '../../lib/api/http'
import { addPhone, emptyClientForm, formErrors, formFromClient, newPet, removePhone, setPrimary, splitTags, toRequest, updateRow } from './form'
import type { ClientDetailView } from './types'

describe('the phone list', () => {
  it('keeps exactly one primary as numbers are added, made primary and removed', () => {
    let phones = emptyClientForm().phones
    expect(phones).toHaveLength(1)
    expect(phones[0]!.primary).toBe(true)
    phones = addPhone(addPhone(phones))
    expect(phones.filter((p) => p.primary)).toHaveLength(1)
    phones = setPrimary(phones, phones[2]!.key)
    expect(phones.map((p) => p.primary)).toEqual([false, false, true])
    // Removing the primary makes the first remaining number primary.
    phones = removePhone(phones, phones[2]!.key)
    expect(phones.map((p) => p.primary)).toEqual([true, false])
  })
})

describe('toRequest', () => {
  it('leaves out blank rows and sends the primary flag of the one chosen', () => {
    const v = emptyClientForm()
    v.name = '  Avery Lee '
    v.phones = addPhone(addPhone(v.phones))
    v.phones = updateRow(v.phones, v.phones[0]!.key, { number: '' })
    v.phones = updateRow(v.phones, v.phones[1]!.key, { number: '(650) 555-0123', label: 'mobile' })
    v.phones = updateRow(v.phones, v.phones[2]!.key, { number: '650.555.0124' })
    v.phones = setPrimary(v.phones, v.phones[2]!.key)
    v.pets = [newPet(), { ...newPet(), name: 'Rex', notes: 'beagle' }]
    v.tags = 'weekly, VIP;; keys '
    const b = toRequest(v)
    expect(b.body.name).toBe('Avery Lee')
    expect(b.body.phones).toEqual([
      { number: '(650) 555-0123', label: 'mobile', primary: false },
      { number: '650.555.0124', label: '', primary: true },
    ])
    expect(b.phoneKeys).toEqual([v.phones[1]!.key, v.phones[2]!.key])
    expect(b.body.pets).toEqual([{ name: 'Rex', notes: 'beagle' }])
    expect(b.body.tags).toEqual(['weekly', 'VIP', 'keys'])
  })

  it('makes the first number sent primary when the primary row was left blank', () => {
    const v = emptyClientForm()
    v.phones = addPhone(v.phones)
    v.phones = updateRow(v.phones, v.phones[1]!.key, { number: '6505550123' })
    expect(toRequest(v).body.phones).toEqual([{ number: '6505550123', label: '', primary: true }])
  })

  it('sends no phone at all when every row is blank, so the API asks for one', () => {
    expect(toRequest(emptyClientForm()).body.phones).toEqual([])
  })
})

describe('formErrors', () => {
  it('puts each indexed message on the row the user typed, past blank rows', () => {
    const v = emptyClientForm()
    v.phones = addPhone(addPhone(v.phones))
    v.phones = updateRow(v.phones, v.phones[1]!.key, { number: '12' })
    v.phones = updateRow(v.phones, v.phones[2]!.key, { number: '6505550123' })
    v.pets = [{ ...newPet(), notes: 'no name' }]
    const built = toRequest(v)
    const err = new ApiError(400, {
      code: 'invalid',
      message: 'Check the fields.',
      fields: { name: 'Enter the client\u2019s name.', 'phones[0].number': 'Not a phone number we can text: too short.', 'pets[0].name': 'Enter the pet\u2019s name.', 'tags[1]': 'A tag can\u2019t be empty.' },
    })
    const e = formErrors(err, built)
    expect(e.fields.name).toMatch(/name/)
    expect(e.fields[`${v.phones[1]!.key}.number`]).toMatch(/too short/)
    expect(e.fields[`${v.phones[0]!.key}.number`]).toBeUndefined()
    expect(e.fields[`${v.pets[0]!.key}.name`]).toMatch(/pet/)
    expect(e.fields.tags).toMatch(/empty/)
    expect(e.message).toBeUndefined()
  })

  it('links a number already held by another client to that client', () => {
    const v = emptyClientForm()
    v.phones = addPhone(v.phones)
    v.phones = updateRow(v.phones, v.phones[0]!.key, { number: '6505550100' })
    v.phones = updateRow(v.phones, v.phones[1]!.key, { number: '6505550177' })
    const built = toRequest(v)
    const err = new ApiError(400, {
      code: 'phone_taken',
      message: 'A phone number belongs to another client.',
      fields: { 'phones[1].number': '+1 650-555-0177 is already the number of Quinn Lake.' },
      detail: { taken: [{ phone: '+16505550177', clientId: 'q-1', clientName: 'Quinn Lake' }] },
    })
    const e = formErrors(err, built)
    expect(e.takenBy[v.phones[1]!.key]).toEqual({ clientId: 'q-1', clientName: 'Quinn Lake' })
    expect(e.takenBy[v.phones[0]!.key]).toBeUndefined()
    expect(e.fields[`${v.phones[1]!.key}.number`]).toMatch(/Quinn Lake/)
  })

  it('keeps a refusal without fields as a message', () => {
    const e = formErrors(new ApiError(409, { code: 'conflict', message: 'These details changed meanwhile; reload and try again.' }), toRequest(emptyClientForm()))
    expect(e.message).toMatch(/changed meanwhile/)
  })
})

describe('formFromClient', () => {
  it('shows the numbers as people write them, with the primary one checked', () => {
    const c = {
      name: 'Avery', email: 'a@b.example', address: '', notes: '', tags: ['weekly', 'vip'],
      phones: [
        { e164: '+16505550101', display: '+1 650-555-0101', label: '', primary: false },
        { e164: '+16505550102', display: '+1 650-555-0102', label: 'work', primary: true },
      ],
      pets: [{ id: 'p1', name: 'Rex', notes: 'beagle' }],
    } as unknown as ClientDetailView
    const v = formFromClient(c)
    expect(v.phones.map((p) => [p.number, p.primary])).toEqual([['+1 650-555-0101', false], ['+1 650-555-0102', true]])
    expect(v.tags).toBe('weekly, vip')
    expect(v.pets[0]).toMatchObject({ name: 'Rex', notes: 'beagle' })
    expect(splitTags(v.tags)).toEqual(['weekly', 'vip'])
  })
})
