package messaging

import (
	"context"

	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/platform/obs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
)

// RetryDeadLetter asks a dead-lettered message's delivery workflow to send
// it again (a new round, first attempt "manual") and returns once the
// workflow has taken it out of the dead-letter list; the message returned
// is as it was when asked. A click that crossed another retry or discard
// is a conflict with the workflow's reason.
func (s *Service) RetryDeadLetter(ctx context.Context, a service.Actor, messageID uuid.UUID) (*store.Message, error) {
	m, err := s.deadLetter(ctx, a, messageID)
	if err != nil {
		return nil, err
	}
	if _, err := AskRetry(ctx, s.temporal, m.ID, a.UserID, obs.CorrelationID(ctx)); err != nil {
		return nil, err
	}
	s.audit.Record(ctx, a, service.Event{Action: "dead_letter.retry_requested", EntityType: "message", EntityID: m.ID.String(),
		Detail: map[string]any{"threadId": m.ThreadID.String(), "attempts": m.Attempts}})
	return m, nil
}
