package routing

import (
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
