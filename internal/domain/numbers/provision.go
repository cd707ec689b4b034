package numbers

import "github.com/snoutos/snout/internal/domain/phone"

// Provisioning actions.
const (
	Buy    = "buy"
	Import = "import"
)

// MaxProvisionItems is the most numbers one request buys or imports (a
// few KB of workflow history each).
const MaxProvisionItems = 50

// MaxFriendlyName is the longest friendly name a number is given, in
// characters.
const MaxFriendlyName = 64

// Provision is one number to buy or import, as the rule reads it.
type Provision struct {
	Action string
	// E164 is the number in international format (callers normalise
	// what people type first).
	E164  string
	Class string
	// Sitter is true when the request names a sitter.
	Sitter       bool
	FriendlyName string
}

// Problem is what is wrong with one field of a request.
type Problem struct {
	Field  string
	Reason string
}

// ProvisionProblems is the one rule for what may be bought or imported:
// every field at fault ("action", "e164", "class", "sitter",
// "friendlyName", in that order) with what is wrong with it, in words for
// the owner; empty when the request is fine. The API refuses with it
// before anything starts, the provisioning workflow's validators and each
// item of the workflow check it again, and so do the buy and import
// activities before they touch the provider. What needs the database
// (does the sitter exist, is the front desk taken) is checked by the
// callers that have it.
func ProvisionProblems(p Provision) []Problem {
	var out []Problem
	add := func(field, reason string) { out = append(out, Problem{field, reason}) }
	if p.Action != Buy && p.Action != Import {
		add("action", "Choose whether to buy or import this number.")
	}
	if !phone.IsE164(p.E164) {
		add("e164", "That isn't a phone number in international format (like +14155550123).")
	}
	switch {
	case !OneOf(p.Class, Classes):
		add("class", "A number is a front desk, sitter or pool number.")
	case p.Class == ClassSitter && !p.Sitter:
		add("sitter", "Choose the sitter this number belongs to.")
	case p.Class != ClassSitter && p.Sitter:
		add("sitter", "Only sitter numbers are assigned to a sitter.")
	}
	if len([]rune(p.FriendlyName)) > MaxFriendlyName {
		add("friendlyName", "Use at most 64 characters.")
	}
	return out
}

// CheckProvision is the first of ProvisionProblems: the field at fault and
// why, both empty when the request is fine.
func CheckProvision(p Provision) (field, reason string) {
	if problems := ProvisionProblems(p); len(problems) > 0 {
		return problems[0].Field, problems[0].Reason
	}
	return "", ""
}
