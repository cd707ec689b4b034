package workflows_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/workflows"
	"github.com/snoutos/snout/workflows/steps"
)

// Recorded window histories: one edited while it runs (a sitter change
// that texts the client, an earlier end) and ended by its timer, one
// cancelled by an operator.
var windowHistories = []string{
	"testdata/window_edited_and_ended.json",
	"testdata/window_cancelled.json",
}

func TestWindowReplay(t *testing.T) {
	replayHistories(t, windowHistories, replayable{workflows.WindowWorkflow, contract.WindowWorkflowName})
}

// TestRecordWindowHistories rewrites the histories above from runs on the
// Temporal dev server scripts/test.sh starts, with fake activities:
//
//	SNOUT_RECORD_WINDOW_HISTORY=1 bash scripts/test.sh -run TestRecordWindowHistories ./workflows/
func TestRecordWindowHistories(t *testing.T) {
	c := recordingClient(t, "SNOUT_RECORD_WINDOW_HISTORY")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	record := func(file string, in contract.WindowInput, drive func(id string)) {
		tq := "record-window-" + uuid.NewString()
		w := worker.New(c, tq, worker.Options{})
		w.RegisterWorkflowWithOptions(workflows.WindowWorkflow, workflow.RegisterOptions{Name: contract.WindowWorkflowName})
		for name, fn := range map[string]any{
			steps.WindowActivate:  func(context.Context, steps.WindowStatusInput) error { return nil },
			steps.WindowFinish:    func(context.Context, steps.WindowStatusInput) error { return nil },
			steps.WindowApplyEdit: func(context.Context, steps.WindowApplyEditInput) error { return nil },
			steps.WindowNotifyClient: func(context.Context, steps.WindowNotifyInput) (steps.WindowNotifyResult, error) {
				return steps.WindowNotifyResult{MessageID: uuid.New()}, nil
			},
		} {
			w.RegisterActivityWithOptions(fn, activity.RegisterOptions{Name: name})
		}
		if err := w.Start(); err != nil {
			t.Fatal(err)
		}
		defer w.Stop()
		id := contract.WindowWorkflowID(in.WindowID)
		run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: tq}, contract.WindowWorkflowName, in)
		if err != nil {
			t.Fatal(err)
		}
		drive(id)
		if err := run.Get(ctx, nil); err != nil {
			t.Fatal(err)
		}
		writeHistory(ctx, t, c, id, run.GetRunID(), file)
	}
	update := func(id, name string, arg any) {
		h, err := c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{WorkflowID: id, UpdateName: name, Args: []any{arg},
			WaitForStage: client.WorkflowUpdateStageCompleted})
		if err != nil {
			t.Fatal(err)
		}
		var st contract.WindowState
		if err := h.Get(ctx, &st); err != nil {
			t.Fatal(err)
		}
	}
	window := func(start, end time.Duration) contract.WindowInput {
		now := time.Now()
		return contract.WindowInput{OrgID: uuid.New(), WindowID: uuid.New(), SitterID: uuid.New(), ClientID: uuid.New(),
			StartsAt: now.Add(start), EndsAt: now.Add(end), NotifyClient: true, ActorUserID: uuid.New()}
	}

	in := window(time.Second, time.Hour)
	record(windowHistories[0], in, func(id string) {
		update(id, contract.UpdateWindowSettled, nil)
		time.Sleep(2 * time.Second)
		update(id, contract.UpdateWindowEdit, contract.WindowEdit{SitterID: uuid.New(), StartsAt: in.StartsAt, EndsAt: time.Now().Add(2 * time.Second),
			NotifyClient: true, UserID: uuid.New()})
	})
	in = window(-time.Minute, time.Hour)
	record(windowHistories[1], in, func(id string) {
		update(id, contract.UpdateWindowSettled, nil)
		update(id, contract.UpdateWindowCancel, contract.WindowCancel{UserID: uuid.New(), Reason: "trip called off"})
	})
}
