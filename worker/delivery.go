package worker

import (
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/workflows"
)

// registerDelivery registers the message delivery workflow. Its activities
// (DeliverySend, DeliveryApplyStatus, …) are methods of activities.Activities,
// registered with the rest in Register.
func registerDelivery(w sdkworker.Registry) {
	w.RegisterWorkflowWithOptions(workflows.DeliveryWorkflow, workflow.RegisterOptions{Name: contract.DeliveryWorkflowName})
}
