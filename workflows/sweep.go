package workflows

import (
	"errors"
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/snoutos/snout/activities"
	"github.com/snoutos/snout/internal/twiliowebhook"
)

// ReceiptSweepWorkflowName is the registered type name of
// ReceiptSweepWorkflow.
const ReceiptSweepWorkflowName = "ReceiptSweepWorkflow"

// ReceiptSweepScheduleID is the Temporal Schedule that runs the sweep.
const ReceiptSweepScheduleID = "webhook-receipt-sweep"

// SweepInput bounds one sweep.
type SweepInput struct {
	// MinAge leaves alone receipts younger than this (their webhook
	// handler may still be dispatching them). The schedule uses 30s.
	MinAge time.Duration `json:"minAge"`
	// Limit is the most receipts one run re-drives (default 100).
	Limit int `json:"limit"`
}

// SweepResult counts what one sweep did.
type SweepResult struct {
	Found int `json:"found"`
	// Started inbound workflows; AlreadyStarted ones had been started by
	// the webhook handler, whose bookkeeping did not finish.
	Started        int `json:"started"`
	AlreadyStarted int `json:"alreadyStarted"`
	// Signalled delivery workflows; Applied status callbacks went straight
	// to the database because their delivery workflow had finished.
	Signalled int `json:"signalled"`
	Applied   int `json:"applied"`
	// Unknown status callbacks name no message Snout sent.
	Unknown int `json:"unknown"`
	// Failed receipts stay for the next run.
	Failed int `json:"failed"`
}

var sweepActivity = workflow.ActivityOptions{
	StartToCloseTimeout: 30 * time.Second,
	RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: 10 * time.Second, MaximumAttempts: 3},
}

// ReceiptSweepWorkflow re-drives webhook receipts whose workflow never
// started (Temporal was unreachable when the webhook came, or the handler
// died after the durable write): texts get their InboundWorkflow, started
// as an abandoned child with the same ID, reuse policy and search attribute
// the webhook handler uses; status callbacks are signalled to their
// delivery workflow or, when it has finished, applied directly. Each
// receipt is then marked dispatched. A Temporal Schedule runs it every
// minute (see worker.ensureMessagingSchedules); runs do not overlap.
//
// The re-drive lives in workflow code, not in an activity holding the
// Temporal client, because the workflow IDs and inputs belong to this
// package's contract and activities cannot import it (workflows import
// activities).
func ReceiptSweepWorkflow(ctx workflow.Context, in SweepInput) (SweepResult, error) {
	w := &receiptSweep{in: in}
	if err := w.setup(ctx); err != nil {
		return SweepResult{}, err
	}
	return w.run(ctx)
}

type receiptSweep struct {
	in     SweepInput
	log    log.Logger
	act    workflow.Context
	result SweepResult
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
	receipt activities.UndispatchedReceipt
	started workflow.Future
}

func (w *receiptSweep) run(ctx workflow.Context) (SweepResult, error) {
	var a *activities.Activities
	var receipts []activities.UndispatchedReceipt
	if err := workflow.ExecuteActivity(w.act, a.ListUndispatchedReceipts, activities.UndispatchedReceiptsInput{
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
		case twiliowebhook.KindSMS:
			starts = append(starts, pendingStart{receipt: rc, started: w.startInbound(ctx, rc)})
		case twiliowebhook.KindStatus:
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

func (w *receiptSweep) startInbound(ctx workflow.Context, rc activities.UndispatchedReceipt) workflow.Future {
	cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
		WorkflowID:            InboundWorkflowID(rc.MessageSID),
		WorkflowIDReusePolicy: enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		ParentClosePolicy:     enums.PARENT_CLOSE_POLICY_ABANDON,
		TypedSearchAttributes: temporal.NewSearchAttributes(OrgIDKey.ValueSet(rc.OrgID.String())),
	})
	child := workflow.ExecuteChildWorkflow(cctx, InboundWorkflowName, InboundInput{
		OrgID: rc.OrgID, ReceiptID: rc.ReceiptID, MessageSID: rc.MessageSID, CorrelationID: rc.CorrelationID,
	})
	return child.GetChildWorkflowExecution()
}

func (w *receiptSweep) redriveStatus(ctx workflow.Context, rc activities.UndispatchedReceipt) {
	var a *activities.Activities
	if rc.MessageID == nil {
		w.log.Warn("status callback for a message Snout did not send", "receiptId", rc.ReceiptID.String(), "messageSid", rc.MessageSID)
		w.result.Unknown++
		w.markDispatched(ctx, rc, "no outbound message has this SID")
		return
	}
	err := workflow.SignalExternalWorkflow(ctx, DeliveryWorkflowID(*rc.MessageID), "", SignalDeliveryStatus, StatusSignal{
		MessageSID: rc.MessageSID, Status: rc.Status, ErrorCode: rc.ErrorCode, ReceivedAt: rc.ReceivedAt, ReceiptID: rc.ReceiptID,
	}).Get(ctx, nil)
	var gone *temporal.UnknownExternalWorkflowExecutionError
	switch {
	case err == nil:
		w.result.Signalled++
		w.markDispatched(ctx, rc, "")
	case errors.As(err, &gone):
		if err := workflow.ExecuteActivity(w.act, a.ApplyStatusReceipt, activities.InboundReceiptRef{
			OrgID: rc.OrgID, ReceiptID: rc.ReceiptID, MessageSID: rc.MessageSID, CorrelationID: rc.CorrelationID,
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

func (w *receiptSweep) markDispatched(ctx workflow.Context, rc activities.UndispatchedReceipt, note string) {
	var a *activities.Activities
	if err := workflow.ExecuteActivity(w.act, a.MarkReceiptDispatched, activities.MarkReceiptInput{
		OrgID: rc.OrgID, ReceiptID: rc.ReceiptID, Note: note,
	}).Get(ctx, nil); err != nil {
		w.log.Error("receipt not marked dispatched; the next sweep sees it again", "receiptId", rc.ReceiptID.String(), "error", err)
	}
}
