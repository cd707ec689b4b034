package workflows_test

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/mock"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/temporalproto"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/snoutos/snout/activities"
	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/domain/message"
	"github.com/snoutos/snout/workflows"
	"github.com/snoutos/snout/workflows/steps"
)

// fakeDelivery stands in for the delivery activities: it answers sends
// from a script and records every call, as the owner-visible effects
// (attempt rows, statuses, dead letters, alerts) would be recorded.
type fakeDelivery struct {
	mu sync.Mutex
	// sends answers each DeliverySend run in turn: a provider SID, or an
	// error made with transient/permanent.
	sends      []any
	sendInputs []steps.DeliverySendInput
	sendRuns   int
	applied    []steps.DeliveryStatusInput
	fetched    []steps.DeliveryFetchInput
	fetchReply string
	openFor    time.Duration // what the dead-letter activity reports
	deadLetter []steps.DeliveryDeadLetterInput
	resends    []steps.DeliveryResendInput
	recovered  []steps.DeliveryOutcomeInput
	discards   []steps.DeliveryDiscardInput
	corr       correlations
}

type sendFailure struct {
	kind string
	code int
}

func transient(code int) sendFailure { return sendFailure{steps.DeliveryTransient, code} }
func permanent(code int) sendFailure { return sendFailure{steps.DeliveryPermanent, code} }

const statusWait = 2 * time.Minute

func (f *fakeDelivery) send(ctx context.Context, in steps.DeliverySendInput) (steps.DeliverySendResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	attempt := in.FirstAttempt + int(activity.GetInfo(ctx).Attempt) - 1
	f.sendInputs = append(f.sendInputs, in)
	f.corr.saw(ctx, "send")
	if f.sendRuns >= len(f.sends) {
		return steps.DeliverySendResult{}, fmt.Errorf("unexpected send #%d", f.sendRuns+1)
	}
	next := f.sends[f.sendRuns]
	f.sendRuns++
	switch v := next.(type) {
	case string:
		return steps.DeliverySendResult{Attempt: attempt, ProviderSID: v, Status: "queued", StatusWait: statusWait}, nil
	case sendFailure:
		d := steps.DeliveryFailure{Attempt: attempt, Code: v.code, Reason: fmt.Sprintf("explained %d", v.code), Type: v.kind}
		return steps.DeliverySendResult{}, temporal.NewApplicationErrorWithOptions(d.Reason, v.kind,
			temporal.ApplicationErrorOptions{NonRetryable: v.kind != steps.DeliveryTransient, Details: []any{d}})
	}
	panic("bad script")
}

func (f *fakeDelivery) apply(_ context.Context, in steps.DeliveryStatusInput) (steps.DeliveryStatusResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.applied = append(f.applied, in)
	return statusOf(in.Status, in.ErrorCode), nil
}

func statusOf(status string, code int) steps.DeliveryStatusResult {
	res := steps.DeliveryStatusResult{Status: status, ErrorCode: code, Changed: true}
	if code != 0 {
		res.Reason = fmt.Sprintf("explained %d", code)
		res.Retryable = code == 30003
	}
	return res
}

func (f *fakeDelivery) appliedStatuses() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, a := range f.applied {
		out = append(out, a.ProviderSID+":"+a.Status)
	}
	return out
}

type deliveryTest struct {
	t    *testing.T
	env  *testsuite.TestWorkflowEnvironment
	fake *fakeDelivery
	in   contract.DeliveryInput
}

func newDeliveryTest(t *testing.T, sends ...any) *deliveryTest {
	env := correlatedSuite(t, "req-123").NewTestWorkflowEnvironment()
	env.RegisterWorkflowWithOptions(workflows.DeliveryWorkflow, workflow.RegisterOptions{Name: contract.DeliveryWorkflowName})
	a := &activities.Activities{}
	for _, fn := range []any{a.DeliverySend, a.DeliveryApplyStatus, a.DeliveryFetchStatus, a.DeliveryDeadLetter,
		a.DeliveryResend, a.DeliveryRecovered, a.DeliveryDiscard} {
		env.RegisterActivity(fn)
	}
	f := &fakeDelivery{sends: sends}
	env.OnActivity(a.DeliverySend, mock.Anything, mock.Anything).Return(f.send)
	env.OnActivity(a.DeliveryApplyStatus, mock.Anything, mock.Anything).Return(f.apply)
	env.OnActivity(a.DeliveryFetchStatus, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in steps.DeliveryFetchInput) (steps.DeliveryStatusResult, error) {
			f.mu.Lock()
			defer f.mu.Unlock()
			f.fetched = append(f.fetched, in)
			return statusOf(f.fetchReply, 0), nil
		})
	env.OnActivity(a.DeliveryDeadLetter, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in steps.DeliveryDeadLetterInput) (steps.DeliveryDeadLetterResult, error) {
			f.mu.Lock()
			defer f.mu.Unlock()
			f.deadLetter = append(f.deadLetter, in)
			return steps.DeliveryDeadLetterResult{AlertID: uuid.New(), OpenFor: f.openFor}, nil
		})
	env.OnActivity(a.DeliveryResend, mock.Anything, mock.Anything).Return(
		func(ctx context.Context, in steps.DeliveryResendInput) error {
			f.corr.saw(ctx, "resend")
			f.mu.Lock()
			defer f.mu.Unlock()
			f.resends = append(f.resends, in)
			return nil
		})
	env.OnActivity(a.DeliveryRecovered, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in steps.DeliveryOutcomeInput) error {
			f.mu.Lock()
			defer f.mu.Unlock()
			f.recovered = append(f.recovered, in)
			return nil
		})
	env.OnActivity(a.DeliveryDiscard, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in steps.DeliveryDiscardInput) error {
			f.mu.Lock()
			defer f.mu.Unlock()
			f.discards = append(f.discards, in)
			return nil
		})
	return &deliveryTest{t: t, env: env, fake: f, in: contract.DeliveryInput{OrgID: uuid.New(), MessageID: uuid.New()}}
}

// status schedules a provider callback signal after d.
func (d *deliveryTest) status(after time.Duration, sid, status string, code int) {
	d.env.RegisterDelayedCallback(func() {
		d.env.SignalWorkflow(contract.SignalDeliveryStatus, contract.StatusSignal{MessageSID: sid, Status: status, ErrorCode: code})
	}, after)
}

func (d *deliveryTest) run() contract.DeliveryState {
	d.t.Helper()
	d.env.ExecuteWorkflow(contract.DeliveryWorkflowName, d.in)
	if !d.env.IsWorkflowCompleted() {
		d.t.Fatal("workflow did not complete")
	}
	if err := d.env.GetWorkflowError(); err != nil {
		d.t.Fatalf("workflow failed: %v", err)
	}
	var res contract.DeliveryState
	if err := d.env.GetWorkflowResult(&res); err != nil {
		d.t.Fatal(err)
	}
	return res
}

func (d *deliveryTest) query() contract.DeliveryState {
	d.t.Helper()
	v, err := d.env.QueryWorkflow(contract.QueryDeliveryState)
	if err != nil {
		d.t.Fatal(err)
	}
	var st contract.DeliveryState
	if err := v.Get(&st); err != nil {
		d.t.Fatal(err)
	}
	return st
}

func equal(t *testing.T, what string, got, want any) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func TestDeliveryDeliveredViaSignal(t *testing.T) {
	d := newDeliveryTest(t, "SM1")
	d.status(time.Second, "SM1", "sent", 0)
	d.status(2*time.Second, "SM1", "delivered", 0)
	res := d.run()
	equal(t, "status", res.Status, "delivered")
	equal(t, "attempts", res.Attempts, 1)
	equal(t, "providerSid", res.ProviderSID, "SM1")
	equal(t, "applied", d.fake.appliedStatuses(), []string{"SM1:sent", "SM1:delivered"})
	equal(t, "fetches", len(d.fake.fetched), 0)
	equal(t, "dead letters", len(d.fake.deadLetter), 0)
	equal(t, "send trigger", d.fake.sendInputs[0].Trigger, message.TriggerAutomatic)
	equal(t, "correlation", d.fake.corr.first("send"), "req-123")
}

func TestDeliveryDuplicateAndOutOfOrderSignals(t *testing.T) {
	d := newDeliveryTest(t, "SM1")
	// Delivered arrives first, then itself again, then a late "sent".
	d.env.RegisterDelayedCallback(func() {
		for _, s := range []string{"delivered", "delivered", "sent"} {
			d.env.SignalWorkflow(contract.SignalDeliveryStatus, contract.StatusSignal{MessageSID: "SM1", Status: s})
		}
	}, time.Second)
	res := d.run()
	equal(t, "status", res.Status, "delivered")
	equal(t, "applied", d.fake.appliedStatuses(), []string{"SM1:delivered"})
	equal(t, "query status", d.query().Status, "delivered")
}

func TestDeliveryTransientSendErrorRetriedThenDelivered(t *testing.T) {
	d := newDeliveryTest(t, transient(20429), "SM2")
	d.status(time.Minute, "SM2", "delivered", 0)
	res := d.run()
	equal(t, "status", res.Status, "delivered")
	equal(t, "attempts", res.Attempts, 2)
	equal(t, "send runs", d.fake.sendRuns, 2)
	equal(t, "dead letters", len(d.fake.deadLetter), 0)
}

func TestDeliveryThreeTransientFailuresDeadLetter(t *testing.T) {
	d := newDeliveryTest(t, transient(30001), transient(30001), transient(30001))
	var during contract.DeliveryState
	d.env.RegisterDelayedCallback(func() {
		during = d.query()
		d.env.SignalWorkflow(contract.SignalDeliveryDiscard, contract.DiscardSignal{UserID: uuid.New(), Reason: "client called instead"})
	}, time.Hour)
	res := d.run()
	equal(t, "send runs", d.fake.sendRuns, 3)
	if len(d.fake.deadLetter) != 1 {
		t.Fatalf("dead letters = %d, want 1", len(d.fake.deadLetter))
	}
	dl := d.fake.deadLetter[0]
	equal(t, "dead letter attempt", dl.Attempt, 3)
	equal(t, "dead letter code", dl.ErrorCode, 30001)
	equal(t, "dead letter reason", dl.Reason, "explained 30001")
	equal(t, "while waiting: dead-lettered", during.DeadLettered, true)
	equal(t, "while waiting: status", during.Status, "failed")
	equal(t, "while waiting: attempts", during.Attempts, 3)
	equal(t, "final status", res.Status, "discarded")
}

func TestDeliveryPermanentErrorDeadLettersAtOnce(t *testing.T) {
	d := newDeliveryTest(t, permanent(21211))
	var during contract.DeliveryState
	d.env.RegisterDelayedCallback(func() {
		during = d.query()
		d.env.SignalWorkflow(contract.SignalDeliveryDiscard, contract.DiscardSignal{UserID: uuid.New()})
	}, 24*time.Hour)
	d.run()
	equal(t, "send runs", d.fake.sendRuns, 1)
	equal(t, "dead letters", len(d.fake.deadLetter), 1)
	equal(t, "dead letter code", d.fake.deadLetter[0].ErrorCode, 21211)
	equal(t, "dead letter attempt", d.fake.deadLetter[0].Attempt, 1)
	equal(t, "needs fix", d.fake.deadLetter[0].NeedsFix, false)
	equal(t, "while waiting: error", during.ErrorMessage, "explained 21211")
	equal(t, "while waiting: attempts", during.Attempts, 1)
}

func TestDeliveryNoCallbackFetchesStatusAfterWait(t *testing.T) {
	d := newDeliveryTest(t, "SM1")
	d.fake.fetchReply = "delivered"
	start := d.env.Now()
	res := d.run()
	equal(t, "status", res.Status, "delivered")
	equal(t, "fetches", len(d.fake.fetched), 1)
	equal(t, "fetched sid", d.fake.fetched[0].ProviderSID, "SM1")
	if waited := d.env.Now().Sub(start); waited < statusWait {
		t.Errorf("fetched after %v, want at least the status wait %v", waited, statusWait)
	}
}

func TestDeliveryUndelivered30003RetriedAsNewAttempt(t *testing.T) {
	d := newDeliveryTest(t, "SM1", "SM2")
	d.status(time.Second, "SM1", "undelivered", 30003)
	d.status(time.Minute, "SM2", "delivered", 0)
	res := d.run()
	equal(t, "status", res.Status, "delivered")
	equal(t, "attempts", res.Attempts, 2)
	equal(t, "second send starts at attempt", d.fake.sendInputs[1].FirstAttempt, 2)
	equal(t, "second send trigger", d.fake.sendInputs[1].Trigger, message.TriggerAutomatic)
	equal(t, "dead letters", len(d.fake.deadLetter), 0)
}

func TestDeliveryUndeliveredThreeTimesDeadLetters(t *testing.T) {
	d := newDeliveryTest(t, "SM1", "SM2", "SM3")
	d.status(time.Second, "SM1", "undelivered", 30003)
	d.status(time.Minute, "SM2", "undelivered", 30003)
	d.status(2*time.Minute, "SM3", "undelivered", 30003)
	d.env.RegisterDelayedCallback(func() {
		d.env.SignalWorkflow(contract.SignalDeliveryDiscard, contract.DiscardSignal{UserID: uuid.New()})
	}, time.Hour)
	d.run()
	equal(t, "send runs", d.fake.sendRuns, 3)
	equal(t, "dead letters", len(d.fake.deadLetter), 1)
	equal(t, "dead letter attempt", d.fake.deadLetter[0].Attempt, 3)
}

func TestDeliveryRetryFromDeadLetterDelivers(t *testing.T) {
	d := newDeliveryTest(t, "SM1", "SM2")
	d.status(time.Second, "SM1", "undelivered", 30006)
	owner := uuid.New()
	d.env.RegisterDelayedCallback(func() {
		if !d.query().DeadLettered {
			t.Error("not dead-lettered before the retry")
		}
		d.env.SignalWorkflow(contract.SignalDeliveryRetry, contract.RetrySignal{UserID: owner, CorrelationID: "req-retry"})
	}, time.Hour)
	d.status(time.Hour+time.Minute, "SM2", "delivered", 0)
	res := d.run()
	equal(t, "status", res.Status, "delivered")
	equal(t, "attempts", res.Attempts, 2)
	equal(t, "dead-lettered", res.DeadLettered, false)
	equal(t, "dead letters", len(d.fake.deadLetter), 1)
	equal(t, "dead letter code", d.fake.deadLetter[0].ErrorCode, 30006)
	if len(d.fake.resends) != 1 {
		t.Fatalf("resends = %d, want 1", len(d.fake.resends))
	}
	equal(t, "resend by", d.fake.resends[0].UserID, owner)
	equal(t, "resend attempt", d.fake.resends[0].NextAttempt, 2)
	equal(t, "resend correlation", d.fake.corr.last("resend"), "req-retry")
	equal(t, "manual send attempt", d.fake.sendInputs[1].FirstAttempt, 2)
	equal(t, "manual send trigger", d.fake.sendInputs[1].Trigger, message.TriggerManual)
	equal(t, "recovered", len(d.fake.recovered), 1)
}

func TestDeliveryDiscard(t *testing.T) {
	d := newDeliveryTest(t, permanent(21610))
	owner := uuid.New()
	d.env.RegisterDelayedCallback(func() {
		d.env.SignalWorkflow(contract.SignalDeliveryDiscard, contract.DiscardSignal{UserID: owner, Reason: "they asked us to stop"})
	}, time.Hour)
	res := d.run()
	equal(t, "status", res.Status, "discarded")
	equal(t, "dead-lettered", res.DeadLettered, false)
	if len(d.fake.discards) != 1 {
		t.Fatalf("discards = %d, want 1", len(d.fake.discards))
	}
	equal(t, "discarded by", d.fake.discards[0].UserID, owner)
	equal(t, "reason", d.fake.discards[0].Reason, "they asked us to stop")
	equal(t, "resends", len(d.fake.resends), 0)
}

func TestDeliveryRetryIgnoredWhileInFlight(t *testing.T) {
	d := newDeliveryTest(t, "SM1")
	d.env.RegisterDelayedCallback(func() {
		d.env.SignalWorkflow(contract.SignalDeliveryRetry, contract.RetrySignal{UserID: uuid.New()})
	}, time.Second)
	d.status(2*time.Second, "SM1", "delivered", 0)
	res := d.run()
	equal(t, "status", res.Status, "delivered")
	equal(t, "send runs", d.fake.sendRuns, 1)
	equal(t, "resends", len(d.fake.resends), 0)
}

// deliveryHistories are runs recorded on a real Temporal server (see
// TestRecordDeliveryHistories) replayed against today's code: a change
// that makes DeliveryWorkflow non-deterministic fails here.
var deliveryHistories = []string{
	"testdata/delivery_delivered.json",
	"testdata/delivery_undelivered_retried.json",
	"testdata/delivery_dead_letter_retry.json",
	"testdata/delivery_dead_letter_discard.json",
	"testdata/delivery_dead_letter_expired.json",
}

// deliveryHistoriesBeforeUpdates were recorded before the dead-letter
// updates and expiry (GetVersion "delivery-dead-letter-expiry"), with the
// retry and discard signals: executions started then still replay. The
// recorder never rewrites them.
var deliveryHistoriesBeforeUpdates = []string{
	"testdata/delivery_delivered_before_updates.json",
	"testdata/delivery_undelivered_retried_before_updates.json",
	"testdata/delivery_dead_letter_retry_before_updates.json",
	"testdata/delivery_dead_letter_discard_before_updates.json",
}

func TestDeliveryReplay(t *testing.T) {
	replayHistories(t, append(append([]string{}, deliveryHistories...), deliveryHistoriesBeforeUpdates...),
		replayable{workflows.DeliveryWorkflow, contract.DeliveryWorkflowName})
}

// TestRecordDeliveryHistories rewrites deliveryHistories from runs on the
// Temporal dev server scripts/test.sh starts (fake activities):
//
//	SNOUT_RECORD_DELIVERY_HISTORY=1 bash scripts/test.sh -run TestRecordDeliveryHistories ./workflows/
func TestRecordDeliveryHistories(t *testing.T) {
	c := recordingClient(t, "SNOUT_RECORD_DELIVERY_HISTORY")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	// step is one thing to do once the workflow's state satisfies when: a
	// signal, or an update when update is set.
	type step struct {
		when   func(contract.DeliveryState) bool
		signal string
		arg    any
		update string
	}
	accepted := func(sid string) func(contract.DeliveryState) bool {
		return func(st contract.DeliveryState) bool { return st.ProviderSID == sid }
	}
	deadLettered := func(st contract.DeliveryState) bool { return st.DeadLettered }
	status := func(sid, s string, code int) contract.StatusSignal {
		return contract.StatusSignal{MessageSID: sid, Status: s, ErrorCode: code}
	}
	record := func(file string, sends []any, openFor time.Duration, actions ...step) {
		tq := "record-delivery-" + uuid.NewString()
		f := &fakeDelivery{sends: sends, fetchReply: "delivered"}
		w := worker.New(c, tq, worker.Options{})
		w.RegisterWorkflowWithOptions(workflows.DeliveryWorkflow, workflow.RegisterOptions{Name: contract.DeliveryWorkflowName})
		for name, fn := range map[string]any{
			"DeliverySend": f.send, "DeliveryApplyStatus": f.apply,
			"DeliveryFetchStatus": func(context.Context, steps.DeliveryFetchInput) (steps.DeliveryStatusResult, error) {
				return statusOf("delivered", 0), nil
			},
			"DeliveryDeadLetter": func(context.Context, steps.DeliveryDeadLetterInput) (steps.DeliveryDeadLetterResult, error) {
				return steps.DeliveryDeadLetterResult{AlertID: uuid.New(), OpenFor: openFor}, nil
			},
			"DeliveryResend":    func(context.Context, steps.DeliveryResendInput) error { return nil },
			"DeliveryRecovered": func(context.Context, steps.DeliveryOutcomeInput) error { return nil },
			"DeliveryDiscard":   func(context.Context, steps.DeliveryDiscardInput) error { return nil },
		} {
			w.RegisterActivityWithOptions(fn, activity.RegisterOptions{Name: name})
		}
		if err := w.Start(); err != nil {
			t.Fatal(err)
		}
		defer w.Stop()
		in := contract.DeliveryInput{OrgID: uuid.New(), MessageID: uuid.New()}
		id := contract.DeliveryWorkflowID(in.MessageID)
		run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: tq}, contract.DeliveryWorkflowName, in)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range actions {
			for {
				v, err := c.QueryWorkflow(ctx, id, run.GetRunID(), contract.QueryDeliveryState)
				var st contract.DeliveryState
				if err == nil && v.Get(&st) == nil && s.when(st) {
					break
				}
				time.Sleep(50 * time.Millisecond)
			}
			if s.update != "" {
				h, err := c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{WorkflowID: id, RunID: run.GetRunID(), UpdateName: s.update,
					Args: []any{s.arg}, WaitForStage: client.WorkflowUpdateStageCompleted})
				if err != nil {
					t.Fatal(err)
				}
				var answer contract.DeadLetterAnswer
				if err := h.Get(ctx, &answer); err != nil {
					t.Fatal(err)
				}
				continue
			}
			if err := c.SignalWorkflow(ctx, id, run.GetRunID(), s.signal, s.arg); err != nil {
				t.Fatal(err)
			}
		}
		if err := run.Get(ctx, nil); err != nil {
			t.Fatal(err)
		}
		writeHistory(ctx, t, c, id, run.GetRunID(), file)
	}
	owner := uuid.New()
	record(deliveryHistories[0], []any{"SM1"}, 0,
		step{when: accepted("SM1"), signal: contract.SignalDeliveryStatus, arg: status("SM1", "sent", 0)},
		step{when: accepted("SM1"), signal: contract.SignalDeliveryStatus, arg: status("SM1", "delivered", 0)})
	record(deliveryHistories[1], []any{"SM1", "SM2"}, 0,
		step{when: accepted("SM1"), signal: contract.SignalDeliveryStatus, arg: status("SM1", "undelivered", 30003)},
		step{when: accepted("SM2"), signal: contract.SignalDeliveryStatus, arg: status("SM2", "delivered", 0)})
	record(deliveryHistories[2], []any{permanent(21211), "SM2"}, time.Hour,
		step{when: deadLettered, update: contract.UpdateDeadLetterRetry, arg: contract.RetrySignal{UserID: owner, CorrelationID: "req-retry"}},
		step{when: accepted("SM2"), signal: contract.SignalDeliveryStatus, arg: status("SM2", "delivered", 0)})
	record(deliveryHistories[3], []any{"SM1"}, time.Hour,
		step{when: accepted("SM1"), signal: contract.SignalDeliveryStatus, arg: status("SM1", "undelivered", 30006)},
		step{when: deadLettered, update: contract.UpdateDeadLetterDiscard, arg: contract.DiscardSignal{UserID: owner, Reason: "landline"}})
	record(deliveryHistories[4], []any{permanent(21211)}, 2*time.Second)
}

// writeHistory saves a closed run's full history as JSON for replay tests.
func writeHistory(ctx context.Context, t *testing.T, c client.Client, id, runID, file string) {
	t.Helper()
	hist := &historypb.History{}
	it := c.GetWorkflowHistory(ctx, id, runID, false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		hist.Events = append(hist.Events, ev)
	}
	b, err := temporalproto.CustomJSONMarshalOptions{Indent: "  "}.Marshal(hist)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("recorded %d events to %s", len(hist.Events), file)
}
