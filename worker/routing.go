package worker

import (
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/workflows"
)

// registerRouting registers the workflows of assignment windows. Their
// activities (WindowActivate, WindowFinish, …) are methods of
// activities.Activities, registered with the rest in Register.
func registerRouting(w sdkworker.Registry) {
	w.RegisterWorkflowWithOptions(workflows.WindowWorkflow, workflow.RegisterOptions{Name: contract.WindowWorkflowName})
}
