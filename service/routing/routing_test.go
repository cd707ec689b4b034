package routing_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/snoutos/snout/dev/seed"
	"github.com/snoutos/snout/dev/testenv"
	"github.com/snoutos/snout/dev/testenv/seeded"
	"github.com/snoutos/snout/internal/domain/routing"
	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
	routingsvc "github.com/snoutos/snout/service/routing"
)

func TestMain(m *testing.M) { testenv.Main(m) }

type env struct {
	db           seeded.SeededDB
	svc          *routingsvc.Service
	ctx          context.Context
	now          time.Time
	owner, admin service.Actor
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db := seeded.DB(t)
	e := &env{db: db, ctx: context.Background(), now: time.Now().UTC().Truncate(time.Second)}
	e.svc = &routingsvc.Service{Store: db.Store, Now: func() time.Time { return e.now }, Auditor: service.Auditor{Store: db.Store, Log: db.Log}, Log: db.Log}
	e.owner = service.Actor{OrgID: db.Demo.OrgID, UserID: seed.ID("user/owner@demo.test"), Role: store.RoleOwner}
	e.admin = service.Actor{OrgID: db.Demo.OrgID, UserID: seed.ID("user/admin@demo.test"), Role: store.RoleAdmin}
	return e
}

// thread is a demo thread on a number of the class.
func (e *env) thread(t *testing.T, class string) uuid.UUID {
	t.Helper()
	var id uuid.UUID
	if err := e.db.Store.DB().NewRaw(`SELECT t.id FROM threads t JOIN phone_numbers n ON n.id = t.number_id
		WHERE t.org_id = ? AND n.class = ? ORDER BY t.id LIMIT 1`, e.db.Demo.OrgID, class).Scan(e.ctx, &id); err != nil {
		t.Fatalf("a %s thread: %v", class, err)
	}
	return id
}

// checksums is every table's row count and content checksum.
func (e *env) checksums(t *testing.T) map[string]string {
	t.Helper()
	var tables []string
	if err := e.db.Store.DB().NewRaw(`SELECT table_name FROM information_schema.tables
		WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`).Scan(e.ctx, &tables); err != nil {
		t.Fatal(err)
	}
	if len(tables) < 20 {
		t.Fatalf("only %d tables", len(tables))
	}
	out := map[string]string{}
	for _, table := range tables {
		var sum string
		if err := e.db.Store.DB().NewRaw(`SELECT count(*)::text || ':' || COALESCE(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM `+
			`"`+table+`" t`).Scan(e.ctx, &sum); err != nil {
			t.Fatal(err)
		}
		out[table] = sum
	}
	return out
}

// The simulator writes nothing: every table has the same rows, to the
// byte, before and after simulations of every kind (a thread, a client
// and a number, an unknown sender, a time, another org's IDs, bad input).
func TestSimulatorIsReadOnly(t *testing.T) {
	e := newEnv(t)
	sitterThread, frontThread := e.thread(t, store.ClassSitter), e.thread(t, store.ClassFrontDesk)
	kind := routing.RuleToWindowSitter
	if _, err := e.svc.CreateRule(e.ctx, e.owner, routingsvc.RuleDraft{Name: ptr("Pool to the window sitter"),
		When: &routing.Conditions{NumberClasses: []routing.NumberClass{routing.ClassPool}}, Target: &routing.RuleTarget{Kind: kind}}); err != nil {
		t.Fatal(err)
	}
	var numberID, clientID uuid.UUID
	if err := e.db.Store.DB().NewRaw("SELECT number_id, client_id FROM threads WHERE id = ?", frontThread).Scan(e.ctx, &numberID, &clientID); err != nil {
		t.Fatal(err)
	}
	before := e.checksums(t)
	other := uuid.New()
	for i, sim := range []routingsvc.Simulation{
		{ThreadID: &sitterThread}, {ThreadID: &frontThread, At: e.now.Add(36 * time.Hour)},
		{ClientID: &clientID, NumberID: &numberID}, {NumberID: &numberID}, {ThreadID: &other}, {},
	} {
		res, err := e.svc.Simulate(e.ctx, e.admin, sim)
		if i < 4 && (err != nil || len(res.Trace.Steps) < 3 || res.Trace.RulesetVersion < 2) {
			t.Errorf("simulation %d: %+v, %v", i, res, err)
		}
		if i >= 4 && err == nil {
			t.Errorf("simulation %d should be refused", i)
		}
	}
	after := e.checksums(t)
	for table, sum := range before {
		if after[table] != sum {
			t.Errorf("table %s changed during simulations: %s → %s", table, sum, after[table])
		}
	}
}

func ptr[T any](v T) *T { return &v }

// Reordering two rules changes the simulator's answer, every change bumps
// the version and is audited, and the trace names the rule and version.
func TestRulesReorderChangesTheDecision(t *testing.T) {
	e := newEnv(t)
	th := e.thread(t, store.ClassSitter)
	before, err := e.svc.Simulate(e.ctx, e.admin, routingsvc.Simulation{ThreadID: &th})
	if err != nil {
		t.Fatal(err)
	}
	rs, err := e.svc.CreateRule(e.ctx, e.owner, routingsvc.RuleDraft{Name: ptr("Sitter lines to the owner"),
		When: &routing.Conditions{NumberClasses: []routing.NumberClass{routing.ClassSitter}}, Target: &routing.RuleTarget{Kind: routing.RuleToOwner}})
	if err != nil {
		t.Fatal(err)
	}
	// Added just before the owner inbox: after the sitter window rule.
	if len(rs.Rules) != 4 || rs.Rules[2].Name != "Sitter lines to the owner" || rs.Version != 2 {
		t.Fatalf("after create: %+v", rs)
	}
	ids := []string{rs.Rules[0].ID, rs.Rules[2].ID, rs.Rules[1].ID, rs.Rules[3].ID}
	rs, err = e.svc.ReorderRules(e.ctx, e.owner, routingsvc.RuleOrder{IDs: ids, ExpectedVersion: 2})
	if err != nil {
		t.Fatal(err)
	}
	after, err := e.svc.Simulate(e.ctx, e.admin, routingsvc.Simulation{ThreadID: &th})
	if err != nil {
		t.Fatal(err)
	}
	if after.Trace.Rule != routing.RuleCustom || after.Trace.Target.Kind != "owner_inbox" || after.Trace.RuleName != "Sitter lines to the owner" ||
		after.Trace.RulesetVersion != 3 {
		t.Errorf("after reorder: %+v", after.Trace)
	}
	if before.Trace.Rule == after.Trace.Rule {
		t.Errorf("reordering did not change the decision (%s before and after)", before.Trace.Rule)
	}
	// A stale version is refused, and nothing changes.
	if _, err := e.svc.ReorderRules(e.ctx, e.owner, routingsvc.RuleOrder{IDs: ids, ExpectedVersion: 2}); !errs.Is(err, errs.KindConflict) {
		t.Errorf("stale reorder: %v", err)
	}
	// The override first and the owner inbox last stay pinned.
	bad := []string{ids[1], ids[0], ids[2], ids[3]}
	if _, err := e.svc.ReorderRules(e.ctx, e.owner, routingsvc.RuleOrder{IDs: bad}); !errs.Is(err, errs.KindInvalid) {
		t.Errorf("moving the override rule: %v", err)
	}
	var audited int
	if err := e.db.Store.DB().NewRaw("SELECT count(*) FROM audit_events WHERE org_id = ? AND action IN ('routing.rule.created', 'routing.rules.reordered')",
		e.db.Demo.OrgID).Scan(e.ctx, &audited); err != nil || audited != 2 {
		t.Errorf("%d audit events (%v), want 2", audited, err)
	}
}

func TestRuleValidationAndRoles(t *testing.T) {
	e := newEnv(t)
	_, err := e.svc.CreateRule(e.ctx, e.owner, routingsvc.RuleDraft{Name: ptr(" "),
		When:   &routing.Conditions{Days: []string{"funday"}, From: "25:00", To: "08:00", NumberIDs: []string{uuid.NewString()}},
		Target: &routing.RuleTarget{Kind: routing.RuleToSitter, SitterID: uuid.NewString()}})
	e2, ok := errs.As(err)
	if !ok || e2.Kind != errs.KindInvalid {
		t.Fatalf("invalid rule: %v", err)
	}
	for _, f := range []string{"name", "when.days", "when.from", "when.numberIds", "target.sitterId"} {
		if e2.Fields[f] == "" {
			t.Errorf("no message for %s: %v", f, e2.Fields)
		}
	}
	if _, err := e.svc.CreateRule(e.ctx, e.admin, routingsvc.RuleDraft{Name: ptr("x"), Target: &routing.RuleTarget{Kind: routing.RuleToOwner}}); !errs.Is(err, errs.KindForbidden) {
		t.Errorf("admin creating a rule: %v", err)
	}
	rs, _ := e.svc.ListRules(e.ctx, e.owner, struct{}{})
	if len(rs.Rules) != 3 || rs.Version != 1 {
		t.Errorf("refused changes changed the rules: %+v", rs)
	}
	off := false
	if _, err := e.svc.UpdateRule(e.ctx, e.owner, routingsvc.RuleEdit{ID: uuid.MustParse(rs.Rules[2].ID), Draft: routingsvc.RuleDraft{Enabled: &off}}); !errs.Is(err, errs.KindInvalid) {
		t.Errorf("turning off the owner inbox: %v", err)
	}
	if _, err := e.svc.DeleteRule(e.ctx, e.owner, routingsvc.RuleRef{ID: uuid.MustParse(rs.Rules[1].ID)}); !errs.Is(err, errs.KindConflict) {
		t.Errorf("deleting a built-in rule: %v", err)
	}
	if _, err := e.svc.DeleteRule(e.ctx, e.owner, routingsvc.RuleRef{ID: uuid.New()}); !errs.Is(err, errs.KindNotFound) {
		t.Errorf("deleting an unknown rule: %v", err)
	}
	// Turning off the sitter window rule sends sitter-line texts to the owner.
	th := e.thread(t, store.ClassSitter)
	if _, err := e.svc.UpdateRule(e.ctx, e.owner, routingsvc.RuleEdit{ID: uuid.MustParse(rs.Rules[1].ID), Draft: routingsvc.RuleDraft{Enabled: &off}}); err != nil {
		t.Fatal(err)
	}
	sim, err := e.svc.Simulate(e.ctx, e.admin, routingsvc.Simulation{ThreadID: &th})
	if err != nil || sim.Trace.Target.Kind != "owner_inbox" || !strings.Contains(sim.Trace.Steps[1].Detail, "turned off") {
		t.Errorf("with the window rule off: %+v, %v", sim.Trace, err)
	}
}

// Overrides: owner only, bounded, one at a time, shown by the simulator,
// removed at once (without Temporal the removal is recorded here).
func TestOverrides(t *testing.T) {
	e := newEnv(t)
	th := e.thread(t, store.ClassSitter)
	draft := routingsvc.OverrideDraft{ThreadID: th.String(), TargetKind: "owner_inbox", Minutes: 60, Reason: "Owner covers today"}
	if _, err := e.svc.CreateOverride(e.ctx, e.admin, draft); !errs.Is(err, errs.KindForbidden) {
		t.Errorf("admin creating an override: %v", err)
	}
	long := draft
	long.Minutes = 31 * 24 * 60
	if _, err := e.svc.CreateOverride(e.ctx, e.owner, long); err == nil {
		t.Error("a 31-day override was accepted")
	}
	ov, err := e.svc.CreateOverride(e.ctx, e.owner, draft)
	if err != nil || ov.Status != routingsvc.OverrideActive || !ov.EndsAt.Equal(e.now.Add(time.Hour)) {
		t.Fatalf("create: %+v, %v", ov, err)
	}
	if _, err := e.svc.CreateOverride(e.ctx, e.owner, draft); !errs.Is(err, errs.KindConflict) {
		t.Errorf("a second override: %v", err)
	}
	sim, err := e.svc.Simulate(e.ctx, e.admin, routingsvc.Simulation{ThreadID: &th})
	if err != nil || sim.Trace.Rule != routing.RuleOverride {
		t.Errorf("with the override: %+v, %v", sim.Trace, err)
	}
	later, err := e.svc.Simulate(e.ctx, e.admin, routingsvc.Simulation{ThreadID: &th, At: e.now.Add(2 * time.Hour)})
	if err != nil || later.Trace.Rule == routing.RuleOverride {
		t.Errorf("after its end: %+v, %v", later.Trace, err)
	}
	other := service.Actor{OrgID: uuid.New(), UserID: e.owner.UserID, Role: store.RoleOwner}
	if _, err := e.svc.RemoveOverride(e.ctx, other, ov.ID); !errs.Is(err, errs.KindNotFound) {
		t.Errorf("another org removing it: %v", err)
	}
	gone, err := e.svc.RemoveOverride(e.ctx, e.owner, ov.ID)
	if err != nil || gone.Status != routingsvc.OverrideCancelled {
		t.Fatalf("remove: %+v, %v", gone, err)
	}
	sim, _ = e.svc.Simulate(e.ctx, e.admin, routingsvc.Simulation{ThreadID: &th})
	if sim.Trace.Rule == routing.RuleOverride {
		t.Error("the removed override still routes")
	}
	list, err := e.svc.ListOverrides(e.ctx, e.admin, routingsvc.OverrideQuery{ThreadID: &th})
	if err != nil || len(list) != 1 || list[0].Status != routingsvc.OverrideCancelled {
		t.Errorf("list: %+v, %v", list, err)
	}
	if _, err := e.svc.History(e.ctx, other, routingsvc.HistoryQuery{ThreadID: th}); !errs.Is(err, errs.KindNotFound) {
		t.Errorf("another org's history: %v", err)
	}
}
