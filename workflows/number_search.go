package workflows

import (
	"github.com/google/uuid"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/workflows/steps"
)

// NumberSearchWorkflow lists numbers for sale with their monthly cost. It is
// a workflow, not a handler's direct call, so the provider is reached only
// from activities, with their timeouts and retries.
func NumberSearchWorkflow(ctx workflow.Context, in contract.NumberSearchInput) (contract.SetupSearchResult, error) {
	if in.OrgID == uuid.Nil {
		return contract.SetupSearchResult{}, temporal.NewNonRetryableApplicationError("a number search needs an org ID", "InvalidNumberSearch", nil)
	}
	res, err := searchAvailableNumbers(ctx, in)
	if err != nil {
		msg, code := provisionPlainError(err)
		return contract.SetupSearchResult{}, temporal.NewNonRetryableApplicationError(msg, contract.ErrTypeNumberSearchRefused, nil, code)
	}
	return res, nil
}

// searchAvailableNumbers runs the search activity; shared by the setup
// wizard and NumberSearchWorkflow.
func searchAvailableNumbers(ctx workflow.Context, in contract.NumberSearchInput) (contract.SetupSearchResult, error) {
	var res contract.SetupSearchResult
	if err := workflow.ExecuteActivity(provisionProviderOptions(ctx), steps.SetupSearchNumbers, in).Get(ctx, &res); err != nil {
		return contract.SetupSearchResult{}, err
	}
	if res.Numbers == nil {
		res.Numbers = []contract.SetupAvailableNumber{}
	}
	return res, nil
}
