package api

import (
	"time"

	"github.com/gin-gonic/gin"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/domain/routing"
	"github.com/snoutos/snout/internal/twilio/provider"
	"github.com/snoutos/snout/service/settings"
)

// Diagnostics: an owner who turned it on (PUT /api/v1/settings/diagnostics,
// service/settings) sees provider internals: raw provider error codes,
// provider SIDs and webhook URLs. Everyone else, and the owner with it off,
// sees failures in plain words only. Views that carry internals implement
// diagnosable; reply asks each one for its form before writing it, so no
// handler can forget.

type diagnosable interface {
	// forViewer is the view as the caller may see it: provider internals
	// only with diagnostics on, times for people in the org's zone.
	forViewer(v viewer) any
}

// viewer is what a view needs to know of who reads it.
type viewer struct {
	diagnostics bool
	loc         *time.Location
}

const viewerKey = "snout.viewer"

// viewerOf is the signed-in caller as a reader of views (loaded once per
// request): no diagnostics and UTC when unknown.
func (s *Server) viewerOf(c *gin.Context) viewer {
	if v, ok := c.Get(viewerKey); ok {
		return v.(viewer)
	}
	v := viewer{loc: time.UTC}
	if _, signedIn := c.Get(principalKey); signedIn {
		a := actor(c)
		org, err := s.store.OrgByID(c.Request.Context(), a.OrgID)
		if err != nil {
			s.log.WarnContext(c.Request.Context(), "org unreadable; hiding provider internals", "err", err)
		} else {
			v.diagnostics = settings.Reveals(org, a)
			if loc, err := time.LoadLocation(org.Timezone); err == nil && org.Timezone != "" {
				v.loc = loc
			}
		}
	}
	c.Set(viewerKey, v)
	return v
}

// plainCode is a provider code as the caller may see it.
func plainCode(code *int, on bool) *int {
	if on {
		return code
	}
	return nil
}

// plainReason is a failure's reason as the caller may see it.
func plainReason(code *int, text string, on bool) string {
	if on {
		return text
	}
	c := 0
	if code != nil {
		c = *code
	}
	return provider.Reason(c, text)
}

// plainFailure is a failure's provider code and reason as the caller may
// see them.
func plainFailure(code *int, reason string, on bool) (*int, string) {
	return plainCode(code, on), plainReason(code, reason, on)
}

// each is a copy of items with f applied to every one: a view for one
// reader never writes into the slice it was made from.
func each[T any](items []T, f func(T) T) []T {
	out := make([]T, len(items))
	for i, it := range items {
		out[i] = f(it)
	}
	return out
}

func (v MessageView) forViewer(vw viewer) any {
	v.ErrorCode, v.FailureReason = plainFailure(v.ErrorCode, v.FailureReason, vw.diagnostics)
	if v.trace != nil {
		v.Routing = routingView(v.trace, vw)
	}
	return v
}

func (p MessagePage) forViewer(vw viewer) any {
	p.Messages = each(p.Messages, func(m MessageView) MessageView { return m.forViewer(vw).(MessageView) })
	return p
}

func (v StaffMessageView) forViewer(vw viewer) any {
	v.ErrorCode, v.ErrorMessage = plainFailure(v.ErrorCode, v.ErrorMessage, vw.diagnostics)
	return v
}

func (p DeadLetterPage) forViewer(vw viewer) any {
	p.DeadLetters = each(p.DeadLetters, func(d DeadLetterView) DeadLetterView {
		d.ErrorCode, d.Reason = plainFailure(d.ErrorCode, d.Reason, vw.diagnostics)
		return d
	})
	return p
}

func (v NumberDetailView) forViewer(vw viewer) any {
	v.DeliveryErrors = each(v.DeliveryErrors, func(d DeliveryErrorView) DeliveryErrorView {
		d.Code, d.Reason = plainFailure(d.Code, d.Reason, vw.diagnostics)
		return d
	})
	return v
}

func (v AlertView) forViewer(vw viewer) any {
	if !vw.diagnostics {
		v.Title, v.Detail = provider.Redact(v.Title), provider.Redact(v.Detail)
	}
	return v
}

func (l AlertList) forViewer(vw viewer) any {
	return AlertList{Alerts: each(l.Alerts, func(a AlertView) AlertView { return a.forViewer(vw).(AlertView) })}
}

func (v ProvisionView) forViewer(vw viewer) any {
	if vw.diagnostics {
		return v
	}
	v.Items = each(v.Items, func(it contract.ProvisionItemResult) contract.ProvisionItemResult {
		if it.Error != "" {
			it.Error = provider.Reason(it.ProviderCode, it.Error)
		}
		it.ProviderCode = 0
		return it
	})
	return v
}

func (v ImportView) forViewer(vw viewer) any {
	if vw.diagnostics {
		return v
	}
	v.Rows = each(v.Rows, func(r ImportRowResult) ImportRowResult {
		r.Error = provider.Redact(r.Error)
		return r
	})
	return v
}

// RoutingView is a message's "why routed here": each rule tried, in order,
// as a sentence for people (sitters by name, times in the org's zone). The
// IDs the rules named are there only with diagnostics on.
type RoutingView struct {
	Rule string `json:"rule"`
	// RuleID and RuleName name the rule that decided, RulesetVersion the
	// version of the rules it belonged to (absent on decisions made before
	// rules could be changed).
	RuleID         string            `json:"ruleId,omitempty"`
	RuleName       string            `json:"ruleName,omitempty"`
	RulesetVersion int64             `json:"rulesetVersion,omitempty"`
	Reason         string            `json:"reason"`
	Target         RoutingTargetView `json:"target"`
	DecidedAt      time.Time         `json:"decidedAt"`
	// DecidedAtLocal is DecidedAt in the org's zone, for people.
	DecidedAtLocal string            `json:"decidedAtLocal"`
	NumberClass    string            `json:"numberClass"`
	Steps          []RoutingStepView `json:"steps"`
	// NumberID is the receiving number, with diagnostics on.
	NumberID string `json:"numberId,omitempty"`
}

// RoutingTargetView is where the message went.
type RoutingTargetView struct {
	Kind       string `json:"kind"`
	SitterName string `json:"sitterName,omitempty"`
	// SitterID is the sitter's ID, with diagnostics on.
	SitterID string `json:"sitterId,omitempty"`
}

// RoutingStepView is one rule of the decision.
type RoutingStepView struct {
	Kind     string `json:"kind"`
	RuleID   string `json:"ruleId,omitempty"`
	RuleName string `json:"ruleName,omitempty"`
	Outcome  string `json:"outcome"`
	// Sentence says what the rule found, for people.
	Sentence string `json:"sentence"`
	// IDs are the windows, overrides or sitters the rule named, with
	// diagnostics on.
	IDs []string `json:"ids,omitempty"`
}

var (
	_ = schemaEnum[RoutingView]("rule", routing.RuleOverride, routing.RuleSitterWindow, routing.RuleCustom, routing.RuleOwnerInbox)
	_ = schemaEnum[RoutingStepView]("kind", routing.RuleOverride, routing.RuleSitterWindow, routing.RuleCustom, routing.RuleOwnerInbox)
	_ = schemaEnum[RoutingStepView]("outcome", routing.Matched, routing.Skipped)
	_ = schemaEnum[RoutingTargetView]("kind", string(routing.TargetOwnerInbox), string(routing.TargetSitter))
)

func routingView(t *routing.Trace, vw viewer) *RoutingView {
	reason, _ := routing.Readable(t.Reason, vw.loc)
	v := &RoutingView{Rule: t.Rule, RuleID: t.RuleID, RuleName: t.RuleName, RulesetVersion: t.RulesetVersion, Reason: reason, Target: RoutingTargetView{Kind: t.Target.Kind, SitterName: t.Target.SitterName},
		DecidedAt: t.DecidedAt, DecidedAtLocal: routing.LocalTime(t.DecidedAt, vw.loc), NumberClass: t.NumberClass,
		Steps: make([]RoutingStepView, 0, len(t.Steps))}
	if vw.diagnostics {
		v.NumberID = t.NumberID.String()
		if t.Target.SitterID != nil {
			v.Target.SitterID = t.Target.SitterID.String()
		}
	}
	for _, st := range t.Steps {
		sentence, ids := routing.Readable(st.Detail, vw.loc)
		step := RoutingStepView{Kind: st.Rule, RuleID: st.RuleID, RuleName: st.RuleName, Outcome: st.Outcome, Sentence: sentence}
		if vw.diagnostics {
			step.IDs = ids
		}
		v.Steps = append(v.Steps, step)
	}
	return v
}
