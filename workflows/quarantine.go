package workflows

import (
	"errors"
	"time"

	"github.com/google/uuid"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/workflows/steps"
)

// QuarantineWorkflow runs one number's quarantine (ID quarantine-<numberID>):
//
//  1. mark the number quarantined and settle the replacement;
//  2. move its threads to the replacement, recording each move so that texts
//     still arriving at the old number during the cooldown reach the thread;
//  3. if asked, text each affected client from the new number (a pending
//     system message per thread, sent by its own DeliveryWorkflow);
//  4. wait out the cooldown on a cancellable timer, or until a "restore"
//     (back in service early, threads stay moved) or "release-now" signal;
//  5. return the number to the pool or release it to the provider.
//
// The "state" and "impact" queries report progress. If the provider refuses
// a release, an alert is raised and the workflow waits for an operator's
// restore or release-now (a new try).
func QuarantineWorkflow(ctx workflow.Context, in contract.QuarantineInput) (contract.QuarantineResult, error) {
	q := &quarantine{in: in}
	if err := q.setup(ctx); err != nil {
		return contract.QuarantineResult{}, err
	}
	return q.run(ctx)
}

// quarantine is one running quarantine workflow.
type quarantine struct {
	in        contract.QuarantineInput
	log       log.Logger
	state     contract.QuarantineState
	restoreCh workflow.ReceiveChannel
	releaseCh workflow.ReceiveChannel
}

// quarantineRequest is an operator's signal, and which one it was.
type quarantineRequest struct {
	kind   string // SignalQuarantineRestore or SignalQuarantineReleaseNow
	signal contract.QuarantineSignal
}

func (q *quarantine) setup(ctx workflow.Context) error {
	in := q.in
	switch {
	case in.OrgID == uuid.Nil || in.NumberID == uuid.Nil || in.QuarantineID == uuid.Nil:
		return temporal.NewNonRetryableApplicationError("a quarantine needs an org, a number and a quarantine ID", "InvalidQuarantineInput", nil)
	case in.EndAction != contract.QuarantineEndReturnToPool && in.EndAction != contract.QuarantineEndRelease:
		return temporal.NewNonRetryableApplicationError("endAction must be return_to_pool or release", "InvalidQuarantineInput", nil)
	case in.Cooldown <= 0:
		return temporal.NewNonRetryableApplicationError("the cooldown must be positive", "InvalidQuarantineInput", nil)
	}
	q.log = log.With(workflow.GetLogger(ctx), "orgId", in.OrgID.String(), "numberId", in.NumberID.String(),
		"quarantineId", in.QuarantineID.String(), "correlationId", in.CorrelationID)
	q.state = contract.QuarantineState{
		Phase: contract.QuarantinePhaseStarting, QuarantineID: in.QuarantineID, NumberID: in.NumberID, EndAction: in.EndAction,
		CooldownEndsAt: workflow.Now(ctx).Add(in.Cooldown), Impact: contract.QuarantineImpact{Moves: []contract.QuarantineMove{}},
	}
	q.restoreCh = workflow.GetSignalChannel(ctx, contract.SignalQuarantineRestore)
	q.releaseCh = workflow.GetSignalChannel(ctx, contract.SignalQuarantineReleaseNow)
	if err := workflow.SetQueryHandler(ctx, contract.QueryQuarantineState, func() (contract.QuarantineState, error) { return q.state, nil }); err != nil {
		return err
	}
	return workflow.SetQueryHandler(ctx, contract.QueryQuarantineImpact, func() (contract.QuarantineImpact, error) { return q.state.Impact, nil })
}

func (q *quarantine) run(ctx workflow.Context) (contract.QuarantineResult, error) {
	in := q.in
	started := workflow.Now(ctx)

	var begun steps.QuarantineBeginResult
	err := workflow.ExecuteActivity(q.storeCtx(ctx), steps.QuarantineBegin, steps.QuarantineBeginInput{
		OrgID: in.OrgID, QuarantineID: in.QuarantineID, NumberID: in.NumberID, ReplacementNumberID: in.ReplacementNumberID,
		Avoid: in.Avoid, EndAction: in.EndAction, NotifyClients: in.NotifyClients, Reason: in.Reason, StartedAt: started,
		CooldownEndsAt: q.state.CooldownEndsAt, ActorUserID: in.ActorUserID, CorrelationID: in.CorrelationID,
	}).Get(ctx, &begun)
	if err != nil {
		q.log.Error("quarantine could not start", "error", err)
		return contract.QuarantineResult{}, err
	}

	q.state.Phase = contract.QuarantinePhaseMoving
	var moved steps.QuarantineMoveThreadsResult
	err = workflow.ExecuteActivity(q.storeCtx(ctx), steps.QuarantineMoveThreads, steps.QuarantineMoveThreadsInput{
		OrgID: in.OrgID, QuarantineID: in.QuarantineID, NumberID: in.NumberID, Targets: begun.Targets, CorrelationID: in.CorrelationID,
	}).Get(ctx, &moved)
	if err != nil {
		return contract.QuarantineResult{}, err
	}
	q.state.Impact.Moves = append(q.state.Impact.Moves, moved.Moves...)
	q.state.Impact.Stuck = moved.Stuck
	q.log.Info("threads moved", "moved", len(moved.Moves), "stuck", len(moved.Stuck))

	if in.NotifyClients {
		q.state.Phase = contract.QuarantinePhaseNotifying
		q.notifyClients(ctx)
	}

	q.state.Phase = contract.QuarantinePhaseCoolingDown
	req := q.coolDown(ctx)

	q.state.Phase = contract.QuarantinePhaseFinishing
	outcome, err := q.finish(ctx, req)
	if err != nil {
		return contract.QuarantineResult{}, err
	}
	q.state.Phase, q.state.Outcome = contract.QuarantinePhaseDone, outcome
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return contract.QuarantineResult{}, err
	}
	return contract.QuarantineResult{Outcome: outcome, Impact: q.state.Impact, FinishedAt: workflow.Now(ctx)}, nil
}

// notifyClients stores a notice in each moved thread and starts its
// delivery. A notice that cannot be prepared is logged and skipped: the
// quarantine itself must go on.
func (q *quarantine) notifyClients(ctx workflow.Context) {
	for _, m := range q.state.Impact.Moves {
		var notice steps.QuarantineNoticeResult
		err := workflow.ExecuteActivity(q.storeCtx(ctx), steps.QuarantinePrepareNotice, steps.QuarantineNoticeInput{
			OrgID: q.in.OrgID, QuarantineID: q.in.QuarantineID, ThreadID: m.ThreadID, OldE164: q.in.PhoneNumber,
			CooldownEndsAt: q.state.CooldownEndsAt, CorrelationID: q.in.CorrelationID,
		}).Get(ctx, &notice)
		if err != nil {
			q.log.Warn("client notice not prepared", "threadId", m.ThreadID.String(), "error", err)
			q.state.Impact.NoticesSkipped++
			continue
		}
		if notice.Skipped {
			q.state.Impact.NoticesSkipped++
			continue
		}
		cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
			WorkflowID:            contract.DeliveryWorkflowID(notice.MessageID),
			ParentClosePolicy:     enumspb.PARENT_CLOSE_POLICY_ABANDON,
			WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
			TypedSearchAttributes: temporal.NewSearchAttributes(contract.OrgIDKey.ValueSet(q.in.OrgID.String())),
		})
		child := workflow.ExecuteChildWorkflow(cctx, contract.DeliveryWorkflowName, contract.DeliveryInput{
			OrgID: q.in.OrgID, MessageID: notice.MessageID, CorrelationID: q.in.CorrelationID,
		})
		var exec workflow.Execution
		if err := child.GetChildWorkflowExecution().Get(ctx, &exec); err != nil {
			var started *temporal.ChildWorkflowExecutionAlreadyStartedError
			if !errors.As(err, &started) {
				q.log.Warn("client notice delivery not started", "messageId", notice.MessageID.String(), "error", err)
				q.state.Impact.NoticesSkipped++
				continue
			}
		}
		q.state.Impact.ClientsNotified++
	}
}

// coolDown waits until the cooldown ends or an operator signals. The timer
// is cancelled and re-armed around each wake-up (the updatable-timer
// pattern), so the end time can move without replaying the wait.
func (q *quarantine) coolDown(ctx workflow.Context) *quarantineRequest {
	for {
		remaining := q.state.CooldownEndsAt.Sub(workflow.Now(ctx))
		if remaining <= 0 {
			return nil
		}
		timerCtx, cancelTimer := workflow.WithCancel(ctx)
		timer := workflow.NewTimer(timerCtx, remaining)
		var req *quarantineRequest
		fired := false
		sel := workflow.NewSelector(ctx)
		sel.AddFuture(timer, func(f workflow.Future) { fired = f.Get(ctx, nil) == nil })
		sel.AddReceive(q.restoreCh, func(c workflow.ReceiveChannel, _ bool) {
			req = &quarantineRequest{kind: contract.SignalQuarantineRestore}
			c.Receive(ctx, &req.signal)
		})
		sel.AddReceive(q.releaseCh, func(c workflow.ReceiveChannel, _ bool) {
			req = &quarantineRequest{kind: contract.SignalQuarantineReleaseNow}
			c.Receive(ctx, &req.signal)
		})
		sel.Select(ctx)
		cancelTimer()
		if req != nil {
			q.state.Requested = req.kind
			q.log.Info("operator ended the cooldown", "request", req.kind, "userId", req.signal.UserID.String())
			return req
		}
		if fired {
			return nil
		}
	}
}

// finish carries out the end of the quarantine: the operator's request if
// any, else the chosen end action.
func (q *quarantine) finish(ctx workflow.Context, req *quarantineRequest) (string, error) {
	for {
		outcome := contract.QuarantineOutcomeReturnedToPool
		if q.in.EndAction == contract.QuarantineEndRelease {
			outcome = contract.QuarantineOutcomeReleased
		}
		fin := steps.QuarantineFinishInput{OrgID: q.in.OrgID, QuarantineID: q.in.QuarantineID, NumberID: q.in.NumberID, CorrelationID: q.in.CorrelationID}
		if req != nil {
			fin.ActorUserID, fin.Reason = req.signal.UserID, req.signal.Reason
			if req.signal.CorrelationID != "" {
				fin.CorrelationID = req.signal.CorrelationID
			}
			outcome = contract.QuarantineOutcomeReleased
			if req.kind == contract.SignalQuarantineRestore {
				outcome = contract.QuarantineOutcomeRestored
			}
		}
		fin.Outcome = outcome

		if outcome == contract.QuarantineOutcomeReleased {
			err := workflow.ExecuteActivity(q.providerCtx(ctx), steps.NumberReleaseAtProvider, steps.NumberReleaseAtProviderInput{
				OrgID: q.in.OrgID, NumberID: q.in.NumberID, CorrelationID: fin.CorrelationID,
			}).Get(ctx, nil)
			if err != nil {
				// The provider refused for good: tell the owner and wait for
				// a restore, or a release-now to try again.
				q.log.Error("release at the provider failed", "error", err)
				_ = workflow.ExecuteActivity(q.storeCtx(ctx), steps.QuarantineReleaseFailed, steps.QuarantineReleaseFailedInput{
					OrgID: q.in.OrgID, QuarantineID: q.in.QuarantineID, NumberID: q.in.NumberID, PhoneNumber: q.in.PhoneNumber,
					Reason: quarantineFailureMessage(err), CorrelationID: fin.CorrelationID,
				}).Get(ctx, nil)
				q.state.Phase = contract.QuarantinePhaseFinishing
				req = q.awaitOperator(ctx)
				continue
			}
		}
		if err := workflow.ExecuteActivity(q.storeCtx(ctx), steps.QuarantineFinish, fin).Get(ctx, nil); err != nil {
			return "", err
		}
		q.log.Info("quarantine finished", "outcome", outcome)
		return outcome, nil
	}
}

// awaitOperator waits, without a timer, for a restore or release-now.
func (q *quarantine) awaitOperator(ctx workflow.Context) *quarantineRequest {
	var req *quarantineRequest
	sel := workflow.NewSelector(ctx)
	sel.AddReceive(q.restoreCh, func(c workflow.ReceiveChannel, _ bool) {
		req = &quarantineRequest{kind: contract.SignalQuarantineRestore}
		c.Receive(ctx, &req.signal)
	})
	sel.AddReceive(q.releaseCh, func(c workflow.ReceiveChannel, _ bool) {
		req = &quarantineRequest{kind: contract.SignalQuarantineReleaseNow}
		c.Receive(ctx, &req.signal)
	})
	sel.Select(ctx)
	q.state.Requested = req.kind
	return req
}

// storeCtx is for activities that only touch the database: retried until
// it answers; permanent problems come back as non-retryable errors.
func (q *quarantine) storeCtx(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute},
	})
}

// providerCtx is for calls to the provider: a bounded number of tries, so a
// provider outage surfaces as an alert instead of retrying for ever.
func (q *quarantine) providerCtx(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: 2 * time.Second, BackoffCoefficient: 2, MaximumInterval: 5 * time.Minute, MaximumAttempts: 10},
	})
}

// quarantineFailureMessage is the plain-language message of an activity failure.
func quarantineFailureMessage(err error) string {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		return appErr.Message()
	}
	return "The provider could not be reached."
}
