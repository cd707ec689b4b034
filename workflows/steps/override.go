package steps

import (
	"time"

	"github.com/google/uuid"
)

// OverrideEndInput records the end of a routing override: Reason
// "expired" (At is its end time) or "cancelled" (by UserID).
type OverrideEndInput struct {
	OrgID         uuid.UUID  `json:"orgId"`
	OverrideID    uuid.UUID  `json:"overrideId"`
	Reason        string     `json:"reason"`
	At            time.Time  `json:"at"`
	UserID        *uuid.UUID `json:"userId,omitempty"`
	CorrelationID string     `json:"correlationId,omitempty"`
}

// OverrideEndResult says whether this call ended it (false: it had
// already ended, e.g. removed while the workflow was unreachable).
type OverrideEndResult struct {
	Ended     bool      `json:"ended"`
	EndReason string    `json:"endReason"`
	EndedAt   time.Time `json:"endedAt"`
}
