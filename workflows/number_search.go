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
	res, err := searchAvailableNumbers(ctx, steps.SetupSearchInput{OrgID: in.OrgID, AreaCode: in.AreaCode, Region: in.Region, TollFree: in.TollFree, Limit: in.Limit})
	if err != nil {
		msg, code := provisionPlainError(err)
		return contract.SetupSearchResult{}, temporal.NewNonRetryableApplicationError(msg, contract.ErrTypeNumberSearchRefused, nil, code)
	}
	return res, nil
}

// searchAvailableNumbers runs the search activity and shapes its answer;
// shared by the setup wizard and NumberSearchWorkflow.
func searchAvailableNumbers(ctx workflow.Context, in steps.SetupSearchInput) (contract.SetupSearchResult, error) {
	var out steps.SetupSearchOutput
	if err := workflow.ExecuteActivity(provisionProviderOptions(ctx), steps.SetupSearchNumbers, in).Get(ctx, &out); err != nil {
		return contract.SetupSearchResult{}, err
	}
	res := contract.SetupSearchResult{Numbers: make([]contract.SetupAvailableNumber, 0, len(out.Numbers)), MonthlyCost: out.MonthlyCost, Currency: out.Currency}
	for _, n := range out.Numbers {
		res.Numbers = append(res.Numbers, contract.SetupAvailableNumber(n))
	}
	return res, nil
}
