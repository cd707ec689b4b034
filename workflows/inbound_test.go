package workflows_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/snoutos/snout/activities"
	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/domain/message"
	"github.com/snoutos/snout/internal/domain/routing"
	"github.com/snoutos/snout/internal/platform/correlation"
	"github.com/snoutos/snout/workflows"
	"github.com/snoutos/snout/workflows/steps"
)

// inboundWorld stands in for the database and the provider behind the
// inbound activities: one org with Sam's sitter number and the front desk,
// a client, and what the workflow stored.
type inboundWorld struct {
	mu sync.Mutex

	now      time.Time
	body     string
	to       string
	windows  []routing.Window
	numbers  map[string]steps.ReceivingNumber
	clientID uuid.UUID
	threadID uuid.UUID

	// storeFailures makes the first n StoreInboundMessage runs fail.
	storeFailures int
	storeRuns     int
	// helpErr makes every SendHelpReply run fail.
	helpErr error
	// clientErr makes ResolveInboundClient fail.
	clientErr error

	optOuts   []steps.OptOutKeywordInput
	stored    []steps.StoreInboundMessageInput
	audits    []steps.InboundAuditInput
	helps     []steps.HelpReplyInput
	processed []steps.MarkReceiptInput
	corr      correlations
}

var (
	samID      = uuid.MustParse("00000000-0000-4000-8000-00000000005a")
	samNumber  = uuid.MustParse("00000000-0000-4000-8000-0000000000a1")
	frontDesk  = uuid.MustParse("00000000-0000-4000-8000-0000000000f0")
	inboundOrg = uuid.MustParse("00000000-0000-4000-8000-0000000000aa")
	// The workflow clock starts at the wall clock: the test environment
	// gives a retried local activity a deadline from the workflow clock
	// but checks it against the wall clock, so a clock in the past would
	// time every retry out at once.
	t0 = time.Now().UTC().Truncate(time.Second)
)

const testSID = "SM0123456789abcdef0123456789abcdef"

func newInboundWorld() *inboundWorld {
	return &inboundWorld{
		now:  t0,
		body: "Is Biscuit OK?",
		to:   "+14155550101",
		numbers: map[string]steps.ReceivingNumber{
			"+14155550101": {NumberID: samNumber, E164: "+14155550101", Class: "sitter", Status: "active", SitterID: &samID},
			"+14155550100": {NumberID: frontDesk, E164: "+14155550100", Class: "front_desk", Status: "active"},
		},
		clientID: uuid.MustParse("00000000-0000-4000-8000-0000000000c1"),
		threadID: uuid.MustParse("00000000-0000-4000-8000-0000000000d1"),
	}
}

func (f *inboundWorld) load(ctx context.Context, in steps.InboundReceiptRef) (steps.InboundText, error) {
	return steps.InboundText{ReceiptID: in.ReceiptID, MessageSID: in.MessageSID, From: "+16505550101", To: f.to, Body: f.body,
		Media: []message.MediaItem{}, ReceivedAt: f.now.Add(-time.Second), CorrelationID: correlation.ID(ctx)}, nil
}

func (f *inboundWorld) client(_ context.Context, in steps.ResolveInboundClientInput) (steps.InboundClient, error) {
	if f.clientErr != nil {
		return steps.InboundClient{}, f.clientErr
	}
	return steps.InboundClient{ClientID: f.clientID, E164: "+16505550101"}, nil
}

func (f *inboundWorld) number(_ context.Context, in steps.FindReceivingNumberInput) (steps.ReceivingNumber, error) {
	n, ok := f.numbers[in.To]
	if !ok {
		return n, temporal.NewNonRetryableApplicationError("unknown number", steps.ErrTypeUnknownNumber, nil)
	}
	return n, nil
}

func (f *inboundWorld) thread(_ context.Context, in steps.EnsureInboundThreadInput) (steps.InboundThread, error) {
	return steps.InboundThread{ThreadID: f.threadID, Created: true, Number: in.Number}, nil
}

func (f *inboundWorld) optOut(_ context.Context, in steps.OptOutKeywordInput) (steps.OptOutKeywordResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.optOuts = append(f.optOuts, in)
	return steps.OptOutKeywordResult{Changed: true}, nil
}

func (f *inboundWorld) routingContext(_ context.Context, in steps.RoutingContextInput) (steps.RoutingContext, error) {
	return steps.RoutingContext{Overrides: []routing.Override{}, Windows: f.windows,
		Sitters: []steps.SitterName{{ID: samID.String(), Name: "Sam Patel"}}}, nil
}

func (f *inboundWorld) store(_ context.Context, in steps.StoreInboundMessageInput) (steps.StoredInboundMessage, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.storeRuns++
	if f.storeRuns <= f.storeFailures {
		return steps.StoredInboundMessage{}, errors.New("connection reset by peer")
	}
	f.stored = append(f.stored, in)
	return steps.StoredInboundMessage{MessageID: uuid.NewSHA1(uuid.Nil, []byte(in.Text.MessageSID)), Inserted: true}, nil
}

func (f *inboundWorld) audit(ctx context.Context, in steps.InboundAuditInput) error {
	f.corr.saw(ctx, "audit")
	f.mu.Lock()
	defer f.mu.Unlock()
	f.audits = append(f.audits, in)
	return nil
}

func (f *inboundWorld) help(_ context.Context, in steps.HelpReplyInput) (steps.HelpReplyResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.helps = append(f.helps, in)
	if f.helpErr != nil {
		return steps.HelpReplyResult{}, f.helpErr
	}
	return steps.HelpReplyResult{MessageID: activities.HelpReplyMessageID(in.MessageSID), ProviderSID: "SMreply"}, nil
}

func (f *inboundWorld) processedReceipt(_ context.Context, in steps.MarkReceiptInput) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.processed = append(f.processed, in)
	return nil
}

func (f *inboundWorld) run(t *testing.T) (*testsuite.TestWorkflowEnvironment, contract.InboundResult, error) {
	t.Helper()
	env := correlatedSuite(t, "req-123").NewTestWorkflowEnvironment()
	env.SetStartTime(f.now)
	env.RegisterWorkflowWithOptions(workflows.InboundWorkflow, workflow.RegisterOptions{Name: contract.InboundWorkflowName})
	var a *activities.Activities
	env.RegisterActivity(a)
	env.OnActivity(a.LoadInboundReceipt, mock.Anything, mock.Anything).Return(f.load)
	env.OnActivity(a.ResolveInboundClient, mock.Anything, mock.Anything).Return(f.client)
	env.OnActivity(a.FindReceivingNumber, mock.Anything, mock.Anything).Return(f.number)
	env.OnActivity(a.EnsureInboundThread, mock.Anything, mock.Anything).Return(f.thread)
	env.OnActivity(a.ApplyOptOutKeyword, mock.Anything, mock.Anything).Return(f.optOut)
	env.OnActivity(a.LoadRoutingContext, mock.Anything, mock.Anything).Return(f.routingContext)
	env.OnActivity(a.StoreInboundMessage, mock.Anything, mock.Anything).Return(f.store)
	env.OnActivity(a.RecordInboundAudit, mock.Anything, mock.Anything).Return(f.audit)
	env.OnActivity(a.SendHelpReply, mock.Anything, mock.Anything).Return(f.help)
	env.OnActivity(a.MarkInboundReceiptProcessed, mock.Anything, mock.Anything).Return(f.processedReceipt)
	env.ExecuteWorkflow(contract.InboundWorkflowName, contract.InboundInput{
		OrgID: inboundOrg, ReceiptID: uuid.MustParse("00000000-0000-4000-8000-0000000000e1"), MessageSID: testSID,
	})
	if !env.IsWorkflowCompleted() {
		t.Fatal("workflow did not complete")
	}
	var res contract.InboundResult
	err := env.GetWorkflowError()
	if err == nil {
		if gerr := env.GetWorkflowResult(&res); gerr != nil {
			t.Fatal(gerr)
		}
	}
	return env, res, err
}

func samWindow(start, end time.Time, clientID uuid.UUID) routing.Window {
	return routing.Window{ID: "window-sam-avery", SitterID: samID.String(), ClientID: clientID.String(), StartsAt: start, EndsAt: end}
}

func TestInboundRoutesToSitterInsideWindow(t *testing.T) {
	f := newInboundWorld()
	f.windows = []routing.Window{samWindow(t0.Add(-2*time.Hour), t0.Add(72*time.Hour), f.clientID)}
	_, res, err := f.run(t)
	if err != nil {
		t.Fatal(err)
	}
	if res.Target != "sitter" || res.SitterID == nil || *res.SitterID != samID || res.Keyword != "none" {
		t.Fatalf("result %+v: want routed to Sam", res)
	}
	if len(f.stored) != 1 {
		t.Fatalf("stored %d messages", len(f.stored))
	}
	st := f.stored[0]
	if st.SitterID == nil || *st.SitterID != samID || st.Routing.Rule != routing.RuleSitterWindow {
		t.Fatalf("stored routing %+v", st.Routing)
	}
	if st.Routing.Target.SitterName != "Sam Patel" || len(st.Routing.Steps) != 3 {
		t.Fatalf("trace target %+v steps %d", st.Routing.Target, len(st.Routing.Steps))
	}
	matched := st.Routing.Steps[1]
	if matched.Outcome != routing.Matched || !strings.Contains(matched.Detail, "Sam Patel") || strings.Contains(matched.Detail, samID.String()) {
		t.Fatalf("the sitter step should name Sam, not his ID: %+v", matched)
	}
	if !st.Routing.DecidedAt.Equal(t0) {
		t.Fatalf("decided at %v, want workflow time %v", st.Routing.DecidedAt, t0)
	}
	if len(f.audits) != 1 || f.audits[0].Target != "sitter" || f.corr.first("audit") != "req-123" {
		t.Fatalf("audits %+v", f.audits)
	}
	if len(f.processed) != 1 || f.processed[0].Note != "" {
		t.Fatalf("receipt marks %+v", f.processed)
	}
	if len(f.helps) != 0 || len(f.optOuts) != 0 {
		t.Fatal("an ordinary text sent a help reply or changed opt-out")
	}
}

func TestInboundGoesToOwnerOutsideWindow(t *testing.T) {
	f := newInboundWorld()
	// Sam's stay with this client ended yesterday.
	f.windows = []routing.Window{samWindow(t0.Add(-96*time.Hour), t0.Add(-24*time.Hour), f.clientID)}
	_, res, err := f.run(t)
	if err != nil {
		t.Fatal(err)
	}
	if res.Target != "owner_inbox" || res.SitterID != nil {
		t.Fatalf("result %+v: want owner inbox", res)
	}
	st := f.stored[0]
	if st.SitterID != nil || st.Routing.Rule != routing.RuleOwnerInbox {
		t.Fatalf("stored routing %+v", st.Routing)
	}
	if d := st.Routing.Steps[1].Detail; st.Routing.Steps[1].Outcome != routing.Skipped || !strings.Contains(d, "ended at") || !strings.Contains(d, "Sam Patel") {
		t.Fatalf("the trace should say Sam's window ended: %+v", st.Routing.Steps[1])
	}
}

func TestInboundFrontDeskGoesToOwner(t *testing.T) {
	f := newInboundWorld()
	f.to = "+14155550100"
	f.windows = []routing.Window{samWindow(t0.Add(-2*time.Hour), t0.Add(72*time.Hour), f.clientID)}
	_, res, err := f.run(t)
	if err != nil {
		t.Fatal(err)
	}
	if res.Target != "owner_inbox" {
		t.Fatalf("a text to the front desk went to %+v", res)
	}
	if d := f.stored[0].Routing.Steps[1].Detail; !strings.Contains(d, "front desk") {
		t.Fatalf("trace: %q", d)
	}
}

func TestInboundStopOptsOutAndStillStores(t *testing.T) {
	f := newInboundWorld()
	f.body = "  Stop! "
	_, res, err := f.run(t)
	if err != nil {
		t.Fatal(err)
	}
	if res.Keyword != "opt_out" {
		t.Fatalf("keyword %q", res.Keyword)
	}
	if len(f.optOuts) != 1 || !f.optOuts[0].OptOut || f.optOuts[0].Keyword != "STOP" || f.optOuts[0].ClientID != f.clientID {
		t.Fatalf("opt-outs %+v", f.optOuts)
	}
	if len(f.stored) != 1 || f.stored[0].Text.Body != "  Stop! " {
		t.Fatal("the STOP text itself must still be stored in the thread")
	}
	if len(f.helps) != 0 {
		t.Fatal("STOP must not send the help text")
	}

	f = newInboundWorld()
	f.body = "unstop"
	if _, res, err = f.run(t); err != nil || res.Keyword != "opt_in" || len(f.optOuts) != 1 || f.optOuts[0].OptOut {
		t.Fatalf("UNSTOP: %+v %v %+v", res, err, f.optOuts)
	}
}

func TestInboundHelpSendsHelpText(t *testing.T) {
	f := newInboundWorld()
	f.body = "help"
	_, res, err := f.run(t)
	if err != nil {
		t.Fatal(err)
	}
	if res.Keyword != "help" || len(f.helps) != 1 {
		t.Fatalf("keyword %q, help replies %d", res.Keyword, len(f.helps))
	}
	h := f.helps[0]
	if h.NumberE164 != "+14155550101" || h.ClientE164 != "+16505550101" || h.MessageSID != testSID || h.ThreadID != f.threadID {
		t.Fatalf("help reply %+v: want it from the number texted, to the client, in the thread", h)
	}
	if len(f.optOuts) != 0 || len(f.stored) != 1 {
		t.Fatal("HELP must not change opt-out and must be stored")
	}
}

func TestInboundHelpReplyFailureDoesNotLoseTheText(t *testing.T) {
	f := newInboundWorld()
	f.body = "INFO"
	f.helpErr = errors.New("provider unreachable")
	_, _, err := f.run(t)
	if err != nil {
		t.Fatalf("a failing help reply failed the workflow: %v", err)
	}
	if len(f.helps) != 5 {
		t.Fatalf("help reply tried %d times, want the policy's 5", len(f.helps))
	}
	if len(f.stored) != 1 || len(f.processed) != 1 {
		t.Fatal("the text must be stored and the receipt processed")
	}
}

func TestInboundRetriesAFailingActivity(t *testing.T) {
	f := newInboundWorld()
	f.storeFailures = 2
	_, res, err := f.run(t)
	if err != nil {
		t.Fatal(err)
	}
	if f.storeRuns != 3 || len(f.stored) != 1 || res.MessageID == uuid.Nil {
		t.Fatalf("store ran %d times, stored %d: want 2 failures then success", f.storeRuns, len(f.stored))
	}
	if len(f.audits) != 1 || len(f.processed) != 1 {
		t.Fatal("later steps must run once after the retried step succeeds")
	}
}

func TestInboundPermanentFailureMarksReceipt(t *testing.T) {
	f := newInboundWorld()
	f.clientErr = temporal.NewNonRetryableApplicationError("not a phone number", steps.ErrTypeInvalidSender, nil)
	_, _, err := f.run(t)
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) || appErr.Type() != steps.ErrTypeInvalidSender {
		t.Fatalf("want the InvalidSender failure, got %v", err)
	}
	if len(f.stored) != 0 || len(f.processed) != 1 || !strings.Contains(f.processed[0].Note, steps.ErrTypeInvalidSender) {
		t.Fatalf("receipt should be marked with the reason: %+v", f.processed)
	}
}

func TestInboundRejectsIncompleteInput(t *testing.T) {
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	env.RegisterWorkflow(workflows.InboundWorkflow)
	env.ExecuteWorkflow(workflows.InboundWorkflow, contract.InboundInput{OrgID: inboundOrg})
	if err := env.GetWorkflowError(); err == nil {
		t.Fatal("an input without a receipt and SID must fail")
	}
}
