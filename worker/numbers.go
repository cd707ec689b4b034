package worker

import sdkworker "go.temporal.io/sdk/worker"

// registerNumbers registers the quarantine workflow.
func registerNumbers(w sdkworker.Registry) {}
