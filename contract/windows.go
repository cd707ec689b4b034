package contract

import (
	"time"

	"github.com/google/uuid"
)

// ---- Assignment windows (one workflow per window, WindowWorkflowID) ----
//
// WindowWorkflow runs one assignment window: at its start it activates
// the sitter's access (the stored status becomes active) and, if asked,
// texts the client who is caring for them; at its end it deactivates the
// access (ended). Edits (times, sitter, note) arrive as the edit update and
// move its timers; the cancel update ends it early. The stored status is
// written only by the workflow's activities, so it always says what the
// workflow did.

// WindowWorkflowName is the registered type name of WindowWorkflow.
const WindowWorkflowName = "WindowWorkflow"

// Window updates and queries.
const (
	// UpdateWindowSettled answers with the WindowState once the workflow
	// has taken its first step (activated a window whose start has passed,
	// or armed the start timer). Sent with the start (update-with-start).
	UpdateWindowSettled = "window-settled"
	// UpdateWindowEdit changes the window's times, sitter or note
	// (argument WindowEdit, answer WindowState). The validator refuses an
	// edit of a finished window or an impossible one; an overlap with
	// another window of the client is refused by the database (error type
	// WindowErrOverlap).
	UpdateWindowEdit = "window-edit"
	// UpdateWindowCancel ends the window now (argument WindowCancel,
	// answer WindowState).
	UpdateWindowCancel = "window-cancel"
	// QueryWindowState returns WindowState.
	QueryWindowState = "state"
)

// Window phases: the same words as the assignment_windows.status column.
const (
	WindowPhaseScheduled = "scheduled"
	WindowPhaseActive    = "active"
	WindowPhaseEnded     = "ended"
	WindowPhaseCancelled = "cancelled"
)

// Refusals of the window updates: the ApplicationError type.
const (
	// WindowErrFinished: the window has ended or was cancelled.
	WindowErrFinished = "WindowFinished"
	// WindowErrInvalidEdit: the edit is impossible (ends before it starts,
	// moves the start of a running window into the future).
	WindowErrInvalidEdit = "InvalidWindowEdit"
	// WindowErrOverlap: the client has another window for part of the new
	// time.
	WindowErrOverlap = "WindowOverlap"
)

// WindowInput starts WindowWorkflow.
type WindowInput struct {
	OrgID    uuid.UUID `json:"orgId"`
	WindowID uuid.UUID `json:"windowId"`
	SitterID uuid.UUID `json:"sitterId"`
	ClientID uuid.UUID `json:"clientId"`
	StartsAt time.Time `json:"startsAt"`
	EndsAt   time.Time `json:"endsAt"`
	// NotifyClient texts the client, when the window starts, who is
	// caring for them and which number to text.
	NotifyClient bool      `json:"notifyClient"`
	ActorUserID  uuid.UUID `json:"actorUserId"`
}

// WindowEdit is an edit of a window: the whole new shape.
type WindowEdit struct {
	SitterID uuid.UUID `json:"sitterId"`
	StartsAt time.Time `json:"startsAt"`
	EndsAt   time.Time `json:"endsAt"`
	Note     string    `json:"note"`
	// NotifyClient texts the client again when a running window changes
	// sitter.
	NotifyClient bool      `json:"notifyClient"`
	UserID       uuid.UUID `json:"userId"`
}

// WindowCancel is an operator's cancel.
type WindowCancel struct {
	UserID uuid.UUID `json:"userId"`
	Reason string    `json:"reason,omitempty"`
}

// WindowState is what the workflow knows of its window.
type WindowState struct {
	WindowID uuid.UUID `json:"windowId"`
	Phase    string    `json:"phase"`
	SitterID uuid.UUID `json:"sitterId"`
	StartsAt time.Time `json:"startsAt"`
	EndsAt   time.Time `json:"endsAt"`
	// Notified counts reassignment texts handed to delivery.
	Notified int `json:"notified"`
	// Edits counts accepted edits.
	Edits int `json:"edits"`
}

// WindowResult is the workflow's result.
type WindowResult struct {
	Outcome    string    `json:"outcome"` // ended or cancelled
	FinishedAt time.Time `json:"finishedAt"`
	Notified   int       `json:"notified"`
}

// ---- The window sweep (a Temporal Schedule, WindowSweepScheduleID) ----
//
// WindowSweepWorkflow starts the workflow of every window that has not
// finished and has none running (stored while Temporal was unreachable,
// lost by Temporal, seeded): one activity, the same start the API uses.

// WindowSweepWorkflowName is the registered type name of
// WindowSweepWorkflow.
const WindowSweepWorkflowName = "WindowSweepWorkflow"

// WindowSweepScheduleID is the Temporal Schedule that runs the sweep.
const WindowSweepScheduleID = "window-sweep"

// WindowSweepInput bounds one sweep.
type WindowSweepInput struct {
	// MinAge leaves alone windows younger than this (their creator is
	// starting their workflow).
	MinAge time.Duration `json:"minAge"`
	// Limit is the most windows per org one run looks at (default 500).
	Limit int `json:"limit"`
}

// WindowSweepResult counts what one sweep did.
type WindowSweepResult struct {
	Open    int `json:"open"`
	Started int `json:"started"`
	Running int `json:"running"`
	Failed  int `json:"failed"`
}
