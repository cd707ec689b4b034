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
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/workflows"
	"github.com/snoutos/snout/workflows/steps"
)

// windowWorld is the database as the window workflow's activities see it:
// the stored status over time, and the texts and edits written.
type windowWorld struct {
	mu       sync.Mutex
	env      *testsuite.TestWorkflowEnvironment
	status   string
	statusAt map[string]time.Time
	edits    []steps.WindowApplyEditInput
	texts    []steps.WindowNotifyInput
	cancelBy uuid.UUID
	// overlap refuses edits starting at this time.
	overlap time.Time
}

func (f *windowWorld) setStatus(_ context.Context, in steps.WindowStatusInput) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.status = in.Status
	f.statusAt[in.Status] = f.env.Now()
	if in.Status == contract.WindowPhaseCancelled {
		f.cancelBy = in.ActorUserID
	}
	return nil
}

func (f *windowWorld) edit(_ context.Context, in steps.WindowApplyEditInput) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if in.StartsAt.Equal(f.overlap) {
		return temporal.NewNonRetryableApplicationError("The client already has a sitter for part of that time.", contract.WindowErrOverlap, nil)
	}
	f.edits = append(f.edits, in)
	return nil
}

func (f *windowWorld) notify(_ context.Context, in steps.WindowNotifyInput) (steps.WindowNotifyResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.texts = append(f.texts, in)
	return steps.WindowNotifyResult{MessageID: uuid.New()}, nil
}

type windowTest struct {
	t     *testing.T
	env   *testsuite.TestWorkflowEnvironment
	world *windowWorld
	in    contract.WindowInput
	t0    time.Time
}

var windowT0 = time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC)

func newWindowTest(t *testing.T, start, end time.Duration, notify bool) *windowTest {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.SetStartTime(windowT0)
	env.RegisterWorkflowWithOptions(workflows.WindowWorkflow, workflow.RegisterOptions{Name: contract.WindowWorkflowName})
	f := &windowWorld{env: env, status: contract.WindowPhaseScheduled, statusAt: map[string]time.Time{}}
	env.RegisterActivityWithOptions(f.setStatus, activity.RegisterOptions{Name: steps.WindowActivate})
	env.RegisterActivityWithOptions(f.setStatus, activity.RegisterOptions{Name: steps.WindowFinish})
	env.RegisterActivityWithOptions(f.edit, activity.RegisterOptions{Name: steps.WindowApplyEdit})
	env.RegisterActivityWithOptions(f.notify, activity.RegisterOptions{Name: steps.WindowNotifyClient})
	in := contract.WindowInput{OrgID: uuid.New(), WindowID: uuid.New(), SitterID: uuid.New(), ClientID: uuid.New(),
		StartsAt: windowT0.Add(start), EndsAt: windowT0.Add(end), NotifyClient: notify, ActorUserID: uuid.New()}
	return &windowTest{t: t, env: env, world: f, in: in, t0: windowT0}
}

type windowOutcome struct {
	state contract.WindowState
	err   error
	done  bool
}

func (w *windowTest) update(after time.Duration, name string, arg any) *windowOutcome {
	out := &windowOutcome{}
	w.env.RegisterDelayedCallback(func() {
		w.env.UpdateWorkflow(name, uuid.NewString(), &testsuite.TestUpdateCallback{
			OnAccept: func() {},
			OnReject: func(err error) { out.err, out.done = err, true },
			OnComplete: func(v any, err error) {
				out.err, out.done = err, true
				if err == nil {
					b, _ := json.Marshal(v)
					_ = json.Unmarshal(b, &out.state)
				}
			},
		}, arg)
	}, after)
	return out
}

func (w *windowTest) run() contract.WindowResult {
	w.t.Helper()
	w.env.ExecuteWorkflow(contract.WindowWorkflowName, w.in)
	if !w.env.IsWorkflowCompleted() {
		w.t.Fatal("the window workflow did not complete")
	}
	var res contract.WindowResult
	if err := w.env.GetWorkflowResult(&res); err != nil {
		w.t.Fatalf("window workflow: %v", err)
	}
	return res
}

func windowRefused(t *testing.T, what string, out *windowOutcome, errType string) {
	t.Helper()
	var appErr *temporal.ApplicationError
	if !out.done || !errors.As(out.err, &appErr) || appErr.Type() != errType || appErr.Message() == "" {
		t.Errorf("%s: got %+v, want a refusal of type %s with a reason", what, out, errType)
	}
}

// Left alone, a window activates at its start (texting the client once)
// and deactivates at its end; the settled update answers while it waits.
func TestWindowActivatesAtStartAndEndsAtEnd(t *testing.T) {
	w := newWindowTest(t, 2*time.Hour, 50*time.Hour, true)
	settled := w.update(0, contract.UpdateWindowSettled, nil)
	var activeMid string
	w.env.RegisterDelayedCallback(func() { activeMid = w.world.status }, 3*time.Hour)
	res := w.run()
	if !settled.done || settled.err != nil || settled.state.Phase != contract.WindowPhaseScheduled {
		t.Errorf("settled = %+v, want scheduled", settled)
	}
	if got := w.world.statusAt[contract.WindowPhaseActive]; !got.Equal(w.in.StartsAt) {
		t.Errorf("activated at %v, want the start %v", got, w.in.StartsAt)
	}
	if activeMid != contract.WindowPhaseActive {
		t.Errorf("status during the window = %q", activeMid)
	}
	if got := w.world.statusAt[contract.WindowPhaseEnded]; !got.Equal(w.in.EndsAt) {
		t.Errorf("ended at %v, want the end %v", got, w.in.EndsAt)
	}
	if len(w.world.texts) != 1 || w.world.texts[0].Key != "start" || w.world.texts[0].SitterID != w.in.SitterID {
		t.Errorf("reassignment texts = %+v, want one at the start", w.world.texts)
	}
	if res.Outcome != contract.WindowPhaseEnded || res.Notified != 1 {
		t.Errorf("result = %+v", res)
	}
}

// A window whose start has passed activates at once; without the notify
// flag nobody is texted.
func TestWindowThatAlreadyStartedActivatesAtOnce(t *testing.T) {
	w := newWindowTest(t, -time.Hour, time.Hour, false)
	settled := w.update(0, contract.UpdateWindowSettled, nil)
	w.run()
	if settled.state.Phase != contract.WindowPhaseActive {
		t.Errorf("settled = %+v, want active", settled)
	}
	if got := w.world.statusAt[contract.WindowPhaseActive]; !got.Equal(w.t0) {
		t.Errorf("activated at %v, want at once (%v)", got, w.t0)
	}
	if len(w.world.texts) != 0 {
		t.Errorf("texts without notify: %+v", w.world.texts)
	}
}

// An edit moves the timers: a later start activates later, an earlier end
// ends earlier; an overlap refused by the database leaves the window as it
// was, and an impossible edit is refused by the validator.
func TestWindowEditMovesTheTimers(t *testing.T) {
	w := newWindowTest(t, 2*time.Hour, 10*time.Hour, false)
	later := w.in.StartsAt.Add(3 * time.Hour)
	edit := contract.WindowEdit{SitterID: w.in.SitterID, StartsAt: later, EndsAt: w.in.EndsAt, UserID: uuid.New()}
	moved := w.update(time.Hour, contract.UpdateWindowEdit, edit)
	w.world.overlap = w.t0.Add(90 * time.Minute)
	clash := w.update(70*time.Minute, contract.UpdateWindowEdit, contract.WindowEdit{SitterID: w.in.SitterID, StartsAt: w.world.overlap, EndsAt: w.in.EndsAt})
	inverted := w.update(80*time.Minute, contract.UpdateWindowEdit, contract.WindowEdit{SitterID: w.in.SitterID, StartsAt: later, EndsAt: later})
	// Once running: its start cannot move into the future, its end can move in.
	var statusAtOldStart string
	w.env.RegisterDelayedCallback(func() { statusAtOldStart = w.world.status }, 2*time.Hour+time.Minute)
	future := w.update(6*time.Hour, contract.UpdateWindowEdit, contract.WindowEdit{SitterID: w.in.SitterID, StartsAt: w.t0.Add(7 * time.Hour), EndsAt: w.in.EndsAt})
	sooner := w.update(6*time.Hour, contract.UpdateWindowEdit, contract.WindowEdit{SitterID: w.in.SitterID, StartsAt: later, EndsAt: w.t0.Add(8 * time.Hour)})
	res := w.run()

	if moved.err != nil || !moved.state.StartsAt.Equal(later) {
		t.Errorf("edit = %+v", moved)
	}
	windowRefused(t, "overlapping edit", clash, contract.WindowErrOverlap)
	windowRefused(t, "end equal to start", inverted, contract.WindowErrInvalidEdit)
	windowRefused(t, "start of a running window into the future", future, contract.WindowErrInvalidEdit)
	if statusAtOldStart != contract.WindowPhaseScheduled {
		t.Errorf("at the old start the window is %q, want still scheduled", statusAtOldStart)
	}
	if got := w.world.statusAt[contract.WindowPhaseActive]; !got.Equal(later) {
		t.Errorf("activated at %v, want the new start %v", got, later)
	}
	if sooner.err != nil {
		t.Errorf("shorter end: %v", sooner.err)
	}
	if got := w.world.statusAt[contract.WindowPhaseEnded]; !got.Equal(w.t0.Add(8 * time.Hour)) {
		t.Errorf("ended at %v, want the new end", got)
	}
	if len(w.world.edits) != 2 || w.world.edits[0].Seq != 1 || w.world.edits[1].Seq != 2 {
		t.Errorf("edits written = %+v", w.world.edits)
	}
	if res.Outcome != contract.WindowPhaseEnded {
		t.Errorf("result = %+v", res)
	}
}

// A change of sitter while the window runs texts the client again when
// asked.
func TestWindowSitterChangeTextsTheClient(t *testing.T) {
	w := newWindowTest(t, -time.Hour, 5*time.Hour, true)
	other := uuid.New()
	w.update(time.Hour, contract.UpdateWindowEdit, contract.WindowEdit{SitterID: other, StartsAt: w.in.StartsAt, EndsAt: w.in.EndsAt, NotifyClient: true})
	res := w.run()
	if len(w.world.texts) != 2 || w.world.texts[1].SitterID != other || w.world.texts[1].Key != "edit-1" {
		t.Errorf("texts = %+v", w.world.texts)
	}
	if res.Notified != 2 {
		t.Errorf("result = %+v", res)
	}
}

// Cancelling ends the window at once, by the operator, and nothing after
// it can edit or cancel it again.
func TestWindowCancelEndsIt(t *testing.T) {
	w := newWindowTest(t, -time.Hour, 48*time.Hour, false)
	user := uuid.New()
	cancelled := w.update(2*time.Hour, contract.UpdateWindowCancel, contract.WindowCancel{UserID: user, Reason: "trip called off"})
	again := w.update(3*time.Hour, contract.UpdateWindowCancel, contract.WindowCancel{UserID: user})
	res := w.run()
	if cancelled.err != nil || cancelled.state.Phase != contract.WindowPhaseCancelled {
		t.Errorf("cancel = %+v", cancelled)
	}
	if got := w.world.statusAt[contract.WindowPhaseCancelled]; !got.Equal(w.t0.Add(2 * time.Hour)) {
		t.Errorf("cancelled at %v", got)
	}
	if _, ended := w.world.statusAt[contract.WindowPhaseEnded]; ended || w.world.cancelBy != user {
		t.Errorf("status history %v, cancelled by %v", w.world.statusAt, w.world.cancelBy)
	}
	if again.done && again.err == nil {
		t.Errorf("a second cancel was accepted: %+v", again)
	}
	if res.Outcome != contract.WindowPhaseCancelled {
		t.Errorf("result = %+v", res)
	}
}
