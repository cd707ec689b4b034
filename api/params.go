package api

import (
	"errors"

	"github.com/snoutos/snout/internal/store"
)

// notFoundOr turns ErrNotFound into a 404 naming what was missing; other
// errors pass through.
func notFoundOr(err error, what string) error {
	if errors.Is(err, store.ErrNotFound) {
		return notFound(what)
	}
	return err
}
