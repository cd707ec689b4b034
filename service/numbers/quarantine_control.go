package numbers

import (
	"context"
	"strings"
	"time"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/platform/obs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
)

// The three requests that reach a number's QuarantineWorkflow: start it,
// restore the number, release it now. Each is one method here, and each is
// a Temporal Update answered by the workflow itself (quarantine_updates.go):
// nothing polls a query, Describe or the database.

// beginQuarantine starts the number's QuarantineWorkflow (update-with-start),
// searchable in the Temporal Web UI by OrgId, PhoneNumber and NumberId. A
// quarantine already running for the number is a conflict. With wait > 0 it
// returns the workflow's state once the threads have moved and the cooldown
// runs (nil when that takes longer); with wait 0 it returns as soon as the
// workflow accepted the start (bulk quarantine).
func (s *Service) beginQuarantine(ctx context.Context, a service.Actor, in contract.QuarantineInput, wait time.Duration) (*contract.QuarantineState, error) {
	if err := s.requireTemporal(); err != nil {
		return nil, err
	}
	start, err := StartQuarantine(ctx, s.temporal, s.taskQueue, in, wait)
	if err != nil {
		return nil, err
	}
	s.record(ctx, a, "number.quarantine.requested", in.NumberID, map[string]any{
		"quarantineId": in.QuarantineID, "e164": in.PhoneNumber, "replacementNumberId": *in.ReplacementNumberID, "endAction": in.EndAction,
		"cooldownDays": int(in.Cooldown / (24 * time.Hour)), "notifyClients": in.NotifyClients, "reason": in.Reason,
	})
	return start.State, nil
}

// restoreQuarantine asks the workflow to end the cooldown and put the
// number back in service; nil means accepted and still finishing.
func (s *Service) restoreQuarantine(ctx context.Context, a service.Actor, row *store.InventoryRow, q *store.Quarantine, reason string) (*store.Quarantine, error) {
	return s.endQuarantine(ctx, a, row, q, contract.UpdateQuarantineRestore, reason)
}

// releaseQuarantineNow asks the workflow to release the number to the
// provider at once; nil means accepted and still finishing.
func (s *Service) releaseQuarantineNow(ctx context.Context, a service.Actor, row *store.InventoryRow, q *store.Quarantine, reason string) (*store.Quarantine, error) {
	return s.endQuarantine(ctx, a, row, q, contract.UpdateQuarantineReleaseNow, reason)
}

// endQuarantine sends the update and, once the workflow answers that the
// quarantine finished, returns its row (written before the answer).
func (s *Service) endQuarantine(ctx context.Context, a service.Actor, row *store.InventoryRow, q *store.Quarantine, update, reason string) (*store.Quarantine, error) {
	if err := s.requireTemporal(); err != nil {
		return nil, err
	}
	sig := contract.QuarantineSignal{UserID: a.UserID, Reason: reason, CorrelationID: obs.CorrelationID(ctx)}
	decide, action := RestoreQuarantine, contract.SignalQuarantineRestore
	if update == contract.UpdateQuarantineReleaseNow {
		decide, action = ReleaseQuarantineNow, contract.SignalQuarantineReleaseNow
	}
	answer, err := decide(ctx, s.temporal, row.ID, sig)
	if err != nil {
		return nil, err
	}
	s.record(ctx, a, "number.quarantine."+strings.ReplaceAll(action, "-", "_")+"_requested", row.ID,
		map[string]any{"quarantineId": q.ID, "reason": reason})
	if answer == nil {
		return nil, nil
	}
	return s.store.Org(a.OrgID).QuarantineByID(ctx, q.ID)
}
