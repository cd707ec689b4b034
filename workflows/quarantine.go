package workflows

import (
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/platform/correlation"
	"github.com/snoutos/snout/workflows/steps"
)

// quarantineNoticeBatchesChange versions the batching of client notices:
// one activity per batch of moved threads stores the notices and starts
// their deliveries, where earlier executions ran an activity and a child
// workflow per thread (thousands of threads came near the history limit).
const quarantineNoticeBatchesChange = "quarantine-notice-batches"

// QuarantineWorkflow runs one number's quarantine (ID quarantine-<numberID>):
//
//  1. mark the number quarantined and settle the replacement;
//  2. move its threads to the replacement, recording each move so that texts
//     still arriving at the old number during the cooldown reach the thread;
//  3. if asked, text each affected client from the new number (a pending
//     system message per thread, sent by its own DeliveryWorkflow), in
//     batches;
//  4. wait out the cooldown on a cancellable timer, or until a restore
//     (back in service early, threads stay moved) or release-now;
//  5. return the number to the pool or release it to the provider.
//
// The started update answers the caller who started the quarantine once
// step 2 is done; the restore and release-now updates answer once step 5
// is. The older signals are still taken. The "state" and "impact" queries
// report progress. If the provider refuses a release, an alert is raised
// and the workflow waits for an operator's restore or release-now (a new
// try).
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
	// requestCh carries accepted restore and release-now updates.
	requestCh workflow.Channel
	// claimed is the kind of the update being carried out; another is
	// refused until it is answered.
	claimed string
	// awaitingOperator: a release was refused and the workflow waits for a
	// restore or a new release-now.
	awaitingOperator bool
	// startErr is why the quarantine did not start, for the started update.
	startErr error
}

// quarantineRequest is an operator's restore or release-now, and which one
// it was.
type quarantineRequest struct {
	kind   string // SignalQuarantineRestore or SignalQuarantineReleaseNow
	signal contract.QuarantineSignal
	// update is set when the request came as an update that waits for
	// its answer.
	update *quarantineReply
}

// quarantineReply is an accepted update's answer, once done.
type quarantineReply struct {
	answer contract.QuarantineAnswer
	err    error
	done   bool
}

func (r *quarantineRequest) reply(answer contract.QuarantineAnswer, err error) {
	if r != nil && r.update != nil {
		r.update.answer, r.update.err, r.update.done = answer, err, true
	}
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
		"quarantineId", in.QuarantineID.String(), "correlationId", correlation.FromWorkflow(ctx))
	q.state = contract.QuarantineState{
		Phase: contract.QuarantinePhaseStarting, QuarantineID: in.QuarantineID, NumberID: in.NumberID, EndAction: in.EndAction,
		CooldownEndsAt: workflow.Now(ctx).Add(in.Cooldown), Impact: contract.QuarantineImpact{Moves: []contract.QuarantineMove{}},
	}
	q.restoreCh = workflow.GetSignalChannel(ctx, contract.SignalQuarantineRestore)
	q.releaseCh = workflow.GetSignalChannel(ctx, contract.SignalQuarantineReleaseNow)
	q.requestCh = workflow.NewBufferedChannel(ctx, 1)
	if err := workflow.SetQueryHandler(ctx, contract.QueryQuarantineState, func() (contract.QuarantineState, error) { return q.state, nil }); err != nil {
		return err
	}
	if err := workflow.SetQueryHandler(ctx, contract.QueryQuarantineImpact, func() (contract.QuarantineImpact, error) { return q.state.Impact, nil }); err != nil {
		return err
	}
	// The updates add no command of their own (an accepted restore or
	// release-now leads to the same activities as the signals), so every
	// execution registers them.
	if err := workflow.SetUpdateHandlerWithOptions(ctx, contract.UpdateQuarantineStarted, q.started,
		workflow.UpdateHandlerOptions{Validator: q.validateStarted}); err != nil {
		return err
	}
	for _, u := range []struct{ name, kind string }{
		{contract.UpdateQuarantineRestore, contract.SignalQuarantineRestore},
		{contract.UpdateQuarantineReleaseNow, contract.SignalQuarantineReleaseNow},
	} {
		kind := u.kind
		err := workflow.SetUpdateHandlerWithOptions(ctx, u.name,
			func(ctx workflow.Context, s contract.QuarantineSignal) (contract.QuarantineAnswer, error) {
				return q.decide(ctx, kind, s)
			},
			workflow.UpdateHandlerOptions{Validator: func(contract.QuarantineSignal) error { return q.decisionRefusal() }})
		if err != nil {
			return err
		}
	}
	return nil
}

// validateStarted refuses the started update of another quarantine: the
// number is already in this one.
func (q *quarantine) validateStarted(r contract.QuarantineStartRequest) error {
	if r.QuarantineID != q.in.QuarantineID {
		return temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("This number is already in quarantine until %s.", q.state.CooldownEndsAt.UTC().Format("Jan 2, 2006")),
			contract.QuarantineErrOtherQuarantine, nil)
	}
	return nil
}

// started answers once the threads have moved and the cooldown runs, or
// with the reason the quarantine could not start.
func (q *quarantine) started(ctx workflow.Context, _ contract.QuarantineStartRequest) (contract.QuarantineState, error) {
	err := workflow.Await(ctx, func() bool {
		switch q.state.Phase {
		case contract.QuarantinePhaseCoolingDown, contract.QuarantinePhaseFinishing, contract.QuarantinePhaseDone:
			return true
		}
		return q.startErr != nil
	})
	if err != nil {
		return contract.QuarantineState{}, err
	}
	if q.startErr != nil {
		return contract.QuarantineState{}, q.startErr
	}
	return q.state, nil
}

// decisionRefusal says why a restore or release-now cannot be taken now,
// or nil. It reads state only (it is also the updates' validator).
func (q *quarantine) decisionRefusal() error {
	requested := q.claimed
	if requested == "" && !q.awaitingOperator {
		requested = q.state.Requested
	}
	switch {
	case q.startErr != nil:
		return temporal.NewNonRetryableApplicationError("This quarantine did not start.", contract.QuarantineErrFinished, nil)
	case requested == contract.SignalQuarantineRestore:
		return temporal.NewNonRetryableApplicationError("Someone already asked to restore this number a moment ago.", contract.QuarantineErrAlreadyRequested, nil)
	case requested == contract.SignalQuarantineReleaseNow:
		return temporal.NewNonRetryableApplicationError("Someone already asked to release this number a moment ago.", contract.QuarantineErrAlreadyRequested, nil)
	case q.state.Phase == contract.QuarantinePhaseDone:
		return temporal.NewNonRetryableApplicationError("This quarantine is over.", contract.QuarantineErrFinished, nil)
	case q.state.Phase == contract.QuarantinePhaseFinishing && !q.awaitingOperator:
		return temporal.NewNonRetryableApplicationError("The cooldown has ended and the quarantine is finishing. Reload in a moment.", contract.QuarantineErrFinished, nil)
	}
	return nil
}

// decide is the body of the restore and release-now updates: it claims
// the decision (check and claim run without yielding, so of two crossed
// clicks exactly one gets here), hands it to the main loop and waits for
// the answer.
func (q *quarantine) decide(ctx workflow.Context, kind string, s contract.QuarantineSignal) (contract.QuarantineAnswer, error) {
	if err := q.decisionRefusal(); err != nil {
		return contract.QuarantineAnswer{}, err
	}
	q.claimed = kind
	req := &quarantineRequest{kind: kind, signal: s, update: &quarantineReply{}}
	q.requestCh.Send(ctx, req)
	if err := workflow.Await(ctx, func() bool { return req.update.done }); err != nil {
		return contract.QuarantineAnswer{}, err
	}
	return req.update.answer, req.update.err
}

// refusePending answers every update still waiting in requestCh with err.
func (q *quarantine) refusePending(err error) {
	for {
		var req *quarantineRequest
		if !q.requestCh.ReceiveAsync(&req) {
			return
		}
		req.reply(contract.QuarantineAnswer{}, err)
		q.claimed = ""
	}
}

// failStart records why the quarantine could not start, answers whoever
// waits for it, and returns err once every handler is done.
func (q *quarantine) failStart(ctx workflow.Context, err error) (contract.QuarantineResult, error) {
	q.startErr = temporal.NewNonRetryableApplicationError("The quarantine could not start.", "QuarantineStartFailed", nil)
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) && appErr.Message() != "" {
		q.startErr = temporal.NewNonRetryableApplicationError(appErr.Message(), appErr.Type(), nil)
	}
	q.refusePending(q.startErr)
	if werr := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); werr != nil {
		return contract.QuarantineResult{}, werr
	}
	return contract.QuarantineResult{}, err
}

func (q *quarantine) run(ctx workflow.Context) (contract.QuarantineResult, error) {
	in := q.in
	started := workflow.Now(ctx)

	var begun steps.QuarantineBeginResult
	err := workflow.ExecuteActivity(q.storeCtx(ctx), steps.QuarantineBegin, steps.QuarantineBeginInput{
		OrgID: in.OrgID, QuarantineID: in.QuarantineID, NumberID: in.NumberID, ReplacementNumberID: in.ReplacementNumberID,
		Avoid: in.Avoid, EndAction: in.EndAction, NotifyClients: in.NotifyClients, Reason: in.Reason, StartedAt: started,
		CooldownEndsAt: q.state.CooldownEndsAt, ActorUserID: in.ActorUserID,
	}).Get(ctx, &begun)
	if err != nil {
		q.log.Error("quarantine could not start", "error", err)
		return q.failStart(ctx, err)
	}

	q.state.Phase = contract.QuarantinePhaseMoving
	var moved steps.QuarantineMoveThreadsResult
	err = workflow.ExecuteActivity(q.storeCtx(ctx), steps.QuarantineMoveThreads, steps.QuarantineMoveThreadsInput{
		OrgID: in.OrgID, QuarantineID: in.QuarantineID, NumberID: in.NumberID, Targets: begun.Targets,
	}).Get(ctx, &moved)
	if err != nil {
		return q.failStart(ctx, err)
	}
	q.state.Impact.Moves = append(q.state.Impact.Moves, moved.Moves...)
	q.state.Impact.Stuck = moved.Stuck
	q.log.Info("threads moved", "moved", len(moved.Moves), "stuck", len(moved.Stuck))

	if in.NotifyClients {
		q.state.Phase = contract.QuarantinePhaseNotifying
		if workflow.GetVersion(ctx, quarantineNoticeBatchesChange, workflow.DefaultVersion, 1) == 1 {
			q.notifyInBatches(ctx)
		} else {
			q.notifyClients(ctx)
		}
	}

	q.state.Phase = contract.QuarantinePhaseCoolingDown
	req := q.coolDown(ctx)

	q.state.Phase = contract.QuarantinePhaseFinishing
	outcome, req, err := q.finish(ctx, req)
	if err != nil {
		return contract.QuarantineResult{}, err
	}
	q.state.Phase, q.state.Outcome = contract.QuarantinePhaseDone, outcome
	req.reply(contract.QuarantineAnswer{Outcome: outcome, State: q.state}, nil)
	q.claimed = ""
	q.refusePending(q.decisionRefusal())
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return contract.QuarantineResult{}, err
	}
	return contract.QuarantineResult{Outcome: outcome, Impact: q.state.Impact, FinishedAt: workflow.Now(ctx)}, nil
}

// notifyInBatches has each batch of moved threads' notices stored and
// their deliveries started by one activity. A batch that fails is counted
// as skipped: the quarantine itself must go on.
func (q *quarantine) notifyInBatches(ctx workflow.Context) {
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 5 * time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute, MaximumAttempts: 20},
	})
	moves := q.state.Impact.Moves
	for start := 0; start < len(moves); start += steps.QuarantineNoticeBatch {
		batch := moves[start:min(start+steps.QuarantineNoticeBatch, len(moves))]
		ids := make([]uuid.UUID, 0, len(batch))
		for _, m := range batch {
			ids = append(ids, m.ThreadID)
		}
		var res steps.QuarantineSendNoticesResult
		err := workflow.ExecuteActivity(actx, steps.QuarantineSendNotices, steps.QuarantineSendNoticesInput{
			OrgID: q.in.OrgID, QuarantineID: q.in.QuarantineID, ThreadIDs: ids, OldE164: q.in.PhoneNumber,
			CooldownEndsAt: q.state.CooldownEndsAt,
		}).Get(ctx, &res)
		if err != nil {
			q.log.Warn("client notices not sent", "threads", len(ids), "error", err)
			q.state.Impact.NoticesSkipped += len(ids)
			continue
		}
		q.state.Impact.ClientsNotified += res.Notified
		q.state.Impact.NoticesSkipped += res.Skipped
	}
	q.log.Info("client notices sent", "notified", q.state.Impact.ClientsNotified, "skipped", q.state.Impact.NoticesSkipped)
}

// notifyClients stores a notice in each moved thread and starts its
// delivery as a child workflow: executions started before
// quarantineNoticeBatchesChange. A notice that cannot be prepared is
// logged and skipped: the quarantine itself must go on.
func (q *quarantine) notifyClients(ctx workflow.Context) {
	for _, m := range q.state.Impact.Moves {
		var notice steps.QuarantineNoticeResult
		err := workflow.ExecuteActivity(q.storeCtx(ctx), steps.QuarantinePrepareNotice, steps.QuarantineNoticeInput{
			OrgID: q.in.OrgID, QuarantineID: q.in.QuarantineID, ThreadID: m.ThreadID, OldE164: q.in.PhoneNumber,
			CooldownEndsAt: q.state.CooldownEndsAt,
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
			OrgID: q.in.OrgID, MessageID: notice.MessageID,
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

// coolDown waits until the cooldown ends or an operator asks. The timer
// is cancelled and re-armed around each wake-up (the updatable-timer
// pattern), so the end time can move without replaying the wait.
func (q *quarantine) coolDown(ctx workflow.Context) *quarantineRequest {
	for {
		remaining := q.state.CooldownEndsAt.Sub(workflow.Now(ctx))
		if remaining <= 0 {
			return q.takeRequested()
		}
		timerCtx, cancelTimer := workflow.WithCancel(ctx)
		timer := workflow.NewTimer(timerCtx, remaining)
		fired := false
		sel := workflow.NewSelector(ctx)
		sel.AddFuture(timer, func(f workflow.Future) { fired = f.Get(ctx, nil) == nil })
		req := q.addRequests(ctx, sel)
		sel.Select(ctx)
		cancelTimer()
		if *req != nil {
			q.state.Requested = (*req).kind
			q.log.Info("operator ended the cooldown", "request", (*req).kind, "userId", (*req).signal.UserID.String())
			return *req
		}
		if fired {
			return q.takeRequested()
		}
	}
}

// takeRequested returns an update that came in as the cooldown ended (it
// wins over the end action), or nil.
func (q *quarantine) takeRequested() *quarantineRequest {
	var req *quarantineRequest
	if !q.requestCh.ReceiveAsync(&req) {
		return nil
	}
	q.state.Requested = req.kind
	return req
}

// addRequests makes sel take an operator's request (update or signal)
// into the returned pointer.
func (q *quarantine) addRequests(ctx workflow.Context, sel workflow.Selector) **quarantineRequest {
	var req *quarantineRequest
	sel.AddReceive(q.requestCh, func(c workflow.ReceiveChannel, _ bool) {
		c.Receive(ctx, &req)
	})
	sel.AddReceive(q.restoreCh, func(c workflow.ReceiveChannel, _ bool) {
		req = &quarantineRequest{kind: contract.SignalQuarantineRestore}
		c.Receive(ctx, &req.signal)
	})
	sel.AddReceive(q.releaseCh, func(c workflow.ReceiveChannel, _ bool) {
		req = &quarantineRequest{kind: contract.SignalQuarantineReleaseNow}
		c.Receive(ctx, &req.signal)
	})
	return &req
}

// finish carries out the end of the quarantine: the operator's request if
// any, else the chosen end action. It returns the request it carried out
// last (nil for the end action), to be answered.
func (q *quarantine) finish(ctx workflow.Context, req *quarantineRequest) (string, *quarantineRequest, error) {
	for {
		outcome := contract.QuarantineOutcomeReturnedToPool
		if q.in.EndAction == contract.QuarantineEndRelease {
			outcome = contract.QuarantineOutcomeReleased
		}
		fin := steps.QuarantineFinishInput{OrgID: q.in.OrgID, QuarantineID: q.in.QuarantineID, NumberID: q.in.NumberID}
		if req != nil {
			fin.ActorUserID, fin.Reason = req.signal.UserID, req.signal.Reason
			if req.signal.CorrelationID != "" {
				ctx = correlation.WithWorkflow(ctx, req.signal.CorrelationID) // the operator's request
			}
			outcome = contract.QuarantineOutcomeReleased
			if req.kind == contract.SignalQuarantineRestore {
				outcome = contract.QuarantineOutcomeRestored
			}
		}
		fin.Outcome = outcome

		if outcome == contract.QuarantineOutcomeReleased {
			err := workflow.ExecuteActivity(q.providerCtx(ctx), steps.NumberReleaseAtProvider, steps.NumberReleaseAtProviderInput{
				OrgID: q.in.OrgID, NumberID: q.in.NumberID,
			}).Get(ctx, nil)
			if err != nil {
				// The provider refused for good: tell the owner and wait for
				// a restore, or a release-now to try again.
				q.log.Error("release at the provider failed", "error", err)
				reason := quarantineFailureMessage(err)
				_ = workflow.ExecuteActivity(q.storeCtx(ctx), steps.QuarantineReleaseFailed, steps.QuarantineReleaseFailedInput{
					OrgID: q.in.OrgID, QuarantineID: q.in.QuarantineID, NumberID: q.in.NumberID, PhoneNumber: q.in.PhoneNumber,
					Reason: reason,
				}).Get(ctx, nil)
				q.state.Phase = contract.QuarantinePhaseFinishing
				q.awaitingOperator, q.claimed = true, ""
				req.reply(contract.QuarantineAnswer{}, temporal.NewNonRetryableApplicationError(
					reason+" The number stays in quarantine: restore it, or release it again once the cause is fixed.",
					contract.QuarantineErrReleaseRefused, nil))
				req = q.awaitOperator(ctx)
				q.awaitingOperator = false
				continue
			}
		}
		if err := workflow.ExecuteActivity(q.storeCtx(ctx), steps.QuarantineFinish, fin).Get(ctx, nil); err != nil {
			return "", req, err
		}
		q.log.Info("quarantine finished", "outcome", outcome)
		return outcome, req, nil
	}
}

// awaitOperator waits, without a timer, for a restore or release-now.
func (q *quarantine) awaitOperator(ctx workflow.Context) *quarantineRequest {
	sel := workflow.NewSelector(ctx)
	req := q.addRequests(ctx, sel)
	sel.Select(ctx)
	q.state.Requested = (*req).kind
	return *req
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
