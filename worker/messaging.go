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

// ReceiptSweepEvery is how often the webhook receipt sweep runs, and
// ReceiptSweepMinAge how old a receipt must be before it re-drives it.
const (
	ReceiptSweepEvery  = time.Minute
	ReceiptSweepMinAge = 30 * time.Second
)

// registerMessaging registers the inbound text workflow and the webhook
// receipt sweep. Their activities are methods of activities.Activities,
// registered with the rest in Register.
func registerMessaging(w sdkworker.Registry) {
	w.RegisterWorkflowWithOptions(workflows.InboundWorkflow, workflow.RegisterOptions{Name: contract.InboundWorkflowName})
	w.RegisterWorkflowWithOptions(workflows.ReceiptSweepWorkflow, workflow.RegisterOptions{Name: contract.ReceiptSweepWorkflowName})
}

// ensureMessagingSchedules creates the webhook receipt sweep schedule, or
// brings an existing one in line with this configuration (task queue,
// interval). Safe to run from every worker at every start.
func ensureMessagingSchedules(ctx context.Context, c client.Client, cfg config.Config) error {
	spec := client.ScheduleSpec{Intervals: []client.ScheduleIntervalSpec{{Every: ReceiptSweepEvery}}}
	action := &client.ScheduleWorkflowAction{
		ID:                  contract.ReceiptSweepScheduleID,
		Workflow:            contract.ReceiptSweepWorkflowName,
		Args:                []any{contract.SweepInput{MinAge: ReceiptSweepMinAge, Limit: 100}},
		TaskQueue:           cfg.TemporalTaskQueue,
		WorkflowRunTimeout:  5 * time.Minute,
		WorkflowTaskTimeout: 10 * time.Second,
	}
	sc := c.ScheduleClient()
	_, err := sc.Create(ctx, client.ScheduleOptions{
		ID: contract.ReceiptSweepScheduleID, Spec: spec, Action: action,
		Overlap: enums.SCHEDULE_OVERLAP_POLICY_SKIP, CatchupWindow: ReceiptSweepEvery,
		Note: "Re-drives inbound texts and status callbacks whose workflow never started (e.g. Temporal was down).",
	})
	if err == nil {
		return nil
	}
	if !errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
		return fmt.Errorf("creating the %s schedule: %w", contract.ReceiptSweepScheduleID, err)
	}
	err = sc.GetHandle(ctx, contract.ReceiptSweepScheduleID).Update(ctx, client.ScheduleUpdateOptions{
		DoUpdate: func(in client.ScheduleUpdateInput) (*client.ScheduleUpdate, error) {
			s := in.Description.Schedule
			s.Spec = &spec
			s.Action = action
			if s.Policy == nil {
				s.Policy = &client.SchedulePolicies{}
			}
			s.Policy.Overlap = enums.SCHEDULE_OVERLAP_POLICY_SKIP
			s.Policy.CatchupWindow = ReceiptSweepEvery
			return &client.ScheduleUpdate{Schedule: &s}, nil
		},
	})
	if err != nil {
		return fmt.Errorf("updating the %s schedule: %w", contract.ReceiptSweepScheduleID, err)
	}
	return nil
}
