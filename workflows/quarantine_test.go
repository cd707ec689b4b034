package workflows_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/snoutos/snout/activities"
	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/workflows"
	"github.com/snoutos/snout/workflows/steps"
)

// quarantineFake stands in for the quarantine activities and records what
// the workflow asked for: the rows and texts an owner would see.
type quarantineFake struct {
	mu          sync.Mutex
	begins      []steps.QuarantineBeginInput
	moveInputs  []steps.QuarantineMoveThreadsInput
	notices     []steps.QuarantineNoticeInput
	finishes    []steps.QuarantineFinishInput
	releases    int
	releaseErrs []error // answers for each release try, then success
	alerts      []steps.QuarantineReleaseFailedInput
	deliveries  []string // delivery workflow IDs started for notices
	batches     []int    // threads per QuarantineSendNotices run
	beginErr    error

	replacement uuid.UUID
	moves       []contract.QuarantineMove
	optedOut    map[uuid.UUID]bool // threads whose client opted out
	corr        correlations
}

func newQuarantineFake() *quarantineFake {
	rep := uuid.New()
	f := &quarantineFake{replacement: rep, optedOut: map[uuid.UUID]bool{}}
	for i := 0; i < 2; i++ {
		f.moves = append(f.moves, contract.QuarantineMove{ThreadID: uuid.New(), ClientID: uuid.New(), ToNumberID: rep, ToE164: "+14155550104"})
	}
	return f
}

func (f *quarantineFake) begin(_ context.Context, in steps.QuarantineBeginInput) (steps.QuarantineBeginResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.begins = append(f.begins, in)
	if f.beginErr != nil {
		return steps.QuarantineBeginResult{}, f.beginErr
	}
	return steps.QuarantineBeginResult{ReplacementNumberID: f.replacement, ReplacementE164: "+14155550104", Targets: []uuid.UUID{f.replacement}}, nil
}

func (f *quarantineFake) move(_ context.Context, in steps.QuarantineMoveThreadsInput) (steps.QuarantineMoveThreadsResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.moveInputs = append(f.moveInputs, in)
	return steps.QuarantineMoveThreadsResult{Moves: f.moves}, nil
}

func (f *quarantineFake) notice(_ context.Context, in steps.QuarantineNoticeInput) (steps.QuarantineNoticeResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.notices = append(f.notices, in)
	id := activities.NoticeMessageID(in.QuarantineID, in.ThreadID)
	if f.optedOut[in.ThreadID] {
		return steps.QuarantineNoticeResult{MessageID: id, Skipped: true, Reason: "opted out"}, nil
	}
	return steps.QuarantineNoticeResult{MessageID: id}, nil
}

// sendNotices stands in for QuarantineSendNotices: per thread, the notice
// QuarantinePrepareNotice would store, and (unless the client opted out)
// the start of its delivery.
func (f *quarantineFake) sendNotices(_ context.Context, in steps.QuarantineSendNoticesInput) (steps.QuarantineSendNoticesResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.batches = append(f.batches, len(in.ThreadIDs))
	var res steps.QuarantineSendNoticesResult
	for _, thread := range in.ThreadIDs {
		f.notices = append(f.notices, steps.QuarantineNoticeInput{OrgID: in.OrgID, QuarantineID: in.QuarantineID, ThreadID: thread,
			OldE164: in.OldE164, CooldownEndsAt: in.CooldownEndsAt})
		if f.optedOut[thread] {
			res.Skipped++
			continue
		}
		f.deliveries = append(f.deliveries, contract.DeliveryWorkflowID(activities.NoticeMessageID(in.QuarantineID, thread)))
		res.Notified++
	}
	return res, nil
}

func (f *quarantineFake) finish(ctx context.Context, in steps.QuarantineFinishInput) error {
	f.corr.saw(ctx, "finish")
	f.mu.Lock()
	defer f.mu.Unlock()
	f.finishes = append(f.finishes, in)
	return nil
}

func (f *quarantineFake) release(_ context.Context, _ steps.NumberReleaseAtProviderInput) (steps.NumberReleaseAtProviderResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.releases++
	if len(f.releaseErrs) > 0 {
		err := f.releaseErrs[0]
		f.releaseErrs = f.releaseErrs[1:]
		return steps.NumberReleaseAtProviderResult{}, err
	}
	return steps.NumberReleaseAtProviderResult{Released: true}, nil
}

func (f *quarantineFake) releaseFailed(_ context.Context, in steps.QuarantineReleaseFailedInput) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.alerts = append(f.alerts, in)
	return nil
}

// delivery stands in for DeliveryWorkflow: it records that a notice's
// delivery started.
func (f *quarantineFake) delivery(ctx workflow.Context, _ contract.DeliveryInput) (contract.DeliveryState, error) {
	f.mu.Lock()
	f.deliveries = append(f.deliveries, workflow.GetInfo(ctx).WorkflowExecution.ID)
	f.mu.Unlock()
	return contract.DeliveryState{Status: "delivered", Attempts: 1}, nil
}

// quarantineRegistry is what both the test environment and a real worker
// offer for registration.
type quarantineRegistry interface {
	RegisterWorkflowWithOptions(w interface{}, options workflow.RegisterOptions)
	RegisterActivityWithOptions(a interface{}, options activity.RegisterOptions)
}

// register puts the workflow and the fakes on a registry, under the real
// activity names (the activities.Activities method names).
func (f *quarantineFake) register(r quarantineRegistry) {
	r.RegisterWorkflowWithOptions(workflows.QuarantineWorkflow, workflow.RegisterOptions{Name: contract.QuarantineWorkflowName})
	r.RegisterWorkflowWithOptions(f.delivery, workflow.RegisterOptions{Name: contract.DeliveryWorkflowName})
	r.RegisterActivityWithOptions(f.begin, activity.RegisterOptions{Name: "QuarantineBegin"})
	r.RegisterActivityWithOptions(f.move, activity.RegisterOptions{Name: "QuarantineMoveThreads"})
	r.RegisterActivityWithOptions(f.notice, activity.RegisterOptions{Name: "QuarantinePrepareNotice"})
	r.RegisterActivityWithOptions(f.sendNotices, activity.RegisterOptions{Name: "QuarantineSendNotices"})
	r.RegisterActivityWithOptions(f.finish, activity.RegisterOptions{Name: "QuarantineFinish"})
	r.RegisterActivityWithOptions(f.release, activity.RegisterOptions{Name: "NumberReleaseAtProvider"})
	r.RegisterActivityWithOptions(f.releaseFailed, activity.RegisterOptions{Name: "QuarantineReleaseFailed"})
}

type quarantineTest struct {
	t     *testing.T
	env   *testsuite.TestWorkflowEnvironment
	fake  *quarantineFake
	in    contract.QuarantineInput
	start time.Time
}

var quarantineStart = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

func newQuarantineTest(t *testing.T) *quarantineTest {
	env := correlatedSuite(t, "").NewTestWorkflowEnvironment()
	env.SetStartTime(quarantineStart)
	f := newQuarantineFake()
	f.register(env)
	return &quarantineTest{t: t, env: env, fake: f, start: quarantineStart, in: contract.QuarantineInput{
		OrgID: uuid.New(), QuarantineID: uuid.New(), NumberID: uuid.New(), PhoneNumber: "+14155550103",
		NotifyClients: true, EndAction: contract.QuarantineEndReturnToPool, Cooldown: 30 * 24 * time.Hour,
		Reason: "carrier filtering", ActorUserID: uuid.New(),
	}}
}

// signal sends a restore or release-now after d of (skipped) time.
func (q *quarantineTest) signal(after time.Duration, name string, user uuid.UUID) {
	q.env.RegisterDelayedCallback(func() {
		q.env.SignalWorkflow(name, contract.QuarantineSignal{UserID: user, Reason: "owner decided", CorrelationID: "req-signal"})
	}, after)
}

// stateAt queries the workflow's state after d of (skipped) time.
func (q *quarantineTest) stateAt(after time.Duration, into *contract.QuarantineState) {
	q.env.RegisterDelayedCallback(func() {
		v, err := q.env.QueryWorkflow(contract.QueryQuarantineState)
		if err != nil {
			q.t.Errorf("state query: %v", err)
			return
		}
		if err := v.Get(into); err != nil {
			q.t.Error(err)
		}
	}, after)
}

func (q *quarantineTest) run() contract.QuarantineResult {
	q.t.Helper()
	q.env.ExecuteWorkflow(contract.QuarantineWorkflowName, q.in)
	if !q.env.IsWorkflowCompleted() {
		q.t.Fatal("workflow did not complete")
	}
	if err := q.env.GetWorkflowError(); err != nil {
		q.t.Fatalf("workflow failed: %v", err)
	}
	var res contract.QuarantineResult
	if err := q.env.GetWorkflowResult(&res); err != nil {
		q.t.Fatal(err)
	}
	return res
}

func (q *quarantineTest) onlyFinish() steps.QuarantineFinishInput {
	q.t.Helper()
	if len(q.fake.finishes) != 1 {
		q.t.Fatalf("finish ran %d times, want once: %+v", len(q.fake.finishes), q.fake.finishes)
	}
	return q.fake.finishes[0]
}

func TestQuarantineFullCooldownReturnsToPool(t *testing.T) {
	q := newQuarantineTest(t)
	q.fake.optedOut[q.fake.moves[1].ThreadID] = true
	var day1, day29 contract.QuarantineState
	q.stateAt(24*time.Hour, &day1)
	q.stateAt(29*24*time.Hour, &day29)
	res := q.run()

	if res.Outcome != contract.QuarantineOutcomeReturnedToPool {
		t.Errorf("outcome = %q, want returned_to_pool", res.Outcome)
	}
	if got := res.FinishedAt.Sub(q.start); got < 30*24*time.Hour || got > 30*24*time.Hour+time.Hour {
		t.Errorf("finished %v after the start, want the 30-day cooldown", got)
	}
	fin := q.onlyFinish()
	if fin.Outcome != store.QuarantineReturnedToPool || fin.ActorUserID != uuid.Nil {
		t.Errorf("finish = %+v, want returned_to_pool by the system", fin)
	}
	if q.fake.releases != 0 {
		t.Errorf("released at the provider %d times, want never", q.fake.releases)
	}
	// The cooldown was running a day in, with the threads moved and the one
	// client who has not opted out texted through the delivery path.
	if day1.Phase != contract.QuarantinePhaseCoolingDown || !day1.CooldownEndsAt.Equal(q.start.Add(30*24*time.Hour)) {
		t.Errorf("state on day 1 = %+v, want cooling down until day 30", day1)
	}
	if len(day1.Impact.Moves) != 2 || day1.Impact.ClientsNotified != 1 || day1.Impact.NoticesSkipped != 1 {
		t.Errorf("impact on day 1 = %+v, want 2 moves, 1 client texted, 1 skipped", day1.Impact)
	}
	if day29.Phase != contract.QuarantinePhaseCoolingDown {
		t.Errorf("phase on day 29 = %q, want still cooling down", day29.Phase)
	}
	wantDelivery := contract.DeliveryWorkflowID(activities.NoticeMessageID(q.in.QuarantineID, q.fake.moves[0].ThreadID))
	if len(q.fake.deliveries) != 1 || q.fake.deliveries[0] != wantDelivery {
		t.Errorf("notice deliveries = %v, want [%s]", q.fake.deliveries, wantDelivery)
	}
	if len(q.fake.notices) != 2 || q.fake.notices[0].OldE164 != "+14155550103" {
		t.Errorf("notices prepared = %+v, want one per moved thread naming the old number", q.fake.notices)
	}
	b := q.fake.begins[0]
	if !b.CooldownEndsAt.Equal(q.start.Add(30*24*time.Hour)) || b.EndAction != contract.QuarantineEndReturnToPool || b.ReplacementNumberID != nil {
		t.Errorf("begin = %+v", b)
	}
	if mv := q.fake.moveInputs[0]; len(mv.Targets) != 1 || mv.Targets[0] != q.fake.replacement {
		t.Errorf("threads moved to %v, want the replacement %s", mv.Targets, q.fake.replacement)
	}
}

func TestQuarantineCooldownEndsWithRelease(t *testing.T) {
	q := newQuarantineTest(t)
	q.in.EndAction = contract.QuarantineEndRelease
	q.in.NotifyClients = false
	res := q.run()
	if res.Outcome != contract.QuarantineOutcomeReleased {
		t.Errorf("outcome = %q, want released", res.Outcome)
	}
	if q.fake.releases != 1 {
		t.Errorf("released at the provider %d times, want once", q.fake.releases)
	}
	if fin := q.onlyFinish(); fin.Outcome != store.QuarantineReleased {
		t.Errorf("finish outcome = %q, want released", fin.Outcome)
	}
	if got := res.FinishedAt.Sub(q.start); got < 30*24*time.Hour {
		t.Errorf("released after %v, before the cooldown ended", got)
	}
	if len(q.fake.notices) != 0 || len(q.fake.deliveries) != 0 {
		t.Errorf("clients were texted although notifyClients was false")
	}
}

func TestQuarantineEarlyRestore(t *testing.T) {
	q := newQuarantineTest(t)
	owner := uuid.New()
	q.signal(3*24*time.Hour, contract.SignalQuarantineRestore, owner)
	res := q.run()
	if res.Outcome != contract.QuarantineOutcomeRestored {
		t.Errorf("outcome = %q, want restored", res.Outcome)
	}
	if got := res.FinishedAt.Sub(q.start); got < 3*24*time.Hour || got > 3*24*time.Hour+time.Minute {
		t.Errorf("restored %v after the start, want right after the day-3 signal", got)
	}
	fin := q.onlyFinish()
	if fin.Outcome != store.QuarantineRestored || fin.ActorUserID != owner || q.fake.corr.last("finish") != "req-signal" {
		t.Errorf("finish = %+v, want restored by the owner with the signal's correlation ID", fin)
	}
	if q.fake.releases != 0 {
		t.Error("a restored number was released at the provider")
	}
}

func TestQuarantineReleaseNow(t *testing.T) {
	q := newQuarantineTest(t)
	owner := uuid.New()
	q.signal(2*24*time.Hour, contract.SignalQuarantineReleaseNow, owner)
	res := q.run()
	if res.Outcome != contract.QuarantineOutcomeReleased {
		t.Errorf("outcome = %q, want released (release-now overrides return_to_pool)", res.Outcome)
	}
	if got := res.FinishedAt.Sub(q.start); got > 2*24*time.Hour+time.Minute {
		t.Errorf("released %v after the start, want right after the day-2 signal", got)
	}
	if q.fake.releases != 1 {
		t.Errorf("released at the provider %d times, want once", q.fake.releases)
	}
	if fin := q.onlyFinish(); fin.Outcome != store.QuarantineReleased || fin.ActorUserID != owner {
		t.Errorf("finish = %+v", fin)
	}
}

func TestQuarantineRefusedReleaseAlertsAndWaits(t *testing.T) {
	q := newQuarantineTest(t)
	q.in.EndAction = contract.QuarantineEndRelease
	q.in.NotifyClients = false
	q.fake.releaseErrs = []error{temporal.NewNonRetryableApplicationError("Twilio didn't accept the account credentials.", steps.ErrTypeNumberReleaseRejected, nil)}
	var waiting contract.QuarantineState
	q.stateAt(31*24*time.Hour, &waiting)
	q.signal(32*24*time.Hour, contract.SignalQuarantineRestore, uuid.New())
	res := q.run()
	if len(q.fake.alerts) != 1 || q.fake.alerts[0].Reason != "Twilio didn't accept the account credentials." {
		t.Errorf("alerts = %+v, want one with the provider's reason", q.fake.alerts)
	}
	if waiting.Phase != contract.QuarantinePhaseFinishing {
		t.Errorf("phase while waiting = %q, want finishing", waiting.Phase)
	}
	if res.Outcome != contract.QuarantineOutcomeRestored || q.onlyFinish().Outcome != store.QuarantineRestored {
		t.Errorf("outcome = %q, want restored after the operator's restore", res.Outcome)
	}
}

func TestQuarantineStartFailureFailsWorkflow(t *testing.T) {
	q := newQuarantineTest(t)
	q.fake.beginErr = temporal.NewNonRetryableApplicationError("no replacement", steps.ErrTypeNoReplacement, nil)
	q.env.ExecuteWorkflow(contract.QuarantineWorkflowName, q.in)
	var appErr *temporal.ApplicationError
	if err := q.env.GetWorkflowError(); !errors.As(err, &appErr) || appErr.Type() != steps.ErrTypeNoReplacement {
		t.Fatalf("workflow error = %v, want %s", err, steps.ErrTypeNoReplacement)
	}
	if len(q.fake.moveInputs) != 0 || len(q.fake.finishes) != 0 {
		t.Error("threads moved or quarantine finished although it never started")
	}
}

func TestQuarantineRejectsInvalidInput(t *testing.T) {
	q := newQuarantineTest(t)
	q.in.EndAction = "delete"
	q.env.ExecuteWorkflow(contract.QuarantineWorkflowName, q.in)
	if err := q.env.GetWorkflowError(); err == nil {
		t.Fatal("an unknown end action was accepted")
	}
	if len(q.fake.begins) != 0 {
		t.Error("the number was quarantined on invalid input")
	}
}

func TestReleaseNumberWorkflowAsksProviderFirst(t *testing.T) {
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	env.RegisterWorkflowWithOptions(workflows.ReleaseNumberWorkflow, workflow.RegisterOptions{Name: contract.ReleaseNumberWorkflowName})
	var order []string
	env.RegisterActivityWithOptions(func(context.Context, steps.NumberReleaseAtProviderInput) (steps.NumberReleaseAtProviderResult, error) {
		order = append(order, "provider")
		return steps.NumberReleaseAtProviderResult{Released: true}, nil
	}, activity.RegisterOptions{Name: "NumberReleaseAtProvider"})
	var marked steps.NumberMarkReleasedInput
	env.RegisterActivityWithOptions(func(_ context.Context, in steps.NumberMarkReleasedInput) error {
		order = append(order, "inventory")
		marked = in
		return nil
	}, activity.RegisterOptions{Name: "NumberMarkReleased"})
	in := contract.ReleaseNumberInput{OrgID: uuid.New(), NumberID: uuid.New(), ActorUserID: uuid.New()}
	env.ExecuteWorkflow(contract.ReleaseNumberWorkflowName, in)
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if len(order) != 2 || order[0] != "provider" || order[1] != "inventory" {
		t.Errorf("steps = %v, want provider then inventory", order)
	}
	if !marked.ReleasedAtProvider || marked.ActorUserID != in.ActorUserID {
		t.Errorf("inventory marked with %+v", marked)
	}
}

func TestReleaseNumberWorkflowProviderRefusalKeepsNumber(t *testing.T) {
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	env.RegisterWorkflowWithOptions(workflows.ReleaseNumberWorkflow, workflow.RegisterOptions{Name: contract.ReleaseNumberWorkflowName})
	env.RegisterActivityWithOptions(func(context.Context, steps.NumberReleaseAtProviderInput) (steps.NumberReleaseAtProviderResult, error) {
		return steps.NumberReleaseAtProviderResult{}, temporal.NewNonRetryableApplicationError("refused", steps.ErrTypeNumberReleaseRejected, nil)
	}, activity.RegisterOptions{Name: "NumberReleaseAtProvider"})
	marked := false
	env.RegisterActivityWithOptions(func(context.Context, steps.NumberMarkReleasedInput) error {
		marked = true
		return nil
	}, activity.RegisterOptions{Name: "NumberMarkReleased"})
	env.ExecuteWorkflow(contract.ReleaseNumberWorkflowName, contract.ReleaseNumberInput{OrgID: uuid.New(), NumberID: uuid.New()})
	if env.GetWorkflowError() == nil {
		t.Error("a refused release succeeded")
	}
	if marked {
		t.Error("the number was marked released although the provider refused")
	}
}

// quarantineHistories are recorded runs on a real Temporal server (see
// TestRecordQuarantineHistories) replayed against today's code: a change
// that makes QuarantineWorkflow non-deterministic fails here.
var quarantineHistories = []string{
	"testdata/quarantine_return_to_pool.json",
	"testdata/quarantine_release_now.json",
	"testdata/quarantine_restore.json",
}

// quarantineHistoriesBeforeUpdates were recorded before the quarantine
// updates and the batched notices (GetVersion "quarantine-notice-batches"):
// a child delivery workflow per notice, and the release-now signal.
// Executions started then still replay; the recorder never rewrites them.
var quarantineHistoriesBeforeUpdates = []string{
	"testdata/quarantine_return_to_pool_before_updates.json",
	"testdata/quarantine_release_now_before_updates.json",
}

func TestQuarantineReplay(t *testing.T) {
	replayHistories(t, append(append([]string{}, quarantineHistories...), quarantineHistoriesBeforeUpdates...),
		replayable{workflows.QuarantineWorkflow, contract.QuarantineWorkflowName})
}

// TestRecordQuarantineHistories rewrites quarantineHistories from runs on
// the Temporal dev server scripts/test.sh starts (fake activities). The
// first is started with update-with-start, as the numbers service does:
//
//	SNOUT_RECORD_QUARANTINE_HISTORY=1 bash scripts/test.sh -run TestRecordQuarantineHistories ./workflows/
func TestRecordQuarantineHistories(t *testing.T) {
	c := recordingClient(t, "SNOUT_RECORD_QUARANTINE_HISTORY")
	tq := "record-quarantine-" + uuid.NewString()
	f := newQuarantineFake()
	w := worker.New(c, tq, worker.Options{})
	f.register(w)
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	record := func(file string, in contract.QuarantineInput, update string) {
		id := contract.QuarantineWorkflowID(in.NumberID)
		opts := client.StartWorkflowOptions{ID: id, TaskQueue: tq, WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING}
		startOp := c.NewWithStartWorkflowOperation(opts, contract.QuarantineWorkflowName, in)
		h, err := c.UpdateWithStartWorkflow(ctx, client.UpdateWithStartWorkflowOptions{
			StartWorkflowOperation: startOp,
			UpdateOptions: client.UpdateWorkflowOptions{UpdateName: contract.UpdateQuarantineStarted,
				Args: []any{contract.QuarantineStartRequest{QuarantineID: in.QuarantineID}}, WaitForStage: client.WorkflowUpdateStageCompleted},
		})
		if err != nil {
			t.Fatal(err)
		}
		var st contract.QuarantineState
		if err := h.Get(ctx, &st); err != nil {
			t.Fatal(err)
		}
		run, err := startOp.Get(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if update != "" {
			h, err := c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{WorkflowID: id, RunID: run.GetRunID(), UpdateName: update,
				Args:         []any{contract.QuarantineSignal{UserID: in.ActorUserID, CorrelationID: "req-update"}},
				WaitForStage: client.WorkflowUpdateStageCompleted})
			if err != nil {
				t.Fatal(err)
			}
			var answer contract.QuarantineAnswer
			if err := h.Get(ctx, &answer); err != nil {
				t.Fatal(err)
			}
		}
		if err := run.Get(ctx, nil); err != nil {
			t.Fatal(err)
		}
		writeHistory(ctx, t, c, id, run.GetRunID(), file)
	}
	base := contract.QuarantineInput{
		OrgID: uuid.New(), QuarantineID: uuid.New(), NumberID: uuid.New(), PhoneNumber: "+14155550103", NotifyClients: true,
		EndAction: contract.QuarantineEndReturnToPool, Cooldown: 2 * time.Second, ActorUserID: uuid.New(),
	}
	record(quarantineHistories[0], base, "")
	second := base
	second.NumberID, second.QuarantineID, second.Cooldown = uuid.New(), uuid.New(), time.Hour
	record(quarantineHistories[1], second, contract.UpdateQuarantineReleaseNow)
	third := base
	third.NumberID, third.QuarantineID, third.Cooldown, third.NotifyClients = uuid.New(), uuid.New(), time.Hour, false
	record(quarantineHistories[2], third, contract.UpdateQuarantineRestore)
}
