package numbers

import (
	"context"
	"errors"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/platform/obs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
)

// The three requests that reach a number's QuarantineWorkflow: start it,
// restore the number, release it now. Each is one method here and nothing
// else talks to the workflow about them, so the way they reach it (today a
// start or a signal, then waiting on its state) changes in this file only.

// endPoll is how often a request checks whether the workflow has done
// what it asked; endWait how long restore and release-now wait.
const (
	endPoll = 200 * time.Millisecond
	endWait = 15 * time.Second
)

// beginQuarantine starts the number's QuarantineWorkflow, searchable in the
// Temporal Web UI by OrgId, PhoneNumber and NumberId (a quarantine already
// running for the number is a conflict), and waits up to wait until the
// cooldown runs. The state is nil when it did not get there in time (or
// wait is 0).
func (s *Service) beginQuarantine(ctx context.Context, a service.Actor, in contract.QuarantineInput, wait time.Duration) (*contract.QuarantineState, error) {
	if err := s.requireTemporal(); err != nil {
		return nil, err
	}
	run, err := s.temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: contract.QuarantineWorkflowID(in.NumberID), TaskQueue: s.taskQueue,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
		// Without it the SDK hands back the running quarantine as if this
		// one had started.
		WorkflowExecutionErrorWhenAlreadyStarted: true,
		TypedSearchAttributes:                    numberSearchAttributes(in.OrgID, in.PhoneNumber, in.NumberID),
	}, contract.QuarantineWorkflowName, in)
	if err != nil {
		var started *serviceerror.WorkflowExecutionAlreadyStarted
		if errors.As(err, &started) {
			return nil, errs.Conflict("", "A quarantine for this number is already running.")
		}
		return nil, err
	}
	s.record(ctx, a, "number.quarantine.requested", in.NumberID, map[string]any{
		"quarantineId": in.QuarantineID, "e164": in.PhoneNumber, "replacementNumberId": *in.ReplacementNumberID, "endAction": in.EndAction,
		"cooldownDays": int(in.Cooldown / (24 * time.Hour)), "notifyClients": in.NotifyClients, "reason": in.Reason,
	})
	if wait == 0 {
		return nil, nil
	}
	deadline := time.Now().Add(wait)
	for {
		v, err := s.temporal.QueryWorkflow(ctx, run.GetID(), run.GetRunID(), contract.QueryQuarantineState)
		if err == nil {
			var st contract.QuarantineState
			if v.Get(&st) == nil {
				switch st.Phase {
				case contract.QuarantinePhaseCoolingDown, contract.QuarantinePhaseFinishing, contract.QuarantinePhaseDone:
					return &st, nil
				}
			}
		}
		desc, derr := s.temporal.DescribeWorkflowExecution(ctx, run.GetID(), run.GetRunID())
		if derr == nil && desc.WorkflowExecutionInfo.GetStatus() != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
			if gerr := run.Get(ctx, nil); gerr != nil {
				return nil, workflowFailure(gerr, "quarantine_failed")
			}
			return nil, nil
		}
		if time.Now().After(deadline) {
			return nil, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(endPoll):
		}
	}
}

// restoreQuarantine asks the workflow to end the cooldown and put the
// number back in service, and waits for it; nil means still finishing.
func (s *Service) restoreQuarantine(ctx context.Context, a service.Actor, row *store.InventoryRow, q *store.Quarantine, reason string) (*store.Quarantine, error) {
	return s.endQuarantine(ctx, a, row, q, contract.SignalQuarantineRestore, reason)
}

// releaseQuarantineNow asks the workflow to release the number to the
// provider at once, and waits for it; nil means still finishing.
func (s *Service) releaseQuarantineNow(ctx context.Context, a service.Actor, row *store.InventoryRow, q *store.Quarantine, reason string) (*store.Quarantine, error) {
	return s.endQuarantine(ctx, a, row, q, contract.SignalQuarantineReleaseNow, reason)
}

// endQuarantine signals the workflow and waits (up to endWait) until the
// quarantine's row says it finished.
func (s *Service) endQuarantine(ctx context.Context, a service.Actor, row *store.InventoryRow, q *store.Quarantine, signal, reason string) (*store.Quarantine, error) {
	if err := s.requireTemporal(); err != nil {
		return nil, err
	}
	err := s.temporal.SignalWorkflow(ctx, contract.QuarantineWorkflowID(row.ID), "", signal, contract.QuarantineSignal{
		UserID: a.UserID, Reason: reason, CorrelationID: obs.CorrelationID(ctx),
	})
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return nil, errs.Conflict("", "The quarantine is already finishing. Reload in a moment.")
	}
	if err != nil {
		return nil, err
	}
	s.record(ctx, a, "number.quarantine."+strings.ReplaceAll(signal, "-", "_")+"_requested", row.ID,
		map[string]any{"quarantineId": q.ID, "reason": reason})
	org := s.store.Org(a.OrgID)
	deadline := time.Now().Add(endWait)
	for time.Now().Before(deadline) {
		now, err := org.QuarantineByID(ctx, q.ID)
		if err == nil && now.Status != store.QuarantineCoolingDown {
			return now, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(endPoll):
		}
	}
	return nil, nil
}
