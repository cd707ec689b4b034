package activities

import (
	"context"
	"errors"

	"github.com/snoutos/snout/internal/platform/obs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/internal/twilio/twiliowebhook"
	"github.com/snoutos/snout/workflows/steps"
)

// ListUndispatchedReceipts finds receipts older than MinAge whose workflow
// was never started, oldest first, across orgs. A status receipt whose
// payload cannot be read is marked processed with a note and skipped.
func (a *Activities) ListUndispatchedReceipts(ctx context.Context, in steps.UndispatchedReceiptsInput) ([]steps.UndispatchedReceipt, error) {
	limit := in.Limit
	if limit <= 0 {
		limit = 100
	}
	before := a.now().Add(-in.MinAge)
	orgIDs, err := a.Store.OrgsWithUndispatchedReceipts(ctx, before, limit)
	if err != nil {
		return nil, err
	}
	out := []steps.UndispatchedReceipt{}
	for _, orgID := range orgIDs {
		if len(out) >= limit {
			break
		}
		org := a.Store.Org(orgID)
		receipts, err := org.UndispatchedReceipts(ctx, before, limit-len(out))
		if err != nil {
			return nil, err
		}
		for _, rc := range receipts {
			u := steps.UndispatchedReceipt{ReceiptID: rc.ID, OrgID: orgID, Kind: rc.Kind, MessageSID: rc.MessageSID,
				CorrelationID: rc.CorrelationID, ReceivedAt: rc.ReceivedAt}
			if rc.Kind == twiliowebhook.KindStatus {
				st, err := parseStatusReceipt(&rc)
				if err != nil {
					a.Log.WarnContext(obs.WithCorrelationID(ctx, rc.CorrelationID), "stored status callback cannot be read; dropping it",
						"orgId", orgID, "receiptId", rc.ID, "err", err)
					if err := org.MarkReceiptProcessed(ctx, rc.ID, a.now(), "unreadable status callback"); err != nil {
						return nil, err
					}
					continue
				}
				u.Status, u.ErrorCode = st.Status, st.ErrorCode
				att, err := org.AttemptBySID(ctx, st.MessageSID)
				switch {
				case err == nil:
					u.MessageID = &att.MessageID
				case !errors.Is(err, store.ErrNotFound):
					return nil, err
				}
			}
			out = append(out, u)
		}
	}
	return out, nil
}

func parseStatusReceipt(rc *store.WebhookReceipt) (twiliowebhook.Status, error) {
	form, err := twiliowebhook.FromPayload(rc.Payload)
	if err != nil {
		return twiliowebhook.Status{}, err
	}
	return twiliowebhook.ParseStatus(form)
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
// database (forward only, idempotent), for messages whose delivery
// workflow is no longer running, and marks the receipt processed.
func (a *Activities) ApplyStatusReceipt(ctx context.Context, in steps.InboundReceiptRef) (steps.ApplyStatusResult, error) {
	ctx, log := a.inboundLog(ctx, in.OrgID, in.MessageSID, in.CorrelationID)
	org := a.Store.Org(in.OrgID)
	rc, err := org.WebhookReceipt(ctx, in.ReceiptID)
	if err != nil {
		return steps.ApplyStatusResult{}, err
	}
	st, err := parseStatusReceipt(rc)
	if err != nil {
		return steps.ApplyStatusResult{}, org.MarkReceiptProcessed(ctx, rc.ID, a.now(), "unreadable status callback")
	}
	mid, changed, err := org.ApplyProviderStatus(ctx, twiliowebhook.StatusUpdate(st, rc.ReceivedAt))
	if errors.Is(err, store.ErrNotFound) {
		log.WarnContext(ctx, "status callback for a message Snout did not send", "status", st.Status)
		return steps.ApplyStatusResult{Unknown: true}, org.MarkReceiptProcessed(ctx, rc.ID, a.now(), "no outbound message has this SID")
	}
	if err != nil {
		return steps.ApplyStatusResult{}, err
	}
	log.InfoContext(ctx, "status callback applied directly", "messageId", mid, "status", st.Status, "changed", changed)
	return steps.ApplyStatusResult{MessageID: mid, Changed: changed}, org.MarkReceiptProcessed(ctx, rc.ID, a.now(), "")
}
