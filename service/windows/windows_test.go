package windows_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/snoutos/snout/activities"
	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/platform/config"
	"github.com/snoutos/snout/service/confirm"
	"github.com/snoutos/snout/workflows"

	"github.com/snoutos/snout/dev/seed"
	"github.com/snoutos/snout/dev/testenv"
	"github.com/snoutos/snout/dev/testenv/seeded"
	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
	"github.com/snoutos/snout/service/windows"
)

func TestMain(m *testing.M) { testenv.Main(m) }

type env struct {
	db      seeded.SeededDB
	windows *windows.Service
	now     time.Time
	ctx     context.Context
	admin   service.Actor
	tc      client.Client
	queue   string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db := seeded.DB(t)
	e := &env{db: db, now: time.Now().UTC().Truncate(time.Second), ctx: context.Background()}
	tc := testenv.Temporal(t)
	queue := testenv.TaskQueue(t)
	acts := &activities.Activities{Config: config.Config{TemporalTaskQueue: queue}, Store: db.Store, Temporal: tc, Log: db.Log}
	w := sdkworker.New(tc, queue, sdkworker.Options{})
	w.RegisterActivity(acts)
	w.RegisterWorkflowWithOptions(workflows.WindowWorkflow, workflow.RegisterOptions{Name: contract.WindowWorkflowName})
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	e.windows = &windows.Service{Store: db.Store, Now: func() time.Time { return e.now }, Auditor: service.Auditor{Store: db.Store, Log: db.Log},
		Temporal: tc, TaskQueue: queue, Confirm: confirm.NewSigner([]byte("test"), "windows", func() time.Time { return e.now })}
	e.admin = service.Actor{OrgID: db.Demo.OrgID, UserID: seed.ID("user/admin@demo.test"), Role: store.RoleAdmin}
	e.tc, e.queue = tc, queue
	return e
}

func (e *env) draft(sitter, client string, from, to time.Duration) windows.Draft {
	return windows.Draft{SitterID: seed.ID("sitter/" + sitter).String(), ClientID: seed.ID("client/" + client).String(),
		StartsAt: e.now.Add(from).Format(time.RFC3339), EndsAt: e.now.Add(to).Format(time.RFC3339)}
}

func refusal(t *testing.T, what string, err error, k errs.Kind) *errs.Error {
	t.Helper()
	r, ok := errs.As(err)
	if !ok || r.Kind != k {
		t.Fatalf("%s: got %v, want a refusal of kind %d", what, err, k)
	}
	return r
}

func TestCreateNamesTheWindowInTheWay(t *testing.T) {
	e := newEnv(t)
	// Avery already has Sam until three days from now.
	_, err := e.windows.Create(e.ctx, e.admin, e.draft("riley", "avery", 24*time.Hour, 48*time.Hour))
	r := refusal(t, "overlap", err, errs.KindConflict)
	if r.Code != "window_overlap" || !strings.Contains(r.Message, "Avery Johnson already has Sam Patel from ") ||
		!strings.Contains(r.Message, seed.ID("window/sam-avery").String()) {
		t.Fatalf("overlap refusal = %+v", r)
	}
	// The times read in the demo org's zone (Los Angeles), not UTC.
	if !strings.Contains(r.Message, " PST ") && !strings.Contains(r.Message, " PDT ") {
		t.Errorf("overlap refusal times are not in the org's zone: %q", r.Message)
	}
	// Theo has nobody: the window is created, scheduled, and audited.
	w, err := e.windows.Create(e.ctx, e.admin, e.draft("riley", "theo", 24*time.Hour, 48*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if w.StatusNow != store.WindowScheduled || w.SitterName != "Riley Brooks" || w.ClientName != "Theo Lindqvist" {
		t.Fatalf("created %+v", w)
	}
	events, err := e.db.Store.Org(e.admin.OrgID).AuditEvents(e.ctx, store.AuditFilter{Action: "window.created", EntityID: w.ID.String()}, 5)
	if err != nil || len(events) != 1 || events[0].ActorID != e.admin.UserID.String() {
		t.Fatalf("window.created audit = %+v %v", events, err)
	}
}

func TestCreateChecksEveryFieldAtOnce(t *testing.T) {
	e := newEnv(t)
	_, err := e.windows.Create(e.ctx, e.admin, windows.Draft{SitterID: "sam", ClientID: "", StartsAt: "tomorrow", EndsAt: "2026-11-28",
		Note: strings.Repeat("x", windows.MaxNoteLength+1)})
	r := refusal(t, "a form with everything wrong", err, errs.KindInvalid)
	for _, f := range []string{"sitterId", "clientId", "startsAt", "endsAt", "note"} {
		if r.Fields[f] == "" {
			t.Errorf("no message for %s in %+v", f, r.Fields)
		}
	}
	for name, d := range map[string]windows.Draft{
		"ends before it starts": e.draft("riley", "theo", 48*time.Hour, 24*time.Hour),
		"longer than a year":    e.draft("riley", "theo", 0, 400*24*time.Hour),
	} {
		if r := refusal(t, name, func() error { _, err := e.windows.Create(e.ctx, e.admin, d); return err }(), errs.KindInvalid); r.Fields["endsAt"] == "" {
			t.Errorf("%s: no message for endsAt: %+v", name, r)
		}
	}
	other := e.draft("riley", "theo", time.Hour, 2*time.Hour)
	other.ClientID = seed.ID("client/other/zoe").String()
	if _, err := e.windows.Create(e.ctx, e.admin, other); refusal(t, "another org's client", err, errs.KindNotFound).Message != "The client was not found." {
		t.Errorf("another org's client: %v", err)
	}
	unknown := e.draft("riley", "theo", time.Hour, 2*time.Hour)
	unknown.SitterID = uuid.NewString()
	if _, err := e.windows.Create(e.ctx, e.admin, unknown); refusal(t, "unknown sitter", err, errs.KindNotFound).Message != "The sitter was not found." {
		t.Errorf("unknown sitter: %v", err)
	}
}

func TestCancel(t *testing.T) {
	e := newEnv(t)
	id := seed.ID("window/sam-avery")
	// Sam's window runs: cancelling it needs the confirmation of its impact.
	_, err := e.windows.Cancel(e.ctx, e.admin, id, "")
	if r := refusal(t, "cancel without confirmation", err, errs.KindInvalid); r.Fields["confirmToken"] == "" {
		t.Errorf("refusal without a token: %+v", r)
	}
	imp, err := e.windows.Impact(e.ctx, e.admin, id)
	if err != nil || !imp.Active || imp.Token == "" || len(imp.Threads) == 0 || !strings.Contains(imp.Message, "Sam Patel loses access to Avery Johnson's conversations") {
		t.Fatalf("impact = %+v %v", imp, err)
	}
	owner := service.Actor{OrgID: e.admin.OrgID, UserID: seed.ID("user/owner@demo.test"), Role: store.RoleOwner}
	if _, err := e.windows.Cancel(e.ctx, owner, id, imp.Token); err == nil {
		t.Error("another user's token was accepted")
	}
	w, err := e.windows.Cancel(e.ctx, e.admin, id, imp.Token)
	if err != nil || w.StatusNow != store.WindowCancelled {
		t.Fatalf("cancel: %+v %v", w, err)
	}
	if w, err := e.windows.Cancel(e.ctx, e.admin, id, ""); err != nil || w.StatusNow != store.WindowCancelled {
		t.Fatalf("cancelling twice: %+v %v", w, err)
	}
	events, _ := e.db.Store.Org(e.admin.OrgID).AuditEvents(e.ctx, store.AuditFilter{Action: "window.cancelled", EntityID: id.String()}, 5)
	if len(events) != 1 {
		t.Errorf("%d window.cancelled events, want 1", len(events))
	}
	r := refusal(t, "an ended window", func() error { _, err := e.windows.Cancel(e.ctx, e.admin, seed.ID("window/riley-dana"), ""); return err }(), errs.KindConflict)
	if !strings.Contains(r.Message, "already ended") {
		t.Errorf("ended window refusal %q", r.Message)
	}
	// The freed time takes another sitter.
	if _, err := e.windows.Create(e.ctx, e.admin, e.draft("riley", "avery", 0, 24*time.Hour)); err != nil {
		t.Fatalf("window in the freed time: %v", err)
	}
}

func TestListRefusesAnotherOrgsFilters(t *testing.T) {
	e := newEnv(t)
	zoe := seed.ID("client/other/zoe")
	if _, err := e.windows.List(e.ctx, e.admin, windows.Query{ClientID: &zoe}); refusal(t, "another org's client", err, errs.KindNotFound).Message != "The client was not found." {
		t.Fatal(err)
	}
	sam := seed.ID("sitter/sam")
	page, err := e.windows.List(e.ctx, e.admin, windows.Query{SitterID: &sam, Limit: 1})
	if err != nil || len(page.Windows) != 1 || page.Next == nil {
		t.Fatalf("Sam's first window: %+v %v", page, err)
	}
	rest, err := e.windows.List(e.ctx, e.admin, windows.Query{SitterID: &sam, After: page.Next})
	if err != nil || len(rest.Windows) == 0 || rest.Windows[0].ID == page.Windows[0].ID {
		t.Fatalf("the next page: %+v %v", rest, err)
	}
}

// A window runs itself: scheduled until its start, active (the sitter sees
// the client's thread) until its end, then ended; an edit moves its end.
func TestWindowLifecycleGivesAndTakesAccess(t *testing.T) {
	e := newEnv(t)
	org := e.db.Store.Org(e.admin.OrgID)
	riley := seed.ID("sitter/riley")
	sees := func() bool {
		rows, err := org.SitterThreads(e.ctx, riley, time.Now(), nil, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r.ClientID == seed.ID("client/harper") {
				return true
			}
		}
		return false
	}
	start := time.Now().Add(2 * time.Second)
	d := windows.Draft{SitterID: riley.String(), ClientID: seed.ID("client/harper").String(),
		StartsAt: start.Format(time.RFC3339Nano), EndsAt: start.Add(time.Hour).Format(time.RFC3339Nano), NotifyClient: true}
	w, err := e.windows.Create(e.ctx, e.admin, d)
	if err != nil {
		t.Fatal(err)
	}
	if w.StatusNow != store.WindowScheduled || sees() {
		t.Fatalf("before the start: %s, Riley sees Harper: %v", w.StatusNow, sees())
	}
	waitFor(t, "the window to start", func() bool { got, _ := org.Window(e.ctx, w.ID); return got.Status == store.WindowActive })
	if !sees() {
		t.Error("Riley does not see Harper's thread once the window started")
	}
	// The text follows the activation in its own step.
	waitFor(t, "Harper to be texted who is caring for them", func() bool {
		msgs, err := org.ThreadMessages(e.ctx, seed.ID("thread/harper-riley"), nil, 20)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			if m.SenderType == store.SenderSystem && strings.Contains(m.Body, "Riley will be caring for Harper from ") {
				return true
			}
		}
		return false
	})
	// The end moves in: the window ends then, and Riley loses the thread.
	end := time.Now().Add(2 * time.Second).Format(time.RFC3339Nano)
	if _, err := e.windows.Edit(e.ctx, e.admin, w.ID, windows.Change{EndsAt: end}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the window to end", func() bool { got, _ := org.Window(e.ctx, w.ID); return got.Status == store.WindowEnded })
	if sees() {
		t.Error("Riley still sees Harper's thread after the window ended")
	}
	if _, err := e.windows.Edit(e.ctx, e.admin, w.ID, windows.Change{EndsAt: end}); refusal(t, "edit an ended window", err, errs.KindConflict) == nil {
		t.Fatal("unreachable")
	}
}

// An edit that overlaps another window of the client is refused naming it.
func TestEditNamesTheWindowInTheWay(t *testing.T) {
	e := newEnv(t)
	w, err := e.windows.Create(e.ctx, e.admin, e.draft("riley", "avery", 30*24*time.Hour, 31*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.windows.Edit(e.ctx, e.admin, w.ID, windows.Change{StartsAt: e.now.Add(time.Hour).Format(time.RFC3339)})
	r := refusal(t, "overlapping edit", err, errs.KindConflict)
	if r.Code != "window_overlap" || !strings.Contains(r.Message, seed.ID("window/sam-avery").String()) {
		t.Fatalf("overlap refusal = %+v", r)
	}
	got, _ := e.windows.Get(e.ctx, e.admin, w.ID)
	if !got.StartsAt.Equal(w.StartsAt) {
		t.Errorf("a refused edit moved the start to %v", got.StartsAt)
	}
	if _, err := e.windows.Edit(e.ctx, e.admin, w.ID, windows.Change{EndsAt: "soon"}); refusal(t, "bad end", err, errs.KindInvalid).Fields["endsAt"] == "" {
		t.Error("no message for endsAt")
	}
	other := service.Actor{OrgID: seed.ID("org/other"), UserID: uuid.New(), Role: store.RoleOwner}
	if _, err := e.windows.Edit(e.ctx, other, w.ID, windows.Change{}); refusal(t, "another org", err, errs.KindNotFound) == nil {
		t.Fatal("unreachable")
	}
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
