package twiliosim

import (
	"crypto/rand"
	"encoding/hex"
	"regexp"
)

var messageSIDPattern = regexp.MustCompile(`^(SM|MM)[0-9a-f]{32}$`)

// newSID returns a Twilio-style SID: a two-letter prefix and 32 lower-case
// hex digits.
func newSID(prefix string) string {
	return prefix + randomHex(16)
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand panics rather than return an error)
	return hex.EncodeToString(b)
}
