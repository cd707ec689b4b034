package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/snoutos/snout/dev/seed"
	"github.com/snoutos/snout/dev/twiliosim"
)

func init() {
	allow(map[string][]string{
		"GET /api/v1/routing/rules":               staff,
		"GET /api/v1/routing/rules/versions":      staff,
		"POST /api/v1/routing/rules":              ownerOnly,
		"PUT /api/v1/routing/rules/order":         ownerOnly,
		"PATCH /api/v1/routing/rules/:id":         ownerOnly,
		"DELETE /api/v1/routing/rules/:id":        ownerOnly,
		"POST /api/v1/routing/simulate":           staff,
		"GET /api/v1/routing/overrides":           staff,
		"POST /api/v1/routing/overrides":          ownerOnly,
		"GET /api/v1/routing/overrides/:id":       staff,
		"DELETE /api/v1/routing/overrides/:id":    ownerOnly,
		"GET /api/v1/routing/threads/:id/history": staff,
	})
}

type ruleset struct {
	Version int64 `json:"version"`
	Rules   []struct {
		ID          string `json:"id"`
		Name        string `json:"name"`
		Kind        string `json:"kind"`
		Enabled     bool   `json:"enabled"`
		RoutedCount int64  `json:"routedCount"`
	} `json:"rules"`
}

type simulation struct {
	Routing struct {
		Rule           string `json:"rule"`
		RuleID         string `json:"ruleId"`
		RuleName       string `json:"ruleName"`
		RulesetVersion int64  `json:"rulesetVersion"`
		Reason         string `json:"reason"`
		Target         struct {
			Kind       string `json:"kind"`
			SitterName string `json:"sitterName"`
		} `json:"target"`
		Steps []struct {
			Kind    string `json:"kind"`
			RuleID  string `json:"ruleId"`
			Outcome string `json:"outcome"`
		} `json:"steps"`
	} `json:"routing"`
}

func (h *harness) rules(t *testing.T, token string) ruleset {
	t.Helper()
	r := h.do("GET", "/api/v1/routing/rules", token, nil)
	wantStatus(t, "rules", r, http.StatusOK)
	var rs ruleset
	r.json(t, &rs)
	return rs
}

// Simulator and live routing agree: for each case the owner's rules are
// set, the simulator is asked about a text, then the same text is sent
// through the Twilio simulator and the webhook, and the stored message's
// routing names the same rule, version, target and step outcomes.
func TestSimulatorMatchesLiveRouting(t *testing.T) {
	e := newLiveStack(t, nil)
	owner := e.login("owner@demo.test")
	numbers := map[string]string{}
	for _, n := range []string{seed.FrontDeskNumber, seed.PoolNumber1} {
		var id string
		if err := e.store.DB().NewRaw("SELECT id::text FROM phone_numbers WHERE org_id = ? AND e164 = ?", e.demo.OrgID, n).Scan(e.ctx, &id); err != nil {
			t.Fatal(err)
		}
		numbers[n] = id
	}
	cases := []struct {
		name     string
		rule     map[string]any // a custom rule added first, nil: none
		from, to string
		wantRule string
		target   string
	}{
		{"built-in rules: a new sender to the front desk", nil, "+16505550901", seed.FrontDeskNumber, "owner_inbox", "owner_inbox"},
		{"a rule on new senders to the pool", map[string]any{"name": "New senders on the pool", "when": map[string]any{"knownClient": false, "numberClasses": []string{"pool"}},
			"target": map[string]any{"kind": "owner_inbox"}}, "+16505550902", seed.PoolNumber1, "custom", "owner_inbox"},
		{"a rule that does not apply falls through", map[string]any{"name": "Known clients only", "when": map[string]any{"knownClient": true},
			"target": map[string]any{"kind": "window_sitter"}}, "+16505550903", seed.FrontDeskNumber, "owner_inbox", "owner_inbox"},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.rule != nil {
				wantStatus(t, "create rule", e.do("POST", "/api/v1/routing/rules", owner, tc.rule), http.StatusCreated)
			}
			r := e.do("POST", "/api/v1/routing/simulate", owner, map[string]any{"numberId": numbers[tc.to]})
			wantStatus(t, "simulate", r, http.StatusOK)
			var sim simulation
			r.json(t, &sim)
			body := fmt.Sprintf("case %d", i)
			if _, err := e.sim.DeliverInbound(e.ctx, twiliosim.InboundRequest{From: tc.from, To: tc.to, Body: body}); err != nil {
				t.Fatal(err)
			}
			var live string
			deadline := time.Now().Add(20 * time.Second)
			for time.Now().Before(deadline) {
				_ = e.store.DB().NewRaw("SELECT routing::text FROM messages WHERE org_id = ? AND body = ? AND direction = 'inbound'", e.demo.OrgID, body).Scan(e.ctx, &live)
				if live != "" {
					break
				}
				time.Sleep(100 * time.Millisecond)
			}
			if live == "" {
				t.Fatal("the text was never routed")
			}
			if sim.Routing.Rule != tc.wantRule || sim.Routing.Target.Kind != tc.target {
				t.Errorf("simulator: rule %s target %s, want %s %s (%s)", sim.Routing.Rule, sim.Routing.Target.Kind, tc.wantRule, tc.target, sim.Routing.Reason)
			}
			var stored struct {
				Rule           string `json:"rule"`
				RuleID         string `json:"ruleId"`
				RulesetVersion int64  `json:"rulesetVersion"`
				Target         struct {
					Kind string `json:"kind"`
				} `json:"target"`
				Steps []struct {
					Rule    string `json:"rule"`
					RuleID  string `json:"ruleId"`
					Outcome string `json:"outcome"`
				} `json:"steps"`
			}
			if err := json.Unmarshal([]byte(live), &stored); err != nil {
				t.Fatal(err)
			}
			if stored.Rule != sim.Routing.Rule || stored.RuleID != sim.Routing.RuleID || stored.RulesetVersion != sim.Routing.RulesetVersion ||
				stored.Target.Kind != sim.Routing.Target.Kind || stored.RulesetVersion == 0 {
				t.Errorf("live %s, simulator %+v", live, sim.Routing)
			}
			if len(stored.Steps) != len(sim.Routing.Steps) {
				t.Fatalf("live has %d steps, the simulator %d", len(stored.Steps), len(sim.Routing.Steps))
			}
			for k, st := range stored.Steps {
				sst := sim.Routing.Steps[k]
				if st.Rule != sst.Kind || st.RuleID != sst.RuleID || st.Outcome != sst.Outcome {
					t.Errorf("step %d: live %+v, simulator %+v", k, st, sst)
				}
			}
		})
	}
	// The rule that routed counts it.
	rs := e.rules(t, owner)
	counted := false
	for _, r := range rs.Rules {
		if r.Name == "New senders on the pool" && r.RoutedCount == 1 {
			counted = true
		}
	}
	if !counted {
		t.Errorf("the pool rule's count did not move: %+v", rs.Rules)
	}
	_ = context.Background
}

// Every routing route answers 404 to another org's rule, override, thread,
// client or number IDs, and changes nothing of that org's. A routing route
// added without a case here fails the test.
func TestRoutingRoutesAnswer404ForAnotherOrgsIDs(t *testing.T) {
	h := newHarness(t)
	owner, other := h.login("owner@demo.test"), h.login(h.demo.OtherOwnerEmail)
	otherThread, otherClient, otherNumber := seed.ID("thread/other/zoe").String(), seed.ID("client/other/zoe").String(), seed.ID("number/other/front").String()

	// The other org has a rule of its own and an override in force.
	r := h.do("POST", "/api/v1/routing/rules", other, map[string]any{"name": "Whisker rule", "target": map[string]any{"kind": "owner_inbox"}})
	wantStatus(t, "other org's rule", r, http.StatusCreated)
	theirs := h.rules(t, other)
	var otherRule string
	for _, rl := range theirs.Rules {
		if rl.Name == "Whisker rule" {
			otherRule = rl.ID
		}
	}
	r = h.do("POST", "/api/v1/routing/overrides", other, map[string]any{"threadId": otherThread, "targetKind": "owner_inbox", "durationMinutes": 60, "reason": "Away"})
	wantStatus(t, "other org's override", r, http.StatusCreated)
	var ov struct {
		ID string `json:"id"`
	}
	r.json(t, &ov)

	ours := h.rules(t, owner)
	order := make([]string, 0, len(ours.Rules))
	for _, rl := range ours.Rules {
		order = append(order, rl.ID)
	}
	withTheirs := append([]string{}, order...)
	withTheirs[1] = otherRule
	front := seed.ID("number/front").String()
	type call struct {
		path string
		body any
	}
	cases := map[string][]call{
		"PUT /api/v1/routing/rules/order":  {{"/api/v1/routing/rules/order", map[string]any{"ruleIds": withTheirs}}},
		"PATCH /api/v1/routing/rules/:id":  {{"/api/v1/routing/rules/" + otherRule, map[string]any{"enabled": false}}},
		"DELETE /api/v1/routing/rules/:id": {{"/api/v1/routing/rules/" + otherRule, nil}},
		"POST /api/v1/routing/simulate": {
			{"/api/v1/routing/simulate", map[string]any{"threadId": otherThread}},
			{"/api/v1/routing/simulate", map[string]any{"clientId": otherClient, "numberId": front}},
			{"/api/v1/routing/simulate", map[string]any{"numberId": otherNumber}},
		},
		"GET /api/v1/routing/overrides": {{"/api/v1/routing/overrides?threadId=" + otherThread, nil}},
		"POST /api/v1/routing/overrides": {{"/api/v1/routing/overrides",
			map[string]any{"threadId": otherThread, "targetKind": "owner_inbox", "durationMinutes": 30, "reason": "Taking over"}}},
		"GET /api/v1/routing/overrides/:id":       {{"/api/v1/routing/overrides/" + ov.ID, nil}},
		"DELETE /api/v1/routing/overrides/:id":    {{"/api/v1/routing/overrides/" + ov.ID, nil}},
		"GET /api/v1/routing/threads/:id/history": {{"/api/v1/routing/threads/" + otherThread + "/history", nil}},
	}
	// Routes that take none of those IDs: what they answer names none of
	// the other org's.
	noIDs := map[string]call{
		"GET /api/v1/routing/rules":          {"/api/v1/routing/rules", nil},
		"GET /api/v1/routing/rules/versions": {"/api/v1/routing/rules/versions", nil},
		"POST /api/v1/routing/rules":         {"/api/v1/routing/rules", map[string]any{"name": "Ours", "target": map[string]any{"kind": "owner_inbox"}}},
	}
	n := 0
	for _, rt := range h.api.Routes() {
		if !strings.HasPrefix(rt.Path, "/api/v1/routing/") {
			continue
		}
		n++
		key := rt.Method + " " + rt.Path
		if c, ok := noIDs[key]; ok {
			r := h.do(rt.Method, c.path, owner, c.body)
			if r.Status >= 300 {
				t.Errorf("%s = %d %s", key, r.Status, r.Body)
			}
			for _, id := range []string{otherRule, ov.ID, otherThread, otherClient, otherNumber, "Whisker"} {
				if strings.Contains(string(r.Body), id) {
					t.Errorf("%s names the other org's %s", key, id)
				}
			}
			continue
		}
		calls, ok := cases[key]
		if !ok {
			t.Errorf("no case for %s: add one", key)
			continue
		}
		for _, c := range calls {
			if r := h.do(rt.Method, c.path, owner, c.body); r.Status != http.StatusNotFound {
				t.Errorf("%s %s %v = %d %s, want 404", rt.Method, c.path, c.body, r.Status, r.Body)
			}
		}
	}
	if n != len(cases)+len(noIDs) {
		t.Errorf("%d routing routes, %d cases", n, len(cases)+len(noIDs))
	}
	// The other org's rule and override are as they were.
	after := h.rules(t, other)
	if after.Version != theirs.Version {
		t.Errorf("the other org's rules moved from version %d to %d", theirs.Version, after.Version)
	}
	r = h.do("GET", "/api/v1/routing/overrides/"+ov.ID, other, nil)
	var got struct {
		Status string `json:"status"`
	}
	r.json(t, &got)
	if r.Status != http.StatusOK || got.Status != "active" {
		t.Errorf("the other org's override = %d %s, want still active", r.Status, r.Body)
	}
}

// The versions list says who changed what, when, newest first, and pages.
func TestRuleVersionsList(t *testing.T) {
	h := newHarness(t)
	owner, admin := h.login("owner@demo.test"), h.login("admin@demo.test")
	wantStatus(t, "create", h.do("POST", "/api/v1/routing/rules", owner, map[string]any{"name": "Weekends to me",
		"when": map[string]any{"days": []string{"sat", "sun"}}, "target": map[string]any{"kind": "owner_inbox"}}), http.StatusCreated)
	rs := h.rules(t, owner)
	wantStatus(t, "turn off", h.do("PATCH", "/api/v1/routing/rules/"+rs.Rules[1].ID, owner, map[string]any{"enabled": false}), http.StatusOK)
	type page struct {
		Current  int64 `json:"current"`
		Versions []struct {
			Version       int64  `json:"version"`
			Change        string `json:"change"`
			ChangedByName string `json:"changedByName"`
			Rules         []struct {
				Name    string `json:"name"`
				Enabled bool   `json:"enabled"`
			} `json:"rules"`
		} `json:"versions"`
		NextBefore int64 `json:"nextBefore"`
	}
	r := h.do("GET", "/api/v1/routing/rules/versions", admin, nil)
	wantStatus(t, "versions", r, http.StatusOK)
	var p page
	r.json(t, &p)
	if p.Current != 3 || len(p.Versions) != 3 || p.Versions[0].Version != 3 || p.Versions[2].Version != 1 || p.NextBefore != 0 {
		t.Fatalf("versions = %s", r.Body)
	}
	if !strings.Contains(p.Versions[1].Change, "Weekends to me") || p.Versions[1].ChangedByName == "" || !strings.Contains(p.Versions[0].Change, "turned off") {
		t.Errorf("changes = %s", r.Body)
	}
	if len(p.Versions[0].Rules) != 4 || p.Versions[0].Rules[1].Enabled || len(p.Versions[2].Rules) != 3 {
		t.Errorf("snapshots = %s", r.Body)
	}
	r = h.do("GET", "/api/v1/routing/rules/versions?limit=2", admin, nil)
	r.json(t, &p)
	if len(p.Versions) != 2 || p.NextBefore != 2 {
		t.Fatalf("first page = %s", r.Body)
	}
	r = h.do("GET", "/api/v1/routing/rules/versions?limit=2&before=2", admin, nil)
	r.json(t, &p)
	if len(p.Versions) != 1 || p.Versions[0].Version != 1 || p.NextBefore != 0 {
		t.Errorf("second page = %s", r.Body)
	}
	r = h.do("GET", "/api/v1/routing/rules/versions?limit=0&before=x", admin, nil)
	if e := errorOf(t, r); r.Status != http.StatusBadRequest || e.Fields["limit"] == "" || e.Fields["before"] == "" {
		t.Errorf("bad query = %d %s", r.Status, r.Body)
	}
}
