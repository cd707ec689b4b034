package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/snoutos/snout/app"
	"github.com/snoutos/snout/dev/devserver"
	"github.com/snoutos/snout/dev/seed"
	"github.com/snoutos/snout/dev/twiliosim"
	"github.com/snoutos/snout/internal/platform/config"
	"github.com/snoutos/snout/internal/platform/db"
	"github.com/snoutos/snout/internal/store"
)

// runDev starts the whole platform on this machine and stops all of it on
// Ctrl-C.
func runDev(ctx context.Context, cfg config.Config, log *slog.Logger, _ []string) error {
	if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
		return err
	}
	// 1. PostgreSQL: database, schema, demo data.
	if err := db.EnsureDatabase(ctx, cfg.DatabaseURL); err != nil {
		return err
	}
	bdb, err := db.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	if _, err := db.Migrate(ctx, bdb); err != nil {
		bdb.Close()
		return fmt.Errorf("migrations: %w", err)
	}
	demo, err := seed.Demo(ctx, bdb, cfg, log)
	bdb.Close()
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}

	// 2. Temporal dev server with its Web UI, data kept under the data dir.
	host, portStr, err := net.SplitHostPort(cfg.TemporalAddress)
	if err != nil {
		return &config.Error{Variable: "TEMPORAL_ADDRESS", Reason: "must be host:port"}
	}
	port, _ := strconv.Atoi(portStr)
	uiPort := port + 1000
	if u := os.Getenv("SNOUT_TEMPORAL_UI_PORT"); u != "" {
		if uiPort, err = strconv.Atoi(u); err != nil {
			return &config.Error{Variable: "SNOUT_TEMPORAL_UI_PORT", Reason: "must be a port number"}
		}
	}
	bin := os.Getenv("SNOUT_TEMPORAL_CLI")
	if bin == "" {
		bin = filepath.Join("bin", "temporal")
	}
	log.Info("starting the Temporal dev server", "binary", bin)
	ts, err := devserver.Start(ctx, devserver.Options{Binary: bin, DataDir: filepath.Join(cfg.DataDir, "temporal"), IP: host, Port: port,
		UIPort: uiPort, Namespace: cfg.TemporalNamespace, LogFile: filepath.Join(cfg.DataDir, "temporal.log")}, log)
	if err != nil {
		return err
	}
	defer ts.Stop()
	cfg.TemporalUIURL = fmt.Sprintf("http://%s:%d", host, uiPort)

	// 3. The Twilio simulator, unless a real provider URL is configured.
	var wg sync.WaitGroup
	errc := make(chan error, 4)
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var sim *twiliosim.Server
	if os.Getenv("SNOUT_TWILIO_BASE_URL") == "" {
		simAddr := envOr("SNOUT_TWILIO_SIM_ADDR", "127.0.0.1:8090")
		sim = twiliosim.New(twiliosim.Options{
			Accounts:  []twiliosim.Account{{Sid: cfg.DemoTwilioAccountSID, AuthToken: cfg.DemoTwilioAuthToken, FriendlyName: "Demo pet sitting account", Status: "active", Balance: "20.00"}},
			StatePath: filepath.Join(cfg.DataDir, "twilio-sim.json"),
			Logger:    log.With("component", "twilio-sim"),
		})
		defer sim.Close()
		hs := &http.Server{Addr: simAddr, Handler: sim.Handler(), ReadHeaderTimeout: 10 * time.Second}
		ln, err := net.Listen("tcp", simAddr)
		if err != nil {
			return &config.Error{Variable: "SNOUT_TWILIO_SIM_ADDR", Reason: err.Error()}
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				errc <- err
			}
		}()
		go func() { <-runCtx.Done(); _ = hs.Close() }()
		cfg.TwilioBaseURL = "http://" + simAddr
	}

	// 4. Worker and API in this process.
	a, err := app.New(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	for _, run := range []func(context.Context) error{a.RunWorker, a.RunAPI} {
		wg.Add(1)
		go func(run func(context.Context) error) {
			defer wg.Done()
			if err := run(runCtx); err != nil {
				errc <- err
			}
		}(run)
	}
	// 5. Give the simulator the demo org's numbers, webhooks pointing here.
	if sim != nil {
		if err := seed.InstallDemoNumbers(ctx, a.Store, a.Providers, cfg, demo); err != nil {
			log.Warn("could not install the demo numbers in the simulator", "err", err)
		}
	}
	var spare *twiliosim.Account
	if sim != nil {
		if acct, err := spareAccount(ctx, sim, a.Store); err != nil {
			log.Warn("could not prepare a spare simulated Twilio account", "err", err)
		} else {
			spare = &acct
		}
	}
	printBanner(cfg, demo, sim != nil, spare)

	var runErr error
	select {
	case <-ctx.Done():
		fmt.Println("\nstopping…")
	case runErr = <-errc:
	}
	cancel()
	wg.Wait()
	return runErr
}

// spareFriendlyName names the simulated account kept free for a business
// that signs up in development.
const spareFriendlyName = "Spare account for a new business"

// spareAccount returns a simulated Twilio account no org has connected:
// the spare from an earlier run if it is still free, else a new one.
func spareAccount(ctx context.Context, sim *twiliosim.Server, st *store.Store) (twiliosim.Account, error) {
	for _, acct := range sim.Accounts() {
		if acct.FriendlyName != spareFriendlyName {
			continue
		}
		if _, err := st.ProviderAccountBySID(ctx, acct.Sid); errors.Is(err, store.ErrNotFound) {
			return acct, nil
		}
	}
	return sim.CreateAccount(twiliosim.Account{FriendlyName: spareFriendlyName})
}

func printBanner(cfg config.Config, demo *seed.Result, simulated bool, spare *twiliosim.Account) {
	fmt.Printf(`
Snout is running.

  Dashboard:         %s/   (open it in a browser and sign in with a login below)
  API:               %s/api/v1   (health: %s/healthz)
  Temporal Web UI:   %s
`, cfg.PublicURL, cfg.PublicURL, cfg.PublicURL, cfg.TemporalUIURL)
	if simulated {
		fmt.Printf("  Twilio simulator:  %s   (control API under /_sim/)\n", cfg.TwilioBaseURL)
	}
	if spare != nil {
		fmt.Printf("  Spare Twilio account for a business you sign up (enter it in the setup wizard):\n"+
			"    Account SID: %s\n    Auth token:  %s\n  More accounts: curl -s -X POST %s/_sim/accounts -d '{}'\n",
			spare.Sid, spare.AuthToken, cfg.TwilioBaseURL)
	}
	fmt.Println()
	demo.Print(os.Stdout)
	fmt.Printf(`
Try:
  curl -s -c /tmp/snout.cookies -H 'Content-Type: application/json' \
       -d '{"email":"%s","password":"<password above>"}' %s/api/v1/auth/login

Press Ctrl-C to stop everything.
`, demo.OwnerEmail, cfg.PublicURL)
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
