package messaging

import (
	"context"

	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/platform/obs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
)

// DiscardDeadLetter asks a dead-lettered message's delivery workflow to
// give up on it, with the owner's optional reason, and returns once the
// workflow has marked it discarded and resolved its alert; the message
// returned is as it was when asked. Refusals are as for RetryDeadLetter.
func (s *Service) DiscardDeadLetter(ctx context.Context, a service.Actor, messageID uuid.UUID, reason string) (*store.Message, error) {
	reason, err := reviewReason(reason)
	if err != nil {
		return nil, err
	}
	m, err := s.deadLetter(ctx, a, messageID)
	if err != nil {
		return nil, err
	}
	if _, err := AskDiscard(ctx, s.temporal, m.ID, a.UserID, reason, obs.CorrelationID(ctx)); err != nil {
		return nil, err
	}
	s.audit.Record(ctx, a, service.Event{Action: "dead_letter.discard_requested", EntityType: "message", EntityID: m.ID.String(),
		Detail: map[string]any{"threadId": m.ThreadID.String(), "reason": reason}})
	return m, nil
}
