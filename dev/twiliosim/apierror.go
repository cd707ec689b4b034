package twiliosim

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// codeInvalidParameter is used for malformed requests that have no more
// specific Twilio code. The number is the simulator's choice (unconfirmed).
const codeInvalidParameter = 20001

// apiError is Twilio's 2010 API error document.
type apiError struct {
	Code     int    `json:"code"`
	Message  string `json:"message"`
	MoreInfo string `json:"more_info"`
	Status   int    `json:"status"`
}

func newAPIError(status, code int, format string, args ...any) *apiError {
	return &apiError{
		Code:     code,
		Message:  fmt.Sprintf(format, args...),
		MoreInfo: fmt.Sprintf("https://www.twilio.com/docs/errors/%d", code),
		Status:   status,
	}
}

func badRequest(format string, args ...any) *apiError {
	return newAPIError(http.StatusBadRequest, codeInvalidParameter, format, args...)
}

func invalid(code int, format string, args ...any) *apiError {
	return newAPIError(http.StatusBadRequest, code, format, args...)
}

func notFound(r *http.Request) *apiError {
	return newAPIError(http.StatusNotFound, 20404, "The requested resource %s was not found", r.URL.Path)
}

func unauthenticated() *apiError {
	return newAPIError(http.StatusUnauthorized, 20003, "Authenticate")
}

// statusForCode is the HTTP status Twilio pairs with an injected error code.
func statusForCode(code int) int {
	switch code {
	case 20003:
		return http.StatusUnauthorized
	case 20404:
		return http.StatusNotFound
	case 20429:
		return http.StatusTooManyRequests
	case 20500:
		return http.StatusInternalServerError
	case 20503:
		return http.StatusServiceUnavailable
	default:
		return http.StatusBadRequest
	}
}

// errorTexts are Twilio-style messages for codes the simulator can inject.
var errorTexts = map[int]string{
	20003: "Authenticate",
	20404: "The requested resource was not found",
	20429: "Too Many Requests",
	20500: "An internal server error has occurred",
	20503: "Service unavailable",
	21211: "The 'To' number is not a valid phone number.",
	21408: "Permission to send an SMS has not been enabled for the region indicated by the 'To' number.",
	21606: "The 'From' phone number provided is not a valid message-capable Twilio phone number for this destination/account.",
	21608: "The number is unverified. Trial accounts cannot send messages to unverified numbers.",
	21610: "Attempt to send to unsubscribed recipient",
	21611: "This 'From' number has exceeded the maximum number of queued messages",
	21612: "The 'To' phone number is not currently reachable via SMS",
	21614: "'To' number is not a valid mobile number",
	30001: "Queue overflow",
	30002: "Account suspended",
	30003: "Unreachable destination handset",
	30004: "Message blocked",
	30005: "Unknown destination handset",
	30006: "Landline or unreachable carrier",
	30007: "Message filtered",
	30008: "Unknown error",
	30032: "Toll-Free Number Has Not Been Verified",
	30034: "Message from an Unregistered Number",
	30036: "Validity Period Expired",
}

func errorText(code int) string {
	if s, ok := errorTexts[code]; ok {
		return s
	}
	return fmt.Sprintf("Simulated error %d", code)
}

func writeAPIError(w http.ResponseWriter, e *apiError) {
	if e.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="Twilio API"`)
	}
	writeJSON(w, e.Status, e)
}

// writeJSON writes v without HTML escaping, as Twilio does.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}
