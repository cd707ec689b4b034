package workflows_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/snoutos/snout/activities"
	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/platform/correlation"
	"github.com/snoutos/snout/workflows"
	"github.com/snoutos/snout/workflows/steps"
)

// A sweep run started before the re-drive moved into one activity still
// re-drives every kind of receipt in workflow code.
func TestLegacyReceiptSweepRedrivesEveryKind(t *testing.T) {
	var suite testsuite.WorkflowTestSuite
	suite.SetContextPropagators(correlation.Propagators())
	env := suite.NewTestWorkflowEnvironment()
	env.RegisterWorkflowWithOptions(workflows.ReceiptSweepWorkflow, workflow.RegisterOptions{Name: contract.ReceiptSweepWorkflowName})
	env.RegisterWorkflowWithOptions(workflows.InboundWorkflow, workflow.RegisterOptions{Name: contract.InboundWorkflowName})
	var a *activities.Activities
	env.RegisterActivity(a)
	env.OnGetVersion("receipt-sweep-redrive-activity", workflow.DefaultVersion, 1).Return(workflow.DefaultVersion)

	org := uuid.New()
	running, finished := uuid.New(), uuid.New()
	text := steps.UndispatchedReceipt{ReceiptID: uuid.New(), OrgID: org, Kind: "sms", MessageSID: testSID, CorrelationID: "req-1"}
	toRunning := steps.UndispatchedReceipt{ReceiptID: uuid.New(), OrgID: org, Kind: "status", MessageSID: "SMa", Status: "delivered", MessageID: &running}
	toFinished := steps.UndispatchedReceipt{ReceiptID: uuid.New(), OrgID: org, Kind: "status", MessageSID: "SMb", Status: "failed", ErrorCode: 30006, MessageID: &finished}
	unknown := steps.UndispatchedReceipt{ReceiptID: uuid.New(), OrgID: org, Kind: "status", MessageSID: "SMc", Status: "sent"}

	var mu sync.Mutex
	var listed steps.UndispatchedReceiptsInput
	marked := map[uuid.UUID]string{}
	var applied []uuid.UUID
	env.OnActivity(a.ListUndispatchedReceipts, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in steps.UndispatchedReceiptsInput) ([]steps.UndispatchedReceipt, error) {
			listed = in
			return []steps.UndispatchedReceipt{text, toRunning, toFinished, unknown}, nil
		})
	env.OnActivity(a.MarkReceiptDispatched, mock.Anything, mock.Anything).Return(func(_ context.Context, in steps.MarkReceiptInput) error {
		mu.Lock()
		defer mu.Unlock()
		marked[in.ReceiptID] = in.Note
		return nil
	})
	env.OnActivity(a.ApplyStatusReceipt, mock.Anything, mock.Anything).Return(func(_ context.Context, in steps.InboundReceiptRef) (steps.ApplyStatusResult, error) {
		mu.Lock()
		defer mu.Unlock()
		applied = append(applied, in.ReceiptID)
		return steps.ApplyStatusResult{Changed: true}, nil
	})
	var started contract.InboundInput
	var startedFor string
	env.OnWorkflow(contract.InboundWorkflowName, mock.Anything, mock.Anything).Return(
		func(ctx workflow.Context, in contract.InboundInput) (contract.InboundResult, error) {
			started, startedFor = in, correlation.FromWorkflow(ctx)
			return contract.InboundResult{}, nil
		})
	var signalled contract.StatusSignal
	env.OnSignalExternalWorkflow(mock.Anything, contract.DeliveryWorkflowID(running), "", contract.SignalDeliveryStatus, mock.Anything).Return(
		func(_, _, _, _ string, arg any) error {
			signalled = arg.(contract.StatusSignal)
			return nil
		})
	env.OnSignalExternalWorkflow(mock.Anything, contract.DeliveryWorkflowID(finished), "", contract.SignalDeliveryStatus, mock.Anything).
		Return(&temporal.UnknownExternalWorkflowExecutionError{})

	env.ExecuteWorkflow(contract.ReceiptSweepWorkflowName, contract.SweepInput{MinAge: 30 * time.Second})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var res contract.SweepResult
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	want := contract.SweepResult{Found: 4, Started: 1, Signalled: 1, Applied: 1, Unknown: 1}
	if res != want {
		t.Fatalf("sweep result %+v, want %+v", res, want)
	}
	if listed.MinAge != 30*time.Second || listed.Limit != 100 {
		t.Fatalf("listed with %+v", listed)
	}
	if started.ReceiptID != text.ReceiptID || started.MessageSID != testSID || startedFor != "req-1" || started.OrgID != org {
		t.Fatalf("inbound workflow started with %+v", started)
	}
	if signalled.MessageSID != "SMa" || signalled.Status != "delivered" || signalled.ReceiptID != toRunning.ReceiptID {
		t.Fatalf("signalled %+v", signalled)
	}
	if len(applied) != 1 || applied[0] != toFinished.ReceiptID {
		t.Fatalf("applied directly: %v", applied)
	}
	if _, ok := marked[text.ReceiptID]; !ok {
		t.Error("the re-driven text's receipt was not marked dispatched")
	}
	if _, ok := marked[toRunning.ReceiptID]; !ok {
		t.Error("the signalled status receipt was not marked dispatched")
	}
	if marked[unknown.ReceiptID] == "" {
		t.Error("the unknown status receipt should be closed with a note")
	}
}

// A sweep hands the whole re-drive to one activity, the webhooks' own
// dispatch, and reports what it did.
func TestReceiptSweepRedrivesThroughOneActivity(t *testing.T) {
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	env.RegisterWorkflowWithOptions(workflows.ReceiptSweepWorkflow, workflow.RegisterOptions{Name: contract.ReceiptSweepWorkflowName})
	var a *activities.Activities
	env.RegisterActivity(a)
	var asked contract.SweepInput
	did := contract.SweepResult{Found: 5, Started: 1, AlreadyStarted: 1, Signalled: 1, Applied: 1, Unknown: 1}
	env.OnActivity(a.RedriveReceipts, mock.Anything, mock.Anything).Return(func(_ context.Context, in contract.SweepInput) (contract.SweepResult, error) {
		asked = in
		return did, nil
	}).Once()

	env.ExecuteWorkflow(contract.ReceiptSweepWorkflowName, contract.SweepInput{MinAge: 30 * time.Second})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var res contract.SweepResult
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	if res != did {
		t.Fatalf("sweep result %+v, want the activity's %+v", res, did)
	}
	if asked.MinAge != 30*time.Second || asked.Limit != 100 {
		t.Fatalf("re-drive asked with %+v, want 30s and the default limit", asked)
	}
	env.AssertExpectations(t)
}
