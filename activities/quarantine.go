package activities

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/domain/message"
	"github.com/snoutos/snout/internal/domain/phone"
	"github.com/snoutos/snout/internal/domain/segments"
	"github.com/snoutos/snout/internal/platform/obs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/workflows/steps"
)

// Application error types the quarantine workflow treats as final; the
// contract names them for callers of the started update.
const (
	ErrTypeNumberNotQuarantinable = contract.QuarantineErrNotQuarantinable
	ErrTypeInvalidReplacement     = contract.QuarantineErrInvalidReplacement
)

// BeginQuarantine stores the quarantine, marks the number quarantined and
// settles the replacement. Idempotent on the quarantine ID.
func (a *Activities) QuarantineBegin(ctx context.Context, in steps.QuarantineBeginInput) (steps.QuarantineBeginResult, error) {
	ctx = obs.WithCorrelationID(ctx, obs.CorrelationID(ctx))
	log := a.Log.With("orgId", in.OrgID, "numberId", in.NumberID, "quarantineId", in.QuarantineID)
	org := a.Store.Org(in.OrgID)

	// A quarantine already stored (a retry) keeps the replacement it chose.
	if existing, err := org.QuarantineByID(ctx, in.QuarantineID); err == nil && existing.ReplacementNumberID != nil {
		in.ReplacementNumberID = existing.ReplacementNumberID
	} else if err != nil && !errors.Is(err, store.ErrNotFound) {
		return steps.QuarantineBeginResult{}, err
	}

	candidates, err := org.ReplacementCandidates(ctx, append([]uuid.UUID{in.NumberID}, in.Avoid...), in.StartedAt)
	if err != nil {
		return steps.QuarantineBeginResult{}, err
	}
	var res steps.QuarantineBeginResult
	if in.ReplacementNumberID != nil {
		rep, err := org.Number(ctx, *in.ReplacementNumberID)
		switch {
		case errors.Is(err, store.ErrNotFound):
			return res, temporal.NewNonRetryableApplicationError("The replacement number was not found.", ErrTypeInvalidReplacement, err)
		case err != nil:
			return res, err
		}
		if rep.ID == in.NumberID || rep.Status != store.NumberActive || rep.Class == store.ClassSitter {
			return res, temporal.NewNonRetryableApplicationError("The replacement must be another active pool or front desk number.", ErrTypeInvalidReplacement, nil)
		}
		res.ReplacementNumberID, res.ReplacementE164 = rep.ID, rep.E164
	} else {
		if len(candidates) == 0 {
			return res, temporal.NewNonRetryableApplicationError("There is no active pool or front desk number to take this number's conversations.", steps.ErrTypeNoReplacement, nil)
		}
		res.ReplacementNumberID, res.ReplacementE164 = candidates[0].ID, candidates[0].E164
	}
	res.Targets = []uuid.UUID{res.ReplacementNumberID}
	for _, c := range candidates {
		if c.ID != res.ReplacementNumberID {
			res.Targets = append(res.Targets, c.ID)
		}
	}

	impact, err := org.ImpactOf(ctx, []uuid.UUID{in.NumberID}, in.StartedAt)
	if err != nil {
		return res, err
	}
	impactJSON, _ := json.Marshal(impact)
	actor := in.ActorUserID
	rep := res.ReplacementNumberID
	q := &store.Quarantine{
		ID: in.QuarantineID, NumberID: in.NumberID, ReplacementNumberID: &rep, Status: store.QuarantineCoolingDown,
		EndAction: in.EndAction, NotifyClients: in.NotifyClients, Reason: in.Reason, Impact: impactJSON,
		CooldownEndsAt: in.CooldownEndsAt, CreatedBy: &actor, CreatedAt: in.StartedAt,
	}
	changed, err := org.BeginQuarantine(ctx, q, in.ActorUserID.String())
	switch {
	case errors.Is(err, store.ErrNumberNotActive):
		return res, temporal.NewNonRetryableApplicationError("Only an active pool or sitter number can be quarantined.", ErrTypeNumberNotQuarantinable, err)
	case errors.Is(err, store.ErrConflict):
		return res, temporal.NewNonRetryableApplicationError("This number is already in quarantine.", ErrTypeNumberNotQuarantinable, err)
	case err != nil:
		return res, err
	}
	if err := org.Audit(ctx, store.Audit{
		ActorType: "user", ActorID: in.ActorUserID.String(), Action: "number.quarantine.started",
		EntityType: "phone_number", EntityID: in.NumberID.String(), CorrelationID: obs.CorrelationID(ctx),
		Detail: map[string]any{"quarantineId": in.QuarantineID, "replacementNumberId": rep, "endAction": in.EndAction,
			"notifyClients": in.NotifyClients, "cooldownEndsAt": in.CooldownEndsAt, "reason": in.Reason, "impact": impact},
		DedupeKey: "quarantine/" + in.QuarantineID.String() + "/begin",
	}); err != nil {
		return res, err
	}
	log.InfoContext(ctx, "number quarantined", "replacementNumberId", rep, "changed", changed, "cooldownEndsAt", in.CooldownEndsAt)
	return res, nil
}

// MoveQuarantinedThreads moves each thread to the first target where its
// client has no thread yet, recording the move for inbound routing.
// Idempotent: a retry moves nothing twice and returns all moves.
func (a *Activities) QuarantineMoveThreads(ctx context.Context, in steps.QuarantineMoveThreadsInput) (steps.QuarantineMoveThreadsResult, error) {
	ctx = obs.WithCorrelationID(ctx, obs.CorrelationID(ctx))
	org := a.Store.Org(in.OrgID)
	moves, stuck, err := org.MoveThreadsForQuarantine(ctx, in.QuarantineID, in.NumberID, in.Targets, a.now())
	if err != nil {
		return steps.QuarantineMoveThreadsResult{}, err
	}
	if err := org.Audit(ctx, store.Audit{
		ActorType: "system", Action: "number.quarantine.threads_moved", EntityType: "phone_number", EntityID: in.NumberID.String(),
		CorrelationID: obs.CorrelationID(ctx), Detail: map[string]any{"quarantineId": in.QuarantineID, "moved": len(moves), "stuck": len(stuck)},
		DedupeKey: "quarantine/" + in.QuarantineID.String() + "/moved",
	}); err != nil {
		return steps.QuarantineMoveThreadsResult{}, err
	}
	a.Log.InfoContext(ctx, "quarantined number's threads moved", "orgId", in.OrgID, "numberId", in.NumberID,
		"quarantineId", in.QuarantineID, "moved", len(moves), "stuck", len(stuck))
	out := steps.QuarantineMoveThreadsResult{Moves: make([]contract.QuarantineMove, 0, len(moves)), Stuck: stuck}
	for _, m := range moves {
		out.Moves = append(out.Moves, contract.QuarantineMove{ThreadID: m.ThreadID, ClientID: m.ClientID, ToNumberID: m.ToNumberID, ToE164: m.ToE164})
	}
	return out, nil
}

// NoticeMessageID is the ID of a quarantine's notice to one thread: the
// same on every retry.
func NoticeMessageID(quarantineID, threadID uuid.UUID) uuid.UUID {
	return uuid.NewSHA1(quarantineID, threadID[:])
}

// PrepareNumberChangeNotice stores the notice as a pending outbound system
// message from the thread's new number, for the delivery workflow to send.
// Clients who opted out are not texted.
func (a *Activities) QuarantinePrepareNotice(ctx context.Context, in steps.QuarantineNoticeInput) (steps.QuarantineNoticeResult, error) {
	ctx = obs.WithCorrelationID(ctx, obs.CorrelationID(ctx))
	orgRow, err := a.Store.OrgByID(ctx, in.OrgID)
	if err != nil {
		return steps.QuarantineNoticeResult{}, err
	}
	return a.prepareNotice(ctx, in, orgRow.Name)
}

func (a *Activities) prepareNotice(ctx context.Context, in steps.QuarantineNoticeInput, orgName string) (steps.QuarantineNoticeResult, error) {
	org := a.Store.Org(in.OrgID)
	id := NoticeMessageID(in.QuarantineID, in.ThreadID)
	t, client, num, err := org.NoticeRecipient(ctx, in.ThreadID)
	if err != nil {
		return steps.QuarantineNoticeResult{}, err
	}
	if client.OptedOutAt != nil {
		return steps.QuarantineNoticeResult{MessageID: id, Skipped: true, Reason: "The client has opted out of texts."}, nil
	}
	body := NumberChangeNotice(orgName, in.OldE164, in.CooldownEndsAt)
	info := segments.Analyze(body)
	now := a.now()
	m := &store.Message{
		ID: id, ThreadID: t.ID, Direction: store.DirectionOutbound, SenderType: store.SenderSystem, Body: body,
		Media: []message.MediaItem{}, FromE164: num.E164, ToE164: client.PhoneE164, Status: store.StatusPending,
		Encoding: string(info.Encoding), Segments: info.Segments, CorrelationID: obs.CorrelationID(ctx), CreatedAt: now, UpdatedAt: now,
	}
	if _, err := org.AddNumberChangeNotice(ctx, m); err != nil {
		return steps.QuarantineNoticeResult{}, err
	}
	return steps.QuarantineNoticeResult{MessageID: id}, nil
}

// QuarantineSendNotices stores the notices of a batch of moved threads (as
// QuarantinePrepareNotice does) and starts each one's DeliveryWorkflow.
// Idempotent: notice IDs derive from the quarantine and the thread, and a
// delivery already started (or finished) is not started again. A thread
// whose notice cannot be prepared is skipped; only a failure to reach the
// database or Temporal fails the batch, to be retried.
func (a *Activities) QuarantineSendNotices(ctx context.Context, in steps.QuarantineSendNoticesInput) (steps.QuarantineSendNoticesResult, error) {
	ctx = obs.WithCorrelationID(ctx, obs.CorrelationID(ctx))
	log := a.Log.With("orgId", in.OrgID, "quarantineId", in.QuarantineID)
	orgRow, err := a.Store.OrgByID(ctx, in.OrgID)
	if err != nil {
		return steps.QuarantineSendNoticesResult{}, err
	}
	var res steps.QuarantineSendNoticesResult
	for i, threadID := range in.ThreadIDs {
		notice, err := a.prepareNotice(ctx, steps.QuarantineNoticeInput{
			OrgID: in.OrgID, QuarantineID: in.QuarantineID, ThreadID: threadID, OldE164: in.OldE164,
			CooldownEndsAt: in.CooldownEndsAt,
		}, orgRow.Name)
		switch {
		case errors.Is(err, store.ErrNotFound):
			log.WarnContext(ctx, "client notice not prepared: the thread is gone", "threadId", threadID)
			res.Skipped++
			continue
		case err != nil:
			return steps.QuarantineSendNoticesResult{}, err
		case notice.Skipped:
			res.Skipped++
			continue
		}
		_, err = a.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
			ID: contract.DeliveryWorkflowID(notice.MessageID), TaskQueue: a.Config.TemporalTaskQueue,
			WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
			TypedSearchAttributes: temporal.NewSearchAttributes(contract.OrgIDKey.ValueSet(in.OrgID.String())),
		}, contract.DeliveryWorkflowName, contract.DeliveryInput{OrgID: in.OrgID, MessageID: notice.MessageID})
		var started *serviceerror.WorkflowExecutionAlreadyStarted
		if err != nil && !errors.As(err, &started) {
			return steps.QuarantineSendNoticesResult{}, fmt.Errorf("starting the notice's delivery: %w", err)
		}
		res.Notified++
		activity.RecordHeartbeat(ctx, i+1)
	}
	log.InfoContext(ctx, "client notices started", "notified", res.Notified, "skipped", res.Skipped)
	return res, nil
}

// NumberChangeNotice is the text a client receives from the new number.
func NumberChangeNotice(orgName, oldE164 string, until time.Time) string {
	name := strings.TrimSpace(orgName)
	if name == "" {
		name = "Your pet sitter"
	}
	return fmt.Sprintf("%s: we're texting you from this new number now. Please save it. Texts to our old number %s reach us until %s.",
		name, phone.Display(oldE164), until.UTC().Format("Jan 2"))
}

// FinishQuarantine puts the number in its final state and closes the
// quarantine. Idempotent.
func (a *Activities) QuarantineFinish(ctx context.Context, in steps.QuarantineFinishInput) error {
	ctx = obs.WithCorrelationID(ctx, obs.CorrelationID(ctx))
	org := a.Store.Org(in.OrgID)
	actorType, actorID := "system", "system"
	if in.ActorUserID != uuid.Nil {
		actorType, actorID = "user", in.ActorUserID.String()
	}
	detail := map[string]string{
		store.QuarantineRestored:       "Restored to service before the cooldown ended",
		store.QuarantineReturnedToPool: "Cooldown ended: returned to the pool",
		store.QuarantineReleased:       "Released to the provider",
	}[in.Outcome]
	if detail == "" {
		return temporal.NewNonRetryableApplicationError("unknown quarantine outcome "+in.Outcome, "InvalidOutcome", nil)
	}
	if in.Reason != "" {
		detail += ": " + in.Reason
	}
	changed, err := org.FinishQuarantine(ctx, in.QuarantineID, in.Outcome, a.now(), actorID, detail)
	if err != nil {
		return err
	}
	if err := org.Audit(ctx, store.Audit{
		ActorType: actorType, ActorID: actorID, Action: "number.quarantine." + in.Outcome,
		EntityType: "phone_number", EntityID: in.NumberID.String(), CorrelationID: obs.CorrelationID(ctx),
		Detail:    map[string]any{"quarantineId": in.QuarantineID, "reason": in.Reason},
		DedupeKey: "quarantine/" + in.QuarantineID.String() + "/finish",
	}); err != nil {
		return err
	}
	a.Log.InfoContext(ctx, "quarantine finished", "orgId", in.OrgID, "numberId", in.NumberID, "quarantineId", in.QuarantineID,
		"outcome", in.Outcome, "changed", changed)
	return nil
}

// QuarantineReleaseFailed raises an alert (once while it is open) saying
// the quarantined number could not be released, and what to do.
func (a *Activities) QuarantineReleaseFailed(ctx context.Context, in steps.QuarantineReleaseFailedInput) error {
	ctx = obs.WithCorrelationID(ctx, obs.CorrelationID(ctx))
	org := a.Store.Org(in.OrgID)
	_, err := org.RaiseAlert(ctx, &store.Alert{
		Severity: store.SeverityCritical, Kind: "number_release_failed",
		Title:      "Number " + phone.Display(in.PhoneNumber) + " could not be released",
		Detail:     in.Reason + " It stays in quarantine: restore it, or choose \"release now\" to try again.",
		EntityType: "phone_number", EntityID: in.NumberID.String(),
		DedupeKey: "quarantine-release/" + in.QuarantineID.String(),
	})
	if err != nil {
		return err
	}
	a.Log.WarnContext(ctx, "quarantined number could not be released", "orgId", in.OrgID, "numberId", in.NumberID, "reason", in.Reason)
	return nil
}
