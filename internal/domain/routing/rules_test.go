package routing

import (
	"encoding/json"
	"testing"
	"time"
)

func custom(id, name string, prio int, w Conditions, to RuleTarget) Rule {
	return Rule{ID: id, Name: name, Kind: KindCustom, Enabled: true, Priority: prio, When: w, Target: to}
}

func withRules(extra ...Rule) *Ruleset {
	rs := Default()
	rs.Version = 7
	rs.Rules = append(rs.Rules, extra...)
	return &rs
}

func TestCustomRules(t *testing.T) {
	win := []Window{{ID: "w1", SitterID: "sam", ClientID: "c1", StartsAt: at(-hr), EndsAt: at(hr)}}
	evening := Clock{Zone: "America/Los_Angeles", Weekday: time.Saturday, Minute: 19 * 60}
	yes, no := true, false
	tests := []struct {
		name   string
		in     Input
		rule   string
		target Target
	}{
		{"pool texts to the window sitter", Input{Now: t0, ClientID: "c1", Number: Number{ID: "p", Class: ClassPool}, Windows: win,
			Rules: withRules(custom("r1", "Pool to sitter", 25, Conditions{NumberClasses: []NumberClass{ClassPool}}, RuleTarget{Kind: RuleToWindowSitter}))},
			"r1", sam},
		{"no window: falls through to the owner", Input{Now: t0, ClientID: "c1", Number: Number{ID: "p", Class: ClassPool},
			Rules: withRules(custom("r1", "Pool to sitter", 25, Conditions{NumberClasses: []NumberClass{ClassPool}}, RuleTarget{Kind: RuleToWindowSitter}))},
			RuleOwnerInbox, Target{Kind: TargetOwnerInbox}},
		{"evening weekend hours across midnight", Input{Now: t0, ClientID: "c1", Number: sitterLine("sam"), Windows: win, Clock: evening,
			Rules: withRules(custom("r2", "Evenings to owner", 15, Conditions{Days: []string{"sat", "sun"}, From: "18:00", To: "08:00"}, RuleTarget{Kind: RuleToOwner}))},
			"r2", Target{Kind: TargetOwnerInbox}},
		{"outside the hours the sitter window decides", Input{Now: t0, ClientID: "c1", Number: sitterLine("sam"), Windows: win, Clock: Clock{Weekday: time.Saturday, Minute: 12 * 60},
			Rules: withRules(custom("r2", "Evenings to owner", 15, Conditions{Days: []string{"sat"}, From: "18:00", To: "08:00"}, RuleTarget{Kind: RuleToOwner}))},
			RuleSitterWindow, sam},
		{"tagged VIP clients to the owner", Input{Now: t0, ClientID: "c1", ClientTags: []string{"VIP"}, Number: sitterLine("sam"), Windows: win,
			Rules: withRules(custom("r3", "VIPs", 15, Conditions{ClientTags: []string{"vip"}}, RuleTarget{Kind: RuleToOwner}))},
			"r3", Target{Kind: TargetOwnerInbox}},
		{"new senders only", Input{Now: t0, ClientID: "c1", NewSender: true, Number: Number{ID: "fd", Class: ClassFrontDesk}, Windows: win,
			Rules: withRules(custom("r4", "New", 25, Conditions{KnownClient: &no}, RuleTarget{Kind: RuleToSitter, SitterID: "sam"}))},
			"r4", sam},
		{"known clients rule skips a new sender", Input{Now: t0, ClientID: "c1", NewSender: true, Number: Number{ID: "fd", Class: ClassFrontDesk}, Windows: win,
			Rules: withRules(custom("r4", "Known", 25, Conditions{KnownClient: &yes}, RuleTarget{Kind: RuleToWindowSitter}))},
			RuleOwnerInbox, Target{Kind: TargetOwnerInbox}},
		{"a named sitter without a window is skipped", Input{Now: t0, ClientID: "c1", Number: Number{ID: "fd", Class: ClassFrontDesk}, Windows: win,
			Rules: withRules(custom("r5", "To Ana", 25, Conditions{}, RuleTarget{Kind: RuleToSitter, SitterID: "ana"}))},
			RuleOwnerInbox, Target{Kind: TargetOwnerInbox}},
		{"an override still comes first", Input{Now: t0, ClientID: "c1", Number: Number{ID: "p", Class: ClassPool}, Windows: win,
			Overrides: []Override{{ID: "o1", Target: ana, StartsAt: at(-hr), EndsAt: at(hr)}},
			Rules:     withRules(custom("r1", "Pool", 1, Conditions{}, RuleTarget{Kind: RuleToWindowSitter}))},
			RuleOverride, ana},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := Decide(tc.in)
			if d.RuleID != tc.rule || d.Target != tc.target || d.Version != 7 {
				t.Errorf("decided %s → %+v (v%d), want %s → %+v; trace %+v", d.RuleID, d.Target, d.Version, tc.rule, tc.target, d.Trace)
			}
			if len(d.Trace) != len(tc.in.Rules.Rules) {
				t.Errorf("%d steps for %d rules", len(d.Trace), len(tc.in.Rules.Rules))
			}
		})
	}
}

func TestValidate(t *testing.T) {
	ok := custom("r", "Evenings", 1, Conditions{Days: []string{"mon"}, From: "18:00", To: "08:00"}, RuleTarget{Kind: RuleToOwner})
	if f := Validate(ok, nil, nil); len(f) != 0 {
		t.Errorf("a valid rule: %v", f)
	}
	bad := custom("", "", 1, Conditions{From: "18:00", NumberClasses: []NumberClass{"fax"}}, RuleTarget{Kind: "somewhere"})
	f := Validate(bad, nil, nil)
	for _, k := range []string{"name", "when.to", "when.numberClasses", "target.kind"} {
		if f[k] == "" {
			t.Errorf("no message for %s: %v", k, f)
		}
	}
}

// FuzzDecide: whatever the rules, conditions and clock, Decide picks
// exactly one target, has one step per rule (at least the owner inbox),
// matches at most one, never sends a text to a sitter without an active
// window or override naming them, and does not depend on rule order.
func FuzzDecide(f *testing.F) {
	f.Add([]byte(`[{"id":"r1","name":"x","kind":"custom","enabled":true,"priority":5,"when":{"numberClasses":["pool"]},"target":{"kind":"window_sitter"}}]`), int64(0), 600, 3, true)
	f.Add([]byte(`[{"id":"r2","name":"y","kind":"custom","enabled":true,"priority":1,"when":{"from":"22:00","to":"06:00","days":["sat"]},"target":{"kind":"sitter","sitterId":"ana"}}]`), int64(3600), 1400, 6, false)
	f.Add([]byte(`[{"id":"owner_inbox","kind":"owner_inbox","enabled":false}]`), int64(-7200), 0, 0, false)
	f.Add([]byte(`not json`), int64(0), -5, 9, true)
	f.Fuzz(func(t *testing.T, rulesJSON []byte, offset int64, minute, weekday int, newSender bool) {
		var extra []Rule
		_ = json.Unmarshal(rulesJSON, &extra)
		if len(extra) > 20 {
			extra = extra[:20]
		}
		rs := Default()
		rs.Rules = append(rs.Rules, extra...)
		in := Input{Now: t0.Add(time.Duration(offset%(48*3600)) * time.Second), ClientID: "c1", Number: Number{ID: "p", Class: ClassPool},
			Windows:   []Window{{ID: "w1", SitterID: "sam", ClientID: "c1", StartsAt: at(-hr), EndsAt: at(hr)}},
			Overrides: []Override{{ID: "o1", Target: ana, StartsAt: at(2 * hr), EndsAt: at(3 * hr)}},
			Rules:     &rs, Clock: Clock{Weekday: time.Weekday(((weekday % 7) + 7) % 7), Minute: ((minute % 1440) + 1440) % 1440}, NewSender: newSender}
		d := Decide(in)
		matched := 0
		for _, st := range d.Trace {
			if st.Outcome == Matched {
				matched++
			}
		}
		if matched != 1 {
			t.Fatalf("%d rules matched: %+v", matched, d.Trace)
		}
		switch d.Target.Kind {
		case TargetOwnerInbox:
		case TargetSitter:
			_, window := ActiveWindow(in.Windows, d.Target.SitterID, "c1", in.Now)
			if !window && d.Rule != RuleOverride {
				t.Fatalf("routed to %s without an active window: %+v", d.Target.SitterID, d)
			}
		default:
			t.Fatalf("no target: %+v", d)
		}
		rev := rs
		rev.Rules = make([]Rule, len(rs.Rules))
		for i, r := range rs.Rules {
			rev.Rules[len(rs.Rules)-1-i] = r
		}
		in.Rules = &rev
		if d2 := Decide(in); d2.Target != d.Target || d2.RuleID != d.RuleID {
			t.Fatalf("order of the input changed the decision: %+v vs %+v", d, d2)
		}
	})
}
