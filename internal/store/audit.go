package store

import (
	"context"
	"time"
)

// AuditFilter narrows the audit trail.
type AuditFilter struct {
	Action, ActorID, EntityType, EntityID, CorrelationID string
	From, To                                             *time.Time
	BeforeID                                             int64
}

// AuditEvents lists this org's audit events, newest first.
func (o *OrgStore) AuditEvents(ctx context.Context, f AuditFilter, limit int) ([]AuditEvent, error) {
	var out []AuditEvent
	q := o.sel(&out).OrderExpr("id DESC").Limit(int64(limit))
	if f.Action != "" {
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
