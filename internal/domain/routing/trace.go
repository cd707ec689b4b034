package routing

import (
	"time"

	"github.com/google/uuid"
)

// Trace is a message's routing decision as it is kept (messages.routing):
// every rule in order with its outcome and a sentence for people, the rule
// that fired and where the message went.
type Trace struct {
	Rule        string      `json:"rule"`
	Reason      string      `json:"reason"`
	Target      TraceTarget `json:"target"`
	Steps       []TraceStep `json:"steps"`
	DecidedAt   time.Time   `json:"decidedAt"`
	NumberID    uuid.UUID   `json:"numberId"`
	NumberClass string      `json:"numberClass"`
}

// TraceTarget is the inbox a message was routed to.
type TraceTarget struct {
	Kind       string     `json:"kind"` // owner_inbox or sitter
	SitterID   *uuid.UUID `json:"sitterId,omitempty"`
	SitterName string     `json:"sitterName,omitempty"`
}

// TraceStep is one rule of the decision.
type TraceStep struct {
	Rule    string `json:"rule"`
	Outcome string `json:"outcome"` // matched or skipped
	Detail  string `json:"detail"`
}
