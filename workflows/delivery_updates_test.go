package workflows_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/domain/message"
)

// deadLetterOutcome is what an owner's click got back from the workflow.
type deadLetterOutcome struct {
	answer contract.DeadLetterAnswer
	err    error // the refusal (rejected by the validator, or by the handler)
	done   bool
}

// click sends a dead-letter update after d; the outcome fills in when the
// workflow answers.
func (d *deliveryTest) click(after time.Duration, name string, arg any) *deadLetterOutcome {
	out := &deadLetterOutcome{}
	d.env.RegisterDelayedCallback(func() { d.sendUpdate(name, arg, out) }, after)
	return out
}

func (d *deliveryTest) sendUpdate(name string, arg any, out *deadLetterOutcome) {
	d.env.UpdateWorkflow(name, uuid.NewString(), &testsuite.TestUpdateCallback{
		OnAccept: func() {},
		OnReject: func(err error) { out.err, out.done = err, true },
		OnComplete: func(v any, err error) {
			out.err, out.done = err, true
			if err == nil {
				b, _ := json.Marshal(v)
				_ = json.Unmarshal(b, &out.answer)
			}
		},
	}, arg)
}

// refusedAs checks that the click was refused with the given type and a
// reason for the owner.
func refusedAs(t *testing.T, what string, out *deadLetterOutcome, errType string) {
	t.Helper()
	var appErr *temporal.ApplicationError
	if !out.done || !errors.As(out.err, &appErr) || appErr.Type() != errType || appErr.Message() == "" {
		t.Errorf("%s: got %+v, want a refusal of type %s with a reason", what, out, errType)
	}
}

func TestDeadLetterRetryUpdateAnswersOnceTheRetryIsUnderWay(t *testing.T) {
	d := newDeliveryTest(t, permanent(21211), "SM2")
	owner := uuid.New()
	retry := d.click(time.Hour, contract.UpdateDeadLetterRetry, contract.RetrySignal{UserID: owner, CorrelationID: "req-retry"})
	d.status(time.Hour+time.Minute, "SM2", "delivered", 0)
	res := d.run()
	if !retry.done || retry.err != nil {
		t.Fatalf("retry click: %+v, want an answer", retry)
	}
	equal(t, "answer", retry.answer.Outcome, contract.DeadLetterRetrying)
	equal(t, "answer attempt", retry.answer.Attempt, 2)
	equal(t, "answer: still dead-lettered", retry.answer.State.DeadLettered, false)
	equal(t, "resends", len(d.fake.resends), 1)
	equal(t, "resend by", d.fake.resends[0].UserID, owner)
	equal(t, "resend correlation", d.fake.corr.last("resend"), "req-retry")
	equal(t, "manual trigger", d.fake.sendInputs[1].Trigger, message.TriggerManual)
	equal(t, "status", res.Status, "delivered")
	equal(t, "recovered", len(d.fake.recovered), 1)
}

func TestDeadLetterDiscardUpdateAnswersOnceDiscarded(t *testing.T) {
	d := newDeliveryTest(t, permanent(21610))
	owner := uuid.New()
	discard := d.click(time.Hour, contract.UpdateDeadLetterDiscard, contract.DiscardSignal{UserID: owner, Reason: "they asked us to stop"})
	res := d.run()
	if !discard.done || discard.err != nil {
		t.Fatalf("discard click: %+v, want an answer", discard)
	}
	equal(t, "answer", discard.answer.Outcome, contract.DeadLetterDiscarded)
	equal(t, "answer status", discard.answer.State.Status, "discarded")
	equal(t, "discards", len(d.fake.discards), 1)
	equal(t, "discarded by", d.fake.discards[0].UserID, owner)
	equal(t, "reason", d.fake.discards[0].Reason, "they asked us to stop")
	equal(t, "status", res.Status, "discarded")
}

// Retry and discard clicked at the same moment: one wins, the other is
// refused with a reason, and only the winner's effect happens.
func TestDeadLetterCrossedRetryAndDiscard(t *testing.T) {
	d := newDeliveryTest(t, permanent(21211), "SM2")
	retry, discard := &deadLetterOutcome{}, &deadLetterOutcome{}
	d.env.RegisterDelayedCallback(func() {
		d.sendUpdate(contract.UpdateDeadLetterRetry, contract.RetrySignal{UserID: uuid.New()}, retry)
		d.sendUpdate(contract.UpdateDeadLetterDiscard, contract.DiscardSignal{UserID: uuid.New(), Reason: "never mind"}, discard)
	}, time.Hour)
	d.status(time.Hour+time.Minute, "SM2", "delivered", 0)
	res := d.run()
	if !retry.done || retry.err != nil {
		t.Fatalf("the first click (retry) got %+v, want it carried out", retry)
	}
	refusedAs(t, "the crossed discard", discard, contract.DeadLetterErrAlreadyDecided)
	equal(t, "resends", len(d.fake.resends), 1)
	equal(t, "discards", len(d.fake.discards), 0)
	equal(t, "status", res.Status, "delivered")
}

// Two owners click retry at once: one retry, one refusal.
func TestDeadLetterTwoRetriesSendOnce(t *testing.T) {
	d := newDeliveryTest(t, permanent(21211), "SM2")
	first, second := &deadLetterOutcome{}, &deadLetterOutcome{}
	d.env.RegisterDelayedCallback(func() {
		d.sendUpdate(contract.UpdateDeadLetterRetry, contract.RetrySignal{UserID: uuid.New()}, first)
		d.sendUpdate(contract.UpdateDeadLetterRetry, contract.RetrySignal{UserID: uuid.New()}, second)
	}, time.Hour)
	// A third click after the retry is under way finds nothing to retry.
	late := d.click(time.Hour+time.Second, contract.UpdateDeadLetterRetry, contract.RetrySignal{UserID: uuid.New()})
	d.status(time.Hour+time.Minute, "SM2", "delivered", 0)
	d.run()
	if !first.done || first.err != nil {
		t.Fatalf("first retry: %+v", first)
	}
	refusedAs(t, "second retry", second, contract.DeadLetterErrAlreadyDecided)
	refusedAs(t, "late retry", late, contract.DeadLetterErrNotDeadLettered)
	equal(t, "resends", len(d.fake.resends), 1)
	equal(t, "send runs", d.fake.sendRuns, 2)
}

// While the text is still being sent there is nothing to retry: the click
// is refused, not dropped in silence.
func TestDeadLetterRetryRefusedWhileSending(t *testing.T) {
	d := newDeliveryTest(t, "SM1")
	early := d.click(time.Second, contract.UpdateDeadLetterRetry, contract.RetrySignal{UserID: uuid.New()})
	d.status(2*time.Second, "SM1", "delivered", 0)
	res := d.run()
	refusedAs(t, "retry while sending", early, contract.DeadLetterErrNotDeadLettered)
	equal(t, "send runs", d.fake.sendRuns, 1)
	equal(t, "resends", len(d.fake.resends), 0)
	equal(t, "status", res.Status, "delivered")
}

// A dead letter nobody acts on closes as discarded, by the system, with a
// reason saying it expired, after the period the worker reports.
func TestDeadLetterExpiresAfterTheConfiguredPeriod(t *testing.T) {
	d := newDeliveryTest(t, permanent(21211))
	d.fake.openFor = 3 * 24 * time.Hour
	start := d.env.Now()
	var day2 contract.DeliveryState
	d.env.RegisterDelayedCallback(func() { day2 = d.query() }, 2*24*time.Hour)
	late := d.click(3*24*time.Hour+time.Minute, contract.UpdateDeadLetterRetry, contract.RetrySignal{UserID: uuid.New()})
	res := d.run()

	if !day2.DeadLettered || day2.DeadLetterExpiresAt == nil {
		t.Fatalf("on day 2 the state is %+v, want still dead-lettered with its expiry", day2)
	}
	if got := day2.DeadLetterExpiresAt.Sub(start); got < 3*24*time.Hour || got > 3*24*time.Hour+time.Minute {
		t.Errorf("expires %v after the start, want the 3 days the worker reported", got)
	}
	if len(d.fake.discards) != 1 {
		t.Fatalf("discards = %d, want the expiry's one", len(d.fake.discards))
	}
	dis := d.fake.discards[0]
	if dis.UserID != uuid.Nil || !dis.Expired || !strings.Contains(dis.Reason, "expired") || !strings.Contains(dis.Reason, "3 days") {
		t.Errorf("expiry discard = %+v, want the system's, marked expired, with a reason naming the 3 days", dis)
	}
	if got := d.env.Now().Sub(start); got < 3*24*time.Hour || got > 3*24*time.Hour+time.Hour {
		t.Errorf("closed %v after the start, want right after 3 days", got)
	}
	equal(t, "status", res.Status, "discarded")
	equal(t, "dead-lettered", res.DeadLettered, false)
	equal(t, "resends", len(d.fake.resends), 0)
	if late.done && late.err == nil {
		t.Error("a retry after the expiry was carried out")
	}
}

// Without a period from the worker, dead letters expire after 14 days.
func TestDeadLetterExpiresAfterFourteenDaysByDefault(t *testing.T) {
	d := newDeliveryTest(t, permanent(21211))
	start := d.env.Now()
	var day13 contract.DeliveryState
	d.env.RegisterDelayedCallback(func() { day13 = d.query() }, 13*24*time.Hour)
	res := d.run()
	equal(t, "day 13: dead-lettered", day13.DeadLettered, true)
	equal(t, "status", res.Status, "discarded")
	if got := d.env.Now().Sub(start); got < 14*24*time.Hour || got > 14*24*time.Hour+time.Hour {
		t.Errorf("closed %v after the start, want 14 days", got)
	}
	if len(d.fake.discards) != 1 || !strings.Contains(d.fake.discards[0].Reason, "14 days") {
		t.Errorf("discards = %+v, want one naming 14 days", d.fake.discards)
	}
}

// The owner's retry before the expiry cancels it: the retried text is
// delivered and nothing is discarded later.
func TestDeadLetterRetryBeforeExpiry(t *testing.T) {
	d := newDeliveryTest(t, permanent(21211), "SM2")
	d.fake.openFor = 24 * time.Hour
	retry := d.click(23*time.Hour, contract.UpdateDeadLetterRetry, contract.RetrySignal{UserID: uuid.New()})
	d.status(23*time.Hour+time.Minute, "SM2", "delivered", 0)
	res := d.run()
	if !retry.done || retry.err != nil {
		t.Fatalf("retry: %+v", retry)
	}
	equal(t, "status", res.Status, "delivered")
	equal(t, "discards", len(d.fake.discards), 0)
}
