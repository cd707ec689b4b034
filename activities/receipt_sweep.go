package activities

import (
	"context"
	"errors"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/internal/twilio/twiliowebhook"
	"github.com/snoutos/snout/service"
	"github.com/snoutos/snout/service/receipts"
	"github.com/snoutos/snout/workflows/steps"
)

// The receipt sweep. Dispatch is the webhooks' own (service/receipts):
// RedriveReceipts runs it over every receipt left undispatched. The other
// three activities serve sweeps started before the re-drive moved out of
// workflow code (GetVersion "receipt-sweep-redrive-activity"), on the same
// service functions.

func (a *Activities) receipts() *receipts.Service {
	return &receipts.Service{Store: a.Store, Temporal: a.Temporal, TaskQueue: a.Config.TemporalTaskQueue, Now: a.now, Log: a.Log,
		Auditor: service.Auditor{Store: a.Store, Log: a.Log}}
}

// RedriveReceipts dispatches the receipts older than MinAge whose
// workflow was never started or signalled.
func (a *Activities) RedriveReceipts(ctx context.Context, in contract.SweepInput) (contract.SweepResult, error) {
	return a.receipts().Redrive(ctx, in.MinAge, in.Limit)
}

// ListUndispatchedReceipts finds receipts older than MinAge whose workflow
// was never started, with what the sweep's workflow code needs to re-drive
// them. A status receipt whose payload cannot be read is marked processed
// with a note and skipped.
func (a *Activities) ListUndispatchedReceipts(ctx context.Context, in steps.UndispatchedReceiptsInput) ([]steps.UndispatchedReceipt, error) {
	rs := a.receipts()
	pending, err := rs.Undispatched(ctx, in.MinAge, in.Limit)
	if err != nil {
		return nil, err
	}
	out := []steps.UndispatchedReceipt{}
	for _, rc := range pending {
		u := steps.UndispatchedReceipt{ReceiptID: rc.ID, OrgID: rc.OrgID, Kind: rc.Kind, MessageSID: rc.MessageSID,
			CorrelationID: rc.CorrelationID, ReceivedAt: rc.ReceivedAt}
		if rc.Kind == twiliowebhook.KindStatus {
			st, err := receipts.StatusOf(&rc)
			if err != nil {
				if _, err := rs.ApplyStatus(ctx, &rc); err != nil {
					return nil, err
				}
				continue
			}
			u.Status, u.ErrorCode = st.Status, st.ErrorCode
			att, err := a.Store.Org(rc.OrgID).AttemptBySID(ctx, st.MessageSID)
			switch {
			case err == nil:
				u.MessageID = &att.MessageID
			case !errors.Is(err, store.ErrNotFound):
				return nil, err
			}
		}
		out = append(out, u)
	}
	return out, nil
}

// MarkReceiptDispatched records that a receipt's workflow was started or
// signalled (or that there was nothing to start).
func (a *Activities) MarkReceiptDispatched(ctx context.Context, in steps.MarkReceiptInput) error {
	org := a.Store.Org(in.OrgID)
	if in.Note != "" {
		return org.MarkReceiptProcessed(ctx, in.ReceiptID, a.now(), in.Note)
	}
	return org.MarkReceiptDispatched(ctx, in.ReceiptID, a.now())
}

// ApplyStatusReceipt applies a stored status callback straight to the
// database, for messages whose delivery workflow is no longer running.
func (a *Activities) ApplyStatusReceipt(ctx context.Context, in steps.InboundReceiptRef) (steps.ApplyStatusResult, error) {
	rc, err := a.Store.Org(in.OrgID).WebhookReceipt(ctx, in.ReceiptID)
	if err != nil {
		return steps.ApplyStatusResult{}, err
	}
	res, err := a.receipts().ApplyStatus(ctx, rc)
	return steps.ApplyStatusResult{MessageID: res.MessageID, Changed: res.Changed, Unknown: res.Unknown}, err
}
