package api

import (
	"context"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
)

// Binding: reading a request's path and query into typed values. What the
// values mean (whether an ID is the caller's org's, what a filter finds)
// is the services' business.

// pathID reads a path parameter as a UUID. A malformed ID names nothing,
// so it answers the same 404 as a missing row or another org's row (never
// 400): IDs cannot be probed.
func pathID(c *gin.Context, name, what string) (uuid.UUID, error) {
	id, err := uuid.Parse(c.Param(name))
	if err != nil {
		return uuid.Nil, notFound(what)
	}
	return id, nil
}

// notFoundOr turns ErrNotFound into a 404 naming what was missing; other
// errors pass through. It answers an *Error, which handlers not yet moved
// to a service test for (numbers_actions.go); services use
// service.NotFoundOr.
func notFoundOr(err error, what string) error {
	if errors.Is(err, store.ErrNotFound) {
		return notFound(what)
	}
	return err
}

// queryOrgID reads an optional UUID query parameter that filters by a row
// of the caller's org: absent is nil; malformed is a 400 naming the field
// with msg; a missing row or another org's is a 404 naming what.
func queryOrgID[T any](c *gin.Context, field, msg, what string, load func(context.Context, uuid.UUID) (T, error)) (*uuid.UUID, error) {
	id, err := queryUUID(c, field, msg)
	if err != nil || id == nil {
		return nil, err
	}
	if _, err := load(c.Request.Context(), *id); err != nil {
		return nil, notFoundOr(err, what)
	}
	return id, nil
}

// queryUUID reads an optional UUID query parameter: absent is nil,
// malformed a 400 naming the field with msg.
func queryUUID(c *gin.Context, field, msg string) (*uuid.UUID, error) {
	v := c.Query(field)
	if v == "" {
		return nil, nil
	}
	id, err := uuid.Parse(v)
	if err != nil {
		return nil, errs.InvalidField(field, msg)
	}
	return &id, nil
}

// queryBool reads an optional true/false query parameter.
func queryBool(c *gin.Context, name string) (*bool, error) {
	v := c.Query(name)
	if v == "" {
		return nil, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return nil, errs.InvalidField(name, "Use true or false.")
	}
	return &b, nil
}

// optionalTime reads an optional RFC 3339 query parameter.
func optionalTime(c *gin.Context, name string) (*time.Time, error) {
	v := c.Query(name)
	if v == "" {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return nil, errs.InvalidField(name, "Use an RFC 3339 time such as 2026-11-25T09:00:00Z.")
	}
	return &t, nil
}

// pageLimit reads ?limit=, from 1 to max; def when absent.
func pageLimit(c *gin.Context, def, max int) (int, error) {
	v := c.Query("limit")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > max {
		return 0, errs.InvalidField("limit", "Use a number from 1 to "+strconv.Itoa(max)+".")
	}
	return n, nil
}

// errBadCursor refuses a cursor the API did not write.
var errBadCursor = errs.InvalidField("cursor", "Use the nextCursor value from the previous page.")

// Keyset cursors are opaque to clients: base64url of "<RFC 3339 time>|<uuid>",
// the (time, id) of the last row of a page. Every list ordered by (time, id)
// uses them: threads, messages, windows, policy violations, dead letters.
func inboxCursor(at time.Time, id uuid.UUID) string {
	return inboxCursorText(at.UTC().Format(time.RFC3339Nano) + "|" + id.String())
}

func inboxCursorParse(cur string) (time.Time, uuid.UUID, bool) {
	raw, ok := inboxCursorTextParse(cur)
	if !ok {
		return time.Time{}, uuid.Nil, false
	}
	ts, idText, ok := strings.Cut(raw, "|")
	if !ok {
		return time.Time{}, uuid.Nil, false
	}
	at, err := time.Parse(time.RFC3339Nano, ts)
	if err != nil {
		return time.Time{}, uuid.Nil, false
	}
	id, err := uuid.Parse(idText)
	if err != nil {
		return time.Time{}, uuid.Nil, false
	}
	return at, id, true
}

// listCursorParam reads an optional ?cursor= written by inboxCursor.
func listCursorParam(c *gin.Context) (*store.PageCursor, error) {
	v := c.Query("cursor")
	if v == "" {
		return nil, nil
	}
	at, id, ok := inboxCursorParse(v)
	if !ok {
		return nil, errBadCursor
	}
	return &store.PageCursor{At: at, ID: id}, nil
}

// listPage reads the ?cursor= and ?limit= (default 50, at most 200) of a
// list paged with inboxCursor.
func listPage(c *gin.Context) (*store.PageCursor, int, error) {
	after, err := listCursorParam(c)
	if err != nil {
		return nil, 0, err
	}
	limit, err := pageLimit(c, 50, 200)
	return after, limit, err
}

// nextCursor is a page's nextCursor: "" on the last page.
func nextCursor(next *store.PageCursor) string {
	if next == nil {
		return ""
	}
	return inboxCursor(next.At, next.ID)
}

// inboxCursorText wraps any cursor text (the clients list's "<uuid>|<name>"
// too) in base64url; inboxCursorTextParse refuses anything that is not
// base64url of valid UTF-8.
func inboxCursorText(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func inboxCursorTextParse(cur string) (string, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(cur)
	if err != nil || !utf8.Valid(raw) {
		return "", false
	}
	return string(raw), true
}

// dateRange reads the optional ?from= and ?to= of a list; when both are
// given, to must be after from.
func dateRange(c *gin.Context) (from, to *time.Time, err error) {
	if from, err = optionalTime(c, "from"); err != nil {
		return nil, nil, err
	}
	if to, err = optionalTime(c, "to"); err != nil {
		return nil, nil, err
	}
	if from != nil && to != nil && !to.After(*from) {
		return nil, nil, errs.InvalidField("to", "The end of the date range must be after its start.")
	}
	return from, to, nil
}

// audit appends an audit event for a handler that records its own (until
// each has a service to do it).
func (s *Server) audit(c *gin.Context, orgID *uuid.UUID, actorID, action, entityType, entityID string, detail map[string]any) {
	a := service.Actor{IP: c.ClientIP()}
	if orgID != nil {
		a.OrgID = *orgID
	}
	if id, err := uuid.Parse(actorID); err == nil {
		a.UserID = id
	}
	s.auditor.Record(c.Request.Context(), a, service.Event{Action: action, EntityType: entityType, EntityID: entityID, Detail: detail})
}

// handle is the whole of a handler that binds its input from the request,
// makes one call to a use case for the signed-in actor, and renders the
// result: handle(pathIDOf("The window"), s.windows.Get, windowView).
func handle[In, Out, View any](bind func(*gin.Context) (In, error), use func(context.Context, service.Actor, In) (Out, error), view func(Out) View) handlerFunc {
	return func(c *gin.Context) (any, error) {
		in, err := bind(c)
		if err != nil {
			return nil, err
		}
		return viewOf(view)(use(c.Request.Context(), actor(c), in))
	}
}

// pathIDOf binds the path's :id, naming what it is for the 404 of a
// malformed one.
func pathIDOf(what string) func(*gin.Context) (uuid.UUID, error) {
	return func(c *gin.Context) (uuid.UUID, error) { return pathID(c, "id", what) }
}

// viewOf maps a use case's result to its view; an error passes through:
// return viewOf(windowView)(s.windows.Get(ctx, actor(c), id)).
func viewOf[T, V any](view func(T) V) func(T, error) (any, error) {
	return func(v T, err error) (any, error) {
		if err != nil {
			return nil, err
		}
		return view(v), nil
	}
}
