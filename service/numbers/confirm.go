package numbers

import (
	"context"
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
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
)

// Confirmation of destructive actions.
//
// Release, quarantine, release-now and their bulk versions answer a first
// call (without a token) with the impact and a token. The token is an HMAC,
// under a key derived from the confirmation secret, over the org, the
// user, the action, the sorted number IDs and an expiry five minutes out:
// it confirms exactly what was previewed, by whoever saw it, and nothing
// else. Nothing is stored.

// ConfirmTokenTTL is how long a preview can be confirmed.
const ConfirmTokenTTL = 5 * time.Minute

// The actions a token confirms.
const (
	ActionRelease        = "release"
	ActionQuarantine     = "quarantine"
	ActionReleaseNow     = "release-now"
	ActionBulkRelease    = "bulk-release"
	ActionBulkQuarantine = "bulk-quarantine"
)

// Confirmation answers the first call of a destructive action: what it
// would change for the numbers it can act on, each number's outcome for a
// bulk action, and the token that confirms it. It is a result, not a
// refusal.
type Confirmation struct {
	Action    string
	NumberIDs []uuid.UUID
	Impact    store.NumberImpact
	Items     []Item
	Message   string
	Token     string
	ExpiresAt time.Time
}

func (s *Service) confirmMAC(a service.Actor, action string, ids []uuid.UUID, exp int64) []byte {
	sorted := make([]string, len(ids))
	for i, id := range ids {
		sorted[i] = id.String()
	}
	sort.Strings(sorted)
	mac := hmac.New(sha256.New, s.confirmKey)
	fmt.Fprintf(mac, "%s\x00%s\x00%s\x00%s\x00%d", a.OrgID, a.UserID, action, strings.Join(sorted, ","), exp)
	return mac.Sum(nil)
}

// issueToken returns the token confirming action on ids by a, and its expiry.
func (s *Service) issueToken(a service.Actor, action string, ids []uuid.UUID) (string, time.Time) {
	exp := s.now().Add(ConfirmTokenTTL).Truncate(time.Second)
	mac := s.confirmMAC(a, action, ids, exp.Unix())
	return strconv.FormatInt(exp.Unix(), 10) + "." + base64.RawURLEncoding.EncodeToString(mac), exp
}

// checkToken refuses a token that does not confirm action on ids by a, or
// that has expired.
func (s *Service) checkToken(a service.Actor, action string, ids []uuid.UUID, token string) error {
	fields := map[string]string{"confirmToken": "Use the confirmToken from the preview of this same action."}
	expText, macText, ok := strings.Cut(token, ".")
	exp, err := strconv.ParseInt(expText, 10, 64)
	if !ok || err != nil {
		return errs.InvalidCode("invalid_confirm_token", "This confirmation does not match what was previewed. Look at the impact again and confirm.", fields)
	}
	mac, err := base64.RawURLEncoding.DecodeString(macText)
	if err != nil || !hmac.Equal(mac, s.confirmMAC(a, action, ids, exp)) {
		return errs.InvalidCode("invalid_confirm_token", "This confirmation does not match what was previewed. Look at the impact again and confirm.", fields)
	}
	if s.now().Unix() > exp {
		return errs.InvalidCode("invalid_confirm_token", "This confirmation has expired. Look at the impact again and confirm within five minutes.", fields)
	}
	return nil
}

// confirmation previews action on ids: the impact on the numbers it can
// act on (inScope), the per-number items of a bulk action, and the token.
func (s *Service) confirmation(ctx context.Context, a service.Actor, action string, ids, inScope []uuid.UUID, items []Item, msg string) (*Confirmation, error) {
	imp := store.NumberImpact{}
	if len(inScope) > 0 {
		var err error
		if imp, err = s.store.Org(a.OrgID).ImpactOf(ctx, inScope, s.now()); err != nil {
			return nil, err
		}
	}
	token, exp := s.issueToken(a, action, ids)
	return &Confirmation{Action: action, NumberIDs: ids, Impact: imp, Items: items, Message: msg, Token: token, ExpiresAt: exp}, nil
}
