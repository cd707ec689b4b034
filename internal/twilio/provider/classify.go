package provider

import (
	"errors"
	"net/http"
)

// Class says what to do about a failed call.
type Class int

const (
	// Transient failures may succeed later: back off and retry.
	Transient Class = iota + 1
	// Permanent failures will fail again the same way: do not retry.
	Permanent
	// NeedsFix failures need someone to change the account or its
	// configuration before a retry can work.
	NeedsFix
)

func (c Class) String() string {
	switch c {
	case Transient:
		return "transient"
	case Permanent:
		return "permanent"
	case NeedsFix:
		return "needs-fix"
	default:
		return "none"
	}
}

// codeClasses holds the codes whose class does not follow from the HTTP
// status alone.
var codeClasses = map[int]Class{
	// Transient: queues, rate limits, handsets and carriers that may recover.
	20429: Transient, 21611: Transient, 30001: Transient, 30003: Transient,
	30008: Transient, 30036: Transient,

	// Permanent: the destination or the requested number is the problem.
	20404: Permanent, 21211: Permanent, 21421: Permanent, 21422: Permanent,
	21452: Permanent, 21610: Permanent, 21614: Permanent, 21617: Permanent,
	30004: Permanent, 30005: Permanent, 30006: Permanent,

	// NeedsFix: credentials, account state, registration or app setup.
	20003: NeedsFix, 21222: NeedsFix, 21224: NeedsFix, 21408: NeedsFix,
	21606: NeedsFix, 21608: NeedsFix, 21612: NeedsFix, 30002: NeedsFix,
	30007: NeedsFix, 30032: NeedsFix, 30034: NeedsFix,
	11200: NeedsFix, 11205: NeedsFix, 11217: NeedsFix,
}

// Classify sorts a provider failure. Transport errors (DNS, refused or reset
// connections, timeouts, cancelled contexts) are Transient. A Twilio *Error
// is classed by its code; unknown codes fall back on the HTTP status: 429 and
// 5xx are Transient, 401 and 403 NeedsFix, anything else Permanent.
// Classify(nil) returns the zero Class.
func Classify(err error) Class {
	if err == nil {
		return 0
	}
	var apiErr *Error
	if !errors.As(err, &apiErr) {
		return Transient
	}
	if c, ok := codeClasses[apiErr.Code]; ok {
		return c
	}
	switch s := apiErr.HTTPStatus; {
	case s == http.StatusTooManyRequests || s >= 500:
		return Transient
	case s == http.StatusUnauthorized || s == http.StatusForbidden:
		return NeedsFix
	default:
		return Permanent
	}
}
