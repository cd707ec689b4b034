package numbers

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/snoutos/snout/contract"
	domain "github.com/snoutos/snout/internal/domain/numbers"
	"github.com/snoutos/snout/internal/domain/phone"
	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
)

// provisionWait is how long a request waits for ProvisionNumbersWorkflow.
const provisionWait = 90 * time.Second

var requestIDFormat = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// NumberRequest is one number to buy or import, as typed.
type NumberRequest struct {
	E164         string
	Class        string
	SitterID     *uuid.UUID
	SitterEmail  string
	FriendlyName string
}

// Provisioned is the outcome of a buy or import: Result is nil while the
// workflow is still running.
type Provisioned struct {
	RequestID  string
	WorkflowID string
	Result     *contract.ProvisionResult
}

// Provision buys or imports numbers (action contract.ProvisionBuy or
// ProvisionImport) through ProvisionNumbersWorkflow, which also installs and
// verifies each number's webhook and releases a bought number it cannot
// configure. requestID makes a retried request safe: the same ID runs once
// ("" picks a new one). Every item must pass, or nothing starts.
func (s *Service) Provision(ctx context.Context, a service.Actor, action, requestID string, reqs []NumberRequest) (Provisioned, error) {
	if len(reqs) == 0 || len(reqs) > domain.MaxProvisionItems {
		return Provisioned{}, errs.InvalidField("items", fmt.Sprintf("List from 1 to %d numbers.", domain.MaxProvisionItems))
	}
	requestID, err := checkRequestID(requestID)
	if err != nil {
		return Provisioned{}, err
	}
	checks, err := s.checkItems(ctx, a, action, reqs)
	if err != nil {
		return Provisioned{}, err
	}
	fields := map[string]string{}
	items := make([]contract.ProvisionItem, len(checks))
	for i, chk := range checks {
		if chk.reason != "" {
			fields[fmt.Sprintf("items[%d].%s", i, chk.field)] = chk.reason
		}
		items[i] = chk.item
	}
	if len(fields) > 0 {
		past := "imported"
		if action == contract.ProvisionBuy {
			past = "bought"
		}
		return Provisioned{}, errs.Invalid("Some numbers cannot be "+past+".", fields)
	}
	s.record(ctx, a, "numbers."+action+".requested", uuid.Nil, map[string]any{"requestId": requestID, "count": len(items)})
	res, err := s.runProvision(ctx, a, requestID, items)
	if err != nil {
		return Provisioned{}, err
	}
	return Provisioned{RequestID: requestID, WorkflowID: contract.ProvisionWorkflowID(a.OrgID, requestID), Result: res}, nil
}

// checkRequestID accepts a caller's idempotency key, or makes one.
func checkRequestID(id string) (string, error) {
	if id == "" {
		return uuid.NewString(), nil
	}
	if !requestIDFormat.MatchString(id) {
		return "", errs.InvalidField("requestId", "Use up to 64 letters, digits, - or _.")
	}
	return id, nil
}

// itemCheck is one request's workflow item, or the field at fault
// ("e164", "class", "sitter", "friendlyName") and why.
type itemCheck struct {
	item          contract.ProvisionItem
	field, reason string
}

// checkItems validates requests by the provisioning rule and against the
// org: sitters, numbers already in the inventory, the one front desk, and
// a number listed twice.
func (s *Service) checkItems(ctx context.Context, a service.Actor, action string, reqs []NumberRequest) ([]itemCheck, error) {
	org := s.store.Org(a.OrgID)
	out := make([]itemCheck, len(reqs))
	seen := map[string]int{}
	frontDeskTaken := false
	if _, err := org.ActiveFrontDesk(ctx); err == nil {
		frontDeskTaken = true
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	for i, r := range reqs {
		chk := &out[i]
		e164, err := phone.Normalize(strings.TrimPrefix(strings.TrimSpace(r.E164), "'"), "US")
		if err != nil {
			chk.field, chk.reason = "e164", "This is not a valid phone number."
			var inv *phone.InvalidError
			if errors.As(err, &inv) {
				chk.reason = "This is not a valid phone number: " + inv.Reason + "."
			}
			continue
		}
		named := r.SitterID != nil || strings.TrimSpace(r.SitterEmail) != ""
		chk.item = contract.ProvisionItem{Action: action, E164: e164, Class: domain.NormaliseClass(r.Class), FriendlyName: strings.TrimSpace(r.FriendlyName)}
		if chk.field, chk.reason = domain.CheckProvision(domain.Provision{Action: action, E164: e164, Class: chk.item.Class,
			Sitter: named, FriendlyName: chk.item.FriendlyName}); chk.reason != "" {
			continue
		}
		if prev, dup := seen[e164]; dup {
			chk.field, chk.reason = "e164", fmt.Sprintf("This number is listed twice (also item %d).", prev+1)
			continue
		}
		seen[e164] = i
		switch chk.item.Class {
		case domain.ClassSitter:
			sitter, err := s.activeSitter(ctx, a, r.SitterID, r.SitterEmail)
			if _, refused := errs.As(err); refused {
				chk.field, chk.reason = "sitter", "No active sitter with that email or ID in this organisation."
				continue
			}
			if err != nil {
				return nil, err
			}
			chk.item.SitterID = &sitter.ID
		case domain.ClassFrontDesk:
			if frontDeskTaken {
				chk.field, chk.reason = "class", "This organisation already has a front desk number; there can be only one."
				continue
			}
			frontDeskTaken = true
		}
		if _, err := org.LiveNumberByE164(ctx, e164); err == nil {
			chk.field, chk.reason = "e164", "This number is already in your inventory."
			continue
		} else if !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
	}
	return out, nil
}

// runProvision starts (or rejoins, for the same request ID) the
// provisioning workflow and waits up to provisionWait for its result; a
// nil result means it is still running.
func (s *Service) runProvision(ctx context.Context, a service.Actor, requestID string, items []contract.ProvisionItem) (*contract.ProvisionResult, error) {
	if err := s.requireTemporal(); err != nil {
		return nil, err
	}
	id := contract.ProvisionWorkflowID(a.OrgID, requestID)
	run, err := s.temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: id, TaskQueue: s.taskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		TypedSearchAttributes:    temporal.NewSearchAttributes(contract.OrgIDKey.ValueSet(a.OrgID.String())),
	}, contract.ProvisionNumbersWorkflowName, contract.ProvisionInput{
		OrgID: a.OrgID, RequestID: requestID, Items: items, ActorUserID: a.UserID,
	})
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &started) {
		run, err = s.temporal.GetWorkflow(ctx, id, ""), nil // the same request, already finished: its result
	}
	if err != nil {
		return nil, err
	}
	wctx, cancel := context.WithTimeout(ctx, provisionWait)
	defer cancel()
	var res contract.ProvisionResult
	if err := run.Get(wctx, &res); err != nil {
		if wctx.Err() != nil && ctx.Err() == nil {
			return nil, nil
		}
		return nil, workflowFailure(err, "provisioning_failed")
	}
	return &res, nil
}
