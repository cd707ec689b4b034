package worker

import sdkworker "go.temporal.io/sdk/worker"

// registerSetup registers the setup wizard workflow.
func registerSetup(w sdkworker.Registry) {}
