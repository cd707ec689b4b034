package seed_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/snoutos/snout/dev/seed"
	"github.com/snoutos/snout/dev/testenv"
	"github.com/snoutos/snout/internal/platform/config"
	"github.com/snoutos/snout/internal/store"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// Seeding again leaves a window that has not finished to its workflow
// (its times and status as the workflow left them) and renews a finished
// one, unless that would overlap a window added since.
func TestReseedLeavesUnfinishedWindowsToTheirWorkflows(t *testing.T) {
	bdb, dsn := testenv.DB(t)
	vals := map[string]string{"DATABASE_URL": dsn, "SNOUT_DEMO_PASSWORD": "demo-password-123", "SNOUT_DATA_DIR": t.TempDir()}
	cfg, err := config.FromLookup(func(k string) (string, bool) { v, ok := vals[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	ctx, log := context.Background(), slog.New(slog.NewTextHandler(io.Discard, nil))
	demo, err := seed.Demo(ctx, bdb, cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	org := store.New(bdb).Org(demo.OrgID)
	get := func(name string) *store.AssignmentWindow {
		t.Helper()
		w, err := org.Window(ctx, seed.ID(name))
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	statuses := map[string]string{"window/sam-avery": store.WindowActive, "window/riley-blake": store.WindowActive,
		"window/sam-casey": store.WindowScheduled, "window/riley-dana": store.WindowEnded, "window/jordan-owen": store.WindowActive}
	for name, want := range statuses {
		if got := get(name).Status; got != want {
			t.Errorf("seeded %s is %s, want %s", name, got, want)
		}
	}

	// As the workflows and the owner would have: Casey's window moved by
	// two hours, Avery's and Blake's windows cancelled, and Blake given
	// Sam tomorrow instead.
	casey := get("window/sam-casey")
	start, end := casey.StartsAt.Add(2*time.Hour), casey.EndsAt.Add(2*time.Hour)
	if err := org.UpdateWindow(ctx, casey.ID, casey.SitterID, start, end, casey.Note); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"window/sam-avery", "window/riley-blake"} {
		if _, err := org.MoveWindowStatus(ctx, seed.ID(name), store.WindowCancelled, store.WindowActive); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now().UTC()
	if err := org.CreateWindow(ctx, &store.AssignmentWindow{ID: store.NewID(), OrgID: demo.OrgID, SitterID: seed.ID("sitter/sam"),
		ClientID: seed.ID("client/blake"), StartsAt: now.Add(20 * time.Hour), EndsAt: now.Add(30 * time.Hour), Status: store.WindowScheduled}); err != nil {
		t.Fatal(err)
	}

	if _, err := seed.Demo(ctx, bdb, cfg, log); err != nil {
		t.Fatalf("seeding again: %v", err)
	}
	if c := get("window/sam-casey"); !c.StartsAt.Equal(start) || !c.EndsAt.Equal(end) || c.Status != store.WindowScheduled {
		t.Errorf("Casey's window is %s %v–%v after seeding again, want the workflow's %v–%v", c.Status, c.StartsAt, c.EndsAt, start, end)
	}
	if s := get("window/sam-avery").Status; s != store.WindowActive {
		t.Errorf("Avery's cancelled window is %s after seeding again, want it renewed (active)", s)
	}
	if s := get("window/riley-blake").Status; s != store.WindowCancelled {
		t.Errorf("Blake's cancelled window is %s after seeding again, want it left cancelled (Blake has Sam then)", s)
	}
	if s := get("window/jordan-owen").Status; s != store.WindowActive {
		t.Errorf("Owen's window is %s after seeding again", s)
	}
}
