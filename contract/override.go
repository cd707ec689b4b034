package contract

import (
	"time"

	"github.com/google/uuid"
)

// ---- Routing override (one workflow per override, OverrideWorkflowID) ----
//
// OverrideWorkflow keeps one routing override alive: it waits for the
// override's end time and records the expiry (an audited event), or ends
// it early when the owner removes it (UpdateOverrideCancel, which answers
// once the removal is recorded). No override outlives its end time.

// OverrideWorkflowName is the registered type name of OverrideWorkflow.
const OverrideWorkflowName = "OverrideWorkflow"

const overridePrefix = "override-"

// OverrideWorkflowID names a routing override's lifetime.
func OverrideWorkflowID(overrideID uuid.UUID) string { return overridePrefix + overrideID.String() }

// ParseOverrideWorkflowID returns the override ID in an override workflow ID.
func ParseOverrideWorkflowID(id string) (uuid.UUID, error) { return parseUUID(id, overridePrefix) }

// Override updates and queries.
const (
	// UpdateOverrideCancel ends the override now (argument
	// OverrideCancelRequest, answer OverrideState).
	UpdateOverrideCancel = "override-cancel"
	// QueryOverrideState returns OverrideState.
	QueryOverrideState = "state"
)

// OverrideErrEnded is the ApplicationError type of a cancel refused
// because the override has already ended.
const OverrideErrEnded = "OverrideEnded"

// How an override ended (routing_overrides.end_reason).
const (
	OverrideEndExpired   = "expired"
	OverrideEndCancelled = "cancelled"
)

// OverrideInput starts OverrideWorkflow.
type OverrideInput struct {
	OrgID      uuid.UUID `json:"orgId"`
	OverrideID uuid.UUID `json:"overrideId"`
	ThreadID   uuid.UUID `json:"threadId"`
	EndsAt     time.Time `json:"endsAt"`
}

// OverrideCancelRequest is the owner removing the override.
type OverrideCancelRequest struct {
	UserID        uuid.UUID `json:"userId"`
	CorrelationID string    `json:"correlationId,omitempty"`
}

// OverrideState is where the override stands.
type OverrideState struct {
	OverrideID uuid.UUID `json:"overrideId"`
	EndsAt     time.Time `json:"endsAt"`
	// Ended is set once the end is recorded; EndReason says how.
	Ended     bool       `json:"ended"`
	EndReason string     `json:"endReason,omitempty"`
	EndedAt   *time.Time `json:"endedAt,omitempty"`
}
