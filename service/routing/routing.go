// Package routing is the application layer of routing control: the
// owner's rules (list, create, edit, reorder, delete; every change a new
// version), the simulator (what live routing would decide, without writing
// anything), overrides (each kept by its own workflow until it expires or
// is removed) and each thread's routing history.
package routing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/domain/routing"
	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/platform/obs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
)

// Service holds routing control's use cases.
type Service struct {
	Store     *store.Store
	Temporal  client.Client // nil: overrides still work, their end is recorded here
	TaskQueue string
	Now       func() time.Time
	Auditor   service.Auditor
	Log       *slog.Logger
}

// ---- Rules ----

// Rule is a stored rule with its evaluation counts.
type Rule struct {
	routing.Rule
	Builtin     bool
	RoutedCount int64
	LastFiredAt *time.Time
	// SitterName names the target sitter of a rule that sends to one.
	SitterName string
}

// Rules is the org's ruleset as the owner sees it, in the order it is
// tried.
type Rules struct {
	Version   int64
	UpdatedAt time.Time
	Rules     []Rule
}

// ListRules returns the org's ruleset.
func (s *Service) ListRules(ctx context.Context, a service.Actor, _ struct{}) (Rules, error) {
	return s.rules(ctx, s.Store.Org(a.OrgID))
}

func (s *Service) rules(ctx context.Context, org *store.OrgStore) (Rules, error) {
	version, rows, err := org.RoutingRules(ctx)
	if err != nil {
		return Rules{}, err
	}
	byID := map[string]store.RoutingRule{}
	var sitterIDs []uuid.UUID
	for _, r := range rows {
		byID[r.ID.String()] = r
		if r.TargetSitterID != nil {
			sitterIDs = append(sitterIDs, *r.TargetSitterID)
		}
	}
	sitters, err := org.SittersByID(ctx, sitterIDs)
	if err != nil {
		return Rules{}, err
	}
	names := map[string]string{}
	for _, st := range sitters {
		names[st.ID.String()] = st.Name
	}
	out := Rules{Version: version, Rules: []Rule{}}
	for _, r := range store.Ruleset(version, rows).Ordered() {
		row := byID[r.ID]
		out.Rules = append(out.Rules, Rule{Rule: r, Builtin: r.Kind.Builtin(), RoutedCount: row.RoutedCount, LastFiredAt: row.LastFiredAt,
			SitterName: names[r.Target.SitterID]})
		if row.UpdatedAt.After(out.UpdatedAt) {
			out.UpdatedAt = row.UpdatedAt
		}
	}
	return out, nil
}

// RuleDraft is a rule as the owner's form sends it. On an edit, nil
// fields keep their value; a built-in rule takes only Enabled (and the
// override and owner inbox rules not even that).
type RuleDraft struct {
	Name    *string
	Enabled *bool
	When    *routing.Conditions
	Target  *routing.RuleTarget
	// Position, on create: where the rule goes (1 = right after the
	// override rule); 0 puts it just before the owner inbox.
	Position int
	// ExpectedVersion, when set, refuses the change if the rules changed
	// since the owner loaded that version.
	ExpectedVersion int64
}

// RuleEdit is an edit of one rule.
type RuleEdit struct {
	ID    uuid.UUID
	Draft RuleDraft
}

// RuleOrder is the whole ruleset's new order.
type RuleOrder struct {
	IDs             []string
	ExpectedVersion int64
}

// RuleRef names a rule to delete.
type RuleRef struct {
	ID              uuid.UUID
	ExpectedVersion int64
}

func staleRules() error {
	return errs.Conflict("rules_changed", "The routing rules changed since you loaded them. Reload to see the current rules, then make your change again.")
}

// edit runs one change of the ruleset: fn gets the rules in order and
// returns them as they should be, with a sentence saying what changed.
func (s *Service) edit(ctx context.Context, a service.Actor, expected int64, action string, entity string,
	fn func(rules []routing.Rule) ([]routing.Rule, string, error)) (Rules, error) {
	if !a.IsOwner() {
		return Rules{}, errs.Forbidden("Only the business owner can change routing rules.")
	}
	org := s.Store.Org(a.OrgID)
	by := a.UserID
	var change string
	version, err := org.EditRoutingRules(ctx, &by, func(version int64, rows []store.RoutingRule) (store.RulesEdit, error) {
		if expected != 0 && expected != version {
			return store.RulesEdit{}, staleRules()
		}
		next, what, err := fn(store.Ruleset(version, rows).Ordered())
		if err != nil {
			return store.RulesEdit{}, err
		}
		change = what
		if len(next) > routing.MaxRules {
			return store.RulesEdit{}, errs.Conflict("too_many_rules", fmt.Sprintf("An org can have at most %d routing rules; delete one first.", routing.MaxRules))
		}
		out := make([]store.RoutingRule, 0, len(next))
		for i := range next {
			next[i].Priority = (i + 1) * 10
			row, err := storedRule(next[i])
			if err != nil {
				return store.RulesEdit{}, err
			}
			out = append(out, row)
		}
		snap, err := json.Marshal(next)
		if err != nil {
			return store.RulesEdit{}, err
		}
		return store.RulesEdit{Rules: out, Snapshot: snap, Change: what}, nil
	})
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return Rules{}, errs.NotFound("The rule")
		}
		return Rules{}, err
	}
	s.Auditor.Record(ctx, a, service.Event{Action: action, EntityType: "routing_rule", EntityID: entity,
		Detail: map[string]any{"version": version, "change": change}})
	return s.rules(ctx, org)
}

func storedRule(r routing.Rule) (store.RoutingRule, error) {
	id, err := uuid.Parse(r.ID)
	if err != nil {
		return store.RoutingRule{}, fmt.Errorf("rule ID %q: %w", r.ID, err)
	}
	row := store.RoutingRule{ID: id, Kind: string(r.Kind), Name: r.Name, Enabled: r.Enabled, Priority: r.Priority, Conditions: json.RawMessage(`{}`)}
	if r.Kind == routing.KindCustom {
		cond, err := json.Marshal(r.When)
		if err != nil {
			return row, err
		}
		row.Conditions = cond
		kind := string(r.Target.Kind)
		row.TargetKind = &kind
		if r.Target.SitterID != "" {
			sid, err := uuid.Parse(r.Target.SitterID)
			if err != nil {
				return row, errs.InvalidField("target.sitterId", "Choose the sitter who gets these texts.")
			}
			row.TargetSitterID = &sid
		}
	}
	return row, nil
}

// checker says which sitter and number IDs are the org's, for Validate.
func (s *Service) checker(ctx context.Context, org *store.OrgStore) (sitter, number func(string) bool, err error) {
	sitters, err := org.Sitters(ctx)
	if err != nil {
		return nil, nil, err
	}
	numbers, err := org.ListAllNumbers(ctx)
	if err != nil {
		return nil, nil, err
	}
	active := map[string]bool{}
	for _, st := range sitters {
		if st.Active {
			active[st.ID.String()] = true
		}
	}
	ours := map[string]bool{}
	for _, n := range numbers {
		if n.Status != store.NumberReleased {
			ours[n.ID.String()] = true
		}
	}
	return func(id string) bool { return active[id] }, func(id string) bool { return ours[id] }, nil
}

func normalize(r *routing.Rule) {
	r.Name = strings.TrimSpace(r.Name)
	for i, t := range r.When.ClientTags {
		r.When.ClientTags[i] = strings.TrimSpace(t)
	}
	slices.Sort(r.When.Days)
	r.When.Days = slices.Compact(r.When.Days)
	if r.Target.Kind != routing.RuleToSitter {
		r.Target.SitterID = ""
	}
}

// CreateRule adds one of the owner's rules.
func (s *Service) CreateRule(ctx context.Context, a service.Actor, d RuleDraft) (Rules, error) {
	org := s.Store.Org(a.OrgID)
	knownSitter, knownNumber, err := s.checker(ctx, org)
	if err != nil {
		return Rules{}, err
	}
	r := routing.Rule{ID: store.NewID().String(), Kind: routing.KindCustom, Enabled: true}
	if d.Name != nil {
		r.Name = *d.Name
	}
	if d.Enabled != nil {
		r.Enabled = *d.Enabled
	}
	if d.When != nil {
		r.When = *d.When
	}
	if d.Target != nil {
		r.Target = *d.Target
	}
	normalize(&r)
	if f := routing.Validate(r, knownSitter, knownNumber); len(f) > 0 {
		return Rules{}, errs.Invalid("", f)
	}
	return s.edit(ctx, a, d.ExpectedVersion, "routing.rule.created", r.ID, func(rules []routing.Rule) ([]routing.Rule, string, error) {
		last := len(rules) - 1 // the owner inbox
		at := last
		if d.Position > 0 && d.Position < last {
			at = d.Position
		}
		return slices.Insert(rules, at, r), fmt.Sprintf("Added the rule %q.", r.Name), nil
	})
}

// UpdateRule changes a rule's name, conditions, target or whether it is
// on.
func (s *Service) UpdateRule(ctx context.Context, a service.Actor, e RuleEdit) (Rules, error) {
	org := s.Store.Org(a.OrgID)
	knownSitter, knownNumber, err := s.checker(ctx, org)
	if err != nil {
		return Rules{}, err
	}
	d := e.Draft
	return s.edit(ctx, a, d.ExpectedVersion, "routing.rule.updated", e.ID.String(), func(rules []routing.Rule) ([]routing.Rule, string, error) {
		i := slices.IndexFunc(rules, func(r routing.Rule) bool { return r.ID == e.ID.String() })
		if i < 0 {
			return nil, "", errs.NotFound("The rule")
		}
		r := rules[i]
		var changes []string
		if r.Kind.Builtin() {
			fields := map[string]string{}
			if d.Name != nil && strings.TrimSpace(*d.Name) != r.Name {
				fields["name"] = "A built-in rule keeps its name."
			}
			if d.When != nil || d.Target != nil {
				fields["when"] = "A built-in rule has fixed conditions and target; add a rule of your own instead."
			}
			if d.Enabled != nil && !*d.Enabled && (r.Kind == routing.KindOverride || r.Kind == routing.KindOwnerInbox) {
				fields["enabled"] = "This rule is always on: the owner inbox catches every text no other rule takes, and an override is removed from the overrides list."
			}
			if len(fields) > 0 {
				return nil, "", errs.Invalid("", fields)
			}
		}
		if d.Name != nil {
			r.Name = *d.Name
			changes = append(changes, "renamed")
		}
		if d.Enabled != nil && *d.Enabled != r.Enabled {
			r.Enabled = *d.Enabled
			changes = append(changes, map[bool]string{true: "turned on", false: "turned off"}[r.Enabled])
		}
		if d.When != nil {
			r.When = *d.When
			changes = append(changes, "conditions changed")
		}
		if d.Target != nil {
			r.Target = *d.Target
			changes = append(changes, "target changed")
		}
		normalize(&r)
		if f := routing.Validate(r, knownSitter, knownNumber); len(f) > 0 {
			return nil, "", errs.Invalid("", f)
		}
		if len(changes) == 0 {
			changes = append(changes, "saved unchanged")
		}
		rules[i] = r
		return rules, fmt.Sprintf("Rule %q: %s.", r.Name, strings.Join(changes, ", ")), nil
	})
}

// ReorderRules puts the rules in a new order: every rule once, the
// override rule first and the owner inbox last.
func (s *Service) ReorderRules(ctx context.Context, a service.Actor, o RuleOrder) (Rules, error) {
	return s.edit(ctx, a, o.ExpectedVersion, "routing.rules.reordered", "", func(rules []routing.Rule) ([]routing.Rule, string, error) {
		byID := map[string]routing.Rule{}
		for _, r := range rules {
			byID[r.ID] = r
		}
		seen := map[string]bool{}
		next := make([]routing.Rule, 0, len(o.IDs))
		for _, id := range o.IDs {
			r, ok := byID[strings.TrimSpace(id)]
			if !ok {
				// Not one of this org's rules (another org's, or made up).
				return nil, "", errs.NotFound("The rule")
			}
			if seen[r.ID] {
				return nil, "", errs.InvalidField("ruleIds", "List each rule of GET /api/v1/routing/rules exactly once.")
			}
			seen[r.ID] = true
			next = append(next, r)
		}
		if len(next) != len(rules) {
			return nil, "", errs.InvalidField("ruleIds", "List every rule, each once: the order is of the whole set.")
		}
		if next[0].Kind != routing.KindOverride || next[len(next)-1].Kind != routing.KindOwnerInbox {
			return nil, "", errs.InvalidField("ruleIds", "The active override rule stays first and the owner inbox last; order the rules between them.")
		}
		names := make([]string, 0, len(next))
		for _, r := range next {
			names = append(names, r.Name)
		}
		return next, "New order: " + strings.Join(names, ", ") + ".", nil
	})
}

// DeleteRule deletes one of the owner's rules (the built-in ones stay).
func (s *Service) DeleteRule(ctx context.Context, a service.Actor, ref RuleRef) (Rules, error) {
	return s.edit(ctx, a, ref.ExpectedVersion, "routing.rule.deleted", ref.ID.String(), func(rules []routing.Rule) ([]routing.Rule, string, error) {
		i := slices.IndexFunc(rules, func(r routing.Rule) bool { return r.ID == ref.ID.String() })
		if i < 0 {
			return nil, "", errs.NotFound("The rule")
		}
		if rules[i].Kind.Builtin() {
			return nil, "", errs.Conflict("builtin_rule", "A built-in rule cannot be deleted; turn it off instead, if it can be.")
		}
		name := rules[i].Name
		return slices.Delete(rules, i, i+1), fmt.Sprintf("Deleted the rule %q.", name), nil
	})
}

// ---- Rule versions ----

// Version is one version of the ruleset: who changed what, when, and the
// rules as that change left them, in order.
type Version struct {
	Version       int64
	Change        string
	ChangedBy     *uuid.UUID
	ChangedByName string
	ChangedAt     time.Time
	Rules         []routing.Rule
}

// VersionQuery pages the versions: Before (0: from the newest) and Limit.
type VersionQuery struct {
	Before int64
	Limit  int
}

// VersionPage is a page of versions, newest first; Next is the Before of
// the following page, 0 on the last.
type VersionPage struct {
	Current  int64
	Versions []Version
	Next     int64
}

// Versions lists the ruleset's versions, newest first.
func (s *Service) Versions(ctx context.Context, a service.Actor, q VersionQuery) (VersionPage, error) {
	org := s.Store.Org(a.OrgID)
	limit := q.Limit
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	current, _, err := org.RoutingRules(ctx)
	if err != nil {
		return VersionPage{}, err
	}
	rows, err := org.RoutingRuleVersions(ctx, q.Before, limit+1)
	if err != nil {
		return VersionPage{}, err
	}
	out := VersionPage{Current: current, Versions: make([]Version, 0, len(rows))}
	if len(rows) > limit {
		rows = rows[:limit]
		out.Next = rows[limit-1].Version
	}
	for _, r := range rows {
		v := Version{Version: r.Version, Change: r.Change, ChangedBy: r.ChangedBy, ChangedByName: r.ChangedByName, ChangedAt: r.ChangedAt, Rules: []routing.Rule{}}
		// Each snapshot is routing.Rule as JSON (version 1 written by the
		// migration in the same shape); one that does not read lists none.
		if err := json.Unmarshal(r.Rules, &v.Rules); err != nil || v.Rules == nil {
			v.Rules = []routing.Rule{}
		}
		out.Versions = append(out.Versions, v)
	}
	return out, nil
}

// ---- Simulator ----

// Simulation asks what live routing would do with a text.
type Simulation struct {
	// ThreadID, or ClientID with NumberID: whose text. Neither: a sender
	// who is not a client yet (NumberID is then required).
	ThreadID, ClientID, NumberID *uuid.UUID
	// At is when the text arrives; zero is now.
	At time.Time
}

// SimulationResult is the decision and its trace, as live routing would
// store it.
type SimulationResult struct {
	At        time.Time
	ThreadID  *uuid.UUID
	ClientID  *uuid.UUID
	NumberID  uuid.UUID
	Trace     routing.Trace
	Zone      string
	NewSender bool
}

// Simulate decides, with the rules live routing uses and on the same
// facts (store.RoutingInputs), where a text would go. It only reads.
func (s *Service) Simulate(ctx context.Context, a service.Actor, in Simulation) (SimulationResult, error) {
	org := s.Store.Org(a.OrgID)
	at := in.At
	if at.IsZero() {
		at = s.Now()
	}
	at = at.UTC()
	var (
		thread   *store.Thread
		clientID uuid.UUID
		number   *store.PhoneNumber
		err      error
	)
	switch {
	case in.ThreadID != nil:
		if thread, err = org.Thread(ctx, *in.ThreadID); err != nil {
			return SimulationResult{}, service.NotFoundOr(err, "The thread")
		}
		clientID = thread.ClientID
		numberID := thread.NumberID
		if in.NumberID != nil && *in.NumberID != numberID {
			return SimulationResult{}, errs.InvalidField("numberId", "A thread lives on one number; leave the number out, or give a client instead of the thread.")
		}
		if number, err = org.Number(ctx, numberID); err != nil {
			return SimulationResult{}, err
		}
	default:
		if in.NumberID == nil {
			return SimulationResult{}, errs.InvalidField("numberId", "Choose the business number the text is sent to.")
		}
		if number, err = org.Number(ctx, *in.NumberID); err != nil {
			return SimulationResult{}, service.NotFoundOr(err, "The number")
		}
		if number.Status == store.NumberReleased {
			return SimulationResult{}, errs.InvalidField("numberId", "That number has been released; texts to it no longer reach this business.")
		}
		if in.ClientID != nil {
			c, err := org.ClientByID(ctx, *in.ClientID)
			if err != nil {
				return SimulationResult{}, service.NotFoundOr(err, "The client")
			}
			clientID = c.ID
			if t, err := org.ThreadBetween(ctx, c.ID, number.ID); err == nil {
				thread = t
			} else if !errors.Is(err, store.ErrNotFound) {
				return SimulationResult{}, err
			}
		}
	}
	var threadID uuid.UUID
	if thread != nil {
		threadID = thread.ID
	}
	ri, err := org.RoutingInputs(ctx, threadID, clientID, number.SitterID, at)
	if err != nil {
		return SimulationResult{}, err
	}
	newSender := clientID == uuid.Nil
	rin := routing.Input{Now: at, Number: routing.Number{ID: number.ID.String(), Class: routing.NumberClass(number.Class), SitterID: idString(number.SitterID)},
		Overrides: ri.Overrides, Windows: ri.Windows, Rules: &ri.Rules, ClientTags: ri.ClientTags, Clock: ri.Clock, NewSender: newSender}
	if thread != nil {
		rin.ThreadID = thread.ID.String()
	}
	if clientID != uuid.Nil {
		rin.ClientID = clientID.String()
	}
	trace, _ := routing.Record(routing.Decide(rin), ri.Sitters, at, number.ID, number.Class)
	out := SimulationResult{At: at, NumberID: number.ID, Trace: trace, Zone: ri.Clock.Zone, NewSender: newSender}
	if thread != nil {
		out.ThreadID = &thread.ID
	}
	if clientID != uuid.Nil {
		out.ClientID = &clientID
	}
	return out, nil
}

func idString(id *uuid.UUID) string {
	if id == nil {
		return ""
	}
	return id.String()
}

// ---- Overrides ----

// Limits on an override: none is permanent.
const (
	MinOverride       = time.Minute
	MaxOverride       = 30 * 24 * time.Hour
	MaxOverrideReason = 500
)

// Override statuses, by the clock and the recorded end.
const (
	OverrideActive    = "active"
	OverrideExpired   = "expired"
	OverrideCancelled = "cancelled"
)

// Override is an override with its status now.
type Override struct {
	store.OverrideRow
	Status string
}

func overrideAt(r store.OverrideRow, now time.Time) Override {
	st := OverrideActive
	switch {
	case r.CancelledAt != nil || r.EndReason == contract.OverrideEndCancelled:
		st = OverrideCancelled
	case r.EndedAt != nil || !now.Before(r.EndsAt):
		st = OverrideExpired
	}
	return Override{OverrideRow: r, Status: st}
}

// OverrideDraft is the owner's new override.
type OverrideDraft struct {
	ThreadID   string
	TargetKind string
	SitterID   string
	Minutes    int
	Reason     string
}

// CreateOverride sends a thread's texts to the owner or a sitter for a
// while; its workflow ends it at expiry. Owner only; a thread has one
// override at a time.
func (s *Service) CreateOverride(ctx context.Context, a service.Actor, d OverrideDraft) (Override, error) {
	if !a.IsOwner() {
		return Override{}, errs.Forbidden("Only the business owner can override routing.")
	}
	fields := map[string]string{}
	threadID, err := uuid.Parse(strings.TrimSpace(d.ThreadID))
	if err != nil {
		fields["threadId"] = "Choose the conversation to override."
	}
	var sitterID *uuid.UUID
	switch d.TargetKind {
	case string(routing.TargetOwnerInbox):
		if strings.TrimSpace(d.SitterID) != "" {
			fields["sitterId"] = "An override to the owner inbox names no sitter."
		}
	case string(routing.TargetSitter):
		id, err := uuid.Parse(strings.TrimSpace(d.SitterID))
		if err != nil {
			fields["sitterId"] = "Choose the sitter who gets the texts."
		} else {
			sitterID = &id
		}
	default:
		fields["targetKind"] = "Send the texts to the owner inbox or to a sitter."
	}
	dur := time.Duration(d.Minutes) * time.Minute
	switch {
	case dur < MinOverride:
		fields["durationMinutes"] = "An override lasts at least a minute."
	case dur > MaxOverride:
		fields["durationMinutes"] = "An override lasts at most 30 days; no override is permanent. Add a rule for a lasting change."
	}
	reason := strings.TrimSpace(d.Reason)
	switch {
	case reason == "":
		fields["reason"] = "Say why, for the audit trail and whoever reads the thread (e.g. “Owner away, Sam covers”)."
	case len([]rune(reason)) > MaxOverrideReason:
		fields["reason"] = fmt.Sprintf("Keep the reason to %d characters.", MaxOverrideReason)
	case strings.ContainsRune(reason, 0):
		fields["reason"] = "Use plain text."
	}
	if len(fields) > 0 {
		return Override{}, errs.Invalid("", fields)
	}
	org := s.Store.Org(a.OrgID)
	if _, err := org.Thread(ctx, threadID); err != nil {
		return Override{}, service.NotFoundOr(err, "The thread")
	}
	if sitterID != nil {
		st, err := org.Sitter(ctx, *sitterID)
		if err != nil {
			return Override{}, service.NotFoundOr(err, "The sitter")
		}
		if !st.Active {
			return Override{}, errs.InvalidField("sitterId", st.Name+" is not an active sitter.")
		}
	}
	now := s.Now().UTC().Truncate(time.Second)
	active, err := org.Overrides(ctx, store.OverrideFilter{ThreadID: &threadID, Active: true, Now: now}, 1)
	if err != nil {
		return Override{}, err
	}
	if len(active) > 0 {
		return Override{}, errs.Conflict("override_active", fmt.Sprintf("This conversation already has an override until %s; remove it first.",
			active[0].EndsAt.UTC().Format(time.RFC3339)))
	}
	by := a.UserID
	ov := &store.RoutingOverride{ID: store.NewID(), OrgID: a.OrgID, ThreadID: threadID, TargetKind: d.TargetKind, TargetSitterID: sitterID,
		StartsAt: now, EndsAt: now.Add(dur), Reason: reason, CreatedBy: &by, CreatedAt: now}
	if err := org.CreateOverride(ctx, ov); err != nil {
		return Override{}, service.NotFoundOr(err, "The thread or sitter")
	}
	detail := map[string]any{"threadId": threadID, "targetKind": d.TargetKind, "endsAt": ov.EndsAt, "reason": reason, "minutes": d.Minutes}
	if sitterID != nil {
		detail["sitterId"] = *sitterID
	}
	s.Auditor.Record(ctx, a, service.Event{Action: "routing.override.created", EntityType: "routing_override", EntityID: ov.ID.String(), Detail: detail})
	s.startOverride(ctx, a.OrgID, ov)
	return s.GetOverride(ctx, a, ov.ID)
}

// startOverride starts the override's workflow. The override is in force
// without it (routing reads the end time); if Temporal is unreachable the
// expiry is still honoured, only its audit entry waits for a removal.
func (s *Service) startOverride(ctx context.Context, orgID uuid.UUID, ov *store.RoutingOverride) {
	if s.Temporal == nil {
		return
	}
	_, err := s.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: contract.OverrideWorkflowID(ov.ID), TaskQueue: s.TaskQueue,
		TypedSearchAttributes: temporal.NewSearchAttributes(contract.OrgIDKey.ValueSet(orgID.String())),
	}, contract.OverrideWorkflowName, contract.OverrideInput{OrgID: orgID, OverrideID: ov.ID, ThreadID: ov.ThreadID, EndsAt: ov.EndsAt})
	if err != nil && s.Log != nil {
		s.Log.ErrorContext(ctx, "starting the override workflow failed", "overrideId", ov.ID, "err", err)
	}
}

// GetOverride loads one override.
func (s *Service) GetOverride(ctx context.Context, a service.Actor, id uuid.UUID) (Override, error) {
	r, err := s.Store.Org(a.OrgID).Override(ctx, id)
	if err != nil {
		return Override{}, service.NotFoundOr(err, "The override")
	}
	return overrideAt(*r, s.Now()), nil
}

// OverrideQuery narrows the override list.
type OverrideQuery struct {
	ThreadID *uuid.UUID
	// Status: "active", "ended" or "" for all.
	Status string
	Limit  int
}

// ListOverrides lists overrides, latest ending first.
func (s *Service) ListOverrides(ctx context.Context, a service.Actor, q OverrideQuery) ([]Override, error) {
	org := s.Store.Org(a.OrgID)
	if q.ThreadID != nil {
		if _, err := org.Thread(ctx, *q.ThreadID); err != nil {
			return nil, service.NotFoundOr(err, "The thread")
		}
	}
	now := s.Now()
	limit := q.Limit
	if limit <= 0 || limit > 200 {
		limit = 100
	}
	rows, err := org.Overrides(ctx, store.OverrideFilter{ThreadID: q.ThreadID, Active: q.Status == OverrideActive, Ended: q.Status == "ended", Now: now}, limit)
	if err != nil {
		return nil, err
	}
	out := make([]Override, 0, len(rows))
	for _, r := range rows {
		out = append(out, overrideAt(r, now))
	}
	return out, nil
}

// ActiveOverride is the thread's override in force now, if any.
func (s *Service) ActiveOverride(ctx context.Context, orgID, threadID uuid.UUID) (*Override, error) {
	now := s.Now()
	rows, err := s.Store.Org(orgID).Overrides(ctx, store.OverrideFilter{ThreadID: &threadID, Active: true, Now: now}, 1)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	o := overrideAt(rows[0], now)
	return &o, nil
}

// RemoveOverride ends an override now, through its workflow (which
// records and audits the removal and answers). When the workflow cannot be
// reached, the removal is recorded here, so it always takes effect.
// Removing an override that has ended answers it as it is.
func (s *Service) RemoveOverride(ctx context.Context, a service.Actor, id uuid.UUID) (Override, error) {
	if !a.IsOwner() {
		return Override{}, errs.Forbidden("Only the business owner can remove an override.")
	}
	cur, err := s.GetOverride(ctx, a, id)
	if err != nil {
		return Override{}, err
	}
	if cur.Status != OverrideActive {
		return cur, nil
	}
	if s.Temporal != nil {
		wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		h, err := s.Temporal.UpdateWorkflow(wctx, client.UpdateWorkflowOptions{
			WorkflowID: contract.OverrideWorkflowID(id), UpdateName: contract.UpdateOverrideCancel,
			Args:         []any{contract.OverrideCancelRequest{UserID: a.UserID, CorrelationID: obs.CorrelationID(ctx)}},
			WaitForStage: client.WorkflowUpdateStageCompleted,
		})
		var st contract.OverrideState
		if err == nil {
			err = h.Get(wctx, &st)
		}
		var notFound *serviceerror.NotFound
		var appErr *temporal.ApplicationError
		switch {
		case err == nil, errors.As(err, &appErr) && appErr.Type() == contract.OverrideErrEnded:
			return s.GetOverride(ctx, a, id)
		case errors.As(err, &notFound):
		default:
			if s.Log != nil {
				s.Log.WarnContext(ctx, "override workflow unreachable; recording the removal here", "overrideId", id, "err", err)
			}
		}
	}
	org := s.Store.Org(a.OrgID)
	by := a.UserID
	ended, err := org.EndOverride(ctx, id, contract.OverrideEndCancelled, s.Now(), &by)
	if err != nil {
		return Override{}, err
	}
	if ended {
		s.Auditor.Record(ctx, a, service.Event{Action: "routing.override.removed", EntityType: "routing_override", EntityID: id.String(),
			Detail: map[string]any{"threadId": cur.ThreadID, "recordedBy": "api"}})
	}
	return s.GetOverride(ctx, a, id)
}

// ---- Routing history ----

// Decision is one routed text of a thread.
type Decision struct {
	MessageID uuid.UUID
	At        time.Time
	Preview   string
	Trace     routing.Trace
}

// HistoryQuery pages a thread's routing history.
type HistoryQuery struct {
	ThreadID uuid.UUID
	Before   *store.PageCursor
	Limit    int
}

// HistoryPage is a page of decisions, newest first.
type HistoryPage struct {
	Decisions []Decision
	Next      *store.PageCursor
}

// History is the timeline of a thread's routing decisions.
func (s *Service) History(ctx context.Context, a service.Actor, q HistoryQuery) (HistoryPage, error) {
	org := s.Store.Org(a.OrgID)
	if _, err := org.Thread(ctx, q.ThreadID); err != nil {
		return HistoryPage{}, service.NotFoundOr(err, "The thread")
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 50
	}
	rows, err := org.ThreadRoutingHistory(ctx, q.ThreadID, q.Before, limit+1)
	if err != nil {
		return HistoryPage{}, err
	}
	rows, next := service.Page(rows, limit, func(r *store.RoutingDecisionRow) store.PageCursor {
		return store.PageCursor{At: r.CreatedAt, ID: r.MessageID}
	})
	out := HistoryPage{Decisions: make([]Decision, 0, len(rows)), Next: next}
	for _, r := range rows {
		var t routing.Trace
		if err := json.Unmarshal(r.Routing, &t); err != nil {
			continue
		}
		preview := []rune(r.Body)
		if len(preview) > 80 {
			preview = append(preview[:79], '…')
		}
		out.Decisions = append(out.Decisions, Decision{MessageID: r.MessageID, At: r.CreatedAt, Preview: string(preview), Trace: t})
	}
	return out, nil
}
