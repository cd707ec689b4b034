package steps

import (
	"time"

	"github.com/google/uuid"
)

// UndispatchedReceiptsInput bounds one sweep.
type UndispatchedReceiptsInput struct {
	// MinAge leaves alone receipts younger than this: their webhook
	// handler may still be starting the workflow.
	MinAge time.Duration `json:"minAge"`
	Limit  int           `json:"limit"`
}

// UndispatchedReceipt is a webhook whose workflow was never started or
// signalled, with what the sweep needs to do it.
type UndispatchedReceipt struct {
	ReceiptID     uuid.UUID `json:"receiptId"`
	OrgID         uuid.UUID `json:"orgId"`
	Kind          string    `json:"kind"` // sms or status
	MessageSID    string    `json:"messageSid"`
	CorrelationID string    `json:"correlationId"`
	ReceivedAt    time.Time `json:"receivedAt"`
	// Status callbacks only: the reported status and error code, and the
	// outbound message the SID belongs to (nil when no attempt has it).
	Status    string     `json:"status,omitempty"`
	ErrorCode int        `json:"errorCode,omitempty"`
	MessageID *uuid.UUID `json:"messageId,omitempty"`
}

// ApplyStatusResult says what a status callback changed.
type ApplyStatusResult struct {
	MessageID uuid.UUID `json:"messageId"`
	Changed   bool      `json:"changed"`
	// Unknown is true when no outbound attempt has the SID.
	Unknown bool `json:"unknown"`
}
