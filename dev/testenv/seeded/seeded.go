// Package seeded gives application-layer tests a fresh database holding
// the demo orgs (apart from testenv, which the store's own tests import).
package seeded

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/snoutos/snout/dev/seed"
	"github.com/snoutos/snout/dev/testenv"
	"github.com/snoutos/snout/internal/platform/config"
	"github.com/snoutos/snout/internal/store"
)

// DemoPassword is every demo login's password in Seeded databases.
const DemoPassword = "demo-password-123"

// SeededDB is a fresh database holding the demo orgs, for tests of the
// application layer.
type SeededDB struct {
	Store  *store.Store
	Config config.Config
	Demo   *seed.Result
	// Log discards everything.
	Log *slog.Logger
}

// DB returns a fresh, migrated database with the demo seed, and the
// configuration it was seeded with.
func DB(t testing.TB) SeededDB {
	t.Helper()
	bdb, dsn := testenv.DB(t)
	env := map[string]string{"DATABASE_URL": dsn, "SNOUT_DEMO_PASSWORD": DemoPassword, "SNOUT_DATA_DIR": t.TempDir(), "SNOUT_LOG_LEVEL": "error"}
	cfg, err := config.FromLookup(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	demo, err := seed.Demo(context.Background(), bdb, cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	return SeededDB{Store: store.New(bdb), Config: cfg, Demo: demo, Log: log}
}
