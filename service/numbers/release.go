package numbers

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/snoutos/snout/contract"
	domain "github.com/snoutos/snout/internal/domain/numbers"
	"github.com/snoutos/snout/internal/domain/phone"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
)

// releaseWait is how long a release request waits for the provider.
const releaseWait = 30 * time.Second

// Released is the outcome of a release: the preview to confirm (first
// call), or the release itself: Row is the released number, nil while the
// release is still running (WorkflowID follows it).
type Released struct {
	Confirmation *Confirmation
	Row          *store.InventoryRow
	WorkflowID   string
}

// Release gives a number back to the provider: the guardrails, then (no
// token) the impact and a confirmation token, then (with the token) the
// release through ReleaseNumberWorkflow.
func (s *Service) Release(ctx context.Context, a service.Actor, id uuid.UUID, token string) (Released, error) {
	row, err := s.number(ctx, a, id)
	if err != nil {
		return Released{}, err
	}
	if err := s.checkRelease(ctx, a, row); err != nil {
		return Released{}, err
	}
	ids := []uuid.UUID{row.ID}
	if token == "" {
		c, err := s.confirmation(ctx, a, ActionRelease, ids, ids, nil,
			"Releasing gives "+phone.Display(row.E164)+" back to the provider. Texts to it will no longer arrive, and it may not be possible to get it back.")
		return Released{Confirmation: c}, err
	}
	if err := s.checkToken(a, ActionRelease, ids, token); err != nil {
		return Released{}, err
	}
	done, err := s.runRelease(ctx, a, row)
	if err != nil {
		return Released{}, err
	}
	out := Released{WorkflowID: contract.ReleaseNumberWorkflowID(row.ID)}
	if done {
		if out.Row, err = s.number(ctx, a, row.ID); err != nil {
			return Released{}, err
		}
	}
	return out, nil
}

// BulkRelease: without a token, each number's guardrails and the combined
// impact; with it, each releasable number is released.
func (s *Service) BulkRelease(ctx context.Context, a service.Actor, ids []uuid.UUID, token string) (*Confirmation, []Item, error) {
	if err := checkSelection(ids); err != nil {
		return nil, nil, err
	}
	if token != "" {
		if err := s.checkToken(a, ActionBulkRelease, ids, token); err != nil {
			return nil, nil, err
		}
	}
	items := make([]Item, len(ids))
	rows := make([]*store.InventoryRow, len(ids))
	var releasable []uuid.UUID
	for i, id := range ids {
		items[i] = Item{ID: id}
		row, err := s.number(ctx, a, id)
		if err == nil {
			err = s.checkRelease(ctx, a, row)
		}
		if err != nil {
			items[i].Err = err
			continue
		}
		rows[i], items[i].E164 = row, row.E164
		releasable = append(releasable, id)
	}
	if token == "" {
		c, err := s.confirmation(ctx, a, ActionBulkRelease, ids, releasable, items,
			fmt.Sprintf("%s can be released; the others are listed with the reason they cannot.", domain.Plural(len(releasable), "number", "numbers")))
		return c, nil, err
	}
	for i, row := range rows {
		if row == nil {
			continue
		}
		done, err := s.runRelease(ctx, a, row)
		if err != nil {
			items[i].Err = err
			continue
		}
		items[i].WorkflowID = contract.ReleaseNumberWorkflowID(row.ID)
		if done {
			if now, err := s.number(ctx, a, row.ID); err == nil {
				items[i].Row = now
			}
		}
	}
	return nil, items, nil
}

// checkRelease asks the domain whether the number may be released, with
// its impact when it carries active conversations.
func (s *Service) checkRelease(ctx context.Context, a service.Actor, row *store.InventoryRow) error {
	var imp store.NumberImpact
	if row.ActiveThreads > 0 {
		var err error
		if imp, err = s.store.Org(a.OrgID).ImpactOf(ctx, []uuid.UUID{row.ID}, s.now()); err != nil {
			return err
		}
	}
	return domain.CheckRelease(row.Number(), imp)
}

// runRelease runs ReleaseNumberWorkflow and waits up to releaseWait for
// it; done is false when it is still running.
func (s *Service) runRelease(ctx context.Context, a service.Actor, row *store.InventoryRow) (done bool, err error) {
	if err := s.requireTemporal(); err != nil {
		return false, err
	}
	s.record(ctx, a, "number.release.confirmed", row.ID, map[string]any{"e164": row.E164})
	run, err := s.temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: contract.ReleaseNumberWorkflowID(row.ID), TaskQueue: s.taskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		TypedSearchAttributes:    numberSearchAttributes(a.OrgID, row.E164, row.ID),
	}, contract.ReleaseNumberWorkflowName, contract.ReleaseNumberInput{
		OrgID: a.OrgID, NumberID: row.ID, ActorUserID: a.UserID,
	})
	if err != nil {
		return false, err
	}
	wctx, cancel := context.WithTimeout(ctx, releaseWait)
	defer cancel()
	var res contract.ReleaseNumberResult
	if err := run.Get(wctx, &res); err != nil {
		if wctx.Err() != nil && ctx.Err() == nil {
			return false, nil
		}
		return false, workflowFailure(err, "release_failed")
	}
	return true, nil
}
