package activities

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"go.temporal.io/sdk/temporal"

	"github.com/snoutos/snout/internal/obs"
	"github.com/snoutos/snout/internal/orgprovider"
	"github.com/snoutos/snout/internal/provider"
	"github.com/snoutos/snout/internal/store"
)

// Application error types of the number activities.
const (
	ErrTypeNoProviderAccount     = "NoProviderAccount"
	ErrTypeNumberReleaseRejected = "ProviderRejected"
	ErrTypeNumberNotReleasable   = "NumberNotReleasable"
)

// NumberReleaseAtProviderInput gives one number back to the provider.
type NumberReleaseAtProviderInput struct {
	OrgID         uuid.UUID `json:"orgId"`
	NumberID      uuid.UUID `json:"numberId"`
	CorrelationID string    `json:"correlationId"`
}

// NumberReleaseAtProviderResult says whether the provider still held the number.
type NumberReleaseAtProviderResult struct {
	Released bool `json:"released"`
}

// ReleaseNumberAtProvider releases the number at the provider. The number's
// SID is used when known, else it is looked up by E.164. A number the
// account no longer owns counts as released (a retry after success, or a
// number already released in the provider's console). Idempotent.
func (a *Activities) NumberReleaseAtProvider(ctx context.Context, in NumberReleaseAtProviderInput) (NumberReleaseAtProviderResult, error) {
	ctx = obs.WithCorrelationID(ctx, in.CorrelationID)
	log := a.Log.With("orgId", in.OrgID, "numberId", in.NumberID)
	n, err := a.Store.Org(in.OrgID).Number(ctx, in.NumberID)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return NumberReleaseAtProviderResult{}, temporal.NewNonRetryableApplicationError("The number was not found.", ErrTypeNumberNotReleasable, err)
		}
		return NumberReleaseAtProviderResult{}, err
	}
	pc, err := a.Providers.ForOrg(ctx, in.OrgID)
	if err != nil {
		if errors.Is(err, orgprovider.ErrNotConnected) {
			return NumberReleaseAtProviderResult{}, temporal.NewNonRetryableApplicationError("No provider account is connected, so the number cannot be released there.", ErrTypeNoProviderAccount, err)
		}
		return NumberReleaseAtProviderResult{}, err
	}
	sid := n.ProviderSID
	if sid == "" {
		owned, err := pc.ListOwnedNumbers(ctx, n.E164)
		if err != nil {
			return NumberReleaseAtProviderResult{}, numberProviderFailure(err)
		}
		if len(owned) == 0 {
			log.InfoContext(ctx, "number not owned at the provider; nothing to release")
			return NumberReleaseAtProviderResult{Released: false}, nil
		}
		sid = owned[0].SID
	}
	if err := pc.ReleaseNumber(ctx, sid); err != nil {
		var pe *provider.Error
		if errors.As(err, &pe) && pe.Code == 20404 {
			log.InfoContext(ctx, "number already gone at the provider")
			return NumberReleaseAtProviderResult{Released: false}, nil
		}
		return NumberReleaseAtProviderResult{}, numberProviderFailure(err)
	}
	log.InfoContext(ctx, "number released at the provider")
	return NumberReleaseAtProviderResult{Released: true}, nil
}

// providerFailure makes permanent provider failures non-retryable, with
// the plain-language reason.
func numberProviderFailure(err error) error {
	if provider.Classify(err) == provider.Transient {
		return err
	}
	code := 0
	var pe *provider.Error
	if errors.As(err, &pe) {
		code = pe.Code
	}
	return temporal.NewNonRetryableApplicationError(provider.Explain(code), ErrTypeNumberReleaseRejected, err, code)
}

// NumberMarkReleasedInput records a plain (not quarantined) release.
type NumberMarkReleasedInput struct {
	OrgID         uuid.UUID `json:"orgId"`
	NumberID      uuid.UUID `json:"numberId"`
	ActorUserID   uuid.UUID `json:"actorUserId"`
	CorrelationID string    `json:"correlationId"`
	// ReleasedAtProvider is false when the provider no longer had it.
	ReleasedAtProvider bool `json:"releasedAtProvider"`
}

// MarkNumberReleased marks the number released in the inventory, with its
// history row and audit event. Idempotent.
func (a *Activities) NumberMarkReleased(ctx context.Context, in NumberMarkReleasedInput) error {
	ctx = obs.WithCorrelationID(ctx, in.CorrelationID)
	org := a.Store.Org(in.OrgID)
	detail := "Released to the provider"
	if !in.ReleasedAtProvider {
		detail = "Released (the provider account no longer held it)"
	}
	changed, err := org.ReleaseNumber(ctx, in.NumberID, a.now(), in.ActorUserID.String(), detail)
	if errors.Is(err, store.ErrNumberNotActive) {
		return temporal.NewNonRetryableApplicationError("The front desk number and quarantined numbers cannot be released this way.", ErrTypeNumberNotReleasable, err)
	}
	if err != nil {
		return err
	}
	if err := org.Audit(ctx, store.Audit{
		ActorType: "user", ActorID: in.ActorUserID.String(), Action: "number.released", EntityType: "phone_number",
		EntityID: in.NumberID.String(), CorrelationID: in.CorrelationID,
		Detail:    map[string]any{"releasedAtProvider": in.ReleasedAtProvider},
		DedupeKey: "release/" + in.NumberID.String() + "/" + in.CorrelationID,
	}); err != nil {
		return err
	}
	a.Log.InfoContext(ctx, "number released", "orgId", in.OrgID, "numberId", in.NumberID, "changed", changed)
	return nil
}
