package receipts

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/platform/obs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/internal/twilio/twiliowebhook"
)

// dispatchTimeout bounds each Temporal call of a dispatch. Twilio gives up
// on a webhook after 15 s; when Temporal does not answer in time the
// webhook is acknowledged anyway and the sweep dispatches the receipt.
const dispatchTimeout = 4 * time.Second

// Outcome is what dispatching a receipt did.
type Outcome int

// The outcomes.
const (
	// Deferred: left for a later sweep (Temporal not configured, or a
	// status for a SID whose send may not be recorded yet).
	Deferred Outcome = iota
	// Started: the text's inbound workflow was started; AlreadyStarted:
	// it had been, by an earlier dispatch whose bookkeeping did not finish.
	Started
	AlreadyStarted
	// Signalled: the status went to its running delivery workflow;
	// Applied: that workflow had finished, so the status went straight to
	// the database (forward only).
	Signalled
	Applied
	// Unknown: a status callback names no message Snout sent, or cannot
	// be read; the receipt is closed with a note.
	Unknown
	// Failed: Temporal or the database refused; the receipt waits for the
	// next sweep, with the reason recorded.
	Failed
)

// dispatch hands a stored receipt to the workflow that owns its work and
// records that on the receipt. Failures are logged and recorded, never
// returned: the receipt is durable and the sweep tries again. final says
// the receipt is old enough that a status callback for a SID Snout has not
// recorded is not Snout's (a fresh one may have overtaken the recording of
// its own send: Twilio can call back within milliseconds).
func (s *Service) dispatch(ctx context.Context, rc *store.WebhookReceipt, final bool) Outcome {
	ctx = obs.WithCorrelationID(ctx, rc.CorrelationID)
	log := s.receiptLog(rc)
	switch rc.Kind {
	case twiliowebhook.KindSMS:
		return s.startInbound(ctx, rc, log)
	case twiliowebhook.KindStatus:
		return s.deliverStatus(ctx, rc, final, log)
	}
	log.ErrorContext(ctx, "receipt of an unknown kind left undispatched")
	return Failed
}

// startInbound starts the text's inbound workflow, once per MessageSid.
func (s *Service) startInbound(ctx context.Context, rc *store.WebhookReceipt, log *slog.Logger) Outcome {
	if s.Temporal == nil {
		log.WarnContext(ctx, "Temporal is not configured; the receipt sweep will start the inbound workflow")
		return Deferred
	}
	if rc.CorrelationID != "" {
		// A re-drive runs for the webhook request that stored the receipt.
		ctx = obs.WithCorrelationID(ctx, rc.CorrelationID)
	}
	dctx, cancel := context.WithTimeout(ctx, dispatchTimeout)
	defer cancel()
	_, err := s.Temporal.ExecuteWorkflow(dctx, client.StartWorkflowOptions{
		ID:                                       contract.InboundWorkflowID(rc.MessageSID),
		TaskQueue:                                s.TaskQueue,
		WorkflowIDReusePolicy:                    enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		WorkflowExecutionErrorWhenAlreadyStarted: true,
		TypedSearchAttributes:                    temporal.NewSearchAttributes(contract.OrgIDKey.ValueSet(rc.OrgID.String())),
	}, contract.InboundWorkflowName, contract.InboundInput{
		OrgID: rc.OrgID, ReceiptID: rc.ID, MessageSID: rc.MessageSID,
	})
	outcome := Started
	switch {
	case temporal.IsWorkflowExecutionAlreadyStartedError(err):
		outcome = AlreadyStarted
	case err != nil:
		log.WarnContext(ctx, "inbound workflow not started; the receipt sweep will retry", "err", err)
		s.recordFailure(ctx, rc, err.Error(), log)
		return Failed
	}
	s.markDispatched(ctx, rc, log)
	return outcome
}

// deliverStatus signals a status callback to its delivery workflow or,
// when that has finished, applies it directly.
func (s *Service) deliverStatus(ctx context.Context, rc *store.WebhookReceipt, final bool, log *slog.Logger) Outcome {
	org := s.Store.Org(rc.OrgID)
	st, err := StatusOf(rc)
	if err != nil {
		log.WarnContext(ctx, "stored status callback cannot be read; dropping it", "err", err)
		s.close(ctx, rc, "unreadable status callback", log)
		return Unknown
	}
	att, err := org.AttemptBySID(ctx, st.MessageSID)
	switch {
	case errors.Is(err, store.ErrNotFound) && final:
		log.WarnContext(ctx, "status callback for a message Snout did not send", "status", st.Status)
		s.close(ctx, rc, "no outbound message has this SID", log)
		return Unknown
	case errors.Is(err, store.ErrNotFound):
		log.InfoContext(ctx, "status callback for a SID Snout has not recorded; the receipt sweep checks again")
		s.recordFailure(ctx, rc, "no outbound message has this SID yet", log)
		return Deferred
	case err != nil:
		log.WarnContext(ctx, "status callback not dispatched; the receipt sweep will retry", "err", err)
		return Failed
	}
	if s.Temporal == nil {
		log.WarnContext(ctx, "Temporal is not configured; the receipt sweep will deliver the status")
		return Deferred
	}
	dctx, cancel := context.WithTimeout(ctx, dispatchTimeout)
	defer cancel()
	err = s.Temporal.SignalWorkflow(dctx, contract.DeliveryWorkflowID(att.MessageID), "", contract.SignalDeliveryStatus, contract.StatusSignal{
		MessageSID: st.MessageSID, Status: st.Status, ErrorCode: st.ErrorCode, ReceivedAt: rc.ReceivedAt, ReceiptID: rc.ID,
	})
	var gone *serviceerror.NotFound
	switch {
	case err == nil:
		s.markDispatched(ctx, rc, log)
		return Signalled
	case errors.As(err, &gone):
		// The delivery workflow has finished (or the message was an
		// automatic reply sent without one): apply it here.
		res, err := s.ApplyStatus(context.WithoutCancel(ctx), rc)
		switch {
		case err != nil:
			log.WarnContext(ctx, "status not applied; the receipt sweep will retry", "err", err)
			return Failed
		case res.Unknown:
			return Unknown
		}
		return Applied
	default:
		log.WarnContext(ctx, "delivery workflow not signalled; the receipt sweep will retry", "err", err)
		s.recordFailure(ctx, rc, err.Error(), log)
		return Failed
	}
}

// StatusApplied says what a status callback applied directly changed.
type StatusApplied struct {
	MessageID uuid.UUID
	Changed   bool
	// Unknown: no outbound message has the SID; the receipt is closed.
	Unknown bool
}

// ApplyStatus applies a stored status callback straight to the database
// (forward only, idempotent), for a message whose delivery workflow is no
// longer running, and marks the receipt processed.
func (s *Service) ApplyStatus(ctx context.Context, rc *store.WebhookReceipt) (StatusApplied, error) {
	org := s.Store.Org(rc.OrgID)
	st, err := StatusOf(rc)
	if err != nil {
		return StatusApplied{Unknown: true}, org.MarkReceiptProcessed(ctx, rc.ID, s.Now(), "unreadable status callback")
	}
	mid, changed, err := org.ApplyProviderStatus(ctx, twiliowebhook.StatusUpdate(st, rc.ReceivedAt))
	if errors.Is(err, store.ErrNotFound) {
		s.receiptLog(rc).WarnContext(ctx, "status callback for a message Snout did not send", "status", st.Status)
		return StatusApplied{Unknown: true}, org.MarkReceiptProcessed(ctx, rc.ID, s.Now(), "no outbound message has this SID")
	}
	if err != nil {
		return StatusApplied{}, err
	}
	s.receiptLog(rc).InfoContext(ctx, "status callback applied directly", "messageId", mid, "status", st.Status, "changed", changed)
	return StatusApplied{MessageID: mid, Changed: changed}, org.MarkReceiptProcessed(ctx, rc.ID, s.Now(), "")
}

// StatusOf reads the status callback a receipt holds.
func StatusOf(rc *store.WebhookReceipt) (twiliowebhook.Status, error) {
	form, err := twiliowebhook.FromPayload(rc.Payload)
	if err != nil {
		return twiliowebhook.Status{}, err
	}
	return twiliowebhook.ParseStatus(form)
}

// The receipt's bookkeeping outlives the request that started it.

func (s *Service) markDispatched(ctx context.Context, rc *store.WebhookReceipt, log *slog.Logger) {
	if err := s.Store.Org(rc.OrgID).MarkReceiptDispatched(context.WithoutCancel(ctx), rc.ID, s.Now()); err != nil {
		log.ErrorContext(ctx, "receipt not marked dispatched; the next dispatch finds the work already done", "err", err)
	}
}

func (s *Service) recordFailure(ctx context.Context, rc *store.WebhookReceipt, reason string, log *slog.Logger) {
	if err := s.Store.Org(rc.OrgID).RecordReceiptDispatchError(context.WithoutCancel(ctx), rc.ID, reason); err != nil {
		log.ErrorContext(ctx, "dispatch error not recorded", "err", err)
	}
}

func (s *Service) close(ctx context.Context, rc *store.WebhookReceipt, note string, log *slog.Logger) {
	if err := s.Store.Org(rc.OrgID).MarkReceiptProcessed(context.WithoutCancel(ctx), rc.ID, s.Now(), note); err != nil {
		log.ErrorContext(ctx, "receipt not closed", "err", err)
	}
}
