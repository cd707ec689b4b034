package workflows_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/workflows"
	"github.com/snoutos/snout/workflows/steps"
)

// overrideFake stands in for OverrideEnd and keeps what an owner would
// see: the override's recorded end, once.
type overrideFake struct {
	mu    sync.Mutex
	calls []steps.OverrideEndInput
	ended *steps.OverrideEndResult
}

func (f *overrideFake) end(_ context.Context, in steps.OverrideEndInput) (steps.OverrideEndResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, in)
	if f.ended != nil {
		r := *f.ended
		r.Ended = false
		return r, nil
	}
	f.ended = &steps.OverrideEndResult{Ended: true, EndReason: in.Reason, EndedAt: in.At}
	return *f.ended, nil
}

func (f *overrideFake) register(r interface {
	RegisterActivityWithOptions(any, activity.RegisterOptions)
	RegisterWorkflowWithOptions(any, workflow.RegisterOptions)
}) {
	r.RegisterWorkflowWithOptions(workflows.OverrideWorkflow, workflow.RegisterOptions{Name: contract.OverrideWorkflowName})
	r.RegisterActivityWithOptions(f.end, activity.RegisterOptions{Name: steps.OverrideEnd})
}

type overrideTest struct {
	t     *testing.T
	env   *testsuite.TestWorkflowEnvironment
	fake  *overrideFake
	in    contract.OverrideInput
	start time.Time
}

func newOverrideTest(t *testing.T, lasts time.Duration) *overrideTest {
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	start := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	env.SetStartTime(start)
	f := &overrideFake{}
	f.register(env)
	return &overrideTest{t: t, env: env, fake: f, start: start,
		in: contract.OverrideInput{OrgID: uuid.New(), OverrideID: uuid.New(), ThreadID: uuid.New(), EndsAt: start.Add(lasts)}}
}

type overrideOutcome struct {
	state contract.OverrideState
	err   error
	done  bool
}

func (o *overrideTest) cancelAfter(d time.Duration, user uuid.UUID) *overrideOutcome {
	out := &overrideOutcome{}
	o.env.RegisterDelayedCallback(func() {
		o.env.UpdateWorkflow(contract.UpdateOverrideCancel, uuid.NewString(), &testsuite.TestUpdateCallback{
			OnAccept: func() {},
			OnReject: func(err error) { out.err, out.done = err, true },
			OnComplete: func(v any, err error) {
				out.err, out.done = err, true
				b, _ := json.Marshal(v)
				_ = json.Unmarshal(b, &out.state)
			},
		}, contract.OverrideCancelRequest{UserID: user, CorrelationID: "req-cancel"})
	}, d)
	return out
}

func (o *overrideTest) run() contract.OverrideState {
	o.t.Helper()
	o.env.ExecuteWorkflow(contract.OverrideWorkflowName, o.in)
	if !o.env.IsWorkflowCompleted() {
		o.t.Fatal("the override workflow did not finish")
	}
	if err := o.env.GetWorkflowError(); err != nil {
		o.t.Fatal(err)
	}
	var st contract.OverrideState
	if err := o.env.GetWorkflowResult(&st); err != nil {
		o.t.Fatal(err)
	}
	return st
}

// Left alone, an override ends at its end time: the expiry is recorded
// once, at the end time (not later), and the workflow is over.
func TestOverrideExpiresAtItsEndTime(t *testing.T) {
	o := newOverrideTest(t, 2*time.Hour)
	var stillRunning bool
	o.env.RegisterDelayedCallback(func() { stillRunning = len(o.fake.calls) == 0 }, 119*time.Minute)
	st := o.run()
	if !stillRunning {
		t.Error("the override ended before its end time")
	}
	if len(o.fake.calls) != 1 {
		t.Fatalf("OverrideEnd ran %d times, want once", len(o.fake.calls))
	}
	call := o.fake.calls[0]
	if call.Reason != contract.OverrideEndExpired || !call.At.Equal(o.in.EndsAt) || call.UserID != nil {
		t.Errorf("recorded %+v, want an expiry at %s by nobody", call, o.in.EndsAt)
	}
	if !st.Ended || st.EndReason != contract.OverrideEndExpired || st.EndedAt == nil || !st.EndedAt.Equal(o.in.EndsAt) {
		t.Errorf("result %+v", st)
	}
	if now := o.env.Now(); now.Before(o.in.EndsAt) {
		t.Errorf("finished at %s, before the end time", now)
	}
}

// The owner removes it early: the removal is recorded at that moment, by
// them, the update answers with the ended state, and no expiry follows.
func TestOverrideCancelledEarly(t *testing.T) {
	o := newOverrideTest(t, 24*time.Hour)
	owner := uuid.New()
	out := o.cancelAfter(30*time.Minute, owner)
	late := o.cancelAfter(31*time.Minute, owner)
	st := o.run()
	if !out.done || out.err != nil || !out.state.Ended || out.state.EndReason != contract.OverrideEndCancelled {
		t.Fatalf("cancel update: %+v", out)
	}
	if len(o.fake.calls) != 1 {
		t.Fatalf("OverrideEnd ran %d times, want once", len(o.fake.calls))
	}
	call := o.fake.calls[0]
	if call.Reason != contract.OverrideEndCancelled || call.UserID == nil || *call.UserID != owner || !call.At.Equal(o.start.Add(30*time.Minute)) ||
		call.CorrelationID != "req-cancel" {
		t.Errorf("recorded %+v, want a removal by %s at 09:30", call, owner)
	}
	if st.EndReason != contract.OverrideEndCancelled {
		t.Errorf("result %+v", st)
	}
	// The workflow is over by then: a second removal finds nothing to do.
	var appErr *temporal.ApplicationError
	if late.done && late.err != nil && !errors.As(late.err, &appErr) {
		t.Errorf("a late removal: %v", late.err)
	}
}

// An override whose end time has passed when the workflow starts (the
// worker was down) is recorded as expired at its end time straight away.
func TestOverridePastItsEndExpiresAtOnce(t *testing.T) {
	o := newOverrideTest(t, -time.Minute)
	st := o.run()
	if !st.Ended || len(o.fake.calls) != 1 || !o.fake.calls[0].At.Equal(o.in.EndsAt) {
		t.Errorf("state %+v, calls %+v", st, o.fake.calls)
	}
	if o.env.Now().After(o.start.Add(time.Second)) {
		t.Errorf("waited until %s", o.env.Now())
	}
}

func TestOverrideRefusesInputWithoutIDs(t *testing.T) {
	o := newOverrideTest(t, time.Hour)
	o.in.OverrideID = uuid.Nil
	o.env.ExecuteWorkflow(contract.OverrideWorkflowName, o.in)
	if o.env.GetWorkflowError() == nil || len(o.fake.calls) != 0 {
		t.Errorf("an override without an ID ran: %v", o.fake.calls)
	}
}

func TestOverrideWorkflowID(t *testing.T) {
	id := uuid.New()
	got, err := contract.ParseOverrideWorkflowID(contract.OverrideWorkflowID(id))
	if err != nil || got != id || contract.OverrideWorkflowID(id) != "override-"+id.String() {
		t.Errorf("round trip of %s: %s, %v", id, got, err)
	}
	if _, err := contract.ParseOverrideWorkflowID("window-" + id.String()); err == nil {
		t.Error("a window workflow ID parsed as an override's")
	}
}

// overrideHistories are recorded runs (TestRecordOverrideHistories) on a
// real Temporal server: an expiry and an early removal.
var overrideHistories = []string{
	"testdata/override_expired.json",
	"testdata/override_cancelled.json",
}

func TestOverrideReplay(t *testing.T) {
	replayHistories(t, overrideHistories, replayable{workflows.OverrideWorkflow, contract.OverrideWorkflowName})
}

// TestRecordOverrideHistories rewrites overrideHistories:
//
//	SNOUT_RECORD_OVERRIDE_HISTORY=1 bash scripts/test.sh -run TestRecordOverrideHistories ./workflows/
func TestRecordOverrideHistories(t *testing.T) {
	c := recordingClient(t, "SNOUT_RECORD_OVERRIDE_HISTORY")
	tq := "record-override-" + uuid.NewString()
	f := &overrideFake{}
	w := worker.New(c, tq, worker.Options{})
	f.register(w)
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	record := func(file string, lasts time.Duration, cancelIt bool) {
		f.ended = nil
		in := contract.OverrideInput{OrgID: uuid.New(), OverrideID: uuid.New(), ThreadID: uuid.New(), EndsAt: time.Now().Add(lasts)}
		id := contract.OverrideWorkflowID(in.OverrideID)
		run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: tq}, contract.OverrideWorkflowName, in)
		if err != nil {
			t.Fatal(err)
		}
		if cancelIt {
			h, err := c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{WorkflowID: id, RunID: run.GetRunID(), UpdateName: contract.UpdateOverrideCancel,
				Args: []any{contract.OverrideCancelRequest{UserID: uuid.New(), CorrelationID: "req-cancel"}}, WaitForStage: client.WorkflowUpdateStageCompleted})
			if err != nil {
				t.Fatal(err)
			}
			var st contract.OverrideState
			if err := h.Get(ctx, &st); err != nil {
				t.Fatal(err)
			}
		}
		if err := run.Get(ctx, nil); err != nil {
			t.Fatal(err)
		}
		writeHistory(ctx, t, c, id, run.GetRunID(), file)
	}
	record(overrideHistories[0], 2*time.Second, false)
	record(overrideHistories[1], time.Hour, true)
}
