package workflows_test

import (
	"context"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/workflows"
	"github.com/snoutos/snout/workflows/steps"
)

// The window sweep hands its bounds to ResumeWindows and answers its
// counts; a negative bound is refused before anything runs.
func TestWindowSweepResumesThroughOneActivity(t *testing.T) {
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	env.RegisterWorkflowWithOptions(workflows.WindowSweepWorkflow, workflow.RegisterOptions{Name: contract.WindowSweepWorkflowName})
	var got []contract.WindowSweepInput
	env.RegisterActivityWithOptions(func(_ context.Context, in contract.WindowSweepInput) (contract.WindowSweepResult, error) {
		got = append(got, in)
		return contract.WindowSweepResult{Open: 4, Started: 3, Running: 1}, nil
	}, activity.RegisterOptions{Name: steps.ResumeWindows})
	env.ExecuteWorkflow(contract.WindowSweepWorkflowName, contract.WindowSweepInput{MinAge: time.Minute, Limit: 500})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var res contract.WindowSweepResult
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	if res != (contract.WindowSweepResult{Open: 4, Started: 3, Running: 1}) {
		t.Errorf("result %+v", res)
	}
	if len(got) != 1 || got[0].MinAge != time.Minute || got[0].Limit != 500 {
		t.Errorf("activity called with %+v, want once with the sweep's bounds", got)
	}

	bad := suite.NewTestWorkflowEnvironment()
	bad.RegisterWorkflowWithOptions(workflows.WindowSweepWorkflow, workflow.RegisterOptions{Name: contract.WindowSweepWorkflowName})
	bad.ExecuteWorkflow(contract.WindowSweepWorkflowName, contract.WindowSweepInput{MinAge: -time.Second})
	if bad.GetWorkflowError() == nil {
		t.Error("a negative age was accepted")
	}
}
