package messaging_test

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/platform/correlation"
	"github.com/snoutos/snout/service/messaging"
	"github.com/snoutos/snout/workflows"
	"github.com/snoutos/snout/workflows/steps"
)

// deadLetterWorld runs DeliveryWorkflow on the Temporal dev server with
// activities that stand in for Twilio and the database: each send answers
// from a script (a provider SID, or a refusal), and the owner-visible
// effects (resends, discards) are counted.
type deadLetterWorld struct {
	t  *testing.T
	c  client.Client
	tq string

	mu       sync.Mutex
	sends    []string // "" refuses the send for good (21211), else a SID
	sendRuns int
	resends  int
	discards []steps.DeliveryDiscardInput
	// discardedFor is the correlation ID each discard ran with.
	discardedFor []string
	wait         time.Duration // status wait the sends report
}

func newDeadLetterWorld(t *testing.T, sends ...string) *deadLetterWorld {
	t.Helper()
	addr := os.Getenv("SNOUT_TEST_TEMPORAL_ADDRESS")
	if addr == "" {
		t.Skip("needs the Temporal dev server scripts/test.sh starts")
	}
	c, err := client.Dial(client.Options{HostPort: addr, Namespace: "default", ContextPropagators: correlation.Propagators()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	d := &deadLetterWorld{t: t, c: c, tq: "dead-letter-" + uuid.NewString(), sends: sends, wait: time.Second}
	w := worker.New(c, d.tq, worker.Options{})
	w.RegisterWorkflowWithOptions(workflows.DeliveryWorkflow, workflow.RegisterOptions{Name: contract.DeliveryWorkflowName})
	for name, fn := range map[string]any{
		steps.DeliverySend: d.send,
		steps.DeliveryApplyStatus: func(_ context.Context, in steps.DeliveryStatusInput) (steps.DeliveryStatusResult, error) {
			return steps.DeliveryStatusResult{Status: in.Status, Changed: true}, nil
		},
		steps.DeliveryFetchStatus: func(context.Context, steps.DeliveryFetchInput) (steps.DeliveryStatusResult, error) {
			return steps.DeliveryStatusResult{Status: "delivered", Changed: true}, nil
		},
		steps.DeliveryDeadLetter: func(context.Context, steps.DeliveryDeadLetterInput) (steps.DeliveryDeadLetterResult, error) {
			return steps.DeliveryDeadLetterResult{AlertID: uuid.New(), OpenFor: time.Hour}, nil
		},
		steps.DeliveryResend: func(context.Context, steps.DeliveryResendInput) error {
			d.mu.Lock()
			defer d.mu.Unlock()
			d.resends++
			return nil
		},
		steps.DeliveryRecovered: func(context.Context, steps.DeliveryOutcomeInput) error { return nil },
		steps.DeliveryDiscard: func(ctx context.Context, in steps.DeliveryDiscardInput) error {
			d.mu.Lock()
			defer d.mu.Unlock()
			d.discards = append(d.discards, in)
			d.discardedFor = append(d.discardedFor, correlation.ID(ctx))
			return nil
		},
	} {
		w.RegisterActivityWithOptions(fn, activity.RegisterOptions{Name: name})
	}
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	return d
}

func (d *deadLetterWorld) send(ctx context.Context, in steps.DeliverySendInput) (steps.DeliverySendResult, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	n := in.FirstAttempt + int(activity.GetInfo(ctx).Attempt) - 1
	sid := "SMfallback"
	if d.sendRuns < len(d.sends) {
		sid = d.sends[d.sendRuns]
	}
	d.sendRuns++
	if sid == "" {
		f := steps.DeliveryFailure{Attempt: n, Code: 21211, Reason: "The number is not a valid phone number.", Type: steps.DeliveryPermanent}
		return steps.DeliverySendResult{}, temporal.NewApplicationErrorWithOptions(f.Reason, f.Type,
			temporal.ApplicationErrorOptions{NonRetryable: true, Details: []any{f}})
	}
	return steps.DeliverySendResult{Attempt: n, ProviderSID: sid, Status: "queued", StatusWait: d.wait}, nil
}

// start begins a delivery and returns its message ID and run.
func (d *deadLetterWorld) start() (uuid.UUID, client.WorkflowRun) {
	d.t.Helper()
	id := uuid.New()
	run, err := d.c.ExecuteWorkflow(context.Background(), client.StartWorkflowOptions{ID: contract.DeliveryWorkflowID(id), TaskQueue: d.tq},
		contract.DeliveryWorkflowName, contract.DeliveryInput{OrgID: uuid.New(), MessageID: id})
	if err != nil {
		d.t.Fatal(err)
	}
	return id, run
}

// until waits (test harness only) for the delivery's state to satisfy ok.
func (d *deadLetterWorld) until(messageID uuid.UUID, ok func(contract.DeliveryState) bool) {
	d.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		v, err := d.c.QueryWorkflow(context.Background(), contract.DeliveryWorkflowID(messageID), "", contract.QueryDeliveryState)
		var st contract.DeliveryState
		if err == nil && v.Get(&st) == nil && ok(st) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	d.t.Fatal("the delivery never reached the expected state")
}

func deadLettered(st contract.DeliveryState) bool { return st.DeadLettered }

func finalState(t *testing.T, run client.WorkflowRun) contract.DeliveryState {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var st contract.DeliveryState
	if err := run.Get(ctx, &st); err != nil {
		t.Fatal(err)
	}
	return st
}

func conflictWithReason(t *testing.T, what string, err error) {
	t.Helper()
	e, ok := errs.As(err)
	if !ok || e.Kind != errs.KindConflict || e.Message == "" || e.Code == "" {
		t.Errorf("%s: got %v, want a conflict (409) with a reason", what, err)
	}
}

func TestRetryDeadLetterAnswersFromTheWorkflow(t *testing.T) {
	d := newDeadLetterWorld(t, "", "SM2")
	id, run := d.start()
	d.until(id, deadLettered)
	answer, err := messaging.AskRetry(context.Background(), d.c, id, uuid.New(), "req-retry")
	if err != nil {
		t.Fatal(err)
	}
	if answer.Outcome != contract.DeadLetterRetrying || answer.Attempt != 2 || answer.State.DeadLettered {
		t.Errorf("answer = %+v, want retrying as attempt 2, out of the dead-letter list", answer)
	}
	if st := finalState(t, run); st.Status != "delivered" || st.Attempts != 2 {
		t.Errorf("delivery ended %+v, want delivered by the retry", st)
	}
	if d.resends != 1 {
		t.Errorf("%d resends, want 1", d.resends)
	}
}

func TestDiscardDeadLetterAnswersFromTheWorkflow(t *testing.T) {
	d := newDeadLetterWorld(t, "")
	id, run := d.start()
	d.until(id, deadLettered)
	owner := uuid.New()
	answer, err := messaging.AskDiscard(context.Background(), d.c, id, owner, "wrong number", "req-discard")
	if err != nil {
		t.Fatal(err)
	}
	if answer.Outcome != contract.DeadLetterDiscarded || answer.State.Status != "discarded" {
		t.Errorf("answer = %+v, want discarded", answer)
	}
	finalState(t, run)
	if len(d.discards) != 1 || d.discards[0].UserID != owner || d.discards[0].Reason != "wrong number" || d.discardedFor[0] != "req-discard" {
		t.Errorf("discards = %+v, want the owner's, with reason and correlation ID", d.discards)
	}
	// The delivery is over: another click is a conflict, not an error.
	_, err = messaging.AskRetry(context.Background(), d.c, id, owner, "req-late")
	conflictWithReason(t, "retry after the discard", err)
}

// Crossed clicks: a retry and a discard at the same moment. One is carried
// out; the other is refused with a reason the API shows as a 409.
func TestCrossedRetryAndDiscardGiveOneConflict(t *testing.T) {
	d := newDeadLetterWorld(t, "", "SM2")
	id, run := d.start()
	d.until(id, deadLettered)
	var wg sync.WaitGroup
	var retryErr, discardErr error
	wg.Add(2)
	go func() {
		defer wg.Done()
		_, retryErr = messaging.AskRetry(context.Background(), d.c, id, uuid.New(), "req-a")
	}()
	go func() {
		defer wg.Done()
		_, discardErr = messaging.AskDiscard(context.Background(), d.c, id, uuid.New(), "", "req-b")
	}()
	wg.Wait()
	st := finalState(t, run)
	switch {
	case retryErr == nil && discardErr != nil:
		conflictWithReason(t, "the crossed discard", discardErr)
		if st.Status != "delivered" || len(d.discards) != 0 {
			t.Errorf("retry won but the delivery ended %+v with %d discards", st, len(d.discards))
		}
	case discardErr == nil && retryErr != nil:
		conflictWithReason(t, "the crossed retry", retryErr)
		if st.Status != "discarded" || d.resends != 0 {
			t.Errorf("discard won but the delivery ended %+v with %d resends", st, d.resends)
		}
	default:
		t.Fatalf("retry: %v, discard: %v; want exactly one carried out", retryErr, discardErr)
	}
}

func TestTwoRetriesSendOnce(t *testing.T) {
	d := newDeadLetterWorld(t, "", "SM2")
	id, run := d.start()
	d.until(id, deadLettered)
	var wg sync.WaitGroup
	results := make([]error, 2)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, results[i] = messaging.AskRetry(context.Background(), d.c, id, uuid.New(), "req-retry")
		}()
	}
	wg.Wait()
	finalState(t, run)
	ok := 0
	for _, err := range results {
		if err == nil {
			ok++
			continue
		}
		conflictWithReason(t, "the second retry", err)
	}
	if ok != 1 || d.resends != 1 || d.sendRuns != 2 {
		t.Errorf("%d retries carried out, %d resends, %d sends: want one retry and one new send", ok, d.resends, d.sendRuns)
	}
}

// While the text is on its way there is nothing to retry: a conflict with
// a reason, and nothing is sent again.
func TestRetryWhileSendingIsAConflict(t *testing.T) {
	d := newDeadLetterWorld(t, "SM1")
	d.wait = time.Hour // no callback comes: the delivery waits for one
	id, run := d.start()
	d.until(id, func(st contract.DeliveryState) bool { return st.ProviderSID == "SM1" })
	_, err := messaging.AskRetry(context.Background(), d.c, id, uuid.New(), "req-early")
	conflictWithReason(t, "retry while sending", err)
	if err := d.c.SignalWorkflow(context.Background(), contract.DeliveryWorkflowID(id), "", contract.SignalDeliveryStatus,
		contract.StatusSignal{MessageSID: "SM1", Status: "delivered"}); err != nil {
		t.Fatal(err)
	}
	if st := finalState(t, run); st.Status != "delivered" || d.resends != 0 || d.sendRuns != 1 {
		t.Errorf("delivery ended %+v after %d resends and %d sends, want delivered by the one send", st, d.resends, d.sendRuns)
	}
}

func TestDeadLetterOfAnUnknownDeliveryIsAConflict(t *testing.T) {
	d := newDeadLetterWorld(t)
	_, err := messaging.AskDiscard(context.Background(), d.c, uuid.New(), uuid.New(), "", "req")
	conflictWithReason(t, "discard of a delivery that does not run", err)
}
