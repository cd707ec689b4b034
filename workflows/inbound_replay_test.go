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
	"github.com/snoutos/snout/internal/domain/routing"
	"github.com/snoutos/snout/workflows"
	"github.com/snoutos/snout/workflows/steps"
)

// inboundHistories are runs recorded on a real Temporal server (see
// TestRecordInboundHistories) replayed against today's code: a change that
// makes InboundWorkflow or ReceiptSweepWorkflow non-deterministic fails
// here.
var inboundHistories = []string{
	"testdata/inbound_sitter_window.json",
	"testdata/inbound_stop.json",
	"testdata/inbound_help_with_retry.json",
	"testdata/receipt_sweep.json",
	// Recorded before the re-drive moved into one activity (GetVersion
	// "receipt-sweep-redrive-activity"): sweeps started then still replay.
	"testdata/receipt_sweep_in_workflow_code.json",
	// Recorded before the database steps became local activities
	// (GetVersion "inbound-db-steps-local"): runs started then still replay.
	"testdata/inbound_sitter_window_before_local_steps.json",
	"testdata/inbound_stop_before_local_steps.json",
	"testdata/inbound_help_with_retry_before_local_steps.json",
}

func TestInboundReplay(t *testing.T) {
	replayHistories(t, inboundHistories,
		replayable{workflows.InboundWorkflow, contract.InboundWorkflowName},
		replayable{workflows.ReceiptSweepWorkflow, contract.ReceiptSweepWorkflowName})
}

// TestRecordInboundHistories rewrites the histories above from runs on the
// Temporal dev server scripts/test.sh starts, with the fake activities of
// inbound_test.go:
//
//	SNOUT_RECORD_INBOUND_HISTORY=1 bash scripts/test.sh -run TestRecordInboundHistories ./workflows/
func TestRecordInboundHistories(t *testing.T) {
	c := recordingClient(t, "SNOUT_RECORD_INBOUND_HISTORY")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	record := func(file string, f *inboundWorld, workflowName string, id string, arg any) {
		tq := "record-inbound-" + uuid.NewString()
		w := worker.New(c, tq, worker.Options{})
		w.RegisterWorkflowWithOptions(workflows.InboundWorkflow, workflow.RegisterOptions{Name: contract.InboundWorkflowName})
		w.RegisterWorkflowWithOptions(workflows.ReceiptSweepWorkflow, workflow.RegisterOptions{Name: contract.ReceiptSweepWorkflowName})
		for name, fn := range map[string]any{
			"LoadInboundReceipt": f.load, "ResolveInboundClient": f.client, "FindReceivingNumber": f.number,
			"EnsureInboundThread": f.thread, "ApplyOptOutKeyword": f.optOut, "LoadRoutingContext": f.routingContext,
			"StoreInboundMessage": f.store, "RecordInboundAudit": f.audit, "SendHelpReply": f.help,
			"MarkInboundReceiptProcessed": f.processedReceipt,
			"ListUndispatchedReceipts": func(context.Context, steps.UndispatchedReceiptsInput) ([]steps.UndispatchedReceipt, error) {
				missing := uuid.New()
				return []steps.UndispatchedReceipt{
					{ReceiptID: uuid.New(), OrgID: inboundOrg, Kind: "sms", MessageSID: "SM" + uuid.NewString()[:8], CorrelationID: "req-sweep"},
					{ReceiptID: uuid.New(), OrgID: inboundOrg, Kind: "status", MessageSID: "SMdone", Status: "delivered", MessageID: &missing},
					{ReceiptID: uuid.New(), OrgID: inboundOrg, Kind: "status", MessageSID: "SMunknown", Status: "sent"},
				}, nil
			},
			"MarkReceiptDispatched": func(context.Context, steps.MarkReceiptInput) error { return nil },
			"RedriveReceipts": func(context.Context, contract.SweepInput) (contract.SweepResult, error) {
				return contract.SweepResult{Found: 3, Started: 1, Applied: 1, Unknown: 1}, nil
			},
			"ApplyStatusReceipt": func(context.Context, steps.InboundReceiptRef) (steps.ApplyStatusResult, error) {
				return steps.ApplyStatusResult{Changed: true}, nil
			},
		} {
			w.RegisterActivityWithOptions(fn, activity.RegisterOptions{Name: name})
		}
		if err := w.Start(); err != nil {
			t.Fatal(err)
		}
		defer w.Stop()
		run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: tq}, workflowName, arg)
		if err != nil {
			t.Fatal(err)
		}
		if err := run.Get(ctx, nil); err != nil {
			t.Fatal(err)
		}
		writeHistory(ctx, t, c, id, run.GetRunID(), file)
	}
	inbound := func(sid string) contract.InboundInput {
		return contract.InboundInput{OrgID: inboundOrg, ReceiptID: uuid.New(), MessageSID: sid}
	}
	now := time.Now()

	f := newInboundWorld()
	f.now = now
	f.windows = []routing.Window{samWindow(now.Add(-time.Hour), now.Add(time.Hour), f.clientID)}
	sid := "SM" + uuid.NewString()[:8]
	record(inboundHistories[0], f, contract.InboundWorkflowName, contract.InboundWorkflowID(sid), inbound(sid))

	f = newInboundWorld()
	f.now, f.body = now, "STOP"
	sid = "SM" + uuid.NewString()[:8]
	record(inboundHistories[1], f, contract.InboundWorkflowName, contract.InboundWorkflowID(sid), inbound(sid))

	f = newInboundWorld()
	f.now, f.body, f.storeFailures = now, "help", 1
	sid = "SM" + uuid.NewString()[:8]
	record(inboundHistories[2], f, contract.InboundWorkflowName, contract.InboundWorkflowID(sid), inbound(sid))

	record(inboundHistories[3], newInboundWorld(), contract.ReceiptSweepWorkflowName, "sweep-record-"+uuid.NewString(), contract.SweepInput{MinAge: 30 * time.Second})
}
