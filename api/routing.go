package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/domain/routing"
	"github.com/snoutos/snout/internal/errs"
	routingsvc "github.com/snoutos/snout/service/routing"
)

// Routing control (service/routing), for the dashboard's /routing page:
// the rules table (list, create, edit, reorder, delete, each change a new
// version), the simulator, overrides and each thread's routing history.
// Owners and admins read; only owners change anything (policies/routing.csv).

func (s *Server) routingRoutes() []featureRoute {
	return []featureRoute{
		{http.MethodGet, "/api/v1/routing/rules", s.reply(http.StatusOK, handle(noInput, s.routing.ListRules, rulesetView)),
			doc("The routing rules in the order they are tried, with their counts and the ruleset's version", tagRouting).ok(RulesetView{})},
		{http.MethodGet, "/api/v1/routing/rules/versions", s.reply(http.StatusOK, handle(bindVersionQuery, s.routing.Versions, ruleVersionPage)),
			doc("The ruleset's versions, newest first: who changed what, when, and the rules each left in order", tagRouting).
				query(qInt("before", "Only versions older than this one (the nextBefore of the previous page).", 1, 1<<31-1),
					qInt("limit", "Versions per page.", 1, 100)).
				ok(RuleVersionPage{})},
		{http.MethodPost, "/api/v1/routing/rules", s.reply(http.StatusCreated, handle(bindRuleDraft, s.routing.CreateRule, rulesetView)),
			doc("Add a rule (owner); answers the whole ruleset at its new version", tagRouting).body(RuleRequest{}).
				returns(http.StatusCreated, RulesetView{}).fails(http.StatusConflict)},
		{http.MethodPut, "/api/v1/routing/rules/order", s.reply(http.StatusOK, handle(bindRuleOrder, s.routing.ReorderRules, rulesetView)),
			doc("Reorder the rules (owner): every rule once, the override first and the owner inbox last; a rule not of this org is not found", tagRouting).body(RuleOrderRequest{}).
				ok(RulesetView{}).fails(http.StatusConflict, http.StatusNotFound)},
		{http.MethodPatch, "/api/v1/routing/rules/:id", s.reply(http.StatusOK, handle(bindRuleEdit, s.routing.UpdateRule, rulesetView)),
			doc("Edit a rule or turn it on or off (owner); fields left out keep their value", tagRouting).body(RuleRequest{}).
				ok(RulesetView{}).fails(http.StatusConflict)},
		{http.MethodDelete, "/api/v1/routing/rules/:id", s.reply(http.StatusOK, handle(bindRuleRef, s.routing.DeleteRule, rulesetView)),
			doc("Delete one of the owner's rules (owner); built-in rules stay", tagRouting).
				query(qInt("expectedVersion", "Refuse if the rules are no longer at this version.", 1, 1<<31-1)).
				ok(RulesetView{}).fails(http.StatusConflict)},
		{http.MethodPost, "/api/v1/routing/simulate", s.reply(http.StatusOK, s.simulate),
			doc("What live routing would decide for a text: step-by-step trace, target and reason; writes nothing", tagRouting).
				body(SimulationRequest{}).ok(SimulationView{}).fails(http.StatusNotFound)},
		{http.MethodGet, "/api/v1/routing/overrides", s.reply(http.StatusOK, handle(bindOverrideQuery, s.routing.ListOverrides, overrideList)),
			doc("Routing overrides, latest ending first", tagRouting).
				query(qUUID("threadId", "Only this thread's."), qEnum("status", "Only those in force, or those over.", "active", "ended")).
				ok(OverrideList{}).fails(http.StatusNotFound)},
		{http.MethodPost, "/api/v1/routing/overrides", s.reply(http.StatusCreated, handle(bindOverrideDraft, s.routing.CreateOverride, overrideView)),
			doc("Override a thread's routing for a while (owner): to the owner inbox or a sitter, with a reason", tagRouting).
				body(OverrideRequest{}).returns(http.StatusCreated, OverrideView{}).fails(http.StatusConflict, http.StatusNotFound)},
		{http.MethodGet, "/api/v1/routing/overrides/:id", s.reply(http.StatusOK, handle(pathIDOf("The override"), s.routing.GetOverride, overrideView)),
			doc("One routing override", tagRouting).ok(OverrideView{})},
		{http.MethodDelete, "/api/v1/routing/overrides/:id", s.reply(http.StatusOK, handle(pathIDOf("The override"), s.routing.RemoveOverride, overrideView)),
			doc("Remove an override now (owner); removing one that has ended answers it as it is", tagRouting).ok(OverrideView{})},
		{http.MethodGet, "/api/v1/routing/threads/:id/history", s.reply(http.StatusOK, s.routingHistory),
			doc("A thread's routing decisions, newest first: message, rule and version, target, time", tagRouting).
				query(qPage(200)...).ok(RoutingHistoryPage{})},
	}
}

// ---- Rules ----

var (
	_ = schemaEnum[RuleView]("kind", string(routing.KindOverride), string(routing.KindSitterWindow), string(routing.KindCustom), string(routing.KindOwnerInbox))
	_ = schemaEnum[RuleTargetView]("kind", string(routing.RuleToOwner), string(routing.RuleToSitter), string(routing.RuleToWindowSitter))
)

// RulesetView is the rules table.
type RulesetView struct {
	// Version is bumped by every change; traces name it.
	Version   int64      `json:"version"`
	UpdatedAt time.Time  `json:"updatedAt"`
	Rules     []RuleView `json:"rules"`
}

// RuleView is one row of the rules table.
type RuleView struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Kind is override, sitter_window or owner_inbox (built in) or custom.
	Kind     string `json:"kind"`
	Builtin  bool   `json:"builtin"`
	Enabled  bool   `json:"enabled"`
	Position int    `json:"position"`
	// CanDisable, CanMove, CanEdit, CanDelete say what the owner may do.
	CanDisable  bool            `json:"canDisable"`
	CanMove     bool            `json:"canMove"`
	CanEdit     bool            `json:"canEdit"`
	CanDelete   bool            `json:"canDelete"`
	When        ConditionsView  `json:"when"`
	Target      *RuleTargetView `json:"target"`
	RoutedCount int64           `json:"routedCount"`
	LastFiredAt *time.Time      `json:"lastFiredAt"`
	// Summary says what the rule does, in a sentence.
	Summary string `json:"summary"`
}

// ConditionsView is a custom rule's conditions; all that are set must hold.
type ConditionsView struct {
	NumberClasses []string `json:"numberClasses"`
	NumberIDs     []string `json:"numberIds"`
	ClientTags    []string `json:"clientTags"`
	// Days are mon…sun, in the org's time zone.
	Days []string `json:"days"`
	// From and To are "HH:MM" in the org's zone (To before From spans
	// midnight); both empty: all day.
	From        string `json:"from"`
	To          string `json:"to"`
	KnownClient *bool  `json:"knownClient"`
}

// RuleTargetView is where a custom rule sends texts.
type RuleTargetView struct {
	Kind       string `json:"kind"`
	SitterID   string `json:"sitterId,omitempty"`
	SitterName string `json:"sitterName,omitempty"`
}

func orEmpty[T any](v []T) []T {
	if v == nil {
		return []T{}
	}
	return v
}

func rulesetView(rs routingsvc.Rules) RulesetView {
	out := RulesetView{Version: rs.Version, UpdatedAt: rs.UpdatedAt, Rules: make([]RuleView, 0, len(rs.Rules))}
	for i, r := range rs.Rules {
		classes := make([]string, 0, len(r.When.NumberClasses))
		for _, c := range r.When.NumberClasses {
			classes = append(classes, string(c))
		}
		v := RuleView{ID: r.ID, Name: r.Name, Kind: string(r.Kind), Builtin: r.Builtin, Enabled: r.Enabled, Position: i + 1,
			CanDisable: r.Kind == routing.KindSitterWindow || r.Kind == routing.KindCustom,
			CanMove:    r.Kind == routing.KindSitterWindow || r.Kind == routing.KindCustom,
			CanEdit:    r.Kind == routing.KindCustom, CanDelete: r.Kind == routing.KindCustom,
			When: ConditionsView{NumberClasses: classes, NumberIDs: orEmpty(r.When.NumberIDs), ClientTags: orEmpty(r.When.ClientTags),
				Days: orEmpty(r.When.Days), From: r.When.From, To: r.When.To, KnownClient: r.When.KnownClient},
			RoutedCount: r.RoutedCount, LastFiredAt: r.LastFiredAt, Summary: ruleSummary(r)}
		if r.Kind == routing.KindCustom {
			v.Target = &RuleTargetView{Kind: string(r.Target.Kind), SitterID: r.Target.SitterID, SitterName: r.SitterName}
		}
		out.Rules = append(out.Rules, v)
	}
	return out
}

func ruleSummary(r routingsvc.Rule) string {
	switch r.Kind {
	case routing.KindOverride:
		return "A thread with an active override goes to the override's target."
	case routing.KindSitterWindow:
		return "A text to a sitter's own number goes to that sitter while they have an active window with the client."
	case routing.KindOwnerInbox:
		return "Every text no other rule takes goes to the owner inbox, including texts to the front desk and pool numbers."
	}
	to := "the owner inbox"
	switch r.Target.Kind {
	case routing.RuleToSitter:
		to = "sitter " + r.SitterName + " (while they have an active window with the client)"
	case routing.RuleToWindowSitter:
		to = "the sitter with an active window with the client"
	}
	return "Matching texts go to " + to + "."
}

// RuleRequest creates or edits a rule. On an edit, fields left out keep
// their value.
type RuleRequest struct {
	Name    *string          `json:"name"`
	Enabled *bool            `json:"enabled"`
	When    *ConditionsInput `json:"when"`
	Target  *RuleTargetInput `json:"target"`
	// Position, on create: 1 is right after the override rule; left out,
	// just before the owner inbox.
	Position int `json:"position"`
	// ExpectedVersion refuses the change (409) if the rules changed since.
	ExpectedVersion int64 `json:"expectedVersion"`
}

// ConditionsInput is a rule's conditions as the form sends them.
type ConditionsInput struct {
	NumberClasses []string `json:"numberClasses"`
	NumberIDs     []string `json:"numberIds"`
	ClientTags    []string `json:"clientTags"`
	Days          []string `json:"days"`
	From          string   `json:"from"`
	To            string   `json:"to"`
	KnownClient   *bool    `json:"knownClient"`
}

// RuleTargetInput is where a rule sends texts.
type RuleTargetInput struct {
	Kind     string `json:"kind" required:"true"`
	SitterID string `json:"sitterId"`
}

// RuleOrderRequest is the whole ruleset's new order.
type RuleOrderRequest struct {
	RuleIDs         []string `json:"ruleIds" required:"true"`
	ExpectedVersion int64    `json:"expectedVersion"`
}

func ruleDraft(c *gin.Context) (routingsvc.RuleDraft, error) {
	var req RuleRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		return routingsvc.RuleDraft{}, errs.Invalid("Send a JSON body with the rule's name, enabled, when (conditions) and target.", nil)
	}
	d := routingsvc.RuleDraft{Name: req.Name, Enabled: req.Enabled, Position: req.Position, ExpectedVersion: req.ExpectedVersion}
	if req.When != nil {
		w := routing.Conditions{NumberIDs: req.When.NumberIDs, ClientTags: req.When.ClientTags, Days: req.When.Days,
			From: strings.TrimSpace(req.When.From), To: strings.TrimSpace(req.When.To), KnownClient: req.When.KnownClient}
		for _, cl := range req.When.NumberClasses {
			w.NumberClasses = append(w.NumberClasses, routing.NumberClass(cl))
		}
		d.When = &w
	}
	if req.Target != nil {
		d.Target = &routing.RuleTarget{Kind: routing.RuleTargetKind(req.Target.Kind), SitterID: strings.TrimSpace(req.Target.SitterID)}
	}
	return d, nil
}

func bindRuleDraft(c *gin.Context) (routingsvc.RuleDraft, error) {
	d, err := ruleDraft(c)
	if err == nil && d.Target == nil {
		return d, errs.InvalidField("target.kind", "Send the texts to the owner inbox, one sitter, or the sitter with an active window.")
	}
	return d, err
}

func bindRuleEdit(c *gin.Context) (routingsvc.RuleEdit, error) {
	id, err := pathID(c, "id", "The rule")
	if err != nil {
		return routingsvc.RuleEdit{}, err
	}
	d, err := ruleDraft(c)
	return routingsvc.RuleEdit{ID: id, Draft: d}, err
}

func bindRuleRef(c *gin.Context) (routingsvc.RuleRef, error) {
	id, err := pathID(c, "id", "The rule")
	if err != nil {
		return routingsvc.RuleRef{}, err
	}
	ref := routingsvc.RuleRef{ID: id}
	if v := c.Query("expectedVersion"); v != "" {
		var n int64
		if err := json.Unmarshal([]byte(v), &n); err != nil || n < 1 {
			return ref, errs.InvalidField("expectedVersion", "Use the version of GET /api/v1/routing/rules.")
		}
		ref.ExpectedVersion = n
	}
	return ref, nil
}

func bindRuleOrder(c *gin.Context) (routingsvc.RuleOrder, error) {
	var req RuleOrderRequest
	if err := c.ShouldBindJSON(&req); err != nil || len(req.RuleIDs) == 0 {
		return routingsvc.RuleOrder{}, errs.InvalidField("ruleIds", "Send {\"ruleIds\": [...]}: every rule's ID, in the new order.")
	}
	return routingsvc.RuleOrder{IDs: req.RuleIDs, ExpectedVersion: req.ExpectedVersion}, nil
}

// ---- Rule versions ----

// RuleVersionPage is a page of the ruleset's versions, newest first.
type RuleVersionPage struct {
	// Current is the version in force now.
	Current  int64             `json:"current"`
	Versions []RuleVersionView `json:"versions"`
	// NextBefore is the before of the next page; 0 on the last.
	NextBefore int64 `json:"nextBefore"`
}

// RuleVersionView is one version: who changed what, when.
type RuleVersionView struct {
	Version int64 `json:"version"`
	// Change says what changed, in a sentence.
	Change    string     `json:"change"`
	ChangedBy *uuid.UUID `json:"changedBy"`
	// ChangedByName is empty for the built-in first version.
	ChangedByName string    `json:"changedByName"`
	ChangedAt     time.Time `json:"changedAt"`
	// Rules are the rules this version left, in the order they are tried.
	Rules []RuleVersionRuleView `json:"rules"`
}

// RuleVersionRuleView is one rule as a version left it.
type RuleVersionRuleView struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Kind    string `json:"kind"`
	Enabled bool   `json:"enabled"`
}

func bindVersionQuery(c *gin.Context) (routingsvc.VersionQuery, error) {
	var q routingsvc.VersionQuery
	fields := map[string]string{}
	if v := c.Query("before"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			fields["before"] = "Use the nextBefore of the previous page."
		}
		q.Before = n
	}
	limit, err := pageLimit(c, 20, 100)
	if err != nil {
		fields["limit"] = "Use a number from 1 to 100."
	}
	q.Limit = limit
	if len(fields) > 0 {
		return q, errs.Invalid("", fields)
	}
	return q, nil
}

func ruleVersionPage(p routingsvc.VersionPage) RuleVersionPage {
	out := RuleVersionPage{Current: p.Current, Versions: make([]RuleVersionView, 0, len(p.Versions)), NextBefore: p.Next}
	for _, v := range p.Versions {
		vv := RuleVersionView{Version: v.Version, Change: v.Change, ChangedBy: v.ChangedBy, ChangedByName: v.ChangedByName, ChangedAt: v.ChangedAt,
			Rules: make([]RuleVersionRuleView, 0, len(v.Rules))}
		for _, r := range v.Rules {
			vv.Rules = append(vv.Rules, RuleVersionRuleView{ID: r.ID, Name: r.Name, Kind: string(r.Kind), Enabled: r.Enabled})
		}
		out.Versions = append(out.Versions, vv)
	}
	return out
}

// ---- Simulator ----

// SimulationRequest asks what live routing would do. Give a thread, or a
// client and a number, or only a number (a sender who is not a client).
type SimulationRequest struct {
	ThreadID string `json:"threadId"`
	ClientID string `json:"clientId"`
	NumberID string `json:"numberId"`
	// At is when the text arrives (RFC 3339); left out, now.
	At string `json:"at"`
}

// SimulationView is the simulator's answer: the same trace live routing
// would store.
type SimulationView struct {
	At        time.Time   `json:"at"`
	AtLocal   string      `json:"atLocal"`
	TimeZone  string      `json:"timeZone"`
	ThreadID  *uuid.UUID  `json:"threadId"`
	ClientID  *uuid.UUID  `json:"clientId"`
	NumberID  uuid.UUID   `json:"numberId"`
	NewSender bool        `json:"newSender"`
	Routing   RoutingView `json:"routing"`
}

func (s *Server) simulate(c *gin.Context) (any, error) {
	var req SimulationRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		return nil, errs.Invalid("Send a JSON body with threadId, or clientId and numberId, or numberId alone, and an optional at.", nil)
	}
	in := routingsvc.Simulation{}
	fields := map[string]string{}
	parse := func(field, v, msg string) *uuid.UUID {
		if strings.TrimSpace(v) == "" {
			return nil
		}
		id, err := uuid.Parse(strings.TrimSpace(v))
		if err != nil {
			fields[field] = msg
			return nil
		}
		return &id
	}
	in.ThreadID = parse("threadId", req.ThreadID, "Use a thread ID from GET /api/v1/threads.")
	in.ClientID = parse("clientId", req.ClientID, "Use a client ID from GET /api/v1/clients.")
	in.NumberID = parse("numberId", req.NumberID, "Use a number ID from GET /api/v1/numbers.")
	if in.ThreadID != nil && in.ClientID != nil {
		fields["clientId"] = "Give a thread or a client, not both."
	}
	if strings.TrimSpace(req.At) != "" {
		at, err := time.Parse(time.RFC3339, strings.TrimSpace(req.At))
		if err != nil {
			fields["at"] = "Use an RFC 3339 time such as 2026-12-05T18:30:00-08:00."
		}
		in.At = at
	}
	if len(fields) > 0 {
		return nil, errs.Invalid("", fields)
	}
	res, err := s.routing.Simulate(c.Request.Context(), actor(c), in)
	if err != nil {
		return nil, err
	}
	vw := s.viewerOf(c)
	return SimulationView{At: res.At, AtLocal: routing.LocalTime(res.At, vw.loc), TimeZone: res.Zone, ThreadID: res.ThreadID, ClientID: res.ClientID,
		NumberID: res.NumberID, NewSender: res.NewSender, Routing: *routingView(&res.Trace, vw)}, nil
}

// ---- Overrides ----

var _ = schemaEnum[OverrideView]("status", routingsvc.OverrideActive, routingsvc.OverrideExpired, routingsvc.OverrideCancelled)

// OverrideView is a routing override.
type OverrideView struct {
	ID       uuid.UUID       `json:"id"`
	ThreadID uuid.UUID       `json:"threadId"`
	Client   WindowClientRef `json:"client"`
	// Target is where the thread's texts go: owner_inbox or sitter.
	Target   RoutingTargetView `json:"target"`
	StartsAt time.Time         `json:"startsAt"`
	EndsAt   time.Time         `json:"endsAt"`
	Reason   string            `json:"reason"`
	// Status is active, expired or cancelled (removed by the owner).
	Status    string     `json:"status"`
	EndedAt   *time.Time `json:"endedAt"`
	CreatedBy *uuid.UUID `json:"createdBy"`
	CreatedAt time.Time  `json:"createdAt"`
}

// OverrideList lists overrides.
type OverrideList struct {
	Overrides []OverrideView `json:"overrides"`
}

func overrideView(o routingsvc.Override) OverrideView {
	v := OverrideView{ID: o.ID, ThreadID: o.ThreadID, Client: WindowClientRef{ID: o.ClientID, Name: o.ClientName},
		Target:   RoutingTargetView{Kind: o.TargetKind, SitterName: o.SitterName},
		StartsAt: o.StartsAt, EndsAt: o.EndsAt, Reason: o.Reason, Status: o.Status, EndedAt: o.EndedAt, CreatedBy: o.CreatedBy, CreatedAt: o.CreatedAt}
	if o.TargetSitterID != nil {
		v.Target.SitterID = o.TargetSitterID.String()
	}
	if v.EndedAt == nil && o.CancelledAt != nil {
		v.EndedAt = o.CancelledAt
	}
	return v
}

func overrideList(os []routingsvc.Override) OverrideList {
	out := OverrideList{Overrides: make([]OverrideView, 0, len(os))}
	for _, o := range os {
		out.Overrides = append(out.Overrides, overrideView(o))
	}
	return out
}

// OverrideRequest creates an override.
type OverrideRequest struct {
	ThreadID string `json:"threadId" required:"true"`
	// TargetKind is owner_inbox or sitter (with sitterId).
	TargetKind string `json:"targetKind" required:"true"`
	SitterID   string `json:"sitterId"`
	// DurationMinutes: from 1 minute to 30 days; no override is permanent.
	DurationMinutes int    `json:"durationMinutes" required:"true"`
	Reason          string `json:"reason" required:"true"`
}

func bindOverrideDraft(c *gin.Context) (routingsvc.OverrideDraft, error) {
	var req OverrideRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		return routingsvc.OverrideDraft{}, errs.Invalid("Send a JSON body with threadId, targetKind, an optional sitterId, durationMinutes and reason.", nil)
	}
	return routingsvc.OverrideDraft{ThreadID: req.ThreadID, TargetKind: req.TargetKind, SitterID: req.SitterID, Minutes: req.DurationMinutes, Reason: req.Reason}, nil
}

func bindOverrideQuery(c *gin.Context) (routingsvc.OverrideQuery, error) {
	var q routingsvc.OverrideQuery
	var err error
	if q.ThreadID, err = queryUUID(c, "threadId", "Use a thread ID from GET /api/v1/threads."); err != nil {
		return q, err
	}
	switch st := c.Query("status"); st {
	case "", "active", "ended":
		q.Status = st
	default:
		return q, errs.InvalidField("status", "Use active or ended.")
	}
	return q, nil
}

// ---- History ----

// RoutingHistoryPage is a page of a thread's routing decisions.
type RoutingHistoryPage struct {
	Decisions  []RoutingDecisionView `json:"decisions"`
	NextCursor string                `json:"nextCursor"`
}

// RoutingDecisionView is one decision of the timeline.
type RoutingDecisionView struct {
	MessageID uuid.UUID   `json:"messageId"`
	At        time.Time   `json:"at"`
	AtLocal   string      `json:"atLocal"`
	Preview   string      `json:"preview"`
	Routing   RoutingView `json:"routing"`
}

func (s *Server) routingHistory(c *gin.Context) (any, error) {
	id, err := pathID(c, "id", "The thread")
	if err != nil {
		return nil, err
	}
	before, limit, err := listPage(c)
	if err != nil {
		return nil, err
	}
	p, err := s.routing.History(c.Request.Context(), actor(c), routingsvc.HistoryQuery{ThreadID: id, Before: before, Limit: limit})
	if err != nil {
		return nil, err
	}
	vw := s.viewerOf(c)
	out := RoutingHistoryPage{Decisions: make([]RoutingDecisionView, 0, len(p.Decisions)), NextCursor: nextCursor(p.Next)}
	for i := range p.Decisions {
		d := &p.Decisions[i]
		out.Decisions = append(out.Decisions, RoutingDecisionView{MessageID: d.MessageID, At: d.At, AtLocal: routing.LocalTime(d.At, vw.loc),
			Preview: d.Preview, Routing: *routingView(&d.Trace, vw)})
	}
	return out, nil
}
