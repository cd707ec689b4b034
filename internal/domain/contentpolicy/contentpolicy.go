// Package contentpolicy screens a sitter's outbound text before it is sent.
//
// Sitters talk to clients through masked numbers so that the business keeps
// the relationship: they may not share a phone number or email address,
// point the client to an outside payment app, or ask the client to move the
// conversation somewhere else. Screen finds those and explains each one in
// plain language; the API refuses to send a blocked message and shows the
// owner a redacted excerpt.
//
// The checks are heuristics tuned against realistic sitter texts: feeding
// times, dates, prices, counts, addresses and door codes must pass, while
// the usual ways of writing (and disguising) contact details must not. The
// package is pure and deterministic (no I/O, clock or randomness, no
// dependence on map order), so workflows may call it.
package contentpolicy

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kind names a class of violation. The values are stable identifiers for
// storage and the API.
type Kind string

const (
	// PhoneNumber: seven or more digits in a run, however written.
	PhoneNumber Kind = "phone_number"
	// Email: an email address, including "name at gmail dot com".
	Email Kind = "email"
	// PaymentApp: an outside payment app or a request to be paid directly.
	PaymentApp Kind = "payment_app"
	// ContactRequest: asking to talk outside this conversation.
	ContactRequest Kind = "contact_request"
)

// kindRank orders kinds that start at the same position.
func kindRank(k Kind) int {
	switch k {
	case PhoneNumber:
		return 0
	case Email:
		return 1
	case PaymentApp:
		return 2
	}
	return 3
}

var reasons = map[Kind]string{
	PhoneNumber:    "Messages can't include phone numbers. Your client can reach you through this conversation.",
	Email:          "Messages can't include email addresses. Please keep everything with your client in this conversation.",
	PaymentApp:     "Messages can't mention outside payment apps or ask to be paid directly. Payments go through the business.",
	ContactRequest: "Messages can't ask your client to contact you outside this conversation. Your client can reach you here.",
}

// what each kind does wrong, as the end of "it …", and what to do instead.
var (
	faults = map[Kind]string{
		PhoneNumber:    "includes a phone number",
		Email:          "includes an email address",
		PaymentApp:     "mentions an outside payment app",
		ContactRequest: "asks your client to contact you outside this conversation",
	}
	remedies = map[Kind]string{
		PhoneNumber:    "Your client can reach you through this conversation.",
		Email:          "Your client can reach you through this conversation.",
		ContactRequest: "Your client can reach you through this conversation.",
		PaymentApp:     "Payments go through the business.",
	}
)

// Explain tells the sitter in one short paragraph why a message with these
// violations is stopped: every fault once, in the order found, then each
// distinct remedy once ("It includes a phone number and an email address.
// Your client can reach you through this conversation."). It is empty for
// a clean result.
func (r Result) Explain() string {
	var kinds []Kind
	for _, v := range r.Violations {
		if !slices.Contains(kinds, v.Kind) {
			kinds = append(kinds, v.Kind)
		}
	}
	if len(kinds) == 0 {
		return ""
	}
	said := make([]string, len(kinds))
	var remedy []string
	for i, k := range kinds {
		said[i] = faults[k]
		if m := remedies[k]; !slices.Contains(remedy, m) {
			remedy = append(remedy, m)
		}
	}
	return "It " + joinAnd(said) + ". " + strings.Join(remedy, " ")
}

// joinAnd writes "a", "a and b", "a, b and c".
func joinAnd(parts []string) string {
	if len(parts) == 1 {
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// Violation is one problem found in a message.
type Violation struct {
	Kind Kind
	// Excerpt is the offending text as it is safe to show the owner:
	// digits of a phone number are hidden except the last two, the
	// name part of an email address except its first letter, and a
	// cashtag except its first letter. Phrases ("text me at",
	// "Venmo") are shown as written, with any digits hidden.
	Excerpt string
	// Reason tells the sitter, in plain language, why the message was
	// stopped and what to do instead.
	Reason string
}

// Result is the outcome of screening one message.
type Result struct {
	// Violations are in the order they appear in the message; two found
	// at the same place are ordered phone number, email, payment app,
	// contact request.
	Violations []Violation
}

// Blocked reports whether the message must not be sent.
func (r Result) Blocked() bool { return len(r.Violations) > 0 }

// match is a violation with its byte span in the body.
type match struct {
	kind       Kind
	start, end int
	excerpt    string
}

// Screen checks body and reports every violation in it.
func Screen(body string) Result {
	if !utf8.ValidString(body) {
		body = strings.ToValidUTF8(body, "\uFFFD")
	}
	phones := findPhoneNumbers(body)
	emails := findEmails(body)
	var all []match
	all = append(all, phones...)
	all = append(all, emails...)
	all = append(all, findPayments(body)...)
	all = append(all, findContactRequests(body, append(slices.Clone(phones), emails...))...)

	slices.SortFunc(all, func(a, b match) int {
		return cmp.Or(
			cmp.Compare(a.start, b.start),
			cmp.Compare(kindRank(a.kind), kindRank(b.kind)),
			cmp.Compare(b.end, a.end), // longer first
			strings.Compare(a.excerpt, b.excerpt),
		)
	})

	var res Result
	var lastEnd [4]int // per kind rank; matches never end at 0
	for _, m := range all {
		if m.start < lastEnd[kindRank(m.kind)] {
			continue // overlaps an earlier match of the same kind
		}
		lastEnd[kindRank(m.kind)] = m.end
		res.Violations = append(res.Violations, Violation{Kind: m.kind, Excerpt: m.excerpt, Reason: reasons[m.kind]})
	}
	return res
}

// maxExcerptRunes keeps excerpts short enough for a list in the UI.
const maxExcerptRunes = 48

// tidyExcerpt collapses whitespace, hides every digit and shortens s.
func tidyExcerpt(s string) string {
	return truncate(strings.Join(strings.FieldsFunc(hideDigits(s), unicode.IsSpace), " "))
}

func hideDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) {
			return '•'
		}
		return r
	}, s)
}

func truncate(s string) string {
	if utf8.RuneCountInString(s) <= maxExcerptRunes {
		return s
	}
	r := []rune(s)
	return string(r[:maxExcerptRunes-1]) + "…"
}

// hideAfterFirst keeps the first rune of s and replaces each following
// letter or digit with a bullet.
func hideAfterFirst(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			r = '•'
		}
		b.WriteRune(r)
	}
	return b.String()
}
