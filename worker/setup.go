package worker

import (
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/workflows"
)

// registerSetup registers the setup wizard workflow and the number
// provisioning workflow (also started by the number inventory, by name).
func registerSetup(w sdkworker.Registry) {
	w.RegisterWorkflowWithOptions(workflows.SetupWorkflow, workflow.RegisterOptions{Name: contract.SetupWorkflowName})
	w.RegisterWorkflowWithOptions(workflows.ProvisionNumbersWorkflow, workflow.RegisterOptions{Name: contract.ProvisionNumbersWorkflowName})
}
