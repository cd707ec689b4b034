package windows

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
)

// ActionCancelActive is the action a confirmToken confirms: cancelling a
// running window.
const ActionCancelActive = "window-cancel-active"

// Change is an edit as the form sends it: every field optional, the
// window's own value where empty.
type Change struct {
	SitterID, StartsAt, EndsAt string
	Note                       *string
	// NotifyClient texts the client again when a running window changes
	// sitter.
	NotifyClient bool
}

// Edit changes a window's times, sitter or note through its workflow,
// which moves its timers. A finished window cannot change; a running one
// cannot move its start into the future; an overlap with another window
// of the client is refused naming it.
func (s *Service) Edit(ctx context.Context, a service.Actor, id uuid.UUID, c Change) (Window, error) {
	org := s.Store.Org(a.OrgID)
	w, err := org.WindowRowByID(ctx, id)
	if err != nil {
		return Window{}, service.NotFoundOr(err, "The window")
	}
	d := Draft{SitterID: w.SitterID.String(), ClientID: w.ClientID.String(), StartsAt: w.StartsAt.Format(time.RFC3339Nano),
		EndsAt: w.EndsAt.Format(time.RFC3339Nano), Note: w.Note}
	if strings.TrimSpace(c.SitterID) != "" {
		d.SitterID = c.SitterID
	}
	if strings.TrimSpace(c.StartsAt) != "" {
		d.StartsAt = c.StartsAt
	}
	if strings.TrimSpace(c.EndsAt) != "" {
		d.EndsAt = c.EndsAt
	}
	if c.Note != nil {
		d.Note = *c.Note
	}
	in, err := d.parse()
	if err != nil {
		return Window{}, err
	}
	if w.Status == store.WindowEnded || w.Status == store.WindowCancelled {
		return Window{}, errs.Conflict("window_finished", fmt.Sprintf("This window has %s; create a new one instead.", w.Status))
	}
	if in.sitterID != w.SitterID {
		sitter, err := org.Sitter(ctx, in.sitterID)
		if err != nil {
			return Window{}, service.NotFoundOr(err, "The sitter")
		}
		if !sitter.Active {
			return Window{}, errs.InvalidField("sitterId", sitter.Name+" is not an active sitter.")
		}
	}
	if err := s.requireTemporal(); err != nil {
		return Window{}, err
	}
	_, err = s.ask(ctx, inputOf(&w.AssignmentWindow, a.UserID), contract.UpdateWindowEdit, contract.WindowEdit{
		SitterID: in.sitterID, StartsAt: in.startsAt.UTC(), EndsAt: in.endsAt.UTC(), Note: in.note, NotifyClient: c.NotifyClient, UserID: a.UserID,
	})
	if e, ok := errs.As(err); ok && e.Code == "window_overlap" {
		client, cerr := org.ClientByID(ctx, w.ClientID)
		if cerr != nil {
			return Window{}, cerr
		}
		return Window{}, s.overlap(ctx, org, client, in.startsAt, in.endsAt, w.ID)
	}
	if err != nil {
		return Window{}, err
	}
	return s.Get(ctx, a, id)
}

// Impact is what cancelling a window changes, and for a running window
// the token that confirms it.
type Impact struct {
	Window Window
	// Active: the sitter has access now and loses it on cancel.
	Active  bool
	Threads []store.WindowThreadRef
	Message string
	// Token and ExpiresAt confirm the cancel (running windows only).
	Token     string
	ExpiresAt time.Time
}

// Impact previews cancelling a window.
func (s *Service) Impact(ctx context.Context, a service.Actor, id uuid.UUID) (Impact, error) {
	org := s.Store.Org(a.OrgID)
	w, err := org.WindowRowByID(ctx, id)
	if err != nil {
		return Impact{}, service.NotFoundOr(err, "The window")
	}
	threads, err := org.WindowThreads(ctx, id)
	if err != nil {
		return Impact{}, err
	}
	imp := Impact{Window: of(*w), Threads: threads}
	switch w.Status {
	case store.WindowActive:
		imp.Active = true
		unread := 0
		for _, t := range threads {
			unread += t.Unread
		}
		imp.Message = fmt.Sprintf("%s loses access to %s's conversations now (%s, %d unread by the sitter); new texts go to the owner inbox.",
			w.SitterName, w.ClientName, plural(len(threads), "conversation"), unread)
		imp.Token, imp.ExpiresAt = s.Confirm.Issue(a, ActionCancelActive, []uuid.UUID{id})
	case store.WindowScheduled:
		imp.Message = fmt.Sprintf("%s will not look after %s from %s; nobody loses access now.", w.SitterName, w.ClientName, s.orgClock(ctx, a.OrgID)(w.StartsAt))
	default:
		imp.Message = "This window has " + w.Status + "; cancelling it changes nothing."
	}
	return imp, nil
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// Conflicts lists double-booked sitters and windows whose sitter is no
// longer active, among windows overlapping [from, to) (default: from now,
// for 30 days).
func (s *Service) Conflicts(ctx context.Context, a service.Actor, r Range) ([]store.WindowConflict, error) {
	from, to := s.Now(), s.Now().Add(30*24*time.Hour)
	if r.From != nil {
		from = *r.From
	}
	if r.To != nil {
		to = *r.To
	}
	if !to.After(from) {
		return nil, errs.InvalidField("to", "The end of the range must be after its start.")
	}
	return s.Store.Org(a.OrgID).WindowConflicts(ctx, from, to)
}

// Range is an optional time range.
type Range struct{ From, To *time.Time }
