package numbers

import (
	"context"
	"errors"
	"strings"

	"github.com/google/uuid"

	domain "github.com/snoutos/snout/internal/domain/numbers"
	"github.com/snoutos/snout/internal/domain/phone"
	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
)

// Assignment says whom a number is to serve.
type Assignment struct {
	// To is "sitter", "pool" or "front_desk".
	To string
	// SitterID or SitterEmail names the sitter (To "sitter").
	SitterID    *uuid.UUID
	SitterEmail string
}

// Assign gives a number a new class (and sitter), with its guardrails, its
// history row and an audit event. A number already so assigned is
// returned unchanged.
func (s *Service) Assign(ctx context.Context, a service.Actor, id uuid.UUID, to Assignment) (*store.InventoryRow, error) {
	row, err := s.number(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if err := domain.CheckAssign(row.Number(), to.To); err != nil {
		return nil, err
	}
	org := s.store.Org(a.OrgID)
	var toSitter *uuid.UUID
	label := ""
	switch to.To {
	case domain.ClassSitter:
		sitter, err := s.activeSitter(ctx, a, to.SitterID, to.SitterEmail)
		if err != nil {
			return nil, err
		}
		toSitter, label = &sitter.ID, "Assigned to "+sitter.Name
	case domain.ClassPool:
		label = "Moved to the pool"
	case domain.ClassFrontDesk:
		if row.Class == domain.ClassFrontDesk {
			return row, nil
		}
		if fd, err := org.ActiveFrontDesk(ctx); err == nil {
			return nil, errs.Conflict("", "This organisation already has a front desk number ("+phone.Display(fd.E164)+"); there can be only one.")
		} else if !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		label = "Made the front desk number"
	}
	if domain.SameAssignment(row.Number(), to.To, toSitter) {
		return row, nil
	}
	if err := domain.CheckHandOver(row.Number()); err != nil {
		return nil, err
	}
	if err := org.AssignNumber(ctx, row.ID, row.Class, row.SitterID, to.To, toSitter, label, a.UserID.String()); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return nil, errs.Conflict("", "The number changed meanwhile, or the organisation already has a front desk number. Reload and try again.")
		}
		return nil, err
	}
	detail := map[string]any{"e164": row.E164, "fromClass": row.Class, "toClass": to.To}
	if toSitter != nil {
		detail["sitterId"] = *toSitter
	}
	s.record(ctx, a, "number.assigned", row.ID, detail)
	return s.number(ctx, a, row.ID)
}

// BulkAssign assigns each number for itself.
func (s *Service) BulkAssign(ctx context.Context, a service.Actor, ids []uuid.UUID, to Assignment) ([]Item, error) {
	if err := checkSelection(ids); err != nil {
		return nil, err
	}
	items := make([]Item, len(ids))
	for i, id := range ids {
		items[i] = Item{ID: id}
		row, err := s.Assign(ctx, a, id, to)
		if err != nil {
			items[i].Err = err
			continue
		}
		items[i].E164, items[i].Row = row.E164, row
	}
	return items, nil
}

// activeSitter finds the sitter an assignment names, in the actor's org
// only.
func (s *Service) activeSitter(ctx context.Context, a service.Actor, id *uuid.UUID, email string) (*store.Sitter, error) {
	org := s.store.Org(a.OrgID)
	var sitter *store.Sitter
	var err error
	switch {
	case id != nil:
		sitter, err = org.Sitter(ctx, *id)
	case strings.TrimSpace(email) != "":
		sitter, err = org.SitterByEmail(ctx, strings.ToLower(strings.TrimSpace(email)))
	default:
		return nil, errs.InvalidField("sitterId", "Choose the sitter this number is for.")
	}
	if errors.Is(err, store.ErrNotFound) {
		return nil, errs.NotFound("The sitter")
	}
	if err != nil {
		return nil, err
	}
	if !sitter.Active {
		return nil, errs.Conflict("", sitter.Name+" is not an active sitter.")
	}
	return sitter, nil
}
