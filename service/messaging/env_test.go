package messaging_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/dev/seed"
	"github.com/snoutos/snout/dev/testenv"
	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/platform/config"
	"github.com/snoutos/snout/internal/platform/obs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
	"github.com/snoutos/snout/service/messaging"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// env is the messaging service over a fresh demo database and, when asked,
// the real Temporal dev server with a stand-in delivery workflow on the
// test's own task queue.
type env struct {
	t     *testing.T
	ctx   context.Context
	store *store.Store
	org   *store.OrgStore
	svc   *messaging.Service
	tc    client.Client
	queue string
	demo  *seed.Result

	owner, admin, sam, riley, otherOwner service.Actor
}

// newEnv builds the service; withTemporal connects it to Temporal, else it
// has no workflow client (sending is unavailable).
func newEnv(t *testing.T, withTemporal bool) *env {
	t.Helper()
	db, dsn := testenv.DB(t)
	vars := map[string]string{"DATABASE_URL": dsn, "SNOUT_DEMO_PASSWORD": "demo-password-123", "SNOUT_DATA_DIR": t.TempDir()}
	cfg, err := config.FromLookup(func(k string) (string, bool) { v, ok := vars[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx := obs.WithCorrelationID(context.Background(), "corr-"+uuid.NewString()[:8])
	demo, err := seed.Demo(ctx, db, cfg, quiet)
	if err != nil {
		t.Fatal(err)
	}
	st := store.New(db)
	e := &env{t: t, ctx: ctx, store: st, org: st.Org(demo.OrgID), demo: demo}
	person := func(org uuid.UUID, email, role string) service.Actor {
		return service.Actor{OrgID: org, UserID: seed.ID("user/" + email), Role: role, IP: "192.0.2.7"}
	}
	e.owner = person(demo.OrgID, "owner@demo.test", store.RoleOwner)
	e.admin = person(demo.OrgID, "admin@demo.test", store.RoleAdmin)
	e.sam = person(demo.OrgID, "sam@demo.test", store.RoleSitter)
	e.riley = person(demo.OrgID, "riley@demo.test", store.RoleSitter)
	e.otherOwner = person(demo.OtherOrgID, "owner@other.test", store.RoleOwner)

	d := messaging.Deps{Store: st, Now: time.Now, Log: quiet, Audit: e.auditor()}
	if withTemporal {
		e.tc, e.queue = testenv.Temporal(t), testenv.TaskQueue(t)
		w := sdkworker.New(e.tc, e.queue, sdkworker.Options{})
		w.RegisterWorkflowWithOptions(deliveryStandIn, workflow.RegisterOptions{Name: contract.DeliveryWorkflowName})
		if err := w.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(w.Stop)
		d.Temporal, d.TaskQueue = e.tc, e.queue
	}
	e.svc = messaging.New(d)
	return e
}

// standInResult is what the stand-in delivery workflow saw: how it was
// started and the owner's choice it received, if any.
type standInResult struct {
	Input   contract.DeliveryInput
	Retry   *contract.RetrySignal
	Discard *contract.DiscardSignal
}

// deliveryStandIn takes DeliveryWorkflow's name, input and dead-letter
// updates; it answers the first retry or discard and ends, or ends after a
// while.
func deliveryStandIn(ctx workflow.Context, in contract.DeliveryInput) (standInResult, error) {
	res := standInResult{Input: in}
	if err := workflow.SetUpdateHandler(ctx, contract.UpdateDeadLetterRetry, func(ctx workflow.Context, s contract.RetrySignal) (contract.DeadLetterAnswer, error) {
		res.Retry = &s
		return contract.DeadLetterAnswer{Outcome: contract.DeadLetterRetrying, Attempt: 2}, nil
	}); err != nil {
		return res, err
	}
	if err := workflow.SetUpdateHandler(ctx, contract.UpdateDeadLetterDiscard, func(ctx workflow.Context, s contract.DiscardSignal) (contract.DeadLetterAnswer, error) {
		res.Discard = &s
		return contract.DeadLetterAnswer{Outcome: contract.DeadLetterDiscarded}, nil
	}); err != nil {
		return res, err
	}
	if _, err := workflow.AwaitWithTimeout(ctx, time.Minute, func() bool { return res.Retry != nil || res.Discard != nil }); err != nil {
		return res, err
	}
	return res, workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
}

// startStandIn runs the stand-in as a message's delivery workflow.
func (e *env) startStandIn(messageID uuid.UUID) {
	e.t.Helper()
	if _, err := e.tc.ExecuteWorkflow(e.ctx, client.StartWorkflowOptions{ID: contract.DeliveryWorkflowID(messageID), TaskQueue: e.queue},
		contract.DeliveryWorkflowName, contract.DeliveryInput{OrgID: e.demo.OrgID, MessageID: messageID}); err != nil {
		e.t.Fatal(err)
	}
}

// decided waits for the stand-in delivery workflow of a message to end on
// an owner's choice and returns what it saw.
func (e *env) decided(messageID uuid.UUID) standInResult {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(e.ctx, 30*time.Second)
	defer cancel()
	var res standInResult
	if err := e.tc.GetWorkflow(ctx, contract.DeliveryWorkflowID(messageID), "").Get(ctx, &res); err != nil {
		e.t.Fatal(err)
	}
	return res
}

// hasDelivery reports whether a delivery workflow was started for a message.
func (e *env) hasDelivery(messageID uuid.UUID) bool {
	e.t.Helper()
	_, err := e.tc.DescribeWorkflowExecution(e.ctx, contract.DeliveryWorkflowID(messageID), "")
	return err == nil
}

// deliveryInput checks that a message's delivery workflow was started with
// the org's search attribute and returns the input it was started with
// (ending the stand-in to read it back).
func (e *env) deliveryInput(messageID uuid.UUID) contract.DeliveryInput {
	e.t.Helper()
	desc, err := e.tc.DescribeWorkflowExecution(e.ctx, contract.DeliveryWorkflowID(messageID), "")
	if err != nil {
		e.t.Fatalf("no delivery workflow for %s: %v", messageID, err)
	}
	if attr := desc.WorkflowExecutionInfo.GetSearchAttributes().GetIndexedFields()["OrgId"]; attr == nil ||
		!strings.Contains(string(attr.GetData()), e.demo.OrgID.String()) {
		e.t.Errorf("delivery of %s: OrgId search attribute %v", messageID, attr)
	}
	if _, err := messaging.AskDiscard(e.ctx, e.tc, messageID, uuid.Nil, "", ""); err != nil {
		e.t.Fatal(err)
	}
	return e.decided(messageID).Input
}

// auditor writes the audit trail of the test's database.
func (e *env) auditor() service.Auditor {
	return service.Auditor{Store: e.store, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

// refusal asserts err is a refusal of kind k with code and returns it.
func refusal(t *testing.T, err error, k errs.Kind, code string) *errs.Error {
	t.Helper()
	e, ok := errs.As(err)
	if !ok {
		t.Fatalf("error %v is not a refusal; want kind %d code %q", err, k, code)
	}
	if e.Kind != k || e.Code != code {
		t.Fatalf("refusal kind %d code %q (%q), want kind %d code %q", e.Kind, e.Code, e.Message, k, code)
	}
	return e
}

// audited returns the audit events of an action about an entity.
func (e *env) audited(action, entityID string) []store.AuditEvent {
	e.t.Helper()
	events, err := e.org.AuditEvents(e.ctx, store.AuditFilter{Action: action, EntityID: entityID}, 10)
	if err != nil {
		e.t.Fatal(err)
	}
	return events
}

// messagesIn counts a thread's outbound messages.
func (e *env) messagesIn(threadID uuid.UUID) int {
	e.t.Helper()
	n, err := e.store.DB().NewSelect().Model((*store.Message)(nil)).Where("thread_id = ? AND direction = 'outbound'", threadID).Count(e.ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	return int(n)
}

func ptr[T any](v T) *T { return &v }

const hour = time.Hour

// now is the service's clock in these tests.
func (e *env) now() time.Time { return time.Now() }
