package worker

import (
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/workflows"
)

// registerNumbers registers the number inventory's workflows: the
// quarantine of a number and the release of one. Their activities
// (QuarantineBegin, NumberReleaseAtProvider, …) are methods of
// activities.Activities, registered with the rest in Register.
func registerNumbers(w sdkworker.Registry) {
	w.RegisterWorkflowWithOptions(workflows.QuarantineWorkflow, workflow.RegisterOptions{Name: contract.QuarantineWorkflowName})
	w.RegisterWorkflowWithOptions(workflows.ReleaseNumberWorkflow, workflow.RegisterOptions{Name: contract.ReleaseNumberWorkflowName})
	w.RegisterWorkflowWithOptions(workflows.NumberSearchWorkflow, workflow.RegisterOptions{Name: contract.NumberSearchWorkflowName})
}
