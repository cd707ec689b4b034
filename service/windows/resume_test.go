package windows_test

import (
	"context"
	"testing"
	"time"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/dev/seed"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service/windows"
)

// The seed stores windows as their workflows would have left them, and
// windows can be stored while Temporal is away: Resume gives each window
// that has not finished its workflow, which goes on from the stored
// status. The seeded sitter keeps the seeded thread, a window to come is
// armed, one whose end passed meanwhile is ended, and a second pass starts
// nothing twice.
func TestResumeGivesEveryUnfinishedWindowItsWorkflow(t *testing.T) {
	e := newEnv(t)
	org := e.db.Store.Org(e.admin.OrgID)
	now := time.Now().UTC()
	lapsed := &store.AssignmentWindow{ID: store.NewID(), OrgID: e.admin.OrgID, SitterID: seed.ID("sitter/riley"), ClientID: seed.ID("client/gray"),
		StartsAt: now.Add(-3 * time.Hour), EndsAt: now.Add(-time.Hour), Status: store.WindowActive}
	if err := org.CreateWindow(e.ctx, lapsed); err != nil {
		t.Fatal(err)
	}
	before := now.Add(time.Minute)
	open, err := org.OpenWindows(e.ctx, before, 500)
	if err != nil {
		t.Fatal(err)
	}
	if len(open) < 5 {
		t.Fatalf("only %d open windows in the demo", len(open))
	}
	// Seeded window IDs are the same in every test database: end the runs
	// this test starts so that no other test meets them.
	t.Cleanup(func() {
		for _, w := range open {
			_ = e.tc.TerminateWorkflow(context.Background(), contract.WindowWorkflowID(w.ID), "", "test over")
		}
	})

	res, err := windows.Resume(e.ctx, e.db.Store, e.tc, e.queue, before, 500, e.db.Log)
	if err != nil {
		t.Fatal(err)
	}
	if res.Open != len(open) || res.Started != len(open) || res.Failed != 0 {
		t.Fatalf("first pass %+v, want all %d open windows started", res, len(open))
	}
	waitFor(t, "the lapsed window to end", func() bool { w, _ := org.Window(e.ctx, lapsed.ID); return w.Status == store.WindowEnded })

	phase := func(id string) string {
		t.Helper()
		v, err := e.tc.QueryWorkflow(e.ctx, contract.WindowWorkflowID(seed.ID(id)), "", contract.QueryWindowState)
		if err != nil {
			t.Fatal(err)
		}
		var st contract.WindowState
		if err := v.Get(&st); err != nil {
			t.Fatal(err)
		}
		return st.Phase
	}
	var activeOK, scheduledOK bool
	waitFor(t, "the workflows to take their first step", func() bool {
		activeOK, scheduledOK = phase("window/sam-avery") == contract.WindowPhaseActive, phase("window/sam-casey") == contract.WindowPhaseScheduled
		return activeOK && scheduledOK
	})
	for id, want := range map[string]string{"window/sam-avery": store.WindowActive, "window/sam-casey": store.WindowScheduled, "window/riley-dana": store.WindowEnded} {
		if w, _ := org.Window(e.ctx, seed.ID(id)); w.Status != want {
			t.Errorf("%s is %s after the workflows started, want %s", id, w.Status, want)
		}
	}
	threads, err := org.SitterThreads(e.ctx, seed.ID("sitter/sam"), time.Now(), nil, 50)
	if err != nil {
		t.Fatal(err)
	}
	seesAvery := false
	for _, th := range threads {
		seesAvery = seesAvery || th.ID == seed.ID("thread/avery-sam")
	}
	if !seesAvery {
		t.Error("Sam lost Avery's thread when the window's workflow took over")
	}

	again, err := windows.Resume(e.ctx, e.db.Store, e.tc, e.queue, before, 500, e.db.Log)
	if err != nil {
		t.Fatal(err)
	}
	if again.Started != 0 || again.Running != len(open)-1 || again.Failed != 0 {
		t.Fatalf("second pass %+v, want the %d still running counted and none started", again, len(open)-1)
	}
}
