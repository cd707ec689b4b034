// Package routing decides where an inbound client message goes: to the
// owner's inbox or to one sitter. The rules are few, ordered and
// explainable: every decision carries a trace of each rule, matched or
// skipped, in sentences the owner can read in the routing simulator.
//
// Decide is pure and deterministic (no clock, no I/O, no dependence on the
// order of its input slices), because the inbound-message workflow calls it
// and the API replays it for previews.
package routing

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// NumberClass is what a business-owned number is used for.
type NumberClass string

const (
	// ClassFrontDesk is the business's main line, answered by the owner.
	ClassFrontDesk NumberClass = "front_desk"
	// ClassSitter is a masked number belonging to one sitter.
	ClassSitter NumberClass = "sitter"
	// ClassPool is a number shared through a Messaging Service pool.
	ClassPool NumberClass = "pool"
)

// TargetKind says who receives a message.
type TargetKind string

const (
	// TargetOwnerInbox is the owner's (front desk's) shared inbox.
	TargetOwnerInbox TargetKind = "owner_inbox"
	// TargetSitter is one sitter, named by Target.SitterID.
	TargetSitter TargetKind = "sitter"
)

// Target is where a message is delivered. SitterID is set only when Kind
// is TargetSitter.
type Target struct {
	Kind     TargetKind
	SitterID string
}

// Override is an owner's explicit routing choice for one thread, such as
// "send everything to Sam while I am away". It is active when
// StartsAt <= now < EndsAt.
type Override struct {
	ID       string
	Target   Target
	StartsAt time.Time
	EndsAt   time.Time
	Reason   string
}

func (o Override) activeAt(now time.Time) bool { return activeAt(o.StartsAt, o.EndsAt, now) }

// Window is an assignment window: a sitter may talk with a client while
// StartsAt <= now < EndsAt.
type Window struct {
	ID       string
	SitterID string
	ClientID string
	StartsAt time.Time
	EndsAt   time.Time
}

func (w Window) activeAt(now time.Time) bool { return activeAt(w.StartsAt, w.EndsAt, now) }

func activeAt(start, end, now time.Time) bool {
	return !now.Before(start) && now.Before(end)
}

// Number is the business number the client texted.
type Number struct {
	ID       string
	Class    NumberClass
	SitterID string // the sitter a ClassSitter number belongs to
}

// Input is everything Decide looks at. Overrides are the overrides of this
// thread (the caller selects them); Windows may include any windows, those
// of other sitters and clients are ignored.
type Input struct {
	Now       time.Time
	ThreadID  string
	ClientID  string
	Number    Number
	Overrides []Override
	Windows   []Window
	// Rules is the org's ruleset; nil is Default() (the three built-in
	// rules, as decisions were made before rules could be changed).
	Rules *Ruleset
	// ClientTags are the client's tags, for rules with a tag condition.
	ClientTags []string
	// Clock is Now on the org's wall clock (ClockAt), for rules with days
	// or hours.
	Clock Clock
	// NewSender: the text came from a number no client had, and the
	// client was created for it.
	NewSender bool
}

// Rule names, in the order they are tried.
const (
	RuleOverride     = "override"
	RuleSitterWindow = "sitter_window"
	RuleOwnerInbox   = "owner_inbox"
	// RuleCustom is the Step.Rule of the owner's own rules.
	RuleCustom = "custom"
)

// Step outcomes.
const (
	Matched = "matched"
	Skipped = "skipped"
)

// Step records what one rule concluded. Rule is the rule's kind
// (override, sitter_window, custom, owner_inbox); RuleID and RuleName say
// which rule of the ruleset it was.
type Step struct {
	Rule     string
	RuleID   string
	RuleName string
	Outcome  string // Matched or Skipped
	Detail   string // a sentence for people
}

// Decision is where the message goes and why. Rule is the kind of the rule
// that matched (RuleID and RuleName which one, Version the ruleset's
// version), Reason its explanation, and Trace has one Step per rule in
// order.
type Decision struct {
	Target   Target
	Rule     string
	RuleID   string
	RuleName string
	Version  int64
	Reason   string
	Trace    []Step
}

// Decide applies the org's rules (Input.Rules, Default() when nil) in
// order; the first that matches wins. The built-in rules are:
//
//  1. override: an active override of the thread sends it to the override's
//     target. If several are active, the one that started latest wins, and
//     among those the greatest ID. An owner's override deliberately beats
//     assignment windows, and this rule is always tried first.
//  2. sitter_window: the client texted a sitter's number and that sitter
//     has an active assignment window with the client, so the sitter gets
//     it.
//  3. owner_inbox: everything else goes to the owner's inbox; always last,
//     and applied even if missing or turned off, so no text is lost.
//
// The owner's rules (custom) sit anywhere between the first and the last:
// when all their conditions hold they send the text to their target (see
// customRule). A rule turned off is skipped, and the trace says so.
//
// A message to the front desk or a pool number goes to the owner even when
// exactly one sitter has an active window with the client, unless one of
// the owner's rules says otherwise. The client chose to text the business
// rather than their sitter, and such messages are often about the booking,
// billing or the sitter themself; handing them to a sitter would also show
// the sitter a conversation the client started with the business. The
// trace says so, so the owner can forward it.
func Decide(in Input) Decision {
	rs := Default()
	if in.Rules != nil {
		rs = *in.Rules
	}
	rules := rs.Ordered()
	d := Decision{Trace: make([]Step, 0, len(rules)), Version: rs.Version}
	decided := false
	custom := false
	for _, r := range rules {
		if r.Kind == KindCustom && r.Enabled {
			custom = true
		}
	}
	decide := func(r Rule, target Target, detail string) {
		d.Target, d.Rule, d.RuleID, d.RuleName, d.Reason = target, string(r.Kind), r.ID, r.Name, detail
		d.Trace = append(d.Trace, Step{Rule: string(r.Kind), RuleID: r.ID, RuleName: r.Name, Outcome: Matched, Detail: detail})
		decided = true
	}
	skip := func(r Rule, detail string) {
		d.Trace = append(d.Trace, Step{Rule: string(r.Kind), RuleID: r.ID, RuleName: r.Name, Outcome: Skipped, Detail: detail})
	}
	const notChecked = "Not checked: an earlier rule already decided."
	for _, r := range rules {
		if decided {
			skip(r, notChecked)
			continue
		}
		if !r.Enabled && r.Kind != KindOwnerInbox {
			skip(r, fmt.Sprintf("Rule %q is turned off.", r.Name))
			continue
		}
		var (
			target Target
			detail string
			ok     bool
		)
		switch r.Kind {
		case KindOverride:
			target, detail, ok = overrideRule(in)
		case KindSitterWindow:
			target, detail, ok = sitterWindowRule(in)
		case KindCustom:
			target, detail, ok = customRule(r, in)
		case KindOwnerInbox:
			target, ok = Target{Kind: TargetOwnerInbox}, true
			detail = "No override or sitter window applies, so the message goes to the owner inbox."
			if custom {
				detail = "No override, sitter window or other rule applies, so the message goes to the owner inbox."
			}
		default:
			detail = fmt.Sprintf("Rule %q is of an unknown kind, so it is ignored.", r.Name)
		}
		if ok {
			decide(r, target, detail)
		} else {
			skip(r, detail)
		}
	}
	if !decided {
		decide(Rule{ID: RuleOwnerInbox, Name: NameOwnerInbox, Kind: KindOwnerInbox}, Target{Kind: TargetOwnerInbox},
			"No rule applies, so the message goes to the owner inbox.")
	}
	return d
}

func overrideRule(in Input) (Target, string, bool) {
	var (
		active        []Override
		invalid       []string
		next, lastEnd *Override
	)
	for i := range in.Overrides {
		o := &in.Overrides[i]
		switch {
		case !validTarget(o.Target):
			// Mentioned only while it would have applied.
			if o.activeAt(in.Now) {
				invalid = append(invalid, o.ID)
			}
		case o.activeAt(in.Now):
			active = append(active, *o)
		case !o.EndsAt.After(o.StartsAt):
			// Empty or inverted: never active, nothing to explain.
		case in.Now.Before(o.StartsAt):
			if next == nil || compareOverrideStart(*o, *next) < 0 {
				next = o
			}
		default: // ended
			if lastEnd == nil || o.EndsAt.After(lastEnd.EndsAt) ||
				o.EndsAt.Equal(lastEnd.EndsAt) && o.ID > lastEnd.ID {
				lastEnd = o
			}
		}
	}
	slices.Sort(invalid)
	ignored := ""
	if len(invalid) > 0 {
		ignored = fmt.Sprintf(" Ignored %s with an incomplete target: %s.", plural(len(invalid), "override"), strings.Join(invalid, ", "))
	}

	if len(active) == 0 {
		detail := "No active routing override for this thread."
		if lastEnd != nil {
			detail += fmt.Sprintf(" The most recent one (%s) ended at %s.", lastEnd.ID, stamp(lastEnd.EndsAt))
		}
		if next != nil {
			detail += fmt.Sprintf(" The next one (%s) starts at %s.", next.ID, stamp(next.StartsAt))
		}
		return Target{}, detail + ignored, false
	}

	// Latest start wins; ties go to the greatest ID.
	win := slices.MaxFunc(active, compareOverrideStart)
	target := win.Target
	if target.Kind == TargetOwnerInbox {
		target.SitterID = ""
	}
	detail := fmt.Sprintf("Routing override %s sends this thread to %s until %s", win.ID, describe(target), stamp(win.EndsAt))
	if r := strings.TrimSpace(win.Reason); r != "" {
		detail += fmt.Sprintf(" (reason: %q)", r)
	}
	detail += "."
	if len(active) > 1 {
		detail += fmt.Sprintf(" %d overrides are active; this one started latest (%s).", len(active), stamp(win.StartsAt))
	}
	return target, detail + ignored, true
}

// compareOverrideStart orders overrides by start time, then ID.
func compareOverrideStart(a, b Override) int {
	return cmp.Or(a.StartsAt.Compare(b.StartsAt), strings.Compare(a.ID, b.ID))
}

func validTarget(t Target) bool {
	switch t.Kind {
	case TargetOwnerInbox:
		return true
	case TargetSitter:
		return t.SitterID != ""
	}
	return false
}

func sitterWindowRule(in Input) (Target, string, bool) {
	if in.ClientID == "" {
		return Target{}, "The sender is not a known client, so no assignment window applies.", false
	}
	switch in.Number.Class {
	case ClassSitter:
	case ClassFrontDesk, ClassPool:
		line := "the front desk number"
		if in.Number.Class == ClassPool {
			line = "a pool number"
		}
		detail := fmt.Sprintf("The client texted %s, not a sitter's number, so it goes to the business.", line)
		if sitters := activeSitters(in.Windows, in.ClientID, in.Now); len(sitters) > 0 {
			verb := "has an active window"
			if len(sitters) > 1 {
				verb = "have active windows"
			}
			detail += fmt.Sprintf(" %s %s with this client; the owner can forward the message.", sitterList(sitters), verb)
		}
		return Target{}, detail, false
	default:
		return Target{}, fmt.Sprintf("Number class %q is not a sitter number, so no sitter window applies.", in.Number.Class), false
	}

	sitterID := in.Number.SitterID
	if sitterID == "" {
		return Target{}, "Sitter number, but it is not assigned to any sitter.", false
	}
	if w, ok := ActiveWindow(in.Windows, sitterID, in.ClientID, in.Now); ok {
		return Target{Kind: TargetSitter, SitterID: sitterID},
			fmt.Sprintf("Sitter number of sitter %s, whose window %s with this client is active until %s.", sitterID, w.ID, stamp(w.EndsAt)),
			true
	}

	// Explain the nearest window on either side of now, if any.
	var last, next *Window
	for i := range in.Windows {
		w := &in.Windows[i]
		if w.SitterID != sitterID || w.ClientID != in.ClientID || !w.EndsAt.After(w.StartsAt) {
			continue
		}
		if in.Now.Before(w.StartsAt) {
			if next == nil || compareWindowStart(*w, *next) < 0 {
				next = w
			}
		} else if last == nil || w.EndsAt.After(last.EndsAt) || w.EndsAt.Equal(last.EndsAt) && w.ID > last.ID {
			last = w
		}
	}
	switch {
	case last != nil && next != nil:
		return Target{}, fmt.Sprintf("Sitter number of sitter %s, but the sitter's window with this client ended at %s and the next one starts at %s.",
			sitterID, stamp(last.EndsAt), stamp(next.StartsAt)), false
	case last != nil:
		return Target{}, fmt.Sprintf("Sitter number of sitter %s, but the sitter's window with this client ended at %s.", sitterID, stamp(last.EndsAt)), false
	case next != nil:
		return Target{}, fmt.Sprintf("Sitter number of sitter %s, but the sitter's window with this client starts at %s.", sitterID, stamp(next.StartsAt)), false
	}
	return Target{}, fmt.Sprintf("Sitter number of sitter %s, but the sitter has no assignment window with this client.", sitterID), false
}

// ActiveWindow returns the assignment window that lets sitterID talk with
// clientID at now (StartsAt <= now < EndsAt). Windows should not overlap;
// if they do, the latest-starting one is returned, ties going to the
// greatest ID, so the answer never depends on the order of windows.
func ActiveWindow(windows []Window, sitterID, clientID string, now time.Time) (Window, bool) {
	if sitterID == "" || clientID == "" {
		return Window{}, false
	}
	var best *Window
	for i := range windows {
		w := &windows[i]
		if w.SitterID != sitterID || w.ClientID != clientID || !w.activeAt(now) {
			continue
		}
		if best == nil || compareWindowStart(*w, *best) > 0 {
			best = w
		}
	}
	if best == nil {
		return Window{}, false
	}
	return *best, true
}

func compareWindowStart(a, b Window) int {
	return cmp.Or(a.StartsAt.Compare(b.StartsAt), strings.Compare(a.ID, b.ID))
}

// activeSitters lists, sorted and without repeats, the sitters with an
// active window with clientID.
func activeSitters(windows []Window, clientID string, now time.Time) []string {
	var ids []string
	for _, w := range windows {
		if w.ClientID == clientID && w.SitterID != "" && w.activeAt(now) {
			ids = append(ids, w.SitterID)
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

func sitterList(ids []string) string {
	if len(ids) == 1 {
		return "Sitter " + ids[0]
	}
	return "Sitters " + strings.Join(ids[:len(ids)-1], ", ") + " and " + ids[len(ids)-1]
}

func describe(t Target) string {
	if t.Kind == TargetSitter {
		return "sitter " + t.SitterID
	}
	return "the owner inbox"
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// stamp formats t for traces: UTC, RFC 3339.
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }
