package numbers

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/snoutos/snout/contract"
	domain "github.com/snoutos/snout/internal/domain/numbers"
	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/service"
)

// searchWait is how long a search waits for the provider.
const searchWait = 50 * time.Second

// SearchRequest is a search of numbers for sale as typed in the query
// string (the inventory's and the setup wizard's).
type SearchRequest struct {
	AreaCode, Region, TollFree, Limit string
}

// Query reads the request, refusing it with every bad option named.
func (r SearchRequest) Query() (contract.NumberSearchQuery, error) {
	q := contract.NumberSearchQuery{AreaCode: strings.TrimSpace(r.AreaCode), Region: strings.ToUpper(strings.TrimSpace(r.Region))}
	fields := map[string]string{}
	if r.TollFree != "" {
		b, err := strconv.ParseBool(r.TollFree)
		if err != nil {
			fields["tollFree"] = "Use true or false."
		}
		q.TollFree = b
	}
	if r.Limit != "" {
		n, err := strconv.Atoi(r.Limit)
		if err != nil || n < 1 {
			fields["limit"] = "Ask for 1 to 50 numbers."
		}
		q.Limit = n
	}
	for k, v := range domain.CheckSearch(q.AreaCode, q.Region, q.Limit) {
		fields[k] = v
	}
	if len(fields) > 0 {
		return q, errs.Invalid("Some search options are not valid.", fields)
	}
	return q, nil
}

// SearchForSale lists numbers the org can buy, with their monthly cost,
// through NumberSearchWorkflow (the provider is reached only from
// activities).
func (s *Service) SearchForSale(ctx context.Context, a service.Actor, r SearchRequest) (contract.SetupSearchResult, error) {
	q, err := r.Query()
	if err != nil {
		return contract.SetupSearchResult{}, err
	}
	if err := s.requireTemporal(); err != nil {
		return contract.SetupSearchResult{}, err
	}
	run, err := s.temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: contract.NumberSearchWorkflowID(a.OrgID, uuid.NewString()), TaskQueue: s.taskQueue,
		WorkflowExecutionTimeout: time.Minute,
		TypedSearchAttributes:    temporal.NewSearchAttributes(contract.OrgIDKey.ValueSet(a.OrgID.String())),
	}, contract.NumberSearchWorkflowName, contract.NumberSearchInput{OrgID: a.OrgID, NumberSearchQuery: q})
	if err != nil {
		return contract.SetupSearchResult{}, err
	}
	wctx, cancel := context.WithTimeout(ctx, searchWait)
	defer cancel()
	var res contract.SetupSearchResult
	if err := run.Get(wctx, &res); err != nil {
		if wctx.Err() != nil && ctx.Err() == nil {
			return contract.SetupSearchResult{}, errs.Unavailable("", "The provider is slow to answer. Try the search again in a minute.", 30*time.Second)
		}
		return contract.SetupSearchResult{}, workflowFailure(err, "provider_refused")
	}
	if res.Numbers == nil {
		res.Numbers = []contract.SetupAvailableNumber{}
	}
	return res, nil
}
