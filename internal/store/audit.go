package store

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"
)

// AuditFilter narrows the audit trail.
type AuditFilter struct {
	// Action is one action ("message.sent") or, ending in a dot, a
	// family of them ("message.").
	Action, ActorID, EntityType, EntityID, CorrelationID string
	// ThreadID: the thread's own events and those of its messages.
	ThreadID *uuid.UUID
	From, To *time.Time
	BeforeID int64
}

// AuditEvents lists this org's audit events, newest first.
func (o *OrgStore) AuditEvents(ctx context.Context, f AuditFilter, limit int) ([]AuditEvent, error) {
	var out []AuditEvent
	q := o.sel(&out).OrderExpr("id DESC").Limit(int64(limit))
	switch {
	case strings.HasSuffix(f.Action, "."):
		// A family of actions: "message." is every message.* event.
		q = q.Where("starts_with(action, ?)", f.Action)
	case f.Action != "":
		q = q.Where("action = ?", f.Action)
	}
	if f.ActorID != "" {
		q = q.Where("actor_id = ?", f.ActorID)
	}
	if f.EntityType != "" {
		q = q.Where("entity_type = ?", f.EntityType)
	}
	if f.EntityID != "" {
		q = q.Where("entity_id = ?", f.EntityID)
	}
	if f.ThreadID != nil {
		q = q.Where(`((entity_type = 'thread' AND entity_id = ?) OR (entity_type = 'message' AND entity_id IN (
			SELECT m.id::text FROM messages AS m WHERE m.org_id = ?TableAlias.org_id AND m.thread_id = ?)))`,
			f.ThreadID.String(), *f.ThreadID)
	}
	if f.CorrelationID != "" {
		q = q.Where("correlation_id = ?", f.CorrelationID)
	}
	if f.From != nil {
		q = q.Where("at >= ?", *f.From)
	}
	if f.To != nil {
		q = q.Where("at < ?", *f.To)
	}
	if f.BeforeID > 0 {
		q = q.Where("id < ?", f.BeforeID)
	}
	err := q.Scan(ctx)
	return out, translate(err)
}
