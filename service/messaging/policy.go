package messaging

import (
	"context"
	"errors"
	"strings"

	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/domain/sendability"
	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
)

// ViolationQuery narrows the policy-violation list.
type ViolationQuery struct {
	// Status is "" (any), open, dismissed or overridden.
	Status string
	// SitterID and ThreadID, when set, must name a sitter or a
	// conversation of the caller's org.
	SitterID, ThreadID *uuid.UUID
	After              *store.PageCursor
	Limit              int
}

// PolicyViolations lists violations for review, newest first.
func (s *Service) PolicyViolations(ctx context.Context, a service.Actor, q ViolationQuery) (Page[store.ViolationRow], error) {
	switch q.Status {
	case "", store.ViolationOpen, store.ViolationDismissed, store.ViolationOverridden:
	default:
		return Page[store.ViolationRow]{}, errs.InvalidField("status", "Use open, dismissed or overridden.")
	}
	org := s.store.Org(a.OrgID)
	if q.SitterID != nil {
		if _, err := org.Sitter(ctx, *q.SitterID); err != nil {
			return Page[store.ViolationRow]{}, service.NotFoundOr(err, "This sitter")
		}
	}
	if q.ThreadID != nil {
		if _, err := org.Conversation(ctx, *q.ThreadID); err != nil {
			return Page[store.ViolationRow]{}, service.NotFoundOr(err, "This conversation")
		}
	}
	rows, err := org.PolicyViolations(ctx, store.ViolationFilter{Status: q.Status, SitterID: q.SitterID, ThreadID: q.ThreadID, After: q.After}, q.Limit+1)
	if err != nil {
		return Page[store.ViolationRow]{}, err
	}
	return pageOf(rows, q.Limit, func(r store.ViolationRow) store.PageCursor { return store.PageCursor{At: r.CreatedAt, ID: r.ID} }), nil
}

// PolicyViolation loads one violation. The blocked message's full text is
// the owner's to read (they alone review it); an admin gets the redacted
// excerpts only.
func (s *Service) PolicyViolation(ctx context.Context, a service.Actor, id uuid.UUID) (*store.ViolationRow, error) {
	v, err := s.store.Org(a.OrgID).PolicyViolationDetail(ctx, id)
	if err != nil {
		return nil, service.NotFoundOr(err, "This policy violation")
	}
	if !a.IsOwner() {
		v.MessageBody = ""
	}
	return v, nil
}

// DismissViolation closes an open violation without sending its message;
// the reason is optional.
func (s *Service) DismissViolation(ctx context.Context, a service.Actor, id uuid.UUID, reason string) (*store.ViolationRow, error) {
	reason, err := reviewReason(reason)
	if err != nil {
		return nil, err
	}
	org := s.store.Org(a.OrgID)
	v, err := org.ReviewViolation(ctx, id, store.ViolationDismissed, a.UserID, reason, s.now())
	if err != nil {
		return nil, reviewRefusal(err)
	}
	s.audit.Record(ctx, a, reviewed("policy_violation.dismissed", v, reason))
	return org.PolicyViolationDetail(ctx, v.ID)
}

// OverrideViolation sends a blocked message anyway, on the owner's word
// and with their reason. It refuses before releasing the message when the
// text could not be sent anyway (the client opted out meanwhile…), and
// puts the violation back when delivery cannot start.
func (s *Service) OverrideViolation(ctx context.Context, a service.Actor, id uuid.UUID, reason string) (*store.ViolationRow, error) {
	reason, err := reviewReason(reason)
	if err != nil {
		return nil, err
	}
	if reason == "" {
		return nil, errs.InvalidField("reason", "Say why this message may be sent anyway.")
	}
	org := s.store.Org(a.OrgID)
	row, err := org.PolicyViolationDetail(ctx, id)
	if err != nil {
		return nil, service.NotFoundOr(err, "This policy violation")
	}
	conv, err := org.Conversation(ctx, row.ThreadID)
	if err != nil {
		return nil, err
	}
	if err := sendability.Check(conv.Recipient(), conv.BusinessNumber()); err != nil {
		return nil, err
	}
	v, err := org.ReviewViolation(ctx, id, store.ViolationOverridden, a.UserID, reason, s.now())
	if err != nil {
		return nil, reviewRefusal(err)
	}
	if err := s.startDelivery(ctx, a.OrgID, v.MessageID); err != nil {
		if undoErr := org.ReopenViolation(context.WithoutCancel(ctx), v.ID); undoErr != nil {
			s.log.ErrorContext(ctx, "reopening a violation after a failed override failed", "violationId", v.ID, "err", undoErr)
		}
		return nil, err
	}
	s.audit.Record(ctx, a, reviewed("policy_violation.overridden", v, reason))
	return org.PolicyViolationDetail(ctx, v.ID)
}

// maxReasonRunes bounds the reason an owner gives for a review or a discard.
const maxReasonRunes = 1000

// reviewReason is an owner's reason, trimmed; it may be empty.
func reviewReason(raw string) (string, error) {
	reason := strings.TrimSpace(raw)
	if len([]rune(reason)) > maxReasonRunes {
		return "", errs.InvalidField("reason", "Keep the reason under 1,000 characters.")
	}
	return reason, nil
}

func reviewRefusal(err error) error {
	if errors.Is(err, store.ErrConflict) {
		return errs.Conflict("", "This policy violation was already reviewed.")
	}
	return service.NotFoundOr(err, "This policy violation")
}

func reviewed(action string, v *store.PolicyViolation, reason string) service.Event {
	return service.Event{Action: action, EntityType: "policy_violation", EntityID: v.ID.String(), Detail: map[string]any{
		"reason": reason, "messageId": v.MessageID.String(), "threadId": v.ThreadID.String(),
	}}
}
