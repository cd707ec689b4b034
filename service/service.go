// Package service holds what every use case of the application layer
// shares: who is asking (Actor) and how a use case leaves its mark in the
// audit trail. The use cases themselves live in one package per capability
// below this one (service/messaging, service/numbers, …); each takes its
// dependencies explicitly, returns errs refusals, and knows nothing of HTTP.
package service

import (
	"context"
	"errors"
	"log/slog"

	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/platform/obs"
	"github.com/snoutos/snout/internal/store"
)

// Actor is the signed-in person a use case acts for.
type Actor struct {
	OrgID  uuid.UUID
	UserID uuid.UUID
	Role   string // store.RoleOwner, RoleAdmin or RoleSitter
	// IP is the client address, kept in the audit trail.
	IP string
}

// IsOwner reports whether the actor owns the business.
func (a Actor) IsOwner() bool { return a.Role == store.RoleOwner }

// IsSitter reports whether the actor is a sitter.
func (a Actor) IsSitter() bool { return a.Role == store.RoleSitter }

// Auditor appends audit events for use cases. A failed audit write is
// logged, never returned: the action it records has already happened.
type Auditor struct {
	Store *store.Store
	Log   *slog.Logger
}

// Event is one audit event a use case records.
type Event struct {
	Action     string
	EntityType string
	EntityID   string
	Detail     map[string]any
}

// Record appends ev for the actor, with the request's correlation ID.
func (au Auditor) Record(ctx context.Context, a Actor, ev Event) {
	actorType, actorID := "user", a.UserID.String()
	if a.UserID == uuid.Nil {
		actorType, actorID = "anonymous", ""
	}
	var org *uuid.UUID
	if a.OrgID != uuid.Nil {
		org = &a.OrgID
	}
	if err := au.Store.AppendAudit(ctx, org, store.Audit{
		ActorType: actorType, ActorID: actorID, Action: ev.Action, EntityType: ev.EntityType, EntityID: ev.EntityID,
		CorrelationID: obs.CorrelationID(ctx), IP: a.IP, Detail: ev.Detail,
	}); err != nil {
		au.Log.ErrorContext(ctx, "audit write failed", "action", ev.Action, "err", err)
	}
}

// NotFoundOr turns the store's ErrNotFound (a missing row and another
// org's row alike) into a refusal naming what was not found; other errors
// pass through.
func NotFoundOr(err error, what string) error {
	if errors.Is(err, store.ErrNotFound) {
		return errs.NotFound(what)
	}
	return err
}
