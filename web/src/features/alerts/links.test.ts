import { alertLink } from './links'

describe('where an alert leads', () => {
  it('opens the conversation of a message that failed', () => {
    expect(alertLink({ entityType: 'message', entityId: 'm1', threadId: 't1' })).toEqual({ to: '/inbox/t1', label: 'Open the conversation' })
  })
  it('opens a conversation the alert names', () => {
    expect(alertLink({ entityType: 'thread', entityId: 't2' })).toEqual({ to: '/inbox/t2', label: 'Open the conversation' })
  })
  it('opens the number an alert is about', () => {
    expect(alertLink({ entityType: 'phone_number', entityId: 'n1' })).toEqual({ to: '/numbers/n1', label: 'Open the number' })
    expect(alertLink({ entityType: 'number', entityId: 'n2' })).toEqual({ to: '/numbers/n2', label: 'Open the number' })
    expect(alertLink({ entityType: 'phone_number' })).toBeNull()
  })
  it('has no link for an alert about nothing in particular', () => {
    expect(alertLink({ entityType: 'org', entityId: 'o1' })).toBeNull()
    expect(alertLink({ entityType: 'message', entityId: 'm1' })).toBeNull()
  })
})
