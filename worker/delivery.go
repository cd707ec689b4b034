package worker

import sdkworker "go.temporal.io/sdk/worker"

// registerDelivery registers the message delivery workflow.
func registerDelivery(w sdkworker.Registry) {}
