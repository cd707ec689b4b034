package provider

import (
	"errors"
	"fmt"

	twclient "github.com/twilio/twilio-go/client"
)

// Error is a failure reported by Twilio: its error code (see
// https://www.twilio.com/docs/api/errors), the HTTP status, Twilio's own
// message and its documentation link. Requests the client rejects before
// sending also use Error, with the code Twilio would have answered.
type Error struct {
	Code       int
	HTTPStatus int
	Message    string
	MoreInfo   string
}

func (e *Error) Error() string {
	return fmt.Sprintf("twilio error %d (HTTP %d): %s", e.Code, e.HTTPStatus, e.Message)
}

// invalidInput reports input rejected before it reaches Twilio.
func invalidInput(code int, format string, args ...any) *Error {
	return &Error{
		Code:       code,
		HTTPStatus: 400,
		Message:    fmt.Sprintf(format, args...),
		MoreInfo:   moreInfo(code),
	}
}

// notFound reports, without asking Twilio, an identifier that cannot name
// anything (a malformed SID or country code).
func notFound(kind, value string) *Error {
	return &Error{
		Code:       20404,
		HTTPStatus: 404,
		Message:    fmt.Sprintf("%q is not a valid %s", value, kind),
		MoreInfo:   moreInfo(20404),
	}
}

func moreInfo(code int) string {
	return fmt.Sprintf("https://www.twilio.com/docs/errors/%d", code)
}

// wrapError converts twilio-go's error types to *Error and wraps anything
// else with the operation name.
func wrapError(op string, err error) error {
	var restErr *twclient.TwilioRestError
	if errors.As(err, &restErr) {
		return &Error{Code: restErr.Code, HTTPStatus: restErr.Status, Message: restErr.Message, MoreInfo: restErr.MoreInfo}
	}
	var v1Err *twclient.RestErrorV1
	if errors.As(err, &v1Err) {
		return &Error{Code: v1Err.Code, HTTPStatus: v1Err.HttpStatusCode, Message: v1Err.Message, MoreInfo: moreInfo(v1Err.Code)}
	}
	return fmt.Errorf("twilio %s: %w", op, err)
}
