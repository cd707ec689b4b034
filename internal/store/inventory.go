package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/domain/numbers"
)

// Number health follows the domain rule (numbers.Health and the thresholds
// documented beside it); healthCase is its SQL twin, kept in step by a test.

// NumberImpact is what changing numbers would touch.
type NumberImpact = numbers.Impact

// InventoryRow is one number as the inventory shows it.
type InventoryRow struct {
	ID             uuid.UUID  `bun:"id"`
	E164           string     `bun:"e164"`
	FriendlyName   string     `bun:"friendly_name"`
	Class          string     `bun:"class"`
	Status         string     `bun:"status"`
	SitterID       *uuid.UUID `bun:"sitter_id"`
	SitterName     *string    `bun:"sitter_name"`
	ProviderSID    string     `bun:"provider_sid"`
	WebhookStatus  string     `bun:"webhook_status"`
	MonthlyCost    string     `bun:"monthly_cost"`
	QuarantinedAt  *time.Time `bun:"quarantined_at"`
	CooldownEndsAt *time.Time `bun:"cooldown_ends_at"`
	CreatedAt      time.Time  `bun:"created_at"`
	ReleasedAt     *time.Time `bun:"released_at"`
	Attempts7d     int        `bun:"attempts_7d"`
	Failed7d       int        `bun:"failed_7d"`
	Storm7d        int        `bun:"storm_7d"`
	Volume7d       int        `bun:"volume_7d"`
	LastUsedAt     *time.Time `bun:"last_used_at"`
	Threads        int        `bun:"threads"`
	ActiveThreads  int        `bun:"active_threads"`
	Health         string     `bun:"health"`
	AssignedTo     string     `bun:"assigned_to"`
	ClassRank      int        `bun:"class_rank"`
}

// ErrorRate is failed ÷ attempts over the health window (0 with no attempts).
func (r InventoryRow) ErrorRate() float64 { return numbers.ErrorRate(r.Attempts7d, r.Failed7d) }

// Number is what the domain's guardrails read of the row.
func (r InventoryRow) Number() numbers.Number {
	return numbers.Number{ID: r.ID, Class: r.Class, Status: r.Status, SitterID: r.SitterID, Threads: r.Threads,
		ActiveThreads: r.ActiveThreads, CooldownEndsAt: r.CooldownEndsAt}
}

// InventoryCursor is the position after the last row of a page.
type InventoryCursor struct {
	ClassRank int
	E164      string
	ID        uuid.UUID
}

// Cursor returns the cursor that continues after r.
func (r InventoryRow) Cursor() InventoryCursor {
	return InventoryCursor{ClassRank: r.ClassRank, E164: r.E164, ID: r.ID}
}

// InventoryFilter narrows the inventory. Zero values do not filter.
type InventoryFilter struct {
	Class      string
	Status     string // active, quarantined, inactive, released; empty = all but released
	AssignedTo string // front_desk, sitter, clients, pool, unassigned
	SitterID   *uuid.UUID
	Health     string
	MinVolume  *int
	MaxVolume  *int
	IdleDays   *int // not used for at least this many days (or never)
	Query      string
	IDs        []uuid.UUID
	After      *InventoryCursor
	// Now anchors the health window and idle days.
	Now time.Time
}

// healthCase is the SQL twin of numbers.Health; it reads the attempts_7d,
// failed_7d and storm_7d columns.
func healthCase() (string, []any) {
	return `CASE
  WHEN storm_7d >= ? THEN 'red'
  WHEN attempts_7d > 0 AND failed_7d >= ? AND failed_7d::float8 / attempts_7d >= ? THEN 'red'
  WHEN attempts_7d > 0 AND failed_7d > 0 AND failed_7d::float8 / attempts_7d >= ? THEN 'yellow'
  ELSE 'green' END`, []any{numbers.HealthStormCount, numbers.HealthRedMinFailures, numbers.HealthRedRate, numbers.HealthYellowRate}
}

// Inventory lists the org's numbers with health, 7-day volume, last use and
// threads, in one statement: delivery attempts of the window are grouped by
// sending number once; volume and last use are index lookups per number.
// Ordered front desk, sitters, pool, then by number.
func (o *OrgStore) Inventory(ctx context.Context, f InventoryFilter, limit int) ([]InventoryRow, error) {
	now := f.Now
	if now.IsZero() {
		now = time.Now()
	}
	since := now.Add(-numbers.HealthWindow)
	activeSince := now.Add(-numbers.ActiveThreadAge)
	health, healthArgs := healthCase()
	storm := make([]string, len(numbers.HealthStormCodes))
	for i, c := range numbers.HealthStormCodes {
		storm[i] = fmt.Sprint(c)
	}

	var args []any
	q := `
WITH att AS (
  SELECT m.from_e164 AS e164,
         count(*) AS attempts,
         count(*) FILTER (WHERE a.status IN ('failed', 'undelivered')) AS failed,
         count(*) FILTER (WHERE a.error_code IN (` + strings.Join(storm, ", ") + `)) AS storm
  FROM message_attempts a
  JOIN messages m ON m.org_id = a.org_id AND m.id = a.message_id
  WHERE a.org_id = ? AND a.started_at >= ? AND m.direction = 'outbound'
  GROUP BY m.from_e164
), base AS (
  SELECT n.id, n.e164, n.friendly_name, n.class, n.status, n.sitter_id, s.name AS sitter_name,
         n.provider_sid, n.webhook_status, n.monthly_cost, n.quarantined_at, n.cooldown_ends_at,
         n.created_at, n.released_at,
         COALESCE(att.attempts, 0) AS attempts_7d,
         COALESCE(att.failed, 0) AS failed_7d,
         COALESCE(att.storm, 0) AS storm_7d,
         (SELECT count(*) FROM messages m WHERE m.org_id = n.org_id AND m.direction = 'outbound' AND m.from_e164 = n.e164 AND m.created_at >= ?)
       + (SELECT count(*) FROM messages m WHERE m.org_id = n.org_id AND m.direction = 'inbound' AND m.to_e164 = n.e164 AND m.created_at >= ?) AS volume_7d,
         GREATEST(n.last_used_at,
           (SELECT max(m.created_at) FROM messages m WHERE m.org_id = n.org_id AND m.direction = 'outbound' AND m.from_e164 = n.e164),
           (SELECT max(m.created_at) FROM messages m WHERE m.org_id = n.org_id AND m.direction = 'inbound' AND m.to_e164 = n.e164)) AS last_used_at,
         th.threads, th.active_threads,
         CASE n.class WHEN 'front_desk' THEN 0 WHEN 'sitter' THEN 1 ELSE 2 END AS class_rank
  FROM phone_numbers n
  LEFT JOIN sitters s ON s.org_id = n.org_id AND s.id = n.sitter_id
  LEFT JOIN att ON att.e164 = n.e164
  CROSS JOIN LATERAL (
    SELECT count(*) AS threads,
           count(*) FILTER (WHERE t.last_message_at >= ? OR EXISTS (
             SELECT 1 FROM assignment_windows w
             WHERE w.org_id = t.org_id AND w.client_id = t.client_id AND w.status <> 'cancelled' AND w.ends_at > ?)) AS active_threads
    FROM threads t WHERE t.org_id = n.org_id AND t.number_id = n.id
  ) th
  WHERE n.org_id = ?
), inv AS (
  SELECT base.*, ` + health + ` AS health,
         CASE WHEN class = 'front_desk' THEN 'front_desk'
              WHEN class = 'sitter' AND sitter_id IS NOT NULL THEN 'sitter'
              WHEN class = 'pool' AND threads > 0 THEN 'clients'
              WHEN class = 'pool' THEN 'pool'
              ELSE 'unassigned' END AS assigned_to
  FROM base
)
SELECT * FROM inv WHERE true`
	args = append(args, o.orgID, since, since, since, activeSince, now, o.orgID)
	args = append(args, healthArgs...)

	where := func(cond string, a ...any) {
		q += " AND " + cond
		args = append(args, a...)
	}
	switch {
	case f.Status != "":
		where("status = ?", f.Status)
	case len(f.IDs) == 0:
		where("status <> 'released'")
	}
	if f.Class != "" {
		where("class = ?", f.Class)
	}
	if f.AssignedTo != "" {
		where("assigned_to = ?", f.AssignedTo)
	}
	if f.SitterID != nil {
		where("sitter_id = ?", *f.SitterID)
	}
	if f.Health != "" {
		where("health = ?", f.Health)
	}
	if f.MinVolume != nil {
		where("volume_7d >= ?", *f.MinVolume)
	}
	if f.MaxVolume != nil {
		where("volume_7d <= ?", *f.MaxVolume)
	}
	if f.IdleDays != nil {
		where("(last_used_at IS NULL OR last_used_at < ?)", now.Add(-time.Duration(*f.IdleDays)*24*time.Hour))
	}
	if f.Query != "" {
		like := "%" + numberSearchPattern(f.Query) + "%"
		where("(e164 LIKE ? OR friendly_name ILIKE ? OR COALESCE(sitter_name, '') ILIKE ?)", like, like, like)
	}
	if len(f.IDs) > 0 {
		where("id = ANY(?::uuid[])", uuidArrayLiteral(f.IDs))
	}
	if f.After != nil {
		where("(class_rank, e164, id) > (?, ?, ?)", f.After.ClassRank, f.After.E164, f.After.ID)
	}
	q += " ORDER BY class_rank, e164, id"
	if limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", limit)
	}
	var out []InventoryRow
	err := o.db.NewRaw(q, args...).Scan(ctx, &out)
	if errors.Is(err, sql.ErrNoRows) {
		err = nil
	}
	return out, translate(err)
}

// InventoryNumber returns one number's inventory row (released included).
func (o *OrgStore) InventoryNumber(ctx context.Context, id uuid.UUID, now time.Time) (*InventoryRow, error) {
	rows, err := o.Inventory(ctx, InventoryFilter{IDs: []uuid.UUID{id}, Now: now}, 1)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, ErrNotFound
	}
	return &rows[0], nil
}

func numberSearchPattern(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func uuidArrayLiteral(ids []uuid.UUID) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = id.String()
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// NumberEvents returns a number's history, newest first.
func (o *OrgStore) NumberEvents(ctx context.Context, numberID uuid.UUID, limit int) ([]NumberEvent, error) {
	var out []NumberEvent
	err := o.sel(&out).Where("number_id = ?", numberID).OrderExpr("at DESC, id DESC").Limit(int64(limit)).Scan(ctx)
	return out, translate(err)
}

// AddNumberEvent appends to a number's history.
func (o *OrgStore) AddNumberEvent(ctx context.Context, numberID uuid.UUID, kind, detail, actorID string) error {
	ev := &NumberEvent{OrgID: o.orgID, NumberID: numberID, Kind: kind, Detail: detail, ActorID: actorID}
	q, err := o.ins(ctx, ev, ev.OrgID)
	if err != nil {
		return err
	}
	_, err = q.Exec(ctx)
	return translate(err)
}

// NumberThread is a thread on a number, with the people in it.
type NumberThread struct {
	ThreadID           uuid.UUID  `bun:"thread_id" json:"threadId"`
	ClientID           uuid.UUID  `bun:"client_id" json:"clientId"`
	ClientName         string     `bun:"client_name" json:"clientName"`
	ClientOptedOut     bool       `bun:"client_opted_out" json:"clientOptedOut"`
	AssignedSitterID   *uuid.UUID `bun:"assigned_sitter_id" json:"assignedSitterId,omitempty"`
	SitterName         *string    `bun:"sitter_name" json:"sitterName,omitempty"`
	LastMessageAt      time.Time  `bun:"last_message_at" json:"lastMessageAt"`
	LastMessagePreview string     `bun:"last_message_preview" json:"lastMessagePreview"`
	Active             bool       `bun:"active" json:"active"`
}

// NumberThreads lists the threads currently on a number, most recent first.
func (o *OrgStore) NumberThreads(ctx context.Context, numberID uuid.UUID, now time.Time) ([]NumberThread, error) {
	var out []NumberThread
	err := o.db.NewRaw(`
SELECT t.id AS thread_id, t.client_id, c.name AS client_name, c.opted_out_at IS NOT NULL AS client_opted_out,
       t.assigned_sitter_id, s.name AS sitter_name, t.last_message_at, t.last_message_preview,
       (t.last_message_at >= ? OR EXISTS (SELECT 1 FROM assignment_windows w WHERE w.org_id = t.org_id AND w.client_id = t.client_id
                                           AND w.status <> 'cancelled' AND w.ends_at > ?)) AS active
FROM threads t
JOIN clients c ON c.org_id = t.org_id AND c.id = t.client_id
LEFT JOIN sitters s ON s.org_id = t.org_id AND s.id = t.assigned_sitter_id
WHERE t.org_id = ? AND t.number_id = ?
ORDER BY t.last_message_at DESC, t.id`, now.Add(-numbers.ActiveThreadAge), now, o.orgID, numberID).Scan(ctx, &out)
	if errors.Is(err, sql.ErrNoRows) {
		err = nil
	}
	return out, translate(err)
}

// DeliveryError is one failed attempt sent from a number.
type DeliveryError struct {
	MessageID  uuid.UUID `bun:"message_id" json:"messageId"`
	ThreadID   uuid.UUID `bun:"thread_id" json:"threadId"`
	ClientName string    `bun:"client_name" json:"clientName"`
	Status     string    `bun:"status" json:"status"`
	Code       int       `bun:"code" json:"code"`
	At         time.Time `bun:"at" json:"at"`
}

// NumberDeliveryErrors lists the latest failed attempts sent from e164.
func (o *OrgStore) NumberDeliveryErrors(ctx context.Context, e164 string, limit int) ([]DeliveryError, error) {
	var out []DeliveryError
	err := o.db.NewRaw(`
SELECT m.id AS message_id, m.thread_id, c.name AS client_name, a.status, COALESCE(a.error_code, 0) AS code,
       COALESCE(a.finished_at, a.started_at) AS at
FROM messages m
JOIN message_attempts a ON a.org_id = m.org_id AND a.message_id = m.id
JOIN threads t ON t.org_id = m.org_id AND t.id = m.thread_id
JOIN clients c ON c.org_id = t.org_id AND c.id = t.client_id
WHERE m.org_id = ? AND m.direction = 'outbound' AND m.from_e164 = ?
  AND (a.status IN ('failed', 'undelivered') OR a.error_code IS NOT NULL)
ORDER BY COALESCE(a.finished_at, a.started_at) DESC, a.id
LIMIT ?`, o.orgID, e164, limit).Scan(ctx, &out)
	if errors.Is(err, sql.ErrNoRows) {
		err = nil
	}
	return out, translate(err)
}

// LatestQuarantine returns the number's most recent quarantine.
func (o *OrgStore) LatestQuarantine(ctx context.Context, numberID uuid.UUID) (*Quarantine, error) {
	q := new(Quarantine)
	err := o.sel(q).Where("number_id = ?", numberID).OrderExpr("created_at DESC, id DESC").Limit(1).Scan(ctx)
	return q, translate(err)
}

// QuarantineByID loads one quarantine.
func (o *OrgStore) QuarantineByID(ctx context.Context, id uuid.UUID) (*Quarantine, error) {
	q := new(Quarantine)
	err := o.sel(q).Where("id = ?", id).Scan(ctx)
	return q, translate(err)
}

// ImpactOf counts the threads on the numbers, their clients, and those
// clients' assignment windows in force now or still to come.
func (o *OrgStore) ImpactOf(ctx context.Context, numberIDs []uuid.UUID, now time.Time) (NumberImpact, error) {
	var out NumberImpact
	err := o.db.NewRaw(`
WITH th AS (
  SELECT t.client_id, t.last_message_at,
         EXISTS (SELECT 1 FROM assignment_windows w WHERE w.org_id = t.org_id AND w.client_id = t.client_id
                 AND w.status <> 'cancelled' AND w.ends_at > ?) AS has_window
  FROM threads t WHERE t.org_id = ? AND t.number_id = ANY(?::uuid[])
)
SELECT (SELECT count(*) FROM th) AS threads,
       (SELECT count(*) FROM th WHERE last_message_at >= ? OR has_window) AS active_threads,
       (SELECT count(DISTINCT client_id) FROM th) AS clients,
       (SELECT count(*) FROM assignment_windows w WHERE w.org_id = ? AND w.client_id IN (SELECT client_id FROM th)
          AND w.status <> 'cancelled' AND w.starts_at <= ? AND w.ends_at > ?) AS active_windows,
       (SELECT count(*) FROM assignment_windows w WHERE w.org_id = ? AND w.client_id IN (SELECT client_id FROM th)
          AND w.status <> 'cancelled' AND w.starts_at > ?) AS upcoming_windows`,
		now, o.orgID, uuidArrayLiteral(numberIDs), now.Add(-numbers.ActiveThreadAge), o.orgID, now, now, o.orgID, now).
		Scan(ctx, &out.Threads, &out.ActiveThreads, &out.Clients, &out.ActiveWindows, &out.UpcomingWindows)
	return out, translate(err)
}

// ReplacementCandidates lists the numbers that can take over threads from
// a quarantined number, best first: active pool numbers that are not red
// (green before yellow, then the least busy), then the front desk. Numbers
// in exclude are skipped.
func (o *OrgStore) ReplacementCandidates(ctx context.Context, exclude []uuid.UUID, now time.Time) ([]InventoryRow, error) {
	rows, err := o.Inventory(ctx, InventoryFilter{Status: NumberActive, Now: now}, 0)
	if err != nil {
		return nil, err
	}
	skip := map[uuid.UUID]bool{}
	for _, id := range exclude {
		skip[id] = true
	}
	var pool, front []InventoryRow
	for _, r := range rows {
		switch {
		case skip[r.ID]:
		case r.Class == ClassPool && r.Health != numbers.HealthRed:
			pool = append(pool, r)
		case r.Class == ClassFrontDesk:
			front = append(front, r)
		}
	}
	rank := map[string]int{numbers.HealthGreen: 0, numbers.HealthYellow: 1}
	sort.SliceStable(pool, func(i, j int) bool {
		a, b := pool[i], pool[j]
		if rank[a.Health] != rank[b.Health] {
			return rank[a.Health] < rank[b.Health]
		}
		if a.Threads != b.Threads {
			return a.Threads < b.Threads
		}
		return a.E164 < b.E164
	})
	return append(pool, front...), nil
}

// SitterByEmail finds a sitter by their sign-in email.
func (o *OrgStore) SitterByEmail(ctx context.Context, email string) (*Sitter, error) {
	s := new(Sitter)
	err := o.sel(s).Join("JOIN users AS u ON u.id = sitter.user_id").Where("u.email = ?", email).Scan(ctx)
	return s, translate(err)
}

// AssignNumber changes a number's class and sitter, provided it is still
// what the caller saw (active, with fromClass and fromSitter): otherwise
// ErrConflict. The history row is written in the same transaction.
func (o *OrgStore) AssignNumber(ctx context.Context, id uuid.UUID, fromClass string, fromSitter *uuid.UUID, toClass string, toSitter *uuid.UUID, detail, actorID string) error {
	return o.Tx(ctx, func(ctx context.Context, tx *OrgStore) error {
		q := tx.upd((*PhoneNumber)(nil)).Set("class = ?, sitter_id = ?", toClass, toSitter).
			Where("id = ? AND status = 'active' AND class = ?", id, fromClass)
		if fromSitter == nil {
			q = q.Where("sitter_id IS NULL")
		} else {
			q = q.Where("sitter_id = ?", *fromSitter)
		}
		res, err := q.Exec(ctx)
		if err != nil {
			return translate(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("%w: number changed meanwhile", ErrConflict)
		}
		return tx.AddNumberEvent(ctx, id, "assigned", detail, actorID)
	})
}

// ---- Quarantine lifecycle (called by the quarantine workflow's activities) ----

// ErrNumberNotActive means the number cannot start a quarantine or be
// released in its current state.
var ErrNumberNotActive = errors.New("number is not active")

// BeginQuarantine stores the quarantine and marks the number quarantined.
// Idempotent: a second call for the same quarantine changes nothing. It
// reports whether this call made the change.
func (o *OrgStore) BeginQuarantine(ctx context.Context, q *Quarantine, actorID string) (bool, error) {
	q.OrgID = o.orgID
	changed := false
	err := o.Tx(ctx, func(ctx context.Context, tx *OrgStore) error {
		existing := new(Quarantine)
		err := tx.sel(existing).Where("id = ?", q.ID).Scan(ctx)
		if err == nil {
			*q = *existing
			return nil
		}
		if !errors.Is(translate(err), ErrNotFound) {
			return translate(err)
		}
		n := new(PhoneNumber)
		if err := tx.sel(n).Where("id = ?", q.NumberID).For("UPDATE").Scan(ctx); err != nil {
			return translate(err)
		}
		if n.Status != NumberActive || n.Class == ClassFrontDesk {
			return fmt.Errorf("%w: %s number is %s", ErrNumberNotActive, n.Class, n.Status)
		}
		ins, err := tx.ins(ctx, q, q.OrgID)
		if err != nil {
			return err
		}
		if _, err := ins.Exec(ctx); err != nil {
			return translate(err)
		}
		if _, err := tx.upd((*PhoneNumber)(nil)).
			Set("status = 'quarantined', quarantined_at = ?, cooldown_ends_at = ?", q.CreatedAt, q.CooldownEndsAt).
			Where("id = ?", q.NumberID).Exec(ctx); err != nil {
			return translate(err)
		}
		changed = true
		days := int(math.Round(q.CooldownEndsAt.Sub(q.CreatedAt).Hours() / 24))
		detail := fmt.Sprintf("Quarantined for a %d-day cooldown", days)
		if q.Reason != "" {
			detail += ": " + q.Reason
		}
		return tx.AddNumberEvent(ctx, q.NumberID, "quarantined", detail, actorID)
	})
	return changed, err
}

// ThreadMove is one thread moved off a quarantined number.
type ThreadMove struct {
	ThreadID     uuid.UUID `bun:"thread_id" json:"threadId"`
	ClientID     uuid.UUID `bun:"client_id" json:"clientId"`
	FromNumberID uuid.UUID `bun:"from_number_id" json:"fromNumberId"`
	ToNumberID   uuid.UUID `bun:"to_number_id" json:"toNumberId"`
	ToE164       string    `bun:"to_e164" json:"toE164"`
}

// MoveThreadsForQuarantine moves every thread on the quarantined number to
// the first target in targets on which the thread's client has no thread
// yet (a client has one thread per number), recording each move so that
// texts still arriving at the old number reach the moved thread. It returns
// all moves of the quarantine (including those made by an earlier try) and
// the threads no target could take.
func (o *OrgStore) MoveThreadsForQuarantine(ctx context.Context, quarantineID, fromNumberID uuid.UUID, targets []uuid.UUID, now time.Time) (moves []ThreadMove, stuck []uuid.UUID, err error) {
	err = o.Tx(ctx, func(ctx context.Context, tx *OrgStore) error {
		var threads []Thread
		if err := tx.sel(&threads).Where("number_id = ?", fromNumberID).OrderExpr("last_message_at DESC, id").For("UPDATE").Scan(ctx); err != nil {
			return translate(err)
		}
		movedTo := map[uuid.UUID]string{}
		for _, t := range threads {
			moved := false
			for _, target := range targets {
				if target == fromNumberID {
					continue
				}
				taken, err := tx.sel((*Thread)(nil)).Where("client_id = ? AND number_id = ?", t.ClientID, target).Exists(ctx)
				if err != nil {
					return translate(err)
				}
				if taken {
					continue
				}
				if _, err := tx.upd((*Thread)(nil)).Set("number_id = ?", target).Where("id = ?", t.ID).Exec(ctx); err != nil {
					return translate(err)
				}
				qid := quarantineID
				mv := &ThreadNumberMove{OrgID: tx.orgID, ThreadID: t.ID, FromNumberID: fromNumberID, ToNumberID: target, QuarantineID: &qid, MovedAt: now}
				if _, err := tx.db.NewInsert().Model(mv).On("CONFLICT (quarantine_id, thread_id) WHERE quarantine_id IS NOT NULL DO NOTHING").Exec(ctx); err != nil {
					return translate(err)
				}
				movedTo[target] = ""
				moved = true
				break
			}
			if !moved {
				stuck = append(stuck, t.ID)
			}
		}
		if len(movedTo) > 0 {
			count := len(threads) - len(stuck)
			if err := tx.AddNumberEvent(ctx, fromNumberID, "threads_moved", movedWords(count), "system"); err != nil {
				return err
			}
		}
		return tx.db.NewRaw(`
SELECT mv.thread_id, t.client_id, mv.from_number_id, mv.to_number_id, n.e164 AS to_e164
FROM thread_number_moves mv
JOIN threads t ON t.org_id = mv.org_id AND t.id = mv.thread_id
JOIN phone_numbers n ON n.org_id = mv.org_id AND n.id = mv.to_number_id
WHERE mv.org_id = ? AND mv.quarantine_id = ?
ORDER BY mv.id`, tx.orgID, quarantineID).Scan(ctx, &moves)
	})
	if errors.Is(err, sql.ErrNoRows) {
		err = nil
	}
	return moves, stuck, err
}

// NoticeRecipient loads a thread with its client and the number it is on.
func (o *OrgStore) NoticeRecipient(ctx context.Context, threadID uuid.UUID) (*Thread, *Client, *PhoneNumber, error) {
	t, c, n := new(Thread), new(Client), new(PhoneNumber)
	if err := o.sel(t).Where("id = ?", threadID).Scan(ctx); err != nil {
		return nil, nil, nil, translate(err)
	}
	if err := o.sel(c).Where("id = ?", t.ClientID).Scan(ctx); err != nil {
		return nil, nil, nil, translate(err)
	}
	if err := o.sel(n).Where("id = ?", t.NumberID).Scan(ctx); err != nil {
		return nil, nil, nil, translate(err)
	}
	return t, c, n, nil
}

// AddNumberChangeNotice stores the text telling a client their
// conversation moved to a new number, as a pending outbound system message
// in the (moved) thread, ready for its delivery workflow. Idempotent on
// m.ID; it reports whether the message was created by this call.
func (o *OrgStore) AddNumberChangeNotice(ctx context.Context, m *Message) (bool, error) {
	m.OrgID = o.orgID
	created := false
	err := o.Tx(ctx, func(ctx context.Context, tx *OrgStore) error {
		res, err := tx.db.NewInsert().Model(m).On("CONFLICT (id) DO NOTHING").Exec(ctx)
		if err != nil {
			return translate(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		created = true
		_, err = tx.upd((*Thread)(nil)).Set("last_message_at = ?, last_message_preview = ?", m.CreatedAt, noticePreview(m.Body)).
			Where("id = ?", m.ThreadID).Exec(ctx)
		return translate(err)
	})
	return created, err
}

func noticePreview(body string) string {
	r := []rune(body)
	if len(r) > 120 {
		return string(r[:117]) + "…"
	}
	return body
}

// Quarantine outcomes.
const (
	QuarantineCoolingDown    = "cooling_down"
	QuarantineRestored       = "restored"
	QuarantineReturnedToPool = "returned_to_pool"
	QuarantineReleased       = "released"
)

// FinishQuarantine ends a cooling-down quarantine with an outcome and puts
// the number in its final state: restored (active, same class),
// returned_to_pool (active pool number) or released (given back to the
// provider). Idempotent: it reports false when the quarantine had already
// ended.
func (o *OrgStore) FinishQuarantine(ctx context.Context, quarantineID uuid.UUID, outcome string, now time.Time, actorID, detail string) (bool, error) {
	changed := false
	err := o.Tx(ctx, func(ctx context.Context, tx *OrgStore) error {
		q := new(Quarantine)
		if err := tx.sel(q).Where("id = ?", quarantineID).For("UPDATE").Scan(ctx); err != nil {
			return translate(err)
		}
		if q.Status != QuarantineCoolingDown {
			return nil
		}
		if _, err := tx.upd((*Quarantine)(nil)).Set("status = ?, finished_at = ?", outcome, now).Where("id = ?", quarantineID).Exec(ctx); err != nil {
			return translate(err)
		}
		num := tx.upd((*PhoneNumber)(nil)).Where("id = ?", q.NumberID).Set("quarantined_at = NULL, cooldown_ends_at = NULL")
		kind := outcome
		switch outcome {
		case QuarantineRestored:
			num = num.Set("status = 'active'")
		case QuarantineReturnedToPool:
			num = num.Set("status = 'active', class = 'pool', sitter_id = NULL")
		case QuarantineReleased:
			num = num.Set("status = 'released', released_at = ?", now)
		default:
			return fmt.Errorf("store: unknown quarantine outcome %q", outcome)
		}
		if _, err := num.Exec(ctx); err != nil {
			return translate(err)
		}
		changed = true
		return tx.AddNumberEvent(ctx, q.NumberID, kind, detail, actorID)
	})
	return changed, err
}

// ReleaseNumber marks an active or inactive number released (given back to
// the provider). Idempotent: false when it was already released.
func (o *OrgStore) ReleaseNumber(ctx context.Context, id uuid.UUID, now time.Time, actorID, detail string) (bool, error) {
	changed := false
	err := o.Tx(ctx, func(ctx context.Context, tx *OrgStore) error {
		n := new(PhoneNumber)
		if err := tx.sel(n).Where("id = ?", id).For("UPDATE").Scan(ctx); err != nil {
			return translate(err)
		}
		switch {
		case n.Status == NumberReleased:
			return nil
		case n.Class == ClassFrontDesk && n.Status == NumberActive, n.Status == NumberQuarantined:
			return fmt.Errorf("%w: %s number is %s", ErrNumberNotActive, n.Class, n.Status)
		}
		if _, err := tx.upd((*PhoneNumber)(nil)).Set("status = 'released', released_at = ?", now).Where("id = ?", id).Exec(ctx); err != nil {
			return translate(err)
		}
		changed = true
		return tx.AddNumberEvent(ctx, id, "released", detail, actorID)
	})
	return changed, err
}

// movedWords is the number event of a quarantine's moved conversations.
func movedWords(count int) string {
	if count == 1 {
		return "1 conversation moved to a replacement number"
	}
	return fmt.Sprintf("%d conversations moved to a replacement number", count)
}
