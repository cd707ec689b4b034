package routing

import (
	"strings"
	"time"

	"github.com/google/uuid"
)

// Trace is a message's routing decision as it is kept (messages.routing):
// every rule in order with its outcome and a sentence for people, the rule
// that fired and where the message went.
type Trace struct {
	Rule string `json:"rule"`
	// RuleID and RuleName name the rule of the ruleset that decided, and
	// RulesetVersion its version (0: the built-in rules, before rules
	// could be changed). Traces stored before rules existed have none.
	RuleID         string      `json:"ruleId,omitempty"`
	RuleName       string      `json:"ruleName,omitempty"`
	RulesetVersion int64       `json:"rulesetVersion,omitempty"`
	Reason         string      `json:"reason"`
	Target         TraceTarget `json:"target"`
	Steps          []TraceStep `json:"steps"`
	DecidedAt      time.Time   `json:"decidedAt"`
	NumberID       uuid.UUID   `json:"numberId"`
	NumberClass    string      `json:"numberClass"`
}

// TraceTarget is the inbox a message was routed to.
type TraceTarget struct {
	Kind       string     `json:"kind"` // owner_inbox or sitter
	SitterID   *uuid.UUID `json:"sitterId,omitempty"`
	SitterName string     `json:"sitterName,omitempty"`
}

// TraceStep is one rule of the decision.
type TraceStep struct {
	Rule     string `json:"rule"`
	RuleID   string `json:"ruleId,omitempty"`
	RuleName string `json:"ruleName,omitempty"`
	Outcome  string `json:"outcome"` // matched or skipped
	Detail   string `json:"detail"`
}

// TraceOf is the stored trace of a decision, before names replace IDs in
// its sentences (the caller does that).
func TraceOf(d Decision, decidedAt time.Time, numberID uuid.UUID, numberClass string) Trace {
	t := Trace{Rule: d.Rule, RuleID: d.RuleID, RuleName: d.RuleName, RulesetVersion: d.Version, Reason: d.Reason,
		Target: TraceTarget{Kind: string(d.Target.Kind)}, Steps: make([]TraceStep, 0, len(d.Trace)),
		DecidedAt: decidedAt, NumberID: numberID, NumberClass: numberClass}
	for _, st := range d.Trace {
		t.Steps = append(t.Steps, TraceStep{Rule: st.Rule, RuleID: st.RuleID, RuleName: st.RuleName, Outcome: st.Outcome, Detail: st.Detail})
	}
	return t
}

// SitterName names a sitter in routing traces.
type SitterName struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Record is the trace a decision is stored with, sitter IDs in its
// sentences replaced by the sitters' names, and the sitter it routes to
// (nil: the owner inbox). Live routing and the simulator both call it.
// A target sitter whose ID is not a UUID (never, with IDs from the
// database) falls back on the owner rather than lose the message.
func Record(d Decision, sitters []SitterName, decidedAt time.Time, numberID uuid.UUID, numberClass string) (Trace, *uuid.UUID) {
	readable := func(s string) string {
		for _, sn := range sitters { // a slice: deterministic order
			if sn.Name != "" {
				s = strings.ReplaceAll(s, sn.ID, sn.Name)
			}
		}
		return s
	}
	t := TraceOf(d, decidedAt, numberID, numberClass)
	t.Reason = readable(t.Reason)
	for i := range t.Steps {
		t.Steps[i].Detail = readable(t.Steps[i].Detail)
	}
	var sitterID *uuid.UUID
	if d.Target.Kind == TargetSitter {
		if id, err := uuid.Parse(d.Target.SitterID); err == nil {
			sitterID = &id
			t.Target.SitterID = &id
			for _, sn := range sitters {
				if sn.ID == d.Target.SitterID {
					t.Target.SitterName = sn.Name
				}
			}
		} else {
			t.Target = TraceTarget{Kind: string(TargetOwnerInbox)}
		}
	}
	return t, sitterID
}
