package messaging

import (
	"context"

	"github.com/google/uuid"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/platform/obs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
)

// RetryDeadLetter asks a dead-lettered message's delivery workflow to send
// it again (a new round, first attempt "manual"). The workflow sends it;
// the message returned is as it was when asked.
func (s *Service) RetryDeadLetter(ctx context.Context, a service.Actor, messageID uuid.UUID) (*store.Message, error) {
	m, err := s.deadLetter(ctx, a, messageID)
	if err != nil {
		return nil, err
	}
	if err := s.signalDelivery(ctx, m.ID, contract.SignalDeliveryRetry,
		contract.RetrySignal{UserID: a.UserID, CorrelationID: obs.CorrelationID(ctx)}); err != nil {
		return nil, err
	}
	s.audit.Record(ctx, a, service.Event{Action: "dead_letter.retry_requested", EntityType: "message", EntityID: m.ID.String(),
		Detail: map[string]any{"threadId": m.ThreadID.String(), "attempts": m.Attempts}})
	return m, nil
}
