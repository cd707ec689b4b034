package messaging

import (
	"context"

	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/domain/contentpolicy"
	"github.com/snoutos/snout/internal/domain/message"
	"github.com/snoutos/snout/internal/domain/segments"
	"github.com/snoutos/snout/internal/domain/sendability"
	"github.com/snoutos/snout/internal/platform/obs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
)

// ComposeAsStaff sends an owner's or admin's message in a thread: checked,
// stored as pending and handed to its delivery workflow. The message
// returned is pending; delivery goes on in the workflow.
func (s *Service) ComposeAsStaff(ctx context.Context, a service.Actor, threadID uuid.UUID, d Draft) (*store.Message, error) {
	if err := d.check(); err != nil {
		return nil, err
	}
	org := s.store.Org(a.OrgID)
	conv, err := org.Conversation(ctx, threadID)
	if err != nil {
		return nil, service.NotFoundOr(err, "This conversation")
	}
	if err := sendability.Check(conv.Recipient(), conv.BusinessNumber()); err != nil {
		return nil, err
	}
	sender := store.SenderAdmin
	if a.IsOwner() {
		sender = store.SenderOwner
	}
	m := s.newOutbound(ctx, conv, d, sender)
	m.SenderUserID = &a.UserID
	if err := s.storeAndDeliver(ctx, org, m); err != nil {
		return nil, err
	}
	s.audit.Record(ctx, a, composed(m, nil))
	return m, nil
}

// ComposeAsSitter sends a sitter's message in a thread they may write in
// now (an active assignment window), after screening it with the content
// policy. A message the policy stops is kept, blocked, for the owner's
// review, and the sitter is told why.
func (s *Service) ComposeAsSitter(ctx context.Context, a service.Actor, threadID uuid.UUID, d Draft) (*store.Message, error) {
	org := s.store.Org(a.OrgID)
	sitter, err := s.sitterInWindow(ctx, org, a, threadID)
	if err != nil {
		return nil, err
	}
	if err := d.check(); err != nil {
		return nil, err
	}
	conv, err := org.Conversation(ctx, threadID)
	if err != nil {
		return nil, service.NotFoundOr(err, "This conversation")
	}
	conv.Client.Name = sitterSafeName(conv.Client.Name)
	if err := sendability.Check(conv.Recipient(), conv.BusinessNumber()); err != nil {
		return nil, err
	}
	m := s.newOutbound(ctx, conv, d, store.SenderSitter)
	m.SenderUserID, m.SenderSitterID = &a.UserID, &sitter.ID
	if screen := contentpolicy.Screen(d.Body); screen.Blocked() {
		return nil, s.holdForReview(ctx, a, org, m, sitter.ID, screen)
	}
	if err := s.storeAndDeliver(ctx, org, m); err != nil {
		return nil, err
	}
	s.audit.Record(ctx, a, composed(m, &sitter.ID))
	return m, nil
}

// composed is the audit event of a message handed to delivery.
func composed(m *store.Message, sitterID *uuid.UUID) service.Event {
	detail := map[string]any{"threadId": m.ThreadID.String(), "senderType": m.SenderType, "segments": m.Segments, "encoding": m.Encoding, "media": len(m.Media)}
	if sitterID != nil {
		detail["sitterId"] = sitterID.String()
	}
	return service.Event{Action: "message.composed", EntityType: "message", EntityID: m.ID.String(), Detail: detail}
}

// newOutbound is the pending message a draft becomes in a conversation.
func (s *Service) newOutbound(ctx context.Context, conv *store.Conversation, d Draft, sender string) *store.Message {
	info := segments.Analyze(d.Body)
	media := make([]message.MediaItem, 0, len(d.MediaURLs))
	for _, u := range d.MediaURLs {
		media = append(media, message.MediaItem{URL: u})
	}
	now := s.now()
	return &store.Message{
		ID: store.NewID(), OrgID: conv.Thread.OrgID, ThreadID: conv.Thread.ID, Direction: store.DirectionOutbound,
		SenderType: sender, Body: d.Body, Media: media, FromE164: conv.Number.E164, ToE164: conv.Client.PhoneE164,
		Status: store.StatusPending, Encoding: string(info.Encoding), Segments: info.Segments,
		CorrelationID: obs.CorrelationID(ctx), CreatedAt: now, UpdatedAt: now,
	}
}

// storeAndDeliver stores a pending message and starts its delivery
// workflow. If the workflow cannot start the message is removed again (it
// was never sent) and the caller is asked to try later.
func (s *Service) storeAndDeliver(ctx context.Context, org *store.OrgStore, m *store.Message) error {
	if err := org.CreateOutboundMessage(ctx, m); err != nil {
		return err
	}
	if err := s.startDelivery(ctx, m.OrgID, m.ID); err != nil {
		if delErr := org.DeleteUnsentMessage(context.WithoutCancel(ctx), m.ID); delErr != nil {
			s.log.ErrorContext(ctx, "removing an unsent message failed", "messageId", m.ID, "err", delErr)
		}
		return err
	}
	return nil
}
