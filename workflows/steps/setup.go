package steps

import (
	"time"

	"github.com/google/uuid"
)

const (
	ErrTypeCredentialsExpired  = "CredentialsExpired"
	ErrTypeCredentialsRejected = "CredentialsRejected" // details: ProviderFailure
)

// SetupCheck is one connectivity or readiness check (same fields as
// workflows.SetupCheck, so the workflow converts it directly).
type SetupCheck struct {
	Key          string `json:"key"`
	Title        string `json:"title"`
	OK           bool   `json:"ok"`
	Detail       string `json:"detail"`
	Fix          string `json:"fix,omitempty"`
	ProviderCode int    `json:"providerCode,omitempty"`
	Diagnostic   string `json:"diagnostic,omitempty"`
}

// SetupOrgInput names the org (and the workflow, for logs and keys).
type SetupOrgInput struct {
	OrgID      uuid.UUID `json:"orgId"`
	WorkflowID string    `json:"workflowId"`
}

// SetupConnectInput connects a pending credential.
type SetupConnectInput struct {
	OrgID         uuid.UUID `json:"orgId"`
	WorkflowID    string    `json:"workflowId"`
	PendingID     uuid.UUID `json:"pendingId"`
	AccountSID    string    `json:"accountSid"`
	ActorUserID   uuid.UUID `json:"actorUserId"`
	CorrelationID string    `json:"correlationId"`
}

// SetupProviderInfo describes the connected account (no secrets).
type SetupProviderInfo struct {
	AccountSID   string `json:"accountSid"`
	APIKeySID    string `json:"apiKeySid,omitempty"`
	AuthKind     string `json:"authKind"`
	FriendlyName string `json:"friendlyName"`
	Status       string `json:"status"`
	Type         string `json:"type"`
}

// SetupConnectivity is the result of step 2.
type SetupConnectivity struct {
	Checks   []SetupCheck `json:"checks"`
	Balance  string       `json:"balance,omitempty"`
	Currency string       `json:"currency,omitempty"`
}

// SetupSearchInput searches numbers to buy.
type SetupSearchInput struct {
	OrgID    uuid.UUID `json:"orgId"`
	AreaCode string    `json:"areaCode,omitempty"`
	Region   string    `json:"region,omitempty"`
	TollFree bool      `json:"tollFree,omitempty"`
	Limit    int       `json:"limit,omitempty"`
}

// SetupAvailableNumber is one number for sale, with its monthly cost.
type SetupAvailableNumber struct {
	E164        string `json:"e164"`
	Display     string `json:"display"`
	Locality    string `json:"locality,omitempty"`
	Region      string `json:"region,omitempty"`
	MMS         bool   `json:"mms"`
	MonthlyCost string `json:"monthlyCost"`
	Currency    string `json:"currency"`
}

// SetupSearchOutput answers a search.
type SetupSearchOutput struct {
	Numbers     []SetupAvailableNumber `json:"numbers"`
	MonthlyCost string                 `json:"monthlyCost"`
	Currency    string                 `json:"currency"`
}

// SetupNumberRow is an active number the webhook step works on.
type SetupNumberRow struct {
	NumberID      uuid.UUID  `json:"numberId"`
	E164          string     `json:"e164"`
	Class         string     `json:"class"`
	SitterID      *uuid.UUID `json:"sitterId,omitempty"`
	ProviderSID   string     `json:"providerSid,omitempty"`
	MonthlyCost   string     `json:"monthlyCost,omitempty"`
	WebhookStatus string     `json:"webhookStatus"`
	WebhookError  string     `json:"webhookError,omitempty"`
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
	State         any              `json:"state"`
	Diagnostics   bool             `json:"diagnostics"`
	CompletedAt   *time.Time       `json:"completedAt,omitempty"`
	CorrelationID string           `json:"correlationId"`
	Audit         *SetupAuditEntry `json:"audit,omitempty"`
}
