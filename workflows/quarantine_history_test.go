package workflows_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/google/uuid"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/platform/correlation"
	"github.com/snoutos/snout/workflows/steps"
)

// A busy number's quarantine on a real Temporal server: thousands of
// threads, every client texted, and a history of a few hundred events
// (Temporal refuses to let one grow past 51,200).
func TestQuarantineOfABusyNumberKeepsItsHistorySmall(t *testing.T) {
	addr := os.Getenv("SNOUT_TEST_TEMPORAL_ADDRESS")
	if addr == "" {
		t.Skip("needs the Temporal dev server scripts/test.sh starts")
	}
	c, err := client.Dial(client.Options{HostPort: addr, Namespace: "default", ContextPropagators: correlation.Propagators()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	const threads = 3000
	tq := "busy-quarantine-" + uuid.NewString()
	f := newQuarantineFake()
	f.moves = manyMoves(threads, f.replacement)
	w := worker.New(c, tq, worker.Options{})
	f.register(w)
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	in := contract.QuarantineInput{
		OrgID: uuid.New(), QuarantineID: uuid.New(), NumberID: uuid.New(), PhoneNumber: "+14155550103", NotifyClients: true,
		EndAction: contract.QuarantineEndReturnToPool, Cooldown: time.Second, ActorUserID: uuid.New(),
	}
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: contract.QuarantineWorkflowID(in.NumberID), TaskQueue: tq},
		contract.QuarantineWorkflowName, in)
	if err != nil {
		t.Fatal(err)
	}
	var res contract.QuarantineResult
	if err := run.Get(ctx, &res); err != nil {
		t.Fatal(err)
	}
	if res.Impact.ClientsNotified != threads {
		t.Fatalf("%d clients texted, want %d", res.Impact.ClientsNotified, threads)
	}
	events := 0
	it := c.GetWorkflowHistory(ctx, run.GetID(), run.GetRunID(), false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		if _, err := it.Next(); err != nil {
			t.Fatal(err)
		}
		events++
	}
	batches := threads / steps.QuarantineNoticeBatch
	if limit := 8*batches + 40; events > limit {
		t.Errorf("the history has %d events for %d threads, over %d: it grows with every thread", events, threads, limit)
	}
	t.Logf("%d threads: %d events", threads, events)
}
