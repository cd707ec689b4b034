package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/snoutos/snout/internal/domain/sendability"
)

// Policy violation review statuses.
const (
	ViolationOpen       = "open"
	ViolationDismissed  = "dismissed"
	ViolationOverridden = "overridden"
)

// AlertKindDeliveryFailed is the alert raised for a dead-lettered message.
const AlertKindDeliveryFailed = "delivery_failed"

// Conversation is a thread with the client it is with and the business
// number it runs on: everything needed to send a text in it.
type Conversation struct {
	Thread Thread
	Client Client
	Number PhoneNumber
}

// Recipient is the conversation's client as sendability.Check sees them.
func (c *Conversation) Recipient() sendability.Recipient {
	return sendability.Recipient{Name: c.Client.Name, OptedOutAt: c.Client.OptedOutAt, OptedOutKeyword: c.Client.OptedOutKeyword}
}

// BusinessNumber is the conversation's number as sendability.Check sees it.
func (c *Conversation) BusinessNumber() sendability.BusinessNumber {
	return sendability.BusinessNumber{Active: c.Number.Status == NumberActive, Status: c.Number.Status}
}

// Conversation loads a thread of this org with its client and number.
func (o *OrgStore) Conversation(ctx context.Context, threadID uuid.UUID) (*Conversation, error) {
	c := new(Conversation)
	if err := o.sel(&c.Thread).Where("id = ?", threadID).Scan(ctx); err != nil {
		return nil, translate(err)
	}
	if err := o.sel(&c.Client).Where("id = ?", c.Thread.ClientID).Scan(ctx); err != nil {
		return nil, translate(err)
	}
	if err := o.sel(&c.Number).Where("id = ?", c.Thread.NumberID).Scan(ctx); err != nil {
		return nil, translate(err)
	}
	return c, nil
}

// SitterThreadOutsideWindow returns a thread that belongs to the sitter (on
// the sitter's number, or assigned to them) with a client the sitter has had
// or will have a window with, whether or not a window is active now. The API
// uses it only after SitterThread said no, to tell the sitter why they cannot
// write rather than pretend the conversation does not exist. The windows
// returned are the latest one that has ended and the next one to start (either
// may be nil).
func (o *OrgStore) SitterThreadOutsideWindow(ctx context.Context, sitterID, threadID uuid.UUID, now time.Time) (t *Thread, last, next *AssignmentWindow, err error) {
	t = new(Thread)
	err = o.sel(t).Where("?TableAlias.id = ?", threadID).
		Where(`(EXISTS (SELECT 1 FROM phone_numbers n WHERE n.org_id = ?TableAlias.org_id AND n.id = ?TableAlias.number_id AND n.sitter_id = ?)
		        OR ?TableAlias.assigned_sitter_id = ?)`, sitterID, sitterID).
		Scan(ctx)
	if err != nil {
		return nil, nil, nil, translate(err)
	}
	var ended, upcoming []AssignmentWindow
	if err := o.sel(&ended).Where("sitter_id = ? AND client_id = ?", sitterID, t.ClientID).Where("status <> 'cancelled'").
		Where("ends_at <= ?", now).OrderExpr("ends_at DESC").Limit(1).Scan(ctx); err != nil {
		return nil, nil, nil, translate(err)
	}
	if err := o.sel(&upcoming).Where("sitter_id = ? AND client_id = ?", sitterID, t.ClientID).Where("status <> 'cancelled'").
		Where("starts_at > ?", now).OrderExpr("starts_at").Limit(1).Scan(ctx); err != nil {
		return nil, nil, nil, translate(err)
	}
	if len(ended) == 0 && len(upcoming) == 0 {
		// Never assigned to this client: the thread is none of their business.
		return nil, nil, nil, ErrNotFound
	}
	if len(ended) > 0 {
		last = &ended[0]
	}
	if len(upcoming) > 0 {
		next = &upcoming[0]
	}
	return t, last, next, nil
}

// CreateOutboundMessage stores a message about to be sent (status pending)
// and makes it the thread's latest activity.
func (o *OrgStore) CreateOutboundMessage(ctx context.Context, m *Message) error {
	return o.Tx(ctx, func(ctx context.Context, tx *OrgStore) error {
		q, err := tx.ins(ctx, m, m.OrgID)
		if err != nil {
			return err
		}
		if _, err := q.Exec(ctx); err != nil {
			return translate(err)
		}
		_, err = tx.upd((*Thread)(nil)).Set("last_message_at = ?, last_message_preview = ?", m.CreatedAt, outboundPreview(m.Body)).
			Where("id = ?", m.ThreadID).Exec(ctx)
		return translate(err)
	})
}

// DeleteUnsentMessage removes a pending message that was never handed to
// the provider (its delivery workflow could not be started).
func (o *OrgStore) DeleteUnsentMessage(ctx context.Context, id uuid.UUID) error {
	_, err := o.del((*Message)(nil)).Where("id = ? AND status = 'pending' AND attempts = 0", id).Exec(ctx)
	return translate(err)
}

// Excerpt is one redacted piece of a blocked message, as the owner sees it.
type Excerpt struct {
	Kind    string `json:"kind"`
	Excerpt string `json:"excerpt"`
	Reason  string `json:"reason"`
}

// CreateBlockedMessage stores a sitter's message that the content policy
// stopped, with its violation, and counts the violation on the thread.
func (o *OrgStore) CreateBlockedMessage(ctx context.Context, m *Message, v *PolicyViolation) error {
	return o.Tx(ctx, func(ctx context.Context, tx *OrgStore) error {
		q, err := tx.ins(ctx, m, m.OrgID)
		if err != nil {
			return err
		}
		if _, err := q.Exec(ctx); err != nil {
			return translate(err)
		}
		q, err = tx.ins(ctx, v, v.OrgID)
		if err != nil {
			return err
		}
		if _, err := q.Exec(ctx); err != nil {
			return translate(err)
		}
		_, err = tx.upd((*Thread)(nil)).Set("open_violations = open_violations + 1").Where("id = ?", m.ThreadID).Exec(ctx)
		return translate(err)
	})
}

// OutboundMessage loads one outbound message.
func (o *OrgStore) OutboundMessage(ctx context.Context, id uuid.UUID) (*Message, error) {
	m := new(Message)
	err := o.sel(m).Where("id = ? AND direction = 'outbound'", id).Scan(ctx)
	return m, translate(err)
}

// ---- Attempts ----

// SentAttemptSince returns the newest attempt numbered from or after
// attempt that the provider accepted (it has a provider SID), or
// ErrNotFound. The send activity uses it so that a retried activity whose
// earlier run did send does not send the text twice.
func (o *OrgStore) SentAttemptSince(ctx context.Context, messageID uuid.UUID, attempt int) (*MessageAttempt, error) {
	a := new(MessageAttempt)
	err := o.sel(a).Where("message_id = ? AND attempt >= ? AND provider_sid IS NOT NULL", messageID, attempt).
		OrderExpr("attempt DESC").Limit(1).Scan(ctx)
	return a, translate(err)
}

// BeginAttempt records that attempt number n of a message is about to be
// sent (idempotent on (message_id, attempt)) and makes it the message's
// current attempt: status pending again, no error. Earlier attempts that
// never got a provider SID nor an outcome are closed as failed.
func (o *OrgStore) BeginAttempt(ctx context.Context, messageID uuid.UUID, n int, trigger string, now time.Time) error {
	return o.Tx(ctx, func(ctx context.Context, tx *OrgStore) error {
		a := &MessageAttempt{ID: NewID(), OrgID: tx.orgID, MessageID: messageID, Attempt: n, Status: StatusPending, Trigger: trigger, StartedAt: now}
		q, err := tx.ins(ctx, a, a.OrgID)
		if err != nil {
			return err
		}
		if _, err := q.On("CONFLICT (message_id, attempt) DO NOTHING").Exec(ctx); err != nil {
			return translate(err)
		}
		if _, err := tx.upd((*MessageAttempt)(nil)).
			Set("status = 'failed', error_message = ?, finished_at = ?", "No answer from the provider; sent again.", now).
			Where("message_id = ? AND attempt < ? AND provider_sid IS NULL AND finished_at IS NULL", messageID, n).Exec(ctx); err != nil {
			return translate(err)
		}
		_, err = tx.upd((*Message)(nil)).
			Set("attempts = ?, status = 'pending', error_code = NULL, error_message = '', updated_at = ?", n, now).
			Where("id = ? AND attempts <= ? AND status NOT IN ('discarded', 'blocked')", messageID, n).Exec(ctx)
		return translate(err)
	})
}

// RecordAttemptAccepted stores the provider SID and first status of an
// attempt the provider accepted, on the attempt and (when it is still the
// current attempt) on the message.
func (o *OrgStore) RecordAttemptAccepted(ctx context.Context, messageID uuid.UUID, n int, sid, status string, now time.Time) error {
	return o.Tx(ctx, func(ctx context.Context, tx *OrgStore) error {
		if _, err := tx.upd((*MessageAttempt)(nil)).
			Set("provider_sid = ?", sid).
			Set("status = CASE WHEN delivery_status_rank(status) < delivery_status_rank(?) THEN ? ELSE status END", status, status).
			Where("message_id = ? AND attempt = ?", messageID, n).Exec(ctx); err != nil {
			return translate(err)
		}
		_, err := tx.upd((*Message)(nil)).
			Set("provider_sid = ?, updated_at = ?", sid, now).
			Set("status = CASE WHEN delivery_status_rank(status) < delivery_status_rank(?) THEN ? ELSE status END", status, status).
			Where("id = ? AND attempts = ? AND status NOT IN ('discarded', 'blocked')", messageID, n).Exec(ctx)
		return translate(err)
	})
}

// RecordAttemptFailed closes an attempt the provider refused (or that could
// not reach it), and the message with it when it is the current attempt.
// code is 0 when there is no provider error code.
func (o *OrgStore) RecordAttemptFailed(ctx context.Context, messageID uuid.UUID, n int, code int, reason string, now time.Time) error {
	var c *int
	if code != 0 {
		c = &code
	}
	return o.Tx(ctx, func(ctx context.Context, tx *OrgStore) error {
		if _, err := tx.upd((*MessageAttempt)(nil)).
			Set("status = 'failed', error_code = ?, error_message = ?, finished_at = ?", c, reason, now).
			Where("message_id = ? AND attempt = ? AND provider_sid IS NULL", messageID, n).Exec(ctx); err != nil {
			return translate(err)
		}
		_, err := tx.upd((*Message)(nil)).
			Set("status = 'failed', error_code = ?, error_message = ?, updated_at = ?", c, reason, now).
			Where("id = ? AND attempts = ? AND status NOT IN ('discarded', 'blocked')", messageID, n).Exec(ctx)
		return translate(err)
	})
}

// MessageAttempts lists a message's attempts, oldest first.
func (o *OrgStore) MessageAttempts(ctx context.Context, messageID uuid.UUID) ([]MessageAttempt, error) {
	var out []MessageAttempt
	err := o.sel(&out).Where("message_id = ?", messageID).Order("attempt").Scan(ctx)
	return out, translate(err)
}

// ---- Dead letters ----

// DeadLetterMessage puts a message in the dead-letter list (once: a message
// already there keeps its place) and counts the failure on its thread. It
// reports whether the message was newly dead-lettered.
func (o *OrgStore) DeadLetterMessage(ctx context.Context, messageID uuid.UUID, now time.Time) (bool, error) {
	added := false
	err := o.Tx(ctx, func(ctx context.Context, tx *OrgStore) error {
		var threadID uuid.UUID
		err := tx.db.NewRaw(`UPDATE messages SET dead_lettered_at = ?, updated_at = ?
WHERE org_id = ? AND id = ? AND dead_lettered_at IS NULL AND status NOT IN ('discarded', 'blocked') RETURNING thread_id`,
			now, now, tx.orgID, messageID).Scan(ctx, &threadID)
		if err != nil {
			if translate(err) == ErrNotFound {
				return nil
			}
			return translate(err)
		}
		added = true
		_, err = tx.upd((*Thread)(nil)).Set("failed_deliveries = failed_deliveries + 1").Where("id = ?", threadID).Exec(ctx)
		return translate(err)
	})
	return added, err
}

// TakeOutOfDeadLetters removes a message from the dead-letter list (a resend
// is starting) and uncounts the failure on its thread. It reports whether
// the message was in the list.
func (o *OrgStore) TakeOutOfDeadLetters(ctx context.Context, messageID uuid.UUID, now time.Time) (bool, error) {
	removed := false
	err := o.Tx(ctx, func(ctx context.Context, tx *OrgStore) error {
		var threadID uuid.UUID
		err := tx.db.NewRaw(`UPDATE messages SET dead_lettered_at = NULL, updated_at = ?
WHERE org_id = ? AND id = ? AND dead_lettered_at IS NOT NULL RETURNING thread_id`, now, tx.orgID, messageID).Scan(ctx, &threadID)
		if err != nil {
			if translate(err) == ErrNotFound {
				return nil
			}
			return translate(err)
		}
		removed = true
		_, err = tx.upd((*Thread)(nil)).Set("failed_deliveries = GREATEST(failed_deliveries - 1, 0)").Where("id = ?", threadID).Exec(ctx)
		return translate(err)
	})
	return removed, err
}

// DiscardMessage gives up on an outbound message: status discarded, out of
// the dead-letter list, uncounted on its thread. Idempotent; it reports
// whether anything changed.
func (o *OrgStore) DiscardMessage(ctx context.Context, messageID uuid.UUID, now time.Time) (bool, error) {
	changed := false
	err := o.Tx(ctx, func(ctx context.Context, tx *OrgStore) error {
		var row struct {
			ThreadID      uuid.UUID `bun:"thread_id"`
			WasDeadLetter bool      `bun:"was_dead_letter"`
		}
		err := tx.db.NewRaw(`UPDATE messages m SET status = 'discarded', updated_at = ?
FROM (SELECT id, dead_lettered_at IS NOT NULL AS was_dead_letter FROM messages WHERE org_id = ? AND id = ? FOR UPDATE) old
WHERE m.org_id = ? AND m.id = old.id AND m.status <> 'discarded' AND m.direction = 'outbound'
RETURNING m.thread_id, old.was_dead_letter`, now, tx.orgID, messageID, tx.orgID).Scan(ctx, &row)
		if err != nil {
			if translate(err) == ErrNotFound {
				return nil
			}
			return translate(err)
		}
		changed = true
		if !row.WasDeadLetter {
			return nil
		}
		_, err = tx.upd((*Thread)(nil)).Set("failed_deliveries = GREATEST(failed_deliveries - 1, 0)").Where("id = ?", row.ThreadID).Exec(ctx)
		return translate(err)
	})
	return changed, err
}

// DeadLetter is one row of the dead-letter list.
type DeadLetter struct {
	MessageID      uuid.UUID `bun:"message_id"`
	ThreadID       uuid.UUID `bun:"thread_id"`
	ClientID       uuid.UUID `bun:"client_id"`
	ClientName     string    `bun:"client_name"`
	SenderType     string    `bun:"sender_type"`
	Body           string    `bun:"body"`
	Status         string    `bun:"status"`
	ErrorCode      *int      `bun:"error_code"`
	ErrorMessage   string    `bun:"error_message"`
	Attempts       int       `bun:"attempts"`
	FromE164       string    `bun:"from_e164"`
	CreatedAt      time.Time `bun:"created_at"`
	DeadLetteredAt time.Time `bun:"dead_lettered_at"`
}

// PageCursor is the position after the last row of a page, for lists
// ordered by a time and an ID, newest first.
type PageCursor struct {
	At time.Time
	ID uuid.UUID
}

// DeadLetters lists messages waiting for the owner to retry or discard
// them, most recently failed first.
func (o *OrgStore) DeadLetters(ctx context.Context, after *PageCursor, limit int) ([]DeadLetter, error) {
	var out []DeadLetter
	q := o.sel((*Message)(nil)).
		ColumnExpr("message.id AS message_id, message.thread_id, t.client_id, c.name AS client_name, message.sender_type, message.body").
		ColumnExpr("message.status, message.error_code, message.error_message, message.attempts, message.from_e164, message.created_at, message.dead_lettered_at").
		Join("JOIN threads AS t ON t.org_id = message.org_id AND t.id = message.thread_id").
		Join("JOIN clients AS c ON c.org_id = t.org_id AND c.id = t.client_id").
		Where("message.dead_lettered_at IS NOT NULL AND message.status <> 'discarded'").
		OrderExpr("message.dead_lettered_at DESC, message.id DESC").Limit(int64(limit))
	if after != nil {
		q = q.Where("(message.dead_lettered_at, message.id) < (?, ?)", after.At, after.ID)
	}
	err := q.Scan(ctx, &out)
	return out, translate(err)
}

// ---- Alerts about deliveries ----

// CloseAlertsAbout closes the open or acknowledged alerts about an entity
// with status (resolved or dismissed), recording who closed them (nil for
// the system).
func (o *OrgStore) CloseAlertsAbout(ctx context.Context, entityType, entityID, status string, by *uuid.UUID, now time.Time) (int, error) {
	res, err := o.upd((*Alert)(nil)).Set("status = ?, closed_at = ?, closed_by = ?", status, now, by).
		Where("entity_type = ? AND entity_id = ? AND status IN ('open', 'acknowledged')", entityType, entityID).Exec(ctx)
	if err != nil {
		return 0, translate(err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// ---- Policy violations ----

// ViolationFilter narrows the policy violation list.
type ViolationFilter struct {
	Status   string
	SitterID *uuid.UUID
	ThreadID *uuid.UUID
	After    *PageCursor
}

// ViolationRow is a policy violation with the names an owner needs to
// review it and the blocked message.
type ViolationRow struct {
	PolicyViolation `bun:",extend"`
	SitterName      string `bun:"sitter_name"`
	ClientName      string `bun:"client_name"`
	MessageBody     string `bun:"message_body"`
	MessageStatus   string `bun:"message_status"`
}

func (o *OrgStore) violationQuery(out any) *bun.SelectQuery {
	return o.sel(out).
		ColumnExpr("policy_violation.*").
		ColumnExpr("COALESCE(s.name, '') AS sitter_name, c.name AS client_name, m.body AS message_body, m.status AS message_status").
		Join("JOIN messages AS m ON m.org_id = policy_violation.org_id AND m.id = policy_violation.message_id").
		Join("JOIN threads AS t ON t.org_id = policy_violation.org_id AND t.id = policy_violation.thread_id").
		Join("JOIN clients AS c ON c.org_id = t.org_id AND c.id = t.client_id").
		Join("LEFT JOIN sitters AS s ON s.org_id = policy_violation.org_id AND s.id = policy_violation.sitter_id")
}

// PolicyViolations lists violations, newest first.
func (o *OrgStore) PolicyViolations(ctx context.Context, f ViolationFilter, limit int) ([]ViolationRow, error) {
	var out []ViolationRow
	q := o.violationQuery(&out).OrderExpr("policy_violation.created_at DESC, policy_violation.id DESC").Limit(int64(limit))
	if f.Status != "" {
		q = q.Where("policy_violation.status = ?", f.Status)
	}
	if f.SitterID != nil {
		q = q.Where("policy_violation.sitter_id = ?", *f.SitterID)
	}
	if f.ThreadID != nil {
		q = q.Where("policy_violation.thread_id = ?", *f.ThreadID)
	}
	if f.After != nil {
		q = q.Where("(policy_violation.created_at, policy_violation.id) < (?, ?)", f.After.At, f.After.ID)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, translate(err)
	}
	return out, nil
}

// PolicyViolationDetail loads one violation with its names and message.
func (o *OrgStore) PolicyViolationDetail(ctx context.Context, id uuid.UUID) (*ViolationRow, error) {
	out := new(ViolationRow)
	if err := o.violationQuery(out).Where("policy_violation.id = ?", id).Scan(ctx); err != nil {
		return nil, translate(err)
	}
	return out, nil
}

// ReviewViolation closes an open violation as dismissed or overridden,
// recording who and why, and uncounts it on the thread. Overriding also
// releases the blocked message (status pending) so that it can be sent.
// A violation that is not open is ErrConflict; another org's, ErrNotFound.
func (o *OrgStore) ReviewViolation(ctx context.Context, id uuid.UUID, status string, by uuid.UUID, reason string, now time.Time) (*PolicyViolation, error) {
	v := new(PolicyViolation)
	err := o.Tx(ctx, func(ctx context.Context, tx *OrgStore) error {
		if err := tx.sel(v).Where("id = ?", id).For("UPDATE").Scan(ctx); err != nil {
			return translate(err)
		}
		if v.Status != ViolationOpen {
			return ErrConflict
		}
		v.Status, v.ReviewedBy, v.ReviewReason, v.ReviewedAt = status, &by, reason, &now
		if _, err := tx.upd(v).Column("status", "reviewed_by", "review_reason", "reviewed_at").WherePK().Exec(ctx); err != nil {
			return translate(err)
		}
		if _, err := tx.upd((*Thread)(nil)).Set("open_violations = GREATEST(open_violations - 1, 0)").Where("id = ?", v.ThreadID).Exec(ctx); err != nil {
			return translate(err)
		}
		if status != ViolationOverridden {
			return nil
		}
		res, err := tx.upd((*Message)(nil)).Set("status = 'pending', updated_at = ?", now).
			Where("id = ? AND status = 'blocked'", v.MessageID).Exec(ctx)
		if err != nil {
			return translate(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrConflict
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// ReopenViolation undoes an override whose message could not be handed to
// its delivery workflow: the violation is open again and the message
// blocked again.
func (o *OrgStore) ReopenViolation(ctx context.Context, id uuid.UUID) error {
	return o.Tx(ctx, func(ctx context.Context, tx *OrgStore) error {
		v := new(PolicyViolation)
		if err := tx.sel(v).Where("id = ?", id).For("UPDATE").Scan(ctx); err != nil {
			return translate(err)
		}
		if v.Status == ViolationOpen {
			return nil
		}
		if _, err := tx.upd((*PolicyViolation)(nil)).Set("status = 'open', reviewed_by = NULL, review_reason = '', reviewed_at = NULL").
			Where("id = ?", id).Exec(ctx); err != nil {
			return translate(err)
		}
		if _, err := tx.upd((*Thread)(nil)).Set("open_violations = open_violations + 1").Where("id = ?", v.ThreadID).Exec(ctx); err != nil {
			return translate(err)
		}
		_, err := tx.upd((*Message)(nil)).Set("status = 'blocked'").Where("id = ? AND status = 'pending' AND attempts = 0", v.MessageID).Exec(ctx)
		return translate(err)
	})
}

func outboundPreview(body string) string {
	r := []rune(body)
	if len(r) > 120 {
		return string(r[:117]) + "…"
	}
	return body
}
