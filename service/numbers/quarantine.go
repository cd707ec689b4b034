package numbers

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/snoutos/snout/contract"
	domain "github.com/snoutos/snout/internal/domain/numbers"
	"github.com/snoutos/snout/internal/domain/phone"
	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
)

// quarantineStartWait is how long a quarantine request waits for the
// number's threads to move and the cooldown to start.
const quarantineStartWait = 10 * time.Second

// Plan is what quarantining one number would do: its impact, and the
// number that takes over its threads.
type Plan struct {
	Impact      store.NumberImpact
	Replacement *store.InventoryRow
}

// plan checks that row may be quarantined and finds its replacement:
// replacementID when given (another active pool number or the front desk),
// else the best candidate; avoid lists numbers that cannot take the
// threads (the others of a bulk action).
func (s *Service) plan(ctx context.Context, a service.Actor, row *store.InventoryRow, replacementID *uuid.UUID, avoid []uuid.UUID) (Plan, error) {
	if err := domain.CheckQuarantine(row.Number()); err != nil {
		return Plan{}, err
	}
	org := s.store.Org(a.OrgID)
	imp, err := org.ImpactOf(ctx, []uuid.UUID{row.ID}, s.now())
	if err != nil {
		return Plan{}, err
	}
	p := Plan{Impact: imp}
	if replacementID != nil {
		rep, err := org.InventoryNumber(ctx, *replacementID, s.now())
		if errors.Is(err, store.ErrNotFound) {
			return Plan{}, errs.NotFound("The replacement number")
		}
		if err != nil {
			return Plan{}, err
		}
		if err := domain.CheckReplacement(row.Number(), rep.Number(), avoid); err != nil {
			return Plan{}, err
		}
		p.Replacement = rep
		return p, nil
	}
	candidates, err := org.ReplacementCandidates(ctx, append([]uuid.UUID{row.ID}, avoid...), s.now())
	if err != nil {
		return Plan{}, err
	}
	if len(candidates) == 0 {
		return Plan{}, errs.Conflict("", "No other number can take over this number's conversations. Buy or import a pool number first.")
	}
	p.Replacement = &candidates[0]
	return p, nil
}

// Preview is what quarantining a number would do, with the token that
// confirms it.
type Preview struct {
	Number              *store.InventoryRow
	Plan                Plan
	Threads             []store.NumberThread
	Message             string
	Token               string
	ExpiresAt           time.Time
	DefaultCooldownDays int
}

// QuarantinePreview shows what quarantining the number would do; nothing
// changes.
func (s *Service) QuarantinePreview(ctx context.Context, a service.Actor, id uuid.UUID, replacementID *uuid.UUID) (Preview, error) {
	row, err := s.number(ctx, a, id)
	if err != nil {
		return Preview{}, err
	}
	p, err := s.plan(ctx, a, row, replacementID, nil)
	if err != nil {
		return Preview{}, err
	}
	threads, err := s.store.Org(a.OrgID).NumberThreads(ctx, row.ID, s.now())
	if err != nil {
		return Preview{}, err
	}
	if threads == nil {
		threads = []store.NumberThread{}
	}
	token, exp := s.issueToken(a, ActionQuarantine, []uuid.UUID{row.ID})
	return Preview{Number: row, Plan: p, Threads: threads, Token: token, ExpiresAt: exp, DefaultCooldownDays: s.DefaultCooldownDays(),
		Message: fmt.Sprintf("%s will stop being used. Its %s will move to %s; texts clients send to the old number during the cooldown still reach them.",
			phone.Display(row.E164), domain.Plural(p.Impact.Threads, "conversation", "conversations"), phone.Display(p.Replacement.E164)),
	}, nil
}

// QuarantineOptions say how a quarantine runs.
type QuarantineOptions struct {
	NotifyClients bool
	// EndAction is return_to_pool (the default) or release.
	EndAction string
	// CooldownDays overrides the default cooldown (1 to 365).
	CooldownDays *int
	Reason       string
}

// cooldown checks the options, filling in the defaults, and returns the
// cooldown they ask for.
func (s *Service) cooldownOf(o *QuarantineOptions) (time.Duration, error) {
	fields := map[string]string{}
	if o.EndAction == "" {
		o.EndAction = contract.QuarantineEndReturnToPool
	}
	if o.EndAction != contract.QuarantineEndReturnToPool && o.EndAction != contract.QuarantineEndRelease {
		fields["endAction"] = "Use return_to_pool or release."
	}
	cooldown := s.cooldown
	if o.CooldownDays != nil {
		if *o.CooldownDays < 1 || *o.CooldownDays > 365 {
			fields["cooldownDays"] = "Use from 1 to 365 days."
		}
		cooldown = time.Duration(*o.CooldownDays) * 24 * time.Hour
	}
	o.Reason = strings.TrimSpace(o.Reason)
	if len([]rune(o.Reason)) > 500 {
		fields["reason"] = "Use at most 500 characters."
	}
	if len(fields) > 0 {
		return 0, errs.Invalid("", fields)
	}
	return cooldown, nil
}

// QuarantineRequest quarantines one number; without Token it is a
// preview.
type QuarantineRequest struct {
	QuarantineOptions
	Token               string
	ReplacementNumberID *uuid.UUID
}

// Quarantined is the outcome of a quarantine request: the preview (no
// token), or the started quarantine. State is nil while it is still
// starting; Row is the number once it is quarantined.
type Quarantined struct {
	Preview      *Preview
	QuarantineID uuid.UUID
	WorkflowID   string
	Plan         Plan
	State        *contract.QuarantineState
	Row          *store.InventoryRow
}

// Quarantine takes a number out of service: without a token, the preview;
// with it, the number's QuarantineWorkflow starts, and the answer waits
// until its threads have moved and the cooldown runs.
func (s *Service) Quarantine(ctx context.Context, a service.Actor, id uuid.UUID, req QuarantineRequest) (Quarantined, error) {
	cooldown, err := s.cooldownOf(&req.QuarantineOptions)
	if err != nil {
		return Quarantined{}, err
	}
	if req.Token == "" {
		p, err := s.QuarantinePreview(ctx, a, id, req.ReplacementNumberID)
		if err != nil {
			return Quarantined{}, err
		}
		return Quarantined{Preview: &p}, nil
	}
	row, err := s.number(ctx, a, id)
	if err != nil {
		return Quarantined{}, err
	}
	if err := s.checkToken(a, ActionQuarantine, []uuid.UUID{row.ID}, req.Token); err != nil {
		return Quarantined{}, err
	}
	p, err := s.plan(ctx, a, row, req.ReplacementNumberID, nil)
	if err != nil {
		return Quarantined{}, err
	}
	in := s.quarantineInput(ctx, a, row, req.QuarantineOptions, cooldown, p.Replacement.ID, nil)
	state, err := s.beginQuarantine(ctx, a, in, quarantineStartWait)
	if err != nil {
		return Quarantined{}, err
	}
	out := Quarantined{QuarantineID: in.QuarantineID, WorkflowID: contract.QuarantineWorkflowID(row.ID), Plan: p, State: state}
	if state != nil {
		if now, err := s.number(ctx, a, row.ID); err == nil {
			out.Row = now
		}
	}
	return out, nil
}

// quarantineInput is the QuarantineWorkflow input for row.
func (s *Service) quarantineInput(ctx context.Context, a service.Actor, row *store.InventoryRow, o QuarantineOptions, cooldown time.Duration, replacement uuid.UUID, avoid []uuid.UUID) contract.QuarantineInput {
	return contract.QuarantineInput{
		OrgID: a.OrgID, QuarantineID: store.NewID(), NumberID: row.ID, PhoneNumber: row.E164, ReplacementNumberID: &replacement, Avoid: avoid,
		NotifyClients: o.NotifyClients, EndAction: o.EndAction, Cooldown: cooldown, Reason: o.Reason,
		ActorUserID: a.UserID,
	}
}

// BulkQuarantine: without a token, each number's guardrails, proposed
// replacement and the combined impact; with it, one QuarantineWorkflow per
// number (none of the selected numbers takes another's threads).
func (s *Service) BulkQuarantine(ctx context.Context, a service.Actor, ids []uuid.UUID, o QuarantineOptions, token string) (*Confirmation, []Item, error) {
	if err := checkSelection(ids); err != nil {
		return nil, nil, err
	}
	cooldown, err := s.cooldownOf(&o)
	if err != nil {
		return nil, nil, err
	}
	if token != "" {
		if err := s.checkToken(a, ActionBulkQuarantine, ids, token); err != nil {
			return nil, nil, err
		}
	}
	items := make([]Item, len(ids))
	var ready []uuid.UUID
	for i, id := range ids {
		items[i] = Item{ID: id}
		row, err := s.number(ctx, a, id)
		var p Plan
		if err == nil {
			items[i].E164 = row.E164
			p, err = s.plan(ctx, a, row, nil, ids)
		}
		if err != nil {
			items[i].Err = err
			continue
		}
		items[i].Plan = &p
		ready = append(ready, id)
		if token == "" {
			continue
		}
		in := s.quarantineInput(ctx, a, row, o, cooldown, p.Replacement.ID, ids)
		if _, err := s.beginQuarantine(ctx, a, in, 0); err != nil {
			items[i].Err = err
			continue
		}
		qid := in.QuarantineID
		items[i].WorkflowID, items[i].QuarantineID = contract.QuarantineWorkflowID(row.ID), &qid
	}
	if token == "" {
		c, err := s.confirmation(ctx, a, ActionBulkQuarantine, ids, ready, items,
			fmt.Sprintf("%s can be quarantined; each one's conversations move to the replacement shown.", domain.Plural(len(ready), "number", "numbers")))
		return c, nil, err
	}
	return nil, items, nil
}

// QuarantineStatus is a number's latest quarantine, with the running
// workflow's live state while it cools down (nil otherwise, or when the
// workflow did not answer).
type QuarantineStatus struct {
	Number     *store.InventoryRow
	Quarantine *store.Quarantine
	State      *contract.QuarantineState
}

// QuarantineStatus reads the number's latest quarantine.
func (s *Service) QuarantineStatus(ctx context.Context, a service.Actor, id uuid.UUID) (QuarantineStatus, error) {
	row, err := s.number(ctx, a, id)
	if err != nil {
		return QuarantineStatus{}, err
	}
	q, err := s.store.Org(a.OrgID).LatestQuarantine(ctx, row.ID)
	if errors.Is(err, store.ErrNotFound) {
		return QuarantineStatus{}, errs.NotFound("A quarantine of this number")
	}
	if err != nil {
		return QuarantineStatus{}, err
	}
	out := QuarantineStatus{Number: row, Quarantine: q}
	if q.Status == store.QuarantineCoolingDown && s.temporal != nil {
		v, err := s.temporal.QueryWorkflow(ctx, contract.QuarantineWorkflowID(row.ID), "", contract.QueryQuarantineState)
		if err != nil {
			s.log.WarnContext(ctx, "quarantine state query failed", "numberId", row.ID, "err", err)
			return out, nil
		}
		var st contract.QuarantineState
		if v.Get(&st) == nil && st.QuarantineID == q.ID {
			out.State = &st
		}
	}
	return out, nil
}

// Ended is the outcome of ending a quarantine early: the preview to
// confirm (release-now's first call), or the finished quarantine with the
// number; Quarantine is nil while the workflow is still finishing.
type Ended struct {
	Confirmation *Confirmation
	Quarantine   *store.Quarantine
	Row          *store.InventoryRow
	WorkflowID   string
}

// Restore ends a number's cooldown early: the number is back in service;
// the moved threads stay where they are.
func (s *Service) Restore(ctx context.Context, a service.Actor, id uuid.UUID, reason string) (Ended, error) {
	row, q, err := s.coolingDown(ctx, a, id, reason)
	if err != nil {
		return Ended{}, err
	}
	done, err := s.restoreQuarantine(ctx, a, row, q, strings.TrimSpace(reason))
	return s.ended(ctx, a, row, done), err
}

// ReleaseNow releases a quarantined number to the provider now, before
// the cooldown ends. Destructive: the first call (no token) previews it.
func (s *Service) ReleaseNow(ctx context.Context, a service.Actor, id uuid.UUID, reason, token string) (Ended, error) {
	row, q, err := s.coolingDown(ctx, a, id, reason)
	if err != nil {
		return Ended{}, err
	}
	ids := []uuid.UUID{row.ID}
	if token == "" {
		c, err := s.confirmation(ctx, a, ActionReleaseNow, ids, ids, nil,
			"Releasing gives "+phone.Display(row.E164)+" back to the provider now, before the cooldown ends. Texts to it will stop arriving.")
		return Ended{Confirmation: c}, err
	}
	if err := s.checkToken(a, ActionReleaseNow, ids, token); err != nil {
		return Ended{}, err
	}
	done, err := s.releaseQuarantineNow(ctx, a, row, q, strings.TrimSpace(reason))
	return s.ended(ctx, a, row, done), err
}

// coolingDown checks the request and returns the number with its running
// quarantine; a number not cooling down is a conflict.
func (s *Service) coolingDown(ctx context.Context, a service.Actor, id uuid.UUID, reason string) (*store.InventoryRow, *store.Quarantine, error) {
	if len([]rune(reason)) > 500 {
		return nil, nil, errs.InvalidField("reason", "Use at most 500 characters.")
	}
	row, err := s.number(ctx, a, id)
	if err != nil {
		return nil, nil, err
	}
	q, err := s.store.Org(a.OrgID).LatestQuarantine(ctx, row.ID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && q.Status != store.QuarantineCoolingDown) {
		return nil, nil, errs.Conflict("", "This number is not in quarantine.")
	}
	return row, q, err
}

// ended shapes the answer once the workflow finished the quarantine (done
// non-nil) or is still finishing it.
func (s *Service) ended(ctx context.Context, a service.Actor, row *store.InventoryRow, done *store.Quarantine) Ended {
	out := Ended{Quarantine: done, WorkflowID: contract.QuarantineWorkflowID(row.ID)}
	if done != nil {
		if n, err := s.number(ctx, a, row.ID); err == nil {
			out.Row = n
		}
	}
	return out
}
