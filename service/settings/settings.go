// Package settings holds the org's settings the owner changes from the
// dashboard. Today: diagnostics, the one switch that shows provider
// internals (provider SIDs, webhook URLs, raw provider error codes)
// wherever they appear.
//
// Diagnostics is stored per org, not per user: it is one switch for the
// business, as the setup wizard's was, and its effect is limited by role
// instead. Only owners see the internals when it is on; admins and
// sitters never do, so turning it on exposes nothing to anyone the owner
// has not already trusted with the account itself.
package settings

import (
	"context"
	"time"

	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
)

// Service holds the settings use cases.
type Service struct {
	Store   *store.Store
	Auditor service.Auditor
	Now     func() time.Time
}

// SetDiagnostics turns diagnostics on (true) or off (false) at any time;
// nil is a refusal naming the field. Owners only.
func (s *Service) SetDiagnostics(ctx context.Context, a service.Actor, enabled *bool) (bool, error) {
	if !a.IsOwner() {
		return false, errs.Forbidden("Only the business owner can turn diagnostics on or off.")
	}
	if enabled == nil {
		return false, errs.InvalidField("enabled", "Send true to show provider details, false to hide them.")
	}
	org, err := s.Store.OrgByID(ctx, a.OrgID)
	if err != nil {
		return false, err
	}
	if org.Diagnostics == *enabled {
		return *enabled, nil
	}
	if err := s.Store.Org(a.OrgID).SetDiagnostics(ctx, *enabled); err != nil {
		return false, err
	}
	s.Auditor.Record(ctx, a, service.Event{Action: "settings.diagnostics_changed", EntityType: "org", EntityID: a.OrgID.String(),
		Detail: map[string]any{"enabled": *enabled}})
	return *enabled, nil
}

// Diagnostics says whether the actor sees provider internals: an owner of
// an org with diagnostics on.
func (s *Service) Diagnostics(ctx context.Context, a service.Actor) (bool, error) {
	if !a.IsOwner() {
		return false, nil
	}
	org, err := s.Store.OrgByID(ctx, a.OrgID)
	if err != nil {
		return false, err
	}
	return org.Diagnostics, nil
}

// Reveals is Diagnostics for an org already loaded.
func Reveals(org *store.Org, a service.Actor) bool {
	return org != nil && org.Diagnostics && a.IsOwner()
}
