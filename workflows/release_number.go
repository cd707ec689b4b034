package workflows

import (
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/snoutos/snout/activities"
)

// ReleaseNumberWorkflow gives one number back to the provider and marks it
// released in the inventory (ID release-<numberID>). The API checks the
// guardrails (not the front desk, no active threads, confirmed) before
// starting it; the provider is asked first so that a refusal leaves the
// number in service rather than "released" but still billed.
func ReleaseNumberWorkflow(ctx workflow.Context, in ReleaseNumberInput) (ReleaseNumberResult, error) {
	r := &numberRelease{in: in}
	if err := r.setup(ctx); err != nil {
		return ReleaseNumberResult{}, err
	}
	return r.run(ctx)
}

type numberRelease struct {
	in  ReleaseNumberInput
	log log.Logger
}

func (r *numberRelease) setup(ctx workflow.Context) error {
	if r.in.OrgID == uuid.Nil || r.in.NumberID == uuid.Nil {
		return temporal.NewNonRetryableApplicationError("a release needs an org and a number", "InvalidReleaseInput", nil)
	}
	r.log = log.With(workflow.GetLogger(ctx), "orgId", r.in.OrgID.String(), "numberId", r.in.NumberID.String(), "correlationId", r.in.CorrelationID)
	return nil
}

func (r *numberRelease) run(ctx workflow.Context) (ReleaseNumberResult, error) {
	var a *activities.Activities
	pctx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: 2 * time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute, MaximumAttempts: 5},
	})
	var res activities.NumberReleaseAtProviderResult
	if err := workflow.ExecuteActivity(pctx, a.NumberReleaseAtProvider, activities.NumberReleaseAtProviderInput{
		OrgID: r.in.OrgID, NumberID: r.in.NumberID, CorrelationID: r.in.CorrelationID,
	}).Get(ctx, &res); err != nil {
		r.log.Error("release at the provider failed", "error", err)
		return ReleaseNumberResult{}, err
	}
	sctx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute},
	})
	if err := workflow.ExecuteActivity(sctx, a.NumberMarkReleased, activities.NumberMarkReleasedInput{
		OrgID: r.in.OrgID, NumberID: r.in.NumberID, ActorUserID: r.in.ActorUserID, CorrelationID: r.in.CorrelationID,
		ReleasedAtProvider: res.Released,
	}).Get(ctx, nil); err != nil {
		return ReleaseNumberResult{}, err
	}
	r.log.Info("number released", "releasedAtProvider", res.Released)
	return ReleaseNumberResult{ReleasedAtProvider: res.Released}, nil
}
