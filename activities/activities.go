// Package activities holds every side effect Snout's workflows perform:
// PostgreSQL through bun, Twilio through twilio-go. Each activity is
// idempotent (unique keys derived from the workflow ID and step make a retry
// harmless) and classifies its failures: permanent ones are non-retryable
// application errors with a type string, everything else is retried.
package activities

import (
	"log/slog"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/snoutos/snout/internal/platform/config"
	"github.com/snoutos/snout/internal/platform/notify"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/internal/twilio/orgprovider"
)

// Activities is registered once on the worker; workflows call its methods
// through a nil *Activities (method values name the activity).
type Activities struct {
	Config    config.Config
	Store     *store.Store
	Providers *orgprovider.Directory
	Temporal  client.Client
	Notifier  *notify.Notifier
	Log       *slog.Logger
	Now       func() time.Time
}

func (a *Activities) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}
