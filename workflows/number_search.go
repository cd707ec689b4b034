package workflows

import (
	"github.com/google/uuid"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/snoutos/snout/activities"
)

// NumberSearchWorkflowName is the registered type name of
// NumberSearchWorkflow.
const NumberSearchWorkflowName = "NumberSearchWorkflow"

// NumberSearchWorkflowID names one search of numbers for sale.
func NumberSearchWorkflowID(orgID uuid.UUID, requestID string) string {
	return "number-search-" + orgID.String() + "-" + requestID
}

// NumberSearchInput asks which numbers are for sale, for the inventory's
// "buy" action (the setup wizard searches through its own update).
type NumberSearchInput struct {
	OrgID    uuid.UUID `json:"orgId"`
	AreaCode string    `json:"areaCode,omitempty"`
	Region   string    `json:"region,omitempty"`
	TollFree bool      `json:"tollFree,omitempty"`
	Limit    int       `json:"limit,omitempty"`
}

// ErrTypeNumberSearchRefused marks a search the provider refused; the
// message is plain language.
const ErrTypeNumberSearchRefused = "NumberSearchRefused"

// NumberSearchWorkflow lists numbers for sale with their monthly cost. It is
// a workflow, not a handler's direct call, so the provider is reached only
// from activities, with their timeouts and retries.
func NumberSearchWorkflow(ctx workflow.Context, in NumberSearchInput) (SetupSearchResult, error) {
	if in.OrgID == uuid.Nil {
		return SetupSearchResult{}, temporal.NewNonRetryableApplicationError("a number search needs an org ID", "InvalidNumberSearch", nil)
	}
	res, err := searchAvailableNumbers(ctx, activities.SetupSearchInput{OrgID: in.OrgID, AreaCode: in.AreaCode, Region: in.Region, TollFree: in.TollFree, Limit: in.Limit})
	if err != nil {
		msg, code := provisionPlainError(err)
		return SetupSearchResult{}, temporal.NewNonRetryableApplicationError(msg, ErrTypeNumberSearchRefused, nil, code)
	}
	return res, nil
}

// searchAvailableNumbers runs the search activity and shapes its answer;
// shared by the setup wizard and NumberSearchWorkflow.
func searchAvailableNumbers(ctx workflow.Context, in activities.SetupSearchInput) (SetupSearchResult, error) {
	var a *activities.Activities
	var out activities.SetupSearchOutput
	if err := workflow.ExecuteActivity(provisionProviderOptions(ctx), a.SetupSearchNumbers, in).Get(ctx, &out); err != nil {
		return SetupSearchResult{}, err
	}
	res := SetupSearchResult{Numbers: make([]SetupAvailableNumber, 0, len(out.Numbers)), MonthlyCost: out.MonthlyCost, Currency: out.Currency}
	for _, n := range out.Numbers {
		res.Numbers = append(res.Numbers, SetupAvailableNumber(n))
	}
	return res, nil
}
