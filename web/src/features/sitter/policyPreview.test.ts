import { policyWarning } from './policyPreview'

describe('the sitter content-policy preview', () => {
  it.each(['Text me at 650 555 0192', 'call (650) 555-0192', 'my number is +16505550192', 'sam.patel@gmail.com', 'sam at gmail dot com'])('warns about %j', (body) => {
    expect(policyWarning(body)).toMatch(/^This will be blocked: it includes (a phone number|an email address)\. Your client can reach you through this conversation\.$/)
  })
  it.each(['Fed at 5:30pm, walk at 7', 'Gate code 4821', 'Back on 12/24 at 10am', 'Biscuit ate 2 scoops', '$25 for the extra visit'])('lets %j through', (body) => {
    expect(policyWarning(body)).toBeNull()
  })
  it('names a phone number and an email address together, once each', () => {
    expect(policyWarning('Text me on 415-555-2323 or email sam@gmail.com')).toBe(
      'This will be blocked: it includes a phone number and an email address. Your client can reach you through this conversation.',
    )
  })
})
