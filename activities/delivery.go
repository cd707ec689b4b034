package activities

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/snoutos/snout/internal/domain/message"
	"github.com/snoutos/snout/internal/domain/sendability"
	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/platform/obs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/internal/twilio/orgprovider"
	"github.com/snoutos/snout/internal/twilio/provider"
	"github.com/snoutos/snout/workflows/steps"
)

// DeliverySend sends a stored outbound message through the org's provider
// account from the thread's business number, with a status callback to
// this deployment, and records the attempt. It never texts a client twice:
// a run that finds an attempt of this send already accepted by the
// provider returns it, and before sending again after attempts whose answer
// never came (the connection dropped, the worker died before the SID was
// recorded) it asks the provider whether one of them got through, and
// adopts that text instead of sending another.
func (a *Activities) DeliverySend(ctx context.Context, in steps.DeliverySendInput) (steps.DeliverySendResult, error) {
	info := activity.GetInfo(ctx)
	n := in.FirstAttempt + int(info.Attempt) - 1
	trigger := in.Trigger
	if info.Attempt > 1 || trigger == "" {
		trigger = message.TriggerAutomatic
	}
	log := a.deliveryLog(in.OrgID, in.MessageID, obs.CorrelationID(ctx)).With("attempt", n, "trigger", trigger)
	org := a.Store.Org(in.OrgID)
	wait := a.Config.DeliveryStatusWait
	if wait <= 0 {
		wait = 2 * time.Minute
	}

	if prev, err := org.SentAttemptSince(ctx, in.MessageID, in.FirstAttempt); err == nil {
		log.InfoContext(ctx, "attempt already accepted by the provider; not sending again", "providerSid", *prev.ProviderSID)
		return steps.DeliverySendResult{Attempt: prev.Attempt, ProviderSID: *prev.ProviderSID, Status: prev.Status, StatusWait: wait}, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return steps.DeliverySendResult{}, err
	}

	m, err := org.OutboundMessage(ctx, in.MessageID)
	if errors.Is(err, store.ErrNotFound) {
		return steps.DeliverySendResult{}, deliveryError(steps.DeliveryNotSendable, steps.DeliveryFailure{Attempt: n, Reason: "The message no longer exists."})
	}
	if err != nil {
		return steps.DeliverySendResult{}, err
	}
	if m.Status == store.StatusDiscarded || m.Status == store.StatusBlocked {
		return steps.DeliverySendResult{}, deliveryError(steps.DeliveryNotSendable, steps.DeliveryFailure{Attempt: n, Reason: "The message was " + m.Status + " and is not sent."})
	}
	conv, err := org.Conversation(ctx, m.ThreadID)
	if err != nil {
		return steps.DeliverySendResult{}, err
	}
	adopted, checkErr, err := a.adoptLostSend(ctx, in.OrgID, m, conv, wait, obs.CorrelationID(ctx), log)
	if err != nil {
		return steps.DeliverySendResult{}, err
	}
	if adopted != nil {
		return *adopted, nil
	}
	if err := org.BeginAttempt(ctx, m.ID, n, trigger, a.now()); err != nil {
		return steps.DeliverySendResult{}, err
	}
	fail := func(kind string, code int, reason string) (steps.DeliverySendResult, error) {
		if err := org.RecordAttemptFailed(ctx, m.ID, n, code, reason, a.now()); err != nil {
			return steps.DeliverySendResult{}, err
		}
		log.WarnContext(ctx, "send failed", "errorCode", code, "failureType", kind, "reason", reason)
		return steps.DeliverySendResult{}, deliveryError(kind, steps.DeliveryFailure{Attempt: n, Code: code, Reason: reason})
	}
	if checkErr != nil {
		// Not knowing whether the earlier text went out, sending again
		// could text the client twice: this attempt fails instead.
		log.WarnContext(ctx, "could not ask the provider about an unanswered attempt", "err", checkErr)
		code := 0
		var pe *provider.Error
		if errors.As(checkErr, &pe) {
			code = pe.Code
		}
		return fail(failureType(provider.Classify(checkErr)), code,
			"Snout couldn't ask Twilio whether the previous attempt went out, so it didn't send the text again.")
	}
	if err := sendability.Check(conv.Recipient(), conv.BusinessNumber()); err != nil {
		kind := steps.DeliveryNotSendable // the client opted out
		if errs.Is(err, errs.KindConflict) {
			kind = steps.DeliveryNeedsFix // the number is out of service
		}
		return fail(kind, 0, err.Error())
	}
	pc, err := a.Providers.ForOrg(ctx, in.OrgID)
	if errors.Is(err, orgprovider.ErrNotConnected) {
		return fail(steps.DeliveryNeedsFix, 0, "No Twilio account is connected yet. Connect one in setup, then retry.")
	}
	if err != nil {
		log.ErrorContext(ctx, "provider client unavailable", "err", err)
		return fail(steps.DeliveryTransient, 0, "Snout couldn't open the Twilio account's credentials.")
	}
	media := make([]string, 0, len(m.Media))
	for _, it := range m.Media {
		media = append(media, it.URL)
	}
	sent, err := pc.SendMessage(ctx, provider.SendRequest{
		From: conv.Number.E164, To: conv.Client.PhoneE164, Body: m.Body, MediaURLs: media,
		StatusCallback: a.Config.PublicURL + "/webhooks/twilio/status",
	})
	if err != nil {
		code := 0
		var pe *provider.Error
		if errors.As(err, &pe) {
			code = pe.Code
		}
		reason := provider.Explain(code)
		if code == 0 {
			reason = "Twilio couldn't be reached (the connection failed or timed out)."
		}
		return fail(failureType(provider.Classify(err)), code, reason)
	}
	if err := org.RecordAttemptAccepted(ctx, m.ID, n, sent.SID, sent.Status, a.now()); err != nil {
		return steps.DeliverySendResult{}, err
	}
	if err := org.Audit(ctx, store.Audit{
		ActorType: "system", Action: "message.sent", EntityType: "message", EntityID: m.ID.String(),
		CorrelationID: obs.CorrelationID(ctx), DedupeKey: deliveryKey(m.ID, "sent", n),
		Detail: map[string]any{"attempt": n, "trigger": trigger, "providerSid": sent.SID, "status": sent.Status},
	}); err != nil {
		log.ErrorContext(ctx, "audit write failed", "err", err)
	}
	log.InfoContext(ctx, "provider accepted the text", "providerSid", sent.SID, "status", sent.Status)
	return steps.DeliverySendResult{Attempt: n, ProviderSID: sent.SID, Status: sent.Status, StatusWait: wait}, nil
}

// lostSendSlack widens the look-back for a lost send beyond the attempt's
// start, for clocks that differ between Snout and the provider.
const lostSendSlack = 5 * time.Minute

// adoptLostSend looks, before a new attempt, for a text an earlier
// unanswered attempt got through: a message the provider holds from the
// conversation's number (now or when the message was written) to the
// client, created since the first unanswered attempt began, with the same
// body, that no attempt has recorded. Found, it becomes that attempt's
// send and its result is returned; not found, nil. askErr says the
// provider could not be asked; err is any other failure.
func (a *Activities) adoptLostSend(ctx context.Context, orgID uuid.UUID, m *store.Message, conv *store.Conversation,
	wait time.Duration, correlationID string, log *slog.Logger) (adopted *steps.DeliverySendResult, askErr, err error) {
	org := a.Store.Org(orgID)
	doubt, err := org.UnconfirmedAttempts(ctx, m.ID)
	if err != nil || len(doubt) == 0 {
		return nil, nil, err
	}
	pc, err := a.Providers.ForOrg(ctx, orgID)
	if errors.Is(err, orgprovider.ErrNotConnected) {
		return nil, nil, nil // no account, so nothing can have gone out
	}
	if err != nil {
		return nil, err, nil
	}
	since := doubt[0].StartedAt.Add(-lostSendSlack)
	froms := []string{conv.Number.E164}
	if m.FromE164 != "" && m.FromE164 != conv.Number.E164 {
		froms = append(froms, m.FromE164)
	}
	var found []provider.SentMessage
	for _, from := range froms {
		list, err := pc.ListMessages(ctx, provider.MessageFilter{From: from, To: conv.Client.PhoneE164, SentSince: since, Limit: 200})
		if err != nil {
			return nil, err, nil
		}
		for _, pm := range list {
			if pm.Body == m.Body && strings.HasPrefix(pm.Direction, "outbound") && !pm.DateCreated.Before(since) {
				found = append(found, pm)
			}
		}
	}
	sids := make([]string, 0, len(found))
	for _, pm := range found {
		sids = append(sids, pm.SID)
	}
	known, err := org.KnownProviderSIDs(ctx, sids)
	if err != nil {
		return nil, nil, err
	}
	var lost *provider.SentMessage
	for i := range found {
		if !known[found[i].SID] && (lost == nil || found[i].DateCreated.After(lost.DateCreated)) {
			lost = &found[i]
		}
	}
	last := doubt[len(doubt)-1]
	if lost == nil {
		log.InfoContext(ctx, "the provider has no text from the unanswered attempts; sending", "unanswered", len(doubt), "since", since)
		return nil, nil, nil
	}
	if len(found)-len(known) > 1 {
		log.WarnContext(ctx, "the provider holds more than one unrecorded copy of this text", "copies", len(found)-len(known))
	}
	reason := ""
	if lost.ErrorCode != 0 {
		reason = provider.Explain(lost.ErrorCode)
	}
	if err := org.AdoptAttempt(ctx, m.ID, last.Attempt, lost.SID, lost.Status, lost.ErrorCode, reason, a.now()); err != nil {
		return nil, nil, err
	}
	if err := org.Audit(ctx, store.Audit{
		ActorType: "system", Action: "message.sent", EntityType: "message", EntityID: m.ID.String(),
		CorrelationID: correlationID, DedupeKey: deliveryKey(m.ID, "sent", last.Attempt),
		Detail: map[string]any{"attempt": last.Attempt, "trigger": last.Trigger, "providerSid": lost.SID, "status": lost.Status,
			"foundAtProvider": true},
	}); err != nil {
		log.ErrorContext(ctx, "audit write failed", "err", err)
	}
	log.InfoContext(ctx, "an unanswered attempt had reached the provider; adopted it instead of sending again",
		"adoptedAttempt", last.Attempt, "providerSid", lost.SID, "status", lost.Status)
	return &steps.DeliverySendResult{Attempt: last.Attempt, ProviderSID: lost.SID, Status: lost.Status, StatusWait: wait}, nil, nil
}

// DeliveryApplyStatus moves an attempt (and its message, when it is the
// current attempt) forward to a status reported by the provider. Backward
// moves and repeats change nothing. Idempotent.
func (a *Activities) DeliveryApplyStatus(ctx context.Context, in steps.DeliveryStatusInput) (steps.DeliveryStatusResult, error) {
	res := statusResult(in.Status, in.ErrorCode)
	at := in.At
	if at.IsZero() {
		at = a.now()
	}
	_, changed, err := a.Store.Org(in.OrgID).ApplyProviderStatus(ctx, store.ProviderStatusUpdate{
		ProviderSID: in.ProviderSID, Status: in.Status, ErrorCode: in.ErrorCode, ErrorMessage: res.Reason, At: at,
	})
	if errors.Is(err, store.ErrNotFound) {
		a.deliveryLog(in.OrgID, in.MessageID, obs.CorrelationID(ctx)).WarnContext(ctx, "status for an unknown attempt ignored", "providerSid", in.ProviderSID)
		return steps.DeliveryStatusResult{}, nil
	}
	if err != nil {
		return steps.DeliveryStatusResult{}, err
	}
	res.Changed = changed
	return res, nil
}

// DeliveryFetchStatus asks the provider for an attempt's status (when no
// callback came in time) and applies it like a callback.
func (a *Activities) DeliveryFetchStatus(ctx context.Context, in steps.DeliveryFetchInput) (steps.DeliveryStatusResult, error) {
	log := a.deliveryLog(in.OrgID, in.MessageID, obs.CorrelationID(ctx))
	pc, err := a.Providers.ForOrg(ctx, in.OrgID)
	if err != nil {
		return steps.DeliveryStatusResult{}, err
	}
	m, err := pc.FetchMessage(ctx, in.ProviderSID)
	if err != nil {
		if provider.Classify(err) == provider.Transient {
			return steps.DeliveryStatusResult{}, err
		}
		log.WarnContext(ctx, "provider could not report the status", "providerSid", in.ProviderSID, "err", err)
		return steps.DeliveryStatusResult{}, nil
	}
	log.InfoContext(ctx, "fetched status from the provider", "providerSid", in.ProviderSID, "status", m.Status, "errorCode", m.ErrorCode)
	return a.DeliveryApplyStatus(ctx, steps.DeliveryStatusInput{
		OrgID: in.OrgID, MessageID: in.MessageID, ProviderSID: in.ProviderSID, Status: m.Status, ErrorCode: m.ErrorCode,
		At: a.now(),
	})
}

// DeliveryDeadLetter puts the message in the dead-letter list, counts the
// failure on its thread and raises an alert the owner sees (one per
// message while open). Idempotent.
func (a *Activities) DeliveryDeadLetter(ctx context.Context, in steps.DeliveryDeadLetterInput) (steps.DeliveryDeadLetterResult, error) {
	org := a.Store.Org(in.OrgID)
	m, err := org.OutboundMessage(ctx, in.MessageID)
	if err != nil {
		return steps.DeliveryDeadLetterResult{}, err
	}
	conv, err := org.Conversation(ctx, m.ThreadID)
	if err != nil {
		return steps.DeliveryDeadLetterResult{}, err
	}
	if _, err := org.DeadLetterMessage(ctx, m.ID, a.now()); err != nil {
		return steps.DeliveryDeadLetterResult{}, err
	}
	severity := store.SeverityWarning
	if in.NeedsFix {
		severity = store.SeverityCritical
	}
	reason := in.Reason
	if reason == "" {
		reason = provider.Explain(in.ErrorCode)
	}
	alert, err := org.RaiseAlert(ctx, &store.Alert{
		Severity: severity, Kind: store.AlertKindDeliveryFailed,
		Title:      fmt.Sprintf("A text to %s wasn't delivered", conv.Client.Name),
		Detail:     reason + " It is in Dead letters: retry it once the cause is fixed, or discard it.",
		EntityType: "message", EntityID: m.ID.String(), DedupeKey: store.AlertKindDeliveryFailed + ":" + m.ID.String(),
	})
	if err != nil {
		return steps.DeliveryDeadLetterResult{}, err
	}
	detail := map[string]any{"attempt": in.Attempt, "reason": reason, "alertId": alert.ID.String(), "threadId": m.ThreadID.String()}
	if in.ErrorCode != 0 {
		detail["errorCode"] = in.ErrorCode
	}
	if err := org.Audit(ctx, store.Audit{
		ActorType: "system", Action: "message.dead_lettered", EntityType: "message", EntityID: m.ID.String(),
		CorrelationID: obs.CorrelationID(ctx), DedupeKey: deliveryKey(m.ID, "dead-letter", in.Attempt), Detail: detail,
	}); err != nil {
		return steps.DeliveryDeadLetterResult{}, err
	}
	a.deliveryLog(in.OrgID, in.MessageID, obs.CorrelationID(ctx)).WarnContext(ctx, "message dead-lettered",
		"attempt", in.Attempt, "errorCode", in.ErrorCode, "alertId", alert.ID, "severity", severity)
	return steps.DeliveryDeadLetterResult{AlertID: alert.ID, OpenFor: a.Config.DeadLetterExpiry}, nil
}

// DeliveryResend takes the message out of the dead-letter list while it is
// sent again, and audits the owner's retry.
func (a *Activities) DeliveryResend(ctx context.Context, in steps.DeliveryResendInput) error {
	org := a.Store.Org(in.OrgID)
	if _, err := org.TakeOutOfDeadLetters(ctx, in.MessageID, a.now()); err != nil {
		return err
	}
	return org.Audit(ctx, store.Audit{
		ActorType: "user", ActorID: in.UserID.String(), Action: "message.resend", EntityType: "message", EntityID: in.MessageID.String(),
		CorrelationID: obs.CorrelationID(ctx), DedupeKey: deliveryKey(in.MessageID, "resend", in.NextAttempt),
		Detail: map[string]any{"attempt": in.NextAttempt, "trigger": message.TriggerManual},
	})
}

// DeliveryRecovered records that a once dead-lettered message got through:
// out of the dead-letter list, its alert resolved, audited.
func (a *Activities) DeliveryRecovered(ctx context.Context, in steps.DeliveryOutcomeInput) error {
	org := a.Store.Org(in.OrgID)
	now := a.now()
	if _, err := org.TakeOutOfDeadLetters(ctx, in.MessageID, now); err != nil {
		return err
	}
	resolved, err := org.CloseAlertsAbout(ctx, "message", in.MessageID.String(), store.AlertResolved, nil, now)
	if err != nil {
		return err
	}
	a.deliveryLog(in.OrgID, in.MessageID, obs.CorrelationID(ctx)).InfoContext(ctx, "dead letter recovered", "attempt", in.Attempt, "status", in.Status)
	return org.Audit(ctx, store.Audit{
		ActorType: "system", Action: "message.delivery_recovered", EntityType: "message", EntityID: in.MessageID.String(),
		CorrelationID: obs.CorrelationID(ctx), DedupeKey: deliveryKey(in.MessageID, "recovered", in.Attempt),
		Detail: map[string]any{"attempt": in.Attempt, "status": in.Status, "alertsResolved": resolved},
	})
}

// DeliveryDiscard marks the message discarded, takes it out of the
// dead-letter list, resolves its alert and audits who discarded it and why:
// an owner, or the system when the dead letter expired.
func (a *Activities) DeliveryDiscard(ctx context.Context, in steps.DeliveryDiscardInput) error {
	org := a.Store.Org(in.OrgID)
	now := a.now()
	if _, err := org.DiscardMessage(ctx, in.MessageID, now); err != nil {
		return err
	}
	var by *uuid.UUID
	actorType, actorID := "system", ""
	if in.UserID != uuid.Nil {
		by = &in.UserID
		actorType, actorID = "user", in.UserID.String()
	}
	if _, err := org.CloseAlertsAbout(ctx, "message", in.MessageID.String(), store.AlertResolved, by, now); err != nil {
		return err
	}
	detail := map[string]any{"reason": in.Reason}
	if in.Expired {
		detail["expired"] = true
	}
	a.deliveryLog(in.OrgID, in.MessageID, obs.CorrelationID(ctx)).InfoContext(ctx, "dead letter discarded", "userId", in.UserID, "expired", in.Expired)
	return org.Audit(ctx, store.Audit{
		ActorType: actorType, ActorID: actorID, Action: "message.discarded", EntityType: "message", EntityID: in.MessageID.String(),
		CorrelationID: obs.CorrelationID(ctx), DedupeKey: deliveryKey(in.MessageID, "discard", 0), Detail: detail,
	})
}

func (a *Activities) deliveryLog(orgID, messageID uuid.UUID, correlationID string) *slog.Logger {
	l := a.Log
	if l == nil {
		l = slog.Default()
	}
	return l.With("component", "delivery", "orgId", orgID, "messageId", messageID, "correlationId", correlationID)
}

func statusResult(status string, code int) steps.DeliveryStatusResult {
	res := steps.DeliveryStatusResult{Status: status, ErrorCode: code}
	if code != 0 {
		res.Reason = provider.Explain(code)
		res.Retryable = provider.Classify(&provider.Error{Code: code}) == provider.Transient
	}
	return res
}

func failureType(c provider.Class) string {
	switch c {
	case provider.Permanent:
		return steps.DeliveryPermanent
	case provider.NeedsFix:
		return steps.DeliveryNeedsFix
	default:
		return steps.DeliveryTransient
	}
}

func deliveryError(kind string, f steps.DeliveryFailure) error {
	f.Type = kind
	return temporal.NewApplicationErrorWithOptions(f.Reason, kind, temporal.ApplicationErrorOptions{
		NonRetryable: kind != steps.DeliveryTransient,
		Details:      []any{f},
	})
}

// deliveryKey is an audit dedupe key derived from the message (and so the
// workflow ID) and the step.
func deliveryKey(messageID uuid.UUID, step string, attempt int) string {
	return "delivery-" + messageID.String() + "/" + step + "/" + strconv.Itoa(attempt)
}
