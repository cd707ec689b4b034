package activities

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/temporal"

	"github.com/snoutos/snout/internal/obs"
	"github.com/snoutos/snout/internal/orgprovider"
	"github.com/snoutos/snout/internal/phone"
	"github.com/snoutos/snout/internal/provider"
	"github.com/snoutos/snout/internal/routing"
	"github.com/snoutos/snout/internal/segments"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/internal/twiliowebhook"
)

// Application error types of the inbound activities that no retry can fix.
const (
	ErrTypeInvalidWebhook  = "InvalidWebhookPayload"
	ErrTypeInvalidSender   = "InvalidSender"
	ErrTypeUnknownNumber   = "UnknownNumber"
	ErrTypeReceiptNotFound = "ReceiptNotFound"
)

// StatusWebhookPath is where Twilio posts delivery status callbacks.
const StatusWebhookPath = "/webhooks/twilio/status"

// inboundLog scopes a logger and the context (for its correlation ID) to
// one inbound text.
func (a *Activities) inboundLog(ctx context.Context, orgID uuid.UUID, messageSID, correlationID string) (context.Context, *slog.Logger) {
	return obs.WithCorrelationID(ctx, correlationID), a.Log.With("orgId", orgID, "messageSid", messageSID)
}

// InboundReceiptRef names a stored webhook receipt.
type InboundReceiptRef struct {
	OrgID         uuid.UUID `json:"orgId"`
	ReceiptID     uuid.UUID `json:"receiptId"`
	MessageSID    string    `json:"messageSid"`
	CorrelationID string    `json:"correlationId"`
}

// InboundText is an inbound message as its webhook described it.
type InboundText struct {
	ReceiptID     uuid.UUID         `json:"receiptId"`
	MessageSID    string            `json:"messageSid"`
	From          string            `json:"from"`
	To            string            `json:"to"`
	Body          string            `json:"body"`
	Media         []store.MediaItem `json:"media"`
	ReceivedAt    time.Time         `json:"receivedAt"`
	CorrelationID string            `json:"correlationId"`
}

// LoadInboundReceipt reads the stored webhook of an inbound text and parses
// it. A payload that cannot be parsed is a non-retryable failure.
func (a *Activities) LoadInboundReceipt(ctx context.Context, in InboundReceiptRef) (InboundText, error) {
	ctx, log := a.inboundLog(ctx, in.OrgID, in.MessageSID, in.CorrelationID)
	rc, err := a.Store.Org(in.OrgID).WebhookReceipt(ctx, in.ReceiptID)
	if errors.Is(err, store.ErrNotFound) {
		return InboundText{}, temporal.NewNonRetryableApplicationError("the webhook receipt does not exist", ErrTypeReceiptNotFound, err)
	}
	if err != nil {
		return InboundText{}, err
	}
	form, err := twiliowebhook.FromPayload(rc.Payload)
	if err != nil {
		return InboundText{}, temporal.NewNonRetryableApplicationError("the stored webhook cannot be read", ErrTypeInvalidWebhook, err)
	}
	msg, err := twiliowebhook.ParseInbound(form)
	if err != nil {
		log.WarnContext(ctx, "inbound webhook payload is not a message", "err", err)
		return InboundText{}, temporal.NewNonRetryableApplicationError("the webhook is not a valid inbound message", ErrTypeInvalidWebhook, err)
	}
	media := make([]store.MediaItem, 0, len(msg.Media))
	for _, m := range msg.Media {
		media = append(media, store.MediaItem{URL: m.URL, ContentType: m.ContentType})
	}
	return InboundText{ReceiptID: rc.ID, MessageSID: msg.MessageSID, From: msg.From, To: msg.To, Body: msg.Body,
		Media: media, ReceivedAt: rc.ReceivedAt, CorrelationID: rc.CorrelationID}, nil
}

// ResolveInboundClientInput names the sender of an inbound text.
type ResolveInboundClientInput struct {
	OrgID         uuid.UUID `json:"orgId"`
	From          string    `json:"from"`
	MessageSID    string    `json:"messageSid"`
	CorrelationID string    `json:"correlationId"`
}

// InboundClient is the client who texted.
type InboundClient struct {
	ClientID uuid.UUID `json:"clientId"`
	E164     string    `json:"e164"`
	Created  bool      `json:"created"`
	OptedOut bool      `json:"optedOut"`
}

// ResolveInboundClient finds the client by E.164, or creates one named
// after the number (e.g. "(650) 555-0101"; only owners and admins ever see
// client names with numbers). The creation is audited in the same
// transaction.
func (a *Activities) ResolveInboundClient(ctx context.Context, in ResolveInboundClientInput) (InboundClient, error) {
	ctx, log := a.inboundLog(ctx, in.OrgID, in.MessageSID, in.CorrelationID)
	e164, err := phone.Normalize(in.From, "US")
	if err != nil {
		log.WarnContext(ctx, "inbound sender is not a phone number", "err", err)
		return InboundClient{}, temporal.NewNonRetryableApplicationError("the sender is not a phone number Snout can reply to", ErrTypeInvalidSender, err)
	}
	var out InboundClient
	err = a.Store.Org(in.OrgID).Tx(ctx, func(ctx context.Context, org *store.OrgStore) error {
		c, created, err := org.CreateClientIfMissing(ctx, &store.Client{OrgID: in.OrgID, Name: phone.Display(e164), PhoneE164: e164})
		if err != nil {
			return err
		}
		out = InboundClient{ClientID: c.ID, E164: c.PhoneE164, Created: created, OptedOut: c.OptedOutAt != nil}
		if !created {
			return nil
		}
		return org.Audit(ctx, store.Audit{ActorType: "system", Action: "client.created", EntityType: "client", EntityID: c.ID.String(),
			CorrelationID: in.CorrelationID, Detail: map[string]any{"source": "inbound_text", "messageSid": in.MessageSID},
			DedupeKey: "inbound/" + in.MessageSID + "/client_created"})
	})
	if err != nil {
		return InboundClient{}, err
	}
	if out.Created {
		log.InfoContext(ctx, "new client from an unknown sender", "clientId", out.ClientID)
	}
	return out, nil
}

// FindReceivingNumberInput names the business number a text was sent to.
type FindReceivingNumberInput struct {
	OrgID         uuid.UUID `json:"orgId"`
	To            string    `json:"to"`
	MessageSID    string    `json:"messageSid"`
	CorrelationID string    `json:"correlationId"`
}

// ReceivingNumber is a business number.
type ReceivingNumber struct {
	NumberID uuid.UUID  `json:"numberId"`
	E164     string     `json:"e164"`
	Class    string     `json:"class"`
	Status   string     `json:"status"`
	SitterID *uuid.UUID `json:"sitterId,omitempty"`
}

// FindReceivingNumber finds the org's (not released) number a text arrived
// at. A number the org does not have is a non-retryable failure.
func (a *Activities) FindReceivingNumber(ctx context.Context, in FindReceivingNumberInput) (ReceivingNumber, error) {
	ctx, log := a.inboundLog(ctx, in.OrgID, in.MessageSID, in.CorrelationID)
	n, err := a.Store.Org(in.OrgID).InboundNumber(ctx, in.To)
	if errors.Is(err, store.ErrNotFound) {
		log.WarnContext(ctx, "text arrived at a number this org does not have", "to", in.To)
		return ReceivingNumber{}, temporal.NewNonRetryableApplicationError("the number the text was sent to is not one of this business's numbers", ErrTypeUnknownNumber, err)
	}
	if err != nil {
		return ReceivingNumber{}, err
	}
	return numberRef(n), nil
}

func numberRef(n *store.PhoneNumber) ReceivingNumber {
	return ReceivingNumber{NumberID: n.ID, E164: n.E164, Class: n.Class, Status: n.Status, SitterID: n.SitterID}
}

// EnsureInboundThreadInput names the client and the number texted.
type EnsureInboundThreadInput struct {
	OrgID         uuid.UUID       `json:"orgId"`
	ClientID      uuid.UUID       `json:"clientId"`
	Number        ReceivingNumber `json:"number"`
	ReceivedAt    time.Time       `json:"receivedAt"`
	MessageSID    string          `json:"messageSid"`
	CorrelationID string          `json:"correlationId"`
}

// InboundThread is the thread a text lands in, with the number it now
// lives on (after a quarantine move, not the number texted).
type InboundThread struct {
	ThreadID uuid.UUID       `json:"threadId"`
	Created  bool            `json:"created"`
	Number   ReceivingNumber `json:"number"`
	// MovedFrom is the number texted when the thread was moved off it.
	MovedFrom *uuid.UUID `json:"movedFrom,omitempty"`
}

// EnsureInboundThread finds or creates the client × number thread. A text
// to a number that is no longer active (quarantined) lands on the thread
// that was moved off it, on its new number, when there is one.
func (a *Activities) EnsureInboundThread(ctx context.Context, in EnsureInboundThreadInput) (InboundThread, error) {
	ctx, log := a.inboundLog(ctx, in.OrgID, in.MessageSID, in.CorrelationID)
	org := a.Store.Org(in.OrgID)
	if in.Number.Status != store.NumberActive {
		t, err := org.ThreadMovedOffNumber(ctx, in.Number.NumberID, in.ClientID)
		switch {
		case err == nil:
			n, err := org.Number(ctx, t.NumberID)
			if err != nil {
				return InboundThread{}, err
			}
			from := in.Number.NumberID
			log.InfoContext(ctx, "text to a moved-off number lands on the moved thread", "threadId", t.ID, "fromNumberId", from, "toNumberId", n.ID)
			return InboundThread{ThreadID: t.ID, Number: numberRef(n), MovedFrom: &from}, nil
		case !errors.Is(err, store.ErrNotFound):
			return InboundThread{}, err
		}
	}
	t, created, err := org.EnsureThread(ctx, in.ClientID, in.Number.NumberID, in.ReceivedAt)
	if err != nil {
		return InboundThread{}, err
	}
	return InboundThread{ThreadID: t.ID, Created: created, Number: in.Number}, nil
}

// OptOutKeywordInput is a STOP-family or START-family text.
type OptOutKeywordInput struct {
	OrgID    uuid.UUID `json:"orgId"`
	ClientID uuid.UUID `json:"clientId"`
	// OptOut is true for STOP and its synonyms, false for START and its.
	OptOut        bool      `json:"optOut"`
	Keyword       string    `json:"keyword"` // the word the client sent, upper case
	NumberE164    string    `json:"numberE164"`
	At            time.Time `json:"at"`
	MessageSID    string    `json:"messageSid"`
	CorrelationID string    `json:"correlationId"`
}

// OptOutKeywordResult says whether the client's state changed.
type OptOutKeywordResult struct {
	Changed bool `json:"changed"`
}

// ApplyOptOutKeyword opts the client out of (or back in to) texts from
// every number of the org, and audits it in the same transaction.
func (a *Activities) ApplyOptOutKeyword(ctx context.Context, in OptOutKeywordInput) (OptOutKeywordResult, error) {
	ctx, log := a.inboundLog(ctx, in.OrgID, in.MessageSID, in.CorrelationID)
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
			EntityID: in.ClientID.String(), CorrelationID: in.CorrelationID,
			Detail:    map[string]any{"keyword": in.Keyword, "numberE164": in.NumberE164, "changed": changed, "scope": "all numbers"},
			DedupeKey: "inbound/" + in.MessageSID + "/opt_keyword"})
	})
	if err != nil {
		return OptOutKeywordResult{}, err
	}
	log.InfoContext(ctx, "opt-out keyword applied", "clientId", in.ClientID, "optOut", in.OptOut, "changed", changed)
	return OptOutKeywordResult{Changed: changed}, nil
}

// RoutingContextInput asks for what routing needs about a thread.
type RoutingContextInput struct {
	OrgID    uuid.UUID `json:"orgId"`
	ThreadID uuid.UUID `json:"threadId"`
	ClientID uuid.UUID `json:"clientId"`
	// Around is the workflow's time; overrides and windows near it are
	// loaded, and routing.Decide picks the ones in force.
	Around time.Time `json:"around"`
	// NumberSitterID is the sitter owning the thread's number, if any.
	NumberSitterID *uuid.UUID `json:"numberSitterId,omitempty"`
	CorrelationID  string     `json:"correlationId"`
}

// SitterName names a sitter in routing traces.
type SitterName struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// RoutingContext is the input to routing.Decide that lives in the database.
type RoutingContext struct {
	Overrides []routing.Override `json:"overrides"`
	Windows   []routing.Window   `json:"windows"`
	// Sitters names every sitter the overrides, windows and number
	// mention, ordered by ID.
	Sitters []SitterName `json:"sitters"`
}

// routingHorizon is how far around the decision time overrides and windows
// are loaded: enough for the trace to mention the last and next ones.
const routingHorizon = 30 * 24 * time.Hour

// LoadRoutingContext loads the thread's routing overrides and the client's
// assignment windows around in.Around, plus the names of the sitters they
// mention (so the trace reads "Sam Patel", not an ID).
func (a *Activities) LoadRoutingContext(ctx context.Context, in RoutingContextInput) (RoutingContext, error) {
	ctx = obs.WithCorrelationID(ctx, in.CorrelationID)
	org := a.Store.Org(in.OrgID)
	from, to := in.Around.Add(-routingHorizon), in.Around.Add(routingHorizon)
	overrides, err := org.ThreadOverrides(ctx, in.ThreadID, from, to)
	if err != nil {
		return RoutingContext{}, err
	}
	windows, err := org.ClientWindows(ctx, in.ClientID, from, to)
	if err != nil {
		return RoutingContext{}, err
	}
	out := RoutingContext{Overrides: []routing.Override{}, Windows: []routing.Window{}, Sitters: []SitterName{}}
	var sitterIDs []uuid.UUID
	for _, o := range overrides {
		target := routing.Target{Kind: routing.TargetKind(o.TargetKind)}
		if o.TargetSitterID != nil {
			target.SitterID = o.TargetSitterID.String()
			sitterIDs = append(sitterIDs, *o.TargetSitterID)
		}
		out.Overrides = append(out.Overrides, routing.Override{ID: o.ID.String(), Target: target, StartsAt: o.StartsAt, EndsAt: o.EndsAt, Reason: o.Reason})
	}
	for _, w := range windows {
		ends := w.EndsAt
		// A window ended early has no end in the future, whatever ends_at says.
		if w.Status == store.WindowEnded && ends.After(in.Around) {
			ends = in.Around
		}
		if !ends.After(w.StartsAt) {
			continue
		}
		out.Windows = append(out.Windows, routing.Window{ID: w.ID.String(), SitterID: w.SitterID.String(), ClientID: w.ClientID.String(), StartsAt: w.StartsAt, EndsAt: ends})
		sitterIDs = append(sitterIDs, w.SitterID)
	}
	if in.NumberSitterID != nil {
		sitterIDs = append(sitterIDs, *in.NumberSitterID)
	}
	sitters, err := org.SittersByID(ctx, sitterIDs)
	if err != nil {
		return RoutingContext{}, err
	}
	for _, s := range sitters {
		out.Sitters = append(out.Sitters, SitterName{ID: s.ID.String(), Name: s.Name})
	}
	slices.SortFunc(out.Sitters, func(x, y SitterName) int { return strings.Compare(x.ID, y.ID) })
	return out, nil
}

// StoreInboundMessageInput is a routed inbound text.
type StoreInboundMessageInput struct {
	OrgID      uuid.UUID          `json:"orgId"`
	ThreadID   uuid.UUID          `json:"threadId"`
	NumberID   uuid.UUID          `json:"numberId"` // the number texted
	Text       InboundText        `json:"text"`
	Routing    store.RoutingTrace `json:"routing"`
	SitterID   *uuid.UUID         `json:"sitterId,omitempty"`
	ReceivedAt time.Time          `json:"receivedAt"`
}

// StoredInboundMessage is the stored message.
type StoredInboundMessage struct {
	MessageID uuid.UUID `json:"messageId"`
	// Inserted is false when an earlier run already stored it.
	Inserted bool `json:"inserted"`
}

// StoreInboundMessage stores the text in its thread with its routing trace,
// encoding and segments, and moves the thread's unread count and last
// activity, all in one transaction keyed on the MessageSid: running it
// again stores and counts nothing twice.
func (a *Activities) StoreInboundMessage(ctx context.Context, in StoreInboundMessageInput) (StoredInboundMessage, error) {
	ctx, log := a.inboundLog(ctx, in.OrgID, in.Text.MessageSID, in.Text.CorrelationID)
	info := segments.Analyze(in.Text.Body)
	segs := info.Segments
	if segs == 0 {
		segs = 1 // a media-only MMS is still one message
	}
	msg, inserted, err := a.Store.Org(in.OrgID).SaveInboundMessage(ctx, store.InboundMessage{
		ThreadID: in.ThreadID, NumberID: in.NumberID, ProviderSID: in.Text.MessageSID, From: in.Text.From, To: in.Text.To,
		Body: in.Text.Body, Media: in.Text.Media, Encoding: string(info.Encoding), Segments: segs, Routing: in.Routing,
		RoutedSitter: in.SitterID, CorrelationID: in.Text.CorrelationID, ReceivedAt: in.ReceivedAt,
	})
	if err != nil {
		return StoredInboundMessage{}, err
	}
	log.InfoContext(ctx, "inbound message stored", "messageId", msg.ID, "threadId", msg.ThreadID, "inserted", inserted,
		"target", in.Routing.Target.Kind, "rule", in.Routing.Rule)
	return StoredInboundMessage{MessageID: msg.ID, Inserted: inserted}, nil
}

// InboundAuditInput describes what happened to an inbound text.
type InboundAuditInput struct {
	OrgID         uuid.UUID  `json:"orgId"`
	MessageID     uuid.UUID  `json:"messageId"`
	ThreadID      uuid.UUID  `json:"threadId"`
	ClientID      uuid.UUID  `json:"clientId"`
	NumberID      uuid.UUID  `json:"numberId"`
	MessageSID    string     `json:"messageSid"`
	CorrelationID string     `json:"correlationId"`
	Media         int        `json:"media"`
	Keyword       string     `json:"keyword"`
	NewThread     bool       `json:"newThread"`
	Target        string     `json:"target"`
	SitterID      *uuid.UUID `json:"sitterId,omitempty"`
	Rule          string     `json:"rule"`
}

// RecordInboundAudit appends "message.received" and "message.routed" to
// the audit trail under the webhook's correlation ID, once each however
// often it runs.
func (a *Activities) RecordInboundAudit(ctx context.Context, in InboundAuditInput) error {
	ctx = obs.WithCorrelationID(ctx, in.CorrelationID)
	org := a.Store.Org(in.OrgID)
	received := map[string]any{"threadId": in.ThreadID, "clientId": in.ClientID, "numberId": in.NumberID,
		"messageSid": in.MessageSID, "media": in.Media, "keyword": in.Keyword, "newThread": in.NewThread}
	if err := org.Audit(ctx, store.Audit{ActorType: "provider", ActorID: in.MessageSID, Action: "message.received", EntityType: "message",
		EntityID: in.MessageID.String(), CorrelationID: in.CorrelationID, Detail: received, DedupeKey: "inbound/" + in.MessageSID + "/received"}); err != nil {
		return err
	}
	routed := map[string]any{"threadId": in.ThreadID, "target": in.Target, "rule": in.Rule}
	if in.SitterID != nil {
		routed["sitterId"] = in.SitterID
	}
	return org.Audit(ctx, store.Audit{ActorType: "system", Action: "message.routed", EntityType: "message", EntityID: in.MessageID.String(),
		CorrelationID: in.CorrelationID, Detail: routed, DedupeKey: "inbound/" + in.MessageSID + "/routed"})
}

// HelpReplyInput is a HELP text to answer.
type HelpReplyInput struct {
	OrgID         uuid.UUID `json:"orgId"`
	ThreadID      uuid.UUID `json:"threadId"`
	ClientE164    string    `json:"clientE164"`
	NumberE164    string    `json:"numberE164"` // the number the client texted; the reply comes from it
	MessageSID    string    `json:"messageSid"`
	CorrelationID string    `json:"correlationId"`
}

// HelpReplyResult says what became of the reply.
type HelpReplyResult struct {
	MessageID   uuid.UUID `json:"messageId"`
	ProviderSID string    `json:"providerSid,omitempty"`
	// Skipped explains a reply not sent (the client is opted out).
	Skipped string `json:"skipped,omitempty"`
	// Failed is the plain-language reason the provider refused it.
	Failed string `json:"failed,omitempty"`
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
func (a *Activities) SendHelpReply(ctx context.Context, in HelpReplyInput) (HelpReplyResult, error) {
	ctx, log := a.inboundLog(ctx, in.OrgID, in.MessageSID, in.CorrelationID)
	org := a.Store.Org(in.OrgID)
	out := HelpReplyResult{MessageID: HelpReplyMessageID(in.MessageSID)}
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
		Segments: max(info.Segments, 1), CorrelationID: in.CorrelationID, CreatedAt: now, UpdatedAt: now,
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
		CorrelationID: in.CorrelationID, Detail: map[string]any{"threadId": in.ThreadID, "inReplyTo": in.MessageSID, "providerSid": sent.SID},
		DedupeKey: "inbound/" + in.MessageSID + "/help_reply"}); err != nil {
		return out, err
	}
	log.InfoContext(ctx, "help reply sent", "replySid", sent.SID)
	return out, nil
}

// MarkReceiptInput names a receipt to mark.
type MarkReceiptInput struct {
	OrgID     uuid.UUID `json:"orgId"`
	ReceiptID uuid.UUID `json:"receiptId"`
	// Note, when set, says why processing stopped short.
	Note string `json:"note,omitempty"`
}

// MarkInboundReceiptProcessed records that the receipt's text is handled.
func (a *Activities) MarkInboundReceiptProcessed(ctx context.Context, in MarkReceiptInput) error {
	return a.Store.Org(in.OrgID).MarkReceiptProcessed(ctx, in.ReceiptID, a.now(), in.Note)
}
