package steps

import (
	"time"

	"github.com/google/uuid"
)

// Delivery failure types: the ApplicationError type of a failed DeliverySend.
// Only DeliveryTransient is retried; the others end the attempt at once.
const (
	// DeliveryTransient: the provider or the network may recover (30003,
	// 20429, a timeout…). Retried with backoff.
	DeliveryTransient = "DeliveryTransient"
	// DeliveryPermanent: the provider refused the text for good (21211,
	// 21610, 30006…).
	DeliveryPermanent = "DeliveryPermanent"
	// DeliveryNeedsFix: the account or its setup must change first (no
	// provider connected, credentials refused, unregistered number…).
	DeliveryNeedsFix = "DeliveryNeedsFix"
	// DeliveryNotSendable: the message may not be sent any more (discarded,
	// blocked, deleted) or the client opted out.
	DeliveryNotSendable = "DeliveryNotSendable"
)

// DeliveryNonRetryable lists the failure types the send's retry policy
// must not retry.
var DeliveryNonRetryable = []string{DeliveryPermanent, DeliveryNeedsFix, DeliveryNotSendable}

// DeliveryFailure is the detail of a failed DeliverySend: which attempt
// failed, the provider's error code (0 if none) and the reason in words an
// owner understands.
type DeliveryFailure struct {
	Attempt int    `json:"attempt"`
	Code    int    `json:"code,omitempty"`
	Reason  string `json:"reason"`
	Type    string `json:"type"`
}

// DeliverySendInput asks for one send of a message. The attempt number is
// FirstAttempt on the activity's first run and one more on each retry, so
// every run records its own message_attempts row.
type DeliverySendInput struct {
	OrgID        uuid.UUID `json:"orgId"`
	MessageID    uuid.UUID `json:"messageId"`
	FirstAttempt int       `json:"firstAttempt"`
	Trigger      string    `json:"trigger"`
}

// DeliverySendResult is an attempt the provider accepted.
type DeliverySendResult struct {
	Attempt     int    `json:"attempt"`
	ProviderSID string `json:"providerSid"`
	Status      string `json:"status"`
	// StatusWait is how long to wait for status callbacks before asking
	// the provider (SNOUT_DELIVERY_STATUS_WAIT of the worker).
	StatusWait time.Duration `json:"statusWait"`
}

// DeliveryStatusInput is one provider status to apply to an attempt.
type DeliveryStatusInput struct {
	OrgID       uuid.UUID `json:"orgId"`
	MessageID   uuid.UUID `json:"messageId"`
	ProviderSID string    `json:"providerSid"`
	Status      string    `json:"status"`
	ErrorCode   int       `json:"errorCode,omitempty"`
	At          time.Time `json:"at"`
}

// DeliveryStatusResult is the status of an attempt after applying (or
// fetching) it. Status is empty when the provider did not know the message.
type DeliveryStatusResult struct {
	Status    string `json:"status"`
	ErrorCode int    `json:"errorCode,omitempty"`
	// Reason explains ErrorCode in plain language.
	Reason string `json:"reason,omitempty"`
	// Retryable: a failed or undelivered status whose code may clear up
	// (30003 unreachable handset…), so a new attempt makes sense.
	Retryable bool `json:"retryable"`
	Changed   bool `json:"changed"`
}

// DeliveryFetchInput names the attempt whose status to ask the provider for.
type DeliveryFetchInput struct {
	OrgID       uuid.UUID `json:"orgId"`
	MessageID   uuid.UUID `json:"messageId"`
	ProviderSID string    `json:"providerSid"`
}

// DeliveryDeadLetterInput reports a delivery that failed for good.
type DeliveryDeadLetterInput struct {
	OrgID     uuid.UUID `json:"orgId"`
	MessageID uuid.UUID `json:"messageId"`
	Attempt   int       `json:"attempt"`
	ErrorCode int       `json:"errorCode,omitempty"`
	Reason    string    `json:"reason"`
	// NeedsFix marks failures of the account or its setup: they stop
	// every text, so the alert is critical.
	NeedsFix bool `json:"needsFix"`
}

// DeliveryDeadLetterResult names the alert raised and how long the dead
// letter waits for the owner.
type DeliveryDeadLetterResult struct {
	AlertID uuid.UUID `json:"alertId"`
	// OpenFor is how long the dead letter stays open before it is
	// discarded on its own (SNOUT_DEAD_LETTER_EXPIRY of the worker).
	OpenFor time.Duration `json:"openFor,omitempty"`
}

// DeliveryResendInput records an owner's retry of a dead letter.
type DeliveryResendInput struct {
	OrgID       uuid.UUID `json:"orgId"`
	MessageID   uuid.UUID `json:"messageId"`
	UserID      uuid.UUID `json:"userId"`
	NextAttempt int       `json:"nextAttempt"`
}

// DeliveryOutcomeInput closes a delivery that had been dead-lettered.
type DeliveryOutcomeInput struct {
	OrgID     uuid.UUID `json:"orgId"`
	MessageID uuid.UUID `json:"messageId"`
	Attempt   int       `json:"attempt"`
	Status    string    `json:"status"`
}

// DeliveryDiscardInput gives up on a dead letter: an owner's decision, or
// (Expired, no UserID) the dead letter's expiry.
type DeliveryDiscardInput struct {
	OrgID     uuid.UUID `json:"orgId"`
	MessageID uuid.UUID `json:"messageId"`
	UserID    uuid.UUID `json:"userId"`
	Reason    string    `json:"reason"`
	Expired   bool      `json:"expired,omitempty"`
}
