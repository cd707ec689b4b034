package messaging

import (
	"context"

	"github.com/google/uuid"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/platform/obs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
)

// DiscardDeadLetter asks a dead-lettered message's delivery workflow to
// give up on it, with the owner's optional reason. The workflow marks it
// discarded and resolves its alert; the message returned is as it was
// when asked.
func (s *Service) DiscardDeadLetter(ctx context.Context, a service.Actor, messageID uuid.UUID, reason string) (*store.Message, error) {
	reason, err := reviewReason(reason)
	if err != nil {
		return nil, err
	}
	m, err := s.deadLetter(ctx, a, messageID)
	if err != nil {
		return nil, err
	}
	if err := s.signalDelivery(ctx, m.ID, contract.SignalDeliveryDiscard,
		contract.DiscardSignal{UserID: a.UserID, Reason: reason, CorrelationID: obs.CorrelationID(ctx)}); err != nil {
		return nil, err
	}
	s.audit.Record(ctx, a, service.Event{Action: "dead_letter.discard_requested", EntityType: "message", EntityID: m.ID.String(),
		Detail: map[string]any{"threadId": m.ThreadID.String(), "reason": reason}})
	return m, nil
}
