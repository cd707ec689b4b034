package messaging

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
)

// sitterInWindow returns the signed-in sitter when they may write in the
// thread now: it is theirs (on their number, or assigned to them) and an
// assignment window with its client is active. A thread that is theirs
// outside a window is refused with the window's times; one that is not
// theirs at all (or not in this org) is not found.
func (s *Service) sitterInWindow(ctx context.Context, org *store.OrgStore, a service.Actor, threadID uuid.UUID) (*store.Sitter, error) {
	sitter, err := org.SitterByUserID(ctx, a.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errs.Forbidden("Your account isn't set up as a sitter in this business.")
	}
	if err != nil {
		return nil, err
	}
	now := s.now()
	_, _, err = org.SitterThread(ctx, sitter.ID, threadID, now)
	if errors.Is(err, store.ErrNotFound) {
		return nil, s.outsideWindow(ctx, org, sitter.ID, threadID, now)
	}
	if err != nil {
		return nil, err
	}
	return sitter, nil
}

// outsideWindow explains why a sitter cannot write in a thread now: the
// nearer of their last window's end and their next window's start.
func (s *Service) outsideWindow(ctx context.Context, org *store.OrgStore, sitterID, threadID uuid.UUID, now time.Time) error {
	t, last, next, err := org.SitterThreadOutsideWindow(ctx, sitterID, threadID, now)
	if err != nil {
		return service.NotFoundOr(err, "This conversation")
	}
	name := "this client"
	if conv, err := org.Conversation(ctx, t.ID); err == nil {
		name = sitterSafeName(conv.Client.Name)
	}
	loc := s.orgLocation(ctx, org.OrgID())
	const rule = " — messages can only be sent during an assignment window."
	const stamp = "Mon Jan 2, 3:04 PM MST"
	if next != nil && (last == nil || next.StartsAt.Sub(now) < now.Sub(last.EndsAt)) {
		return errs.Forbidden(fmt.Sprintf("Your assignment with %s starts at %s%s", name, next.StartsAt.In(loc).Format(stamp), rule))
	}
	return errs.Forbidden(fmt.Sprintf("Your assignment with %s ended at %s%s", name, last.EndsAt.In(loc).Format(stamp), rule))
}

// sitterSafeName is a client's name as words shown to a sitter may carry
// it: a client who is still named after their phone number (an unknown
// sender) is "this client".
func sitterSafeName(name string) string {
	if strings.TrimSpace(name) == "" || strings.ContainsAny(name, "0123456789") {
		return "this client"
	}
	return name
}
