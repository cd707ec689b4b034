package api_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/snoutos/snout/activities"
	"github.com/snoutos/snout/api"
	"github.com/snoutos/snout/dev/seed"
	"github.com/snoutos/snout/dev/testenv"
	"github.com/snoutos/snout/dev/twiliosim"
	"github.com/snoutos/snout/internal/platform/config"
	"github.com/snoutos/snout/internal/twilio/orgprovider"
	"github.com/snoutos/snout/worker"
)

// liveStack is the demo org on the whole platform: the API behind a public
// URL, a real Temporal server and worker on the test's own task queue, and
// the Twilio simulator owning the demo numbers with their webhooks pointing
// at the API.
type liveStack struct {
	*harness
	sim       *twiliosim.Server
	simURL    string
	public    string
	tc        client.Client
	providers *orgprovider.Directory
	ctx       context.Context
}

// newLiveStack builds a liveStack. registry, when set, wraps the worker for
// registration (e.g. to record what is registered).
func newLiveStack(t *testing.T, registry func(sdkworker.Worker) sdkworker.Registry) *liveStack {
	t.Helper()
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	base := testConfig(t, nil)

	sim := twiliosim.New(twiliosim.Options{Logger: quiet, Accounts: []twiliosim.Account{{
		Sid: base.DemoTwilioAccountSID, AuthToken: base.DemoTwilioAuthToken, FriendlyName: "Demo account",
	}}})
	simSrv := httptest.NewServer(sim.Handler())
	t.Cleanup(func() { simSrv.Close(); sim.Close() })

	// Webhooks and status callbacks need the API's public URL before the
	// API exists: a front door that forwards to it once built.
	var apiHandler atomic.Pointer[http.Handler]
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h := apiHandler.Load(); h != nil {
			(*h).ServeHTTP(w, r)
			return
		}
		http.Error(w, "starting", http.StatusServiceUnavailable)
	}))
	t.Cleanup(front.Close)

	tc := testenv.Temporal(t)
	queue := testenv.TaskQueue(t)
	var cfg config.Config
	var providers *orgprovider.Directory
	h := newHarness(t, func(d *api.Deps) {
		d.Config.TemporalTaskQueue = queue
		d.Config.PublicURL = front.URL
		d.Config.TwilioBaseURL = simSrv.URL
		d.Config.DeliveryStatusWait = time.Second
		d.Temporal = tc
		d.Providers = orgprovider.New(d.Store, d.Secrets, simSrv.URL)
		cfg, providers = d.Config, d.Providers
	})
	handler := h.api.Handler()
	apiHandler.Store(&handler)

	// The simulator owns the demo numbers, with their webhooks here.
	if err := seed.InstallDemoNumbers(ctx, h.store, providers, cfg, h.demo); err != nil {
		t.Fatal(err)
	}
	acts := &activities.Activities{Config: cfg, Store: h.store, Providers: providers, Temporal: tc, Log: quiet}
	w := sdkworker.New(tc, queue, sdkworker.Options{})
	var reg sdkworker.Registry = w
	if registry != nil {
		reg = registry(w)
	}
	worker.Register(reg, acts)
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	return &liveStack{harness: h, sim: sim, simURL: simSrv.URL, public: front.URL, tc: tc, providers: providers, ctx: ctx}
}
