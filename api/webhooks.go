package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/platform/obs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/internal/twilio/provider"
	"github.com/snoutos/snout/internal/twilio/twiliowebhook"
)

// Twilio's webhook endpoints.
const (
	smsWebhookPath    = "/webhooks/twilio/sms"
	statusWebhookPath = "/webhooks/twilio/status"
)

// webhookDispatchTimeout bounds the Temporal call made after the receipt
// is stored. Twilio gives up after 15 s; when Temporal does not answer in
// time the webhook is acknowledged anyway and the sweep re-drives it.
const webhookDispatchTimeout = 4 * time.Second

// emptyTwiML acknowledges an inbound text without replying to it.
const emptyTwiML = `<?xml version="1.0" encoding="UTF-8"?><Response/>`

// twilioWebhookRoutes are Twilio's public endpoints. Neither has a session:
// each request is authenticated by its X-Twilio-Signature.
func (s *Server) twilioWebhookRoutes() []featureRoute {
	return []featureRoute{
		{http.MethodPost, smsWebhookPath, s.twilioInboundText},
		{http.MethodPost, statusWebhookPath, s.twilioStatusCallback},
	}
}

// signedWebhook is a webhook whose signature checked out.
type signedWebhook struct {
	orgID uuid.UUID
	form  url.Values
}

// verifyTwilioWebhook reads the form, finds the org from its AccountSid
// and checks X-Twilio-Signature with that account's auth token over the
// public URL (SNOUT_PUBLIC_URL + path + query, so it holds behind a reverse
// proxy). A missing or wrong signature, or an account no org has, answers
// 403 and leaves an audit event; nothing else is stored.
func (s *Server) verifyTwilioWebhook(c *gin.Context) (signedWebhook, bool) {
	ctx := c.Request.Context()
	form, err := twiliowebhook.ReadForm(c.Request.Body)
	if err != nil {
		respondError(c, s.log, badRequest("The webhook body is not a form Snout can read.", nil))
		return signedWebhook{}, false
	}
	reject := func(orgID *uuid.UUID, reason string) {
		detail := map[string]any{"reason": reason, "accountSid": form.Get("AccountSid"), "messageSid": form.Get("MessageSid")}
		s.log.WarnContext(ctx, "webhook rejected", "path", c.FullPath(), "reason", reason, "accountSid", form.Get("AccountSid"))
		s.audit(c, orgID, "", "webhook.signature_rejected", "webhook", c.FullPath(), detail)
		respondError(c, s.log, forbidden("The request is not signed by a Twilio account connected to Snout."))
	}
	accountSID := twiliowebhook.AccountSID(form)
	if accountSID == "" {
		reject(nil, "missing or malformed AccountSid")
		return signedWebhook{}, false
	}
	if s.providers == nil {
		respondError(c, s.log, errors.New("webhooks: no provider directory configured"))
		return signedWebhook{}, false
	}
	orgID, token, err := s.providers.SigningKey(ctx, accountSID)
	if errors.Is(err, store.ErrNotFound) {
		reject(nil, "no organisation has this Twilio account")
		return signedWebhook{}, false
	}
	if err != nil {
		respondError(c, s.log, err)
		return signedWebhook{}, false
	}
	signature := c.GetHeader(provider.SignatureHeader)
	if signature == "" {
		reject(&orgID, "missing signature")
		return signedWebhook{}, false
	}
	if !provider.ValidateSignature(token, s.cfg.PublicURL+c.Request.URL.RequestURI(), form, signature) {
		reject(&orgID, "signature does not match")
		return signedWebhook{}, false
	}
	return signedWebhook{orgID: orgID, form: form}, true
}

// webhookFieldError turns a form refusal into a 400 naming the parameter.
func webhookFieldError(err error) error {
	var fe *twiliowebhook.FieldError
	if errors.As(err, &fe) {
		return invalidField(fe.Field, fe.Reason)
	}
	return badRequest("The webhook is missing required parameters.", nil)
}

// twilioInboundText receives a text sent to one of the org's numbers. It
// answers only after the receipt is committed (unique on the MessageSid, so
// any number of redeliveries store one), then starts the inbound workflow.
// If Temporal is unreachable the text is still acknowledged: the receipt is
// durable and the sweep starts the workflow later.
func (s *Server) twilioInboundText(c *gin.Context) {
	ctx := c.Request.Context()
	wh, ok := s.verifyTwilioWebhook(c)
	if !ok {
		return
	}
	msg, err := twiliowebhook.ParseInbound(wh.form)
	if err != nil {
		respondError(c, s.log, webhookFieldError(err))
		return
	}
	org := s.store.Org(wh.orgID)
	_, numErr := org.InboundNumber(ctx, msg.To)
	if numErr != nil && !errors.Is(numErr, store.ErrNotFound) {
		respondError(c, s.log, numErr)
		return
	}
	payload, err := twiliowebhook.Payload(wh.form)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	rc, inserted, err := org.InsertWebhookReceipt(ctx, &store.WebhookReceipt{
		OrgID: wh.orgID, Kind: twiliowebhook.KindSMS, DedupeKey: msg.DedupeKey(), MessageSID: msg.MessageSID,
		Payload: payload, CorrelationID: obs.CorrelationID(ctx),
	})
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	log := s.log.With("orgId", wh.orgID, "messageSid", msg.MessageSID, "receiptId", rc.ID)
	switch {
	case !inserted && rc.DispatchedAt != nil:
		log.InfoContext(ctx, "duplicate inbound webhook acknowledged", "firstCorrelationId", rc.CorrelationID)
	case errors.Is(numErr, store.ErrNotFound):
		// Signed by the org's account but sent to a number Snout does not
		// know (e.g. bought in the Twilio console and never imported). The
		// receipt keeps the text; no thread can hold it.
		log.WarnContext(ctx, "text to a number that is not in Snout", "to", msg.To)
		s.audit(c, &wh.orgID, "", "webhook.number_unknown", "webhook", c.FullPath(),
			map[string]any{"to": msg.To, "messageSid": msg.MessageSID, "receiptId": rc.ID})
		if err := org.MarkReceiptProcessed(ctx, rc.ID, time.Now(), "the number "+msg.To+" is not one of this business's numbers in Snout"); err != nil {
			log.ErrorContext(ctx, "receipt not marked", "err", err)
		}
	default:
		s.dispatchInboundText(ctx, org, rc, log)
	}
	c.Data(http.StatusOK, "text/xml; charset=utf-8", []byte(emptyTwiML))
}

// dispatchInboundText starts the inbound workflow for a stored receipt and
// marks the receipt dispatched. Failures are logged and left to the sweep.
func (s *Server) dispatchInboundText(ctx context.Context, org *store.OrgStore, rc *store.WebhookReceipt, log *slog.Logger) {
	if s.temporal == nil {
		log.WarnContext(ctx, "Temporal is not configured; the receipt sweep will start the inbound workflow")
		return
	}
	dctx, cancel := context.WithTimeout(ctx, webhookDispatchTimeout)
	defer cancel()
	_, err := s.temporal.ExecuteWorkflow(dctx, client.StartWorkflowOptions{
		ID:                    contract.InboundWorkflowID(rc.MessageSID),
		TaskQueue:             s.cfg.TemporalTaskQueue,
		WorkflowIDReusePolicy: enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		TypedSearchAttributes: temporal.NewSearchAttributes(contract.OrgIDKey.ValueSet(rc.OrgID.String())),
	}, contract.InboundWorkflowName, contract.InboundInput{
		OrgID: rc.OrgID, ReceiptID: rc.ID, MessageSID: rc.MessageSID, CorrelationID: rc.CorrelationID,
	})
	if err != nil && !temporal.IsWorkflowExecutionAlreadyStartedError(err) {
		log.WarnContext(ctx, "inbound workflow not started; the receipt sweep will retry", "err", err)
		if err := org.RecordReceiptDispatchError(context.WithoutCancel(ctx), rc.ID, err.Error()); err != nil {
			log.ErrorContext(ctx, "dispatch error not recorded", "err", err)
		}
		return
	}
	if err := org.MarkReceiptDispatched(context.WithoutCancel(ctx), rc.ID, time.Now()); err != nil {
		log.ErrorContext(ctx, "receipt not marked dispatched; the sweep will find the workflow already started", "err", err)
	}
}

// twilioStatusCallback receives a delivery status for an outbound message.
// After the receipt is committed (one per SID and status) it is signalled
// to the message's delivery workflow or, when that has finished, applied
// forward-only to the database. A SID Snout never sent is acknowledged
// (an error would make Twilio retry it for nothing) and left to the sweep,
// which closes it if the SID is still unknown half a minute later.
func (s *Server) twilioStatusCallback(c *gin.Context) {
	ctx := c.Request.Context()
	wh, ok := s.verifyTwilioWebhook(c)
	if !ok {
		return
	}
	st, err := twiliowebhook.ParseStatus(wh.form)
	if err != nil {
		respondError(c, s.log, webhookFieldError(err))
		return
	}
	payload, err := twiliowebhook.Payload(wh.form)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	org := s.store.Org(wh.orgID)
	rc, inserted, err := org.InsertWebhookReceipt(ctx, &store.WebhookReceipt{
		OrgID: wh.orgID, Kind: twiliowebhook.KindStatus, DedupeKey: st.DedupeKey(), MessageSID: st.MessageSID,
		Payload: payload, CorrelationID: obs.CorrelationID(ctx),
	})
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	log := s.log.With("orgId", wh.orgID, "messageSid", st.MessageSID, "status", st.Status, "receiptId", rc.ID)
	if inserted || rc.DispatchedAt == nil {
		s.dispatchStatus(ctx, org, rc, st, log)
	} else {
		log.InfoContext(ctx, "duplicate status callback acknowledged")
	}
	c.Status(http.StatusNoContent)
}

func (s *Server) dispatchStatus(ctx context.Context, org *store.OrgStore, rc *store.WebhookReceipt, st twiliowebhook.Status, log *slog.Logger) {
	bg := context.WithoutCancel(ctx)
	att, err := org.AttemptBySID(ctx, st.MessageSID)
	if errors.Is(err, store.ErrNotFound) {
		// Either not Snout's message, or a callback that overtook the
		// recording of its send (Twilio can call back within milliseconds).
		// The sweep looks again once the receipt is older and then closes
		// it if the SID is still unknown.
		log.InfoContext(ctx, "status callback for a SID Snout has not recorded; the receipt sweep checks again")
		if err := org.RecordReceiptDispatchError(bg, rc.ID, "no outbound message has this SID yet"); err != nil {
			log.ErrorContext(ctx, "dispatch error not recorded", "err", err)
		}
		return
	}
	if err != nil {
		log.WarnContext(ctx, "status callback not dispatched; the receipt sweep will retry", "err", err)
		return
	}
	if s.temporal == nil {
		log.WarnContext(ctx, "Temporal is not configured; the receipt sweep will deliver the status")
		return
	}
	dctx, cancel := context.WithTimeout(ctx, webhookDispatchTimeout)
	defer cancel()
	err = s.temporal.SignalWorkflow(dctx, contract.DeliveryWorkflowID(att.MessageID), "", contract.SignalDeliveryStatus, contract.StatusSignal{
		MessageSID: st.MessageSID, Status: st.Status, ErrorCode: st.ErrorCode, ReceivedAt: rc.ReceivedAt, ReceiptID: rc.ID,
	})
	var gone *serviceerror.NotFound
	switch {
	case err == nil:
		if err := org.MarkReceiptDispatched(bg, rc.ID, time.Now()); err != nil {
			log.ErrorContext(ctx, "receipt not marked dispatched", "err", err)
		}
	case errors.As(err, &gone):
		// The delivery workflow has finished (or the message was an
		// automatic reply sent without one): apply it here.
		mid, changed, err := org.ApplyProviderStatus(bg, twiliowebhook.StatusUpdate(st, rc.ReceivedAt))
		if err != nil {
			log.WarnContext(ctx, "status not applied; the receipt sweep will retry", "err", err)
			return
		}
		log.InfoContext(ctx, "status applied directly", "messageId", mid, "changed", changed)
		if err := org.MarkReceiptProcessed(bg, rc.ID, time.Now(), ""); err != nil {
			log.ErrorContext(ctx, "receipt not marked", "err", err)
		}
	default:
		log.WarnContext(ctx, "delivery workflow not signalled; the receipt sweep will retry", "err", err)
		if err := org.RecordReceiptDispatchError(bg, rc.ID, err.Error()); err != nil {
			log.ErrorContext(ctx, "dispatch error not recorded", "err", err)
		}
	}
}
