package contract

import (
	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/domain/numbers"
)

// ---- Number provisioning (buy/import, configure webhooks, compensate) ----
//
// ProvisionNumbersWorkflow buys or imports numbers for an org, installs the
// SMS webhook on each and verifies it; a bought number that cannot be
// configured is released again (compensation). Used by the setup wizard's
// number steps and by the number inventory's buy/import actions.

// ProvisionNumbersWorkflowName is the registered workflow type name.
const ProvisionNumbersWorkflowName = "ProvisionNumbersWorkflow"

// ProvisionWorkflowID names one provisioning request; requestID is chosen by
// the caller (an idempotency key: the same request is not run twice).
func ProvisionWorkflowID(orgID uuid.UUID, requestID string) string {
	return "provision-" + orgID.String() + "-" + requestID
}

// QueryProvisionProgress returns the ProvisionResult so far (items not yet
// reached have an empty result with only E164 set).
const QueryProvisionProgress = "provision-progress"

// Provision actions.
const (
	ProvisionBuy    = numbers.Buy
	ProvisionImport = numbers.Import
)

// ProvisionItem is one number to buy or import.
type ProvisionItem struct {
	Action string `json:"action"` // buy or import
	// E164 to buy (from an availability search) or import (already owned by
	// the provider account).
	E164         string     `json:"e164"`
	Class        string     `json:"class"` // front_desk, sitter, pool
	SitterID     *uuid.UUID `json:"sitterId,omitempty"`
	FriendlyName string     `json:"friendlyName,omitempty"`
}

// Check is what is wrong with the item, by the one provisioning rule
// (numbers.CheckProvision): the field at fault and why; both empty when the
// item may be bought or imported.
func (it ProvisionItem) Check() (field, reason string) {
	return numbers.CheckProvision(numbers.Provision{Action: it.Action, E164: it.E164, Class: it.Class,
		Sitter: it.SitterID != nil, FriendlyName: it.FriendlyName})
}

// ProvisionInput starts ProvisionNumbersWorkflow.
type ProvisionInput struct {
	OrgID       uuid.UUID       `json:"orgId"`
	RequestID   string          `json:"requestId"`
	Items       []ProvisionItem `json:"items"`
	ActorUserID uuid.UUID       `json:"actorUserId"`
}

// ProvisionItemResult is the outcome for one item.
type ProvisionItemResult struct {
	E164         string     `json:"e164"`
	NumberID     *uuid.UUID `json:"numberId,omitempty"`
	OK           bool       `json:"ok"`
	Error        string     `json:"error,omitempty"` // plain language
	ProviderCode int        `json:"providerCode,omitempty"`
	// Compensated is true when a bought number was released again because
	// it could not be configured.
	Compensated bool `json:"compensated,omitempty"`

	// The fields below were added by the setup wizard (additive).

	Class    string     `json:"class,omitempty"`
	SitterID *uuid.UUID `json:"sitterId,omitempty"`
	// Bought is true when this run bought the number (false: imported, or
	// the account already owned it).
	Bought      bool   `json:"bought,omitempty"`
	ProviderSID string `json:"providerSid,omitempty"`
	MonthlyCost string `json:"monthlyCost,omitempty"`
	// WebhookStatus is pending, installed, verified or failed; an imported
	// number whose webhook failed stays (OK) with WebhookStatus failed and
	// the reason in Error, so it can be retried.
	WebhookStatus string `json:"webhookStatus,omitempty"`
	WebhookURL    string `json:"webhookUrl,omitempty"`
}

// ProvisionResult lists per-item outcomes in input order.
type ProvisionResult struct {
	Items []ProvisionItemResult `json:"items"`
}
