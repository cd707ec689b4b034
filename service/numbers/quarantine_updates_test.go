package numbers_test

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
	"github.com/snoutos/snout/service/numbers"
	"github.com/snoutos/snout/workflows"
	"github.com/snoutos/snout/workflows/steps"
)

// quarantineWorld runs QuarantineWorkflow on the Temporal dev server with
// activities that stand in for the database and Twilio.
type quarantineWorld struct {
	t  *testing.T
	c  client.Client
	tq string

	mu         sync.Mutex
	beginErr   error
	releaseErr error // the provider's answer to every release
	releases   int
	finishes   []steps.QuarantineFinishInput
	// finishedFor is the correlation ID each finish ran with.
	finishedFor []string
}

func newQuarantineWorld(t *testing.T) *quarantineWorld {
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
	q := &quarantineWorld{t: t, c: c, tq: "quarantine-" + uuid.NewString()}
	rep := uuid.New()
	w := worker.New(c, q.tq, worker.Options{})
	w.RegisterWorkflowWithOptions(workflows.QuarantineWorkflow, workflow.RegisterOptions{Name: contract.QuarantineWorkflowName})
	for name, fn := range map[string]any{
		steps.QuarantineBegin: func(context.Context, steps.QuarantineBeginInput) (steps.QuarantineBeginResult, error) {
			q.mu.Lock()
			defer q.mu.Unlock()
			if q.beginErr != nil {
				return steps.QuarantineBeginResult{}, q.beginErr
			}
			return steps.QuarantineBeginResult{ReplacementNumberID: rep, ReplacementE164: "+14155550104", Targets: []uuid.UUID{rep}}, nil
		},
		steps.QuarantineMoveThreads: func(context.Context, steps.QuarantineMoveThreadsInput) (steps.QuarantineMoveThreadsResult, error) {
			return steps.QuarantineMoveThreadsResult{Moves: []contract.QuarantineMove{
				{ThreadID: uuid.New(), ClientID: uuid.New(), ToNumberID: rep, ToE164: "+14155550104"},
			}}, nil
		},
		steps.QuarantineSendNotices: func(_ context.Context, in steps.QuarantineSendNoticesInput) (steps.QuarantineSendNoticesResult, error) {
			return steps.QuarantineSendNoticesResult{Notified: len(in.ThreadIDs)}, nil
		},
		steps.NumberReleaseAtProvider: func(context.Context, steps.NumberReleaseAtProviderInput) (steps.NumberReleaseAtProviderResult, error) {
			q.mu.Lock()
			defer q.mu.Unlock()
			q.releases++
			if q.releaseErr != nil {
				return steps.NumberReleaseAtProviderResult{}, q.releaseErr
			}
			return steps.NumberReleaseAtProviderResult{Released: true}, nil
		},
		steps.QuarantineReleaseFailed: func(context.Context, steps.QuarantineReleaseFailedInput) error { return nil },
		steps.QuarantineFinish: func(ctx context.Context, in steps.QuarantineFinishInput) error {
			q.mu.Lock()
			defer q.mu.Unlock()
			q.finishes = append(q.finishes, in)
			q.finishedFor = append(q.finishedFor, correlation.ID(ctx))
			return nil
		},
	} {
		w.RegisterActivityWithOptions(fn, activity.RegisterOptions{Name: name})
	}
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	return q
}

func (q *quarantineWorld) input(numberID uuid.UUID) contract.QuarantineInput {
	return contract.QuarantineInput{
		OrgID: uuid.New(), QuarantineID: uuid.New(), NumberID: numberID, PhoneNumber: "+14155550103", NotifyClients: true,
		EndAction: contract.QuarantineEndReturnToPool, Cooldown: time.Hour, ActorUserID: uuid.New(),
	}
}

func (q *quarantineWorld) started(in contract.QuarantineInput) numbers.QuarantineStart {
	q.t.Helper()
	res, err := numbers.StartQuarantine(context.Background(), q.c, q.tq, in, numbers.QuarantineAnswerWait)
	if err != nil {
		q.t.Fatal(err)
	}
	if res.State == nil {
		q.t.Fatal("no state: the quarantine did not answer in time")
	}
	return res
}

func (q *quarantineWorld) result(numberID uuid.UUID) contract.QuarantineResult {
	q.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var res contract.QuarantineResult
	if err := q.c.GetWorkflow(ctx, contract.QuarantineWorkflowID(numberID), "").Get(ctx, &res); err != nil {
		q.t.Fatal(err)
	}
	return res
}

func refused(t *testing.T, what string, err error, kind errs.Kind, code string) {
	t.Helper()
	e, ok := errs.As(err)
	if !ok || e.Kind != kind || e.Code != code || e.Message == "" {
		t.Errorf("%s: got %v (%+v), want refusal %s with a reason", what, err, e, code)
	}
}

func TestStartQuarantineAnswersWhenTheCooldownRuns(t *testing.T) {
	q := newQuarantineWorld(t)
	number := uuid.New()
	in := q.input(number)
	res := q.started(in)
	if res.State.Phase != contract.QuarantinePhaseCoolingDown || res.State.QuarantineID != in.QuarantineID ||
		len(res.State.Impact.Moves) != 1 || res.State.Impact.ClientsNotified != 1 {
		t.Errorf("state = %+v, want cooling down with the thread moved and its client texted", res.State)
	}
	if res.WorkflowID != contract.QuarantineWorkflowID(number) || res.RunID == "" {
		t.Errorf("workflow %q run %q", res.WorkflowID, res.RunID)
	}
	// The same request again (a retried HTTP call) gets the same answer.
	again := q.started(in)
	if again.RunID != res.RunID {
		t.Errorf("a repeated start began run %s, want the running %s", again.RunID, res.RunID)
	}
	// A second quarantine of the number is a conflict with a reason.
	_, err := numbers.StartQuarantine(context.Background(), q.c, q.tq, q.input(number), numbers.QuarantineAnswerWait)
	refused(t, "second quarantine", err, errs.KindConflict, "quarantine_running")
}

func TestStartQuarantineRefusals(t *testing.T) {
	for _, tc := range []struct {
		errType, code string
		kind          errs.Kind
	}{
		{contract.QuarantineErrNoReplacement, "no_replacement", errs.KindConflict},
		{contract.QuarantineErrNotQuarantinable, "number_not_quarantinable", errs.KindConflict},
		{contract.QuarantineErrInvalidReplacement, "invalid_request", errs.KindInvalid},
	} {
		t.Run(tc.errType, func(t *testing.T) {
			q := newQuarantineWorld(t)
			q.beginErr = temporal.NewNonRetryableApplicationError("Refused for a reason the operator reads.", tc.errType, nil)
			_, err := numbers.StartQuarantine(context.Background(), q.c, q.tq, q.input(uuid.New()), numbers.QuarantineAnswerWait)
			refused(t, "start", err, tc.kind, tc.code)
			e, _ := errs.As(err)
			reason := ""
			if e != nil {
				reason = e.Message
				if e.Kind == errs.KindInvalid {
					reason = e.Fields["replacementNumberId"]
				}
			}
			if reason != "Refused for a reason the operator reads." {
				t.Errorf("refusal %+v, want the activity's reason", e)
			}
		})
	}
}

func TestRestoreQuarantineAnswersWhenRestored(t *testing.T) {
	q := newQuarantineWorld(t)
	number := uuid.New()
	q.started(q.input(number))
	owner := uuid.New()
	answer, err := numbers.RestoreQuarantine(context.Background(), q.c, number, contract.QuarantineSignal{UserID: owner, Reason: "false alarm", CorrelationID: "req-restore"})
	if err != nil {
		t.Fatal(err)
	}
	if answer == nil || answer.Outcome != contract.QuarantineOutcomeRestored || answer.State.Phase != contract.QuarantinePhaseDone {
		t.Fatalf("answer = %+v, want restored and done", answer)
	}
	if res := q.result(number); res.Outcome != contract.QuarantineOutcomeRestored {
		t.Errorf("outcome %q", res.Outcome)
	}
	if len(q.finishes) != 1 || q.finishes[0].ActorUserID != owner || q.finishedFor[0] != "req-restore" {
		t.Errorf("finishes = %+v, want the owner's restore", q.finishes)
	}
	// Over: another click is a conflict.
	_, err = numbers.ReleaseQuarantineNow(context.Background(), q.c, number, contract.QuarantineSignal{UserID: owner})
	refused(t, "release after the restore", err, errs.KindConflict, "quarantine_finished")
	// And the number can be quarantined again.
	q.started(q.input(number))
}

// Restore and release-now clicked at once: one is carried out, the other
// is a conflict with a reason.
func TestCrossedRestoreAndReleaseGiveOneConflict(t *testing.T) {
	q := newQuarantineWorld(t)
	number := uuid.New()
	q.started(q.input(number))
	var wg sync.WaitGroup
	var restoreErr, releaseErr error
	wg.Add(2)
	go func() {
		defer wg.Done()
		_, restoreErr = numbers.RestoreQuarantine(context.Background(), q.c, number, contract.QuarantineSignal{UserID: uuid.New()})
	}()
	go func() {
		defer wg.Done()
		_, releaseErr = numbers.ReleaseQuarantineNow(context.Background(), q.c, number, contract.QuarantineSignal{UserID: uuid.New()})
	}()
	wg.Wait()
	res := q.result(number)
	switch {
	case restoreErr == nil && releaseErr != nil:
		if e, _ := errs.As(releaseErr); e == nil || e.Kind != errs.KindConflict || e.Message == "" {
			t.Errorf("the crossed release: %v, want a conflict with a reason", releaseErr)
		}
		if res.Outcome != contract.QuarantineOutcomeRestored || q.releases != 0 {
			t.Errorf("outcome %q after %d releases, want restored only", res.Outcome, q.releases)
		}
	case releaseErr == nil && restoreErr != nil:
		if e, _ := errs.As(restoreErr); e == nil || e.Kind != errs.KindConflict || e.Message == "" {
			t.Errorf("the crossed restore: %v, want a conflict with a reason", restoreErr)
		}
		if res.Outcome != contract.QuarantineOutcomeReleased {
			t.Errorf("outcome %q, want released", res.Outcome)
		}
	default:
		t.Fatalf("restore: %v, release: %v; want exactly one carried out", restoreErr, releaseErr)
	}
	if len(q.finishes) != 1 {
		t.Errorf("finished %d times, want once", len(q.finishes))
	}
}

// The provider refuses release-now: the operator hears why at once; the
// number stays in quarantine and can still be restored.
func TestReleaseNowRefusedByTheProviderIsBlocked(t *testing.T) {
	q := newQuarantineWorld(t)
	q.releaseErr = temporal.NewNonRetryableApplicationError("Twilio didn't accept the account credentials.", steps.ErrTypeNumberReleaseRejected, nil)
	number := uuid.New()
	q.started(q.input(number))
	_, err := numbers.ReleaseQuarantineNow(context.Background(), q.c, number, contract.QuarantineSignal{UserID: uuid.New()})
	refused(t, "refused release", err, errs.KindBlocked, "release_refused")
	answer, err := numbers.RestoreQuarantine(context.Background(), q.c, number, contract.QuarantineSignal{UserID: uuid.New()})
	if err != nil || answer == nil || answer.Outcome != contract.QuarantineOutcomeRestored {
		t.Fatalf("restore after the refusal: %+v, %v", answer, err)
	}
}

func TestDecisionOnANumberWithoutQuarantineIsAConflict(t *testing.T) {
	q := newQuarantineWorld(t)
	_, err := numbers.RestoreQuarantine(context.Background(), q.c, uuid.New(), contract.QuarantineSignal{UserID: uuid.New()})
	refused(t, "restore without a quarantine", err, errs.KindConflict, "quarantine_finished")
}
