package messaging

import (
	"context"

	"github.com/google/uuid"

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

// DeadLetterExportLimit caps a dead-letter download.
const DeadLetterExportLimit = 10000

// ExportDeadLetters reads the dead-letter list for a download, most
// recently failed first, at most DeadLetterExportLimit of them; truncated
// says that more were left out.
func (s *Service) ExportDeadLetters(ctx context.Context, a service.Actor) (rows []DeadLetter, truncated bool, err error) {
	var after *store.PageCursor
	for {
		page, err := s.DeadLetters(ctx, a, after, min(500, DeadLetterExportLimit-len(rows)))
		if err != nil {
			return nil, false, err
		}
		rows = append(rows, page.Items...)
		if page.Next == nil {
			return rows, false, nil
		}
		if len(rows) >= DeadLetterExportLimit {
			return rows, true, nil
		}
		after = page.Next
	}
}

// deadLetter loads an outbound message of the actor's org that is in the
// dead-letter list: not found otherwise, or a conflict when it has left
// the list (sending again, delivered or discarded). It is also what keeps
// another org's message out of reach: the workflow's updates know no org.
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
