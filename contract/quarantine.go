package contract

import (
	"time"

	"github.com/google/uuid"
)

// ---- Number quarantine (one workflow per number, QuarantineWorkflowID) ----
//
// QuarantineWorkflow takes a number out of service: it marks the number
// quarantined, moves its threads to a replacement (recording each move so
// that texts still arriving at the old number reach the moved thread),
// optionally texts the affected clients the new number, waits out the
// cooldown, and then returns the number to the pool or releases it to the
// provider. Updates restore it early or release it now, and answer when
// that is done.

// Workflow type names, as registered on the worker.
const (
	QuarantineWorkflowName    = "QuarantineWorkflow"
	ReleaseNumberWorkflowName = "ReleaseNumberWorkflow"
)

// Quarantine signals, updates and queries.
const (
	// SignalQuarantineRestore ends the cooldown early and puts the number
	// back in service; moved threads stay moved (QuarantineSignal). Kept for
	// executions started before UpdateQuarantineRestore.
	SignalQuarantineRestore = "restore"
	// SignalQuarantineReleaseNow ends the cooldown and releases the number
	// to the provider at once (QuarantineSignal). Kept for executions
	// started before UpdateQuarantineReleaseNow.
	SignalQuarantineReleaseNow = "release-now"
	// UpdateQuarantineStarted answers, once the threads have moved and the
	// cooldown runs, with the QuarantineState (argument
	// QuarantineStartRequest). Sent with the start (update-with-start), it
	// turns "start a quarantine" into one request with one answer; a
	// different quarantine of the same number is refused.
	UpdateQuarantineStarted = "quarantine-started"
	// UpdateQuarantineRestore is SignalQuarantineRestore as a request with
	// an answer (argument QuarantineSignal, answer QuarantineAnswer): it
	// answers when the number is back in service.
	UpdateQuarantineRestore = "quarantine-restore"
	// UpdateQuarantineReleaseNow is SignalQuarantineReleaseNow as a request
	// with an answer (argument QuarantineSignal, answer QuarantineAnswer):
	// it answers when the provider has the number back, or refuses with the
	// provider's reason.
	UpdateQuarantineReleaseNow = "quarantine-release-now"
	// QueryQuarantineImpact returns QuarantineImpact.
	QueryQuarantineImpact = "impact"
	// QueryQuarantineState returns QuarantineState.
	QueryQuarantineState = "state"
)

// Refusals of the quarantine updates and failures of its start: the type
// of the ApplicationError. The message says why in plain words.
const (
	// QuarantineErrOtherQuarantine: the number is already in another
	// quarantine.
	QuarantineErrOtherQuarantine = "AnotherQuarantineRunning"
	// QuarantineErrFinished: the quarantine is finishing or over, so it can
	// no longer be restored or released early.
	QuarantineErrFinished = "QuarantineFinished"
	// QuarantineErrAlreadyRequested: a restore or release-now came first
	// (two crossed clicks).
	QuarantineErrAlreadyRequested = "QuarantineAlreadyRequested"
	// QuarantineErrReleaseRefused: the provider refused to take the number
	// back; it stays in quarantine.
	QuarantineErrReleaseRefused = "QuarantineReleaseRefused"
	// QuarantineErrNotQuarantinable: the number cannot be quarantined
	// (already quarantined, not active).
	QuarantineErrNotQuarantinable = "NumberNotQuarantinable"
	// QuarantineErrInvalidReplacement: the chosen replacement cannot take
	// the threads.
	QuarantineErrInvalidReplacement = "InvalidReplacementNumber"
	// QuarantineErrNoReplacement: no number can take the threads.
	QuarantineErrNoReplacement = "NoReplacementNumber"
)

// What happens when the cooldown ends.
const (
	QuarantineEndReturnToPool = "return_to_pool"
	QuarantineEndRelease      = "release"
)

// Quarantine phases (QuarantineState.Phase).
const (
	QuarantinePhaseStarting    = "starting"
	QuarantinePhaseMoving      = "moving_threads"
	QuarantinePhaseNotifying   = "notifying_clients"
	QuarantinePhaseCoolingDown = "cooling_down"
	QuarantinePhaseFinishing   = "finishing"
	QuarantinePhaseDone        = "done"
)

// Quarantine outcomes (QuarantineResult.Outcome); the same words as the
// quarantines.status column.
const (
	QuarantineOutcomeRestored       = "restored"
	QuarantineOutcomeReturnedToPool = "returned_to_pool"
	QuarantineOutcomeReleased       = "released"
)

// QuarantineInput starts QuarantineWorkflow.
type QuarantineInput struct {
	OrgID        uuid.UUID `json:"orgId"`
	QuarantineID uuid.UUID `json:"quarantineId"`
	NumberID     uuid.UUID `json:"numberId"`
	PhoneNumber  string    `json:"phoneNumber"` // E.164, for logs and the notice
	// ReplacementNumberID takes the threads; nil lets the workflow choose
	// (a healthy active pool number, else the front desk).
	ReplacementNumberID *uuid.UUID `json:"replacementNumberId,omitempty"`
	// Avoid lists numbers threads must not move to (the other numbers of a
	// bulk quarantine).
	Avoid         []uuid.UUID   `json:"avoid,omitempty"`
	NotifyClients bool          `json:"notifyClients"`
	EndAction     string        `json:"endAction"` // return_to_pool or release
	Cooldown      time.Duration `json:"cooldown"`
	Reason        string        `json:"reason,omitempty"`
	ActorUserID   uuid.UUID     `json:"actorUserId"`
}

// QuarantineStartRequest names the quarantine a caller started, so that
// the started update answers for that one only.
type QuarantineStartRequest struct {
	QuarantineID uuid.UUID `json:"quarantineId"`
}

// QuarantineAnswer is the workflow's answer to a restore or release-now.
type QuarantineAnswer struct {
	Outcome string          `json:"outcome"`
	State   QuarantineState `json:"state"`
}

// QuarantineSignal is an operator's restore or release-now: the argument of
// the updates and of the older signals.
type QuarantineSignal struct {
	UserID        uuid.UUID `json:"userId"`
	Reason        string    `json:"reason,omitempty"`
	CorrelationID string    `json:"correlationId"`
}

// QuarantineMove is one thread moved off the number.
type QuarantineMove struct {
	ThreadID   uuid.UUID `json:"threadId"`
	ClientID   uuid.UUID `json:"clientId"`
	ToNumberID uuid.UUID `json:"toNumberId"`
	ToE164     string    `json:"toE164"`
}

// QuarantineImpact is what the quarantine changed.
type QuarantineImpact struct {
	Moves []QuarantineMove `json:"moves"`
	// Stuck lists threads no replacement could take (the client already
	// has a thread on every candidate number); they stay on the number.
	Stuck           []uuid.UUID `json:"stuck,omitempty"`
	ClientsNotified int         `json:"clientsNotified"`
	// NoticesSkipped counts clients not texted (opted out).
	NoticesSkipped int `json:"noticesSkipped"`
}

// QuarantineState is what QueryQuarantineState returns.
type QuarantineState struct {
	Phase          string           `json:"phase"`
	QuarantineID   uuid.UUID        `json:"quarantineId"`
	NumberID       uuid.UUID        `json:"numberId"`
	EndAction      string           `json:"endAction"`
	CooldownEndsAt time.Time        `json:"cooldownEndsAt"`
	Impact         QuarantineImpact `json:"impact"`
	// Requested is "restore" or "release-now" once such a signal arrived.
	Requested string `json:"requested,omitempty"`
	Outcome   string `json:"outcome,omitempty"`
}

// QuarantineResult is the workflow's result.
type QuarantineResult struct {
	Outcome    string           `json:"outcome"`
	Impact     QuarantineImpact `json:"impact"`
	FinishedAt time.Time        `json:"finishedAt"`
}

// ---- Releasing one number (inventory "release") ----

// ReleaseNumberWorkflowID names the release of one number: one at a time.
func ReleaseNumberWorkflowID(numberID uuid.UUID) string { return "release-" + numberID.String() }

// ReleaseNumberInput starts ReleaseNumberWorkflow.
type ReleaseNumberInput struct {
	OrgID       uuid.UUID `json:"orgId"`
	NumberID    uuid.UUID `json:"numberId"`
	ActorUserID uuid.UUID `json:"actorUserId"`
}

// ReleaseNumberResult says whether the provider still had the number.
type ReleaseNumberResult struct {
	ReleasedAtProvider bool `json:"releasedAtProvider"`
}
