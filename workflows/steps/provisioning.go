package steps

import "github.com/google/uuid"

const (
	ErrTypeProviderNotConnected = "ProviderNotConnected"
	ErrTypeProviderRejected     = "ProviderRejected" // details: ProviderFailure
	ErrTypeNumberNotOwned       = "NumberNotOwned"
	ErrTypeFrontDeskTaken       = "FrontDeskTaken"
	ErrTypeInvalidItem          = "InvalidProvisionItem"
)

// ProviderFailure is the detail of an ErrTypeProviderRejected error.
type ProviderFailure struct {
	Code int `json:"code"`
}

// ProvisionAcquireInput buys or imports one number.
type ProvisionAcquireInput struct {
	OrgID        uuid.UUID  `json:"orgId"`
	WorkflowID   string     `json:"workflowId"`
	Action       string     `json:"action"` // buy or import
	E164         string     `json:"e164"`
	Class        string     `json:"class"`
	SitterID     *uuid.UUID `json:"sitterId,omitempty"`
	FriendlyName string     `json:"friendlyName,omitempty"`
}

// ProvisionAcquired is the number now owned by the account.
type ProvisionAcquired struct {
	ProviderSID  string `json:"providerSid"`
	FriendlyName string `json:"friendlyName"`
	// Bought is true only when this workflow bought the number; a number
	// the account already owned is never released by compensation.
	Bought      bool   `json:"bought"`
	MonthlyCost string `json:"monthlyCost,omitempty"`
	Currency    string `json:"currency,omitempty"`
}

// ProvisionRecordInput records an acquired number in phone_numbers.
type ProvisionRecordInput struct {
	ProvisionAcquireInput
	Acquired    ProvisionAcquired `json:"acquired"`
	ActorUserID uuid.UUID         `json:"actorUserId"`
}

// ProvisionRecorded names the number's row.
type ProvisionRecorded struct {
	NumberID uuid.UUID `json:"numberId"`
}

// ProvisionWebhookInput installs one number's SMS webhook.
type ProvisionWebhookInput struct {
	OrgID    uuid.UUID `json:"orgId"`
	NumberID uuid.UUID `json:"numberId"`
	// RequestKey identifies this attempt in the number's history.
	RequestKey string `json:"requestKey"`
	ActorID    string `json:"actorId"`
}

// ProvisionWebhookResult is the per-number outcome.
type ProvisionWebhookResult struct {
	NumberID     uuid.UUID `json:"numberId"`
	E164         string    `json:"e164"`
	ProviderSID  string    `json:"providerSid,omitempty"`
	Status       string    `json:"status"` // verified or failed
	Error        string    `json:"error,omitempty"`
	ProviderCode int       `json:"providerCode,omitempty"`
	URL          string    `json:"url"`
}

// ProvisionMarkWebhookInput records a webhook failure the activity itself
// could not record (its retries ran out).
type ProvisionMarkWebhookInput struct {
	OrgID      uuid.UUID `json:"orgId"`
	NumberID   uuid.UUID `json:"numberId"`
	Error      string    `json:"error"`
	RequestKey string    `json:"requestKey"`
	ActorID    string    `json:"actorId"`
}

// ProvisionReleaseInput gives a bought number back (compensation).
type ProvisionReleaseInput struct {
	OrgID       uuid.UUID `json:"orgId"`
	NumberID    uuid.UUID `json:"numberId"`
	ProviderSID string    `json:"providerSid"`
	WorkflowID  string    `json:"workflowId"`
	Reason      string    `json:"reason"`
	ActorUserID uuid.UUID `json:"actorUserId"`
}
