// Package receipts is the application layer of Twilio's webhooks: a text
// or a status callback is verified, stored durably (one receipt per
// MessageSid, or per SID and status), acknowledged, and then dispatched to
// the workflow that owns its work. Dispatch is one function, used by the
// webhook right after the receipt is stored and by the receipt sweep for
// receipts whose dispatch did not happen (Temporal unreachable, a process
// that died between the write and the start).
package receipts

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"sync"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/client"

	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/platform/obs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/internal/twilio/orgprovider"
	"github.com/snoutos/snout/internal/twilio/provider"
	"github.com/snoutos/snout/internal/twilio/twiliowebhook"
	"github.com/snoutos/snout/service"
)

// Service holds the webhook use cases and the dispatch of receipts.
type Service struct {
	Store *store.Store
	// Providers knows each connected Twilio account's signing key; only
	// receiving webhooks needs it.
	Providers *orgprovider.Directory
	// Temporal starts and signals the workflows; when nil, receipts stay
	// undispatched for the sweep.
	Temporal  client.Client
	TaskQueue string
	// PublicURL is how Twilio reaches Snout: signatures are over it.
	PublicURL string
	Now       func() time.Time
	Log       *slog.Logger
	Auditor   service.Auditor

	// rejections keeps a flood of forged webhooks from writing an audit
	// event each: one per source and reason a minute, with the count of
	// the ones in between.
	rejections rejectionLog
}

// rejectionLog remembers when each kind of webhook refusal was last
// recorded.
type rejectionLog struct {
	mu   sync.Mutex
	last map[string]*rejected
}

type rejected struct {
	at      time.Time
	repeats int
}

const rejectionQuiet = time.Minute

// note says whether a refusal of this key should be recorded now, and how
// many were left unrecorded since the last one.
func (l *rejectionLog) note(key string, now time.Time) (bool, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.last == nil || len(l.last) > 10000 {
		l.last = map[string]*rejected{}
	}
	r, ok := l.last[key]
	if ok && now.Sub(r.at) < rejectionQuiet {
		r.repeats++
		return false, 0
	}
	repeats := 0
	if ok {
		repeats = r.repeats
	}
	l.last[key] = &rejected{at: now}
	return true, repeats
}

// Webhook is a request from Twilio as it arrived.
type Webhook struct {
	// Route is the webhook's route, RequestURI the path and query Twilio
	// requested (and signed, after the public URL).
	Route, RequestURI string
	Form              url.Values
	Signature         string
	IP                string
}

// errNotSigned refuses a webhook no connected Twilio account signed.
var errNotSigned = errs.Forbidden("The request is not signed by a Twilio account connected to Snout.")

// ReceiveText stores a text sent to one of the org's numbers and starts
// its inbound workflow. Any number of redeliveries store one receipt. A
// text to a number Snout does not know (bought in the Twilio console and
// never imported) is kept in its receipt, audited, and threaded nowhere.
func (s *Service) ReceiveText(ctx context.Context, wh Webhook) error {
	orgID, err := s.verify(ctx, wh)
	if err != nil {
		return err
	}
	msg, err := twiliowebhook.ParseInbound(wh.Form)
	if err != nil {
		return formRefusal(err)
	}
	org := s.Store.Org(orgID)
	_, numErr := org.InboundNumber(ctx, msg.To)
	if numErr != nil && !errors.Is(numErr, store.ErrNotFound) {
		return numErr
	}
	rc, inserted, err := s.saveReceipt(ctx, org, wh.Form, twiliowebhook.KindSMS, msg.DedupeKey(), msg.MessageSID)
	if err != nil {
		return err
	}
	log := s.receiptLog(rc)
	switch {
	case !inserted && rc.DispatchedAt != nil:
		log.InfoContext(ctx, "duplicate inbound webhook acknowledged", "firstCorrelationId", rc.CorrelationID)
	case numErr != nil:
		log.WarnContext(ctx, "text to a number that is not in Snout", "to", msg.To)
		s.Auditor.Record(ctx, service.Actor{OrgID: orgID, IP: wh.IP}, service.Event{Action: "webhook.number_unknown", EntityType: "webhook",
			EntityID: wh.Route, Detail: map[string]any{"to": msg.To, "messageSid": msg.MessageSID, "receiptId": rc.ID}})
		if err := org.MarkReceiptProcessed(ctx, rc.ID, s.Now(), "the number "+msg.To+" is not one of this business's numbers in Snout"); err != nil {
			log.ErrorContext(ctx, "receipt not marked", "err", err)
		}
	default:
		s.dispatch(ctx, rc, false)
	}
	return nil
}

// ReceiveStatus stores a delivery status for an outbound message (one
// receipt per SID and status) and hands it to the message's delivery
// workflow, or applies it when that has finished.
func (s *Service) ReceiveStatus(ctx context.Context, wh Webhook) error {
	orgID, err := s.verify(ctx, wh)
	if err != nil {
		return err
	}
	st, err := twiliowebhook.ParseStatus(wh.Form)
	if err != nil {
		return formRefusal(err)
	}
	rc, inserted, err := s.saveReceipt(ctx, s.Store.Org(orgID), wh.Form, twiliowebhook.KindStatus, st.DedupeKey(), st.MessageSID)
	if err != nil {
		return err
	}
	if inserted || rc.DispatchedAt == nil {
		s.dispatch(ctx, rc, false)
	} else {
		s.receiptLog(rc).InfoContext(ctx, "duplicate status callback acknowledged", "status", st.Status)
	}
	return nil
}

// verify finds the org from the form's AccountSid and checks
// X-Twilio-Signature with that account's auth token over the public URL
// (so it holds behind a reverse proxy). A missing or wrong signature, or an
// account no org has, is refused and audited; nothing else is stored.
func (s *Service) verify(ctx context.Context, wh Webhook) (uuid.UUID, error) {
	reject := func(orgID uuid.UUID, reason string) error {
		first, repeats := s.rejections.note(wh.IP+"|"+wh.Form.Get("AccountSid")+"|"+reason, s.Now())
		if !first {
			return errNotSigned // the same refusal was logged and audited a moment ago
		}
		s.Log.WarnContext(ctx, "webhook rejected", "path", wh.Route, "reason", reason, "accountSid", wh.Form.Get("AccountSid"), "repeatsSinceLast", repeats)
		s.Auditor.Record(ctx, service.Actor{OrgID: orgID, IP: wh.IP}, service.Event{Action: "webhook.signature_rejected", EntityType: "webhook",
			EntityID: wh.Route, Detail: map[string]any{"reason": reason, "accountSid": wh.Form.Get("AccountSid"), "messageSid": wh.Form.Get("MessageSid"),
				"repeatsSinceLast": repeats}})
		return errNotSigned
	}
	accountSID := twiliowebhook.AccountSID(wh.Form)
	if accountSID == "" {
		return uuid.Nil, reject(uuid.Nil, "missing or malformed AccountSid")
	}
	if s.Providers == nil {
		return uuid.Nil, errors.New("webhooks: no provider directory configured")
	}
	orgID, token, err := s.Providers.SigningKey(ctx, accountSID)
	if errors.Is(err, store.ErrNotFound) {
		return uuid.Nil, reject(uuid.Nil, "no organisation has this Twilio account")
	}
	if err != nil {
		return uuid.Nil, err
	}
	if wh.Signature == "" {
		return uuid.Nil, reject(orgID, "missing signature")
	}
	signedURL := s.PublicURL + wh.RequestURI
	if provider.ValidateSignature(token, signedURL, wh.Form, wh.Signature) {
		return orgID, nil
	}
	// The owner may have rotated the auth token since it was cached.
	if org2, token2, reread, err := s.Providers.RefreshSigningKey(ctx, accountSID); reread && err == nil &&
		provider.ValidateSignature(token2, signedURL, wh.Form, wh.Signature) {
		return org2, nil
	}
	return uuid.Nil, reject(orgID, "signature does not match")
}

// formRefusal names the parameter a signed form lacks.
func formRefusal(err error) error {
	var fe *twiliowebhook.FieldError
	if errors.As(err, &fe) {
		return errs.InvalidField(fe.Field, fe.Reason)
	}
	return errs.Invalid("The webhook is missing required parameters.", nil)
}

// saveReceipt writes the receipt; a redelivery returns the one stored first.
func (s *Service) saveReceipt(ctx context.Context, org *store.OrgStore, form url.Values, kind, dedupeKey, sid string) (*store.WebhookReceipt, bool, error) {
	payload, err := twiliowebhook.Payload(form)
	if err != nil {
		return nil, false, err
	}
	return org.InsertWebhookReceipt(ctx, &store.WebhookReceipt{OrgID: org.OrgID(), Kind: kind, DedupeKey: dedupeKey, MessageSID: sid,
		Payload: payload, CorrelationID: obs.CorrelationID(ctx)})
}

func (s *Service) receiptLog(rc *store.WebhookReceipt) *slog.Logger {
	return s.Log.With("orgId", rc.OrgID, "messageSid", rc.MessageSID, "receiptId", rc.ID, "kind", rc.Kind)
}
