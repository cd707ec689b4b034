package workflows

import (
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/platform/correlation"
	"github.com/snoutos/snout/workflows/steps"
)

// WindowWorkflow runs one assignment window (ID window-<windowID>):
//
//  1. wait until the window starts (a timer that edits move);
//  2. activate it: the stored status becomes active, which is what lets the
//     sitter see and answer the client's threads; if asked, text the client
//     who is caring for them;
//  3. wait until it ends (a timer that edits move);
//  4. deactivate it: the stored status becomes ended.
//
// The edit update changes times, sitter or note and re-arms the timer;
// the cancel update ends the window at once (cancelled). The settled
// update answers the creator once step 1 is armed or step 2 done.
func WindowWorkflow(ctx workflow.Context, in contract.WindowInput) (contract.WindowResult, error) {
	w := &window{in: in}
	if err := w.setup(ctx); err != nil {
		return contract.WindowResult{}, err
	}
	return w.run(ctx)
}

// window is one running window workflow.
type window struct {
	in      contract.WindowInput
	log     log.Logger
	state   contract.WindowState
	settled bool
	// requests carries accepted edits and cancels to the main loop.
	requests workflow.Channel
	// cancelling is set once a cancel is accepted: later edits are refused.
	cancelling bool
}

// windowRequest is an accepted edit or cancel waiting for its answer.
type windowRequest struct {
	edit   *contract.WindowEdit
	cancel *contract.WindowCancel
	state  contract.WindowState
	err    error
	done   bool
}

func (w *window) setup(ctx workflow.Context) error {
	in := w.in
	if in.OrgID == uuid.Nil || in.WindowID == uuid.Nil || in.SitterID == uuid.Nil || in.ClientID == uuid.Nil || !in.EndsAt.After(in.StartsAt) {
		return temporal.NewNonRetryableApplicationError("a window needs an org, a window, a sitter, a client and an end after its start", "InvalidWindowInput", nil)
	}
	w.log = log.With(workflow.GetLogger(ctx), "orgId", in.OrgID.String(), "windowId", in.WindowID.String(), "correlationId", correlation.FromWorkflow(ctx))
	w.state = contract.WindowState{WindowID: in.WindowID, Phase: contract.WindowPhaseScheduled, SitterID: in.SitterID, StartsAt: in.StartsAt, EndsAt: in.EndsAt}
	w.requests = workflow.NewBufferedChannel(ctx, 8)
	if err := workflow.SetQueryHandler(ctx, contract.QueryWindowState, func() (contract.WindowState, error) { return w.state, nil }); err != nil {
		return err
	}
	if err := workflow.SetUpdateHandler(ctx, contract.UpdateWindowSettled, func(ctx workflow.Context) (contract.WindowState, error) {
		if err := workflow.Await(ctx, func() bool { return w.settled }); err != nil {
			return contract.WindowState{}, err
		}
		return w.state, nil
	}); err != nil {
		return err
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, contract.UpdateWindowEdit, w.editHandler,
		workflow.UpdateHandlerOptions{Validator: w.validateEdit}); err != nil {
		return err
	}
	return workflow.SetUpdateHandlerWithOptions(ctx, contract.UpdateWindowCancel, w.cancelHandler,
		workflow.UpdateHandlerOptions{Validator: w.validateCancel})
}

func (w *window) finished() bool {
	return w.cancelling || w.state.Phase == contract.WindowPhaseEnded || w.state.Phase == contract.WindowPhaseCancelled
}

func (w *window) validateEdit(ctx workflow.Context, e contract.WindowEdit) error {
	switch {
	case w.finished():
		return temporal.NewNonRetryableApplicationError("This window has ended or been cancelled; create a new one instead.", contract.WindowErrFinished, nil)
	case e.SitterID == uuid.Nil:
		return temporal.NewNonRetryableApplicationError("Choose a sitter.", contract.WindowErrInvalidEdit, nil)
	case !e.EndsAt.After(e.StartsAt):
		return temporal.NewNonRetryableApplicationError("The window must end after it starts.", contract.WindowErrInvalidEdit, nil)
	case w.state.Phase == contract.WindowPhaseActive && e.StartsAt.After(workflow.Now(ctx)):
		return temporal.NewNonRetryableApplicationError(
			"This window has already started, so its start cannot move into the future. Change its end, or cancel it and create a new one.",
			contract.WindowErrInvalidEdit, nil)
	}
	return nil
}

func (w *window) validateCancel(contract.WindowCancel) error {
	if w.finished() {
		return temporal.NewNonRetryableApplicationError("This window has already ended or been cancelled.", contract.WindowErrFinished, nil)
	}
	return nil
}

func (w *window) editHandler(ctx workflow.Context, e contract.WindowEdit) (contract.WindowState, error) {
	return w.ask(ctx, &windowRequest{edit: &e})
}

func (w *window) cancelHandler(ctx workflow.Context, c contract.WindowCancel) (contract.WindowState, error) {
	w.cancelling = true
	return w.ask(ctx, &windowRequest{cancel: &c})
}

// ask hands a request to the main loop and waits for its answer.
func (w *window) ask(ctx workflow.Context, r *windowRequest) (contract.WindowState, error) {
	w.requests.Send(ctx, r)
	if err := workflow.Await(ctx, func() bool { return r.done }); err != nil {
		return contract.WindowState{}, err
	}
	return r.state, r.err
}

func (w *window) run(ctx workflow.Context) (contract.WindowResult, error) {
	for !w.finishedPhase() {
		now := workflow.Now(ctx)
		if w.state.Phase == contract.WindowPhaseScheduled && !now.Before(w.state.StartsAt) {
			if err := w.activate(ctx); err != nil {
				return contract.WindowResult{}, err
			}
			continue
		}
		if w.state.Phase == contract.WindowPhaseActive && !now.Before(w.state.EndsAt) {
			if err := w.setStatus(ctx, contract.WindowPhaseEnded, uuid.Nil, ""); err != nil {
				return contract.WindowResult{}, err
			}
			w.log.Info("window ended")
			break
		}
		w.settled = true
		deadline := w.state.EndsAt
		if w.state.Phase == contract.WindowPhaseScheduled {
			deadline = w.state.StartsAt
		}
		if req := w.wait(ctx, deadline.Sub(now)); req != nil {
			if err := w.handle(ctx, req); err != nil {
				return contract.WindowResult{}, err
			}
		}
	}
	w.settled = true
	w.refusePending()
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return contract.WindowResult{}, err
	}
	return contract.WindowResult{Outcome: w.state.Phase, FinishedAt: workflow.Now(ctx), Notified: w.state.Notified}, nil
}

func (w *window) finishedPhase() bool {
	return w.state.Phase == contract.WindowPhaseEnded || w.state.Phase == contract.WindowPhaseCancelled
}

// wait sleeps until d has passed or a request arrives (the updatable
// timer: the timer is cancelled and re-armed around each wake-up).
func (w *window) wait(ctx workflow.Context, d time.Duration) *windowRequest {
	timerCtx, cancelTimer := workflow.WithCancel(ctx)
	defer cancelTimer()
	var req *windowRequest
	sel := workflow.NewSelector(ctx)
	sel.AddFuture(workflow.NewTimer(timerCtx, d), func(workflow.Future) {})
	sel.AddReceive(w.requests, func(c workflow.ReceiveChannel, _ bool) { c.Receive(ctx, &req) })
	sel.Select(ctx)
	return req
}

// handle carries out an accepted edit or cancel and answers it.
func (w *window) handle(ctx workflow.Context, r *windowRequest) error {
	defer func() { r.done = true }()
	if r.cancel != nil {
		if err := w.setStatus(ctx, contract.WindowPhaseCancelled, r.cancel.UserID, r.cancel.Reason); err != nil {
			r.err = err
			return err
		}
		w.log.Info("window cancelled", "userId", r.cancel.UserID.String())
		r.state = w.state
		return nil
	}
	e := r.edit
	seq := w.state.Edits + 1
	err := workflow.ExecuteActivity(storeActivity(ctx), steps.WindowApplyEdit, steps.WindowApplyEditInput{
		OrgID: w.in.OrgID, WindowID: w.in.WindowID, SitterID: e.SitterID, StartsAt: e.StartsAt, EndsAt: e.EndsAt, Note: e.Note,
		ActorUserID: e.UserID, Seq: seq,
	}).Get(ctx, nil)
	if err != nil {
		// A refusal (an overlap) leaves the window as it was.
		r.err = err
		return nil
	}
	sitterChanged := e.SitterID != w.state.SitterID
	w.state.Edits = seq
	w.state.SitterID, w.state.StartsAt, w.state.EndsAt = e.SitterID, e.StartsAt, e.EndsAt
	w.log.Info("window edited", "startsAt", e.StartsAt, "endsAt", e.EndsAt, "sitterChanged", sitterChanged)
	if sitterChanged && e.NotifyClient && w.state.Phase == contract.WindowPhaseActive {
		w.notify(ctx, "edit-"+strconv.Itoa(seq))
	}
	r.state = w.state
	return nil
}

// activate marks the window active and, if asked, texts the client.
func (w *window) activate(ctx workflow.Context) error {
	if err := w.setStatus(ctx, contract.WindowPhaseActive, uuid.Nil, ""); err != nil {
		return err
	}
	w.log.Info("window started")
	if w.in.NotifyClient {
		w.notify(ctx, "start")
	}
	return nil
}

// notify texts the client who cares for them now. A text that cannot be
// sent is logged: the window itself goes on.
func (w *window) notify(ctx workflow.Context, key string) {
	var res steps.WindowNotifyResult
	err := workflow.ExecuteActivity(storeActivity(ctx), steps.WindowNotifyClient, steps.WindowNotifyInput{
		OrgID: w.in.OrgID, WindowID: w.in.WindowID, SitterID: w.state.SitterID, ClientID: w.in.ClientID,
		StartsAt: w.state.StartsAt, EndsAt: w.state.EndsAt, Key: key,
	}).Get(ctx, &res)
	switch {
	case err != nil:
		w.log.Warn("reassignment text not sent", "error", err)
	case res.Skipped:
		w.log.Info("reassignment text skipped", "reason", res.Reason)
	default:
		w.state.Notified++
	}
}

// setStatus writes the window's stored status, then the workflow's phase.
func (w *window) setStatus(ctx workflow.Context, status string, actor uuid.UUID, reason string) error {
	err := workflow.ExecuteActivity(storeActivity(ctx), windowStatusStep(status), steps.WindowStatusInput{
		OrgID: w.in.OrgID, WindowID: w.in.WindowID, Status: status, ActorUserID: actor, Reason: reason,
	}).Get(ctx, nil)
	if err != nil {
		w.log.Error("window status not stored", "status", status, "error", err)
		return fmt.Errorf("storing window status %s: %w", status, err)
	}
	w.state.Phase = status
	return nil
}

func windowStatusStep(status string) string {
	if status == contract.WindowPhaseActive {
		return steps.WindowActivate
	}
	return steps.WindowFinish
}

// refusePending answers requests that arrived as the window finished.
func (w *window) refusePending() {
	for {
		var r *windowRequest
		if !w.requests.ReceiveAsync(&r) {
			return
		}
		r.err = temporal.NewNonRetryableApplicationError("This window has already ended or been cancelled.", contract.WindowErrFinished, nil)
		r.done = true
	}
}

// storeActivity is for activities that only touch the database (and start
// a delivery): retried until they answer; refusals are non-retryable.
func storeActivity(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute},
	})
}
