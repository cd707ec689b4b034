package worker_test

import (
	"context"
	"testing"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/dev/testenv"
	"github.com/snoutos/snout/internal/platform/config"
	"github.com/snoutos/snout/worker"
)

// The receipt sweep schedule is created once, kept in line with the
// configuration on every worker start, and runs the sweep every minute
// without overlapping runs.
func TestReceiptSweepScheduleIsEnsuredIdempotently(t *testing.T) {
	tc := testenv.Temporal(t)
	ctx := context.Background()
	sc := tc.ScheduleClient()
	t.Cleanup(func() {
		_ = sc.GetHandle(ctx, contract.ReceiptSweepScheduleID).Delete(ctx)
		_ = sc.GetHandle(ctx, contract.WindowSweepScheduleID).Delete(ctx)
	})

	first := config.Config{TemporalTaskQueue: testenv.TaskQueue(t)}
	if err := worker.EnsureSchedules(ctx, tc, first); err != nil {
		t.Fatal(err)
	}
	second := config.Config{TemporalTaskQueue: testenv.TaskQueue(t)}
	if err := worker.EnsureSchedules(ctx, tc, second); err != nil {
		t.Fatalf("ensuring an existing schedule again: %v", err)
	}
	if err := worker.EnsureSchedules(ctx, tc, second); err != nil {
		t.Fatalf("ensuring an unchanged schedule: %v", err)
	}

	desc, err := sc.GetHandle(ctx, contract.ReceiptSweepScheduleID).Describe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	action, ok := desc.Schedule.Action.(*client.ScheduleWorkflowAction)
	if !ok {
		t.Fatalf("action %T", desc.Schedule.Action)
	}
	if action.Workflow != contract.ReceiptSweepWorkflowName || action.TaskQueue != second.TemporalTaskQueue {
		t.Fatalf("schedule runs %v on %q, want the sweep on the configured queue %q", action.Workflow, action.TaskQueue, second.TemporalTaskQueue)
	}
	if len(action.Args) != 1 {
		t.Fatalf("args %v", action.Args)
	}
	payload, ok := action.Args[0].(*commonpb.Payload)
	if !ok {
		t.Fatalf("arg %T", action.Args[0])
	}
	var in contract.SweepInput
	if err := converter.GetDefaultDataConverter().FromPayload(payload, &in); err != nil {
		t.Fatal(err)
	}
	if in.MinAge != worker.ReceiptSweepMinAge {
		t.Fatalf("sweep min age %v", in.MinAge)
	}
	spec := desc.Schedule.Spec
	if len(spec.Intervals) != 1 || spec.Intervals[0].Every != time.Minute {
		t.Fatalf("intervals %+v", spec.Intervals)
	}
	if desc.Schedule.Policy.Overlap != enums.SCHEDULE_OVERLAP_POLICY_SKIP {
		t.Fatalf("overlap %v", desc.Schedule.Policy.Overlap)
	}
}

// The window sweep's schedule is ensured with the others: on the
// configured queue, every WindowSweepEvery, without overlapping runs.
func TestWindowSweepScheduleIsEnsured(t *testing.T) {
	tc := testenv.Temporal(t)
	ctx := context.Background()
	sc := tc.ScheduleClient()
	t.Cleanup(func() {
		_ = sc.GetHandle(ctx, contract.ReceiptSweepScheduleID).Delete(ctx)
		_ = sc.GetHandle(ctx, contract.WindowSweepScheduleID).Delete(ctx)
	})
	cfg := config.Config{TemporalTaskQueue: testenv.TaskQueue(t)}
	for range 2 {
		if err := worker.EnsureSchedules(ctx, tc, cfg); err != nil {
			t.Fatal(err)
		}
	}
	desc, err := sc.GetHandle(ctx, contract.WindowSweepScheduleID).Describe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	action, ok := desc.Schedule.Action.(*client.ScheduleWorkflowAction)
	if !ok || action.Workflow != contract.WindowSweepWorkflowName || action.TaskQueue != cfg.TemporalTaskQueue {
		t.Fatalf("schedule action %+v, want the window sweep on %q", desc.Schedule.Action, cfg.TemporalTaskQueue)
	}
	if len(desc.Schedule.Spec.Intervals) != 1 || desc.Schedule.Spec.Intervals[0].Every != worker.WindowSweepEvery {
		t.Fatalf("intervals %+v", desc.Schedule.Spec.Intervals)
	}
	if desc.Schedule.Policy.Overlap != enums.SCHEDULE_OVERLAP_POLICY_SKIP {
		t.Fatalf("overlap %v", desc.Schedule.Policy.Overlap)
	}
}
