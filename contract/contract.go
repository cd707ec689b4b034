// Package workflows holds Snout's deterministic Temporal workflow code and
// its contract with the rest of the product: workflow IDs, signal, update
// and query names, and the JSON inputs and results. The API imports this
// contract to start, signal and query workflows; it never imports the
// activities.
package contract

import (
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/temporal"
)

// DefaultTaskQueue is the task queue when SNOUT_TASK_QUEUE is unset.
const DefaultTaskQueue = "snout"

// Search attributes set on every workflow, so operators can filter in the
// Temporal Web UI, e.g. `OrgId = "…"` or `PhoneNumber = "+14155550100"`.
var (
	OrgIDKey       = temporal.NewSearchAttributeKeyKeyword("OrgId")
	PhoneNumberKey = temporal.NewSearchAttributeKeyKeyword("PhoneNumber")
	NumberIDKey    = temporal.NewSearchAttributeKeyKeyword("NumberId")
)

// Workflow ID prefixes. A workflow ID is the idempotency key of the process
// it names: starting a second one with the same ID is rejected.
const (
	inboundPrefix    = "inbound-"
	deliveryPrefix   = "delivery-"
	setupPrefix      = "setup-"
	quarantinePrefix = "quarantine-"
	windowPrefix     = "window-"
)

// InboundWorkflowID names the processing of one inbound text.
func InboundWorkflowID(messageSID string) string { return inboundPrefix + messageSID }

// DeliveryWorkflowID names the delivery of one outbound message.
func DeliveryWorkflowID(messageID uuid.UUID) string { return deliveryPrefix + messageID.String() }

// SetupWorkflowID names an org's setup wizard session.
func SetupWorkflowID(orgID uuid.UUID) string { return setupPrefix + orgID.String() }

// QuarantineWorkflowID names a number's quarantine.
func QuarantineWorkflowID(numberID uuid.UUID) string { return quarantinePrefix + numberID.String() }

// WindowWorkflowID names an assignment window's lifetime.
func WindowWorkflowID(windowID uuid.UUID) string { return windowPrefix + windowID.String() }

// ParseInboundWorkflowID returns the MessageSid in an inbound workflow ID.
func ParseInboundWorkflowID(id string) (string, error) {
	sid, ok := strings.CutPrefix(id, inboundPrefix)
	if !ok || sid == "" {
		return "", fmt.Errorf("%q is not an inbound workflow ID", id)
	}
	return sid, nil
}

// ParseDeliveryWorkflowID returns the message ID in a delivery workflow ID.
func ParseDeliveryWorkflowID(id string) (uuid.UUID, error) { return parseUUID(id, deliveryPrefix) }

// ParseSetupWorkflowID returns the org ID in a setup workflow ID.
func ParseSetupWorkflowID(id string) (uuid.UUID, error) { return parseUUID(id, setupPrefix) }

// ParseQuarantineWorkflowID returns the number ID in a quarantine workflow ID.
func ParseQuarantineWorkflowID(id string) (uuid.UUID, error) { return parseUUID(id, quarantinePrefix) }

// ParseWindowWorkflowID returns the window ID in a window workflow ID.
func ParseWindowWorkflowID(id string) (uuid.UUID, error) { return parseUUID(id, windowPrefix) }

func parseUUID(id, prefix string) (uuid.UUID, error) {
	rest, ok := strings.CutPrefix(id, prefix)
	if !ok {
		return uuid.Nil, fmt.Errorf("%q does not start with %q", id, prefix)
	}
	return uuid.Parse(rest)
}

// ---- Inbound message ----

// InboundInput starts InboundWorkflow. The webhook's payload stays in the
// receipt row; the workflow gets its ID.
type InboundInput struct {
	OrgID      uuid.UUID `json:"orgId"`
	ReceiptID  uuid.UUID `json:"receiptId"`
	MessageSID string    `json:"messageSid"`
}

// InboundResult says where the text landed.
type InboundResult struct {
	MessageID uuid.UUID `json:"messageId"`
	ThreadID  uuid.UUID `json:"threadId"`
	// Keyword is "opt_out", "opt_in", "help" or "none".
	Keyword string `json:"keyword"`
	// Target is "owner_inbox" or "sitter".
	Target   string     `json:"target"`
	SitterID *uuid.UUID `json:"sitterId,omitempty"`
}

// ---- Message delivery ----

// Delivery signals, updates and queries.
const (
	// SignalDeliveryStatus carries a provider status callback (StatusSignal).
	SignalDeliveryStatus = "delivery-status"
	// SignalDeliveryRetry asks a dead-lettered delivery to send again
	// (RetrySignal). Kept for executions started before the updates below;
	// new callers use UpdateDeadLetterRetry.
	SignalDeliveryRetry = "delivery-retry"
	// SignalDeliveryDiscard gives up on a dead-lettered delivery
	// (DiscardSignal). Kept like SignalDeliveryRetry; new callers use
	// UpdateDeadLetterDiscard.
	SignalDeliveryDiscard = "delivery-discard"
	// UpdateDeadLetterRetry sends a dead-lettered message again (argument
	// RetrySignal, answer DeadLetterAnswer). It answers once the message is
	// out of the dead-letter list and its new attempt is on its way.
	UpdateDeadLetterRetry = "dead-letter-retry"
	// UpdateDeadLetterDiscard gives up on a dead-lettered message (argument
	// DiscardSignal, answer DeadLetterAnswer). It answers once the message
	// is discarded.
	UpdateDeadLetterDiscard = "dead-letter-discard"
	// QueryDeliveryState returns DeliveryState.
	QueryDeliveryState = "delivery-state"
)

// Refusals of the dead-letter updates: the type of the ApplicationError
// the update fails with. Its message says why in words an owner reads.
const (
	// DeadLetterErrNotDeadLettered: the message is being sent, was
	// delivered, was discarded or expired.
	DeadLetterErrNotDeadLettered = "NotDeadLettered"
	// DeadLetterErrAlreadyDecided: someone else's retry or discard of the
	// same dead letter came first (two crossed clicks).
	DeadLetterErrAlreadyDecided = "DeadLetterAlreadyDecided"
)

// Dead-letter answers (DeadLetterAnswer.Outcome).
const (
	DeadLetterRetrying  = "retrying"
	DeadLetterDiscarded = "discarded"
)

// DeliveryInput starts DeliveryWorkflow for a message already stored with
// status "pending".
type DeliveryInput struct {
	OrgID     uuid.UUID `json:"orgId"`
	MessageID uuid.UUID `json:"messageId"`
}

// StatusSignal is one provider status callback.
type StatusSignal struct {
	MessageSID string    `json:"messageSid"`
	Status     string    `json:"status"`
	ErrorCode  int       `json:"errorCode,omitempty"`
	ReceivedAt time.Time `json:"receivedAt"`
	ReceiptID  uuid.UUID `json:"receiptId"`
}

// RetrySignal is an owner's "retry" on a dead letter: the argument of
// UpdateDeadLetterRetry (and of the older SignalDeliveryRetry).
type RetrySignal struct {
	UserID        uuid.UUID `json:"userId"`
	CorrelationID string    `json:"correlationId"`
}

// DiscardSignal is an owner's "discard" on a dead letter: the argument of
// UpdateDeadLetterDiscard (and of the older SignalDeliveryDiscard).
type DiscardSignal struct {
	UserID        uuid.UUID `json:"userId"`
	Reason        string    `json:"reason"`
	CorrelationID string    `json:"correlationId"`
}

// DeadLetterAnswer is the delivery workflow's answer to a retry or discard.
type DeadLetterAnswer struct {
	// Outcome is DeadLetterRetrying or DeadLetterDiscarded.
	Outcome string `json:"outcome"`
	// Attempt is the number of the attempt a retry starts.
	Attempt int           `json:"attempt,omitempty"`
	State   DeliveryState `json:"state"`
}

// DeliveryState is what QueryDeliveryState returns.
type DeliveryState struct {
	Status       string `json:"status"`
	Attempts     int    `json:"attempts"`
	ProviderSID  string `json:"providerSid,omitempty"`
	ErrorCode    int    `json:"errorCode,omitempty"`
	ErrorMessage string `json:"errorMessage,omitempty"`
	DeadLettered bool   `json:"deadLettered"`
	// DeadLetterExpiresAt is when an untouched dead letter is discarded
	// on its own (set while it waits, by executions that expire).
	DeadLetterExpiresAt *time.Time `json:"deadLetterExpiresAt,omitempty"`
}

// deliveryOrder ranks the statuses of an outbound attempt: "pending"
// (stored, not yet accepted by the provider) and Twilio's outbound
// statuses (TWILIO.md §3.5). A status only moves forward; callbacks arrive
// late, twice and out of order, so a lower or equal rank changes nothing.
//
//   - Rank 5 is final for an attempt: delivered, or one of the three ways
//     of not being delivered (undelivered, failed, canceled for a
//     scheduled text). Only a retry, a new attempt, moves on from one.
//   - read (a WhatsApp/RCS read receipt) ranks above them all: it is final
//     too, and proves delivery even after a wrong negative report.
//
// This is the only ranking in Go; the SQL function delivery_status_rank
// mirrors it, and a store test proves the two agree for every status here.
var deliveryOrder = [...][]string{
	{"pending"},
	{"accepted", "scheduled"},
	{"queued"},
	{"sending"},
	{"sent"},
	{"delivered", "undelivered", "failed", "canceled"},
	{"read"},
}

// finalRank is the rank from which an attempt can move no further.
const finalRank = 5

var statusRank = func() map[string]int {
	m := map[string]int{}
	for rank, statuses := range deliveryOrder {
		for _, s := range statuses {
			m[s] = rank
		}
	}
	return m
}()

// DeliveryStatuses lists every ranked status, lowest rank first.
func DeliveryStatuses() []string {
	var out []string
	for _, statuses := range deliveryOrder {
		out = append(out, statuses...)
	}
	return out
}

// StatusRank orders delivery statuses; unknown statuses (inbound ones,
// "blocked", "discarded", Twilio's deprecated "partially_delivered") rank -1.
func StatusRank(status string) int {
	if r, ok := statusRank[status]; ok {
		return r
	}
	return -1
}

// IsFinalStatus reports whether an attempt in status can move no further.
func IsFinalStatus(status string) bool { return StatusRank(status) >= finalRank }
