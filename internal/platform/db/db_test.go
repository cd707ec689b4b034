package db_test

import (
	"context"
	"strings"
	"testing"

	"github.com/snoutos/snout/dev/testenv"
	"github.com/snoutos/snout/internal/platform/db"
)

func TestMain(m *testing.M) { testenv.Main(m) }

func TestMigrationsRunDownAndUpCleanly(t *testing.T) {
	ctx := context.Background()
	bdb, _ := testenv.DB(t) // already migrated up from the template
	tables := func() int {
		var n int
		if err := bdb.NewRaw("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name NOT LIKE 'bun_%'").Scan(ctx, &n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	up := tables()
	if up < 20 {
		t.Fatalf("expected the full schema, found %d tables", up)
	}
	for i := 0; ; i++ {
		names, err := db.Rollback(ctx, bdb)
		if err != nil {
			t.Fatalf("rollback: %v", err)
		}
		if len(names) == 0 {
			break
		}
		if i > 50 {
			t.Fatal("rollback never finished")
		}
	}
	if n := tables(); n != 0 {
		t.Fatalf("after rolling everything back, %d tables remain", n)
	}
	if _, err := db.Migrate(ctx, bdb); err != nil {
		t.Fatalf("migrating up again: %v", err)
	}
	if n := tables(); n != up {
		t.Fatalf("up again gave %d tables, first time %d", n, up)
	}
}

func TestEnsureDatabaseCreatesAMissingDatabase(t *testing.T) {
	ctx := context.Background()
	dsn, _ := db.WithDatabase(testenv.DatabaseURL(), "snout_ensure_test")
	_ = db.DropDatabase(ctx, testenv.DatabaseURL(), "snout_ensure_test")
	t.Cleanup(func() { _ = db.DropDatabase(ctx, testenv.DatabaseURL(), "snout_ensure_test") })
	if err := db.EnsureDatabase(ctx, dsn); err != nil {
		t.Fatal(err)
	}
	if err := db.EnsureDatabase(ctx, dsn); err != nil {
		t.Fatalf("second call must be a no-op: %v", err)
	}
	bdb, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	bdb.Close()
}

func TestUnreachableDatabaseSaysWhatToDo(t *testing.T) {
	_, err := db.Open(context.Background(), "postgres://snout:snout@127.0.0.1:1/snout?sslmode=disable&connect_timeout=2")
	if err == nil {
		t.Fatal("expected an error")
	}
	for _, want := range []string{"make db", "DATABASE_URL", "docker compose up -d postgres"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q should mention %q", err, want)
		}
	}
}
