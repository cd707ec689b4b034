package numbers

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/snoutos/snout/dev/seed"
	"github.com/snoutos/snout/dev/testenv"
	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/platform/config"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
)

// fixture is the service over a fresh demo database, with no workflow
// service unless a test gives it one.
type fixture struct {
	ctx   context.Context
	t     *testing.T
	st    *store.Store
	svc   *Service
	cfg   config.Config
	clock time.Time
	admin service.Actor
	owner service.Actor
}

func newFixture(t *testing.T, deps ...func(*Deps)) *fixture {
	t.Helper()
	bdb, dsn := testenv.DB(t)
	cfg, err := config.FromLookup(func(k string) (string, bool) {
		v, ok := map[string]string{"DATABASE_URL": dsn, "SNOUT_DEMO_PASSWORD": "demo-password-123", "SNOUT_DATA_DIR": t.TempDir()}[k]
		return v, ok
	})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	demo, err := seed.Demo(context.Background(), bdb, cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{ctx: context.Background(), t: t, st: store.New(bdb), cfg: cfg, clock: time.Now()}
	d := Deps{Store: f.st, TaskQueue: "unused", ConfirmSecret: cfg.EncryptionKeys[0].Key, Cooldown: cfg.QuarantineCooldown,
		Now: func() time.Time { return f.clock }, Log: log}
	for _, o := range deps {
		o(&d)
	}
	f.svc = New(d)
	f.admin = service.Actor{OrgID: demo.OrgID, UserID: seed.ID("user/admin@demo.test"), Role: store.RoleAdmin}
	f.owner = service.Actor{OrgID: demo.OrgID, UserID: seed.ID("user/owner@demo.test"), Role: store.RoleOwner}
	return f
}

// addNumber puts a number of the test's own in the inventory.
func (f *fixture) addNumber(e164, class string) uuid.UUID {
	f.t.Helper()
	n := &store.PhoneNumber{ID: store.NewID(), OrgID: f.admin.OrgID, E164: e164, Class: class, Status: store.NumberActive, WebhookStatus: "verified"}
	if _, err := f.st.DB().NewInsert().Model(n).Exec(f.ctx); err != nil {
		f.t.Fatal(err)
	}
	return n.ID
}

func refusal(t *testing.T, err error, kind errs.Kind) *errs.Error {
	t.Helper()
	e, ok := errs.As(err)
	if !ok || e.Kind != kind {
		t.Fatalf("got %v, want a refusal of kind %v", err, kind)
	}
	return e
}

// A confirmation token confirms exactly what was previewed, by whoever
// saw it, for five minutes.
func TestConfirmTokensConfirmOnlyWhatWasPreviewed(t *testing.T) {
	f := newFixture(t)
	a, b := uuid.New(), uuid.New()
	token, exp := f.svc.issueToken(f.admin, ActionBulkRelease, []uuid.UUID{a, b})
	if d := exp.Sub(f.clock); d < 4*time.Minute || d > 5*time.Minute {
		t.Errorf("the token expires in %v, want five minutes", d)
	}
	if err := f.svc.checkToken(f.admin, ActionBulkRelease, []uuid.UUID{b, a}, token); err != nil {
		t.Errorf("the same selection in another order: %v", err)
	}
	otherOrg := f.admin
	otherOrg.OrgID = uuid.New()
	for name, check := range map[string]func() error{
		"another user":   func() error { return f.svc.checkToken(f.owner, ActionBulkRelease, []uuid.UUID{a, b}, token) },
		"another org":    func() error { return f.svc.checkToken(otherOrg, ActionBulkRelease, []uuid.UUID{a, b}, token) },
		"another action": func() error { return f.svc.checkToken(f.admin, ActionBulkQuarantine, []uuid.UUID{a, b}, token) },
		"a smaller set":  func() error { return f.svc.checkToken(f.admin, ActionBulkRelease, []uuid.UUID{a}, token) },
		"a forged expiry": func() error {
			return f.svc.checkToken(f.admin, ActionBulkRelease, []uuid.UUID{a, b}, "9999999999"+token[strings.Index(token, "."):])
		},
		"garbage": func() error { return f.svc.checkToken(f.admin, ActionBulkRelease, []uuid.UUID{a, b}, "x.y") },
		"another secret": func() error {
			other := New(Deps{Store: f.st, ConfirmSecret: []byte("another key"), Now: f.svc.now})
			return other.checkToken(f.admin, ActionBulkRelease, []uuid.UUID{a, b}, token)
		},
	} {
		e := refusal(t, check(), errs.KindInvalid)
		if e.Code != "invalid_confirm_token" || e.Fields["confirmToken"] == "" {
			t.Errorf("%s: %+v", name, e)
		}
	}
	f.clock = f.clock.Add(ConfirmTokenTTL + time.Second)
	e := refusal(t, f.svc.checkToken(f.admin, ActionBulkRelease, []uuid.UUID{a, b}, token), errs.KindInvalid)
	if !strings.Contains(e.Message, "expired") {
		t.Errorf("an expired token: %q", e.Message)
	}
}

func TestReleaseGuardrailsAndPreviewWithoutHTTP(t *testing.T) {
	f := newFixture(t)
	_, err := f.svc.Release(f.ctx, f.admin, seed.ID("number/front"), "")
	if e := refusal(t, err, errs.KindConflict); !strings.Contains(e.Message, "front desk") {
		t.Errorf("releasing the front desk: %q", e.Message)
	}
	_, err = f.svc.Release(f.ctx, f.admin, seed.ID("number/sam"), "")
	if e := refusal(t, err, errs.KindConflict); e.Code != "has_active_threads" || e.Fields["activeThreads"] == "" || e.Fields["clients"] == "" {
		t.Errorf("releasing Sam's busy line: %+v", e)
	}
	_, err = f.svc.Release(f.ctx, f.admin, seed.ID("number/other/front"), "")
	refusal(t, err, errs.KindNotFound)

	spare := f.addNumber("+14155550190", store.ClassPool)
	out, err := f.svc.Release(f.ctx, f.admin, spare, "")
	if err != nil || out.Confirmation == nil || out.Confirmation.Token == "" || out.Confirmation.Action != ActionRelease ||
		!strings.Contains(out.Confirmation.Message, "(415) 555-0190") {
		t.Fatalf("preview = %+v, %v", out.Confirmation, err)
	}
	// Confirmed while no workflow can run: refused as unavailable, and the
	// number stays in service.
	_, err = f.svc.Release(f.ctx, f.admin, spare, out.Confirmation.Token)
	refusal(t, err, errs.KindUnavailable)
	if n, _ := f.st.Org(f.admin.OrgID).Number(f.ctx, spare); n.Status != store.NumberActive {
		t.Errorf("the number is %s after a release that could not run", n.Status)
	}

	// In bulk, each number answers for itself.
	conf, _, err := f.svc.BulkRelease(f.ctx, f.admin, []uuid.UUID{spare, seed.ID("number/front"), uuid.New()}, "")
	if err != nil || len(conf.Items) != 3 || !conf.Items[0].OK() || errs.KindOf(conf.Items[1].Err) != errs.KindConflict ||
		errs.KindOf(conf.Items[2].Err) != errs.KindNotFound {
		t.Fatalf("bulk preview = %+v, %v", conf, err)
	}
	_, _, err = f.svc.BulkRelease(f.ctx, f.admin, []uuid.UUID{spare, spare}, "")
	refusal(t, err, errs.KindInvalid)
}

func TestAssignKeepsHistoryAndRefusesWhatTheRulesForbid(t *testing.T) {
	f := newFixture(t)
	spare := f.addNumber("+14155550191", store.ClassPool)
	row, err := f.svc.Assign(f.ctx, f.admin, spare, Assignment{To: "sitter", SitterEmail: " Riley@Demo.test "})
	if err != nil || row.Class != store.ClassSitter || row.SitterID == nil || *row.SitterID != seed.ID("sitter/riley") {
		t.Fatalf("assign to Riley by email: %+v, %v", row, err)
	}
	again, err := f.svc.Assign(f.ctx, f.admin, spare, Assignment{To: "sitter", SitterID: row.SitterID})
	if err != nil || again.ID != spare {
		t.Fatalf("the same assignment again: %v", err)
	}
	evs, _ := f.st.Org(f.admin.OrgID).NumberEvents(f.ctx, spare, 10)
	if len(evs) != 1 || evs[0].Detail != "Assigned to Riley Brooks" {
		t.Errorf("history = %+v, want one assignment", evs)
	}
	audits, _ := f.st.Org(f.admin.OrgID).AuditEvents(f.ctx, store.AuditFilter{Action: "number.assigned"}, 10)
	if len(audits) != 1 || audits[0].ActorID != f.admin.UserID.String() {
		t.Errorf("audit = %+v", audits)
	}
	for _, tc := range []struct {
		name string
		id   uuid.UUID
		to   Assignment
		kind errs.Kind
	}{
		{"a second front desk", spare, Assignment{To: "front_desk"}, errs.KindConflict},
		{"the front desk to the pool", seed.ID("number/front"), Assignment{To: "pool"}, errs.KindConflict},
		{"Sam's busy line to Riley", seed.ID("number/sam"), Assignment{To: "sitter", SitterID: row.SitterID}, errs.KindConflict},
		{"a sitter of no org", spare, Assignment{To: "sitter", SitterID: ptr(uuid.New())}, errs.KindNotFound},
		{"a sitter not named", spare, Assignment{To: "sitter"}, errs.KindInvalid},
		{"the moon", spare, Assignment{To: "moon"}, errs.KindInvalid},
	} {
		if _, err := f.svc.Assign(f.ctx, f.admin, tc.id, tc.to); errs.KindOf(err) != tc.kind {
			t.Errorf("%s: %v, want kind %v", tc.name, err, tc.kind)
		}
	}
}

func ptr[T any](v T) *T { return &v }

// Buy and import requests are checked item by item against the one
// provisioning rule and the org before any workflow starts.
func TestProvisionRefusesBadItemsBeforeAnythingStarts(t *testing.T) {
	f := newFixture(t)
	sam := seed.ID("sitter/sam")
	_, err := f.svc.Provision(f.ctx, f.admin, "buy", "", []NumberRequest{
		{E164: "12", Class: "pool"},
		{E164: "+14155550192", Class: "moon"},
		{E164: "+14155550193", Class: "pool", SitterID: &sam},
		{E164: "+14155550194", Class: "Front desk"},
		{E164: "(415) 555-0195", Class: "sitter", SitterEmail: "nobody@demo.test"},
		{E164: "+14155550196", Class: "pool"},
		{E164: "+1 415 555 0196", Class: "pool"},
		{E164: seed.PoolNumber1, Class: "pool"},
		{E164: "+14155550197", Class: "pool", FriendlyName: strings.Repeat("n", 65)},
	})
	e := refusal(t, err, errs.KindInvalid)
	want := map[string]string{
		"items[0].e164":         "This is not a valid phone number",
		"items[1].class":        "A number is a front desk, sitter or pool number.",
		"items[2].sitter":       "Only sitter numbers are assigned to a sitter.",
		"items[3].class":        "already has a front desk number",
		"items[4].sitter":       "No active sitter",
		"items[6].e164":         "listed twice (also item 6)",
		"items[7].e164":         "already in your inventory",
		"items[8].friendlyName": "at most 64 characters",
	}
	for field, msg := range want {
		if !strings.Contains(e.Fields[field], msg) {
			t.Errorf("%s = %q, want it to say %q", field, e.Fields[field], msg)
		}
	}
	if len(e.Fields) != len(want) || e.Message != "Some numbers cannot be bought." {
		t.Errorf("refusal %q with fields %v", e.Message, e.Fields)
	}
	// Good items need the workflow, which is not there: nothing starts.
	_, err = f.svc.Provision(f.ctx, f.admin, "import", "req-1", []NumberRequest{{E164: "+14155550198", Class: "sitter", SitterEmail: "sam@demo.test"}})
	refusal(t, err, errs.KindUnavailable)
	_, err = f.svc.Provision(f.ctx, f.admin, "import", "not ok!", []NumberRequest{{E164: "+14155550198", Class: "pool"}})
	if e := refusal(t, err, errs.KindInvalid); e.Fields["requestId"] == "" {
		t.Errorf("a bad request ID: %+v", e)
	}
}

func TestImportCSVReportsEachBadLine(t *testing.T) {
	f := newFixture(t)
	out, err := f.svc.ImportCSV(f.ctx, f.admin, "", strings.NewReader(strings.Join([]string{
		"e164,class,sitter_email,friendly_name",
		"not-a-number,pool,,",
		"+14155550162,sitter,nobody@demo.test,",
		seed.FrontDeskNumber + ",pool,,",
		"+14155550163,front desk,,",
		"+14155550164,pool,sam@demo.test,",
	}, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	wantFields := []string{"e164", "sitter_email", "e164", "class", "sitter_email"}
	if len(out.Rows) != len(wantFields) || out.Pending {
		t.Fatalf("rows = %+v", out.Rows)
	}
	for i, r := range out.Rows {
		if r.OK || r.Line != i+2 || r.Field != wantFields[i] || r.Error == "" {
			t.Errorf("line %d = %+v, want refused on %s", i+2, r, wantFields[i])
		}
	}
	for _, tc := range []struct{ name, file, msg string }{
		{"an empty file", "e164,class\n", "has no numbers"},
		{"a file over 1 MB", strings.Repeat("x", maxImportBytes+1), "larger than 1 MB"},
	} {
		_, err := f.svc.ImportCSV(f.ctx, f.admin, "", strings.NewReader(tc.file))
		if e := refusal(t, err, errs.KindInvalid); !strings.Contains(e.Fields["file"], tc.msg) {
			t.Errorf("%s: %+v", tc.name, e)
		}
	}
}

func TestListFiltersRefuseBadValuesAndOtherOrgs(t *testing.T) {
	f := newFixture(t)
	_, err := f.svc.List(f.ctx, f.admin, ListQuery{Health: "purple", MinVolume: "-1", IDs: "x", Cursor: "garbage"}, 10)
	if e := refusal(t, err, errs.KindInvalid); e.Fields["health"] == "" || e.Fields["minVolume"] == "" || e.Fields["ids"] == "" || e.Fields["cursor"] == "" {
		t.Errorf("bad filters: %v", e.Fields)
	}
	_, err = f.svc.List(f.ctx, f.admin, ListQuery{IDs: seed.ID("number/other/front").String()}, 10)
	refusal(t, err, errs.KindNotFound)
	_, err = f.svc.List(f.ctx, f.admin, ListQuery{SitterID: uuid.NewString()}, 10)
	refusal(t, err, errs.KindNotFound)

	// Pages walk the whole inventory once, front desk first.
	var walked []uuid.UUID
	q := ListQuery{}
	for i := 0; i < 10; i++ {
		p, err := f.svc.List(f.ctx, f.admin, q, 2)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range p.Rows {
			walked = append(walked, r.ID)
		}
		if q.Cursor = p.Next; q.Cursor == "" {
			break
		}
	}
	all, err := f.svc.Export(f.ctx, f.admin, ListQuery{})
	if err != nil || len(walked) != len(all) || walked[0] != seed.ID("number/front") {
		t.Fatalf("walked %d numbers, the export has %d (%v)", len(walked), len(all), err)
	}
	for i := range all {
		if walked[i] != all[i].ID {
			t.Fatalf("page order differs from the export at %d", i)
		}
	}
}
