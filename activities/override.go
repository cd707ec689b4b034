package activities

import (
	"context"

	"github.com/snoutos/snout/internal/platform/obs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/workflows/steps"
)

// OverrideEnd records the end of a routing override (expired at its end
// time, or removed by the owner) and audits it, in one transaction and
// once however often it runs: an override already ended keeps its first
// end, which is what the result reports.
func (a *Activities) OverrideEnd(ctx context.Context, in steps.OverrideEndInput) (steps.OverrideEndResult, error) {
	ctx = obs.WithCorrelationID(ctx, in.CorrelationID)
	var out steps.OverrideEndResult
	err := a.Store.Org(in.OrgID).Tx(ctx, func(ctx context.Context, org *store.OrgStore) error {
		ended, err := org.EndOverride(ctx, in.OverrideID, in.Reason, in.At, in.UserID)
		if err != nil {
			return err
		}
		ov, err := org.Override(ctx, in.OverrideID)
		if err != nil {
			return err
		}
		out = steps.OverrideEndResult{Ended: ended, EndReason: ov.EndReason, EndedAt: in.At}
		if ov.EndedAt != nil {
			out.EndedAt = *ov.EndedAt
		}
		if !ended {
			return nil
		}
		actor := store.Audit{ActorType: "system", Action: "routing.override.expired"}
		if in.Reason == "cancelled" {
			actor = store.Audit{ActorType: "user", Action: "routing.override.removed"}
			if in.UserID != nil {
				actor.ActorID = in.UserID.String()
			}
		}
		detail := map[string]any{"threadId": ov.ThreadID, "targetKind": ov.TargetKind, "endsAt": ov.EndsAt, "endedAt": out.EndedAt, "reason": ov.Reason}
		if ov.TargetSitterID != nil {
			detail["sitterId"] = ov.TargetSitterID
		}
		actor.EntityType, actor.EntityID, actor.CorrelationID, actor.Detail = "routing_override", in.OverrideID.String(), obs.CorrelationID(ctx), detail
		actor.DedupeKey = "override/" + in.OverrideID.String() + "/ended"
		return org.Audit(ctx, actor)
	})
	if err != nil {
		return steps.OverrideEndResult{}, err
	}
	a.Log.InfoContext(ctx, "routing override ended", "orgId", in.OrgID, "overrideId", in.OverrideID, "reason", out.EndReason, "recordedNow", out.Ended)
	return out, nil
}
