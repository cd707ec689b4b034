package workflows_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/workflows/steps"
)

// quarantineOutcome is what an operator's request got back.
type quarantineOutcome struct {
	answer  contract.QuarantineAnswer
	started contract.QuarantineState
	err     error
	done    bool
}

func (q *quarantineTest) sendUpdate(name string, arg any, out *quarantineOutcome) {
	q.env.UpdateWorkflow(name, uuid.NewString(), &testsuite.TestUpdateCallback{
		OnAccept: func() {},
		OnReject: func(err error) { out.err, out.done = err, true },
		OnComplete: func(v any, err error) {
			out.err, out.done = err, true
			if err != nil {
				return
			}
			b, _ := json.Marshal(v)
			if name == contract.UpdateQuarantineStarted {
				_ = json.Unmarshal(b, &out.started)
			} else {
				_ = json.Unmarshal(b, &out.answer)
			}
		},
	}, arg)
}

func (q *quarantineTest) request(after time.Duration, name string, arg any) *quarantineOutcome {
	out := &quarantineOutcome{}
	q.env.RegisterDelayedCallback(func() { q.sendUpdate(name, arg, out) }, after)
	return out
}

func (q *quarantineTest) decision(user uuid.UUID) contract.QuarantineSignal {
	return contract.QuarantineSignal{UserID: user, Reason: "owner decided", CorrelationID: "req-update"}
}

func quarantineRefusal(t *testing.T, what string, out *quarantineOutcome, errType string) *temporal.ApplicationError {
	t.Helper()
	var appErr *temporal.ApplicationError
	if !out.done || !errors.As(out.err, &appErr) || appErr.Type() != errType || appErr.Message() == "" {
		t.Errorf("%s: got %+v, want a refusal of type %s with a reason", what, out, errType)
		return nil
	}
	return appErr
}

// The started update answers the caller once the threads have moved and
// the cooldown runs, with the state the caller shows.
func TestQuarantineStartedUpdateAnswersWhenCoolingDown(t *testing.T) {
	q := newQuarantineTest(t)
	started := &quarantineOutcome{}
	q.env.RegisterDelayedCallback(func() {
		q.sendUpdate(contract.UpdateQuarantineStarted, contract.QuarantineStartRequest{QuarantineID: q.in.QuarantineID}, started)
	}, 0)
	other := q.request(time.Hour, contract.UpdateQuarantineStarted, contract.QuarantineStartRequest{QuarantineID: uuid.New()})
	q.run()
	if !started.done || started.err != nil {
		t.Fatalf("started update: %+v", started)
	}
	st := started.started
	if st.Phase != contract.QuarantinePhaseCoolingDown || st.QuarantineID != q.in.QuarantineID || len(st.Impact.Moves) != 2 ||
		st.Impact.ClientsNotified != 2 {
		t.Errorf("answer = %+v, want cooling down with both threads moved and both clients texted", st)
	}
	if !st.CooldownEndsAt.Equal(q.start.Add(30 * 24 * time.Hour)) {
		t.Errorf("cooldown ends %v, want 30 days after the start", st.CooldownEndsAt)
	}
	quarantineRefusal(t, "a second quarantine of the number", other, contract.QuarantineErrOtherQuarantine)
}

// A quarantine that cannot start answers the caller with the reason.
func TestQuarantineStartedUpdateReportsWhyItDidNotStart(t *testing.T) {
	q := newQuarantineTest(t)
	q.fake.beginErr = temporal.NewNonRetryableApplicationError("There is no active pool or front desk number to take this number's conversations.", steps.ErrTypeNoReplacement, nil)
	started := &quarantineOutcome{}
	q.env.RegisterDelayedCallback(func() {
		q.sendUpdate(contract.UpdateQuarantineStarted, contract.QuarantineStartRequest{QuarantineID: q.in.QuarantineID}, started)
	}, 0)
	q.env.ExecuteWorkflow(contract.QuarantineWorkflowName, q.in)
	if q.env.GetWorkflowError() == nil {
		t.Fatal("the workflow succeeded although the quarantine could not start")
	}
	if e := quarantineRefusal(t, "started update", started, contract.QuarantineErrNoReplacement); e != nil &&
		e.Message() != "There is no active pool or front desk number to take this number's conversations." {
		t.Errorf("reason = %q", e.Message())
	}
}

func TestQuarantineRestoreUpdateAnswersWhenRestored(t *testing.T) {
	q := newQuarantineTest(t)
	owner := uuid.New()
	restore := q.request(3*24*time.Hour, contract.UpdateQuarantineRestore, q.decision(owner))
	res := q.run()
	if !restore.done || restore.err != nil {
		t.Fatalf("restore: %+v", restore)
	}
	if restore.answer.Outcome != contract.QuarantineOutcomeRestored || restore.answer.State.Phase != contract.QuarantinePhaseDone {
		t.Errorf("answer = %+v, want restored and done", restore.answer)
	}
	fin := q.onlyFinish()
	if fin.Outcome != store.QuarantineRestored || fin.ActorUserID != owner || q.fake.corr.last("finish") != "req-update" || fin.Reason != "owner decided" {
		t.Errorf("finish = %+v, want restored by the owner, with the request's reason and correlation ID", fin)
	}
	if res.Outcome != contract.QuarantineOutcomeRestored || q.fake.releases != 0 {
		t.Errorf("outcome %q with %d releases, want restored and never released", res.Outcome, q.fake.releases)
	}
}

func TestQuarantineReleaseNowUpdateAnswersWhenReleased(t *testing.T) {
	q := newQuarantineTest(t)
	release := q.request(2*24*time.Hour, contract.UpdateQuarantineReleaseNow, q.decision(uuid.New()))
	q.run()
	if !release.done || release.err != nil || release.answer.Outcome != contract.QuarantineOutcomeReleased {
		t.Fatalf("release now: %+v, want released", release)
	}
	if q.fake.releases != 1 || q.onlyFinish().Outcome != store.QuarantineReleased {
		t.Errorf("released %d times, finish %+v", q.fake.releases, q.fake.finishes)
	}
}

// Restore and release-now clicked at once: the first is carried out, the
// second refused with a reason.
func TestQuarantineCrossedRestoreAndReleaseNow(t *testing.T) {
	q := newQuarantineTest(t)
	restore, release := &quarantineOutcome{}, &quarantineOutcome{}
	q.env.RegisterDelayedCallback(func() {
		q.sendUpdate(contract.UpdateQuarantineRestore, q.decision(uuid.New()), restore)
		q.sendUpdate(contract.UpdateQuarantineReleaseNow, q.decision(uuid.New()), release)
	}, 24*time.Hour)
	res := q.run()
	if !restore.done || restore.err != nil {
		t.Fatalf("restore: %+v", restore)
	}
	quarantineRefusal(t, "the crossed release-now", release, contract.QuarantineErrAlreadyRequested)
	if res.Outcome != contract.QuarantineOutcomeRestored || q.fake.releases != 0 || len(q.fake.finishes) != 1 {
		t.Errorf("outcome %q, %d releases, %d finishes: want restored only", res.Outcome, q.fake.releases, len(q.fake.finishes))
	}
}

// A signal from an older caller and an update cross: whichever the
// workflow takes first is carried out, and the update is answered either
// way (done, or refused with a reason), never left waiting.
func TestQuarantineSignalAndUpdateCrossed(t *testing.T) {
	q := newQuarantineTest(t)
	release := &quarantineOutcome{}
	q.env.RegisterDelayedCallback(func() {
		q.env.SignalWorkflow(contract.SignalQuarantineRestore, q.decision(uuid.New()))
		q.sendUpdate(contract.UpdateQuarantineReleaseNow, q.decision(uuid.New()), release)
	}, 24*time.Hour)
	res := q.run()
	if len(q.fake.finishes) != 1 {
		t.Fatalf("finished %d times, want once", len(q.fake.finishes))
	}
	switch res.Outcome {
	case contract.QuarantineOutcomeRestored:
		quarantineRefusal(t, "release-now after the restore", release, contract.QuarantineErrAlreadyRequested)
		if q.fake.releases != 0 {
			t.Error("released although the restore came first")
		}
	case contract.QuarantineOutcomeReleased:
		if !release.done || release.err != nil {
			t.Errorf("release-now carried out but answered %+v", release)
		}
	default:
		t.Errorf("outcome %q", res.Outcome)
	}
}

// The provider refuses a release-now: the operator hears why at once, and
// can still restore the number.
func TestQuarantineReleaseNowRefusedByTheProvider(t *testing.T) {
	q := newQuarantineTest(t)
	q.in.NotifyClients = false
	q.fake.releaseErrs = []error{temporal.NewNonRetryableApplicationError("Twilio didn't accept the account credentials.", steps.ErrTypeNumberReleaseRejected, nil)}
	release := q.request(24*time.Hour, contract.UpdateQuarantineReleaseNow, q.decision(uuid.New()))
	restore := q.request(25*time.Hour, contract.UpdateQuarantineRestore, q.decision(uuid.New()))
	res := q.run()
	if e := quarantineRefusal(t, "release-now", release, contract.QuarantineErrReleaseRefused); e != nil {
		if got := e.Message(); len(got) < len("Twilio didn't accept the account credentials.") || got[:len("Twilio didn't accept")] != "Twilio didn't accept" {
			t.Errorf("reason = %q, want the provider's", got)
		}
	}
	if !restore.done || restore.err != nil || restore.answer.Outcome != contract.QuarantineOutcomeRestored {
		t.Errorf("restore after the refusal: %+v", restore)
	}
	if len(q.fake.alerts) != 1 || res.Outcome != contract.QuarantineOutcomeRestored {
		t.Errorf("alerts %d, outcome %q", len(q.fake.alerts), res.Outcome)
	}
}

// Notices for a busy number go out in batches: the workflow's own work
// (and so its history) grows by one activity per hundred threads, not by
// an activity and a child workflow per thread.
func TestQuarantineNoticesForThousandsOfThreadsAreBatched(t *testing.T) {
	q := newQuarantineTest(t)
	const threads = 5000
	q.fake.moves = manyMoves(threads, q.fake.replacement)
	activityRuns, children := 0, 0
	q.env.SetOnActivityStartedListener(func(*activity.Info, context.Context, converter.EncodedValues) { activityRuns++ })
	q.env.SetOnChildWorkflowStartedListener(func(*workflow.Info, workflow.Context, converter.EncodedValues) { children++ })
	res := q.run()
	if res.Impact.ClientsNotified != threads || len(q.fake.deliveries) != threads {
		t.Fatalf("notified %d clients, %d deliveries started; want %d", res.Impact.ClientsNotified, len(q.fake.deliveries), threads)
	}
	if len(q.fake.batches) != threads/steps.QuarantineNoticeBatch {
		t.Errorf("%d notice batches, want %d", len(q.fake.batches), threads/steps.QuarantineNoticeBatch)
	}
	for _, n := range q.fake.batches {
		if n > steps.QuarantineNoticeBatch {
			t.Fatalf("a batch of %d threads, over the limit of %d", n, steps.QuarantineNoticeBatch)
		}
	}
	// begin, move, 50 batches, finish.
	if activityRuns > threads/steps.QuarantineNoticeBatch+3 || children != 0 {
		t.Errorf("%d activities and %d child workflows for %d threads: the history grows with every thread", activityRuns, children, threads)
	}
}

func manyMoves(n int, to uuid.UUID) []contract.QuarantineMove {
	out := make([]contract.QuarantineMove, n)
	for i := range out {
		out[i] = contract.QuarantineMove{ThreadID: uuid.New(), ClientID: uuid.New(), ToNumberID: to, ToE164: "+14155550104"}
	}
	return out
}
