package worker

import (
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/workflows"
)

// registerRouting registers the routing override's workflow; its activity
// (OverrideEnd) is a method of activities.Activities.
func registerRouting(w sdkworker.Registry) {
	w.RegisterWorkflowWithOptions(workflows.OverrideWorkflow, workflow.RegisterOptions{Name: contract.OverrideWorkflowName})
}
