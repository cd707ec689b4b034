package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/snoutos/snout/internal/domain/phone"
)

// The inbox: the owner's thread list with filters and search, one thread's
// messages, read state, and the sitter's own list (threads with an active
// assignment window, no phone numbers at all).
//
// Speed. The list walks threads_org_activity_idx (or a partial index per
// filter, see migration 20261125300000) in (last_message_at, id) order and
// stops after one page, so a page costs the same at 100 threads or 100,000.
// Search first finds candidate threads through the indexes that can answer
// it cheaply (trigram on client and sitter names and phone numbers, the GIN
// full-text index on message bodies), capped; when a term is too common for
// that (more candidates than the cap), walking threads in activity order and
// testing each is the cheap way instead, because matches are dense.

// ThreadCursor is the keyset position after the last thread of a page.
type ThreadCursor struct {
	LastMessageAt time.Time
	ID            uuid.UUID
}

// ThreadFilter narrows the owner's inbox. The zero value lists every thread.
type ThreadFilter struct {
	// Unread: only threads with (true) or without (false) unread messages.
	Unread *bool
	// Assigned: only threads with (true) or without (false) an assigned sitter.
	Assigned *bool
	// SitterID: only threads assigned to this sitter.
	SitterID *uuid.UUID
	// Violations / Failures: only threads with (true) or without (false)
	// open policy violations / failed deliveries.
	Violations *bool
	Failures   *bool
	// From / To bound the last activity: From <= last_message_at < To.
	From, To *time.Time
	// Search matches client name, message text, sitter name and phone
	// numbers (the client's or the business number's digits).
	Search string
	// After continues from a previous page.
	After *ThreadCursor
	// Now decides window status; zero means time.Now().
	Now time.Time
}

// InboxThread is one inbox row: the thread with its client, sitter, number
// and the assignment window that is in force or next for its sitter.
type InboxThread struct {
	Thread `bun:",extend"`

	ClientName       string     `bun:"client_name,scanonly"`
	ClientPhone      string     `bun:"client_phone,scanonly"`
	ClientOptedOutAt *time.Time `bun:"client_opted_out_at,scanonly"`
	SitterName       *string    `bun:"sitter_name,scanonly"`
	NumberE164       string     `bun:"number_e164,scanonly"`
	NumberClass      string     `bun:"number_class,scanonly"`
	NumberName       string     `bun:"number_name,scanonly"`
	NumberStatus     string     `bun:"number_status,scanonly"`
	NumberSitterID   *uuid.UUID `bun:"number_sitter_id,scanonly"`
	WindowID         *uuid.UUID `bun:"window_id,scanonly"`
	WindowSitterID   *uuid.UUID `bun:"window_sitter_id,scanonly"`
	WindowStartsAt   *time.Time `bun:"window_starts_at,scanonly"`
	WindowEndsAt     *time.Time `bun:"window_ends_at,scanonly"`
}

// Window statuses as the inbox shows them.
const (
	InboxWindowActive    = "active"
	InboxWindowScheduled = "scheduled"
	InboxWindowNone      = "none"
)

// WindowStatus says whether the thread's sitter (assigned, or the owner of
// the thread's number) is inside a window with this client now, has one
// coming, or neither.
func (t *InboxThread) WindowStatus(now time.Time) string {
	switch {
	case t.WindowID == nil || t.WindowStartsAt == nil:
		return InboxWindowNone
	case !now.Before(*t.WindowStartsAt):
		return InboxWindowActive
	default:
		return InboxWindowScheduled
	}
}

// Cursor is the keyset position after this row.
func (t *InboxThread) Cursor() ThreadCursor {
	return ThreadCursor{LastMessageAt: t.LastMessageAt, ID: t.ID}
}

// inboxSelect is the inbox row query: the thread, its client, number,
// assigned sitter, and the earliest window not yet ended between the
// thread's sitter and its client (windows of one client never overlap, so
// that window is the one in force, if any, or else the next one).
func (o *OrgStore) inboxSelect(rows any, now time.Time) *bun.SelectQuery {
	return o.sel(rows).
		ColumnExpr("?TableColumns").
		ColumnExpr("c.name AS client_name, c.phone_e164 AS client_phone, c.opted_out_at AS client_opted_out_at").
		ColumnExpr("s.name AS sitter_name").
		ColumnExpr("n.e164 AS number_e164, n.class AS number_class, n.friendly_name AS number_name, n.status AS number_status, n.sitter_id AS number_sitter_id").
		ColumnExpr("w.id AS window_id, w.sitter_id AS window_sitter_id, w.starts_at AS window_starts_at, w.ends_at AS window_ends_at").
		Join("JOIN clients AS c ON c.org_id = ?TableAlias.org_id AND c.id = ?TableAlias.client_id").
		Join("JOIN phone_numbers AS n ON n.org_id = ?TableAlias.org_id AND n.id = ?TableAlias.number_id").
		Join("LEFT JOIN sitters AS s ON s.org_id = ?TableAlias.org_id AND s.id = ?TableAlias.assigned_sitter_id").
		Join(`LEFT JOIN LATERAL (
			SELECT aw.id, aw.sitter_id, aw.starts_at, aw.ends_at FROM assignment_windows AS aw
			WHERE aw.org_id = ?TableAlias.org_id AND aw.client_id = ?TableAlias.client_id
			  AND aw.sitter_id = COALESCE(?TableAlias.assigned_sitter_id, n.sitter_id)
			  AND aw.status <> 'cancelled' AND aw.ends_at > ?
			ORDER BY aw.starts_at LIMIT 1) AS w ON true`, now)
}

func orNow(now time.Time) time.Time {
	if now.IsZero() {
		return time.Now()
	}
	return now
}

// ListThreads returns up to limit inbox rows matching f, newest activity
// first. Ask for one more than a page to learn whether another page exists.
func (o *OrgStore) ListThreads(ctx context.Context, f ThreadFilter, limit int) ([]InboxThread, error) {
	now := orNow(f.Now)
	var rows []InboxThread
	q := o.inboxSelect(&rows, now)
	applyThreadFilter(q, f)
	if s := strings.TrimSpace(f.Search); s != "" {
		match, ok, err := o.searchPredicate(ctx, parseInboxSearch(s))
		if err != nil {
			return nil, err
		}
		if !ok {
			return []InboxThread{}, nil
		}
		q.Where(match.query, match.args...)
	}
	q.OrderExpr("?TableAlias.last_message_at DESC, ?TableAlias.id DESC").Limit(int64(limit))
	if err := q.Scan(ctx); err != nil {
		return nil, translate(err)
	}
	if rows == nil {
		rows = []InboxThread{}
	}
	return rows, nil
}

func applyThreadFilter(q *bun.SelectQuery, f ThreadFilter) {
	// Each condition is written so that the matching partial index of
	// migration 20261125300000 applies.
	if f.Unread != nil {
		if *f.Unread {
			q.Where("?TableAlias.owner_unread_count > 0")
		} else {
			q.Where("?TableAlias.owner_unread_count = 0")
		}
	}
	if f.Assigned != nil {
		if *f.Assigned {
			q.Where("?TableAlias.assigned_sitter_id IS NOT NULL")
		} else {
			q.Where("?TableAlias.assigned_sitter_id IS NULL")
		}
	}
	if f.SitterID != nil {
		q.Where("?TableAlias.assigned_sitter_id = ?", *f.SitterID)
	}
	if f.Violations != nil {
		if *f.Violations {
			q.Where("?TableAlias.open_violations > 0")
		} else {
			q.Where("?TableAlias.open_violations = 0")
		}
	}
	if f.Failures != nil {
		if *f.Failures {
			q.Where("?TableAlias.failed_deliveries > 0")
		} else {
			q.Where("?TableAlias.failed_deliveries = 0")
		}
	}
	if f.From != nil {
		q.Where("?TableAlias.last_message_at >= ?", *f.From)
	}
	if f.To != nil {
		q.Where("?TableAlias.last_message_at < ?", *f.To)
	}
	if f.After != nil {
		q.Where("(?TableAlias.last_message_at, ?TableAlias.id) < (?, ?)", f.After.LastMessageAt, f.After.ID)
	}
}

// InboxThread loads one thread as the inbox shows it.
func (o *OrgStore) InboxThread(ctx context.Context, id uuid.UUID, now time.Time) (*InboxThread, error) {
	row := new(InboxThread)
	err := o.inboxSelect(row, orNow(now)).Where("?TableAlias.id = ?", id).Scan(ctx)
	if err != nil {
		return nil, translate(err)
	}
	return row, nil
}

// Thread loads one thread.
func (o *OrgStore) Thread(ctx context.Context, id uuid.UUID) (*Thread, error) {
	t := new(Thread)
	if err := o.sel(t).Where("?TableAlias.id = ?", id).Scan(ctx); err != nil {
		return nil, translate(err)
	}
	return t, nil
}

// MarkThreadRead clears the owner's unread count and returns what it was.
func (o *OrgStore) MarkThreadRead(ctx context.Context, id uuid.UUID) (previous int, err error) {
	return o.clearUnread(ctx, id, "owner_unread_count")
}

// MarkThreadReadBySitter clears the sitter's unread count and returns what
// it was. Callers check the sitter's access first (SitterThread).
func (o *OrgStore) MarkThreadReadBySitter(ctx context.Context, id uuid.UUID) (previous int, err error) {
	return o.clearUnread(ctx, id, "sitter_unread_count")
}

func (o *OrgStore) clearUnread(ctx context.Context, id uuid.UUID, column string) (int, error) {
	var prev []int
	// The FROM row is the thread as it was before this update.
	_, err := o.upd((*Thread)(nil)).
		TableExpr("threads AS prior").
		Set("? = 0", bun.Ident(column)).
		Where("?TableAlias.id = ?", id).
		Where("prior.org_id = ?TableAlias.org_id AND prior.id = ?TableAlias.id").
		Returning("prior.?", bun.Ident(column)).
		Exec(ctx, &prev)
	if err != nil {
		return 0, translate(err)
	}
	if len(prev) == 0 {
		return 0, ErrNotFound
	}
	return prev[0], nil
}

// --- search -----------------------------------------------------------------

// Search tuning. Finding candidates first costs about one index probe per
// match; walking the list costs about one probe per thread looked at, which
// is the page size divided by the share of threads that match. The caps sit
// near where the two meet at 100,000 threads (sqrt(page × threads × the cost
// ratio)), which bounds both.
const (
	// searchClientCap: more clients matching than this and the name is
	// treated as common (tested thread by thread while walking the list).
	searchClientCap = 2500
	// searchMessageCap: more matching messages than this and the text is
	// treated as common.
	searchMessageCap = 5000
	// searchMessageEstimate: when the planner already expects this many
	// matching messages, skip the capped probe (building its bitmap would
	// cost more than walking). A word the statistics do not list is
	// estimated at a floor well below this, so rare words are probed.
	searchMessageEstimate = 10000
	// maxSearchWords bounds the full-text query.
	maxSearchWords = 8
)

// inboxSearch is what one search box entry looks for.
type inboxSearch struct {
	// like is the ILIKE pattern for names ("%text%").
	like string
	// trigram is true when the text is long enough (3+ characters) for
	// the trigram indexes to narrow an ILIKE.
	trigram bool
	// tsquery is the prefix full-text query over message bodies
	// ("'bisc':* & 'walk':*"); empty when the text has no words.
	tsquery string
	// digits is a LIKE pattern for phone numbers ("%6505550101%"), set
	// only when the text looks like (part of) a phone number.
	digits string
}

func parseInboxSearch(s string) inboxSearch {
	// PostgreSQL text holds neither NUL nor invalid UTF-8.
	s = strings.TrimSpace(strings.ReplaceAll(strings.ToValidUTF8(s, ""), "\x00", ""))
	if utf8.RuneCountInString(s) > 200 {
		s = string([]rune(s)[:200])
	}
	out := inboxSearch{like: "%" + escapeLike(s) + "%", trigram: utf8.RuneCountInString(s) >= 3}
	var words []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if len(words) == maxSearchWords {
			break
		}
		// Only letters and digits remain, so quoting is safe.
		words = append(words, "'"+w+"':*")
	}
	out.tsquery = strings.Join(words, " & ")
	if d := phoneDigits(s); d != "" {
		out.digits = "%" + d + "%"
	}
	return out
}

// phoneDigits returns the digits to look for when s looks like (part of) a
// phone number: only digits and the punctuation people type in numbers,
// and at least three digits. A full number is normalised first, so
// "(650) 555-0101" and "+1 650 555 0101" both find +16505550101.
func phoneDigits(s string) string {
	var digits strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case strings.ContainsRune("+-.()/ ", r):
		default:
			return ""
		}
	}
	if digits.Len() < 3 {
		return ""
	}
	if e164, err := phone.Normalize(s, "US"); err == nil {
		return strings.TrimPrefix(e164, "+")
	}
	return digits.String()
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// messageMatch is the condition on messages (table alias a) for a search.
func (s inboxSearch) messageMatch(a string) (string, []any, bool) {
	switch {
	case s.tsquery != "" && s.trigram:
		return "(" + a + ".body_tsv @@ to_tsquery('simple', ?) OR " + a + ".body ILIKE ?)", []any{s.tsquery, s.like}, true
	case s.tsquery != "":
		return a + ".body_tsv @@ to_tsquery('simple', ?)", []any{s.tsquery}, true
	case s.trigram:
		return a + ".body ILIKE ?", []any{s.like}, true
	}
	return "", nil, false
}

// clientMatch is the condition on clients (table alias a) for a search.
func (s inboxSearch) clientMatch(a string) (string, []any) {
	if s.digits != "" {
		return "(" + a + ".name ILIKE ? OR " + a + ".phone_e164 LIKE ?)", []any{s.like, s.digits}
	}
	return a + ".name ILIKE ?", []any{s.like}
}

type sqlCond struct {
	query string
	args  []any
}

// searchPredicate decides how to search and returns the condition to add to
// the inbox query; ok is false when nothing can match.
func (o *OrgStore) searchPredicate(ctx context.Context, s inboxSearch) (cond sqlCond, ok bool, err error) {
	var (
		threadIDs, clientIDs, sitterIDs, numberIDs []uuid.UUID
		clientsCommon, messagesCommon              bool
	)
	// Aliases: ?TableAlias inside the probes, c and m in the inbox query.
	probeMsgCond, msgArgs, searchMessages := s.messageMatch("?TableAlias")
	msgCond, _, _ := s.messageMatch("m")
	probeClientCond, clientArgs := s.clientMatch("?TableAlias")
	clientCond, _ := s.clientMatch("c")
	err = o.db.RunInTx(ctx, &sql.TxOptions{ReadOnly: true}, func(ctx context.Context, tx bun.Tx) error {
		ot := &OrgStore{db: tx, orgID: o.orgID}
		if err := ot.sel((*Sitter)(nil)).Column("id").Where("name ILIKE ?", s.like).Scan(ctx, &sitterIDs); err != nil {
			return err
		}
		if s.digits != "" {
			if err := ot.sel((*PhoneNumber)(nil)).Column("id").Where("e164 LIKE ?", s.digits).Scan(ctx, &numberIDs); err != nil {
				return err
			}
		}
		// From here on, candidates come from the GIN indexes only: with a
		// LIMIT the planner would otherwise prefer scanning the table in
		// the hope of stopping early, which for a rare term means reading
		// all of it. Transaction-local, so nothing else is affected.
		if _, err := tx.ExecContext(ctx, "SELECT set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true)"); err != nil {
			return err
		}
		if s.trigram || s.digits != "" {
			if err := ot.sel((*Client)(nil)).Column("id").
				Where(probeClientCond, clientArgs...).Limit(int64(searchClientCap+1)).Scan(ctx, &clientIDs); err != nil {
				return err
			}
			clientsCommon = len(clientIDs) > searchClientCap
		} else {
			clientsCommon = true // too short for the trigram index
		}
		if clientsCommon {
			clientIDs = nil
		}
		if !searchMessages {
			return nil
		}
		probe := ot.sel((*Message)(nil)).Column("thread_id").Where(probeMsgCond, msgArgs...)
		estimate, err := estimateRows(ctx, tx, probe)
		if err != nil {
			return err
		}
		if estimate > searchMessageEstimate {
			messagesCommon = true
			return nil
		}
		var found []uuid.UUID
		if err := probe.Limit(int64(searchMessageCap+1)).Scan(ctx, &found); err != nil {
			return err
		}
		if len(found) > searchMessageCap {
			messagesCommon = true
			return nil
		}
		threadIDs = uniqueIDs(found)
		return nil
	})
	if err != nil {
		return sqlCond{}, false, translate(err)
	}

	var parts []string
	var args []any
	add := func(q string, a ...any) { parts = append(parts, q); args = append(args, a...) }
	// Candidate lists travel as one array literal each (cheaper to parse
	// than thousands of IN items).
	if len(threadIDs) > 0 {
		add("?TableAlias.id = ANY(?::uuid[])", uuidArray(threadIDs))
	}
	if len(clientIDs) > 0 {
		add("?TableAlias.client_id = ANY(?::uuid[])", uuidArray(clientIDs))
	}
	if len(sitterIDs) > 0 {
		add("?TableAlias.assigned_sitter_id = ANY(?::uuid[])", uuidArray(sitterIDs))
	}
	if len(numberIDs) > 0 {
		add("?TableAlias.number_id = ANY(?::uuid[])", uuidArray(numberIDs))
	}
	if clientsCommon {
		add(clientCond, clientArgs...)
	}
	if messagesCommon {
		// OFFSET 0 keeps this a per-thread probe of messages_thread_idx;
		// without it the planner may hash every matching message first.
		add("EXISTS (SELECT 1 FROM messages AS m WHERE m.org_id = ?TableAlias.org_id AND m.thread_id = ?TableAlias.id AND "+msgCond+" OFFSET 0)", msgArgs...)
	}
	if len(parts) == 0 {
		return sqlCond{}, false, nil
	}
	return sqlCond{query: "(" + strings.Join(parts, " OR ") + ")", args: args}, true, nil
}

// estimateRows asks the planner how many rows q would return.
func estimateRows(ctx context.Context, db bun.IDB, q *bun.SelectQuery) (float64, error) {
	var plan string
	if err := db.NewRaw("EXPLAIN (FORMAT JSON) ?", q).Scan(ctx, &plan); err != nil {
		return 0, err
	}
	var out []struct {
		Plan struct {
			Rows float64 `json:"Plan Rows"`
		} `json:"Plan"`
	}
	if err := json.Unmarshal([]byte(plan), &out); err != nil || len(out) == 0 {
		return 0, err
	}
	return out[0].Plan.Rows, nil
}

// uuidArray is a PostgreSQL array literal of ids.
func uuidArray(ids []uuid.UUID) any {
	strs := make([]string, len(ids))
	for i, id := range ids {
		strs[i] = id.String()
	}
	return pgdialect.Array(strs)
}

func uniqueIDs(ids []uuid.UUID) []uuid.UUID {
	seen := make(map[uuid.UUID]struct{}, len(ids))
	out := ids[:0]
	for _, id := range ids {
		if _, dup := seen[id]; !dup {
			seen[id] = struct{}{}
			out = append(out, id)
		}
	}
	return out
}

// --- messages ---------------------------------------------------------------

// MessageCursor is the keyset position of the oldest message of a page.
type MessageCursor struct {
	CreatedAt time.Time
	ID        uuid.UUID
}

// ThreadMessage is a message with the name of whoever sent it (a sitter or
// a signed-in user; clients are named by their thread).
type ThreadMessage struct {
	Message `bun:",extend"`

	SenderSitterName string `bun:"sender_sitter_name,scanonly"`
	SenderUserName   string `bun:"sender_user_name,scanonly"`
}

// ThreadMessages returns up to limit messages of a thread, newest first,
// older than before when it is set. The thread must belong to this org
// (callers load it first; the query is org-filtered either way).
func (o *OrgStore) ThreadMessages(ctx context.Context, threadID uuid.UUID, before *MessageCursor, limit int) ([]ThreadMessage, error) {
	var rows []ThreadMessage
	q := o.sel(&rows).ColumnExpr("?TableColumns").
		ColumnExpr("COALESCE(ss.name, '') AS sender_sitter_name, COALESCE(u.name, '') AS sender_user_name").
		Join("LEFT JOIN sitters AS ss ON ss.org_id = ?TableAlias.org_id AND ss.id = ?TableAlias.sender_sitter_id").
		Join("LEFT JOIN users AS u ON u.id = ?TableAlias.sender_user_id").
		Where("?TableAlias.thread_id = ?", threadID).
		OrderExpr("?TableAlias.created_at DESC, ?TableAlias.id DESC").Limit(int64(limit))
	if before != nil {
		q.Where("(?TableAlias.created_at, ?TableAlias.id) < (?, ?)", before.CreatedAt, before.ID)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, translate(err)
	}
	if rows == nil {
		rows = []ThreadMessage{}
	}
	return rows, nil
}

// --- the sitter's inbox -----------------------------------------------------

// SitterInboxThread is one row of a sitter's list. It deliberately has no
// phone number of any kind: not the client's, not the business number.
type SitterInboxThread struct {
	Thread `bun:",extend"`

	ClientName     string    `bun:"client_name,scanonly"`
	NumberClass    string    `bun:"number_class,scanonly"`
	WindowID       uuid.UUID `bun:"window_id,scanonly"`
	WindowStartsAt time.Time `bun:"window_starts_at,scanonly"`
	WindowEndsAt   time.Time `bun:"window_ends_at,scanonly"`
	WindowNote     string    `bun:"window_note,scanonly"`
}

// Cursor is the keyset position after this row.
func (t *SitterInboxThread) Cursor() ThreadCursor {
	return ThreadCursor{LastMessageAt: t.LastMessageAt, ID: t.ID}
}

// SitterThreads lists the threads a sitter may see now, newest activity
// first. It is SitterThread's rule as a list: the sitter has a window in
// force with the thread's client — its stored status is active (its
// workflow activated it and has not ended it) and the clock is inside it
// (start inclusive, end exclusive) — and the thread is on the sitter's own number or assigned to
// the sitter. A client has at most one window at any instant, so each
// thread appears once.
func (o *OrgStore) SitterThreads(ctx context.Context, sitterID uuid.UUID, now time.Time, after *ThreadCursor, limit int) ([]SitterInboxThread, error) {
	var rows []SitterInboxThread
	q := o.sitterSelect(&rows, sitterID, orNow(now)).
		OrderExpr("?TableAlias.last_message_at DESC, ?TableAlias.id DESC").Limit(int64(limit))
	if after != nil {
		q.Where("(?TableAlias.last_message_at, ?TableAlias.id) < (?, ?)", after.LastMessageAt, after.ID)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, translate(err)
	}
	if rows == nil {
		rows = []SitterInboxThread{}
	}
	return rows, nil
}

// SitterInboxThread loads one thread of the sitter's list; a thread the
// sitter may not see now is ErrNotFound.
func (o *OrgStore) SitterInboxThread(ctx context.Context, sitterID, threadID uuid.UUID, now time.Time) (*SitterInboxThread, error) {
	row := new(SitterInboxThread)
	if err := o.sitterSelect(row, sitterID, orNow(now)).Where("?TableAlias.id = ?", threadID).Scan(ctx); err != nil {
		return nil, translate(err)
	}
	return row, nil
}

func (o *OrgStore) sitterSelect(rows any, sitterID uuid.UUID, now time.Time) *bun.SelectQuery {
	return o.sel(rows).
		ColumnExpr("?TableColumns").
		ColumnExpr("c.name AS client_name, n.class AS number_class").
		ColumnExpr("w.id AS window_id, w.starts_at AS window_starts_at, w.ends_at AS window_ends_at, w.note AS window_note").
		Join("JOIN clients AS c ON c.org_id = ?TableAlias.org_id AND c.id = ?TableAlias.client_id").
		Join("JOIN phone_numbers AS n ON n.org_id = ?TableAlias.org_id AND n.id = ?TableAlias.number_id").
		Join(`JOIN assignment_windows AS w ON w.org_id = ?TableAlias.org_id AND w.client_id = ?TableAlias.client_id
			AND w.sitter_id = ? AND w.status = 'active' AND w.starts_at <= ? AND w.ends_at > ?`, sitterID, now, now).
		Where("(n.sitter_id = ? OR ?TableAlias.assigned_sitter_id = ?)", sitterID, sitterID)
}

// --- clients ----------------------------------------------------------------

// ClientCursor is the keyset position after the last client of a page.
type ClientCursor struct {
	Name string
	ID   uuid.UUID
}

// ClientFilter narrows the client picker.
type ClientFilter struct {
	// Search matches the name (any part) or, when it looks like a phone
	// number, the number's digits.
	Search string
	After  *ClientCursor
}

// ListClients lists clients by name.
func (o *OrgStore) ListClients(ctx context.Context, f ClientFilter, limit int) ([]Client, error) {
	var out []Client
	q := o.sel(&out).OrderExpr("?TableAlias.name, ?TableAlias.id").Limit(int64(limit))
	if s := strings.TrimSpace(f.Search); s != "" {
		sr := parseInboxSearch(s)
		if sr.digits != "" {
			q.Where("(?TableAlias.name ILIKE ? OR ?TableAlias.phone_e164 LIKE ?)", sr.like, sr.digits)
		} else {
			q.Where("?TableAlias.name ILIKE ?", sr.like)
		}
	}
	if f.After != nil {
		q.Where("(?TableAlias.name, ?TableAlias.id) > (?, ?)", f.After.Name, f.After.ID)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, translate(err)
	}
	if out == nil {
		out = []Client{}
	}
	return out, nil
}

// ClientByID loads one client.
func (o *OrgStore) ClientByID(ctx context.Context, id uuid.UUID) (*Client, error) {
	c := new(Client)
	if err := o.sel(c).Where("?TableAlias.id = ?", id).Scan(ctx); err != nil {
		return nil, translate(err)
	}
	return c, nil
}

// ClientThreads lists a client's threads with their business numbers,
// newest activity first.
func (o *OrgStore) ClientThreads(ctx context.Context, clientID uuid.UUID, now time.Time) ([]InboxThread, error) {
	var rows []InboxThread
	err := o.inboxSelect(&rows, orNow(now)).Where("?TableAlias.client_id = ?", clientID).
		OrderExpr("?TableAlias.last_message_at DESC, ?TableAlias.id DESC").Limit(100).Scan(ctx)
	if err != nil {
		return nil, translate(err)
	}
	if rows == nil {
		rows = []InboxThread{}
	}
	return rows, nil
}
