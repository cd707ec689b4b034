// A preview of the content policy, shown while the sitter types. The
// server decides; this only warns early, in the words the server uses,
// about the most common cases (phone numbers and email addresses).

const phoneRun = /(?:\+?\d[\s().-]{0,3}){7,}/
const email = /[\p{L}\p{N}._%+-]+\s*(?:@|\(at\)|\[at\]|\sat\s)\s*[\p{L}\p{N}-]+\s*(?:\.|\sdot\s)\s*[a-z]{2,}/iu

export function policyWarning(body: string): string | null {
  const faults: string[] = []
  if (phoneRun.test(body)) faults.push('a phone number')
  if (email.test(body)) faults.push('an email address')
  if (faults.length === 0) return null
  return `This will be blocked: it includes ${faults.join(' and ')}. Your client can reach you through this conversation.`
}
