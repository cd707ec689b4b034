package main

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/snoutos/snout/dev/twiliosim"
	"github.com/snoutos/snout/internal/platform/config"
)

// runSimulator serves the Twilio simulator on SNOUT_TWILIO_SIM_ADDR with the
// demo account.
func runSimulator(ctx context.Context, cfg config.Config, log *slog.Logger, _ []string) error {
	addr := envOr("SNOUT_TWILIO_SIM_ADDR", "127.0.0.1:8090")
	if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
		return err
	}
	sim := twiliosim.New(twiliosim.Options{
		Accounts:  []twiliosim.Account{{Sid: cfg.DemoTwilioAccountSID, AuthToken: cfg.DemoTwilioAuthToken, FriendlyName: "Demo pet sitting account", Status: "active", Balance: "20.00"}},
		StatePath: filepath.Join(cfg.DataDir, "twilio-sim.json"),
		Logger:    log,
	})
	defer sim.Close()
	hs := &http.Server{Addr: addr, Handler: sim.Handler(), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- hs.ListenAndServe() }()
	log.Info("twilio simulator listening", "addr", addr)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
