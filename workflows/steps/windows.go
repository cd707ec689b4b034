package steps

import (
	"time"

	"github.com/google/uuid"
)

// WindowStatusInput moves a window's stored status: WindowActivate to
// active (from scheduled), WindowFinish to ended or cancelled. Both audit
// once (keyed on the window and the status).
type WindowStatusInput struct {
	OrgID    uuid.UUID `json:"orgId"`
	WindowID uuid.UUID `json:"windowId"`
	Status   string    `json:"status"`
	// ActorUserID is the operator who cancelled; nil for the clock.
	ActorUserID uuid.UUID `json:"actorUserId,omitempty"`
	Reason      string    `json:"reason,omitempty"`
}

// WindowApplyEditInput writes an accepted edit; Seq (the edit's number in
// the workflow) keys its audit event.
type WindowApplyEditInput struct {
	OrgID       uuid.UUID `json:"orgId"`
	WindowID    uuid.UUID `json:"windowId"`
	SitterID    uuid.UUID `json:"sitterId"`
	StartsAt    time.Time `json:"startsAt"`
	EndsAt      time.Time `json:"endsAt"`
	Note        string    `json:"note"`
	ActorUserID uuid.UUID `json:"actorUserId"`
	Seq         int       `json:"seq"`
}

// WindowNotifyInput texts a window's client who is caring for them. Key
// makes the message ID (the same on every retry).
type WindowNotifyInput struct {
	OrgID    uuid.UUID `json:"orgId"`
	WindowID uuid.UUID `json:"windowId"`
	SitterID uuid.UUID `json:"sitterId"`
	ClientID uuid.UUID `json:"clientId"`
	StartsAt time.Time `json:"startsAt"`
	EndsAt   time.Time `json:"endsAt"`
	Key      string    `json:"key"`
}

// WindowNotifyResult names the message handed to delivery, or why none.
type WindowNotifyResult struct {
	MessageID uuid.UUID `json:"messageId"`
	Skipped   bool      `json:"skipped"`
	Reason    string    `json:"reason,omitempty"`
}
