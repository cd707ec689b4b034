// Package audit is the application layer of the audit trail: the org's
// events, newest first, with filters, a page at a time or exported whole
// (up to ExportLimit rows); and the outbox of mail Snout queued for it.
package audit

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
)

// Service holds the audit trail's use cases.
type Service struct {
	Store *store.Store
}

// Page sizes, and the most rows one export holds.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
	ExportLimit     = 10000
	outboxLimit     = 100
)

// Query narrows the trail. Every field is optional.
type Query struct {
	Action, ActorID, EntityType, EntityID, CorrelationID string
	// ThreadID: the conversation's story, its own events and those of
	// its messages; another org's conversation is not found.
	ThreadID *uuid.UUID
	From, To *time.Time
	// BeforeID continues after the page whose last event it is.
	BeforeID int64
	Limit    int
}

// Page is a page of events, newest first. Next is the BeforeID of the next
// page, 0 on the last.
type Page struct {
	Events []store.AuditEvent
	Next   int64
}

// Events reads a page of the trail.
func (s *Service) Events(ctx context.Context, a service.Actor, q Query) (Page, error) {
	f, err := s.filter(ctx, a, q)
	if err != nil {
		return Page{}, err
	}
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultPageSize
	}
	events, err := s.Store.Org(a.OrgID).AuditEvents(ctx, f, limit+1)
	if err != nil {
		return Page{}, err
	}
	events, next := service.Page(events, limit, func(e *store.AuditEvent) int64 { return e.ID })
	page := Page{Events: events}
	if next != nil {
		page.Next = *next
	}
	return page, nil
}

// Export reads the trail for a download: the newest ExportLimit events
// that match (q.Limit does not apply); truncated says that older ones
// were left out.
func (s *Service) Export(ctx context.Context, a service.Actor, q Query) (events []store.AuditEvent, truncated bool, err error) {
	f, err := s.filter(ctx, a, q)
	if err != nil {
		return nil, false, err
	}
	events, err = s.Store.Org(a.OrgID).AuditEvents(ctx, f, ExportLimit+1)
	if err != nil {
		return nil, false, err
	}
	if len(events) > ExportLimit {
		return events[:ExportLimit], true, nil
	}
	return events, false, nil
}

// filter turns a query into the store's filter. A conversation is a
// story: filtering by a thread (by ThreadID, or by entity type "thread"
// and its ID) also finds the events of the thread's messages.
func (s *Service) filter(ctx context.Context, a service.Actor, q Query) (store.AuditFilter, error) {
	f := store.AuditFilter{Action: q.Action, ActorID: q.ActorID, EntityType: q.EntityType, EntityID: q.EntityID,
		CorrelationID: q.CorrelationID, From: q.From, To: q.To, BeforeID: q.BeforeID}
	if q.ThreadID != nil {
		if _, err := s.Store.Org(a.OrgID).Thread(ctx, *q.ThreadID); err != nil {
			return store.AuditFilter{}, service.NotFoundOr(err, "The conversation")
		}
		f.ThreadID = q.ThreadID
	}
	if id, err := uuid.Parse(q.EntityID); err == nil && q.EntityType == "thread" && f.ThreadID == nil {
		f.EntityType, f.EntityID, f.ThreadID = "", "", &id
	}
	return f, nil
}

// Outbox lists the mail Snout queued for the org, newest first.
func (s *Service) Outbox(ctx context.Context, a service.Actor) ([]store.OutboxEmail, error) {
	return s.Store.Org(a.OrgID).Outbox(ctx, outboxLimit)
}
