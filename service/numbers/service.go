// Package numbers holds the number inventory's use cases: listing and
// exporting numbers, their detail, buying and importing (one by one or from
// a CSV file), assigning, releasing and quarantining them, each guarded by
// the domain's rules and, when destructive, by a confirmation of what was
// previewed. Work that reaches the provider runs in workflows; this package
// starts them through the contract and waits a bounded time for them.
package numbers

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
	"github.com/snoutos/snout/service/confirm"
)

// Deps are the service's collaborators.
type Deps struct {
	Store *store.Store
	// Temporal starts the workflows; nil answers Unavailable to every use
	// case that needs one.
	Temporal  client.Client
	TaskQueue string
	// ConfirmSecret is the root secret confirmation tokens are derived
	// from (the first encryption key).
	ConfirmSecret []byte
	// Cooldown is how long a quarantine lasts unless the request says.
	Cooldown time.Duration
	Now      func() time.Time
	Log      *slog.Logger
}

// Service runs the number use cases.
type Service struct {
	store     *store.Store
	temporal  client.Client
	taskQueue string
	confirm   *confirm.Signer
	cooldown  time.Duration
	now       func() time.Time
	log       *slog.Logger
	audit     service.Auditor
}

// New builds the service.
func New(d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	signer := confirm.NewSigner(d.ConfirmSecret, "snout/numbers/confirm-token/v1", func() time.Time { return d.Now() })
	return &Service{store: d.Store, temporal: d.Temporal, taskQueue: d.TaskQueue, confirm: signer, cooldown: d.Cooldown,
		now: d.Now, log: d.Log, audit: service.Auditor{Store: d.Store, Log: d.Log}}
}

// DefaultCooldownDays is a quarantine's default length in whole days (at
// least one).
func (s *Service) DefaultCooldownDays() int {
	d := int(s.cooldown / (24 * time.Hour))
	if d < 1 {
		d = 1
	}
	return d
}

// number loads one number's inventory row in the actor's org; another
// org's number is not found.
func (s *Service) number(ctx context.Context, a service.Actor, id uuid.UUID) (*store.InventoryRow, error) {
	row, err := s.store.Org(a.OrgID).InventoryNumber(ctx, id, s.now())
	if errors.Is(err, store.ErrNotFound) {
		return nil, errs.NotFound("The number")
	}
	return row, err
}

// requireTemporal refuses work that needs a workflow when none can start.
func (s *Service) requireTemporal() error {
	if s.temporal == nil {
		return errs.Unavailable("", "Background processing is not available right now. Try again in a minute.", 30*time.Second)
	}
	return nil
}

// record audits an action on one number (uuid.Nil: on the inventory).
func (s *Service) record(ctx context.Context, a service.Actor, action string, numberID uuid.UUID, detail map[string]any) {
	ev := service.Event{Action: action, EntityType: "phone_number", EntityID: numberID.String(), Detail: detail}
	if numberID == uuid.Nil {
		ev.EntityType, ev.EntityID = "phone_numbers", ""
	}
	s.audit.Record(ctx, a, ev)
}

// numberSearchAttributes make a number's workflows findable in the
// Temporal Web UI by OrgId, PhoneNumber and NumberId.
func numberSearchAttributes(orgID uuid.UUID, e164 string, numberID uuid.UUID) temporal.SearchAttributes {
	return temporal.NewSearchAttributes(contract.OrgIDKey.ValueSet(orgID.String()),
		contract.PhoneNumberKey.ValueSet(e164), contract.NumberIDKey.ValueSet(numberID.String()))
}

// workflowFailure turns a failed workflow into its plain-language refusal
// (code names what failed), or returns err unchanged.
func workflowFailure(err error, code string) error {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) && appErr.Message() != "" {
		return errs.Blocked(code, appErr.Message())
	}
	return err
}

// Item is one number's outcome in a bulk action. Err is its refusal (or
// failure); Row is the number after the action when it is known.
type Item struct {
	ID           uuid.UUID
	E164         string
	Err          error
	Row          *store.InventoryRow
	Plan         *Plan
	WorkflowID   string
	QuarantineID *uuid.UUID
}

// OK reports whether the item succeeded.
func (it Item) OK() bool { return it.Err == nil }

// Succeeded counts the items that succeeded.
func Succeeded(items []Item) int {
	n := 0
	for _, it := range items {
		if it.OK() {
			n++
		}
	}
	return n
}

// MaxBulk is the most numbers one bulk action takes.
const MaxBulk = 200

// checkSelection refuses an empty, too long or repeated selection.
func checkSelection(ids []uuid.UUID) error {
	if len(ids) == 0 || len(ids) > MaxBulk {
		return errs.InvalidField("ids", "Select from 1 to 200 numbers.")
	}
	seen := map[uuid.UUID]bool{}
	for _, id := range ids {
		if seen[id] {
			return errs.InvalidField("ids", "A number is selected twice.")
		}
		seen[id] = true
	}
	return nil
}
