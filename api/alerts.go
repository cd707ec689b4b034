package api

import (
	"context"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
)

// AlertView is one alert.
type AlertView struct {
	ID         uuid.UUID  `json:"id"`
	Severity   string     `json:"severity"`
	Kind       string     `json:"kind"`
	Title      string     `json:"title"`
	Detail     string     `json:"detail"`
	EntityType string     `json:"entityType,omitempty"`
	EntityID   string     `json:"entityId,omitempty"`
	Status     string     `json:"status"`
	CreatedAt  time.Time  `json:"createdAt"`
	ClosedAt   *time.Time `json:"closedAt,omitempty"`
	ClosedBy   *uuid.UUID `json:"closedBy,omitempty"`
	// ThreadID is the conversation the alert is about, when it is about
	// one (a message's delivery failure): the page links to it.
	ThreadID *uuid.UUID `json:"threadId,omitempty"`
}

// AlertList lists alerts, newest first.
type AlertList struct {
	Alerts []AlertView `json:"alerts"`
}

// alertQueryParams are the alert list's filters.
var alertQueryParams = []param{
	qString("status", "open, acknowledged, resolved or dismissed."), qString("severity", "info, warning or critical."),
	qString("kind", "The kind of alert."), qInt("limit", "At most this many.", 1, 200),
}

func alertView(a *store.Alert) AlertView {
	return AlertView{ID: a.ID, Severity: a.Severity, Kind: a.Kind, Title: a.Title, Detail: a.Detail, EntityType: a.EntityType,
		EntityID: a.EntityID, Status: a.Status, CreatedAt: a.CreatedAt, ClosedAt: a.ClosedAt, ClosedBy: a.ClosedBy, ThreadID: a.ThreadID}
}

func (s *Server) listAlerts(c *gin.Context) (any, error) {
	limit, err := pageLimit(c, 50, 200)
	if err != nil {
		return nil, err
	}
	f := store.AlertFilter{Status: c.Query("status"), Severity: c.Query("severity"), Kind: c.Query("kind")}
	alerts, err := s.messaging.Alerts(c.Request.Context(), actor(c), f, limit)
	if err != nil {
		return nil, err
	}
	out := make([]AlertView, 0, len(alerts))
	for i := range alerts {
		out = append(out, alertView(&alerts[i]))
	}
	return AlertList{Alerts: out}, nil
}

// alertAction is the handler of one move of an alert (acknowledge,
// resolve, dismiss): the alert in the path, the alert as it is after.
func (s *Server) alertAction(act func(context.Context, service.Actor, uuid.UUID) (*store.Alert, error)) handlerFunc {
	return func(c *gin.Context) (any, error) {
		id, err := pathID(c, "id", "This alert")
		if err != nil {
			return nil, err
		}
		a, err := act(c.Request.Context(), actor(c), id)
		if err != nil {
			return nil, err
		}
		return alertView(a), nil
	}
}
