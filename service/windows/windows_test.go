package windows_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

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
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db := seeded.DB(t)
	e := &env{db: db, now: time.Now().UTC().Truncate(time.Second), ctx: context.Background()}
	e.windows = &windows.Service{Store: db.Store, Now: func() time.Time { return e.now }, Auditor: service.Auditor{Store: db.Store, Log: db.Log}}
	e.admin = service.Actor{OrgID: db.Demo.OrgID, UserID: seed.ID("user/admin@demo.test"), Role: store.RoleAdmin}
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

func TestStatusAtFollowsTheClock(t *testing.T) {
	start := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	w := &store.AssignmentWindow{StartsAt: start, EndsAt: start.Add(time.Hour), Status: store.WindowScheduled}
	for _, tc := range []struct {
		at   time.Time
		want string
	}{
		{start.Add(-time.Second), store.WindowScheduled},
		{start, store.WindowActive}, // the start is inside
		{start.Add(59 * time.Minute), store.WindowActive},
		{start.Add(time.Hour), store.WindowEnded}, // the end is not
	} {
		if got := windows.StatusAt(w, tc.at); got != tc.want {
			t.Errorf("at %s: %s, want %s", tc.at.Format(time.Kitchen), got, tc.want)
		}
	}
	w.Status = store.WindowCancelled
	if got := windows.StatusAt(w, start); got != store.WindowCancelled {
		t.Errorf("a cancelled window is cancelled whatever the time, got %s", got)
	}
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
	w, err := e.windows.Cancel(e.ctx, e.admin, id)
	if err != nil || w.StatusNow != store.WindowCancelled {
		t.Fatalf("cancel: %+v %v", w, err)
	}
	if w, err := e.windows.Cancel(e.ctx, e.admin, id); err != nil || w.StatusNow != store.WindowCancelled {
		t.Fatalf("cancelling twice: %+v %v", w, err)
	}
	events, _ := e.db.Store.Org(e.admin.OrgID).AuditEvents(e.ctx, store.AuditFilter{Action: "window.cancelled", EntityID: id.String()}, 5)
	if len(events) != 1 {
		t.Errorf("%d window.cancelled events, want 1", len(events))
	}
	r := refusal(t, "an ended window", func() error { _, err := e.windows.Cancel(e.ctx, e.admin, seed.ID("window/riley-dana")); return err }(), errs.KindConflict)
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
