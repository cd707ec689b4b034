package activities

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/google/uuid"
	"go.temporal.io/sdk/temporal"

	"github.com/snoutos/snout/internal/domain/message"
	"github.com/snoutos/snout/internal/domain/phone"
	"github.com/snoutos/snout/internal/domain/segments"
	"github.com/snoutos/snout/internal/platform/obs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/internal/twilio/orgprovider"
	"github.com/snoutos/snout/internal/twilio/provider"
	"github.com/snoutos/snout/internal/twilio/twiliowebhook"
	"github.com/snoutos/snout/workflows/steps"
)

// Application error types of the inbound activities that no retry can fix.
const (
	ErrTypeInvalidWebhook = "InvalidWebhookPayload"

	ErrTypeReceiptNotFound = "ReceiptNotFound"
)

// StatusWebhookPath is where Twilio posts delivery status callbacks.
const StatusWebhookPath = "/webhooks/twilio/status"

// inboundLog scopes a logger and the context (for its correlation ID) to
// one inbound text.
func (a *Activities) inboundLog(ctx context.Context, orgID uuid.UUID, messageSID, correlationID string) (context.Context, *slog.Logger) {
	return obs.WithCorrelationID(ctx, correlationID), a.Log.With("orgId", orgID, "messageSid", messageSID)
}

// LoadInboundReceipt reads the stored webhook of an inbound text and parses
// it. A payload that cannot be parsed is a non-retryable failure.
func (a *Activities) LoadInboundReceipt(ctx context.Context, in steps.InboundReceiptRef) (steps.InboundText, error) {
	ctx, log := a.inboundLog(ctx, in.OrgID, in.MessageSID, obs.CorrelationID(ctx))
	rc, err := a.Store.Org(in.OrgID).WebhookReceipt(ctx, in.ReceiptID)
	if errors.Is(err, store.ErrNotFound) {
		return steps.InboundText{}, temporal.NewNonRetryableApplicationError("the webhook receipt does not exist", ErrTypeReceiptNotFound, err)
	}
	if err != nil {
		return steps.InboundText{}, err
	}
	form, err := twiliowebhook.FromPayload(rc.Payload)
	if err != nil {
		return steps.InboundText{}, temporal.NewNonRetryableApplicationError("the stored webhook cannot be read", ErrTypeInvalidWebhook, err)
	}
	msg, err := twiliowebhook.ParseInbound(form)
	if err != nil {
		log.WarnContext(ctx, "inbound webhook payload is not a message", "err", err)
		return steps.InboundText{}, temporal.NewNonRetryableApplicationError("the webhook is not a valid inbound message", ErrTypeInvalidWebhook, err)
	}
	media := make([]message.MediaItem, 0, len(msg.Media))
	for _, m := range msg.Media {
		media = append(media, message.MediaItem{URL: m.URL, ContentType: m.ContentType})
	}
	return steps.InboundText{ReceiptID: rc.ID, MessageSID: msg.MessageSID, From: msg.From, To: msg.To, Body: msg.Body,
		Media: media, ReceivedAt: rc.ReceivedAt, CorrelationID: rc.CorrelationID}, nil
}

// ResolveInboundClient finds the client by E.164, or creates one named
// after the number (e.g. "(650) 555-0101"; only owners and admins ever see
// client names with numbers). The creation is audited in the same
// transaction.
func (a *Activities) ResolveInboundClient(ctx context.Context, in steps.ResolveInboundClientInput) (steps.InboundClient, error) {
	ctx, log := a.inboundLog(ctx, in.OrgID, in.MessageSID, obs.CorrelationID(ctx))
	e164, err := phone.Normalize(in.From, "US")
	if err != nil {
		log.WarnContext(ctx, "inbound sender is not a phone number", "err", err)
		return steps.InboundClient{}, temporal.NewNonRetryableApplicationError("the sender is not a phone number Snout can reply to", steps.ErrTypeInvalidSender, err)
	}
	var out steps.InboundClient
	err = a.Store.Org(in.OrgID).Tx(ctx, func(ctx context.Context, org *store.OrgStore) error {
		c, created, err := org.CreateClientIfMissing(ctx, &store.Client{OrgID: in.OrgID, Name: phone.Display(e164), PhoneE164: e164})
		if err != nil {
			return err
		}
		out = steps.InboundClient{ClientID: c.ID, E164: c.PhoneE164, Created: created, OptedOut: c.OptedOutAt != nil}
		if !created {
			return nil
		}
		return org.Audit(ctx, store.Audit{ActorType: "system", Action: "client.created", EntityType: "client", EntityID: c.ID.String(),
			CorrelationID: obs.CorrelationID(ctx), Detail: map[string]any{"source": "inbound_text", "messageSid": in.MessageSID},
			DedupeKey: "inbound/" + in.MessageSID + "/client_created"})
	})
	if err != nil {
		return steps.InboundClient{}, err
	}
	if out.Created {
		log.InfoContext(ctx, "new client from an unknown sender", "clientId", out.ClientID)
	}
	return out, nil
}

// FindReceivingNumber finds the org's (not released) number a text arrived
// at. A number the org does not have is a non-retryable failure.
func (a *Activities) FindReceivingNumber(ctx context.Context, in steps.FindReceivingNumberInput) (steps.ReceivingNumber, error) {
	ctx, log := a.inboundLog(ctx, in.OrgID, in.MessageSID, obs.CorrelationID(ctx))
	n, err := a.Store.Org(in.OrgID).InboundNumber(ctx, in.To)
	if errors.Is(err, store.ErrNotFound) {
		log.WarnContext(ctx, "text arrived at a number this org does not have", "to", in.To)
		return steps.ReceivingNumber{}, temporal.NewNonRetryableApplicationError("the number the text was sent to is not one of this business's numbers", steps.ErrTypeUnknownNumber, err)
	}
	if err != nil {
		return steps.ReceivingNumber{}, err
	}
	return numberRef(n), nil
}

func numberRef(n *store.PhoneNumber) steps.ReceivingNumber {
	return steps.ReceivingNumber{NumberID: n.ID, E164: n.E164, Class: n.Class, Status: n.Status, SitterID: n.SitterID}
}

// EnsureInboundThread finds or creates the client × number thread. A text
// to a number that is no longer active (quarantined) lands on the thread
// that was moved off it, on its new number, when there is one.
func (a *Activities) EnsureInboundThread(ctx context.Context, in steps.EnsureInboundThreadInput) (steps.InboundThread, error) {
	ctx, log := a.inboundLog(ctx, in.OrgID, in.MessageSID, obs.CorrelationID(ctx))
	org := a.Store.Org(in.OrgID)
	if in.Number.Status != store.NumberActive {
		t, err := org.ThreadMovedOffNumber(ctx, in.Number.NumberID, in.ClientID)
		switch {
		case err == nil:
			n, err := org.Number(ctx, t.NumberID)
			if err != nil {
				return steps.InboundThread{}, err
			}
			from := in.Number.NumberID
			log.InfoContext(ctx, "text to a moved-off number lands on the moved thread", "threadId", t.ID, "fromNumberId", from, "toNumberId", n.ID)
			return steps.InboundThread{ThreadID: t.ID, Number: numberRef(n), MovedFrom: &from}, nil
		case !errors.Is(err, store.ErrNotFound):
			return steps.InboundThread{}, err
		}
	}
	t, created, err := org.EnsureThread(ctx, in.ClientID, in.Number.NumberID, in.ReceivedAt)
	if err != nil {
		return steps.InboundThread{}, err
	}
	return steps.InboundThread{ThreadID: t.ID, Created: created, Number: in.Number}, nil
}

// ApplyOptOutKeyword opts the client out of (or back in to) texts from
// every number of the org, and audits it in the same transaction.
func (a *Activities) ApplyOptOutKeyword(ctx context.Context, in steps.OptOutKeywordInput) (steps.OptOutKeywordResult, error) {
	ctx, log := a.inboundLog(ctx, in.OrgID, in.MessageSID, obs.CorrelationID(ctx))
	var changed bool
	err := a.Store.Org(in.OrgID).Tx(ctx, func(ctx context.Context, org *store.OrgStore) error {
		var err error
		action := "client.opted_in"
		if in.OptOut {
			action = "client.opted_out"
			changed, err = org.SetClientOptOut(ctx, in.ClientID, in.Keyword, in.At)
		} else {
			changed, err = org.ClearClientOptOut(ctx, in.ClientID)
		}
		if err != nil {
			return err
		}
		return org.Audit(ctx, store.Audit{ActorType: "provider", ActorID: in.MessageSID, Action: action, EntityType: "client",
			EntityID: in.ClientID.String(), CorrelationID: obs.CorrelationID(ctx),
			Detail:    map[string]any{"keyword": in.Keyword, "numberE164": in.NumberE164, "changed": changed, "scope": "all numbers"},
			DedupeKey: "inbound/" + in.MessageSID + "/opt_keyword"})
	})
	if err != nil {
		return steps.OptOutKeywordResult{}, err
	}
	log.InfoContext(ctx, "opt-out keyword applied", "clientId", in.ClientID, "optOut", in.OptOut, "changed", changed)
	return steps.OptOutKeywordResult{Changed: changed}, nil
}

// LoadRoutingContext loads what routing decides on (store.RoutingInputs:
// the thread's overrides and the client's windows around in.Around, the
// org's rules, the client's tags, the local clock) and the names of the
// sitters they mention, so the trace reads "Sam Patel", not an ID. The
// routing simulator reads the same.
func (a *Activities) LoadRoutingContext(ctx context.Context, in steps.RoutingContextInput) (steps.RoutingContext, error) {
	ctx = obs.WithCorrelationID(ctx, obs.CorrelationID(ctx))
	ri, err := a.Store.Org(in.OrgID).RoutingInputs(ctx, in.ThreadID, in.ClientID, in.NumberSitterID, in.Around)
	if err != nil {
		return steps.RoutingContext{}, err
	}
	return steps.RoutingContext{Overrides: ri.Overrides, Windows: ri.Windows, Sitters: ri.Sitters, Rules: &ri.Rules,
		ClientTags: ri.ClientTags, Clock: ri.Clock}, nil
}

// StoreInboundMessage stores the text in its thread with its routing trace,
// encoding and segments, and moves the thread's unread count and last
// activity, all in one transaction keyed on the MessageSid: running it
// again stores and counts nothing twice.
func (a *Activities) StoreInboundMessage(ctx context.Context, in steps.StoreInboundMessageInput) (steps.StoredInboundMessage, error) {
	ctx, log := a.inboundLog(ctx, in.OrgID, in.Text.MessageSID, in.Text.CorrelationID)
	info := segments.Analyze(in.Text.Body)
	segs := info.Segments
	if segs == 0 {
		segs = 1 // a media-only MMS is still one message
	}
	msg, inserted, err := a.Store.Org(in.OrgID).SaveInboundMessage(ctx, store.InboundMessage{
		ThreadID: in.ThreadID, NumberID: in.NumberID, ProviderSID: in.Text.MessageSID, From: in.Text.From, To: in.Text.To,
		Body: in.Text.Body, Media: in.Text.Media, Encoding: string(info.Encoding), Segments: segs, Routing: in.Routing,
		RoutedSitter: in.SitterID, RuleID: ruleID(in.Routing.RuleID), CorrelationID: in.Text.CorrelationID, ReceivedAt: in.ReceivedAt,
	})
	if err != nil {
		return steps.StoredInboundMessage{}, err
	}
	log.InfoContext(ctx, "inbound message stored", "messageId", msg.ID, "threadId", msg.ThreadID, "inserted", inserted,
		"target", in.Routing.Target.Kind, "rule", in.Routing.Rule)
	return steps.StoredInboundMessage{MessageID: msg.ID, Inserted: inserted}, nil
}

// RecordInboundAudit appends "message.received" and "message.routed" to
// the audit trail under the webhook's correlation ID, once each however
// often it runs.
func (a *Activities) RecordInboundAudit(ctx context.Context, in steps.InboundAuditInput) error {
	ctx = obs.WithCorrelationID(ctx, obs.CorrelationID(ctx))
	org := a.Store.Org(in.OrgID)
	received := map[string]any{"threadId": in.ThreadID, "clientId": in.ClientID, "numberId": in.NumberID,
		"messageSid": in.MessageSID, "media": in.Media, "keyword": in.Keyword, "newThread": in.NewThread}
	if err := org.Audit(ctx, store.Audit{ActorType: "provider", ActorID: in.MessageSID, Action: "message.received", EntityType: "message",
		EntityID: in.MessageID.String(), CorrelationID: obs.CorrelationID(ctx), Detail: received, DedupeKey: "inbound/" + in.MessageSID + "/received"}); err != nil {
		return err
	}
	routed := map[string]any{"threadId": in.ThreadID, "target": in.Target, "rule": in.Rule}
	if in.SitterID != nil {
		routed["sitterId"] = in.SitterID
	}
	return org.Audit(ctx, store.Audit{ActorType: "system", Action: "message.routed", EntityType: "message", EntityID: in.MessageID.String(),
		CorrelationID: obs.CorrelationID(ctx), Detail: routed, DedupeKey: "inbound/" + in.MessageSID + "/routed"})
}

// HelpReplyMessageID is the ID of the reply to the HELP text messageSID:
// derived from it, so a retried activity finds its own reply.
func HelpReplyMessageID(messageSID string) uuid.UUID {
	return uuid.NewSHA1(helpReplyNamespace, []byte(messageSID))
}

var helpReplyNamespace = uuid.MustParse("3c1f0f6e-8a0c-4a51-b2c4-6c0de1f9a7d2")

// SendHelpReply texts the org's help text back from the number the client
// texted, as an automatic message in the thread. Idempotent per MessageSid:
// the reply has a derived ID, and once the provider accepted it nothing is
// sent again. (If the worker dies between the provider accepting the text
// and the row recording it, the retry sends it a second time: Twilio has no
// idempotency key for sends.) A permanent provider refusal is recorded on
// the reply and is not an activity failure.
func (a *Activities) SendHelpReply(ctx context.Context, in steps.HelpReplyInput) (steps.HelpReplyResult, error) {
	ctx, log := a.inboundLog(ctx, in.OrgID, in.MessageSID, obs.CorrelationID(ctx))
	org := a.Store.Org(in.OrgID)
	out := steps.HelpReplyResult{MessageID: HelpReplyMessageID(in.MessageSID)}
	c, err := org.ClientByPhone(ctx, in.ClientE164)
	if err != nil {
		return out, err
	}
	if c.OptedOutAt != nil {
		out.Skipped = "The client has opted out, so no help text is sent."
		log.InfoContext(ctx, "help reply skipped: client opted out")
		return out, nil
	}
	o, err := a.Store.OrgByID(ctx, in.OrgID)
	if err != nil {
		return out, err
	}
	body := o.HelpText
	if body == "" {
		body = o.Name + ": reply STOP to stop texts from us, START to get them again."
	}
	info := segments.Analyze(body)
	now := a.now()
	m, _, err := org.CreateOutboundIfMissing(ctx, &store.Message{
		ID: out.MessageID, OrgID: in.OrgID, ThreadID: in.ThreadID, Direction: store.DirectionOutbound, SenderType: store.SenderAutomation,
		Body: body, FromE164: in.NumberE164, ToE164: in.ClientE164, Status: store.StatusPending, Encoding: string(info.Encoding),
		Segments: max(info.Segments, 1), CorrelationID: obs.CorrelationID(ctx), CreatedAt: now, UpdatedAt: now,
	})
	if err != nil {
		return out, err
	}
	switch {
	case m.ProviderSID != nil:
		out.ProviderSID = *m.ProviderSID
		return out, nil
	case m.Status != store.StatusPending:
		out.Failed = m.ErrorMessage
		return out, nil
	}
	pc, err := a.Providers.ForOrg(ctx, in.OrgID)
	if errors.Is(err, orgprovider.ErrNotConnected) {
		return out, temporal.NewNonRetryableApplicationError(err.Error(), "ProviderNotConnected", err)
	}
	if err != nil {
		return out, err
	}
	sent, err := pc.SendMessage(ctx, provider.SendRequest{From: in.NumberE164, To: in.ClientE164, Body: body,
		StatusCallback: a.Config.PublicURL + StatusWebhookPath})
	if err != nil {
		if provider.Classify(err) == provider.Transient {
			return out, fmt.Errorf("sending the help reply: %w", err)
		}
		var pe *provider.Error
		code := 0
		if errors.As(err, &pe) {
			code = pe.Code
		}
		out.Failed = provider.Explain(code)
		log.WarnContext(ctx, "help reply refused by the provider", "code", code, "err", err)
		return out, org.RecordAutomaticSendFailed(ctx, m.ID, code, out.Failed, a.now())
	}
	status := sent.Status
	if status == "" {
		status = store.StatusQueued
	}
	if err := org.RecordAutomaticSend(ctx, m.ID, sent.SID, status, a.now()); err != nil {
		return out, err
	}
	out.ProviderSID = sent.SID
	if err := org.Audit(ctx, store.Audit{ActorType: "system", Action: "message.help_reply_sent", EntityType: "message", EntityID: m.ID.String(),
		CorrelationID: obs.CorrelationID(ctx), Detail: map[string]any{"threadId": in.ThreadID, "inReplyTo": in.MessageSID, "providerSid": sent.SID},
		DedupeKey: "inbound/" + in.MessageSID + "/help_reply"}); err != nil {
		return out, err
	}
	log.InfoContext(ctx, "help reply sent", "replySid", sent.SID)
	return out, nil
}

// MarkInboundReceiptProcessed records that the receipt's text is handled.
func (a *Activities) MarkInboundReceiptProcessed(ctx context.Context, in steps.MarkReceiptInput) error {
	return a.Store.Org(in.OrgID).MarkReceiptProcessed(ctx, in.ReceiptID, a.now(), in.Note)
}

// ruleID is the stored rule a trace names (built-in rules of decisions
// made before rules were stored have a name, not an ID).
func ruleID(s string) *uuid.UUID {
	id, err := uuid.Parse(s)
	if err != nil {
		return nil
	}
	return &id
}
