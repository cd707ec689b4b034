// Package worker registers Snout's workflows and activities on the task
// queue and keeps the periodic Temporal Schedules in place.
package worker

import (
	"context"

	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/snoutos/snout/activities"
	"github.com/snoutos/snout/internal/platform/config"
)

// Register adds every workflow and activity to w.
func Register(w sdkworker.Registry, acts *activities.Activities) {
	w.RegisterActivity(acts)
	registerMessaging(w)
	registerDelivery(w)
	registerSetup(w)
	registerNumbers(w)
	registerWindows(w)
	registerRouting(w)
}

// EnsureSchedules creates the periodic schedules (webhook receipt sweep…)
// when missing. Schedules rather than tickers: with many workers, each job
// still runs once.
func EnsureSchedules(ctx context.Context, c client.Client, cfg config.Config) error {
	for _, ensure := range []func(context.Context, client.Client, config.Config) error{
		ensureMessagingSchedules,
		ensureWindowSchedules,
	} {
		if err := ensure(ctx, c, cfg); err != nil {
			return err
		}
	}
	return nil
}
