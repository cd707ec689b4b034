package messaging

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
)

// Alerts lists alerts, critical first, newest first. The filter's status
// and severity, when set, must be known ones.
func (s *Service) Alerts(ctx context.Context, a service.Actor, f store.AlertFilter, limit int) ([]store.Alert, error) {
	switch f.Status {
	case "", store.AlertOpen, store.AlertAcknowledged, store.AlertResolved, store.AlertDismissed:
	default:
		return nil, errs.InvalidField("status", "Use open, acknowledged, resolved or dismissed.")
	}
	switch f.Severity {
	case "", store.SeverityCritical, store.SeverityWarning, store.SeverityInfo:
	default:
		return nil, errs.InvalidField("severity", "Use critical, warning or info.")
	}
	return s.store.Org(a.OrgID).Alerts(ctx, f, limit)
}

// AcknowledgeAlert says someone is on it; the alert stays listed.
func (s *Service) AcknowledgeAlert(ctx context.Context, a service.Actor, id uuid.UUID) (*store.Alert, error) {
	return s.closeAlert(ctx, a, id, store.AlertAcknowledged)
}

// ResolveAlert closes an alert whose problem is fixed.
func (s *Service) ResolveAlert(ctx context.Context, a service.Actor, id uuid.UUID) (*store.Alert, error) {
	return s.closeAlert(ctx, a, id, store.AlertResolved)
}

// DismissAlert closes an alert that needs nothing done. Critical alerts
// cannot be dismissed, only resolved.
func (s *Service) DismissAlert(ctx context.Context, a service.Actor, id uuid.UUID) (*store.Alert, error) {
	return s.closeAlert(ctx, a, id, store.AlertDismissed)
}

// closeAlert moves an open (or acknowledged) alert to status and audits it
// as "alert.<status>".
func (s *Service) closeAlert(ctx context.Context, a service.Actor, id uuid.UUID, status string) (*store.Alert, error) {
	org := s.store.Org(a.OrgID)
	al, err := org.Alert(ctx, id)
	if err != nil {
		return nil, service.NotFoundOr(err, "This alert")
	}
	switch {
	case status == store.AlertDismissed && al.Severity == store.SeverityCritical:
		return nil, errs.Conflict("", "Critical alerts can't be dismissed. Resolve it once the problem is fixed.")
	case al.Status == store.AlertResolved || al.Status == store.AlertDismissed:
		return nil, errs.Conflict("", "This alert is already "+al.Status+".")
	case status == store.AlertAcknowledged && al.Status == store.AlertAcknowledged:
		return nil, errs.Conflict("", "This alert is already acknowledged.")
	}
	if err := org.CloseAlert(ctx, id, status, a.UserID, s.now()); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, errs.Conflict("", "This alert changed meanwhile; reload and try again.")
		}
		return nil, err
	}
	s.audit.Record(ctx, a, service.Event{Action: "alert." + status, EntityType: "alert", EntityID: id.String(), Detail: map[string]any{
		"kind": al.Kind, "severity": al.Severity, "previousStatus": al.Status,
	}})
	return org.Alert(ctx, id)
}
