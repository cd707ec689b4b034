import { kindsLabel, overrideProblem, statusFromParams } from './words'

describe('policy review words', () => {
  it('names the types of a violation', () => {
    expect(kindsLabel(['phone_number', 'contact_request'])).toBe('Phone number, Asks to talk elsewhere')
    expect(kindsLabel(['new_kind'])).toBe('New kind')
    expect(kindsLabel([])).toBe('Policy')
  })
  it('shows open violations unless the URL says otherwise', () => {
    expect(statusFromParams(new URLSearchParams(''))).toBe('open')
    expect(statusFromParams(new URLSearchParams('status=dismissed'))).toBe('dismissed')
    expect(statusFromParams(new URLSearchParams('status=all'))).toBe('')
    expect(statusFromParams(new URLSearchParams('status=bogus'))).toBe('open')
  })
  it('asks for a reason to send anyway', () => {
    expect(overrideProblem('   ')).toBe('Say why this message may be sent anyway.')
    expect(overrideProblem('x'.repeat(1001))).toMatch(/1,000/)
    expect(overrideProblem('Client asked for it')).toBeNull()
  })
})
