package windows

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/store"
)

// ResumeResult counts what one pass of Resume did.
type ResumeResult struct {
	// Open windows looked at; Started lacked a running workflow and got
	// one; Running already had one; Failed could not be started (the next
	// pass tries again).
	Open, Started, Running, Failed int
}

// Resume starts the workflow of every window that has not finished
// (scheduled or active) and has none running: a window stored while
// Temporal was unreachable, a workflow Temporal lost, the demo seed's
// windows. Only windows created before `before` are looked at, so that a
// window being created right now is left to its creator (whose start
// carries its choices). At most limit windows per org are looked at.
//
// The new run takes over from the stored status: a window already active
// stays active (without texting the client again) until its end, a window
// whose end has passed is ended, one still to come is armed.
func Resume(ctx context.Context, st *store.Store, tc client.Client, taskQueue string, before time.Time, limit int, log *slog.Logger) (ResumeResult, error) {
	var res ResumeResult
	if tc == nil {
		return res, errors.New("no Temporal client to start window workflows")
	}
	orgs, err := st.OrgsWithOpenWindows(ctx, before, 1000)
	if err != nil {
		return res, err
	}
	for _, orgID := range orgs {
		open, err := st.Org(orgID).OpenWindows(ctx, before, limit)
		if err != nil {
			return res, err
		}
		for i := range open {
			res.Open++
			switch started, err := startIfMissing(ctx, tc, taskQueue, &open[i]); {
			case err != nil:
				res.Failed++
				log.WarnContext(ctx, "window workflow not started; the next sweep tries again", "orgId", orgID, "windowId", open[i].ID, "err", err)
			case started:
				res.Started++
				log.InfoContext(ctx, "window workflow started again", "orgId", orgID, "windowId", open[i].ID, "status", open[i].Status)
			default:
				res.Running++
			}
		}
	}
	return res, nil
}

// startIfMissing starts window-<id> from the stored window unless a run
// is going. A finished earlier run does not stop a new one: the stored
// status says the window has not finished, so that run did not finish it
// (it failed or was terminated).
func startIfMissing(ctx context.Context, tc client.Client, taskQueue string, w *store.AssignmentWindow) (bool, error) {
	_, err := tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: contract.WindowWorkflowID(w.ID), TaskQueue: taskQueue,
		WorkflowIDReusePolicy:                    enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
		WorkflowIDConflictPolicy:                 enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
		WorkflowExecutionErrorWhenAlreadyStarted: true,
		TypedSearchAttributes:                    temporal.NewSearchAttributes(contract.OrgIDKey.ValueSet(w.OrgID.String())),
	}, contract.WindowWorkflowName, inputOf(w, uuid.Nil))
	var running *serviceerror.WorkflowExecutionAlreadyStarted
	switch {
	case err == nil:
		return true, nil
	case errors.As(err, &running):
		return false, nil
	default:
		return false, fmt.Errorf("starting %s: %w", contract.WindowWorkflowID(w.ID), err)
	}
}
