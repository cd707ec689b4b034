// Command snout is Snout Messaging in one binary.
//
//	snout dev          run everything locally (Temporal dev server, simulator, worker, API)
//	snout api          serve the HTTP API
//	snout worker       run the Temporal worker
//	snout migrate      apply database migrations (snout migrate down: roll back the last group)
//	snout seed         fill the demo org
//	snout twilio-sim   run the Twilio simulator
//	snout keygen       print a new SNOUT_ENCRYPTION_KEY entry
package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/snoutos/snout/app"
	"github.com/snoutos/snout/dev/bench"
	"github.com/snoutos/snout/dev/seed"
	"github.com/snoutos/snout/internal/platform/config"
	"github.com/snoutos/snout/internal/platform/db"
	"github.com/snoutos/snout/internal/platform/obs"
	"github.com/snoutos/snout/internal/store"
)

const usage = `usage: snout <command>

commands:
  dev          run the whole platform locally (PostgreSQL must be reachable)
  api          serve the HTTP API
  worker       run the Temporal worker
  migrate      apply database migrations ("migrate down" rolls back the last group)
  seed         create or refresh the demo org
  twilio-sim   run the Twilio simulator
  keygen       print a new SNOUT_ENCRYPTION_KEY value
  bench        measure inbox latency and the inbound pipeline (make bench)
  org create   create a business and its owner (hosted installs; no email step)
  db-check     exit 0 if PostgreSQL is reachable, 3 (with advice) if not
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1], os.Args[2:]); err != nil {
		fmt.Fprintln(os.Stderr, "snout:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, cmd string, args []string) error {
	if cmd == "keygen" {
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return err
		}
		fmt.Printf("k%s:%s\n", time.Now().UTC().Format("20060102"), base64.StdEncoding.EncodeToString(key))
		return nil
	}
	if cmd == "help" || cmd == "-h" || cmd == "--help" {
		fmt.Print(usage)
		return nil
	}
	cfg, err := config.FromEnv()
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	log := obs.NewLogger(os.Stderr, cfg.LogLevel, cfg.LogFormat)
	slog.SetDefault(log)
	switch cmd {
	case "db-check":
		bdb, err := db.Open(ctx, cfg.DatabaseURL)
		if err != nil {
			if errors.Is(err, db.ErrUnreachable) {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(3)
			}
			// Reachable, but the database itself may not exist yet: dev creates it.
			return nil
		}
		bdb.Close()
		return nil
	case "migrate":
		return migrate(ctx, cfg, log, args)
	case "seed":
		bdb, err := db.Open(ctx, cfg.DatabaseURL)
		if err != nil {
			return err
		}
		defer bdb.Close()
		res, err := seed.Demo(ctx, bdb, cfg, log)
		if err != nil {
			return err
		}
		res.Print(os.Stdout)
		return nil
	case "api":
		a, err := app.New(ctx, cfg, log)
		if err != nil {
			return err
		}
		defer a.Close()
		return a.RunAPI(ctx)
	case "worker":
		a, err := app.New(ctx, cfg, log)
		if err != nil {
			return err
		}
		defer a.Close()
		stopMetrics := a.ServeWorkerMetrics()
		defer stopMetrics()
		return a.RunWorker(ctx)
	case "twilio-sim":
		return runSimulator(ctx, cfg, log, args)
	case "bench":
		o := bench.DefaultOptions()
		if v := os.Getenv("SNOUT_TEMPORAL_CLI"); v != "" {
			o.TemporalCLI = v
		}
		return bench.Run(ctx, cfg, o)
	case "dev":
		return runDev(ctx, cfg, log, args)
	case "org":
		if len(args) == 0 || args[0] != "create" {
			return errors.New("usage: snout org create -name … -timezone … -owner-name … -owner-email …")
		}
		bdb, err := db.Open(ctx, cfg.DatabaseURL)
		if err != nil {
			return err
		}
		defer bdb.Close()
		return orgCreate(ctx, store.New(bdb), log, cfg.PublicURL, args[1:], os.Stdout)
	default:
		fmt.Fprint(os.Stderr, usage)
		return errors.New("unknown command " + cmd)
	}
}

func migrate(ctx context.Context, cfg config.Config, log *slog.Logger, args []string) error {
	if err := db.EnsureDatabase(ctx, cfg.DatabaseURL); err != nil {
		return err
	}
	bdb, err := db.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer bdb.Close()
	if len(args) > 0 && args[0] == "down" {
		names, err := db.Rollback(ctx, bdb)
		if err != nil {
			return err
		}
		log.Info("rolled back", "migrations", names)
		return nil
	}
	names, err := db.Migrate(ctx, bdb)
	if err != nil {
		return err
	}
	if len(names) == 0 {
		log.Info("database schema is up to date")
	} else {
		log.Info("applied migrations", "migrations", names)
	}
	return nil
}
