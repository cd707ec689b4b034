package workflows

import (
	"errors"
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/platform/correlation"
	"github.com/snoutos/snout/workflows/steps"
)

// receiptSweepRedriveActivity is the change that moved the re-drive into
// the RedriveReceipts activity.
const receiptSweepRedriveActivity = "receipt-sweep-redrive-activity"

// redriveActivity bounds one sweep's re-drive: up to a hundred receipts,
// each with Temporal calls of a few seconds at most. A retry is harmless
// (a receipt already dispatched is no longer listed).
var redriveActivity = workflow.ActivityOptions{
	StartToCloseTimeout: 5 * time.Minute,
	RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: 10 * time.Second, MaximumAttempts: 3},
}

var sweepActivity = workflow.ActivityOptions{
	StartToCloseTimeout: 30 * time.Second,
	RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: 10 * time.Second, MaximumAttempts: 3},
}

// ReceiptSweepWorkflow re-drives webhook receipts whose workflow never
// started (Temporal was unreachable when the webhook came, or the handler
// died after the durable write). One activity does it, with the very
// dispatch the webhooks use (service/receipts): texts get their
// InboundWorkflow, status callbacks are signalled to their delivery
// workflow or, when it has finished, applied directly, and each receipt is
// marked. A Temporal Schedule runs it every minute (see
// worker.ensureMessagingSchedules); runs do not overlap.
//
// Runs started before that (GetVersion receiptSweepRedriveActivity) re-drive
// in workflow code, receipt by receipt: runLegacy keeps them replaying.
func ReceiptSweepWorkflow(ctx workflow.Context, in contract.SweepInput) (contract.SweepResult, error) {
	w := &receiptSweep{in: in}
	if err := w.setup(ctx); err != nil {
		return contract.SweepResult{}, err
	}
	return w.run(ctx)
}

type receiptSweep struct {
	in     contract.SweepInput
	log    log.Logger
	act    workflow.Context
	result contract.SweepResult
}

func (w *receiptSweep) setup(ctx workflow.Context) error {
	if w.in.MinAge < 0 || w.in.Limit < 0 {
		return temporal.NewNonRetryableApplicationError("the sweep's age and limit cannot be negative", "InvalidSweepInput", nil)
	}
	if w.in.Limit == 0 {
		w.in.Limit = 100
	}
	w.log = log.With(workflow.GetLogger(ctx), "sweep", workflow.GetInfo(ctx).WorkflowExecution.ID)
	w.act = workflow.WithActivityOptions(ctx, sweepActivity)
	return nil
}

// pendingStart is an inbound child workflow whose start is awaited.
type pendingStart struct {
	receipt steps.UndispatchedReceipt
	started workflow.Future
}

func (w *receiptSweep) run(ctx workflow.Context) (contract.SweepResult, error) {
	if workflow.GetVersion(ctx, receiptSweepRedriveActivity, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return w.runLegacy(ctx)
	}
	err := workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, redriveActivity), steps.RedriveReceipts, w.in).Get(ctx, &w.result)
	return w.result, err
}

// runLegacy is the re-drive of runs started before
// receiptSweepRedriveActivity; remove it once none can be running (a run
// lasts seconds).
func (w *receiptSweep) runLegacy(ctx workflow.Context) (contract.SweepResult, error) {
	var receipts []steps.UndispatchedReceipt
	if err := workflow.ExecuteActivity(w.act, steps.ListUndispatchedReceipts, steps.UndispatchedReceiptsInput{
		MinAge: w.in.MinAge, Limit: w.in.Limit,
	}).Get(ctx, &receipts); err != nil {
		return w.result, err
	}
	w.result.Found = len(receipts)
	if len(receipts) == 0 {
		return w.result, nil
	}
	w.log.Info("re-driving webhook receipts", "count", len(receipts))

	// Start every inbound workflow first, then wait for the starts: the
	// children run on their own (abandoned), the sweep only needs to know
	// each one exists.
	var starts []pendingStart
	for _, rc := range receipts {
		switch rc.Kind {
		case steps.ReceiptKindSMS:
			starts = append(starts, pendingStart{receipt: rc, started: w.startInbound(ctx, rc)})
		case steps.ReceiptKindStatus:
			w.redriveStatus(ctx, rc)
		}
	}
	for _, p := range starts {
		err := p.started.Get(ctx, nil)
		switch {
		case err == nil:
			w.result.Started++
		case temporal.IsWorkflowExecutionAlreadyStartedError(err):
			w.result.AlreadyStarted++
		default:
			w.log.Error("inbound workflow not started; next sweep retries", "receiptId", p.receipt.ReceiptID.String(), "error", err)
			w.result.Failed++
			continue
		}
		w.markDispatched(ctx, p.receipt, "")
	}
	w.log.Info("sweep finished", "found", w.result.Found, "started", w.result.Started, "alreadyStarted", w.result.AlreadyStarted,
		"signalled", w.result.Signalled, "applied", w.result.Applied, "unknown", w.result.Unknown, "failed", w.result.Failed)
	return w.result, nil
}

func (w *receiptSweep) startInbound(ctx workflow.Context, rc steps.UndispatchedReceipt) workflow.Future {
	cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
		WorkflowID:            contract.InboundWorkflowID(rc.MessageSID),
		WorkflowIDReusePolicy: enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		ParentClosePolicy:     enums.PARENT_CLOSE_POLICY_ABANDON,
		TypedSearchAttributes: temporal.NewSearchAttributes(contract.OrgIDKey.ValueSet(rc.OrgID.String())),
	})
	if rc.CorrelationID != "" {
		cctx = correlation.WithWorkflow(cctx, rc.CorrelationID)
	}
	child := workflow.ExecuteChildWorkflow(cctx, contract.InboundWorkflowName, contract.InboundInput{
		OrgID: rc.OrgID, ReceiptID: rc.ReceiptID, MessageSID: rc.MessageSID,
	})
	return child.GetChildWorkflowExecution()
}

func (w *receiptSweep) redriveStatus(ctx workflow.Context, rc steps.UndispatchedReceipt) {
	if rc.MessageID == nil {
		w.log.Warn("status callback for a message Snout did not send", "receiptId", rc.ReceiptID.String(), "messageSid", rc.MessageSID)
		w.result.Unknown++
		w.markDispatched(ctx, rc, "no outbound message has this SID")
		return
	}
	err := workflow.SignalExternalWorkflow(ctx, contract.DeliveryWorkflowID(*rc.MessageID), "", contract.SignalDeliveryStatus, contract.StatusSignal{
		MessageSID: rc.MessageSID, Status: rc.Status, ErrorCode: rc.ErrorCode, ReceivedAt: rc.ReceivedAt, ReceiptID: rc.ReceiptID,
	}).Get(ctx, nil)
	var gone *temporal.UnknownExternalWorkflowExecutionError
	switch {
	case err == nil:
		w.result.Signalled++
		w.markDispatched(ctx, rc, "")
	case errors.As(err, &gone):
		actx := w.act
		if rc.CorrelationID != "" {
			actx = correlation.WithWorkflow(actx, rc.CorrelationID)
		}
		if err := workflow.ExecuteActivity(actx, steps.ApplyStatusReceipt, steps.InboundReceiptRef{
			OrgID: rc.OrgID, ReceiptID: rc.ReceiptID, MessageSID: rc.MessageSID,
		}).Get(ctx, nil); err != nil {
			w.log.Error("status callback not applied; next sweep retries", "receiptId", rc.ReceiptID.String(), "error", err)
			w.result.Failed++
			return
		}
		w.result.Applied++
	default:
		w.log.Error("delivery workflow not signalled; next sweep retries", "receiptId", rc.ReceiptID.String(), "error", err)
		w.result.Failed++
	}
}

func (w *receiptSweep) markDispatched(ctx workflow.Context, rc steps.UndispatchedReceipt, note string) {
	if err := workflow.ExecuteActivity(w.act, steps.MarkReceiptDispatched, steps.MarkReceiptInput{
		OrgID: rc.OrgID, ReceiptID: rc.ReceiptID, Note: note,
	}).Get(ctx, nil); err != nil {
		w.log.Error("receipt not marked dispatched; the next sweep sees it again", "receiptId", rc.ReceiptID.String(), "error", err)
	}
}
