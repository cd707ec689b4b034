// A preview of the content policy, shown while the sitter types. The
// server decides; this only warns early, in the same words, about the
// most common cases (a phone number or an email address).

const phoneRun = /(?:\+?\d[\s().-]{0,3}){7,}/
const email = /[\p{L}\p{N}._%+-]+\s*(?:@|\(at\)|\[at\]|\sat\s)\s*[\p{L}\p{N}-]+\s*(?:\.|\sdot\s)\s*[a-z]{2,}/iu

export function policyWarning(body: string): string | null {
  if (phoneRun.test(body)) return "This will be blocked: messages can't include phone numbers. Your client can reach you through this conversation."
  if (email.test(body)) return "This will be blocked: messages can't include email addresses. Please keep everything with your client in this conversation."
  return null
}
