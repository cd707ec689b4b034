package steps

import (
	"time"

	"github.com/google/uuid"

	"github.com/snoutos/snout/contract"
)

// ErrTypeNoReplacement: no number can take the quarantined number's threads.
const ErrTypeNoReplacement = contract.QuarantineErrNoReplacement

// QuarantineNoticeBatch is how many client notices one
// QuarantineSendNotices run prepares and starts.
const QuarantineNoticeBatch = 100

// QuarantineBeginInput marks a number quarantined.
type QuarantineBeginInput struct {
	OrgID               uuid.UUID  `json:"orgId"`
	QuarantineID        uuid.UUID  `json:"quarantineId"`
	NumberID            uuid.UUID  `json:"numberId"`
	ReplacementNumberID *uuid.UUID `json:"replacementNumberId,omitempty"`
	// Avoid: numbers no thread may move to (others quarantined with it).
	Avoid          []uuid.UUID `json:"avoid,omitempty"`
	EndAction      string      `json:"endAction"`
	NotifyClients  bool        `json:"notifyClients"`
	Reason         string      `json:"reason,omitempty"`
	StartedAt      time.Time   `json:"startedAt"`
	CooldownEndsAt time.Time   `json:"cooldownEndsAt"`
	ActorUserID    uuid.UUID   `json:"actorUserId"`
}

// QuarantineBeginResult names where the threads go.
type QuarantineBeginResult struct {
	ReplacementNumberID uuid.UUID `json:"replacementNumberId"`
	ReplacementE164     string    `json:"replacementE164"`
	// Targets are the numbers threads may move to, best first (the
	// replacement, then other candidates for clients who already have a
	// thread on the replacement).
	Targets []uuid.UUID `json:"targets"`
}

// QuarantineMoveThreadsInput moves the threads off a quarantined number.
type QuarantineMoveThreadsInput struct {
	OrgID        uuid.UUID   `json:"orgId"`
	QuarantineID uuid.UUID   `json:"quarantineId"`
	NumberID     uuid.UUID   `json:"numberId"`
	Targets      []uuid.UUID `json:"targets"`
}

// QuarantineMoveThreadsResult lists every move of the quarantine.
type QuarantineMoveThreadsResult struct {
	Moves []contract.QuarantineMove `json:"moves"`
	Stuck []uuid.UUID               `json:"stuck,omitempty"`
}

// QuarantineNoticeInput asks for the text telling one client
// their conversation moved to a new number.
type QuarantineNoticeInput struct {
	OrgID          uuid.UUID `json:"orgId"`
	QuarantineID   uuid.UUID `json:"quarantineId"`
	ThreadID       uuid.UUID `json:"threadId"`
	OldE164        string    `json:"oldE164"`
	CooldownEndsAt time.Time `json:"cooldownEndsAt"`
}

// QuarantineNoticeResult names the stored message, or why none.
type QuarantineNoticeResult struct {
	MessageID uuid.UUID `json:"messageId"`
	Skipped   bool      `json:"skipped"`
	Reason    string    `json:"reason,omitempty"`
}

// QuarantineFinishInput ends a quarantine.
type QuarantineFinishInput struct {
	OrgID        uuid.UUID `json:"orgId"`
	QuarantineID uuid.UUID `json:"quarantineId"`
	NumberID     uuid.UUID `json:"numberId"`
	Outcome      string    `json:"outcome"` // restored, returned_to_pool, released
	ActorUserID  uuid.UUID `json:"actorUserId,omitempty"`
	Reason       string    `json:"reason,omitempty"`
}

// QuarantineReleaseFailedInput reports a release the provider refused.
type QuarantineReleaseFailedInput struct {
	OrgID        uuid.UUID `json:"orgId"`
	QuarantineID uuid.UUID `json:"quarantineId"`
	NumberID     uuid.UUID `json:"numberId"`
	PhoneNumber  string    `json:"phoneNumber"`
	Reason       string    `json:"reason"`
}

// QuarantineSendNoticesInput asks for the notices of a batch of moved
// threads: each is stored (as QuarantinePrepareNotice does) and its
// DeliveryWorkflow started, so that the quarantine's history grows by one
// activity per batch instead of an activity and a child per thread.
type QuarantineSendNoticesInput struct {
	OrgID          uuid.UUID   `json:"orgId"`
	QuarantineID   uuid.UUID   `json:"quarantineId"`
	ThreadIDs      []uuid.UUID `json:"threadIds"`
	OldE164        string      `json:"oldE164"`
	CooldownEndsAt time.Time   `json:"cooldownEndsAt"`
}

// QuarantineSendNoticesResult counts what happened to the batch: Notified
// clients have a delivery on its way; Skipped ones are not texted (opted
// out, or the notice could not be prepared).
type QuarantineSendNoticesResult struct {
	Notified int `json:"notified"`
	Skipped  int `json:"skipped"`
}
