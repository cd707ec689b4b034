package workflows_test

import (
	"os"
	"path/filepath"
	"testing"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/snoutos/snout/internal/platform/correlation"
)

// replayable is a workflow function and the type name it is registered under.
type replayable struct {
	fn   any
	name string
}

// replayHistories replays each recorded history against today's workflow
// code: a change that makes a workflow non-deterministic fails here.
func replayHistories(t *testing.T, files []string, wfs ...replayable) {
	t.Helper()
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			r := worker.NewWorkflowReplayer()
			for _, wf := range wfs {
				r.RegisterWorkflowWithOptions(wf.fn, workflow.RegisterOptions{Name: wf.name})
			}
			if err := r.ReplayWorkflowHistoryFromJSONFile(nil, file); err != nil {
				t.Fatalf("replaying %s: %v", file, err)
			}
		})
	}
}

// recordingClient connects to the Temporal dev server scripts/test.sh starts
// when the given variable asks for histories to be recorded, and skips the
// test otherwise.
func recordingClient(t *testing.T, variable string) client.Client {
	t.Helper()
	addr := os.Getenv("SNOUT_TEST_TEMPORAL_ADDRESS")
	if os.Getenv(variable) == "" || addr == "" {
		t.Skip("set " + variable + "=1 and run through scripts/test.sh to record histories")
	}
	c, err := client.Dial(client.Options{HostPort: addr, Namespace: "default", ContextPropagators: correlation.Propagators()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}
