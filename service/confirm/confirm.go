// Package confirm is the confirmation of destructive actions: a first call
// (without a token) answers with the impact and a token; the second call
// carries the token. The token is an HMAC, under a key derived from the
// confirmation secret for one purpose, over the org, the user, the action,
// the sorted IDs and an expiry: it confirms exactly what was previewed, by
// whoever saw it, and nothing else. Nothing is stored.
package confirm

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/service"
)

// TokenTTL is how long a preview can be confirmed.
const TokenTTL = 5 * time.Minute

// Signer issues and checks tokens for one purpose.
type Signer struct {
	key []byte
	now func() time.Time
}

// NewSigner derives the purpose's key from the root secret.
func NewSigner(secret []byte, purpose string, now func() time.Time) *Signer {
	if now == nil {
		now = time.Now
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(purpose))
	return &Signer{key: mac.Sum(nil), now: now}
}

func (s *Signer) mac(a service.Actor, action string, ids []uuid.UUID, exp int64) []byte {
	sorted := make([]string, len(ids))
	for i, id := range ids {
		sorted[i] = id.String()
	}
	sort.Strings(sorted)
	mac := hmac.New(sha256.New, s.key)
	fmt.Fprintf(mac, "%s\x00%s\x00%s\x00%s\x00%d", a.OrgID, a.UserID, action, strings.Join(sorted, ","), exp)
	return mac.Sum(nil)
}

// Issue returns the token confirming action on ids by a, and its expiry.
func (s *Signer) Issue(a service.Actor, action string, ids []uuid.UUID) (string, time.Time) {
	exp := s.now().Add(TokenTTL).Truncate(time.Second)
	mac := s.mac(a, action, ids, exp.Unix())
	return strconv.FormatInt(exp.Unix(), 10) + "." + base64.RawURLEncoding.EncodeToString(mac), exp
}

// Check refuses (invalid, field confirmToken) a token that does not
// confirm action on ids by a, or that has expired.
func (s *Signer) Check(a service.Actor, action string, ids []uuid.UUID, token string) error {
	fields := map[string]string{"confirmToken": "Use the confirmToken from the preview of this same action."}
	expText, macText, ok := strings.Cut(token, ".")
	exp, err := strconv.ParseInt(expText, 10, 64)
	if !ok || err != nil {
		return errs.InvalidCode("invalid_confirm_token", "This confirmation does not match what was previewed. Look at the impact again and confirm.", fields)
	}
	mac, err := base64.RawURLEncoding.DecodeString(macText)
	if err != nil || !hmac.Equal(mac, s.mac(a, action, ids, exp)) {
		return errs.InvalidCode("invalid_confirm_token", "This confirmation does not match what was previewed. Look at the impact again and confirm.", fields)
	}
	if s.now().Unix() > exp {
		return errs.InvalidCode("invalid_confirm_token", "This confirmation has expired. Look at the impact again and confirm within five minutes.", fields)
	}
	return nil
}
