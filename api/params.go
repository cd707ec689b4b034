package api

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/store"
)

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
// errors pass through.
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
	id, err := queryID(c, field, msg)
	if err != nil || id == nil {
		return nil, err
	}
	if _, err := load(c.Request.Context(), *id); err != nil {
		return nil, notFoundOr(err, what)
	}
	return id, nil
}

// queryID reads an optional UUID query parameter: absent is nil;
// malformed is a 400 naming the field with msg.
func queryID(c *gin.Context, field, msg string) (*uuid.UUID, error) {
	v := c.Query(field)
	if v == "" {
		return nil, nil
	}
	id, err := uuid.Parse(v)
	if err != nil {
		return nil, invalidField(field, msg)
	}
	return &id, nil
}

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
		return nil, invalidField("cursor", "Use the nextCursor value from the previous page.")
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

// nextCursor is the nextCursor of a list's response: "" on the last page.
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
		return nil, nil, invalidField("to", "The end of the date range must be after its start.")
	}
	return from, to, nil
}
