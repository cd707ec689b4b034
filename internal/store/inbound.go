package store

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/snoutos/snout/internal/domain/message"
	"github.com/snoutos/snout/internal/domain/routing"
)

// ---- Webhook receipts ----

// InsertWebhookReceipt stores a webhook before it is acknowledged. A
// redelivery (same kind and dedupe key) inserts nothing and returns the
// receipt already stored, with inserted false.
func (o *OrgStore) InsertWebhookReceipt(ctx context.Context, r *WebhookReceipt) (stored *WebhookReceipt, inserted bool, err error) {
	if r.ID == uuid.Nil {
		r.ID = NewID()
	}
	q, err := o.ins(ctx, r, r.OrgID)
	if err != nil {
		return nil, false, err
	}
	if r.ReceivedAt.IsZero() {
		r.ReceivedAt = time.Now()
	}
	res, err := q.On("CONFLICT (kind, dedupe_key) DO NOTHING").Exec(ctx)
	if err != nil {
		return nil, false, translate(err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return r, true, nil
	}
	existing := new(WebhookReceipt)
	err = o.sel(existing).Where("kind = ? AND dedupe_key = ?", r.Kind, r.DedupeKey).Scan(ctx)
	if errors.Is(translate(err), ErrNotFound) {
		// The key is taken by another org's receipt: SIDs are global, so
		// this is a forgery or a misconfiguration, never a redelivery.
		return nil, false, ErrConflict
	}
	return existing, false, translate(err)
}

// WebhookReceipt loads one receipt.
func (o *OrgStore) WebhookReceipt(ctx context.Context, id uuid.UUID) (*WebhookReceipt, error) {
	r := new(WebhookReceipt)
	err := o.sel(r).Where("id = ?", id).Scan(ctx)
	return r, translate(err)
}

// MarkReceiptDispatched records that the receipt's workflow was started or
// signalled (or that there was nothing to start). Idempotent: the first
// time stays.
func (o *OrgStore) MarkReceiptDispatched(ctx context.Context, id uuid.UUID, at time.Time) error {
	_, err := o.upd((*WebhookReceipt)(nil)).
		Set("dispatched_at = COALESCE(dispatched_at, ?), dispatch_error = ''", at).
		Where("id = ?", id).Exec(ctx)
	return translate(err)
}

// RecordReceiptDispatchError notes why a dispatch failed; the sweep tries
// again later.
func (o *OrgStore) RecordReceiptDispatchError(ctx context.Context, id uuid.UUID, reason string) error {
	_, err := o.upd((*WebhookReceipt)(nil)).Set("dispatch_error = ?", clipNote(reason, 500)).
		Where("id = ? AND dispatched_at IS NULL", id).Exec(ctx)
	return translate(err)
}

// MarkReceiptProcessed records that the receipt's work is done (a processed
// receipt is dispatched too). note, when set, says why processing stopped
// short (e.g. the sender is not a phone number).
func (o *OrgStore) MarkReceiptProcessed(ctx context.Context, id uuid.UUID, at time.Time, note string) error {
	q := o.upd((*WebhookReceipt)(nil)).
		Set("processed_at = COALESCE(processed_at, ?), dispatched_at = COALESCE(dispatched_at, ?)", at, at).
		Where("id = ?", id)
	if note != "" {
		q = q.Set("dispatch_error = ?", clipNote(note, 500))
	}
	_, err := q.Exec(ctx)
	return translate(err)
}

// OrgsWithUndispatchedReceipts lists the orgs that have receipts received
// before `before` whose workflow was never started. It is, with
// ProviderAccountBySID, a lookup that discovers orgs: the receipt sweep
// then reads each org's receipts through its OrgStore.
func (s *Store) OrgsWithUndispatchedReceipts(ctx context.Context, before time.Time, limit int) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	err := s.db.NewSelect().Model((*WebhookReceipt)(nil)).ColumnExpr("DISTINCT org_id").
		Where("dispatched_at IS NULL AND received_at < ?", before).Limit(int64(limit)).Scan(ctx, &ids)
	return ids, translate(err)
}

// UndispatchedReceipts lists this org's receipts received before `before`
// whose workflow was never started, oldest first.
func (o *OrgStore) UndispatchedReceipts(ctx context.Context, before time.Time, limit int) ([]WebhookReceipt, error) {
	var out []WebhookReceipt
	err := o.sel(&out).Where("dispatched_at IS NULL AND received_at < ?", before).
		Order("received_at", "id").Limit(int64(limit)).Scan(ctx)
	return out, translate(err)
}

// ---- Inbound message routing ----

// InboundNumber finds the org's number a text arrived at: any number not
// released (a quarantined number still receives texts).
func (o *OrgStore) InboundNumber(ctx context.Context, e164 string) (*PhoneNumber, error) {
	n := new(PhoneNumber)
	err := o.sel(n).Where("e164 = ? AND status <> ?", e164, NumberReleased).Scan(ctx)
	return n, translate(err)
}

// ThreadMovedOffNumber finds the client's thread that a quarantine moved
// off a number: texts still arriving at the old number belong there. The
// latest move wins; ErrNotFound when there is none.
func (o *OrgStore) ThreadMovedOffNumber(ctx context.Context, fromNumberID, clientID uuid.UUID) (*Thread, error) {
	t := new(Thread)
	err := o.sel(t).
		Join("JOIN thread_number_moves AS mv ON mv.org_id = ?TableAlias.org_id AND mv.thread_id = ?TableAlias.id").
		Where("mv.from_number_id = ? AND ?TableAlias.client_id = ?", fromNumberID, clientID).
		OrderExpr("mv.moved_at DESC, mv.id DESC").Limit(1).Scan(ctx)
	return t, translate(err)
}

// ClientByPhone finds the client holding an E.164 number, primary or not.
func (o *OrgStore) ClientByPhone(ctx context.Context, e164 string) (*Client, error) {
	c := new(Client)
	err := o.sel(c).Where(`?TableAlias.id = (SELECT p.client_id FROM client_phones AS p
		WHERE p.org_id = ?TableAlias.org_id AND p.e164 = ?)`, e164).Scan(ctx)
	return c, translate(err)
}

// CreateClientIfMissing stores c unless a client with its phone number
// exists; either way it returns the stored client. Safe under concurrency
// (the unique phone constraint decides) and on retry.
func (o *OrgStore) CreateClientIfMissing(ctx context.Context, c *Client) (stored *Client, created bool, err error) {
	if c.ID == uuid.Nil {
		c.ID = NewID()
	}
	q, err := o.ins(ctx, c, c.OrgID)
	if err != nil {
		return nil, false, err
	}
	// A phone that is another client's second number belongs to them.
	if held, err := o.ClientByPhone(ctx, c.PhoneE164); err == nil {
		return held, false, nil
	}
	res, err := q.On("CONFLICT (org_id, phone_e164) DO NOTHING").Exec(ctx)
	if IsUniqueViolation(err, "client_phones_org_e164_key") {
		// Added to another client meanwhile.
		stored, err = o.ClientByPhone(ctx, c.PhoneE164)
		return stored, false, err
	}
	if err != nil {
		return nil, false, translate(err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return c, true, nil
	}
	stored, err = o.ClientByPhone(ctx, c.PhoneE164)
	return stored, false, err
}

// SetClientOptOut records that the client asked for no more texts, for
// every number of the org. It reports whether the client was opted in.
func (o *OrgStore) SetClientOptOut(ctx context.Context, clientID uuid.UUID, keyword string, at time.Time) (changed bool, err error) {
	res, err := o.upd((*Client)(nil)).Set("opted_out_at = ?, opted_out_keyword = ?, consent_source = ?, consent_at = ?", at, keyword, ConsentKeyword, at).
		Where("id = ? AND opted_out_at IS NULL", clientID).Exec(ctx)
	if err != nil {
		return false, translate(err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// ClearClientOptOut records that the client wants texts again. It reports
// whether the client was opted out.
func (o *OrgStore) ClearClientOptOut(ctx context.Context, clientID uuid.UUID) (changed bool, err error) {
	res, err := o.upd((*Client)(nil)).Set("opted_out_at = NULL, opted_out_keyword = '', consent_source = ?, consent_at = now()", ConsentKeyword).
		Where("id = ? AND opted_out_at IS NOT NULL", clientID).Exec(ctx)
	if err != nil {
		return false, translate(err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// EnsureThread returns the thread between a client and a business number,
// creating it when missing (the unique client × number constraint decides
// between concurrent creators). A new thread's last activity is `at`, the
// time of the message that opens it.
func (o *OrgStore) EnsureThread(ctx context.Context, clientID, numberID uuid.UUID, at time.Time) (t *Thread, created bool, err error) {
	t = &Thread{ID: NewID(), OrgID: o.orgID, ClientID: clientID, NumberID: numberID, LastMessageAt: at, CreatedAt: time.Now()}
	q, err := o.ins(ctx, t, t.OrgID)
	if err != nil {
		return nil, false, err
	}
	res, err := q.On("CONFLICT (org_id, client_id, number_id) DO NOTHING").Exec(ctx)
	if err != nil {
		return nil, false, translate(err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return t, true, nil
	}
	t = new(Thread)
	err = o.sel(t).Where("client_id = ? AND number_id = ?", clientID, numberID).Scan(ctx)
	return t, false, translate(err)
}

// ThreadOverrides returns the thread's routing overrides that are not
// cancelled and overlap [from, to).
func (o *OrgStore) ThreadOverrides(ctx context.Context, threadID uuid.UUID, from, to time.Time) ([]RoutingOverride, error) {
	var out []RoutingOverride
	err := o.sel(&out).Where("thread_id = ? AND cancelled_at IS NULL", threadID).
		Where("starts_at < ? AND ends_at > ?", to, from).Order("starts_at", "id").Limit(100).Scan(ctx)
	return out, translate(err)
}

// SittersByID loads the named sitters of this org (others are ignored).
func (o *OrgStore) SittersByID(ctx context.Context, ids []uuid.UUID) ([]Sitter, error) {
	var out []Sitter
	if len(ids) == 0 {
		return out, nil
	}
	err := o.sel(&out).Where("id IN (?)", bun.In(ids)).Order("name", "id").Scan(ctx)
	return out, translate(err)
}

// InboundMessage is a client's text to store in its thread.
type InboundMessage struct {
	ThreadID     uuid.UUID
	NumberID     uuid.UUID // the number the text arrived at (its last_used_at moves)
	ProviderSID  string
	From, To     string
	Body         string
	Media        []message.MediaItem
	Encoding     string
	Segments     int
	Routing      routing.Trace
	RoutedSitter *uuid.UUID // nil: the owner inbox
	// RuleID is the routing rule that decided (its routed count and last
	// fired time move); nil for the built-in rules of old decisions.
	RuleID        *uuid.UUID
	CorrelationID string
	ReceivedAt    time.Time
}

// inboundPreview is the thread list's one-line preview of a message.
func inboundPreview(body string, media int) string {
	r := []rune(body)
	switch {
	case len(r) > 120:
		return string(r[:117]) + "…"
	case len(r) == 0 && media == 1:
		return "📎 1 attachment"
	case len(r) == 0 && media > 1:
		return "📎 " + strconv.Itoa(media) + " attachments"
	}
	return body
}

// SaveInboundMessage stores an inbound text and, only if it was not stored
// before, moves its thread (last activity, preview, unread count of the
// inbox it was routed to, assigned sitter) and the number's last use, in one
// transaction. A second call with the same provider SID changes nothing and
// returns the stored message with inserted false.
func (o *OrgStore) SaveInboundMessage(ctx context.Context, in InboundMessage) (msg *Message, inserted bool, err error) {
	routing, err := json.Marshal(in.Routing)
	if err != nil {
		return nil, false, err
	}
	media := in.Media
	if media == nil {
		media = []message.MediaItem{}
	}
	sid := in.ProviderSID
	m := &Message{
		ID: NewID(), OrgID: o.orgID, ThreadID: in.ThreadID, Direction: DirectionInbound, SenderType: SenderClient,
		Body: in.Body, Media: media, ProviderSID: &sid, FromE164: in.From, ToE164: in.To, Status: StatusReceived,
		Encoding: in.Encoding, Segments: in.Segments, Routing: routing, RoutedToSitterID: in.RoutedSitter,
		CorrelationID: in.CorrelationID, CreatedAt: in.ReceivedAt, UpdatedAt: in.ReceivedAt,
	}
	err = o.Tx(ctx, func(ctx context.Context, tx *OrgStore) error {
		q, err := tx.ins(ctx, m, m.OrgID)
		if err != nil {
			return err
		}
		res, err := q.On("CONFLICT (provider_sid) DO NOTHING").Exec(ctx)
		if err != nil {
			return translate(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			msg = new(Message)
			return translate(tx.sel(msg).Where("provider_sid = ?", sid).Scan(ctx))
		}
		msg, inserted = m, true
		q2 := tx.upd((*Thread)(nil)).
			Set("last_message_preview = CASE WHEN ? >= last_message_at THEN ? ELSE last_message_preview END", m.CreatedAt, inboundPreview(m.Body, len(media))).
			Set("last_message_at = GREATEST(last_message_at, ?)", m.CreatedAt).
			Set("assigned_sitter_id = ?", in.RoutedSitter).
			Where("id = ?", in.ThreadID)
		if in.RoutedSitter != nil {
			q2 = q2.Set("sitter_unread_count = sitter_unread_count + 1")
		} else {
			q2 = q2.Set("owner_unread_count = owner_unread_count + 1")
		}
		if res, err = q2.Exec(ctx); err != nil {
			return translate(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		if in.RuleID != nil {
			if _, err := tx.upd((*RoutingRule)(nil)).
				Set("routed_count = routed_count + 1, last_fired_at = GREATEST(COALESCE(last_fired_at, ?), ?)", m.CreatedAt, m.CreatedAt).
				Where("id = ?", *in.RuleID).Exec(ctx); err != nil {
				return translate(err)
			}
		}
		_, err = tx.upd((*PhoneNumber)(nil)).Set("last_used_at = GREATEST(COALESCE(last_used_at, ?), ?)", m.CreatedAt, m.CreatedAt).
			Where("id = ?", in.NumberID).Exec(ctx)
		return translate(err)
	})
	if err != nil {
		return nil, false, err
	}
	return msg, inserted, nil
}

// ---- Automatic replies (HELP) ----

// CreateOutboundIfMissing stores an outbound message whose ID the caller
// derived from what caused it (so a retry finds it again); it returns the
// stored one, with inserted false when it already existed.
func (o *OrgStore) CreateOutboundIfMissing(ctx context.Context, m *Message) (stored *Message, inserted bool, err error) {
	if m.Media == nil {
		m.Media = []message.MediaItem{}
	}
	q, err := o.ins(ctx, m, m.OrgID)
	if err != nil {
		return nil, false, err
	}
	res, err := q.On("CONFLICT (id) DO NOTHING").Exec(ctx)
	if err != nil {
		return nil, false, translate(err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return m, true, nil
	}
	stored = new(Message)
	err = o.sel(stored).Where("id = ?", m.ID).Scan(ctx)
	return stored, false, translate(err)
}

// RecordAutomaticSend records that the provider accepted an automatic
// message: its first attempt (status callbacks find it by SID), the
// message's status and the thread's last activity. Idempotent.
func (o *OrgStore) RecordAutomaticSend(ctx context.Context, messageID uuid.UUID, providerSID, status string, at time.Time) error {
	return o.Tx(ctx, func(ctx context.Context, tx *OrgStore) error {
		m := new(Message)
		if err := tx.sel(m).Where("id = ?", messageID).For("UPDATE").Scan(ctx); err != nil {
			return translate(err)
		}
		att := &MessageAttempt{ID: uuid.NewSHA1(messageID, []byte("attempt/1")), OrgID: tx.orgID, MessageID: messageID, Attempt: 1,
			ProviderSID: &providerSID, Status: status, Trigger: "automatic", StartedAt: at}
		q, err := tx.ins(ctx, att, att.OrgID)
		if err != nil {
			return err
		}
		if _, err := q.On("CONFLICT (message_id, attempt) DO NOTHING").Exec(ctx); err != nil {
			return translate(err)
		}
		if _, err := tx.upd((*Message)(nil)).
			Set("provider_sid = ?, attempts = GREATEST(attempts, 1), updated_at = ?", providerSID, at).
			Set("status = CASE WHEN delivery_status_rank(status) < delivery_status_rank(?) THEN ? ELSE status END", status, status).
			Where("id = ?", messageID).Exec(ctx); err != nil {
			return translate(err)
		}
		_, err = tx.upd((*Thread)(nil)).
			Set("last_message_preview = CASE WHEN ? >= last_message_at THEN ? ELSE last_message_preview END", m.CreatedAt, inboundPreview(m.Body, len(m.Media))).
			Set("last_message_at = GREATEST(last_message_at, ?)", m.CreatedAt).
			Where("id = ?", m.ThreadID).Exec(ctx)
		return translate(err)
	})
}

// RecordAutomaticSendFailed marks an automatic message failed for good with
// the provider's code and a plain-language explanation.
func (o *OrgStore) RecordAutomaticSendFailed(ctx context.Context, messageID uuid.UUID, code int, explanation string, at time.Time) error {
	var c *int
	if code != 0 {
		c = &code
	}
	_, err := o.upd((*Message)(nil)).Set("status = ?, error_code = ?, error_message = ?, updated_at = ?", StatusFailed, c, explanation, at).
		Where("id = ? AND status = ?", messageID, StatusPending).Exec(ctx)
	return translate(err)
}

func clipNote(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
