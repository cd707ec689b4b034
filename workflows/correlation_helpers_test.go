package workflows_test

import (
	"context"
	"sync"
	"testing"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"

	"github.com/snoutos/snout/internal/platform/correlation"
)

// correlatedSuite is a test suite whose workflows run as if a request with
// correlation ID id had started them: the ID arrives in the Temporal
// header, through the same propagator the API's client uses. With id
// "" the propagator is registered and no request started the run (a
// schedule, or a signal that carries its own ID).
func correlatedSuite(t *testing.T, id string) *testsuite.WorkflowTestSuite {
	t.Helper()
	suite := &testsuite.WorkflowTestSuite{}
	suite.SetContextPropagators(correlation.Propagators())
	if id == "" {
		return suite
	}
	p, err := converter.GetDefaultDataConverter().ToPayload(id)
	if err != nil {
		t.Fatal(err)
	}
	suite.SetHeader(&commonpb.Header{Fields: map[string]*commonpb.Payload{correlation.HeaderKey: p}})
	return suite
}

// correlations records the correlation ID each fake activity ran with.
type correlations struct {
	mu   sync.Mutex
	seen map[string][]string
}

func (c *correlations) saw(ctx context.Context, activity string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seen == nil {
		c.seen = map[string][]string{}
	}
	c.seen[activity] = append(c.seen[activity], correlation.ID(ctx))
}

// last is the correlation ID of the latest run of activity, or "(none)".
func (c *correlations) last(activity string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	ids := c.seen[activity]
	if len(ids) == 0 {
		return "(none)"
	}
	return ids[len(ids)-1]
}

// first is the correlation ID of the first run of activity, or "(none)".
func (c *correlations) first(activity string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	ids := c.seen[activity]
	if len(ids) == 0 {
		return "(none)"
	}
	return ids[0]
}
