package steps

import (
	"time"

	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/domain/message"
	"github.com/snoutos/snout/internal/domain/routing"
)

const (
	ErrTypeInvalidSender = "InvalidSender"
	ErrTypeUnknownNumber = "UnknownNumber"
)

// InboundReceiptRef names a stored webhook receipt.
type InboundReceiptRef struct {
	OrgID      uuid.UUID `json:"orgId"`
	ReceiptID  uuid.UUID `json:"receiptId"`
	MessageSID string    `json:"messageSid"`
}

// InboundText is an inbound message as its webhook described it.
type InboundText struct {
	ReceiptID     uuid.UUID           `json:"receiptId"`
	MessageSID    string              `json:"messageSid"`
	From          string              `json:"from"`
	To            string              `json:"to"`
	Body          string              `json:"body"`
	Media         []message.MediaItem `json:"media"`
	ReceivedAt    time.Time           `json:"receivedAt"`
	CorrelationID string              `json:"correlationId"`
}

// ResolveInboundClientInput names the sender of an inbound text.
type ResolveInboundClientInput struct {
	OrgID      uuid.UUID `json:"orgId"`
	From       string    `json:"from"`
	MessageSID string    `json:"messageSid"`
}

// InboundClient is the client who texted.
type InboundClient struct {
	ClientID uuid.UUID `json:"clientId"`
	E164     string    `json:"e164"`
	Created  bool      `json:"created"`
	OptedOut bool      `json:"optedOut"`
}

// FindReceivingNumberInput names the business number a text was sent to.
type FindReceivingNumberInput struct {
	OrgID      uuid.UUID `json:"orgId"`
	To         string    `json:"to"`
	MessageSID string    `json:"messageSid"`
}

// ReceivingNumber is a business number.
type ReceivingNumber struct {
	NumberID uuid.UUID  `json:"numberId"`
	E164     string     `json:"e164"`
	Class    string     `json:"class"`
	Status   string     `json:"status"`
	SitterID *uuid.UUID `json:"sitterId,omitempty"`
}

// EnsureInboundThreadInput names the client and the number texted.
type EnsureInboundThreadInput struct {
	OrgID      uuid.UUID       `json:"orgId"`
	ClientID   uuid.UUID       `json:"clientId"`
	Number     ReceivingNumber `json:"number"`
	ReceivedAt time.Time       `json:"receivedAt"`
	MessageSID string          `json:"messageSid"`
}

// InboundThread is the thread a text lands in, with the number it now
// lives on (after a quarantine move, not the number texted).
type InboundThread struct {
	ThreadID uuid.UUID       `json:"threadId"`
	Created  bool            `json:"created"`
	Number   ReceivingNumber `json:"number"`
	// MovedFrom is the number texted when the thread was moved off it.
	MovedFrom *uuid.UUID `json:"movedFrom,omitempty"`
}

// OptOutKeywordInput is a STOP-family or START-family text.
type OptOutKeywordInput struct {
	OrgID    uuid.UUID `json:"orgId"`
	ClientID uuid.UUID `json:"clientId"`
	// OptOut is true for STOP and its synonyms, false for START and its.
	OptOut     bool      `json:"optOut"`
	Keyword    string    `json:"keyword"` // the word the client sent, upper case
	NumberE164 string    `json:"numberE164"`
	At         time.Time `json:"at"`
	MessageSID string    `json:"messageSid"`
}

// OptOutKeywordResult says whether the client's state changed.
type OptOutKeywordResult struct {
	Changed bool `json:"changed"`
}

// RoutingContextInput asks for what routing needs about a thread.
type RoutingContextInput struct {
	OrgID    uuid.UUID `json:"orgId"`
	ThreadID uuid.UUID `json:"threadId"`
	ClientID uuid.UUID `json:"clientId"`
	// Around is the workflow's time; overrides and windows near it are
	// loaded, and routing.Decide picks the ones in force.
	Around time.Time `json:"around"`
	// NumberSitterID is the sitter owning the thread's number, if any.
	NumberSitterID *uuid.UUID `json:"numberSitterId,omitempty"`
}

// SitterName names a sitter in routing traces.
type SitterName = routing.SitterName

// RoutingContext is the input to routing.Decide that lives in the database.
type RoutingContext struct {
	Overrides []routing.Override `json:"overrides"`
	Windows   []routing.Window   `json:"windows"`
	// Sitters names every sitter the overrides, windows, number and rules
	// mention, ordered by ID.
	Sitters []SitterName `json:"sitters"`
	// Rules is the org's ruleset (nil in histories recorded before rules:
	// the built-in ones). ClientTags are the client's tags and Clock the
	// decision time on the org's wall clock, for the rules' conditions.
	Rules      *routing.Ruleset `json:"rules,omitempty"`
	ClientTags []string         `json:"clientTags,omitempty"`
	Clock      routing.Clock    `json:"clock"`
}

// StoreInboundMessageInput is a routed inbound text.
type StoreInboundMessageInput struct {
	OrgID      uuid.UUID     `json:"orgId"`
	ThreadID   uuid.UUID     `json:"threadId"`
	NumberID   uuid.UUID     `json:"numberId"` // the number texted
	Text       InboundText   `json:"text"`
	Routing    routing.Trace `json:"routing"`
	SitterID   *uuid.UUID    `json:"sitterId,omitempty"`
	ReceivedAt time.Time     `json:"receivedAt"`
}

// StoredInboundMessage is the stored message.
type StoredInboundMessage struct {
	MessageID uuid.UUID `json:"messageId"`
	// Inserted is false when an earlier run already stored it.
	Inserted bool `json:"inserted"`
}

// InboundAuditInput describes what happened to an inbound text.
type InboundAuditInput struct {
	OrgID      uuid.UUID `json:"orgId"`
	MessageID  uuid.UUID `json:"messageId"`
	ThreadID   uuid.UUID `json:"threadId"`
	ClientID   uuid.UUID `json:"clientId"`
	NumberID   uuid.UUID `json:"numberId"`
	MessageSID string    `json:"messageSid"`

	Media     int        `json:"media"`
	Keyword   string     `json:"keyword"`
	NewThread bool       `json:"newThread"`
	Target    string     `json:"target"`
	SitterID  *uuid.UUID `json:"sitterId,omitempty"`
	Rule      string     `json:"rule"`
}

// HelpReplyInput is a HELP text to answer.
type HelpReplyInput struct {
	OrgID      uuid.UUID `json:"orgId"`
	ThreadID   uuid.UUID `json:"threadId"`
	ClientE164 string    `json:"clientE164"`
	NumberE164 string    `json:"numberE164"` // the number the client texted; the reply comes from it
	MessageSID string    `json:"messageSid"`
}

// HelpReplyResult says what became of the reply.
type HelpReplyResult struct {
	MessageID   uuid.UUID `json:"messageId"`
	ProviderSID string    `json:"providerSid,omitempty"`
	// Skipped explains a reply not sent (the client is opted out).
	Skipped string `json:"skipped,omitempty"`
	// Failed is the plain-language reason the provider refused it.
	Failed string `json:"failed,omitempty"`
}

// MarkReceiptInput names a receipt to mark.
type MarkReceiptInput struct {
	OrgID     uuid.UUID `json:"orgId"`
	ReceiptID uuid.UUID `json:"receiptId"`
	// Note, when set, says why processing stopped short.
	Note string `json:"note,omitempty"`
}
