package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/workflows/steps"
)

// resumeWindowsActivity bounds one sweep: a start call per open window. A
// retry is harmless (a window whose workflow runs is only counted).
var resumeWindowsActivity = workflow.ActivityOptions{
	StartToCloseTimeout: 5 * time.Minute,
	RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: 10 * time.Second, MaximumAttempts: 3},
}

// WindowSweepWorkflow gives every window that has not finished a running
// workflow (window-<id>): the ResumeWindows activity starts the missing
// ones from the stored windows. A Temporal Schedule runs it (see
// worker.ensureWindowSchedules); runs do not overlap.
func WindowSweepWorkflow(ctx workflow.Context, in contract.WindowSweepInput) (contract.WindowSweepResult, error) {
	var res contract.WindowSweepResult
	if in.MinAge < 0 || in.Limit < 0 {
		return res, temporal.NewNonRetryableApplicationError("the sweep's age and limit cannot be negative", "InvalidSweepInput", nil)
	}
	err := workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, resumeWindowsActivity), steps.ResumeWindows, in).Get(ctx, &res)
	if err == nil && res.Started+res.Failed > 0 {
		workflow.GetLogger(ctx).Info("window sweep", "open", res.Open, "started", res.Started, "running", res.Running, "failed", res.Failed)
	}
	return res, err
}
