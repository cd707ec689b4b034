package activities

import (
	"context"
	"errors"

	"go.temporal.io/sdk/temporal"

	"github.com/snoutos/snout/internal/platform/obs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/internal/twilio/provider"
	"github.com/snoutos/snout/workflows/steps"
)

// ErrTypeNumberNotReleasable: the number cannot be released (not found, or
// in a state that keeps it).
const ErrTypeNumberNotReleasable = "NumberNotReleasable"

// ReleaseNumberAtProvider releases the number at the provider. The number's
// SID is used when known, else it is looked up by E.164. A number the
// account no longer owns counts as released (a retry after success, or a
// number already released in the provider's console). Idempotent.
func (a *Activities) NumberReleaseAtProvider(ctx context.Context, in steps.NumberReleaseAtProviderInput) (steps.NumberReleaseAtProviderResult, error) {
	ctx = obs.WithCorrelationID(ctx, obs.CorrelationID(ctx))
	log := a.Log.With("orgId", in.OrgID, "numberId", in.NumberID)
	n, err := a.Store.Org(in.OrgID).Number(ctx, in.NumberID)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return steps.NumberReleaseAtProviderResult{}, temporal.NewNonRetryableApplicationError("The number was not found.", ErrTypeNumberNotReleasable, err)
		}
		return steps.NumberReleaseAtProviderResult{}, err
	}
	pc, err := a.providerClient(ctx, in.OrgID)
	if err != nil {
		return steps.NumberReleaseAtProviderResult{}, err
	}
	sid := n.ProviderSID
	if sid == "" {
		owned, err := pc.ListOwnedNumbers(ctx, n.E164)
		if err != nil {
			return steps.NumberReleaseAtProviderResult{}, providerRefusal(err)
		}
		if len(owned) == 0 {
			log.InfoContext(ctx, "number not owned at the provider; nothing to release")
			return steps.NumberReleaseAtProviderResult{Released: false}, nil
		}
		sid = owned[0].SID
	}
	if err := pc.ReleaseNumber(ctx, sid); err != nil {
		var pe *provider.Error
		if errors.As(err, &pe) && pe.Code == 20404 {
			log.InfoContext(ctx, "number already gone at the provider")
			return steps.NumberReleaseAtProviderResult{Released: false}, nil
		}
		return steps.NumberReleaseAtProviderResult{}, providerRefusal(err)
	}
	log.InfoContext(ctx, "number released at the provider")
	return steps.NumberReleaseAtProviderResult{Released: true}, nil
}

// MarkNumberReleased marks the number released in the inventory, with its
// history row and audit event. Idempotent.
func (a *Activities) NumberMarkReleased(ctx context.Context, in steps.NumberMarkReleasedInput) error {
	ctx = obs.WithCorrelationID(ctx, obs.CorrelationID(ctx))
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
		EntityID: in.NumberID.String(), CorrelationID: obs.CorrelationID(ctx),
		Detail:    map[string]any{"releasedAtProvider": in.ReleasedAtProvider},
		DedupeKey: "release/" + in.NumberID.String() + "/" + obs.CorrelationID(ctx),
	}); err != nil {
		return err
	}
	a.Log.InfoContext(ctx, "number released", "orgId", in.OrgID, "numberId", in.NumberID, "changed", changed)
	return nil
}
