package store_test

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/store"
)

// Isolation cases of routing.go, added to the tables of isolation_test.go.
func init() {
	idCases = append(idCases,
		idCase{fn: "Override", want: store.ErrNotFound, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
			return result(a.Override(e.ctx, o.Override))
		}},
		idCase{fn: "EndOverride", write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
			by := o.Owner
			return result(a.EndOverride(e.ctx, o.Override, "cancelled", e.now, &by))
		}},
		idCase{fn: "CreateOverride", what: "an override of the other org", want: refused, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
			return nothing(a.CreateOverride(e.ctx, &store.RoutingOverride{OrgID: o.Org, ThreadID: o.T2, TargetKind: "owner_inbox",
				StartsAt: e.now, EndsAt: e.now.Add(time.Hour), Reason: "away"}))
		}},
		idCase{fn: "CreateOverride", what: "on the other org's thread", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
			return nothing(a.CreateOverride(e.ctx, &store.RoutingOverride{OrgID: e.A.Org, ThreadID: o.T2, TargetKind: "owner_inbox",
				StartsAt: e.now, EndsAt: e.now.Add(time.Hour), Reason: "away"}))
		}},
		idCase{fn: "Overrides", what: "of the other org's thread", call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
			return result(a.Overrides(e.ctx, store.OverrideFilter{ThreadID: &o.T1, Active: true, Now: e.now}, 10))
		}},
		idCase{fn: "ThreadRoutingHistory", call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
			return result(a.ThreadRoutingHistory(e.ctx, o.T2, nil, 10))
		}},
		idCase{fn: "ThreadBetween", want: store.ErrNotFound, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
			return result(a.ThreadBetween(e.ctx, o.Avery, o.FrontDesk))
		}},
	)
	listCases = append(listCases,
		listCase{fn: "Overrides", call: func(e *env, a *store.OrgStore) (any, error) {
			return result(a.Overrides(e.ctx, store.OverrideFilter{}, 50))
		}, want: func(a *orgFix) []uuid.UUID { return []uuid.UUID{a.Override, a.T1, a.Avery} }},
	)
	customCases = append(customCases,
		customCase{fn: "RoutingRules", what: "only this org's built-in rules", body: func(t *testing.T, e *env) {
			got, err := e.asA(func(a *store.OrgStore) (any, error) {
				v, rules, err := a.RoutingRules(e.ctx)
				return []any{v, rules}, err
			})
			if err != nil {
				t.Fatal(err)
			}
			rules := got.([]any)[1].([]store.RoutingRule)
			if len(rules) != 3 {
				t.Fatalf("%d rules, want org A's 3 built-in ones", len(rules))
			}
			for _, r := range rules {
				if r.OrgID != e.A.Org {
					t.Errorf("rule %s of org %s", r.ID, r.OrgID)
				}
			}
		}},
		customCase{fn: "EditRoutingRules", what: "adds to this org's rules; another org's rule ID is not found", body: func(t *testing.T, e *env) {
			var rulesB []store.RoutingRule
			if err := e.tx.NewSelect().Model(&rulesB).Where("org_id = ?", e.B.Org).Scan(e.ctx); err != nil || len(rulesB) == 0 {
				t.Fatalf("org B's rules: %v %v", rulesB, err)
			}
			owner := e.A.Owner
			_, err := e.asA(func(a *store.OrgStore) (any, error) {
				return result(a.EditRoutingRules(e.ctx, &owner, func(_ int64, rules []store.RoutingRule) (store.RulesEdit, error) {
					b := rulesB[0]
					b.Name = "taken over"
					return store.RulesEdit{Rules: append(rules, b), Snapshot: json.RawMessage(`[]`), Change: "x"}, nil
				}))
			})
			if !errors.Is(err, store.ErrNotFound) {
				t.Errorf("editing org B's rule as org A: %v, want not found", err)
			}
			kind := "owner_inbox"
			changesOnlyA(t, e, func(a *store.OrgStore) error {
				_, err := a.EditRoutingRules(e.ctx, &owner, func(_ int64, rules []store.RoutingRule) (store.RulesEdit, error) {
					r := store.RoutingRule{ID: store.NewID(), Kind: store.RuleKindCustom, Name: "Weekends", Enabled: true, Priority: 25, TargetKind: &kind}
					return store.RulesEdit{Rules: append(rules, r), Snapshot: json.RawMessage(`[]`), Change: "Added Weekends."}, nil
				})
				return err
			})
		}},
		customCase{fn: "RoutingRuleVersions", what: "only this org's versions", body: func(t *testing.T, e *env) {
			// Org A's owner changes org A's rules: org A sees its two
			// versions, named, and none of org B's (which has its own first).
			ownerA := e.A.Owner
			if _, err := e.asA(func(a *store.OrgStore) (any, error) {
				return result(a.EditRoutingRules(e.ctx, &ownerA, func(_ int64, rules []store.RoutingRule) (store.RulesEdit, error) {
					return store.RulesEdit{Rules: rules, Snapshot: json.RawMessage(`[]`), Change: "Org A's change."}, nil
				}))
			}); err != nil {
				t.Fatal(err)
			}
			for _, tc := range []struct {
				before int64
				want   []int64
			}{{0, []int64{2, 1}}, {2, []int64{1}}, {1, nil}} {
				got, err := e.asA(func(a *store.OrgStore) (any, error) { return result(a.RoutingRuleVersions(e.ctx, tc.before, 10)) })
				if err != nil {
					t.Fatal(err)
				}
				vs := got.([]store.RuleVersionRow)
				var versions []int64
				for _, v := range vs {
					versions = append(versions, v.Version)
					if v.OrgID != e.A.Org {
						t.Errorf("version %d of org %s", v.Version, v.OrgID)
					}
				}
				if !slices.Equal(versions, tc.want) {
					t.Errorf("before %d: versions %v, want %v", tc.before, versions, tc.want)
				}
				if tc.before == 0 && len(vs) == 2 && (vs[0].ChangedByName == "" || vs[0].Change != "Org A's change.") {
					t.Errorf("the newest version %+v does not name org A's owner and the change", vs[0])
				}
				if l := leaks(vs, e.B); len(l) > 0 {
					t.Errorf("returned org B's %v", l)
				}
			}
		}},
		customCase{fn: "RoutingInputs", what: "another org's thread and client bring nothing", body: func(t *testing.T, e *env) {
			got, err := e.asA(func(a *store.OrgStore) (any, error) {
				return result(a.RoutingInputs(e.ctx, e.B.T1, e.B.Avery, &e.B.Sam, e.now))
			})
			if err != nil {
				t.Fatal(err)
			}
			ri := got.(store.RoutingInputs)
			if len(ri.Overrides) != 0 || len(ri.Windows) != 0 || len(ri.Sitters) != 0 || len(ri.ClientTags) != 0 {
				t.Errorf("org B's IDs gave %+v", ri)
			}
			if l := leaks(ri, e.B); len(l) > 0 {
				t.Errorf("returned org B's %v", l)
			}
			own, err := e.asA(func(a *store.OrgStore) (any, error) {
				return result(a.RoutingInputs(e.ctx, e.A.T1, e.A.Avery, &e.A.Sam, e.now))
			})
			if err != nil {
				t.Fatal(err)
			}
			ri = own.(store.RoutingInputs)
			if len(ri.Overrides) != 1 || len(ri.Windows) == 0 || len(ri.Rules.Rules) != 3 || len(ri.Sitters) == 0 {
				t.Errorf("org A's own IDs gave %+v", ri)
			}
		}},
	)
}
