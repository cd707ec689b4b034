package activities

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/google/uuid"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/domain/phone"
	"github.com/snoutos/snout/internal/platform/obs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/internal/twilio/orgprovider"
	"github.com/snoutos/snout/internal/twilio/provider"
	"github.com/snoutos/snout/workflows/steps"
)

// Number provisioning: buy or import a number, record it, install and
// verify its SMS webhook, and release a bought number again when it cannot
// be configured (the provisioning workflow's compensation).

// Error types of permanent provisioning failures (non-retryable). The
// message of each is plain language for the owner.
const (
	ErrTypeNumberInUse = "NumberInUseElsewhere"

	ErrTypeSitterNotFound = "SitterNotFound"
)

// SMSWebhookPath is where Twilio delivers inbound texts.
const SMSWebhookPath = "/webhooks/twilio/sms"

// setupSMSWebhookURL is the inbound SMS URL numbers are configured with.
func (a *Activities) setupSMSWebhookURL() string {
	return strings.TrimRight(a.Config.PublicURL, "/") + SMSWebhookPath
}

// ProvisionBuyNumber buys the number found by a search. Idempotent: a
// retried attempt finds the number already owned and recognises its own
// purchase by the friendly name it bought it under.
func (a *Activities) ProvisionBuyNumber(ctx context.Context, in steps.ProvisionAcquireInput) (steps.ProvisionAcquired, error) {
	log := a.provisionLog(ctx, in.OrgID, in.WorkflowID).With("e164", phone.Redact(in.E164))
	if err := a.provisionPrecheck(ctx, in); err != nil {
		return steps.ProvisionAcquired{}, err
	}
	pc, err := a.providerClient(ctx, in.OrgID)
	if err != nil {
		return steps.ProvisionAcquired{}, err
	}
	marker := provisionMarker(in.WorkflowID, in.E164, in.Class, in.FriendlyName)
	owned, err := pc.ListOwnedNumbers(ctx, in.E164)
	if err != nil {
		return steps.ProvisionAcquired{}, providerRefusal(err)
	}
	var got provider.OwnedNumber
	bought := true
	if len(owned) > 0 {
		got = owned[0]
		// Ours if it carries this request's marker (an earlier attempt
		// bought it); otherwise the account owned it already: treat it as
		// an import so it is never released on our account.
		bought = got.FriendlyName == marker
		log.Info("number already owned before buying", "boughtByThisRequest", bought)
	} else {
		got, err = pc.BuyNumber(ctx, provider.BuyRequest{E164: in.E164, FriendlyName: marker})
		if err != nil {
			log.Warn("buying number failed", "err", err)
			return steps.ProvisionAcquired{}, providerRefusal(err)
		}
		log.Info("number bought", "providerSid", got.SID)
	}
	out := steps.ProvisionAcquired{ProviderSID: got.SID, FriendlyName: got.FriendlyName, Bought: bought}
	out.MonthlyCost, out.Currency = a.provisionPrice(ctx, pc, in.E164, log)
	return out, nil
}

// ProvisionImportNumber checks that the account owns the number.
func (a *Activities) ProvisionImportNumber(ctx context.Context, in steps.ProvisionAcquireInput) (steps.ProvisionAcquired, error) {
	log := a.provisionLog(ctx, in.OrgID, in.WorkflowID).With("e164", phone.Redact(in.E164))
	if err := a.provisionPrecheck(ctx, in); err != nil {
		return steps.ProvisionAcquired{}, err
	}
	pc, err := a.providerClient(ctx, in.OrgID)
	if err != nil {
		return steps.ProvisionAcquired{}, err
	}
	owned, err := pc.ListOwnedNumbers(ctx, in.E164)
	if err != nil {
		return steps.ProvisionAcquired{}, providerRefusal(err)
	}
	if len(owned) == 0 {
		return steps.ProvisionAcquired{}, temporal.NewNonRetryableApplicationError(
			"That number isn't in your Twilio account, so it can't be imported. Check the number, or buy it instead.",
			steps.ErrTypeNumberNotOwned, nil)
	}
	log.Info("number found in the account for import", "providerSid", owned[0].SID)
	out := steps.ProvisionAcquired{ProviderSID: owned[0].SID, FriendlyName: owned[0].FriendlyName}
	out.MonthlyCost, out.Currency = a.provisionPrice(ctx, pc, in.E164, log)
	return out, nil
}

// provisionPrecheck refuses, before anything is bought, what could not be
// recorded afterwards.
func (a *Activities) provisionPrecheck(ctx context.Context, in steps.ProvisionAcquireInput) error {
	invalid := func(msg string) error {
		return temporal.NewNonRetryableApplicationError(msg, steps.ErrTypeInvalidItem, nil)
	}
	item := contract.ProvisionItem{Action: in.Action, E164: in.E164, Class: in.Class, SitterID: in.SitterID, FriendlyName: in.FriendlyName}
	if _, msg := item.Check(); msg != "" {
		return invalid(msg)
	}
	o := a.Store.Org(in.OrgID)
	if in.SitterID != nil {
		if _, err := o.ActiveSitter(ctx, *in.SitterID); errors.Is(err, store.ErrNotFound) {
			return temporal.NewNonRetryableApplicationError("That sitter wasn't found, or is no longer active.", ErrTypeSitterNotFound, nil)
		} else if err != nil {
			return err
		}
	}
	elsewhere, err := a.Store.NumberLiveInOtherOrg(ctx, in.E164, in.OrgID)
	if err != nil {
		return err
	}
	if elsewhere {
		return temporal.NewNonRetryableApplicationError("That number is already used by another business on Snout.", ErrTypeNumberInUse, nil)
	}
	existing, err := o.LiveNumberByE164(ctx, in.E164)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if err == nil && existing.Class == store.ClassFrontDesk && existing.Status == store.NumberActive && in.Class != store.ClassFrontDesk {
		return invalid("That is your front desk number; choose a different number here.")
	}
	if in.Class == store.ClassFrontDesk {
		fd, err := o.ActiveFrontDesk(ctx)
		switch {
		case errors.Is(err, store.ErrNotFound):
		case err != nil:
			return err
		case fd.E164 != in.E164:
			return temporal.NewNonRetryableApplicationError(
				fmt.Sprintf("This business already has a front desk number (%s). Import that number instead, or release it from the number inventory first.", phone.Display(fd.E164)),
				steps.ErrTypeFrontDeskTaken, nil)
		}
	}
	return nil
}

// provisionMarker is the friendly name a number is bought under: readable
// in the Twilio console, and unique to this request and number so a retried
// purchase recognises itself.
func provisionMarker(workflowID, e164, class, friendly string) string {
	sum := sha256.Sum256([]byte(workflowID + "|" + e164))
	label := friendly
	if label == "" {
		label = "Snout " + strings.ReplaceAll(class, "_", " ")
	}
	if len(label) > 50 {
		label = label[:50]
	}
	return label + " " + hex.EncodeToString(sum[:4])
}

// provisionPrice looks up what the number costs a month. Best effort: the
// purchase does not depend on it.
func (a *Activities) provisionPrice(ctx context.Context, pc *provider.Client, e164 string, log *slog.Logger) (string, string) {
	if !strings.HasPrefix(e164, "+1") || len(e164) != 12 {
		return "", ""
	}
	tollFree := map[string]bool{"800": true, "833": true, "844": true, "855": true, "866": true, "877": true, "888": true}[e164[2:5]]
	p, err := pc.MonthlyPrice(ctx, "US", tollFree)
	if err != nil {
		log.Warn("monthly price lookup failed", "err", err)
		return "", ""
	}
	return p.Amount, p.Currency
}

// ProvisionRecordNumber inserts or updates the number's row, its history
// and the audit trail. Idempotent: the live row is found by E.164, the
// event and audit entry are keyed by the request.
func (a *Activities) ProvisionRecordNumber(ctx context.Context, in steps.ProvisionRecordInput) (steps.ProvisionRecorded, error) {
	o := a.Store.Org(in.OrgID)
	n, created, err := o.UpsertProvisionedNumber(ctx, store.ProvisionedNumber{
		E164: in.E164, ProviderSID: in.Acquired.ProviderSID, Class: in.Class, SitterID: in.SitterID,
		FriendlyName: in.Acquired.FriendlyName, MonthlyCost: in.Acquired.MonthlyCost,
	})
	switch {
	case errors.Is(err, store.ErrFrontDeskTaken):
		return steps.ProvisionRecorded{}, temporal.NewNonRetryableApplicationError(
			"This business already has a front desk number. Release it from the number inventory first.", steps.ErrTypeFrontDeskTaken, err)
	case errors.Is(err, store.ErrConflict):
		return steps.ProvisionRecorded{}, temporal.NewNonRetryableApplicationError("That number is already used by another business on Snout.", ErrTypeNumberInUse, err)
	case errors.Is(err, store.ErrNotFound): // the sitter foreign key
		return steps.ProvisionRecorded{}, temporal.NewNonRetryableApplicationError("That sitter wasn't found, or is no longer active.", ErrTypeSitterNotFound, err)
	case err != nil:
		return steps.ProvisionRecorded{}, err
	}
	kind, action, detail := "imported", "number.imported", "Imported from the Twilio account"
	if in.Acquired.Bought {
		kind, action, detail = "purchased", "number.purchased", "Bought"
		if in.Acquired.MonthlyCost != "" {
			detail += fmt.Sprintf(" for %s %s a month", in.Acquired.MonthlyCost, in.Acquired.Currency)
		}
	}
	detail += fmt.Sprintf(" as a %s number (request %s)", strings.ReplaceAll(in.Class, "_", " "), in.WorkflowID)
	if err := o.AddNumberEventOnce(ctx, n.ID, kind, detail, in.ActorUserID.String()); err != nil {
		return steps.ProvisionRecorded{}, err
	}
	if err := o.Audit(ctx, store.Audit{
		ActorType: "user", ActorID: in.ActorUserID.String(), Action: action, EntityType: "phone_number", EntityID: n.ID.String(),
		CorrelationID: obs.CorrelationID(ctx),
		Detail: map[string]any{"e164": in.E164, "class": in.Class, "sitterId": in.SitterID, "monthlyCost": in.Acquired.MonthlyCost,
			"currency": in.Acquired.Currency, "newRow": created, "requestId": in.WorkflowID},
		DedupeKey: in.WorkflowID + "/" + in.E164 + "/" + kind,
	}); err != nil {
		return steps.ProvisionRecorded{}, err
	}
	a.provisionLog(ctx, in.OrgID, in.WorkflowID).Info("number recorded", "numberId", n.ID, "class", in.Class, "bought", in.Acquired.Bought)
	return steps.ProvisionRecorded{NumberID: n.ID}, nil
}

// ProvisionInstallWebhook points the number's inbound texts at Snout and
// verifies it by reading the number back from the provider (the portable
// round trip: Twilio must report the exact URL and method). Failures the
// owner must act on come back as a failed result, recorded on the number;
// transient provider trouble is returned as an error so Temporal retries.
func (a *Activities) ProvisionInstallWebhook(ctx context.Context, in steps.ProvisionWebhookInput) (steps.ProvisionWebhookResult, error) {
	log := a.provisionLog(ctx, in.OrgID, in.RequestKey).With("numberId", in.NumberID)
	o := a.Store.Org(in.OrgID)
	n, err := o.Number(ctx, in.NumberID)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return steps.ProvisionWebhookResult{}, temporal.NewNonRetryableApplicationError("That number wasn't found.", steps.ErrTypeInvalidItem, err)
		}
		return steps.ProvisionWebhookResult{}, err
	}
	url := a.setupSMSWebhookURL()
	res := steps.ProvisionWebhookResult{NumberID: n.ID, E164: n.E164, ProviderSID: n.ProviderSID, URL: url}
	fail := func(msg string, code int) (steps.ProvisionWebhookResult, error) {
		res.Status, res.Error, res.ProviderCode = "failed", msg, code
		log.Warn("webhook not installed", "reason", msg, "providerCode", code)
		if err := o.SetNumberWebhook(ctx, n.ID, "failed", msg, res.ProviderSID, a.now()); err != nil {
			return res, err
		}
		if err := o.AddNumberEventOnce(ctx, n.ID, "webhook_failed", msg+" (request "+in.RequestKey+")", in.ActorID); err != nil {
			return res, err
		}
		return res, nil
	}
	if n.Status != store.NumberActive {
		res.Status, res.Error = "failed", "This number is no longer active."
		return res, nil
	}
	pc, err := a.providerClient(ctx, in.OrgID)
	if err != nil {
		return res, err
	}
	if res.ProviderSID == "" {
		owned, err := pc.ListOwnedNumbers(ctx, n.E164)
		if err != nil {
			return a.webhookProviderFailure(res, err, fail)
		}
		if len(owned) == 0 {
			return fail("This number isn't in your Twilio account. Import it into your Twilio account, or release it from the number inventory.", 0)
		}
		res.ProviderSID = owned[0].SID
	}
	if _, err := pc.ConfigureNumber(ctx, res.ProviderSID, provider.NumberConfig{SMSURL: url, SMSMethod: "POST"}); err != nil {
		return a.webhookProviderFailure(res, err, fail)
	}
	if err := o.SetNumberWebhook(ctx, n.ID, "installed", "", res.ProviderSID, a.now()); err != nil {
		return res, err
	}
	back, err := pc.ListOwnedNumbers(ctx, n.E164)
	if err != nil {
		return a.webhookProviderFailure(res, err, fail)
	}
	var got *provider.OwnedNumber
	for i := range back {
		if back[i].SID == res.ProviderSID {
			got = &back[i]
		}
	}
	switch {
	case got == nil:
		return fail("Twilio no longer lists this number in your account.", 0)
	case got.SMSURL != url || !strings.EqualFold(got.SMSMethod, "POST"):
		return fail("Twilio didn't keep Snout's address for incoming texts on this number. Try again; if it keeps failing, check the number's messaging settings in Twilio.", 0)
	}
	res.Status = "verified"
	if err := o.SetNumberWebhook(ctx, n.ID, "verified", "", res.ProviderSID, a.now()); err != nil {
		return res, err
	}
	if err := o.AddNumberEventOnce(ctx, n.ID, "webhook_verified", "Incoming texts now reach Snout (request "+in.RequestKey+")", in.ActorID); err != nil {
		return res, err
	}
	log.Info("webhook installed and verified", "providerSid", res.ProviderSID)
	return res, nil
}

func (a *Activities) webhookProviderFailure(res steps.ProvisionWebhookResult, err error, fail func(string, int) (steps.ProvisionWebhookResult, error)) (steps.ProvisionWebhookResult, error) {
	var pe *provider.Error
	if provider.Classify(err) == provider.Transient || !errors.As(err, &pe) {
		return res, err // Temporal retries; the workflow records the failure if retries run out
	}
	return fail(provider.Explain(pe.Code), pe.Code)
}

// ProvisionMarkWebhookFailed records that a number's webhook could not be
// installed.
func (a *Activities) ProvisionMarkWebhookFailed(ctx context.Context, in steps.ProvisionMarkWebhookInput) error {
	o := a.Store.Org(in.OrgID)
	if err := o.SetNumberWebhook(ctx, in.NumberID, "failed", in.Error, "", a.now()); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return o.AddNumberEventOnce(ctx, in.NumberID, "webhook_failed", in.Error+" (request "+in.RequestKey+")", in.ActorID)
}

// ProvisionReleaseNumber releases a number this request bought and marks
// its row released. A number already gone from the account counts as
// released.
func (a *Activities) ProvisionReleaseNumber(ctx context.Context, in steps.ProvisionReleaseInput) error {
	log := a.provisionLog(ctx, in.OrgID, in.WorkflowID).With("numberId", in.NumberID)
	pc, err := a.providerClient(ctx, in.OrgID)
	if err != nil {
		return err
	}
	if err := pc.ReleaseNumber(ctx, in.ProviderSID); err != nil {
		var pe *provider.Error
		if !(errors.As(err, &pe) && pe.Code == 20404) {
			return providerRefusal(err)
		}
	}
	o := a.Store.Org(in.OrgID)
	if in.NumberID != uuid.Nil {
		if err := o.MarkNumberReleased(ctx, in.NumberID, a.now()); err != nil {
			return err
		}
		if err := o.AddNumberEventOnce(ctx, in.NumberID, "released", "Released to Twilio: "+in.Reason+" (request "+in.WorkflowID+")", in.ActorUserID.String()); err != nil {
			return err
		}
	}
	if err := o.Audit(ctx, store.Audit{
		ActorType: "system", ActorID: in.ActorUserID.String(), Action: "number.released", EntityType: "phone_number", EntityID: in.NumberID.String(),
		CorrelationID: obs.CorrelationID(ctx), Detail: map[string]any{"reason": in.Reason, "compensation": true, "requestId": in.WorkflowID},
		DedupeKey: in.WorkflowID + "/" + in.ProviderSID + "/released",
	}); err != nil {
		return err
	}
	log.Info("bought number released again (compensation)", "reason", in.Reason)
	return nil
}

// provisionClient returns the org's provider client; "not connected" and
// undecryptable credentials are permanent.
func (a *Activities) providerClient(ctx context.Context, orgID uuid.UUID) (*provider.Client, error) {
	pc, err := a.Providers.ForOrg(ctx, orgID)
	switch {
	case errors.Is(err, orgprovider.ErrNotConnected):
		return nil, temporal.NewNonRetryableApplicationError("Connect your Twilio account first.", steps.ErrTypeProviderNotConnected, err)
	case err != nil && strings.Contains(err.Error(), "opening provider credentials"):
		return nil, temporal.NewNonRetryableApplicationError("Snout can't read the stored Twilio credentials any more. Connect your Twilio account again.", steps.ErrTypeProviderNotConnected, err)
	case err != nil:
		return nil, err
	}
	return pc, nil
}

// providerRefusal keeps transient provider failures retryable and turns the
// rest into non-retryable errors with the owner-facing explanation and the
// provider's code (ProviderFailure). Every activity that calls the provider
// uses it.
func providerRefusal(err error) error {
	var pe *provider.Error
	if provider.Classify(err) == provider.Transient || !errors.As(err, &pe) {
		return err
	}
	return temporal.NewNonRetryableApplicationError(provider.Explain(pe.Code), steps.ErrTypeProviderRejected, err, steps.ProviderFailure{Code: pe.Code})
}

func (a *Activities) provisionLog(ctx context.Context, orgID uuid.UUID, requestID string) *slog.Logger {
	l := a.Log
	if l == nil {
		l = slog.Default()
	}
	attrs := []any{"orgId", orgID, "requestId", requestID}
	if activity.IsActivity(ctx) {
		info := activity.GetInfo(ctx)
		attrs = append(attrs, "workflowId", info.WorkflowExecution.ID, "activity", info.ActivityType.Name, "attempt", info.Attempt)
	}
	return l.With(attrs...)
}
