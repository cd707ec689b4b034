package worker

import (
	"context"

	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/snoutos/snout/internal/config"
)

// registerMessaging registers the inbound and delivery workflows.
func registerMessaging(w sdkworker.Registry) {}

// ensureMessagingSchedules creates the webhook receipt sweep schedule.
func ensureMessagingSchedules(ctx context.Context, c client.Client, cfg config.Config) error {
	return nil
}
