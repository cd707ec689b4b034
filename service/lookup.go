package service

import (
	"errors"

	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/store"
)

// NotFoundOr names what was not found when err is the store's ErrNotFound
// (a missing row, or another org's); any other error passes through.
func NotFoundOr(err error, what string) error {
	if errors.Is(err, store.ErrNotFound) {
		return errs.NotFound(what)
	}
	return err
}
