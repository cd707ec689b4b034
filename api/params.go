package api

import (
	"context"
	"errors"

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
	v := c.Query(field)
	if v == "" {
		return nil, nil
	}
	id, err := uuid.Parse(v)
	if err != nil {
		return nil, invalidField(field, msg)
	}
	if _, err := load(c.Request.Context(), id); err != nil {
		return nil, notFoundOr(err, what)
	}
	return &id, nil
}
