package numbers

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/errs"
)

// QuarantineAnswerWait bounds how long starting, restoring or releasing a
// quarantine waits for the workflow's answer. A number with thousands of
// conversations can take longer to move; the caller then answers that the
// work goes on (202) and the quarantine carries on by itself.
const QuarantineAnswerWait = 15 * time.Second

// QuarantineStart is the answer to StartQuarantine.
type QuarantineStart struct {
	WorkflowID string
	RunID      string
	// State is the workflow's state once the threads have moved and the
	// cooldown runs; nil when that took longer than QuarantineAnswerWait.
	State *contract.QuarantineState
}

// StartQuarantine starts the number's quarantine workflow on taskQueue
// (update-with-start: the start and the "started" update in one request),
// searchable by org, phone number and number ID, and returns the
// workflow's own answer once the threads have moved and the cooldown runs.
// Another quarantine of the number running is errs.Conflict; a quarantine
// the activities refuse is errs.Conflict (number not quarantinable, no
// replacement), errs.Invalid on replacementNumberId (a replacement that
// cannot take the threads) or errs.Blocked with the reason.
//
// wait bounds how long it waits for that answer (at most
// QuarantineAnswerWait); 0 returns once the workflow accepted the start.
func StartQuarantine(ctx context.Context, c client.Client, taskQueue string, in contract.QuarantineInput, wait time.Duration) (QuarantineStart, error) {
	if c == nil {
		return QuarantineStart{}, quarantineUnreachable()
	}
	id := contract.QuarantineWorkflowID(in.NumberID)
	startOp := c.NewWithStartWorkflowOperation(client.StartWorkflowOptions{
		ID: id, TaskQueue: taskQueue,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		TypedSearchAttributes: temporal.NewSearchAttributes(
			contract.OrgIDKey.ValueSet(in.OrgID.String()),
			contract.PhoneNumberKey.ValueSet(in.PhoneNumber),
			contract.NumberIDKey.ValueSet(in.NumberID.String()),
		),
	}, contract.QuarantineWorkflowName, in)
	wctx, cancel := context.WithTimeout(ctx, QuarantineAnswerWait)
	defer cancel()
	h, err := c.UpdateWithStartWorkflow(wctx, client.UpdateWithStartWorkflowOptions{
		StartWorkflowOperation: startOp,
		UpdateOptions: client.UpdateWorkflowOptions{
			UpdateName: contract.UpdateQuarantineStarted, Args: []any{contract.QuarantineStartRequest{QuarantineID: in.QuarantineID}},
			WaitForStage: client.WorkflowUpdateStageAccepted,
		},
	})
	if err != nil {
		return QuarantineStart{}, quarantineRefusal(wctx, err)
	}
	out := QuarantineStart{WorkflowID: id, RunID: h.RunID()}
	if wait <= 0 {
		return out, nil
	}
	if wait < QuarantineAnswerWait {
		var cancelWait context.CancelFunc
		wctx, cancelWait = context.WithTimeout(wctx, wait)
		defer cancelWait()
	}
	var st contract.QuarantineState
	if err := h.Get(wctx, &st); err != nil {
		if wctx.Err() != nil && ctx.Err() == nil {
			return out, nil // still moving threads; it goes on
		}
		return QuarantineStart{}, quarantineRefusal(wctx, err)
	}
	out.State = &st
	return out, nil
}

// RestoreQuarantine ends the number's quarantine early, as s.UserID: the
// number goes back in service and its moved threads stay moved. It
// returns the workflow's answer once that is done, or nil when it took
// longer than QuarantineAnswerWait (accepted, still finishing). A restore
// or release-now that came first is errs.Conflict, as is a quarantine that
// is finishing or over.
func RestoreQuarantine(ctx context.Context, c client.Client, numberID uuid.UUID, s contract.QuarantineSignal) (*contract.QuarantineAnswer, error) {
	return decideQuarantine(ctx, c, numberID, contract.UpdateQuarantineRestore, s)
}

// ReleaseQuarantineNow ends the number's quarantine by releasing the
// number to the provider now, as s.UserID. Answers and refusals are as for
// RestoreQuarantine; a release the provider refuses is errs.Blocked with
// its reason (the number stays in quarantine).
func ReleaseQuarantineNow(ctx context.Context, c client.Client, numberID uuid.UUID, s contract.QuarantineSignal) (*contract.QuarantineAnswer, error) {
	return decideQuarantine(ctx, c, numberID, contract.UpdateQuarantineReleaseNow, s)
}

func decideQuarantine(ctx context.Context, c client.Client, numberID uuid.UUID, update string, s contract.QuarantineSignal) (*contract.QuarantineAnswer, error) {
	if c == nil {
		return nil, quarantineUnreachable()
	}
	wctx, cancel := context.WithTimeout(ctx, QuarantineAnswerWait)
	defer cancel()
	h, err := c.UpdateWorkflow(wctx, client.UpdateWorkflowOptions{
		WorkflowID: contract.QuarantineWorkflowID(numberID), UpdateName: update, Args: []any{s},
		WaitForStage: client.WorkflowUpdateStageAccepted,
	})
	if err != nil {
		return nil, quarantineRefusal(wctx, err)
	}
	var answer contract.QuarantineAnswer
	if err := h.Get(wctx, &answer); err != nil {
		if wctx.Err() != nil && ctx.Err() == nil {
			return nil, nil // accepted; the provider is still answering
		}
		return nil, quarantineRefusal(wctx, err)
	}
	return &answer, nil
}

// quarantineRefusal turns a failed quarantine update into the refusal the
// operator sees.
func quarantineRefusal(ctx context.Context, err error) error {
	var appErr *temporal.ApplicationError
	var notFound *serviceerror.NotFound
	var unavailable *serviceerror.Unavailable
	if errors.As(err, &appErr) {
		switch appErr.Type() {
		case contract.QuarantineErrOtherQuarantine:
			return errs.Conflict("quarantine_running", appErr.Message())
		case contract.QuarantineErrAlreadyRequested:
			return errs.Conflict("quarantine_already_requested", appErr.Message())
		case contract.QuarantineErrFinished:
			return errs.Conflict("quarantine_finished", appErr.Message())
		case contract.QuarantineErrNotQuarantinable:
			return errs.Conflict("number_not_quarantinable", appErr.Message())
		case contract.QuarantineErrNoReplacement:
			return errs.Conflict("no_replacement", appErr.Message())
		case contract.QuarantineErrInvalidReplacement:
			return errs.InvalidField("replacementNumberId", appErr.Message())
		case contract.QuarantineErrReleaseRefused:
			return errs.Blocked("release_refused", appErr.Message())
		}
		if appErr.Message() != "" {
			return errs.Blocked("quarantine_failed", appErr.Message())
		}
	}
	switch {
	case errors.As(err, &notFound):
		return errs.Conflict("quarantine_finished", "The quarantine is already finishing. Reload in a moment.")
	case errors.As(err, &unavailable), ctx.Err() != nil:
		return quarantineUnreachable()
	}
	return err
}

func quarantineUnreachable() error {
	return errs.Unavailable("quarantine_unavailable", "Quarantines can't be reached right now. Try again in a minute.", 30*time.Second)
}
