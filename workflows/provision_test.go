package workflows

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/snoutos/snout/activities"
	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/workflows/steps"
)

// provisionFixture runs ProvisionNumbersWorkflow with mocked activities and
// records what was released and marked.
type provisionFixture struct {
	env      *testsuite.TestWorkflowEnvironment
	mu       sync.Mutex
	released []steps.ProvisionReleaseInput
	marked   []steps.ProvisionMarkWebhookInput
}

func newProvisionFixture(t *testing.T) *provisionFixture {
	t.Helper()
	var suite testsuite.WorkflowTestSuite
	f := &provisionFixture{env: suite.NewTestWorkflowEnvironment()}
	f.env.RegisterWorkflowWithOptions(ProvisionNumbersWorkflow, workflow.RegisterOptions{Name: contract.ProvisionNumbersWorkflowName})
	f.env.RegisterActivity(&activities.Activities{})
	f.env.OnActivity(setupActs.ProvisionReleaseNumber, mock.Anything, mock.Anything).Return(func(_ context.Context, in steps.ProvisionReleaseInput) error {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.released = append(f.released, in)
		return nil
	}).Maybe()
	f.env.OnActivity(setupActs.ProvisionMarkWebhookFailed, mock.Anything, mock.Anything).Return(func(_ context.Context, in steps.ProvisionMarkWebhookInput) error {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.marked = append(f.marked, in)
		return nil
	}).Maybe()
	return f
}

// recordOK mocks recording: every number gets a stable ID.
func (f *provisionFixture) recordOK() {
	f.env.OnActivity(setupActs.ProvisionRecordNumber, mock.Anything, mock.Anything).Return(func(_ context.Context, in steps.ProvisionRecordInput) (steps.ProvisionRecorded, error) {
		return steps.ProvisionRecorded{NumberID: setupNumberID(in.E164)}, nil
	}).Maybe()
}

func provisionTestSID(e164 string) string { return "PN" + strings.Repeat("0", 21) + e164[1:] }

// acquire mocks buy and import: buying marks Bought unless the E.164 is in
// alreadyOwned; failures map E.164 to an error.
func (f *provisionFixture) acquire(alreadyOwned map[string]bool, failures map[string]error) {
	fn := func(_ context.Context, in steps.ProvisionAcquireInput) (steps.ProvisionAcquired, error) {
		if err := failures[in.E164]; err != nil {
			return steps.ProvisionAcquired{}, err
		}
		return steps.ProvisionAcquired{ProviderSID: provisionTestSID(in.E164), Bought: in.Action == contract.ProvisionBuy && !alreadyOwned[in.E164], MonthlyCost: "1.15", Currency: "USD"}, nil
	}
	f.env.OnActivity(setupActs.ProvisionBuyNumber, mock.Anything, mock.Anything).Return(fn).Maybe()
	f.env.OnActivity(setupActs.ProvisionImportNumber, mock.Anything, mock.Anything).Return(fn).Maybe()
}

// webhooks mocks the install: numbers in failing get a permanent failure;
// numbers in transient fail with a retryable error every time.
func (f *provisionFixture) webhooks(failing, transient map[string]bool) {
	f.env.OnActivity(setupActs.ProvisionInstallWebhook, mock.Anything, mock.Anything).Return(func(_ context.Context, in steps.ProvisionWebhookInput) (steps.ProvisionWebhookResult, error) {
		for e := range failing {
			if setupNumberID(e) == in.NumberID {
				return steps.ProvisionWebhookResult{NumberID: in.NumberID, E164: e, Status: contract.WebhookFailed,
					Error: "Twilio couldn't complete the request (error 21999).", ProviderCode: 21999}, nil
			}
		}
		for e := range transient {
			if setupNumberID(e) == in.NumberID {
				return steps.ProvisionWebhookResult{}, errors.New("connection reset by peer")
			}
		}
		return steps.ProvisionWebhookResult{NumberID: in.NumberID, Status: contract.WebhookVerified, URL: "https://snout.example/webhooks/twilio/sms"}, nil
	}).Maybe()
}

func (f *provisionFixture) run(t *testing.T, items ...contract.ProvisionItem) contract.ProvisionResult {
	t.Helper()
	f.env.ExecuteWorkflow(contract.ProvisionNumbersWorkflowName, contract.ProvisionInput{OrgID: uuid.New(), RequestID: "test", Items: items, ActorUserID: uuid.New()})
	if !f.env.IsWorkflowCompleted() {
		t.Fatal("provisioning did not complete")
	}
	if err := f.env.GetWorkflowError(); err != nil {
		t.Fatalf("provisioning failed as a whole: %v", err)
	}
	var res contract.ProvisionResult
	if err := f.env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	if len(res.Items) != len(items) {
		t.Fatalf("%d results for %d items", len(res.Items), len(items))
	}
	return res
}

func TestProvisionCompensatesBoughtNumberWhoseWebhookFails(t *testing.T) {
	f := newProvisionFixture(t)
	f.recordOK()
	bad, good := "+14155550103", "+14155550104"
	f.acquire(nil, nil)
	f.webhooks(map[string]bool{bad: true}, nil)
	res := f.run(t, contract.ProvisionItem{Action: contract.ProvisionBuy, E164: bad, Class: "pool"}, contract.ProvisionItem{Action: contract.ProvisionBuy, E164: good, Class: "pool"})

	b, g := res.Items[0], res.Items[1]
	if b.OK || !b.Compensated || !b.Bought || !strings.Contains(b.Error, "released again") || b.ProviderCode != 21999 {
		t.Fatalf("failed purchase: %+v", b)
	}
	if !g.OK || g.Compensated || g.WebhookStatus != contract.WebhookVerified || g.NumberID == nil || g.MonthlyCost != "1.15" {
		t.Fatalf("good purchase was affected: %+v", g)
	}
	if len(f.released) != 1 || f.released[0].ProviderSID != provisionTestSID(bad) || f.released[0].NumberID != setupNumberID(bad) {
		t.Fatalf("released %+v, want only the failed purchase", f.released)
	}
}

func TestProvisionNeverReleasesImportedOrAlreadyOwnedNumbers(t *testing.T) {
	f := newProvisionFixture(t)
	f.recordOK()
	imported, owned := "+14155550101", "+14155550102"
	f.acquire(map[string]bool{owned: true}, nil)
	f.webhooks(map[string]bool{imported: true, owned: true}, nil)
	sam := uuid.New()
	res := f.run(t,
		contract.ProvisionItem{Action: contract.ProvisionImport, E164: imported, Class: "sitter", SitterID: &sam},
		contract.ProvisionItem{Action: contract.ProvisionBuy, E164: owned, Class: "pool"})

	for _, r := range res.Items {
		if !r.OK || r.Compensated || r.WebhookStatus != contract.WebhookFailed || r.Error == "" || r.NumberID == nil {
			t.Fatalf("kept number with a failed webhook: %+v", r)
		}
	}
	if len(f.released) != 0 {
		t.Fatalf("released numbers the account owned before: %+v", f.released)
	}
}

func TestProvisionReportsEachItemsOwnFailure(t *testing.T) {
	f := newProvisionFixture(t)
	f.recordOK()
	taken := "+14155550105"
	f.acquire(nil, map[string]error{taken: temporal.NewNonRetryableApplicationError(
		"That phone number is no longer available. Search again and pick another one.", steps.ErrTypeProviderRejected, nil, steps.ProviderFailure{Code: 21422})})
	f.webhooks(nil, nil)
	res := f.run(t,
		contract.ProvisionItem{Action: contract.ProvisionBuy, E164: taken, Class: "pool"},
		contract.ProvisionItem{Action: contract.ProvisionImport, E164: "+14155550106", Class: "sitter"},
		contract.ProvisionItem{Action: "rent", E164: "+14155550107", Class: "pool"},
		contract.ProvisionItem{Action: contract.ProvisionBuy, E164: "+14155550108", Class: "pool"})

	if r := res.Items[0]; r.OK || r.ProviderCode != 21422 || !strings.Contains(r.Error, "no longer available") || r.NumberID != nil {
		t.Fatalf("unavailable number: %+v", r)
	}
	if r := res.Items[1]; r.OK || r.Error != "Choose the sitter this number belongs to." {
		t.Fatalf("sitter number without sitter: %+v", r)
	}
	if r := res.Items[2]; r.OK || r.Error != "Choose whether to buy or import this number." {
		t.Fatalf("unknown action: %+v", r)
	}
	if r := res.Items[3]; !r.OK || r.WebhookStatus != contract.WebhookVerified {
		t.Fatalf("the good item suffered from the others: %+v", r)
	}
	if len(f.released) != 0 {
		t.Fatalf("nothing bought failed, but released %+v", f.released)
	}
}

func TestProvisionReleasesPurchaseThatCannotBeRecorded(t *testing.T) {
	f := newProvisionFixture(t)
	f.acquire(nil, nil)
	f.webhooks(nil, nil)
	f.env.OnActivity(setupActs.ProvisionRecordNumber, mock.Anything, mock.Anything).Return(steps.ProvisionRecorded{},
		temporal.NewNonRetryableApplicationError("This business already has a front desk number.", steps.ErrTypeFrontDeskTaken, nil))
	res := f.run(t, contract.ProvisionItem{Action: contract.ProvisionBuy, E164: "+14155550100", Class: "front_desk"})

	if r := res.Items[0]; r.OK || !r.Compensated || !strings.Contains(r.Error, "already has a front desk number") {
		t.Fatalf("unrecordable purchase: %+v", r)
	}
	if len(f.released) != 1 || f.released[0].NumberID != uuid.Nil {
		t.Fatalf("released %+v, want the purchase without a row", f.released)
	}
}

func TestProvisionTransientWebhookTroubleIsRecordedThenCompensated(t *testing.T) {
	f := newProvisionFixture(t)
	f.recordOK()
	e := "+14155550109"
	f.acquire(nil, nil)
	f.webhooks(nil, map[string]bool{e: true})
	res := f.run(t, contract.ProvisionItem{Action: contract.ProvisionBuy, E164: e, Class: "pool"})

	if r := res.Items[0]; r.OK || !r.Compensated || !strings.Contains(r.Error, "temporary problem") {
		t.Fatalf("purchase whose webhook kept failing: %+v", r)
	}
	if len(f.marked) != 1 || f.marked[0].NumberID != setupNumberID(e) {
		t.Fatalf("webhook failure not recorded on the number: %+v", f.marked)
	}
	if len(f.released) != 1 {
		t.Fatalf("released %+v", f.released)
	}
}

func TestProvisionRejectsEmptyRequest(t *testing.T) {
	f := newProvisionFixture(t)
	f.env.ExecuteWorkflow(contract.ProvisionNumbersWorkflowName, contract.ProvisionInput{OrgID: uuid.New(), RequestID: "empty"})
	var appErr *temporal.ApplicationError
	if err := f.env.GetWorkflowError(); !errors.As(err, &appErr) || appErr.Type() != contract.SetupErrInvalid {
		t.Fatalf("empty request: %v", err)
	}
}
