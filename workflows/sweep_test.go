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
	"github.com/snoutos/snout/workflows"
)

func TestReceiptSweepRedrivesEveryKind(t *testing.T) {
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	env.RegisterWorkflowWithOptions(workflows.ReceiptSweepWorkflow, workflow.RegisterOptions{Name: workflows.ReceiptSweepWorkflowName})
	env.RegisterWorkflowWithOptions(workflows.InboundWorkflow, workflow.RegisterOptions{Name: workflows.InboundWorkflowName})
	var a *activities.Activities
	env.RegisterActivity(a)

	org := uuid.New()
	running, finished := uuid.New(), uuid.New()
	text := activities.UndispatchedReceipt{ReceiptID: uuid.New(), OrgID: org, Kind: "sms", MessageSID: testSID, CorrelationID: "req-1"}
	toRunning := activities.UndispatchedReceipt{ReceiptID: uuid.New(), OrgID: org, Kind: "status", MessageSID: "SMa", Status: "delivered", MessageID: &running}
	toFinished := activities.UndispatchedReceipt{ReceiptID: uuid.New(), OrgID: org, Kind: "status", MessageSID: "SMb", Status: "failed", ErrorCode: 30006, MessageID: &finished}
	unknown := activities.UndispatchedReceipt{ReceiptID: uuid.New(), OrgID: org, Kind: "status", MessageSID: "SMc", Status: "sent"}

	var mu sync.Mutex
	var listed activities.UndispatchedReceiptsInput
	marked := map[uuid.UUID]string{}
	var applied []uuid.UUID
	env.OnActivity(a.ListUndispatchedReceipts, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.UndispatchedReceiptsInput) ([]activities.UndispatchedReceipt, error) {
			listed = in
			return []activities.UndispatchedReceipt{text, toRunning, toFinished, unknown}, nil
		})
	env.OnActivity(a.MarkReceiptDispatched, mock.Anything, mock.Anything).Return(func(_ context.Context, in activities.MarkReceiptInput) error {
		mu.Lock()
		defer mu.Unlock()
		marked[in.ReceiptID] = in.Note
		return nil
	})
	env.OnActivity(a.ApplyStatusReceipt, mock.Anything, mock.Anything).Return(func(_ context.Context, in activities.InboundReceiptRef) (activities.ApplyStatusResult, error) {
		mu.Lock()
		defer mu.Unlock()
		applied = append(applied, in.ReceiptID)
		return activities.ApplyStatusResult{Changed: true}, nil
	})
	var started workflows.InboundInput
	env.OnWorkflow(workflows.InboundWorkflowName, mock.Anything, mock.Anything).Return(
		func(_ workflow.Context, in workflows.InboundInput) (workflows.InboundResult, error) {
			started = in
			return workflows.InboundResult{}, nil
		})
	var signalled workflows.StatusSignal
	env.OnSignalExternalWorkflow(mock.Anything, workflows.DeliveryWorkflowID(running), "", workflows.SignalDeliveryStatus, mock.Anything).Return(
		func(_, _, _, _ string, arg any) error {
			signalled = arg.(workflows.StatusSignal)
			return nil
		})
	env.OnSignalExternalWorkflow(mock.Anything, workflows.DeliveryWorkflowID(finished), "", workflows.SignalDeliveryStatus, mock.Anything).
		Return(&temporal.UnknownExternalWorkflowExecutionError{})

	env.ExecuteWorkflow(workflows.ReceiptSweepWorkflowName, workflows.SweepInput{MinAge: 30 * time.Second})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var res workflows.SweepResult
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	want := workflows.SweepResult{Found: 4, Started: 1, Signalled: 1, Applied: 1, Unknown: 1}
	if res != want {
		t.Fatalf("sweep result %+v, want %+v", res, want)
	}
	if listed.MinAge != 30*time.Second || listed.Limit != 100 {
		t.Fatalf("listed with %+v", listed)
	}
	if started.ReceiptID != text.ReceiptID || started.MessageSID != testSID || started.CorrelationID != "req-1" || started.OrgID != org {
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
