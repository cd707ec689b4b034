package store

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// Alert severities and statuses.
const (
	SeverityCritical = "critical"
	SeverityWarning  = "warning"
	SeverityInfo     = "info"

	AlertOpen         = "open"
	AlertAcknowledged = "acknowledged"
	AlertResolved     = "resolved"
	AlertDismissed    = "dismissed"
)

// RaiseAlert opens an alert unless one with the same dedupe key is still open
// (then it returns the open one). Safe to call from a retried activity.
func (o *OrgStore) RaiseAlert(ctx context.Context, a *Alert) (*Alert, error) {
	a.OrgID = o.orgID
	if a.ID == uuid.Nil {
		a.ID = NewID()
	}
	if a.Status == "" {
		a.Status = AlertOpen
	}
	res, err := o.db.NewInsert().Model(a).
		On("CONFLICT (org_id, dedupe_key) WHERE status IN ('open', 'acknowledged') DO NOTHING").Exec(ctx)
	if err != nil {
		return nil, translate(err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return a, nil
	}
	existing := new(Alert)
	err = o.sel(existing).Where("dedupe_key = ? AND status IN ('open', 'acknowledged')", a.DedupeKey).Scan(ctx)
	return existing, translate(err)
}

// AlertFilter narrows the alert list.
type AlertFilter struct {
	Status   string
	Severity string
	Kind     string
}

// Alerts lists alerts, critical first, newest first.
func (o *OrgStore) Alerts(ctx context.Context, f AlertFilter, limit int) ([]Alert, error) {
	var out []Alert
	q := o.sel(&out).ColumnExpr("alert.*").
		ColumnExpr("(SELECT m.thread_id FROM messages AS m WHERE m.org_id = alert.org_id AND alert.entity_type = 'message' AND m.id::text = alert.entity_id) AS thread_id").
		OrderExpr("CASE severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, created_at DESC").Limit(int64(limit))
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.Severity != "" {
		q = q.Where("severity = ?", f.Severity)
	}
	if f.Kind != "" {
		q = q.Where("kind = ?", f.Kind)
	}
	err := q.Scan(ctx)
	return out, translate(err)
}

// Alert loads one alert.
func (o *OrgStore) Alert(ctx context.Context, id uuid.UUID) (*Alert, error) {
	a := new(Alert)
	err := o.sel(a).Where("id = ?", id).Scan(ctx)
	return a, translate(err)
}

// CloseAlert moves an open alert to acknowledged, resolved or dismissed.
func (o *OrgStore) CloseAlert(ctx context.Context, id uuid.UUID, status string, by uuid.UUID, now time.Time) error {
	q := o.upd((*Alert)(nil)).Set("status = ?, closed_by = ?", status, by).Where("id = ?", id).Where("status IN ('open', 'acknowledged')")
	if status != AlertAcknowledged {
		q = q.Set("closed_at = ?", now)
	}
	res, err := q.Exec(ctx)
	if err != nil {
		return translate(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// ResolveAlertsFor closes open alerts about an entity (e.g. a dead letter
// that was retried successfully).
func (o *OrgStore) ResolveAlertsFor(ctx context.Context, entityType, entityID string, now time.Time) error {
	_, err := o.upd((*Alert)(nil)).Set("status = 'resolved', closed_at = ?", now).
		Where("entity_type = ? AND entity_id = ? AND status IN ('open', 'acknowledged')", entityType, entityID).Exec(ctx)
	return translate(err)
}
