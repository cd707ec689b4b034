package routing

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
)

var (
	t0  = time.Date(2025, 7, 1, 12, 0, 0, 0, time.UTC)
	hr  = time.Hour
	at  = func(d time.Duration) time.Time { return t0.Add(d) }
	sam = Target{Kind: TargetSitter, SitterID: "sam"}
	ana = Target{Kind: TargetSitter, SitterID: "ana"}
)

func sitterLine(sitter string) Number {
	return Number{ID: "num-s", Class: ClassSitter, SitterID: sitter}
}

func TestDecide(t *testing.T) {
	tests := []struct {
		name       string
		in         Input
		target     Target
		rule       string
		outcomes   [3]string
		wantDetail []string // substrings of the deciding/explaining steps
	}{
		{
			name:       "nothing applies",
			in:         Input{Now: t0, ClientID: "c1", Number: Number{ID: "fd", Class: ClassFrontDesk}},
			target:     Target{Kind: TargetOwnerInbox},
			rule:       RuleOwnerInbox,
			outcomes:   [3]string{Skipped, Skipped, Matched},
			wantDetail: []string{"No active routing override for this thread.", "The client texted the front desk number, not a sitter's number", "goes to the owner inbox"},
		},
		{
			name: "override to sitter",
			in: Input{Now: t0, ClientID: "c1", Number: Number{Class: ClassFrontDesk},
				Overrides: []Override{{ID: "ov1", Target: sam, StartsAt: at(-hr), EndsAt: at(hr), Reason: "owner away"}}},
			target:     sam,
			rule:       RuleOverride,
			outcomes:   [3]string{Matched, Skipped, Skipped},
			wantDetail: []string{`Routing override ov1 sends this thread to sitter sam until 2025-07-01T13:00:00Z (reason: "owner away").`, "Not checked: an earlier rule already decided."},
		},
		{
			name: "override to owner inbox beats an active sitter window",
			in: Input{Now: t0, ClientID: "c1", Number: sitterLine("sam"),
				Overrides: []Override{{ID: "ov1", Target: Target{Kind: TargetOwnerInbox, SitterID: "stale"}, StartsAt: at(-hr), EndsAt: at(hr)}},
				Windows:   []Window{{ID: "w1", SitterID: "sam", ClientID: "c1", StartsAt: at(-hr), EndsAt: at(hr)}}},
			target:     Target{Kind: TargetOwnerInbox},
			rule:       RuleOverride,
			outcomes:   [3]string{Matched, Skipped, Skipped},
			wantDetail: []string{"sends this thread to the owner inbox"},
		},
		{
			name: "override starts now (inclusive)",
			in: Input{Now: t0, Number: Number{Class: ClassPool},
				Overrides: []Override{{ID: "ov1", Target: sam, StartsAt: t0, EndsAt: at(hr)}}},
			target:   sam,
			rule:     RuleOverride,
			outcomes: [3]string{Matched, Skipped, Skipped},
		},
		{
			name: "override ends now (exclusive)",
			in: Input{Now: t0, ClientID: "c1", Number: Number{Class: ClassPool},
				Overrides: []Override{{ID: "ov1", Target: sam, StartsAt: at(-hr), EndsAt: t0}}},
			target:     Target{Kind: TargetOwnerInbox},
			rule:       RuleOwnerInbox,
			outcomes:   [3]string{Skipped, Skipped, Matched},
			wantDetail: []string{"No active routing override for this thread. The most recent one (ov1) ended at 2025-07-01T12:00:00Z."},
		},
		{
			name: "override not started yet",
			in: Input{Now: t0, ClientID: "c1", Number: Number{Class: ClassPool},
				Overrides: []Override{
					{ID: "ov2", Target: sam, StartsAt: at(3 * hr), EndsAt: at(4 * hr)},
					{ID: "ov1", Target: sam, StartsAt: at(2 * hr), EndsAt: at(5 * hr)},
					{ID: "old", Target: ana, StartsAt: at(-3 * hr), EndsAt: at(-2 * hr)},
				}},
			target:     Target{Kind: TargetOwnerInbox},
			rule:       RuleOwnerInbox,
			outcomes:   [3]string{Skipped, Skipped, Matched},
			wantDetail: []string{"The most recent one (old) ended at 2025-07-01T10:00:00Z. The next one (ov1) starts at 2025-07-01T14:00:00Z."},
		},
		{
			name: "latest-starting override wins",
			in: Input{Now: t0, Number: Number{Class: ClassPool},
				Overrides: []Override{
					{ID: "a-late", Target: ana, StartsAt: at(-hr), EndsAt: at(hr)},
					{ID: "z-early", Target: sam, StartsAt: at(-2 * hr), EndsAt: at(hr)},
				}},
			target:     ana,
			rule:       RuleOverride,
			outcomes:   [3]string{Matched, Skipped, Skipped},
			wantDetail: []string{"2 overrides are active; this one started latest (2025-07-01T11:00:00Z)."},
		},
		{
			name: "start tie broken by greatest ID",
			in: Input{Now: t0, Number: Number{Class: ClassPool},
				Overrides: []Override{
					{ID: "ov-b", Target: sam, StartsAt: at(-hr), EndsAt: at(hr)},
					{ID: "ov-a", Target: ana, StartsAt: at(-hr), EndsAt: at(2 * hr)},
				}},
			target:   sam,
			rule:     RuleOverride,
			outcomes: [3]string{Matched, Skipped, Skipped},
		},
		{
			name: "active override with incomplete target is ignored",
			in: Input{Now: t0, ClientID: "c1", Number: Number{Class: ClassFrontDesk},
				Overrides: []Override{
					{ID: "bad2", Target: Target{Kind: TargetSitter}, StartsAt: at(-hr), EndsAt: at(hr)},
					{ID: "bad1", Target: Target{Kind: "robot"}, StartsAt: at(-hr), EndsAt: at(hr)},
					{ID: "bad-old", Target: Target{}, StartsAt: at(-3 * hr), EndsAt: at(-2 * hr)},
				}},
			target:     Target{Kind: TargetOwnerInbox},
			rule:       RuleOwnerInbox,
			outcomes:   [3]string{Skipped, Skipped, Matched},
			wantDetail: []string{"No active routing override for this thread. Ignored 2 overrides with an incomplete target: bad1, bad2."},
		},
		{
			name: "inverted override never applies",
			in: Input{Now: t0, ClientID: "c1", Number: Number{Class: ClassFrontDesk},
				Overrides: []Override{{ID: "inv", Target: sam, StartsAt: at(hr), EndsAt: at(-hr)}}},
			target:     Target{Kind: TargetOwnerInbox},
			rule:       RuleOwnerInbox,
			outcomes:   [3]string{Skipped, Skipped, Matched},
			wantDetail: []string{"No active routing override for this thread. | The client"},
		},
		{
			name: "sitter number with active window",
			in: Input{Now: t0, ClientID: "c1", Number: sitterLine("sam"),
				Windows: []Window{{ID: "w1", SitterID: "sam", ClientID: "c1", StartsAt: at(-hr), EndsAt: at(hr)}}},
			target:     sam,
			rule:       RuleSitterWindow,
			outcomes:   [3]string{Skipped, Matched, Skipped},
			wantDetail: []string{"Sitter number of sitter sam, whose window w1 with this client is active until 2025-07-01T13:00:00Z."},
		},
		{
			name: "window starts now (inclusive)",
			in: Input{Now: t0, ClientID: "c1", Number: sitterLine("sam"),
				Windows: []Window{{ID: "w1", SitterID: "sam", ClientID: "c1", StartsAt: t0, EndsAt: at(hr)}}},
			target:   sam,
			rule:     RuleSitterWindow,
			outcomes: [3]string{Skipped, Matched, Skipped},
		},
		{
			name: "window ended now (exclusive)",
			in: Input{Now: t0, ClientID: "c1", Number: sitterLine("sam"),
				Windows: []Window{{ID: "w1", SitterID: "sam", ClientID: "c1", StartsAt: at(-hr), EndsAt: t0}}},
			target:     Target{Kind: TargetOwnerInbox},
			rule:       RuleOwnerInbox,
			outcomes:   [3]string{Skipped, Skipped, Matched},
			wantDetail: []string{"Sitter number of sitter sam, but the sitter's window with this client ended at 2025-07-01T12:00:00Z."},
		},
		{
			name: "window not started yet",
			in: Input{Now: t0, ClientID: "c1", Number: sitterLine("sam"),
				Windows: []Window{{ID: "w1", SitterID: "sam", ClientID: "c1", StartsAt: at(time.Minute), EndsAt: at(hr)}}},
			target:     Target{Kind: TargetOwnerInbox},
			rule:       RuleOwnerInbox,
			outcomes:   [3]string{Skipped, Skipped, Matched},
			wantDetail: []string{"but the sitter's window with this client starts at 2025-07-01T12:01:00Z."},
		},
		{
			name: "between two windows",
			in: Input{Now: t0, ClientID: "c1", Number: sitterLine("sam"),
				Windows: []Window{
					{ID: "w3", SitterID: "sam", ClientID: "c1", StartsAt: at(5 * hr), EndsAt: at(6 * hr)},
					{ID: "w2", SitterID: "sam", ClientID: "c1", StartsAt: at(2 * hr), EndsAt: at(3 * hr)},
					{ID: "w1", SitterID: "sam", ClientID: "c1", StartsAt: at(-3 * hr), EndsAt: at(-2 * hr)},
					{ID: "w0", SitterID: "sam", ClientID: "c1", StartsAt: at(-5 * hr), EndsAt: at(-4 * hr)},
				}},
			target:     Target{Kind: TargetOwnerInbox},
			rule:       RuleOwnerInbox,
			outcomes:   [3]string{Skipped, Skipped, Matched},
			wantDetail: []string{"ended at 2025-07-01T10:00:00Z and the next one starts at 2025-07-01T14:00:00Z."},
		},
		{
			name: "windows of other sitters and clients do not count",
			in: Input{Now: t0, ClientID: "c1", Number: sitterLine("sam"),
				Windows: []Window{
					{ID: "w1", SitterID: "ana", ClientID: "c1", StartsAt: at(-hr), EndsAt: at(hr)},
					{ID: "w2", SitterID: "sam", ClientID: "c2", StartsAt: at(-hr), EndsAt: at(hr)},
				}},
			target:     Target{Kind: TargetOwnerInbox},
			rule:       RuleOwnerInbox,
			outcomes:   [3]string{Skipped, Skipped, Matched},
			wantDetail: []string{"Sitter number of sitter sam, but the sitter has no assignment window with this client."},
		},
		{
			name: "sitter number without a sitter",
			in: Input{Now: t0, ClientID: "c1", Number: sitterLine(""),
				Windows: []Window{{ID: "w1", SitterID: "", ClientID: "c1", StartsAt: at(-hr), EndsAt: at(hr)}}},
			target:     Target{Kind: TargetOwnerInbox},
			rule:       RuleOwnerInbox,
			outcomes:   [3]string{Skipped, Skipped, Matched},
			wantDetail: []string{"Sitter number, but it is not assigned to any sitter."},
		},
		{
			name: "pool number with exactly one active sitter still goes to the owner",
			in: Input{Now: t0, ClientID: "c1", Number: Number{Class: ClassPool},
				Windows: []Window{{ID: "w1", SitterID: "sam", ClientID: "c1", StartsAt: at(-hr), EndsAt: at(hr)}}},
			target:     Target{Kind: TargetOwnerInbox},
			rule:       RuleOwnerInbox,
			outcomes:   [3]string{Skipped, Skipped, Matched},
			wantDetail: []string{"The client texted a pool number, not a sitter's number, so it goes to the business. Sitter sam has an active window with this client; the owner can forward the message."},
		},
		{
			name: "front desk with two active sitters",
			in: Input{Now: t0, ClientID: "c1", Number: Number{Class: ClassFrontDesk},
				Windows: []Window{
					{ID: "w2", SitterID: "sam", ClientID: "c1", StartsAt: at(-hr), EndsAt: at(hr)},
					{ID: "w1", SitterID: "ana", ClientID: "c1", StartsAt: at(-hr), EndsAt: at(hr)},
					{ID: "w3", SitterID: "sam", ClientID: "c1", StartsAt: at(-2 * hr), EndsAt: at(hr)},
				}},
			target:     Target{Kind: TargetOwnerInbox},
			rule:       RuleOwnerInbox,
			outcomes:   [3]string{Skipped, Skipped, Matched},
			wantDetail: []string{"Sitters ana and sam have active windows with this client"},
		},
		{
			name: "unknown number class",
			in: Input{Now: t0, ClientID: "c1", Number: Number{Class: "fax"},
				Windows: []Window{{ID: "w1", SitterID: "sam", ClientID: "c1", StartsAt: at(-hr), EndsAt: at(hr)}}},
			target:     Target{Kind: TargetOwnerInbox},
			rule:       RuleOwnerInbox,
			outcomes:   [3]string{Skipped, Skipped, Matched},
			wantDetail: []string{`Number class "fax" is not a sitter number`},
		},
		{
			name: "unknown sender",
			in: Input{Now: t0, ClientID: "", Number: sitterLine("sam"),
				Windows: []Window{{ID: "w1", SitterID: "sam", ClientID: "", StartsAt: at(-hr), EndsAt: at(hr)}}},
			target:     Target{Kind: TargetOwnerInbox},
			rule:       RuleOwnerInbox,
			outcomes:   [3]string{Skipped, Skipped, Matched},
			wantDetail: []string{"The sender is not a known client"},
		},
		{
			name: "times in details are UTC",
			in: Input{Now: t0.In(time.FixedZone("PDT", -7*3600)), ClientID: "c1", Number: sitterLine("sam"),
				Windows: []Window{{ID: "w1", SitterID: "sam", ClientID: "c1", StartsAt: at(-hr).In(time.FixedZone("X", 3600)), EndsAt: at(hr).In(time.FixedZone("PDT", -7*3600))}}},
			target:     sam,
			rule:       RuleSitterWindow,
			outcomes:   [3]string{Skipped, Matched, Skipped},
			wantDetail: []string{"active until 2025-07-01T13:00:00Z."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Decide(tt.in)
			if d.Target != tt.target || d.Rule != tt.rule {
				t.Errorf("Decide = %+v via %q, want %+v via %q", d.Target, d.Rule, tt.target, tt.rule)
			}
			if len(d.Trace) != 3 {
				t.Fatalf("trace has %d steps, want 3: %+v", len(d.Trace), d.Trace)
			}
			var all []string
			for i, rule := range []string{RuleOverride, RuleSitterWindow, RuleOwnerInbox} {
				s := d.Trace[i]
				if s.Rule != rule || s.Outcome != tt.outcomes[i] {
					t.Errorf("step %d = %s/%s, want %s/%s", i, s.Rule, s.Outcome, rule, tt.outcomes[i])
				}
				if s.Detail == "" || !strings.HasSuffix(s.Detail, ".") {
					t.Errorf("step %d detail %q is not a sentence", i, s.Detail)
				}
				if s.Outcome == Matched && s.Detail != d.Reason {
					t.Errorf("Reason %q differs from the matched step %q", d.Reason, s.Detail)
				}
				all = append(all, s.Detail)
			}
			joined := strings.Join(all, " | ")
			for _, want := range tt.wantDetail {
				if !strings.Contains(joined, want) {
					t.Errorf("trace %q\nmissing %q", joined, want)
				}
			}
		})
	}
}

func TestActiveWindow(t *testing.T) {
	windows := []Window{
		{ID: "w-old", SitterID: "sam", ClientID: "c1", StartsAt: at(-5 * hr), EndsAt: at(-hr)},
		{ID: "w-now", SitterID: "sam", ClientID: "c1", StartsAt: at(-hr), EndsAt: at(hr)},
		{ID: "w-ana", SitterID: "ana", ClientID: "c1", StartsAt: at(-hr), EndsAt: at(hr)},
		{ID: "w-c2", SitterID: "sam", ClientID: "c2", StartsAt: at(-hr), EndsAt: at(hr)},
	}
	tests := []struct {
		name           string
		windows        []Window
		sitter, client string
		now            time.Time
		wantID         string
		wantOK         bool
	}{
		{"active", windows, "sam", "c1", t0, "w-now", true},
		{"start inclusive", windows, "sam", "c1", at(-hr), "w-now", true},
		{"end exclusive, previous window ended too", windows, "sam", "c1", at(hr), "", false},
		{"one nanosecond before end", windows, "sam", "c1", at(hr - 1), "w-now", true},
		{"one nanosecond before start", windows, "sam", "c2", at(-hr - 1), "", false},
		{"earlier window", windows, "sam", "c1", at(-2 * hr), "w-old", true},
		{"other client", windows, "sam", "c2", t0, "w-c2", true},
		{"no window for pair", windows, "ana", "c2", t0, "", false},
		{"empty sitter", windows, "", "c1", t0, "", false},
		{"empty client", windows, "sam", "", t0, "", false},
		{"no windows", nil, "sam", "c1", t0, "", false},
		{"overlap: latest start wins", []Window{
			{ID: "a", SitterID: "sam", ClientID: "c1", StartsAt: at(-2 * hr), EndsAt: at(hr)},
			{ID: "b", SitterID: "sam", ClientID: "c1", StartsAt: at(-hr), EndsAt: at(hr)},
		}, "sam", "c1", t0, "b", true},
		{"overlap: start tie goes to greatest ID", []Window{
			{ID: "b", SitterID: "sam", ClientID: "c1", StartsAt: at(-hr), EndsAt: at(hr)},
			{ID: "a", SitterID: "sam", ClientID: "c1", StartsAt: at(-hr), EndsAt: at(2 * hr)},
		}, "sam", "c1", t0, "b", true},
		{"inverted window", []Window{{ID: "x", SitterID: "sam", ClientID: "c1", StartsAt: at(hr), EndsAt: at(-hr)}}, "sam", "c1", t0, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, ok := ActiveWindow(tt.windows, tt.sitter, tt.client, tt.now)
			if ok != tt.wantOK || w.ID != tt.wantID {
				t.Errorf("ActiveWindow = %q, %v; want %q, %v", w.ID, ok, tt.wantID, tt.wantOK)
			}
			if !ok && w != (Window{}) {
				t.Errorf("no match should return the zero Window, got %+v", w)
			}
		})
	}
}

// Decisions must not depend on the order the caller lists overrides and
// windows in: the same facts replayed by a workflow must route the same way.
func TestDecideIgnoresInputOrder(t *testing.T) {
	windows := []Window{
		{ID: "w1", SitterID: "sam", ClientID: "c1", StartsAt: at(-3 * hr), EndsAt: at(-2 * hr)},
		{ID: "w2", SitterID: "sam", ClientID: "c1", StartsAt: at(-3 * hr), EndsAt: at(-2 * hr)},
		{ID: "w3", SitterID: "sam", ClientID: "c1", StartsAt: at(2 * hr), EndsAt: at(3 * hr)},
		{ID: "w4", SitterID: "sam", ClientID: "c1", StartsAt: at(2 * hr), EndsAt: at(4 * hr)},
		{ID: "w5", SitterID: "ana", ClientID: "c1", StartsAt: at(-hr), EndsAt: at(hr)},
		{ID: "w6", SitterID: "bo", ClientID: "c1", StartsAt: at(-hr), EndsAt: at(hr)},
		{ID: "w7", SitterID: "ana", ClientID: "c1", StartsAt: at(-2 * hr), EndsAt: at(hr)},
		{ID: "w8", SitterID: "sam", ClientID: "c2", StartsAt: at(-hr), EndsAt: at(hr)},
	}
	overridesActive := []Override{
		{ID: "o1", Target: sam, StartsAt: at(-hr), EndsAt: at(hr)},
		{ID: "o2", Target: ana, StartsAt: at(-hr), EndsAt: at(2 * hr)},
		{ID: "o3", Target: sam, StartsAt: at(-2 * hr), EndsAt: at(hr)},
		{ID: "o4", Target: Target{Kind: TargetSitter}, StartsAt: at(-hr), EndsAt: at(hr)},
		{ID: "o5", Target: Target{Kind: "nope"}, StartsAt: at(-hr), EndsAt: at(hr)},
	}
	overridesInactive := []Override{
		{ID: "o1", Target: sam, StartsAt: at(-3 * hr), EndsAt: at(-hr)},
		{ID: "o2", Target: ana, StartsAt: at(-2 * hr), EndsAt: at(-hr)},
		{ID: "o3", Target: sam, StartsAt: at(hr), EndsAt: at(2 * hr)},
		{ID: "o4", Target: ana, StartsAt: at(hr), EndsAt: at(3 * hr)},
	}
	inputs := []Input{
		{Now: t0, ClientID: "c1", Number: sitterLine("sam"), Overrides: overridesActive, Windows: windows},
		{Now: t0, ClientID: "c1", Number: sitterLine("sam"), Overrides: overridesInactive, Windows: windows},
		{Now: t0, ClientID: "c1", Number: Number{Class: ClassPool}, Overrides: overridesInactive, Windows: windows},
		{Now: t0, ClientID: "c1", Number: sitterLine("ana"), Windows: windows},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i, in := range inputs {
		want := Decide(in)
		for range 200 {
			shuffled := in
			shuffled.Overrides = shuffle(rng, in.Overrides)
			shuffled.Windows = shuffle(rng, in.Windows)
			if got := Decide(shuffled); !reflect.DeepEqual(got, want) {
				t.Fatalf("input %d: shuffled decision differs\n got %+v\nwant %+v", i, got, want)
			}
		}
	}
}

func shuffle[T any](rng *rand.Rand, s []T) []T {
	out := append([]T(nil), s...)
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}
