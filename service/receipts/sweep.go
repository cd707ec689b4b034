package receipts

import (
	"context"
	"time"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/store"
)

// DefaultSweepLimit is how many receipts one sweep re-drives at most when
// the caller names no limit.
const DefaultSweepLimit = 100

// Redrive dispatches, by the same function the webhooks use, the receipts
// older than minAge that were never dispatched, oldest first and at most
// limit of them. A status callback whose SID is still unknown by then is
// closed as not Snout's. The receipt sweep (a Temporal Schedule) runs it.
func (s *Service) Redrive(ctx context.Context, minAge time.Duration, limit int) (contract.SweepResult, error) {
	receipts, err := s.Undispatched(ctx, minAge, limit)
	if err != nil {
		return contract.SweepResult{}, err
	}
	res := contract.SweepResult{Found: len(receipts)}
	for i := range receipts {
		switch s.dispatch(ctx, &receipts[i], true) {
		case Started:
			res.Started++
		case AlreadyStarted:
			res.AlreadyStarted++
		case Signalled:
			res.Signalled++
		case Applied:
			res.Applied++
		case Unknown:
			res.Unknown++
		default:
			res.Failed++
		}
	}
	if res.Found > 0 {
		s.Log.InfoContext(ctx, "webhook receipts re-driven", "found", res.Found, "started", res.Started, "alreadyStarted", res.AlreadyStarted,
			"signalled", res.Signalled, "applied", res.Applied, "unknown", res.Unknown, "failed", res.Failed)
	}
	return res, nil
}

// Undispatched lists, across orgs, the receipts older than minAge that
// were never dispatched, oldest first within each org, at most limit.
func (s *Service) Undispatched(ctx context.Context, minAge time.Duration, limit int) ([]store.WebhookReceipt, error) {
	if limit <= 0 {
		limit = DefaultSweepLimit
	}
	before := s.Now().Add(-minAge)
	orgIDs, err := s.Store.OrgsWithUndispatchedReceipts(ctx, before, limit)
	if err != nil {
		return nil, err
	}
	var out []store.WebhookReceipt
	for _, orgID := range orgIDs {
		if len(out) >= limit {
			break
		}
		receipts, err := s.Store.Org(orgID).UndispatchedReceipts(ctx, before, limit-len(out))
		if err != nil {
			return nil, err
		}
		out = append(out, receipts...)
	}
	return out, nil
}
