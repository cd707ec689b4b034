package windows

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/store"
)

// answerWait bounds how long a use case waits for the window workflow.
const answerWait = 20 * time.Second

func (s *Service) requireTemporal() error {
	if s.Temporal == nil {
		return errs.Unavailable("", "Background processing is not available right now, so windows cannot be changed. Try again in a minute.", 30*time.Second)
	}
	return nil
}

// inputOf is the workflow input of a stored window. The start's text is
// asked for only while the window has not started: a workflow started
// again for a window already active must not text the client twice.
func inputOf(w *store.AssignmentWindow, actor uuid.UUID) contract.WindowInput {
	return contract.WindowInput{OrgID: w.OrgID, WindowID: w.ID, SitterID: w.SitterID, ClientID: w.ClientID,
		StartsAt: w.StartsAt, EndsAt: w.EndsAt, NotifyClient: w.NotifyClient && w.Status == store.WindowScheduled, ActorUserID: actor}
}

// ask sends an update to the window's workflow, starting it from the
// stored window first if it is not running (a window stored before
// windows had workflows), and waits for the answer.
func (s *Service) ask(ctx context.Context, in contract.WindowInput, update string, arg any) (contract.WindowState, error) {
	startOp := s.Temporal.NewWithStartWorkflowOperation(client.StartWorkflowOptions{
		ID: contract.WindowWorkflowID(in.WindowID), TaskQueue: s.TaskQueue,
		// The stored status is checked before asking, so a finished run is
		// only met in a race; a new run from the stored row then answers.
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		TypedSearchAttributes:    temporal.NewSearchAttributes(contract.OrgIDKey.ValueSet(in.OrgID.String())),
	}, contract.WindowWorkflowName, in)
	wctx, cancel := context.WithTimeout(ctx, answerWait)
	defer cancel()
	args := []any{}
	if arg != nil {
		args = append(args, arg)
	}
	h, err := s.Temporal.UpdateWithStartWorkflow(wctx, client.UpdateWithStartWorkflowOptions{
		StartWorkflowOperation: startOp,
		UpdateOptions:          client.UpdateWorkflowOptions{UpdateName: update, Args: args, WaitForStage: client.WorkflowUpdateStageCompleted},
	})
	if err != nil {
		return contract.WindowState{}, refusal(err)
	}
	var st contract.WindowState
	if err := h.Get(wctx, &st); err != nil {
		return contract.WindowState{}, refusal(err)
	}
	return st, nil
}

// refusal turns the workflow's refusals into errs; anything else is
// unavailable.
func refusal(err error) error {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		switch appErr.Type() {
		case contract.WindowErrFinished:
			return errs.Conflict("window_finished", appErr.Message())
		case contract.WindowErrOverlap:
			return errs.Conflict("window_overlap", appErr.Message())
		case contract.WindowErrInvalidEdit:
			return errs.InvalidField("startsAt", appErr.Message())
		}
	}
	return errs.Unavailable("", "The window's schedule could not be reached. Try again in a minute.", 30*time.Second)
}
