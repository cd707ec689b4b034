package api

import (
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"go.temporal.io/api/serviceerror"

	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/platform/obs"
	"github.com/snoutos/snout/internal/store"
)

// ErrorBody is the one JSON error shape of the whole API.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail says what went wrong in words a person can act on.
type ErrorDetail struct {
	Code          string            `json:"code"`
	Message       string            `json:"message"`
	Fields        map[string]string `json:"fields,omitempty"`
	Detail        any               `json:"detail,omitempty"`
	CorrelationID string            `json:"correlationId"`
}

// Error is an error that knows its HTTP meaning.
type Error struct {
	Status  int
	Code    string
	Message string
	Fields  map[string]string
	// RetryAfter, in seconds, for 429 and 503.
	RetryAfter int
	// Detail is extra structured data (a conflict's impact).
	Detail any
}

func (e *Error) Error() string { return e.Message }

// Constructors for the error kinds handlers raise.
func badRequest(msg string, fields map[string]string) *Error {
	return &Error{Status: http.StatusBadRequest, Code: "invalid_request", Message: msg, Fields: fields}
}
func invalidField(field, msg string) *Error {
	return badRequest("Some fields are not valid.", map[string]string{field: msg})
}
func unauthorized(msg string) *Error {
	return &Error{Status: http.StatusUnauthorized, Code: "unauthenticated", Message: msg}
}
func forbidden(msg string) *Error {
	return &Error{Status: http.StatusForbidden, Code: "forbidden", Message: msg}
}
func notFound(what string) *Error {
	return &Error{Status: http.StatusNotFound, Code: "not_found", Message: what + " was not found."}
}
func conflict(msg string) *Error {
	return &Error{Status: http.StatusConflict, Code: "conflict", Message: msg}
}
func unprocessable(code, msg string) *Error {
	return &Error{Status: http.StatusUnprocessableEntity, Code: code, Message: msg}
}

// respondError turns any error into HTTP. It is the only place that does:
// not found and other-org → 404, conflict/already started → 409, validation
// → 400, forbidden → 403, anything else → 500 with the correlation ID and
// no internals.
func respondError(c *gin.Context, log *slog.Logger, err error) {
	ctx := c.Request.Context()
	cid := obs.CorrelationID(ctx)
	apiErr := httpMeaning(err, "The requested item")
	if limit, cut := c.Get(bodyTooLargeKey); cut {
		// The handler failed because its body was cut short, whatever it
		// made of that: say what really happened.
		apiErr = bodyTooLarge(limit.(int64))
	}
	if apiErr == nil {
		log.ErrorContext(ctx, "request failed", "err", err, "path", c.FullPath())
		apiErr = internalError()
	}
	if apiErr.RetryAfter > 0 {
		c.Header("Retry-After", strconv.Itoa(apiErr.RetryAfter))
	}
	c.AbortWithStatusJSON(apiErr.Status, ErrorBody{Error: ErrorDetail{
		Code: apiErr.Code, Message: apiErr.Message, Fields: apiErr.Fields, Detail: apiErr.Detail, CorrelationID: cid,
	}})
}

// httpMeaning gives err its HTTP meaning: a service refusal (errs.Error) by
// its kind, an *Error as it is, ErrNotFound a 404 naming what, a conflict
// or an already started workflow a 409. Anything else is nil: a 500 the
// caller logs.
func httpMeaning(err error, what string) *Error {
	var apiErr *Error
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if e, ok := errs.As(err); ok {
		return fromRefusal(e)
	}
	switch {
	case errors.As(err, &apiErr):
		return apiErr
	case errors.Is(err, store.ErrNotFound):
		return notFound(what)
	case errors.Is(err, store.ErrConflict), errors.As(err, &started):
		return conflict("That conflicts with the current state; reload and try again.")
	}
	return nil
}

// kindStatus is the HTTP status of each kind of refusal.
var kindStatus = map[errs.Kind]int{
	errs.KindInvalid:         http.StatusBadRequest,
	errs.KindNotFound:        http.StatusNotFound,
	errs.KindConflict:        http.StatusConflict,
	errs.KindForbidden:       http.StatusForbidden,
	errs.KindBlocked:         http.StatusUnprocessableEntity,
	errs.KindUnauthenticated: http.StatusUnauthorized,
	errs.KindTooMany:         http.StatusTooManyRequests,
	errs.KindUnavailable:     http.StatusServiceUnavailable,
}

func fromRefusal(e *errs.Error) *Error {
	status, ok := kindStatus[e.Kind]
	if !ok {
		return nil
	}
	out := &Error{Status: status, Code: e.Code, Message: e.Message, Fields: e.Fields, Detail: e.Detail}
	if e.RetryAfter > 0 {
		out.RetryAfter = int(math.Ceil(e.RetryAfter.Seconds()))
	}
	return out
}

// handlerFunc is a handler that returns its response body or an error; the
// adapter reply writes either, so no handler repeats the error path.
type handlerFunc func(c *gin.Context) (any, error)

// withStatus answers with a status other than the route's usual one (a
// 202 for work that continues, a 200 asking for confirmation).
type withStatus struct {
	status int
	body   any
}

// status makes a handler's result answer with code.
func status(code int, body any) any { return withStatus{code, body} }

// renderer is a body that is not JSON (TwiML, a CSV file) and writes
// itself.
type renderer interface {
	render(c *gin.Context, status int)
}

// reply adapts h to Gin: the body with status on success (204 when the
// body is nil, a renderer as it writes itself), otherwise the error
// through respondError.
func (s *Server) reply(code int, h handlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		v, err := h(c)
		if err != nil {
			respondError(c, s.log, err)
			return
		}
		if ws, ok := v.(withStatus); ok {
			code, v = ws.status, ws.body
		}
		if d, ok := v.(diagnosable); ok {
			v = d.forViewer(s.viewerOf(c))
		}
		if r, ok := v.(renderer); ok {
			r.render(c, code)
			return
		}
		if v == nil {
			c.Status(http.StatusNoContent)
			return
		}
		c.JSON(code, v)
	}
}

// internalError says something failed on our side, without internals.
func internalError() *Error {
	return &Error{Status: http.StatusInternalServerError, Code: "internal", Message: "Something went wrong on our side. Quote the correlation ID if you contact support."}
}
