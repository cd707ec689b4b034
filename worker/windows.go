package worker

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/platform/config"
	"github.com/snoutos/snout/workflows"
)

// The window sweep's cadence, and the age below which a window is left to
// its creator.
const (
	WindowSweepEvery  = 2 * time.Minute
	WindowSweepMinAge = time.Minute
)

// registerWindows registers the workflows of assignment windows. Their
// activities (WindowActivate, WindowFinish, ResumeWindows, …) are methods
// of activities.Activities, registered with the rest in Register.
func registerWindows(w sdkworker.Registry) {
	w.RegisterWorkflowWithOptions(workflows.WindowWorkflow, workflow.RegisterOptions{Name: contract.WindowWorkflowName})
	w.RegisterWorkflowWithOptions(workflows.WindowSweepWorkflow, workflow.RegisterOptions{Name: contract.WindowSweepWorkflowName})
}

// ensureWindowSchedules creates (or brings up to date) the schedule of the
// window sweep.
func ensureWindowSchedules(ctx context.Context, c client.Client, cfg config.Config) error {
	spec := client.ScheduleSpec{Intervals: []client.ScheduleIntervalSpec{{Every: WindowSweepEvery}}}
	action := &client.ScheduleWorkflowAction{
		ID:                  contract.WindowSweepScheduleID,
		Workflow:            contract.WindowSweepWorkflowName,
		Args:                []any{contract.WindowSweepInput{MinAge: WindowSweepMinAge, Limit: 500}},
		TaskQueue:           cfg.TemporalTaskQueue,
		WorkflowRunTimeout:  10 * time.Minute,
		WorkflowTaskTimeout: 10 * time.Second,
	}
	sc := c.ScheduleClient()
	_, err := sc.Create(ctx, client.ScheduleOptions{
		ID: contract.WindowSweepScheduleID, Spec: spec, Action: action,
		Overlap: enums.SCHEDULE_OVERLAP_POLICY_SKIP, CatchupWindow: WindowSweepEvery,
		// The first run right away: windows stored while nothing ran get
		// their workflow when the worker starts.
		TriggerImmediately: true,
		Note:               "Starts the workflow of every assignment window that has not finished and has none running.",
	})
	if err == nil {
		return nil
	}
	if !errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
		return fmt.Errorf("creating the %s schedule: %w", contract.WindowSweepScheduleID, err)
	}
	h := sc.GetHandle(ctx, contract.WindowSweepScheduleID)
	err = h.Update(ctx, client.ScheduleUpdateOptions{
		DoUpdate: func(in client.ScheduleUpdateInput) (*client.ScheduleUpdate, error) {
			s := in.Description.Schedule
			s.Spec = &spec
			s.Action = action
			if s.Policy == nil {
				s.Policy = &client.SchedulePolicies{}
			}
			s.Policy.Overlap = enums.SCHEDULE_OVERLAP_POLICY_SKIP
			s.Policy.CatchupWindow = WindowSweepEvery
			return &client.ScheduleUpdate{Schedule: &s}, nil
		},
	})
	if err != nil {
		return fmt.Errorf("updating the %s schedule: %w", contract.WindowSweepScheduleID, err)
	}
	// A restarted worker sweeps at once too.
	if err := h.Trigger(ctx, client.ScheduleTriggerOptions{Overlap: enums.SCHEDULE_OVERLAP_POLICY_SKIP}); err != nil {
		return fmt.Errorf("triggering the %s schedule: %w", contract.WindowSweepScheduleID, err)
	}
	return nil
}
