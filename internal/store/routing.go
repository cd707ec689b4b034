package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/snoutos/snout/internal/domain/routing"
)

// ---- Routing rules ----

// RoutingRuleset is an org's ruleset version.
type RoutingRuleset struct {
	bun.BaseModel `bun:"table:routing_rulesets"`
	OrgID         uuid.UUID  `bun:"org_id,pk,type:uuid"`
	Version       int64      `bun:"version"`
	UpdatedAt     time.Time  `bun:"updated_at,nullzero,default:now()"`
	UpdatedBy     *uuid.UUID `bun:"updated_by,type:uuid"`
}

// Routing rule kinds (routing_rules.kind) and custom rule targets.
const (
	RuleKindOverride     = "override"
	RuleKindSitterWindow = "sitter_window"
	RuleKindOwnerInbox   = "owner_inbox"
	RuleKindCustom       = "custom"
)

// RoutingRule is one rule of an org's ruleset, with its evaluation counts.
type RoutingRule struct {
	bun.BaseModel  `bun:"table:routing_rules"`
	ID             uuid.UUID       `bun:"id,pk,type:uuid"`
	OrgID          uuid.UUID       `bun:"org_id,type:uuid"`
	Kind           string          `bun:"kind"`
	Name           string          `bun:"name"`
	Enabled        bool            `bun:"enabled"`
	Priority       int             `bun:"priority"`
	Conditions     json.RawMessage `bun:"conditions,type:jsonb"`
	TargetKind     *string         `bun:"target_kind"`
	TargetSitterID *uuid.UUID      `bun:"target_sitter_id,type:uuid"`
	RoutedCount    int64           `bun:"routed_count"`
	LastFiredAt    *time.Time      `bun:"last_fired_at"`
	CreatedAt      time.Time       `bun:"created_at,nullzero,default:now()"`
	UpdatedAt      time.Time       `bun:"updated_at,nullzero,default:now()"`
}

// RoutingRuleVersion is the whole ruleset as one change left it.
type RoutingRuleVersion struct {
	bun.BaseModel `bun:"table:routing_rule_versions"`
	OrgID         uuid.UUID       `bun:"org_id,pk,type:uuid"`
	Version       int64           `bun:"version,pk"`
	Rules         json.RawMessage `bun:"rules,type:jsonb"`
	Change        string          `bun:"change"`
	ChangedBy     *uuid.UUID      `bun:"changed_by,type:uuid"`
	ChangedAt     time.Time       `bun:"changed_at,nullzero,default:now()"`
}

// ErrStaleRuleset: the ruleset changed since the version the caller read.
var ErrStaleRuleset = errors.New("the routing rules changed meanwhile")

// RoutingRules returns the org's ruleset version and its rules by
// priority.
func (o *OrgStore) RoutingRules(ctx context.Context) (int64, []RoutingRule, error) {
	rs := new(RoutingRuleset)
	if err := o.sel(rs).Scan(ctx); err != nil {
		return 0, nil, translate(err)
	}
	var rules []RoutingRule
	err := o.sel(&rules).Order("priority", "id").Limit(200).Scan(ctx)
	return rs.Version, rules, translate(err)
}

// RulesEdit is what an edit of the ruleset decided: the rules as they
// should be (rules not listed are deleted, built-in ones never), the
// snapshot of the new version and a sentence saying what changed.
type RulesEdit struct {
	Rules    []RoutingRule
	Snapshot json.RawMessage
	Change   string
}

// EditRoutingRules changes the ruleset in one transaction: it locks the
// ruleset, hands fn the current version and rules, and stores what fn
// decides as the next version (with its snapshot). An error from fn
// changes nothing. Evaluation counts are kept. It returns the new version.
func (o *OrgStore) EditRoutingRules(ctx context.Context, by *uuid.UUID, fn func(version int64, rules []RoutingRule) (RulesEdit, error)) (int64, error) {
	var version int64
	err := o.Tx(ctx, func(ctx context.Context, tx *OrgStore) error {
		rs := new(RoutingRuleset)
		if err := tx.sel(rs).For("UPDATE").Scan(ctx); err != nil {
			return translate(err)
		}
		var current []RoutingRule
		if err := tx.sel(&current).Order("priority", "id").Limit(200).Scan(ctx); err != nil {
			return translate(err)
		}
		edit, err := fn(rs.Version, current)
		if err != nil {
			return err
		}
		keep := make([]uuid.UUID, 0, len(edit.Rules))
		now := time.Now()
		for i := range edit.Rules {
			r := &edit.Rules[i]
			r.OrgID = tx.orgID
			r.UpdatedAt = now
			if len(r.Conditions) == 0 {
				r.Conditions = json.RawMessage(`{}`)
			}
			keep = append(keep, r.ID)
			q, err := tx.ins(ctx, r, r.OrgID)
			if err != nil {
				return err
			}
			// Another org's rule ID updates nothing (and then inserts
			// nothing either: the primary key is taken).
			res, err := q.On("CONFLICT (id) DO UPDATE").
				Set("name = EXCLUDED.name, enabled = EXCLUDED.enabled, priority = EXCLUDED.priority").
				Set("conditions = EXCLUDED.conditions, target_kind = EXCLUDED.target_kind, target_sitter_id = EXCLUDED.target_sitter_id").
				Set("updated_at = EXCLUDED.updated_at").
				Where("?TableAlias.org_id = EXCLUDED.org_id AND ?TableAlias.kind = EXCLUDED.kind").
				Exec(ctx)
			if err != nil {
				return translate(err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return fmt.Errorf("%w: rule %s", ErrNotFound, r.ID)
			}
		}
		dq := tx.del((*RoutingRule)(nil)).Where("?TableAlias.kind = ?", RuleKindCustom)
		if len(keep) > 0 {
			dq = dq.Where("?TableAlias.id NOT IN (?)", bun.In(keep))
		}
		if _, err := dq.Exec(ctx); err != nil {
			return translate(err)
		}
		version = rs.Version + 1
		if _, err := tx.upd((*RoutingRuleset)(nil)).Set("version = ?, updated_at = ?, updated_by = ?", version, now, by).Exec(ctx); err != nil {
			return translate(err)
		}
		snap := &RoutingRuleVersion{OrgID: tx.orgID, Version: version, Rules: edit.Snapshot, Change: edit.Change, ChangedBy: by, ChangedAt: now}
		if len(snap.Rules) == 0 {
			snap.Rules = json.RawMessage(`[]`)
		}
		q, err := tx.ins(ctx, snap, snap.OrgID)
		if err != nil {
			return err
		}
		_, err = q.Exec(ctx)
		return translate(err)
	})
	return version, err
}

// RuleVersionRow is a ruleset version with the name of the member who
// made it (empty for the built-in version 1 and for a member since gone).
type RuleVersionRow struct {
	RoutingRuleVersion `bun:",extend"`
	ChangedByName      string `bun:"changed_by_name,scanonly"`
}

// RoutingRuleVersions lists the ruleset's versions, newest first, older
// than before when it is set (0: from the newest).
func (o *OrgStore) RoutingRuleVersions(ctx context.Context, before int64, limit int) ([]RuleVersionRow, error) {
	var out []RuleVersionRow
	q := o.sel(&out).ColumnExpr("?TableColumns").
		ColumnExpr("COALESCE(u.name, '') AS changed_by_name").
		// The member is looked up through this org's memberships only.
		Join("LEFT JOIN memberships AS m ON m.org_id = ?TableAlias.org_id AND m.user_id = ?TableAlias.changed_by").
		Join("LEFT JOIN users AS u ON u.id = m.user_id")
	if before > 0 {
		q = q.Where("?TableAlias.version < ?", before)
	}
	err := q.OrderExpr("?TableAlias.version DESC").Limit(int64(limit)).Scan(ctx)
	if out == nil {
		out = []RuleVersionRow{}
	}
	return out, translate(err)
}

// ---- Routing overrides ----

// OverrideRow is an override with its thread's client and its target
// sitter named.
type OverrideRow struct {
	RoutingOverride `bun:",extend"`
	ClientID        uuid.UUID `bun:"client_id,type:uuid"`
	ClientName      string    `bun:"client_name"`
	SitterName      string    `bun:"sitter_name"`
}

// OverrideFilter narrows the override list. Active: only those in force
// at Now (started, not ended, not removed); Ended: only those over.
type OverrideFilter struct {
	ThreadID *uuid.UUID
	Active   bool
	Ended    bool
	Now      time.Time
}

func (o *OrgStore) overrideSelect(rows any) *bun.SelectQuery {
	return o.sel(rows).ColumnExpr("?TableAlias.*").
		ColumnExpr("t.client_id, c.name AS client_name, COALESCE(s.name, '') AS sitter_name").
		Join("JOIN threads AS t ON t.org_id = ?TableAlias.org_id AND t.id = ?TableAlias.thread_id").
		Join("JOIN clients AS c ON c.org_id = t.org_id AND c.id = t.client_id").
		Join("LEFT JOIN sitters AS s ON s.org_id = ?TableAlias.org_id AND s.id = ?TableAlias.target_sitter_id")
}

// CreateOverride stores an override; a thread or sitter not of this org
// is not found.
func (o *OrgStore) CreateOverride(ctx context.Context, ov *RoutingOverride) error {
	if ov.ID == uuid.Nil {
		ov.ID = NewID()
	}
	q, err := o.ins(ctx, ov, ov.OrgID)
	if err != nil {
		return err
	}
	_, err = q.Exec(ctx)
	return translate(err)
}

// Override loads one override with its names.
func (o *OrgStore) Override(ctx context.Context, id uuid.UUID) (*OverrideRow, error) {
	row := new(OverrideRow)
	err := o.overrideSelect(row).Where("?TableAlias.id = ?", id).Scan(ctx)
	return row, translate(err)
}

// Overrides lists overrides, latest ending first.
func (o *OrgStore) Overrides(ctx context.Context, f OverrideFilter, limit int) ([]OverrideRow, error) {
	var out []OverrideRow
	q := o.overrideSelect(&out)
	if f.ThreadID != nil {
		q = q.Where("?TableAlias.thread_id = ?", *f.ThreadID)
	}
	if f.Active {
		q = q.Where("?TableAlias.cancelled_at IS NULL AND ?TableAlias.ended_at IS NULL AND ?TableAlias.starts_at <= ? AND ?TableAlias.ends_at > ?", f.Now, f.Now)
	}
	if f.Ended {
		q = q.Where("(?TableAlias.cancelled_at IS NOT NULL OR ?TableAlias.ended_at IS NOT NULL OR ?TableAlias.ends_at <= ?)", f.Now)
	}
	err := q.OrderExpr("?TableAlias.ends_at DESC, ?TableAlias.id DESC").Limit(int64(limit)).Scan(ctx)
	return out, translate(err)
}

// EndOverride records the end of an override: "expired" (at its end
// time) or "cancelled" (removed by a person, who is named). It reports
// whether this call ended it; an override already ended stays as it was.
func (o *OrgStore) EndOverride(ctx context.Context, id uuid.UUID, reason string, at time.Time, by *uuid.UUID) (bool, error) {
	q := o.upd((*RoutingOverride)(nil)).Set("ended_at = ?, end_reason = ?", at, reason).
		Where("id = ? AND ended_at IS NULL", id)
	if reason == "cancelled" {
		q = q.Set("cancelled_at = COALESCE(cancelled_at, ?), cancelled_by = ?", at, by)
	} else {
		q = q.Where("cancelled_at IS NULL")
	}
	res, err := q.Exec(ctx)
	if err != nil {
		return false, translate(err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// ---- Routing history and the simulator's look-ups ----

// RoutingDecisionRow is one routed inbound text of a thread.
type RoutingDecisionRow struct {
	MessageID uuid.UUID       `bun:"id,type:uuid"`
	CreatedAt time.Time       `bun:"created_at"`
	Body      string          `bun:"body"`
	Media     int             `bun:"media_count"`
	Routing   json.RawMessage `bun:"routing"`
}

// ThreadRoutingHistory lists the routing decisions of a thread's inbound
// texts, newest first, before the cursor.
func (o *OrgStore) ThreadRoutingHistory(ctx context.Context, threadID uuid.UUID, before *PageCursor, limit int) ([]RoutingDecisionRow, error) {
	var out []RoutingDecisionRow
	q := o.sel((*Message)(nil)).
		ColumnExpr("?TableAlias.id, ?TableAlias.created_at, ?TableAlias.body, jsonb_array_length(?TableAlias.media) AS media_count, ?TableAlias.routing").
		Where("?TableAlias.thread_id = ? AND ?TableAlias.direction = ? AND ?TableAlias.routing IS NOT NULL", threadID, DirectionInbound)
	if before != nil {
		q = q.Where("(?TableAlias.created_at, ?TableAlias.id) < (?, ?)", before.At, before.ID)
	}
	err := q.OrderExpr("?TableAlias.created_at DESC, ?TableAlias.id DESC").Limit(int64(limit)).Scan(ctx, &out)
	return out, translate(err)
}

// ThreadBetween finds the thread of a client and a business number
// without creating it.
func (o *OrgStore) ThreadBetween(ctx context.Context, clientID, numberID uuid.UUID) (*Thread, error) {
	t := new(Thread)
	err := o.sel(t).Where("?TableAlias.client_id = ? AND ?TableAlias.number_id = ?", clientID, numberID).Scan(ctx)
	return t, translate(err)
}

// Rule is the rule as the routing rules read it (rule IDs are UUIDs).
func (r RoutingRule) Rule() routing.Rule {
	out := routing.Rule{ID: r.ID.String(), Name: r.Name, Kind: routing.RuleKind(r.Kind), Enabled: r.Enabled, Priority: r.Priority}
	if len(r.Conditions) > 0 {
		// Written by EditRoutingRules from routing.Conditions; a row that
		// does not read is a rule without conditions.
		_ = json.Unmarshal(r.Conditions, &out.When)
	}
	if r.TargetKind != nil {
		out.Target.Kind = routing.RuleTargetKind(*r.TargetKind)
	}
	if r.TargetSitterID != nil {
		out.Target.SitterID = r.TargetSitterID.String()
	}
	return out
}

// Ruleset is the stored rules as one routing.Ruleset.
func Ruleset(version int64, rules []RoutingRule) routing.Ruleset {
	rs := routing.Ruleset{Version: version, Rules: make([]routing.Rule, 0, len(rules))}
	for _, r := range rules {
		rs.Rules = append(rs.Rules, r.Rule())
	}
	return rs
}

// RoutingHorizon is how far around the decision time overrides and
// windows are loaded: enough for the trace to mention the last and next.
const RoutingHorizon = 30 * 24 * time.Hour

// RoutingInputs is what routing.Decide reads about one text that lives in
// the database, and the names of the sitters it mentions.
type RoutingInputs struct {
	Overrides  []routing.Override
	Windows    []routing.Window
	Rules      routing.Ruleset
	ClientTags []string
	Clock      routing.Clock
	// Sitters names every sitter the overrides, windows, number and rules
	// mention, ordered by ID.
	Sitters []routing.SitterName
}

// RoutingInputs loads the thread's overrides and the client's windows
// around `around`, the org's rules, the client's tags and `around` on the
// org's wall clock. Live routing and the simulator both read through it,
// so both decide on the same facts. A thread or client of another org
// contributes nothing.
func (o *OrgStore) RoutingInputs(ctx context.Context, threadID, clientID uuid.UUID, numberSitterID *uuid.UUID, around time.Time) (RoutingInputs, error) {
	from, to := around.Add(-RoutingHorizon), around.Add(RoutingHorizon)
	out := RoutingInputs{Overrides: []routing.Override{}, Windows: []routing.Window{}, Sitters: []routing.SitterName{}}
	overrides, err := o.ThreadOverrides(ctx, threadID, from, to)
	if err != nil {
		return out, err
	}
	windows, err := o.ClientWindows(ctx, clientID, from, to)
	if err != nil {
		return out, err
	}
	var sitterIDs []uuid.UUID
	for _, ov := range overrides {
		target := routing.Target{Kind: routing.TargetKind(ov.TargetKind)}
		if ov.TargetSitterID != nil {
			target.SitterID = ov.TargetSitterID.String()
			sitterIDs = append(sitterIDs, *ov.TargetSitterID)
		}
		ends := ov.EndsAt
		// An override ended early has no end in the future.
		if ov.EndedAt != nil && ov.EndedAt.Before(ends) {
			ends = *ov.EndedAt
		}
		if !ends.After(ov.StartsAt) {
			continue
		}
		out.Overrides = append(out.Overrides, routing.Override{ID: ov.ID.String(), Target: target, StartsAt: ov.StartsAt, EndsAt: ends, Reason: ov.Reason})
	}
	for _, w := range windows {
		ends := w.EndsAt
		// A window ended early has no end in the future, whatever ends_at says.
		if w.Status == WindowEnded && ends.After(around) {
			ends = around
		}
		if !ends.After(w.StartsAt) {
			continue
		}
		out.Windows = append(out.Windows, routing.Window{ID: w.ID.String(), SitterID: w.SitterID.String(), ClientID: w.ClientID.String(), StartsAt: w.StartsAt, EndsAt: ends})
		sitterIDs = append(sitterIDs, w.SitterID)
	}
	if numberSitterID != nil {
		sitterIDs = append(sitterIDs, *numberSitterID)
	}
	version, rules, err := o.RoutingRules(ctx)
	if err != nil {
		return out, err
	}
	out.Rules = Ruleset(version, rules)
	for _, r := range rules {
		if r.TargetSitterID != nil {
			sitterIDs = append(sitterIDs, *r.TargetSitterID)
		}
	}
	if client, err := o.ClientByID(ctx, clientID); err == nil {
		out.ClientTags = client.Tags
	} else if !errors.Is(err, ErrNotFound) {
		return out, err
	}
	org, err := New(o.db).OrgByID(ctx, o.orgID)
	if err != nil {
		return out, err
	}
	out.Clock = routing.ClockAt(around, routing.Location(org.Timezone))
	sitters, err := o.SittersByID(ctx, sitterIDs)
	if err != nil {
		return out, err
	}
	for _, s := range sitters {
		out.Sitters = append(out.Sitters, routing.SitterName{ID: s.ID.String(), Name: s.Name})
	}
	slices.SortFunc(out.Sitters, func(x, y routing.SitterName) int { return strings.Compare(x.ID, y.ID) })
	return out, nil
}
