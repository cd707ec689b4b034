package steps

import (
	"time"

	"github.com/google/uuid"

	"github.com/snoutos/snout/contract"
)

// The setup wizard's activities speak the wizard's own types where the
// workflow keeps what they return: the connect activity answers a
// contract.SetupProvider, the checks are contract.SetupCheck, the search
// answers contract.SetupSearchResult and the number list is
// []contract.SetupNumber. Only the inputs below are the activities' own.

const (
	ErrTypeCredentialsExpired  = "CredentialsExpired"
	ErrTypeCredentialsRejected = "CredentialsRejected" // details: ProviderFailure
)

// SetupOrgInput names the org (and the workflow, for logs and keys).
type SetupOrgInput struct {
	OrgID      uuid.UUID `json:"orgId"`
	WorkflowID string    `json:"workflowId"`
}

// SetupConnectInput connects a pending credential.
type SetupConnectInput struct {
	OrgID       uuid.UUID `json:"orgId"`
	WorkflowID  string    `json:"workflowId"`
	PendingID   uuid.UUID `json:"pendingId"`
	AccountSID  string    `json:"accountSid"`
	ActorUserID uuid.UUID `json:"actorUserId"`
}

// SetupConnectivity is the result of step 2.
type SetupConnectivity struct {
	Checks   []contract.SetupCheck `json:"checks"`
	Balance  string                `json:"balance,omitempty"`
	Currency string                `json:"currency,omitempty"`
}

// SetupAuditEntry is one wizard event for the audit trail.
type SetupAuditEntry struct {
	Action  string         `json:"action"`
	ActorID string         `json:"actorId"`
	Detail  map[string]any `json:"detail,omitempty"`
}

// SetupProgressInput mirrors the workflow's state into setup_progress.
type SetupProgressInput struct {
	OrgID      uuid.UUID `json:"orgId"`
	WorkflowID string    `json:"workflowId"`
	// RunKey is the workflow chain's first run ID: with Version it keys
	// the audit event, so a retried activity appends it once.
	RunKey      string `json:"runKey"`
	Version     int64  `json:"version"`
	CurrentStep string `json:"currentStep"`
	// State is the workflow's SetupState (decoded here as plain JSON).
	State       any        `json:"state"`
	Diagnostics bool       `json:"diagnostics"`
	CompletedAt *time.Time `json:"completedAt,omitempty"`

	Audit *SetupAuditEntry `json:"audit,omitempty"`
}
