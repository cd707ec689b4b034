// Package testenv gives integration tests the real things: a throwaway
// PostgreSQL database per test (copied from a migrated template, dropped
// afterwards) and a real Temporal dev server (one per test process, or the
// one named by SNOUT_TEST_TEMPORAL_ADDRESS, as `make test` starts).
package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/snoutos/snout/internal/platform/correlation"

	"github.com/jackc/pgx/v5"
	"github.com/uptrace/bun"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"

	"github.com/snoutos/snout/internal/platform/db"
)

// DatabaseURL is the server tests create databases on.
func DatabaseURL() string {
	for _, name := range []string{"TEST_DATABASE_URL", "DATABASE_URL"} {
		if v := os.Getenv(name); v != "" {
			return v
		}
	}
	return "postgres://snout:snout@127.0.0.1:5432/snout?sslmode=disable"
}

var (
	templateOnce sync.Once
	templateName string
	templateErr  error
)

func randomSuffix() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func adminConn(ctx context.Context) (*pgx.Conn, error) {
	dsn, err := db.WithDatabase(DatabaseURL(), "postgres")
	if err != nil {
		return nil, err
	}
	return pgx.Connect(ctx, dsn)
}

func buildTemplate() (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	name := "snout_tmpl_" + randomSuffix()
	conn, err := adminConn(ctx)
	if err != nil {
		return "", fmt.Errorf("PostgreSQL is not reachable at %s (%v): run `make db` or set TEST_DATABASE_URL", db.Redact(DatabaseURL()), err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return "", err
	}
	dsn, _ := db.WithDatabase(DatabaseURL(), name)
	bdb, err := db.Open(ctx, dsn)
	if err != nil {
		return "", err
	}
	defer bdb.Close()
	if _, err := db.Migrate(ctx, bdb); err != nil {
		return "", fmt.Errorf("migrating template: %w", err)
	}
	return name, nil
}

// DB returns a fresh, migrated database for one test, dropped at cleanup,
// and its URL.
func DB(t testing.TB) (*bun.DB, string) {
	t.Helper()
	templateOnce.Do(func() { templateName, templateErr = buildTemplate() })
	if templateErr != nil {
		t.Fatal(templateErr)
	}
	ctx := context.Background()
	name := "snout_t_" + randomSuffix()
	conn, err := adminConn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// CREATE DATABASE … TEMPLATE fails if another session is copying the
	// same template at that instant; retry briefly.
	for i := 0; ; i++ {
		_, err = conn.Exec(ctx, "CREATE DATABASE "+name+" TEMPLATE "+templateName)
		if err == nil || i > 20 || !strings.Contains(err.Error(), "being accessed") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	conn.Close(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dsn, _ := db.WithDatabase(DatabaseURL(), name)
	bdb, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		bdb.Close()
		_ = db.DropDatabase(context.Background(), DatabaseURL(), name)
	})
	return bdb, dsn
}

// DropTemplate removes the process's template database; call it from
// TestMain after m.Run.
func DropTemplate() {
	if templateName != "" {
		_ = db.DropDatabase(context.Background(), DatabaseURL(), templateName)
	}
}

var (
	temporalOnce sync.Once
	temporalAddr string
	temporalErr  error
	devServer    *testsuite.DevServer
)

// RepoRoot finds the directory holding go.mod.
func RepoRoot() string {
	dir, _ := os.Getwd()
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "."
		}
		dir = parent
	}
}

// TemporalAddress returns the address of a running Temporal dev server.
func TemporalAddress(t testing.TB) string {
	t.Helper()
	temporalOnce.Do(func() {
		if v := os.Getenv("SNOUT_TEST_TEMPORAL_ADDRESS"); v != "" {
			temporalAddr = v
			return
		}
		bin := filepath.Join(RepoRoot(), "bin", "temporal")
		if _, err := os.Stat(bin); err != nil {
			temporalErr = fmt.Errorf("the Temporal CLI is missing at %s: run `make temporal`", bin)
			return
		}
		devServer, temporalErr = testsuite.StartDevServer(context.Background(), testsuite.DevServerOptions{
			ExistingPath: bin,
			LogLevel:     "error",
			ExtraArgs:    []string{"--search-attribute", "OrgId=Keyword", "--search-attribute", "PhoneNumber=Keyword", "--search-attribute", "NumberId=Keyword"},
		})
		if temporalErr == nil {
			temporalAddr = devServer.FrontendHostPort()
		}
	})
	if temporalErr != nil {
		t.Fatal(temporalErr)
	}
	return temporalAddr
}

// Temporal returns a client to the test Temporal server.
func Temporal(t testing.TB) client.Client {
	t.Helper()
	c, err := client.Dial(client.Options{HostPort: TemporalAddress(t), Namespace: "default", ContextPropagators: correlation.Propagators()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// StopTemporal stops a dev server this process started.
func StopTemporal() {
	if devServer != nil {
		_ = devServer.Stop()
	}
}

// Main runs a package's tests and cleans up after them.
func Main(m *testing.M) {
	code := m.Run()
	DropTemplate()
	StopTemporal()
	os.Exit(code)
}

// TaskQueue returns a task queue name unique to the test.
func TaskQueue(t testing.TB) string {
	return "test-" + strings.ReplaceAll(t.Name(), "/", "-") + "-" + randomSuffix()
}

// StartedFor is the correlation ID in the start event of workflow id: the
// request that started it, as the propagator wrote it into the header.
func StartedFor(ctx context.Context, c client.Client, id string) string {
	it := c.GetWorkflowHistory(ctx, id, "", false, 0)
	if !it.HasNext() {
		return ""
	}
	ev, err := it.Next()
	if err != nil {
		return ""
	}
	p := ev.GetWorkflowExecutionStartedEventAttributes().GetHeader().GetFields()[correlation.HeaderKey]
	if p == nil {
		return ""
	}
	var id2 string
	if err := converter.GetDefaultDataConverter().FromPayload(p, &id2); err != nil {
		return ""
	}
	return id2
}
