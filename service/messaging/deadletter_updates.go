package messaging

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/errs"
)

// DeadLetterAnswerWait bounds how long a retry or discard waits for the
// delivery workflow's answer (it comes within a second or two while a
// worker runs).
const DeadLetterAnswerWait = 20 * time.Second

// AskRetry asks the message's delivery workflow (its update) to send a
// dead-lettered message again, as userID, and returns the workflow's
// answer once the message is out of the dead-letter list and its new
// attempt is on its way. The workflow refuses a click that crossed another
// retry or discard, or that finds the message no longer dead-lettered:
// errs.Conflict with its reason, as when the delivery has already finished.
func AskRetry(ctx context.Context, c client.Client, messageID, userID uuid.UUID, correlationID string) (contract.DeadLetterAnswer, error) {
	return askDeadLetter(ctx, c, messageID, contract.UpdateDeadLetterRetry, contract.RetrySignal{UserID: userID, CorrelationID: correlationID})
}

// AskDiscard asks the message's delivery workflow (its update) to give up on a
// dead-lettered message, as userID and for reason, and returns the
// workflow's answer once it is discarded. Refusals are as for
// AskRetry.
func AskDiscard(ctx context.Context, c client.Client, messageID, userID uuid.UUID, reason, correlationID string) (contract.DeadLetterAnswer, error) {
	return askDeadLetter(ctx, c, messageID, contract.UpdateDeadLetterDiscard,
		contract.DiscardSignal{UserID: userID, Reason: reason, CorrelationID: correlationID})
}

func askDeadLetter(ctx context.Context, c client.Client, messageID uuid.UUID, update string, arg any) (contract.DeadLetterAnswer, error) {
	var answer contract.DeadLetterAnswer
	if c == nil {
		return answer, deliveryUnreachable()
	}
	ctx, cancel := context.WithTimeout(ctx, DeadLetterAnswerWait)
	defer cancel()
	h, err := c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: contract.DeliveryWorkflowID(messageID), UpdateName: update, Args: []any{arg},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err == nil {
		err = h.Get(ctx, &answer)
	}
	if err != nil {
		return contract.DeadLetterAnswer{}, deadLetterRefusal(ctx, err)
	}
	return answer, nil
}

// deadLetterRefusal turns a failed dead-letter update into the refusal the
// owner sees.
func deadLetterRefusal(ctx context.Context, err error) error {
	var appErr *temporal.ApplicationError
	var notFound *serviceerror.NotFound
	var unavailable *serviceerror.Unavailable
	switch {
	case errors.As(err, &appErr) && appErr.Type() == contract.DeadLetterErrAlreadyDecided:
		return errs.Conflict("dead_letter_already_decided", appErr.Message())
	case errors.As(err, &appErr) && appErr.Type() == contract.DeadLetterErrNotDeadLettered:
		return errs.Conflict("not_dead_lettered", appErr.Message())
	case errors.As(err, &notFound):
		return errs.Conflict("delivery_finished", "The delivery of this message has already finished, so it can't be changed any more.")
	case errors.As(err, &unavailable), ctx.Err() != nil:
		return deliveryUnreachable()
	}
	return err
}

func deliveryUnreachable() error {
	return errs.Unavailable("delivery_unavailable", "Delivery can't be reached right now. Try again in a minute.", 30*time.Second)
}
