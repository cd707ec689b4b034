package workflows

import (
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/domain/message"
	"github.com/snoutos/snout/internal/platform/correlation"
	"github.com/snoutos/snout/workflows/steps"
)

const (
	// deliveryAttemptBudget is how many sends one round of delivery makes
	// at most, counting sends the provider refused with a temporary error
	// and sends that came back undelivered with a temporary code.
	deliveryAttemptBudget = 3
	// deliveryRetryBackoff is the first pause before an automatic resend;
	// it doubles for each further attempt of the round.
	deliveryRetryBackoff = 2 * time.Second
	// deliveryStatusChecks is how many times the workflow asks the provider
	// for the status when callbacks do not bring a final one. The wait
	// doubles after each check.
	deliveryStatusChecks = 3
	// defaultDeliveryStatusWait applies until the first send reports the
	// worker's configured wait.
	defaultDeliveryStatusWait = 2 * time.Minute
	// defaultDeadLetterOpenFor applies when the dead-letter activity does
	// not report the worker's SNOUT_DEAD_LETTER_EXPIRY.
	defaultDeadLetterOpenFor = 14 * 24 * time.Hour
)

// deliveryDeadLetterExpiryChange versions the dead letter's expiry: an
// execution dead-lettered under it waits for the owner at most the
// configured period, then closes as discarded. Executions that were
// already waiting when it shipped keep waiting without a timer.
const deliveryDeadLetterExpiryChange = "delivery-dead-letter-expiry"

// DeliveryWorkflow delivers one outbound message (ID delivery-<messageID>).
//
// It sends through the provider (activity retries for network and
// temporary provider errors; permanent errors end the round at once),
// then waits for status callbacks delivered as signals, applying each one
// forward-only, and asks the provider itself when no final status arrives
// in time. An undelivered status with a temporary code is sent again as a
// new attempt, within the same budget of three. When the round fails the
// message is dead-lettered with an alert, and the workflow waits for the
// owner to retry (a new round, first attempt "manual") or discard it —
// the dead-letter updates, which answer once that is done and refuse a
// second, crossed click — or, after the configured period, discards it
// itself as expired.
func DeliveryWorkflow(ctx workflow.Context, in contract.DeliveryInput) (contract.DeliveryState, error) {
	w := &delivery{in: in}
	if err := w.setup(ctx); err != nil {
		return contract.DeliveryState{}, err
	}
	return w.run(ctx)
}

// delivery is one running delivery workflow.
type delivery struct {
	in        contract.DeliveryInput
	log       log.Logger
	state     deliveryProgress
	statusCh  workflow.ReceiveChannel
	retryCh   workflow.ReceiveChannel
	discardCh workflow.ReceiveChannel
	// ownerCh carries accepted dead-letter updates to the main loop.
	ownerCh workflow.Channel
	// claim is the decision ("retry" or "discard") an accepted update is
	// carrying out; a second one is refused until it is answered.
	claim string
	// finished: the workflow is about to close (delivered or discarded).
	finished bool
}

// deliveryProgress is the workflow's whole state (serializable).
type deliveryProgress struct {
	// Status of the current attempt, or "discarded".
	Status string `json:"status"`
	// Attempt is the number of the latest attempt (0 before the first).
	Attempt     int    `json:"attempt"`
	ProviderSID string `json:"providerSid,omitempty"`
	ErrorCode   int    `json:"errorCode,omitempty"`
	Reason      string `json:"reason,omitempty"`
	// Retryable: the current failure may clear up on its own.
	Retryable bool `json:"retryable"`
	// NeedsFix: the current failure is the account's or its setup's.
	NeedsFix     bool          `json:"needsFix"`
	DeadLettered bool          `json:"deadLettered"`
	StatusWait   time.Duration `json:"statusWait"`
	// OpenFor is how long the current dead letter waits for the owner, and
	// ExpiresAt when it is discarded unless someone acts (zero: no expiry).
	OpenFor   time.Duration `json:"openFor,omitempty"`
	ExpiresAt time.Time     `json:"expiresAt,omitzero"`
	Expired   bool          `json:"expired,omitempty"`
	// Sends are the attempts the provider accepted, to apply late
	// callbacks about earlier attempts to the right one.
	Sends []deliverySend `json:"sends"`
}

type deliverySend struct {
	Attempt int    `json:"attempt"`
	SID     string `json:"sid"`
	Status  string `json:"status"`
}

// ownerRequest is an accepted dead-letter update waiting for its answer.
type ownerRequest struct {
	retry   *contract.RetrySignal
	discard *contract.DiscardSignal
	answer  contract.DeadLetterAnswer
	err     error
	done    bool
}

func (r *ownerRequest) reply(answer contract.DeadLetterAnswer, err error) {
	r.answer, r.err, r.done = answer, err, true
}

// ownerChoice is what ended a dead-letter wait.
type ownerChoice struct {
	retry     *contract.RetrySignal
	discard   *contract.DiscardSignal
	request   *ownerRequest // the update that asked, nil for a signal
	delivered bool          // a late callback said the last attempt got through
	expired   bool          // nobody acted within the dead letter's period
}

func (w *delivery) setup(ctx workflow.Context) error {
	if w.in.OrgID == uuid.Nil || w.in.MessageID == uuid.Nil {
		return temporal.NewNonRetryableApplicationError("delivery needs an org ID and a message ID", "InvalidDeliveryInput", nil)
	}
	w.log = log.With(workflow.GetLogger(ctx), "orgId", w.in.OrgID.String(), "messageId", w.in.MessageID.String(), "correlationId", correlation.FromWorkflow(ctx))
	w.state = deliveryProgress{Status: "pending", StatusWait: defaultDeliveryStatusWait}
	w.statusCh = workflow.GetSignalChannel(ctx, contract.SignalDeliveryStatus)
	w.retryCh = workflow.GetSignalChannel(ctx, contract.SignalDeliveryRetry)
	w.discardCh = workflow.GetSignalChannel(ctx, contract.SignalDeliveryDiscard)
	w.ownerCh = workflow.NewBufferedChannel(ctx, 1)
	if err := workflow.SetQueryHandler(ctx, contract.QueryDeliveryState, func() (contract.DeliveryState, error) { return w.snapshot(), nil }); err != nil {
		return err
	}
	// The updates add no command of their own (an accepted one leads to
	// the same activities as the older signals), so they are registered on
	// every execution, including those started before they existed.
	if err := workflow.SetUpdateHandlerWithOptions(ctx, contract.UpdateDeadLetterRetry,
		func(ctx workflow.Context, s contract.RetrySignal) (contract.DeadLetterAnswer, error) {
			return w.decide(ctx, &ownerRequest{retry: &s}, "retry")
		},
		workflow.UpdateHandlerOptions{Validator: func(contract.RetrySignal) error { return w.ownerRefusal() }}); err != nil {
		return err
	}
	return workflow.SetUpdateHandlerWithOptions(ctx, contract.UpdateDeadLetterDiscard,
		func(ctx workflow.Context, s contract.DiscardSignal) (contract.DeadLetterAnswer, error) {
			return w.decide(ctx, &ownerRequest{discard: &s}, "discard")
		},
		workflow.UpdateHandlerOptions{Validator: func(contract.DiscardSignal) error { return w.ownerRefusal() }})
}

// ownerRefusal says why a retry or discard cannot be taken now, or nil.
// It reads state only (it is also the updates' validator).
func (w *delivery) ownerRefusal() error {
	switch {
	case w.claim != "":
		return temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("Someone else already chose to %s this message a moment ago.", w.claim), contract.DeadLetterErrAlreadyDecided, nil)
	case w.state.Expired:
		return notDeadLettered("This message expired and was discarded.")
	case w.state.Status == "discarded":
		return notDeadLettered("This message was discarded.")
	case w.finished || !w.state.DeadLettered && isDelivered(w.state.Status):
		return notDeadLettered("This message was delivered.")
	case !w.state.DeadLettered:
		return notDeadLettered("This message isn't in the dead-letter list: it is being sent.")
	}
	return nil
}

func notDeadLettered(msg string) error {
	return temporal.NewNonRetryableApplicationError(msg, contract.DeadLetterErrNotDeadLettered, nil)
}

// decide is the body of both dead-letter updates: it claims the decision
// (the check and the claim run without yielding, so of two crossed clicks
// exactly one gets here), hands it to the main loop and waits for the
// answer.
func (w *delivery) decide(ctx workflow.Context, req *ownerRequest, word string) (contract.DeadLetterAnswer, error) {
	if err := w.ownerRefusal(); err != nil {
		return contract.DeadLetterAnswer{}, err
	}
	w.claim = word
	w.ownerCh.Send(ctx, req)
	if err := workflow.Await(ctx, func() bool { return req.done }); err != nil {
		return contract.DeadLetterAnswer{}, err
	}
	return req.answer, req.err
}

// refusePending answers every update still waiting in ownerCh with err:
// its decision was overtaken (a crossed signal, a late delivery report,
// the expiry).
func (w *delivery) refusePending(ctx workflow.Context, err error) {
	for {
		var req *ownerRequest
		if !w.ownerCh.ReceiveAsync(&req) {
			return
		}
		req.reply(contract.DeadLetterAnswer{}, err)
		w.claim = ""
	}
}

func (w *delivery) run(ctx workflow.Context) (contract.DeliveryState, error) {
	if err := w.deliver(ctx); err != nil {
		return w.snapshot(), err
	}
	w.finished = true
	w.refusePending(ctx, w.ownerRefusal())
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return w.snapshot(), err
	}
	w.log.Info("delivery finished", "status", w.state.Status, "attempts", w.state.Attempt)
	return w.snapshot(), nil
}

// deliver sends until the message is delivered or discarded.
func (w *delivery) deliver(ctx workflow.Context) error {
	trigger := message.TriggerAutomatic
	recovering := false
	for {
		delivered, err := w.deliverRound(ctx, trigger)
		if err != nil {
			return err
		}
		if delivered {
			if recovering {
				if err := w.recovered(ctx); err != nil {
					return err
				}
			}
			w.drainStatus(ctx)
			return nil
		}
		if err := w.deadLetter(ctx); err != nil {
			return err
		}
		choice := w.awaitOwner(ctx)
		switch {
		case choice.delivered:
			w.refusePending(ctx, notDeadLettered("A late report from Twilio says this text was delivered after all."))
			if err := w.recovered(ctx); err != nil {
				return err
			}
			w.drainStatus(ctx)
			return nil
		case choice.expired:
			w.refusePending(ctx, notDeadLettered("This message expired and was discarded."))
			return w.expire(ctx)
		case choice.discard != nil:
			w.refusePending(ctx, temporal.NewNonRetryableApplicationError("Someone else already chose to discard this message a moment ago.", contract.DeadLetterErrAlreadyDecided, nil))
			if err := w.discard(ctx, *choice.discard); err != nil {
				return err
			}
			if choice.request != nil {
				choice.request.reply(contract.DeadLetterAnswer{Outcome: contract.DeadLetterDiscarded, State: w.snapshot()}, nil)
			}
			return nil
		default:
			w.refusePending(ctx, temporal.NewNonRetryableApplicationError("Someone else already chose to retry this message a moment ago.", contract.DeadLetterErrAlreadyDecided, nil))
			if err := w.resend(ctx, *choice.retry); err != nil {
				return err
			}
			if choice.request != nil {
				w.claim = ""
				choice.request.reply(contract.DeadLetterAnswer{Outcome: contract.DeadLetterRetrying, Attempt: w.state.Attempt + 1, State: w.snapshot()}, nil)
			}
			trigger, recovering = message.TriggerManual, true
		}
	}
}

// deliverRound sends until the message is delivered (true), or fails for
// good or exhausts the attempt budget (false).
func (w *delivery) deliverRound(ctx workflow.Context, trigger string) (bool, error) {
	budget := deliveryAttemptBudget
	for {
		first := w.state.Attempt + 1
		res, failure, err := w.send(ctx, first, trigger, budget)
		if err != nil {
			return false, err
		}
		if failure != nil {
			w.state.Attempt = max(w.state.Attempt, failure.Attempt)
			w.state.Status, w.state.ProviderSID = "failed", ""
			w.state.ErrorCode, w.state.Reason = failure.Code, failure.Reason
			w.state.Retryable, w.state.NeedsFix = false, failure.Type == steps.DeliveryNeedsFix
			w.log.Warn("send failed", "attempt", w.state.Attempt, "errorCode", failure.Code, "failureType", failure.Type)
			return false, nil
		}
		// An adopted send (the provider had it from an attempt whose answer
		// was lost) may carry an earlier attempt's number: it uses no budget.
		budget -= max(res.Attempt-first+1, 0)
		w.state.Attempt, w.state.ProviderSID, w.state.Status = max(w.state.Attempt, res.Attempt), res.ProviderSID, res.Status
		w.state.ErrorCode, w.state.Reason, w.state.Retryable, w.state.NeedsFix = 0, "", false, false
		if res.StatusWait > 0 {
			w.state.StatusWait = res.StatusWait
		}
		w.state.Sends = append(w.state.Sends, deliverySend{Attempt: res.Attempt, SID: res.ProviderSID, Status: res.Status})
		w.log.Info("provider accepted the text", "attempt", res.Attempt, "providerSid", res.ProviderSID)

		w.awaitFinalStatus(ctx)
		switch status := w.state.Status; {
		case isDelivered(status):
			return true, nil
		case status == "sent":
			// Accepted by the carrier and no delivery report after every
			// check: as far as anyone will ever know, it went out.
			return true, nil
		case !contract.IsFinalStatus(status):
			w.state.Reason = "Twilio never confirmed that the text went out (it is still " + status + ")."
			return false, nil
		case w.state.Retryable && budget > 0:
			used := deliveryAttemptBudget - budget
			pause := deliveryRetryBackoff << (used - 1)
			w.log.Info("temporary delivery failure; sending again", "attempt", w.state.Attempt, "errorCode", w.state.ErrorCode, "pause", pause)
			if err := workflow.Sleep(ctx, pause); err != nil {
				return false, err
			}
			trigger = message.TriggerAutomatic
		default:
			return false, nil
		}
	}
}

// send runs the send activity for attempts first… (up to budget runs). A
// failed send comes back as failure, not err; err is only cancellation.
func (w *delivery) send(ctx workflow.Context, first int, trigger string, budget int) (steps.DeliverySendResult, *steps.DeliveryFailure, error) {
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 45 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:        deliveryRetryBackoff,
			BackoffCoefficient:     2,
			MaximumInterval:        time.Minute,
			MaximumAttempts:        int32(budget),
			NonRetryableErrorTypes: steps.DeliveryNonRetryable,
		},
	})
	var res steps.DeliverySendResult
	err := workflow.ExecuteActivity(actx, steps.DeliverySend, steps.DeliverySendInput{
		OrgID: w.in.OrgID, MessageID: w.in.MessageID, FirstAttempt: first, Trigger: trigger,
	}).Get(ctx, &res)
	if err == nil {
		return res, nil, nil
	}
	if temporal.IsCanceledError(err) {
		return res, nil, err
	}
	// The last run's failure, or (timeouts) every run used without one.
	failure := &steps.DeliveryFailure{
		Attempt: first + budget - 1, Type: steps.DeliveryTransient,
		Reason: "Twilio didn't answer in time, so the text may not have been sent.",
	}
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) && appErr.HasDetails() {
		var f steps.DeliveryFailure
		if appErr.Details(&f) == nil {
			failure = &f
		}
	}
	return res, failure, nil
}

// awaitFinalStatus applies status signals until the current attempt has a
// final status, asking the provider when none comes within the wait.
func (w *delivery) awaitFinalStatus(ctx workflow.Context) {
	wait := w.state.StatusWait
	for check := 1; ; check++ {
		if contract.IsFinalStatus(w.state.Status) {
			return
		}
		timerCtx, cancelTimer := workflow.WithCancel(ctx)
		timer := workflow.NewTimer(timerCtx, wait)
		expired := false
		for !expired && !contract.IsFinalStatus(w.state.Status) {
			var sig *contract.StatusSignal
			sel := workflow.NewSelector(ctx)
			sel.AddFuture(timer, func(workflow.Future) { expired = true })
			sel.AddReceive(w.statusCh, func(c workflow.ReceiveChannel, _ bool) {
				var s contract.StatusSignal
				c.Receive(ctx, &s)
				sig = &s
			})
			w.ignoreOwnerSignals(ctx, sel)
			sel.Select(ctx)
			if sig != nil {
				w.applyStatus(ctx, *sig)
			}
		}
		cancelTimer()
		if contract.IsFinalStatus(w.state.Status) {
			return
		}
		w.fetchStatus(ctx)
		if contract.IsFinalStatus(w.state.Status) || check >= deliveryStatusChecks {
			return
		}
		wait *= 2
	}
}

// ignoreOwnerSignals drops retry and discard requests that arrive while
// the message is not dead-lettered (the API refuses them then; this is the
// race where two clicks crossed).
func (w *delivery) ignoreOwnerSignals(ctx workflow.Context, sel workflow.Selector) {
	sel.AddReceive(w.retryCh, func(c workflow.ReceiveChannel, _ bool) {
		var s contract.RetrySignal
		c.Receive(ctx, &s)
		w.log.Warn("retry ignored: the message is not dead-lettered", "userId", s.UserID.String())
	})
	sel.AddReceive(w.discardCh, func(c workflow.ReceiveChannel, _ bool) {
		var s contract.DiscardSignal
		c.Receive(ctx, &s)
		w.log.Warn("discard ignored: the message is not dead-lettered", "userId", s.UserID.String())
	})
}

// applyStatus applies one callback forward-only: a status no further than
// the attempt's current one (a repeat, or "sent" after "delivered") is
// ignored; a callback about an earlier attempt updates only that attempt.
func (w *delivery) applyStatus(ctx workflow.Context, sig contract.StatusSignal) {
	i := w.findSend(sig.MessageSID)
	if i < 0 {
		w.log.Warn("status for an unknown provider SID ignored", "providerSid", sig.MessageSID, "status", sig.Status)
		return
	}
	if contract.StatusRank(sig.Status) <= contract.StatusRank(w.state.Sends[i].Status) {
		w.log.Debug("status ignored: not a step forward", "providerSid", sig.MessageSID, "status", sig.Status, "current", w.state.Sends[i].Status)
		return
	}
	at := sig.ReceivedAt
	if at.IsZero() {
		at = workflow.Now(ctx)
	}
	var res steps.DeliveryStatusResult
	err := workflow.ExecuteActivity(w.storeCtx(ctx), steps.DeliveryApplyStatus, steps.DeliveryStatusInput{
		OrgID: w.in.OrgID, MessageID: w.in.MessageID, ProviderSID: sig.MessageSID, Status: sig.Status,
		ErrorCode: sig.ErrorCode, At: at,
	}).Get(ctx, &res)
	if err != nil {
		w.log.Error("applying a status failed", "providerSid", sig.MessageSID, "status", sig.Status, "error", err)
		return
	}
	w.recordStatus(i, sig.Status, res)
}

// fetchStatus asks the provider for the current attempt's status.
func (w *delivery) fetchStatus(ctx workflow.Context) {
	i := w.findSend(w.state.ProviderSID)
	if i < 0 {
		return
	}
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: 30 * time.Second, MaximumAttempts: 5},
	})
	var res steps.DeliveryStatusResult
	err := workflow.ExecuteActivity(actx, steps.DeliveryFetchStatus, steps.DeliveryFetchInput{
		OrgID: w.in.OrgID, MessageID: w.in.MessageID, ProviderSID: w.state.ProviderSID,
	}).Get(ctx, &res)
	if err != nil {
		w.log.Warn("fetching the status failed", "providerSid", w.state.ProviderSID, "error", err)
		return
	}
	w.log.Info("no final callback in time; fetched the status", "providerSid", w.state.ProviderSID, "status", res.Status)
	if contract.StatusRank(res.Status) > contract.StatusRank(w.state.Sends[i].Status) {
		w.recordStatus(i, res.Status, res)
	}
}

func (w *delivery) recordStatus(i int, status string, res steps.DeliveryStatusResult) {
	w.state.Sends[i].Status = status
	if w.state.Sends[i].SID != w.state.ProviderSID {
		return
	}
	w.state.Status, w.state.ErrorCode, w.state.Reason, w.state.Retryable = status, res.ErrorCode, res.Reason, res.Retryable
	w.state.NeedsFix = false
	w.log.Info("status moved forward", "providerSid", w.state.ProviderSID, "status", status, "errorCode", res.ErrorCode)
}

func (w *delivery) findSend(sid string) int {
	for i := range w.state.Sends {
		if sid != "" && w.state.Sends[i].SID == sid {
			return i
		}
	}
	return -1
}

func (w *delivery) deadLetter(ctx workflow.Context) error {
	var res steps.DeliveryDeadLetterResult
	err := workflow.ExecuteActivity(w.storeCtx(ctx), steps.DeliveryDeadLetter, steps.DeliveryDeadLetterInput{
		OrgID: w.in.OrgID, MessageID: w.in.MessageID, Attempt: w.state.Attempt, ErrorCode: w.state.ErrorCode,
		Reason: w.state.Reason, NeedsFix: w.state.NeedsFix,
	}).Get(ctx, &res)
	if err != nil {
		return err
	}
	w.state.DeadLettered = true
	if workflow.GetVersion(ctx, deliveryDeadLetterExpiryChange, workflow.DefaultVersion, 1) == 1 {
		w.state.OpenFor = res.OpenFor
		if w.state.OpenFor <= 0 {
			w.state.OpenFor = defaultDeadLetterOpenFor
		}
		w.state.ExpiresAt = workflow.Now(ctx).Add(w.state.OpenFor)
	}
	w.log.Warn("message dead-lettered; waiting for the owner", "attempt", w.state.Attempt, "errorCode", w.state.ErrorCode,
		"alertId", res.AlertID.String(), "openFor", w.state.OpenFor)
	return nil
}

// awaitOwner waits for a retry or a discard (an update, or one of the
// older signals), or for the dead letter to expire. Late callbacks keep
// being applied; one saying the last attempt was delivered after all ends
// the wait.
func (w *delivery) awaitOwner(ctx workflow.Context) ownerChoice {
	var expiry workflow.Future
	if w.state.OpenFor > 0 {
		timerCtx, cancelTimer := workflow.WithCancel(ctx)
		defer cancelTimer()
		expiry = workflow.NewTimer(timerCtx, w.state.OpenFor)
	}
	for {
		var choice ownerChoice
		var sig *contract.StatusSignal
		sel := workflow.NewSelector(ctx)
		sel.AddReceive(w.ownerCh, func(c workflow.ReceiveChannel, _ bool) {
			var req *ownerRequest
			c.Receive(ctx, &req)
			choice = ownerChoice{retry: req.retry, discard: req.discard, request: req}
		})
		sel.AddReceive(w.retryCh, func(c workflow.ReceiveChannel, _ bool) {
			var s contract.RetrySignal
			c.Receive(ctx, &s)
			choice.retry = &s
		})
		sel.AddReceive(w.discardCh, func(c workflow.ReceiveChannel, _ bool) {
			var s contract.DiscardSignal
			c.Receive(ctx, &s)
			choice.discard = &s
		})
		sel.AddReceive(w.statusCh, func(c workflow.ReceiveChannel, _ bool) {
			var s contract.StatusSignal
			c.Receive(ctx, &s)
			sig = &s
		})
		if expiry != nil {
			sel.AddFuture(expiry, func(f workflow.Future) { choice.expired = f.Get(ctx, nil) == nil })
		}
		sel.Select(ctx)
		switch {
		case choice.expired:
			// An owner's decision that came in at the same moment wins.
			var req *ownerRequest
			if w.ownerCh.ReceiveAsync(&req) {
				return ownerChoice{retry: req.retry, discard: req.discard, request: req}
			}
			w.log.Info("dead letter expired", "openFor", w.state.OpenFor)
			return choice
		case choice.retry != nil || choice.discard != nil:
			return choice
		case sig != nil:
			w.applyStatus(ctx, *sig)
			if isDelivered(w.state.Status) {
				w.log.Info("a late callback says the text was delivered after all")
				return ownerChoice{delivered: true}
			}
		}
	}
}

func (w *delivery) resend(ctx workflow.Context, sig contract.RetrySignal) error {
	if sig.CorrelationID != "" { // the click's request, not the first send's
		ctx = correlation.WithWorkflow(ctx, sig.CorrelationID)
	}
	err := workflow.ExecuteActivity(w.storeCtx(ctx), steps.DeliveryResend, steps.DeliveryResendInput{
		OrgID: w.in.OrgID, MessageID: w.in.MessageID, UserID: sig.UserID, NextAttempt: w.state.Attempt + 1,
	}).Get(ctx, nil)
	if err != nil {
		return err
	}
	w.state.DeadLettered = false
	w.log.Info("owner asked to retry; sending again", "userId", sig.UserID.String(), "retryCorrelationId", sig.CorrelationID)
	return nil
}

func (w *delivery) recovered(ctx workflow.Context) error {
	err := workflow.ExecuteActivity(w.storeCtx(ctx), steps.DeliveryRecovered, steps.DeliveryOutcomeInput{
		OrgID: w.in.OrgID, MessageID: w.in.MessageID, Attempt: w.state.Attempt, Status: w.state.Status,
	}).Get(ctx, nil)
	if err != nil {
		return err
	}
	w.state.DeadLettered = false
	return nil
}

func (w *delivery) discard(ctx workflow.Context, sig contract.DiscardSignal) error {
	if sig.CorrelationID != "" { // the click's request, not the first send's
		ctx = correlation.WithWorkflow(ctx, sig.CorrelationID)
	}
	err := workflow.ExecuteActivity(w.storeCtx(ctx), steps.DeliveryDiscard, steps.DeliveryDiscardInput{
		OrgID: w.in.OrgID, MessageID: w.in.MessageID, UserID: sig.UserID, Reason: sig.Reason,
	}).Get(ctx, nil)
	if err != nil {
		return err
	}
	w.state.Status, w.state.DeadLettered = "discarded", false
	w.log.Info("owner discarded the message", "userId", sig.UserID.String())
	return nil
}

// expire discards a dead letter nobody acted on, as the system, with a
// reason saying so.
func (w *delivery) expire(ctx workflow.Context) error {
	reason := fmt.Sprintf("It expired: nobody retried or discarded it within %s of it failing.", spell(w.state.OpenFor))
	err := workflow.ExecuteActivity(w.storeCtx(ctx), steps.DeliveryDiscard, steps.DeliveryDiscardInput{
		OrgID: w.in.OrgID, MessageID: w.in.MessageID, Reason: reason, Expired: true,
	}).Get(ctx, nil)
	if err != nil {
		return err
	}
	w.state.Status, w.state.DeadLettered, w.state.Expired = "discarded", false, true
	w.state.Reason = reason
	return nil
}

// spell writes a period the way an owner says it: "14 days", "6 hours".
func spell(d time.Duration) string {
	unit := func(n int64, one string) string {
		if n == 1 {
			return "1 " + one
		}
		return fmt.Sprintf("%d %ss", n, one)
	}
	switch {
	case d >= 24*time.Hour && d%(24*time.Hour) == 0:
		return unit(int64(d/(24*time.Hour)), "day")
	case d >= time.Hour && d%time.Hour == 0:
		return unit(int64(d/time.Hour), "hour")
	case d >= time.Minute:
		return unit(int64(d/time.Minute), "minute")
	}
	return d.String()
}

// drainStatus applies callbacks still queued when the workflow ends, so
// that none is lost with it.
func (w *delivery) drainStatus(ctx workflow.Context) {
	for {
		var s contract.StatusSignal
		if !w.statusCh.ReceiveAsync(&s) {
			return
		}
		w.applyStatus(ctx, s)
	}
}

// storeCtx is for activities that only write to the database: retried
// until the database answers.
func (w *delivery) storeCtx(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute},
	})
}

func (w *delivery) snapshot() contract.DeliveryState {
	st := contract.DeliveryState{
		Status: w.state.Status, Attempts: w.state.Attempt, ProviderSID: w.state.ProviderSID,
		ErrorCode: w.state.ErrorCode, ErrorMessage: w.state.Reason, DeadLettered: w.state.DeadLettered,
	}
	if w.state.DeadLettered && !w.state.ExpiresAt.IsZero() {
		at := w.state.ExpiresAt
		st.DeadLetterExpiresAt = &at
	}
	return st
}

func isDelivered(status string) bool { return status == "delivered" || status == "read" }
