package messaging

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"go.temporal.io/api/serviceerror"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/internal/twilio/provider"
	"github.com/snoutos/snout/service"
)

// DeadLetter is a message that could not be delivered, waiting for the
// owner to retry or discard it.
type DeadLetter struct {
	store.DeadLetter
	// Reason says in plain words why it was not delivered.
	Reason string
}

// DeadLetters lists the dead-letter list, most recently failed first.
func (s *Service) DeadLetters(ctx context.Context, a service.Actor, after *store.PageCursor, limit int) (Page[DeadLetter], error) {
	rows, err := s.store.Org(a.OrgID).DeadLetters(ctx, after, limit+1)
	if err != nil {
		return Page[DeadLetter]{}, err
	}
	out := make([]DeadLetter, 0, len(rows))
	for _, r := range rows {
		reason := r.ErrorMessage
		if reason == "" && r.ErrorCode != nil {
			reason = provider.Explain(*r.ErrorCode)
		}
		out = append(out, DeadLetter{DeadLetter: r, Reason: reason})
	}
	return pageOf(out, limit, func(d DeadLetter) store.PageCursor { return store.PageCursor{At: d.DeadLetteredAt, ID: d.MessageID} }), nil
}

// deadLetter loads an outbound message of the actor's org that is in the
// dead-letter list: not found otherwise, or a conflict when it has left
// the list (sending again, delivered or discarded).
func (s *Service) deadLetter(ctx context.Context, a service.Actor, messageID uuid.UUID) (*store.Message, error) {
	m, err := s.store.Org(a.OrgID).OutboundMessage(ctx, messageID)
	if err != nil {
		return nil, service.NotFoundOr(err, "This message")
	}
	if m.DeadLetteredAt == nil || m.Status == store.StatusDiscarded {
		return nil, errs.Conflict("", "This message isn't in the dead-letter list: it may be sending again, delivered or discarded.")
	}
	return m, nil
}

// signalDelivery hands a signal to the message's delivery workflow. A
// workflow that has finished is a conflict: the delivery cannot change.
func (s *Service) signalDelivery(ctx context.Context, messageID uuid.UUID, signal string, arg any) error {
	unreachable := errs.Unavailable("", "Delivery can't be reached right now. Try again in a minute.", retryIn)
	if s.temporal == nil {
		return unreachable
	}
	err := s.temporal.SignalWorkflow(ctx, contract.DeliveryWorkflowID(messageID), "", signal, arg)
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return errs.Conflict("", "The delivery of this message has already finished, so it can't be changed any more.")
	}
	if err != nil {
		s.log.ErrorContext(ctx, "signalling the delivery workflow failed", "messageId", messageID, "signal", signal, "err", err)
		return unreachable
	}
	return nil
}
