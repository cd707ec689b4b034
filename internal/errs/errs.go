// Package errs holds the kinds of refusal the product's rules return: not
// found, conflict, invalid (with a message per field), forbidden, blocked by a
// business rule (with its reason in plain words), and a few operational
// ones. Services and domain rules return them; the HTTP layer turns them into
// statuses in exactly one place, and nothing here knows about HTTP.
package errs

import (
	"errors"
	"time"
)

// Kind is what sort of refusal an error is.
type Kind int

// The kinds. The zero value is not a kind: an error without one is internal.
const (
	_ Kind = iota
	// KindInvalid: the input is wrong; Fields says where.
	KindInvalid
	// KindNotFound: no such thing in the caller's org (another org's IDs
	// are not found too, never forbidden).
	KindNotFound
	// KindConflict: the current state refuses the change (a crossed
	// click, an overlap, something already done).
	KindConflict
	// KindForbidden: the caller's role may not do this.
	KindForbidden
	// KindBlocked: a business rule refuses the action for a reason the
	// user can act on (opted out, outside the window, content policy).
	KindBlocked
	// KindUnauthenticated: no valid session or credentials.
	KindUnauthenticated
	// KindTooMany: a rate limit; RetryAfter says when to try again.
	KindTooMany
	// KindUnavailable: a dependency (Temporal, the provider) can't be
	// reached now; RetryAfter says when to try again.
	KindUnavailable
)

// Error is a refusal with its kind, a stable machine code and a message a
// person can act on.
type Error struct {
	Kind    Kind
	Code    string
	Message string
	// Fields maps an input field to what is wrong with it (KindInvalid).
	Fields map[string]string
	// RetryAfter, for KindTooMany and KindUnavailable.
	RetryAfter time.Duration
	// Detail is extra structured data the caller shows (a conflict's
	// impact, the windows that block a change); JSON-encodable.
	Detail any
}

func (e *Error) Error() string { return e.Message }

// With returns a copy of e carrying detail.
func (e *Error) With(detail any) *Error {
	c := *e
	c.Detail = detail
	return &c
}

// NotFound says what was not found: NotFound("This conversation").
func NotFound(what string) *Error {
	return &Error{Kind: KindNotFound, Code: "not_found", Message: what + " was not found."}
}

// Conflict refuses a change the current state does not allow.
func Conflict(code, msg string) *Error {
	if code == "" {
		code = "conflict"
	}
	return &Error{Kind: KindConflict, Code: code, Message: msg}
}

// Invalid refuses input, with a message per field.
func Invalid(msg string, fields map[string]string) *Error {
	if msg == "" {
		msg = "Some fields are not valid."
	}
	return &Error{Kind: KindInvalid, Code: "invalid_request", Message: msg, Fields: fields}
}

// InvalidField refuses one field.
func InvalidField(field, msg string) *Error {
	return Invalid("", map[string]string{field: msg})
}

// InvalidCode refuses input with a specific code (message_too_long…).
func InvalidCode(code, msg string, fields map[string]string) *Error {
	return &Error{Kind: KindInvalid, Code: code, Message: msg, Fields: fields}
}

// Forbidden refuses an action the caller's role does not allow.
func Forbidden(msg string) *Error {
	return &Error{Kind: KindForbidden, Code: "forbidden", Message: msg}
}

// Blocked refuses an action a business rule forbids, with the reason in
// plain words and a stable code (client_opted_out, outside_window…).
func Blocked(code, reason string) *Error {
	return &Error{Kind: KindBlocked, Code: code, Message: reason}
}

// Unauthenticated asks the caller to sign in (again).
func Unauthenticated(code, msg string) *Error {
	if code == "" {
		code = "unauthenticated"
	}
	return &Error{Kind: KindUnauthenticated, Code: code, Message: msg}
}

// TooMany refuses for a while.
func TooMany(code, msg string, retryAfter time.Duration) *Error {
	return &Error{Kind: KindTooMany, Code: code, Message: msg, RetryAfter: retryAfter}
}

// Unavailable says a dependency can't be reached now.
func Unavailable(code, msg string, retryAfter time.Duration) *Error {
	if code == "" {
		code = "unavailable"
	}
	return &Error{Kind: KindUnavailable, Code: code, Message: msg, RetryAfter: retryAfter}
}

// As returns err's *Error, if it has one.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// KindOf is err's kind, 0 when err is not a refusal (an internal error).
func KindOf(err error) Kind {
	if e, ok := As(err); ok {
		return e.Kind
	}
	return 0
}

// Is reports whether err is a refusal of kind k.
func Is(err error, k Kind) bool { return KindOf(err) == k }
