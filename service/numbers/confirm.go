package numbers

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
	"github.com/snoutos/snout/service/confirm"
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
const ConfirmTokenTTL = confirm.TokenTTL

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

// issueToken returns the token confirming action on ids by a, and its expiry.
func (s *Service) issueToken(a service.Actor, action string, ids []uuid.UUID) (string, time.Time) {
	return s.confirm.Issue(a, action, ids)
}

// checkToken refuses a token that does not confirm action on ids by a, or
// that has expired.
func (s *Service) checkToken(a service.Actor, action string, ids []uuid.UUID, token string) error {
	return s.confirm.Check(a, action, ids, token)
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
