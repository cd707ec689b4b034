package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/snoutos/snout/dev/seed"
	"github.com/snoutos/snout/dev/twiliosim"
)

func init() {
	allow(map[string][]string{
		"GET /api/v1/routing/rules":               staff,
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
