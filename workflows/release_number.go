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

// ReleaseNumberWorkflow gives one number back to the provider and marks it
// released in the inventory (ID release-<numberID>). The API checks the
// guardrails (not the front desk, no active threads, confirmed) before
// starting it; the provider is asked first so that a refusal leaves the
// number in service rather than "released" but still billed.
func ReleaseNumberWorkflow(ctx workflow.Context, in contract.ReleaseNumberInput) (contract.ReleaseNumberResult, error) {
	r := &numberRelease{in: in}
	if err := r.setup(ctx); err != nil {
		return contract.ReleaseNumberResult{}, err
	}
	return r.run(ctx)
}

type numberRelease struct {
	in  contract.ReleaseNumberInput
	log log.Logger
}

func (r *numberRelease) setup(ctx workflow.Context) error {
	if r.in.OrgID == uuid.Nil || r.in.NumberID == uuid.Nil {
		return temporal.NewNonRetryableApplicationError("a release needs an org and a number", "InvalidReleaseInput", nil)
	}
	r.log = log.With(workflow.GetLogger(ctx), "orgId", r.in.OrgID.String(), "numberId", r.in.NumberID.String(), "correlationId", correlation.FromWorkflow(ctx))
	return nil
}

func (r *numberRelease) run(ctx workflow.Context) (contract.ReleaseNumberResult, error) {
	pctx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: 2 * time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute, MaximumAttempts: 5},
	})
	var res steps.NumberReleaseAtProviderResult
	if err := workflow.ExecuteActivity(pctx, steps.NumberReleaseAtProvider, steps.NumberReleaseAtProviderInput{
		OrgID: r.in.OrgID, NumberID: r.in.NumberID,
	}).Get(ctx, &res); err != nil {
		r.log.Error("release at the provider failed", "error", err)
		return contract.ReleaseNumberResult{}, err
	}
	sctx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute},
	})
	if err := workflow.ExecuteActivity(sctx, steps.NumberMarkReleased, steps.NumberMarkReleasedInput{
		OrgID: r.in.OrgID, NumberID: r.in.NumberID, ActorUserID: r.in.ActorUserID,
		ReleasedAtProvider: res.Released,
	}).Get(ctx, nil); err != nil {
		return contract.ReleaseNumberResult{}, err
	}
	r.log.Info("number released", "releasedAtProvider", res.Released)
	return contract.ReleaseNumberResult{ReleasedAtProvider: res.Released}, nil
}
