package workflows

import (
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/platform/correlation"
	"github.com/snoutos/snout/workflows/steps"
)

// overrideActivity records an override's end. The record must land, so it
// retries with backoff for as long as it takes (a database outage delays
// the audit entry; routing already stops at the end time by itself).
var overrideActivity = workflow.ActivityOptions{
	StartToCloseTimeout: 15 * time.Second,
	RetryPolicy: &temporal.RetryPolicy{
		InitialInterval:    time.Second,
		BackoffCoefficient: 2,
		MaximumInterval:    5 * time.Minute,
	},
}

// OverrideWorkflow lives as long as one routing override (ID
// override-<overrideID>): it waits for the end time on a timer and then
// records the expiry, or, when the owner removes the override
// (UpdateOverrideCancel), records the removal at once and answers. Either
// way the end is an audited event, written by the OverrideEnd activity.
func OverrideWorkflow(ctx workflow.Context, in contract.OverrideInput) (contract.OverrideState, error) {
	w := &override{in: in, state: contract.OverrideState{OverrideID: in.OverrideID, EndsAt: in.EndsAt}}
	if err := w.setup(ctx); err != nil {
		return contract.OverrideState{}, err
	}
	return w.run(ctx)
}

// override is one running override workflow.
type override struct {
	in    contract.OverrideInput
	log   log.Logger
	state contract.OverrideState
	// cancel is the owner's removal, once asked.
	cancel *contract.OverrideCancelRequest
}

func (w *override) setup(ctx workflow.Context) error {
	if w.in.OrgID == uuid.Nil || w.in.OverrideID == uuid.Nil || w.in.EndsAt.IsZero() {
		return temporal.NewNonRetryableApplicationError("an override needs an org ID, an override ID and an end time", "InvalidOverrideInput", nil)
	}
	w.log = log.With(workflow.GetLogger(ctx), "orgId", w.in.OrgID.String(), "overrideId", w.in.OverrideID.String(),
		"correlationId", correlation.FromWorkflow(ctx))
	if err := workflow.SetQueryHandler(ctx, contract.QueryOverrideState, func() (contract.OverrideState, error) { return w.state, nil }); err != nil {
		return err
	}
	return workflow.SetUpdateHandlerWithOptions(ctx, contract.UpdateOverrideCancel, w.cancelled,
		workflow.UpdateHandlerOptions{Validator: w.validateCancel})
}

func (w *override) validateCancel(contract.OverrideCancelRequest) error {
	if w.state.Ended {
		return temporal.NewApplicationError("This override has already ended.", contract.OverrideErrEnded)
	}
	return nil
}

// cancelled asks the main loop to end the override and answers once the
// end is recorded. A second removal crossing the first gets the same
// answer.
func (w *override) cancelled(ctx workflow.Context, req contract.OverrideCancelRequest) (contract.OverrideState, error) {
	if w.cancel == nil {
		w.cancel = &req
	}
	if err := workflow.Await(ctx, func() bool { return w.state.Ended }); err != nil {
		return contract.OverrideState{}, err
	}
	return w.state, nil
}

func (w *override) run(ctx workflow.Context) (contract.OverrideState, error) {
	if wait := w.in.EndsAt.Sub(workflow.Now(ctx)); wait > 0 {
		if _, err := workflow.AwaitWithTimeout(ctx, wait, func() bool { return w.cancel != nil }); err != nil {
			return w.state, err
		}
	}
	end := steps.OverrideEndInput{OrgID: w.in.OrgID, OverrideID: w.in.OverrideID, Reason: contract.OverrideEndExpired, At: w.in.EndsAt}
	if w.cancel != nil {
		by := w.cancel.UserID
		end.Reason, end.At, end.UserID, end.CorrelationID = contract.OverrideEndCancelled, workflow.Now(ctx), &by, w.cancel.CorrelationID
	}
	var res steps.OverrideEndResult
	actx := workflow.WithActivityOptions(ctx, overrideActivity)
	if err := workflow.ExecuteActivity(actx, steps.OverrideEnd, end).Get(ctx, &res); err != nil {
		w.log.Error("the override's end was not recorded", "error", err)
		return w.state, err
	}
	at := res.EndedAt
	w.state.Ended, w.state.EndReason, w.state.EndedAt = true, res.EndReason, &at
	w.log.Info("override ended", "reason", res.EndReason, "recordedNow", res.Ended)
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return w.state, err
	}
	return w.state, nil
}
