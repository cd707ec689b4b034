// Package messaging holds the use cases of texting clients: composing in a
// thread (staff and sitters), the owner's review of messages the content
// policy stopped, the dead-letter list (retry, discard) and alerts. Each
// use case loads what it needs, asks the domain rule (sendability,
// contentpolicy, segments), writes through the store, starts or signals the
// delivery workflow through the contract, audits, and returns an errs
// refusal when it says no. It knows nothing of HTTP.
package messaging

import (
	"context"
	"log/slog"
	"time"

	"github.com/google/uuid"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
)

// Deps are the service's collaborators.
type Deps struct {
	Store *store.Store
	// Temporal starts and signals delivery workflows; nil means sending
	// is unavailable (tests that never reach a workflow).
	Temporal client.Client
	// TaskQueue is where delivery workflows run.
	TaskQueue string
	Now       func() time.Time
	Log       *slog.Logger
	Audit     service.Auditor
}

// Service runs the messaging use cases.
type Service struct {
	store     *store.Store
	temporal  client.Client
	taskQueue string
	now       func() time.Time
	log       *slog.Logger
	audit     service.Auditor
}

// New builds the service.
func New(d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	return &Service{store: d.Store, temporal: d.Temporal, taskQueue: d.TaskQueue, now: d.Now, log: d.Log, audit: d.Audit}
}

// Page is one page of a list ordered newest first, and where the next
// page starts (nil on the last page).
type Page[T any] struct {
	Items []T
	Next  *store.PageCursor
}

// pageOf cuts rows, read with limit+1, to a page of limit.
func pageOf[T any](rows []T, limit int, position func(T) store.PageCursor) Page[T] {
	if len(rows) <= limit {
		return Page[T]{Items: rows}
	}
	rows = rows[:limit]
	next := position(rows[len(rows)-1])
	return Page[T]{Items: rows, Next: &next}
}

// retryIn is when to try again after Temporal could not be reached.
const retryIn = 30 * time.Second

// startDelivery starts DeliveryWorkflow for a stored pending message.
func (s *Service) startDelivery(ctx context.Context, orgID, messageID uuid.UUID) error {
	unavailable := errs.Unavailable("sending_unavailable", "Sending is unavailable right now, so nothing was sent. Try again in a minute.", retryIn)
	if s.temporal == nil {
		return unavailable
	}
	_, err := s.temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                    contract.DeliveryWorkflowID(messageID),
		TaskQueue:             s.taskQueue,
		WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		TypedSearchAttributes: temporal.NewSearchAttributes(contract.OrgIDKey.ValueSet(orgID.String())),
	}, contract.DeliveryWorkflowName, contract.DeliveryInput{OrgID: orgID, MessageID: messageID})
	if err != nil {
		s.log.ErrorContext(ctx, "starting the delivery workflow failed", "messageId", messageID, "err", err)
		return unavailable
	}
	return nil
}

// orgLocation is the org's time zone, UTC when unknown.
func (s *Service) orgLocation(ctx context.Context, orgID uuid.UUID) *time.Location {
	o, err := s.store.OrgByID(ctx, orgID)
	if err != nil {
		return time.UTC
	}
	loc, err := time.LoadLocation(o.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}
