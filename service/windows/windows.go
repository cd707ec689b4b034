// Package windows is the application layer of assignment windows: the
// times a sitter looks after a client, which decide what the sitter may
// see and send. List, create, show, edit, cancel (with a confirmation of
// its impact while it runs) and the schedule's conflicts; a client has at
// most one sitter at any instant (the database's exclusion constraint
// holds it, and the refusal here says which window is in the way).
//
// Each window is a workflow (contract.WindowWorkflowID) that activates the
// sitter's access at the start and ends it at the end; edits and cancels
// are its updates. The stored status is written by the workflow only, so
// it says what the workflow did.
package windows

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"go.temporal.io/sdk/client"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/domain/routing"
	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
	"github.com/snoutos/snout/service/confirm"
)

// Service holds the windows' use cases.
type Service struct {
	Store   *store.Store
	Now     func() time.Time
	Auditor service.Auditor
	// Temporal runs the windows' workflows; nil refuses every change as
	// unavailable.
	Temporal  client.Client
	TaskQueue string
	// Confirm signs the confirmation of cancelling a running window.
	Confirm *confirm.Signer
}

// Limits on a window, and the list's page sizes.
const (
	MaxLength       = 366 * 24 * time.Hour
	MaxNoteLength   = 1000
	DefaultPageSize = 100
	MaxPageSize     = 500
)

// Window is a window with its sitter's and client's names. StatusNow is
// its stored status: "scheduled", "active", "ended" or "cancelled", as
// its workflow left it.
type Window struct {
	store.WindowRow
	StatusNow string
}

// At gives rows their stored status (now is unused: the workflow, not the
// clock, moves a window's status).
func At(rows []store.WindowRow, _ time.Time) []Window {
	out := make([]Window, 0, len(rows))
	for _, w := range rows {
		out = append(out, of(w))
	}
	return out
}

func of(w store.WindowRow) Window { return Window{WindowRow: w, StatusNow: w.Status} }

// Query narrows the window list.
type Query struct {
	// SitterID, ClientID: only this sitter's or client's windows; another
	// org's is not found.
	SitterID, ClientID *uuid.UUID
	// From, To: windows overlapping [From, To).
	From, To         *time.Time
	IncludeCancelled bool
	// Status: only windows in this stored status ("scheduled", "active",
	// "ended" or "cancelled"; empty for any).
	Status string
	After  *store.PageCursor
	Limit  int
}

// Page is a page of windows, earliest start first.
type Page struct {
	Windows []Window
	Next    *store.PageCursor
}

// List lists the org's windows.
func (s *Service) List(ctx context.Context, a service.Actor, q Query) (Page, error) {
	switch q.Status {
	case "", store.WindowScheduled, store.WindowActive, store.WindowEnded, store.WindowCancelled:
	default:
		return Page{}, errs.InvalidField("status", "Use scheduled, active, ended or cancelled.")
	}
	org := s.Store.Org(a.OrgID)
	if q.SitterID != nil {
		if _, err := org.Sitter(ctx, *q.SitterID); err != nil {
			return Page{}, service.NotFoundOr(err, "The sitter")
		}
	}
	if q.ClientID != nil {
		if _, err := org.ClientByID(ctx, *q.ClientID); err != nil {
			return Page{}, service.NotFoundOr(err, "The client")
		}
	}
	f := store.WindowFilter{SitterID: q.SitterID, ClientID: q.ClientID, From: q.From, To: q.To, IncludeCancelled: q.IncludeCancelled, Status: q.Status}
	if q.After != nil {
		f.After = &store.WindowCursor{StartsAt: q.After.At, ID: q.After.ID}
	}
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultPageSize
	}
	rows, err := org.FindWindows(ctx, f, limit+1)
	if err != nil {
		return Page{}, err
	}
	rows, next := service.Page(rows, limit, func(w *store.WindowRow) store.PageCursor {
		return store.PageCursor{At: w.StartsAt, ID: w.ID}
	})
	return Page{Windows: At(rows, s.Now()), Next: next}, nil
}

// Get loads one window.
func (s *Service) Get(ctx context.Context, a service.Actor, id uuid.UUID) (Window, error) {
	w, err := s.Store.Org(a.OrgID).WindowRowByID(ctx, id)
	if err != nil {
		return Window{}, service.NotFoundOr(err, "The window")
	}
	return of(*w), nil
}

// Draft is a window as the form sends it: IDs and RFC 3339 times as text.
type Draft struct {
	SitterID, ClientID string
	StartsAt, EndsAt   string
	Note               string
	// NotifyClient texts the client at the start who is caring for them.
	NotifyClient bool
}

// window is a draft that reads well.
type window struct {
	sitterID, clientID uuid.UUID
	startsAt, endsAt   time.Time
	note               string
}

// parse checks every field of a draft at once, so the form can show
// each problem beside its field.
func (d Draft) parse() (window, error) {
	var w window
	fields := map[string]string{}
	var err error
	if w.sitterID, err = uuid.Parse(strings.TrimSpace(d.SitterID)); err != nil {
		fields["sitterId"] = "Choose a sitter."
	}
	if w.clientID, err = uuid.Parse(strings.TrimSpace(d.ClientID)); err != nil {
		fields["clientId"] = "Choose a client."
	}
	if w.startsAt, err = time.Parse(time.RFC3339, strings.TrimSpace(d.StartsAt)); err != nil {
		fields["startsAt"] = "Use an RFC 3339 time such as 2026-11-25T09:00:00Z."
	}
	if w.endsAt, err = time.Parse(time.RFC3339, strings.TrimSpace(d.EndsAt)); err != nil {
		fields["endsAt"] = "Use an RFC 3339 time such as 2026-11-28T18:00:00Z."
	}
	if fields["startsAt"] == "" && fields["endsAt"] == "" {
		switch {
		case !w.endsAt.After(w.startsAt):
			fields["endsAt"] = "The window must end after it starts."
		case w.endsAt.Sub(w.startsAt) > MaxLength:
			fields["endsAt"] = "A window can last at most a year; create another one after it."
		}
	}
	w.note = strings.TrimSpace(d.Note)
	switch {
	case utf8.RuneCountInString(w.note) > MaxNoteLength:
		fields["note"] = fmt.Sprintf("Keep the note to %d characters.", MaxNoteLength)
	case strings.ContainsRune(w.note, 0):
		fields["note"] = "The note contains a character that cannot be saved; use plain text."
	}
	if len(fields) > 0 {
		return window{}, errs.Invalid("", fields)
	}
	return w, nil
}

// Create gives a sitter a client for a time. The sitter and the client
// must be the org's (another org's are not found), the sitter active, and
// the client without another sitter for any part of that time. The window
// is stored as scheduled and its workflow started; the answer comes once
// the workflow has activated it (a start already passed) or armed its
// start.
func (s *Service) Create(ctx context.Context, a service.Actor, d Draft) (Window, error) {
	in, err := d.parse()
	if err != nil {
		return Window{}, err
	}
	if err := s.requireTemporal(); err != nil {
		return Window{}, err
	}
	org := s.Store.Org(a.OrgID)
	sitter, err := org.Sitter(ctx, in.sitterID)
	if err != nil {
		return Window{}, service.NotFoundOr(err, "The sitter")
	}
	client, err := org.ClientByID(ctx, in.clientID)
	if err != nil {
		return Window{}, service.NotFoundOr(err, "The client")
	}
	if !sitter.Active {
		return Window{}, errs.InvalidField("sitterId", sitter.Name+" is not an active sitter.")
	}
	w := &store.AssignmentWindow{ID: store.NewID(), OrgID: a.OrgID, SitterID: in.sitterID, ClientID: in.clientID,
		StartsAt: in.startsAt.UTC(), EndsAt: in.endsAt.UTC(), Note: in.note, Status: store.WindowScheduled,
		NotifyClient: d.NotifyClient}
	if err := org.CreateWindow(ctx, w); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return Window{}, s.overlap(ctx, org, client, in.startsAt, in.endsAt, w.ID)
		}
		return Window{}, err
	}
	if _, err := s.ask(ctx, inputOf(w, a.UserID), contract.UpdateWindowSettled, nil); err != nil {
		// No workflow, no window: nothing would ever activate it.
		if derr := org.DeleteWindow(context.WithoutCancel(ctx), w.ID); derr != nil {
			s.Auditor.Log.ErrorContext(ctx, "window without a workflow not removed", "windowId", w.ID, "err", derr)
		}
		return Window{}, err
	}
	s.record(ctx, a, "window.created", w)
	row, err := org.WindowRowByID(ctx, w.ID)
	if err != nil {
		return Window{}, err
	}
	return of(*row), nil
}

// overlap explains a refused window: which window of the client it would
// overlap.
func (s *Service) overlap(ctx context.Context, org *store.OrgStore, client *store.Client, start, end time.Time, self uuid.UUID) error {
	msg := client.Name + " already has a sitter for part of that time; a client can have only one sitter at a time. Change or cancel the other window first."
	others, _ := org.ClientWindows(ctx, client.ID, start, end)
	for _, o := range others {
		if o.ID == self {
			continue
		}
		if other, err := org.WindowRowByID(ctx, o.ID); err == nil {
			at := s.orgClock(ctx, org.OrgID())
			msg = fmt.Sprintf("%s already has %s from %s to %s (window %s); a client can have only one sitter at a time. Change or cancel that window first.",
				client.Name, other.SitterName, at(other.StartsAt), at(other.EndsAt), other.ID)
		}
		break
	}
	return errs.Conflict("window_overlap", msg)
}

// orgClock writes times as the org's people read them: in its zone
// ("Tue Dec 1, 9:00 AM PST"), UTC if the zone does not load.
func (s *Service) orgClock(ctx context.Context, orgID uuid.UUID) func(time.Time) string {
	loc := time.UTC
	if o, err := s.Store.OrgByID(ctx, orgID); err == nil {
		loc = routing.Location(o.Timezone)
	}
	return func(t time.Time) string { return t.In(loc).Format("Mon Jan 2, 3:04 PM MST") }
}

// Cancel cancels a window that has not ended, through its workflow. The
// sitter loses access to the client's conversations at once, so a running
// window needs the confirmToken of its Impact. Cancelling twice is
// harmless.
func (s *Service) Cancel(ctx context.Context, a service.Actor, id uuid.UUID, token string) (Window, error) {
	org := s.Store.Org(a.OrgID)
	w, err := org.WindowRowByID(ctx, id)
	if err != nil {
		return Window{}, service.NotFoundOr(err, "The window")
	}
	switch w.Status {
	case store.WindowCancelled:
		return of(*w), nil
	case store.WindowEnded:
		return Window{}, errs.Conflict("window_finished", "This window has already ended; there is nothing to cancel.")
	case store.WindowActive:
		if err := s.Confirm.Check(a, ActionCancelActive, []uuid.UUID{id}, token); err != nil {
			return Window{}, err
		}
	}
	if err := s.requireTemporal(); err != nil {
		return Window{}, err
	}
	if _, err := s.ask(ctx, inputOf(&w.AssignmentWindow, a.UserID), contract.UpdateWindowCancel, contract.WindowCancel{UserID: a.UserID}); err != nil {
		return Window{}, err
	}
	return s.Get(ctx, a, id)
}

func (s *Service) record(ctx context.Context, a service.Actor, action string, w *store.AssignmentWindow) {
	s.Auditor.Record(ctx, a, service.Event{Action: action, EntityType: "assignment_window", EntityID: w.ID.String(),
		Detail: map[string]any{"sitterId": w.SitterID, "clientId": w.ClientID, "startsAt": w.StartsAt, "endsAt": w.EndsAt}})
}
