package workflows

import (
	"context"
	"encoding/json"
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
	"github.com/snoutos/snout/workflows/steps"
)

// setupHarness drives SetupWorkflow in the SDK's test environment: updates
// are sent a simulated minute apart, activities are mocked.
type setupHarness struct {
	t     *testing.T
	env   *testsuite.TestWorkflowEnvironment
	orgID uuid.UUID
	actor contract.SetupActor
	at    time.Duration

	mu       sync.Mutex
	audits   []string
	versions []int64
	released []string
	mirrored contract.SetupState
}

type setupOutcome struct {
	Rejected error
	Err      error
	State    contract.SetupState
	Search   contract.SetupSearchResult
	Done     bool
}

var setupActs *activities.Activities

func setupNumberID(e164 string) uuid.UUID { return uuid.NewSHA1(uuid.NameSpaceURL, []byte(e164)) }

func newSetupHarness(t *testing.T) *setupHarness {
	t.Helper()
	var suite testsuite.WorkflowTestSuite
	h := &setupHarness{t: t, env: suite.NewTestWorkflowEnvironment(), orgID: uuid.New()}
	h.actor = contract.SetupActor{UserID: uuid.New(), CorrelationID: "test-correlation"}
	h.env.RegisterWorkflowWithOptions(SetupWorkflow, workflow.RegisterOptions{Name: contract.SetupWorkflowName})
	h.env.RegisterWorkflowWithOptions(ProvisionNumbersWorkflow, workflow.RegisterOptions{Name: contract.ProvisionNumbersWorkflowName})
	h.env.RegisterActivity(&activities.Activities{})
	h.env.OnActivity(setupActs.SetupSaveProgress, mock.Anything, mock.Anything).Return(func(_ context.Context, in steps.SetupProgressInput) error {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.versions = append(h.versions, in.Version)
		if in.Audit != nil {
			h.audits = append(h.audits, in.Audit.Action)
		}
		var s contract.SetupState
		b, _ := json.Marshal(in.State)
		if err := json.Unmarshal(b, &s); err != nil {
			t.Errorf("mirrored state is not JSON: %v", err)
		}
		h.mirrored = s
		return nil
	}).Maybe()
	h.env.OnActivity(setupActs.ProvisionReleaseNumber, mock.Anything, mock.Anything).Return(func(_ context.Context, in steps.ProvisionReleaseInput) error {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.released = append(h.released, in.ProviderSID)
		return nil
	}).Maybe()
	return h
}

// Standard mocks for a happy wizard.
func (h *setupHarness) mockConnectOK() {
	h.env.OnActivity(setupActs.SetupConnectProvider, mock.Anything, mock.Anything).Return(contract.SetupProvider{
		AccountSID: "AC00000000000000000000000000000001", AuthKind: "auth_token", FriendlyName: "Happy Tails", Status: "active", Type: "Full"}, nil)
}

func (h *setupHarness) mockConnectivityOK() {
	h.env.OnActivity(setupActs.SetupCheckConnectivity, mock.Anything, mock.Anything).Return(steps.SetupConnectivity{
		Checks:  []contract.SetupCheck{{Key: "api_reachable", OK: true}, {Key: "account_active", OK: true}, {Key: "balance", OK: true, Detail: "Balance: 20.00 USD."}},
		Balance: "20.00", Currency: "USD"}, nil)
}

func (h *setupHarness) mockAcquire(bought bool) {
	acquired := func(_ context.Context, in steps.ProvisionAcquireInput) (steps.ProvisionAcquired, error) {
		return steps.ProvisionAcquired{ProviderSID: "PN" + strings.Repeat("0", 20) + in.E164[1:], Bought: bought && in.Action == contract.ProvisionBuy,
			MonthlyCost: "1.15", Currency: "USD"}, nil
	}
	h.env.OnActivity(setupActs.ProvisionBuyNumber, mock.Anything, mock.Anything).Return(acquired).Maybe()
	h.env.OnActivity(setupActs.ProvisionImportNumber, mock.Anything, mock.Anything).Return(acquired).Maybe()
	h.env.OnActivity(setupActs.ProvisionRecordNumber, mock.Anything, mock.Anything).Return(func(_ context.Context, in steps.ProvisionRecordInput) (steps.ProvisionRecorded, error) {
		return steps.ProvisionRecorded{NumberID: setupNumberID(in.E164)}, nil
	}).Maybe()
}

// mockWebhooks installs webhooks; numbers in failing fail (permanently)
// while failing[e164] > 0, decrementing on each attempt.
func (h *setupHarness) mockWebhooks(failing map[string]int) {
	var mu sync.Mutex
	byID := map[uuid.UUID]string{}
	for e := range failing {
		byID[setupNumberID(e)] = e
	}
	h.env.OnActivity(setupActs.ProvisionInstallWebhook, mock.Anything, mock.Anything).Return(func(_ context.Context, in steps.ProvisionWebhookInput) (steps.ProvisionWebhookResult, error) {
		mu.Lock()
		defer mu.Unlock()
		res := steps.ProvisionWebhookResult{NumberID: in.NumberID, Status: contract.WebhookVerified, URL: "https://snout.example/webhooks/twilio/sms"}
		if e, ok := byID[in.NumberID]; ok && failing[e] > 0 {
			failing[e]--
			res.Status, res.Error, res.ProviderCode = contract.WebhookFailed, "Twilio couldn't find that item.", 20404
		}
		return res, nil
	}).Maybe()
}

func (h *setupHarness) mockListNumbers(e164s ...string) {
	h.env.OnActivity(setupActs.SetupListNumbers, mock.Anything, mock.Anything).Return(func(context.Context, steps.SetupOrgInput) ([]contract.SetupNumber, error) {
		var rows []contract.SetupNumber
		for i, e := range e164s {
			class := "pool"
			if i == 0 {
				class = "front_desk"
			}
			rows = append(rows, contract.SetupNumber{NumberID: setupNumberID(e), E164: e, Class: class, WebhookStatus: "pending"})
		}
		return rows, nil
	}).Maybe()
}

func setupAllPassing() []contract.SetupCheck {
	return []contract.SetupCheck{{Key: "provider_connected", OK: true}, {Key: "front_desk_ready", OK: true}, {Key: "number_webhooks", OK: true}, {Key: "worker_reachable", OK: true}}
}

// update schedules an update a simulated minute after the previous one.
func (h *setupHarness) update(name string, args any) *setupOutcome {
	out := &setupOutcome{}
	h.at += time.Minute
	h.env.RegisterDelayedCallback(func() {
		h.env.UpdateWorkflow(name, "", &testsuite.TestUpdateCallback{
			OnAccept: func() {},
			OnReject: func(err error) { out.Rejected, out.Done = err, true },
			OnComplete: func(v any, err error) {
				out.Err, out.Done = err, true
				if err != nil {
					return
				}
				b, _ := json.Marshal(v)
				if name == contract.UpdateSetupSearchNumbers {
					_ = json.Unmarshal(b, &out.Search)
				} else {
					_ = json.Unmarshal(b, &out.State)
				}
			},
		}, args)
	}, h.at)
	return out
}

// query schedules a progress query after the previous update.
func (h *setupHarness) query() *contract.SetupState {
	out := &contract.SetupState{}
	h.at += time.Minute
	h.env.RegisterDelayedCallback(func() {
		v, err := h.env.QueryWorkflow(contract.QuerySetupProgress)
		if err != nil {
			h.t.Errorf("query: %v", err)
			return
		}
		if err := v.Get(out); err != nil {
			h.t.Errorf("query result: %v", err)
		}
	}, h.at)
	return out
}

// cancelAfter ends a wizard that is not meant to complete in the test.
func (h *setupHarness) cancelAfter() {
	h.at += time.Minute
	h.env.RegisterDelayedCallback(h.env.CancelWorkflow, h.at)
}

func (h *setupHarness) run(state *contract.SetupState) {
	h.env.ExecuteWorkflow(contract.SetupWorkflowName, contract.SetupInput{OrgID: h.orgID, StartedBy: h.actor.UserID, State: state})
}

func (h *setupHarness) connectArgs() contract.SetupConnectArgs {
	return contract.SetupConnectArgs{SetupActor: h.actor, PendingCredentialID: uuid.New(), AccountSID: "AC00000000000000000000000000000001"}
}

func setupRequireRejected(t *testing.T, name string, o *setupOutcome, wantType, wantMsg string) {
	t.Helper()
	if !o.Done {
		t.Fatalf("%s: the update never finished", name)
	}
	if o.Rejected == nil {
		t.Fatalf("%s: accepted, want rejected with %q (err %v)", name, wantMsg, o.Err)
	}
	var appErr *temporal.ApplicationError
	if !errors.As(o.Rejected, &appErr) || appErr.Type() != wantType || appErr.Message() != wantMsg {
		t.Fatalf("%s: rejected with %v, want %s %q", name, o.Rejected, wantType, wantMsg)
	}
}

func setupRequireOK(t *testing.T, name string, o *setupOutcome) {
	t.Helper()
	if !o.Done || o.Rejected != nil || o.Err != nil {
		t.Fatalf("%s: done=%v rejected=%v err=%v", name, o.Done, o.Rejected, o.Err)
	}
}

func setupStepStatus(s contract.SetupState, key string) string {
	if st := s.Step(key); st != nil {
		return st.Status
	}
	return "missing"
}

func TestSetupValidatorsRejectOutOfOrderSteps(t *testing.T) {
	h := newSetupHarness(t)
	h.mockConnectOK()
	frontDeskFirst := h.update(contract.UpdateSetupFrontDesk, contract.SetupFrontDeskArgs{SetupActor: h.actor, Action: contract.ProvisionBuy, E164: "+14155550100"})
	verifyFirst := h.update(contract.UpdateSetupVerifyConnectivity, h.actor)
	readinessFirst := h.update(contract.UpdateSetupCheckReadiness, h.actor)
	searchFirst := h.update(contract.UpdateSetupSearchNumbers, contract.SetupSearchArgs{SetupActor: h.actor, NumberSearchQuery: contract.NumberSearchQuery{AreaCode: "415"}})
	before := h.query()
	connect := h.update(contract.UpdateSetupConnectProvider, h.connectArgs())
	frontDeskAfterConnect := h.update(contract.UpdateSetupFrontDesk, contract.SetupFrontDeskArgs{SetupActor: h.actor, Action: contract.ProvisionBuy, E164: "+14155550100"})
	skipSittersEarly := h.update(contract.UpdateSetupSkipSitterNumbers, h.actor)
	webhooksEarly := h.update(contract.UpdateSetupInstallWebhooks, h.actor)
	h.cancelAfter()
	h.run(nil)

	setupRequireRejected(t, "front desk first", frontDeskFirst, contract.SetupErrOutOfOrder, "Connect your provider first.")
	setupRequireRejected(t, "verify first", verifyFirst, contract.SetupErrOutOfOrder, "Connect your provider first.")
	setupRequireRejected(t, "readiness first", readinessFirst, contract.SetupErrOutOfOrder, "Connect your provider first.")
	setupRequireRejected(t, "search first", searchFirst, contract.SetupErrOutOfOrder, "Connect your provider first.")
	if before.CurrentStep != contract.StepProvider || setupStepStatus(*before, contract.StepProvider) != contract.StepPending {
		t.Fatalf("rejected updates changed the state: current %q", before.CurrentStep)
	}
	setupRequireOK(t, "connect", connect)
	if connect.State.CurrentStep != contract.StepConnectivity || connect.State.Provider == nil || connect.State.Provider.FriendlyName != "Happy Tails" {
		t.Fatalf("after connecting: current %q provider %+v", connect.State.CurrentStep, connect.State.Provider)
	}
	setupRequireRejected(t, "front desk before connectivity", frontDeskAfterConnect, contract.SetupErrOutOfOrder, "Check the connection to your provider first.")
	setupRequireRejected(t, "skip sitters early", skipSittersEarly, contract.SetupErrOutOfOrder, "Check the connection to your provider first.")
	setupRequireRejected(t, "webhooks early", webhooksEarly, contract.SetupErrOutOfOrder, "Check the connection to your provider first.")
}

func TestSetupWrongCredentialsThenRight(t *testing.T) {
	h := newSetupHarness(t)
	calls := 0
	h.env.OnActivity(setupActs.SetupConnectProvider, mock.Anything, mock.Anything).Return(func(context.Context, steps.SetupConnectInput) (contract.SetupProvider, error) {
		calls++
		if calls == 1 {
			return contract.SetupProvider{}, temporal.NewNonRetryableApplicationError(
				"Twilio didn't accept the account credentials.", steps.ErrTypeCredentialsRejected, nil, steps.ProviderFailure{Code: 20003})
		}
		return contract.SetupProvider{AccountSID: "AC00000000000000000000000000000001", AuthKind: "auth_token", FriendlyName: "Happy Tails", Status: "active"}, nil
	})
	wrong := h.update(contract.UpdateSetupConnectProvider, h.connectArgs())
	afterWrong := h.query()
	right := h.update(contract.UpdateSetupConnectProvider, h.connectArgs())
	h.cancelAfter()
	h.run(nil)

	if wrong.Err == nil {
		t.Fatal("wrong credentials were accepted")
	}
	var appErr *temporal.ApplicationError
	var detail contract.SetupProviderFailure
	if !errors.As(wrong.Err, &appErr) || appErr.Type() != contract.SetupErrProvider || appErr.Details(&detail) != nil || detail.ProviderCode != 20003 {
		t.Fatalf("wrong credentials: %v (detail %+v)", wrong.Err, detail)
	}
	if afterWrong.Provider != nil || setupStepStatus(*afterWrong, contract.StepProvider) != contract.StepPending || afterWrong.Step(contract.StepProvider).Error == "" {
		t.Fatalf("after wrong credentials: provider %+v step %+v", afterWrong.Provider, afterWrong.Step(contract.StepProvider))
	}
	setupRequireOK(t, "right credentials", right)
	if setupStepStatus(right.State, contract.StepProvider) != contract.StepDone || right.State.Step(contract.StepProvider).Error != "" {
		t.Fatalf("provider step after right credentials: %+v", right.State.Step(contract.StepProvider))
	}
}

func TestSetupFullRunWithSkipsCompletes(t *testing.T) {
	h := newSetupHarness(t)
	h.mockConnectOK()
	h.mockConnectivityOK()
	h.mockAcquire(true)
	h.mockWebhooks(nil)
	h.mockListNumbers("+14155550100")
	h.env.OnActivity(setupActs.SetupSearchNumbers, mock.Anything, mock.Anything).Return(contract.SetupSearchResult{
		Numbers:     []contract.SetupAvailableNumber{{E164: "+14155550100", Display: "(415) 555-0100", MonthlyCost: "1.15", Currency: "USD"}},
		MonthlyCost: "1.15", Currency: "USD"}, nil)
	h.env.OnActivity(setupActs.SetupCheckReadiness, mock.Anything, mock.Anything).Return(setupAllPassing(), nil)

	connect := h.update(contract.UpdateSetupConnectProvider, h.connectArgs())
	verify := h.update(contract.UpdateSetupVerifyConnectivity, h.actor)
	search := h.update(contract.UpdateSetupSearchNumbers, contract.SetupSearchArgs{SetupActor: h.actor, NumberSearchQuery: contract.NumberSearchQuery{AreaCode: "415"}})
	frontDesk := h.update(contract.UpdateSetupFrontDesk, contract.SetupFrontDeskArgs{SetupActor: h.actor, Action: contract.ProvisionBuy, E164: "+14155550100"})
	skipSitters := h.update(contract.UpdateSetupSkipSitterNumbers, h.actor)
	skipPool := h.update(contract.UpdateSetupSkipPoolNumbers, h.actor)
	hooks := h.update(contract.UpdateSetupInstallWebhooks, h.actor)
	ready := h.update(contract.UpdateSetupCheckReadiness, h.actor)
	h.run(nil)

	if !h.env.IsWorkflowCompleted() {
		t.Fatal("the wizard did not complete")
	}
	if err := h.env.GetWorkflowError(); err != nil {
		t.Fatalf("workflow error: %v", err)
	}
	var res contract.SetupResult
	if err := h.env.GetWorkflowResult(&res); err != nil || res.CompletedAt.IsZero() {
		t.Fatalf("result %+v, err %v", res, err)
	}
	for name, o := range map[string]*setupOutcome{"connect": connect, "verify": verify, "search": search, "front desk": frontDesk,
		"skip sitters": skipSitters, "skip pool": skipPool, "webhooks": hooks, "readiness": ready} {
		setupRequireOK(t, name, o)
	}
	if verify.State.Balance != "20.00" || len(verify.State.Connectivity) != 3 {
		t.Fatalf("connectivity: balance %q checks %+v", verify.State.Balance, verify.State.Connectivity)
	}
	if len(search.Search.Numbers) != 1 || search.Search.Numbers[0].MonthlyCost != "1.15" {
		t.Fatalf("search: %+v", search.Search)
	}
	fd := frontDesk.State.Number(setupNumberID("+14155550100"))
	if fd == nil || !fd.Bought || fd.MonthlyCost != "1.15" || fd.Class != "front_desk" {
		t.Fatalf("front desk number: %+v", fd)
	}
	if setupStepStatus(skipPool.State, contract.StepSitterNumbers) != contract.StepSkipped || setupStepStatus(skipPool.State, contract.StepPoolNumbers) != contract.StepSkipped {
		t.Fatalf("skips: %+v", skipPool.State.Steps)
	}
	if setupStepStatus(hooks.State, contract.StepWebhooks) != contract.StepDone {
		t.Fatalf("webhooks step: %+v", hooks.State.Step(contract.StepWebhooks))
	}
	if ready.State.CompletedAt == nil || ready.State.CurrentStep != "complete" {
		t.Fatalf("readiness: current %q completed %v", ready.State.CurrentStep, ready.State.CompletedAt)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for i := 1; i < len(h.versions); i++ {
		if h.versions[i] <= h.versions[i-1] {
			t.Fatalf("mirror versions not increasing: %v", h.versions)
		}
	}
	want := []string{"setup.started", "setup.connectivity_checked", "setup.front_desk", "setup.sitter_numbers_skipped",
		"setup.pool_numbers_skipped", "setup.webhooks_installed", "setup.completed"}
	if strings.Join(h.audits, ",") != strings.Join(want, ",") {
		t.Fatalf("audit trail %v, want %v", h.audits, want)
	}
	if h.mirrored.CompletedAt == nil || h.mirrored.CurrentStep != "complete" {
		t.Fatalf("mirror not up to date: %+v", h.mirrored.CurrentStep)
	}
}

// setupDoneThrough is a state whose steps up to and including last are done.
func setupDoneThrough(orgID uuid.UUID, last string) *contract.SetupState {
	s := contract.NewSetupState(orgID, time.Now())
	now := time.Now()
	for _, k := range contract.SetupStepOrder {
		st := s.Step(k)
		st.Status, st.CompletedAt = contract.StepDone, &now
		if k == last {
			break
		}
	}
	s.Provider = &contract.SetupProvider{AccountSID: "AC00000000000000000000000000000001", FriendlyName: "Happy Tails", Status: "active"}
	s.Version = 7
	s.RefreshCurrent()
	return &s
}

func TestSetupReadinessBlocksUntilAllPass(t *testing.T) {
	h := newSetupHarness(t)
	calls := 0
	h.env.OnActivity(setupActs.SetupCheckReadiness, mock.Anything, mock.Anything).Return(func(context.Context, steps.SetupOrgInput) ([]contract.SetupCheck, error) {
		calls++
		checks := setupAllPassing()
		if calls == 1 {
			checks[2] = contract.SetupCheck{Key: "number_webhooks", OK: false, Detail: "Not connected yet: (415) 555-0103.", Fix: "Retry these numbers."}
		}
		return checks, nil
	})
	first := h.update(contract.UpdateSetupCheckReadiness, h.actor)
	stillRunning := h.query()
	second := h.update(contract.UpdateSetupCheckReadiness, h.actor)
	late := h.update(contract.UpdateSetupDiagnostics, contract.SetupDiagnosticsArgs{SetupActor: h.actor, Enabled: true})
	h.run(setupDoneThrough(h.orgID, contract.StepWebhooks))

	setupRequireOK(t, "first readiness", first)
	if first.State.CompletedAt != nil || setupStepStatus(first.State, contract.StepReadiness) != contract.StepPending {
		t.Fatalf("a failing check completed the wizard: %+v", first.State.Step(contract.StepReadiness))
	}
	var failing *contract.SetupCheck
	for i := range first.State.Readiness {
		if !first.State.Readiness[i].OK {
			failing = &first.State.Readiness[i]
		}
	}
	if failing == nil || failing.Key != "number_webhooks" || failing.Fix == "" {
		t.Fatalf("failing check not reported with a fix: %+v", first.State.Readiness)
	}
	if stillRunning.CompletedAt != nil || stillRunning.Version <= 7 {
		t.Fatalf("state between checks: completed %v version %d", stillRunning.CompletedAt, stillRunning.Version)
	}
	setupRequireOK(t, "second readiness", second)
	if second.State.CompletedAt == nil {
		t.Fatal("all checks passed but the wizard did not complete")
	}
	if !h.env.IsWorkflowCompleted() || h.env.GetWorkflowError() != nil {
		t.Fatalf("workflow: completed %v err %v", h.env.IsWorkflowCompleted(), h.env.GetWorkflowError())
	}
	if late.Done && late.Rejected == nil {
		t.Fatal("an update after completion was accepted")
	}
}

func TestSetupWebhookPartialFailureIsRetryablePerNumber(t *testing.T) {
	h := newSetupHarness(t)
	good, bad := "+14155550100", "+14155550103"
	h.mockListNumbers(good, bad)
	h.mockWebhooks(map[string]int{bad: 1})
	install := h.update(contract.UpdateSetupInstallWebhooks, h.actor)
	readinessEarly := h.update(contract.UpdateSetupCheckReadiness, h.actor)
	unknown := h.update(contract.UpdateSetupRetryWebhook, contract.SetupRetryWebhookArgs{SetupActor: h.actor, NumberID: uuid.New()})
	retry := h.update(contract.UpdateSetupRetryWebhook, contract.SetupRetryWebhookArgs{SetupActor: h.actor, NumberID: setupNumberID(bad)})
	h.cancelAfter()
	h.run(setupDoneThrough(h.orgID, contract.StepPoolNumbers))

	setupRequireOK(t, "install", install)
	if setupStepStatus(install.State, contract.StepWebhooks) != contract.StepPending || install.State.Step(contract.StepWebhooks).Error == "" {
		t.Fatalf("partial failure not visible on the step: %+v", install.State.Step(contract.StepWebhooks))
	}
	g, b := install.State.Number(setupNumberID(good)), install.State.Number(setupNumberID(bad))
	if g == nil || g.WebhookStatus != contract.WebhookVerified || b == nil || b.WebhookStatus != contract.WebhookFailed || b.WebhookError == "" || b.ProviderCode != 20404 {
		t.Fatalf("per-number status: good %+v bad %+v", g, b)
	}
	setupRequireRejected(t, "readiness with a failed webhook", readinessEarly, contract.SetupErrOutOfOrder, "Connect every number to Snout first.")
	setupRequireRejected(t, "retry unknown number", unknown, contract.SetupErrInvalid, "That number isn't part of this setup. Run the webhook step first.")
	setupRequireOK(t, "retry", retry)
	if b := retry.State.Number(setupNumberID(bad)); b.WebhookStatus != contract.WebhookVerified || b.WebhookError != "" {
		t.Fatalf("retried number: %+v", b)
	}
	if setupStepStatus(retry.State, contract.StepWebhooks) != contract.StepDone || retry.State.CurrentStep != contract.StepReadiness {
		t.Fatalf("after retry: step %+v current %q", retry.State.Step(contract.StepWebhooks), retry.State.CurrentStep)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.audits[len(h.audits)-1] != "setup.webhook_retried" {
		t.Fatalf("retry not audited: %v", h.audits)
	}
}

func TestSetupBulkSitterNumbersHavePerItemResults(t *testing.T) {
	h := newSetupHarness(t)
	h.mockWebhooks(nil)
	sam, riley := uuid.New(), uuid.New()
	h.env.OnActivity(setupActs.ProvisionImportNumber, mock.Anything, mock.Anything).Return(func(_ context.Context, in steps.ProvisionAcquireInput) (steps.ProvisionAcquired, error) {
		if in.E164 == "+14155550102" {
			return steps.ProvisionAcquired{}, temporal.NewNonRetryableApplicationError(
				"That number isn't in your Twilio account, so it can't be imported.", steps.ErrTypeNumberNotOwned, nil)
		}
		return steps.ProvisionAcquired{ProviderSID: "PN00000000000000000000000000000101"}, nil
	})
	h.env.OnActivity(setupActs.ProvisionRecordNumber, mock.Anything, mock.Anything).Return(func(_ context.Context, in steps.ProvisionRecordInput) (steps.ProvisionRecorded, error) {
		if in.SitterID == nil || in.Class != "sitter" {
			t.Errorf("sitter number recorded without its sitter: %+v", in)
		}
		return steps.ProvisionRecorded{NumberID: setupNumberID(in.E164)}, nil
	})
	noSitter := h.update(contract.UpdateSetupSitterNumbers, contract.SetupNumbersArgs{SetupActor: h.actor, Items: []contract.SetupNumberItem{{Action: contract.ProvisionImport, E164: "+14155550101"}}})
	bulk := h.update(contract.UpdateSetupSitterNumbers, contract.SetupNumbersArgs{SetupActor: h.actor, Items: []contract.SetupNumberItem{
		{Action: contract.ProvisionImport, E164: "+14155550101", SitterID: &sam},
		{Action: contract.ProvisionImport, E164: "+14155550102", SitterID: &riley},
	}})
	h.cancelAfter()
	h.run(setupDoneThrough(h.orgID, contract.StepFrontDesk))

	setupRequireRejected(t, "sitter number without sitter", noSitter, contract.SetupErrInvalid, "Number 1: Choose the sitter this number belongs to.")
	setupRequireOK(t, "bulk", bulk)
	lp := bulk.State.LastProvision
	if len(lp) != 2 || !lp[0].OK || lp[1].OK || !strings.Contains(lp[1].Error, "isn't in your Twilio account") {
		t.Fatalf("per-item results: %+v", lp)
	}
	if setupStepStatus(bulk.State, contract.StepSitterNumbers) != contract.StepDone || !strings.Contains(bulk.State.Step(contract.StepSitterNumbers).Error, "1 of 2") {
		t.Fatalf("sitter step: %+v", bulk.State.Step(contract.StepSitterNumbers))
	}
	if n := bulk.State.Number(setupNumberID("+14155550101")); n == nil || n.SitterID == nil || *n.SitterID != sam {
		t.Fatalf("sitter number: %+v", n)
	}
}

func TestSetupFrontDeskCompensatedWhenWebhookFails(t *testing.T) {
	h := newSetupHarness(t)
	h.mockAcquire(true)
	h.mockWebhooks(map[string]int{"+14155550100": 99})
	fd := h.update(contract.UpdateSetupFrontDesk, contract.SetupFrontDeskArgs{SetupActor: h.actor, Action: contract.ProvisionBuy, E164: "+14155550100"})
	after := h.query()
	h.cancelAfter()
	h.run(setupDoneThrough(h.orgID, contract.StepConnectivity))

	if fd.Err == nil {
		t.Fatal("a front desk number that could not be configured counted as set up")
	}
	var appErr *temporal.ApplicationError
	if !errors.As(fd.Err, &appErr) || appErr.Type() != contract.SetupErrProvider || !strings.Contains(appErr.Message(), "released again") {
		t.Fatalf("front desk error: %v", fd.Err)
	}
	h.mu.Lock()
	released := append([]string(nil), h.released...)
	h.mu.Unlock()
	if len(released) != 1 {
		t.Fatalf("released %v, want the bought number once", released)
	}
	if setupStepStatus(*after, contract.StepFrontDesk) != contract.StepPending || len(after.Numbers) != 0 || !after.LastProvision[0].Compensated {
		t.Fatalf("after compensation: step %+v numbers %+v last %+v", after.Step(contract.StepFrontDesk), after.Numbers, after.LastProvision)
	}
}

func TestSetupResumesFromCarriedState(t *testing.T) {
	h := newSetupHarness(t)
	h.mockAcquire(false)
	h.mockWebhooks(nil)
	start := setupDoneThrough(h.orgID, contract.StepConnectivity)
	start.Diagnostics = true
	fd := h.update(contract.UpdateSetupFrontDesk, contract.SetupFrontDeskArgs{SetupActor: h.actor, Action: contract.ProvisionImport, E164: "+14155550100"})
	h.cancelAfter()
	h.run(start)

	setupRequireOK(t, "front desk after resume", fd)
	if !fd.State.Diagnostics || fd.State.Provider == nil || fd.State.Version <= start.Version || fd.State.CurrentStep != contract.StepSitterNumbers {
		t.Fatalf("resumed state lost: diagnostics %v provider %+v version %d current %q", fd.State.Diagnostics, fd.State.Provider, fd.State.Version, fd.State.CurrentStep)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, a := range h.audits {
		if a == "setup.started" {
			t.Fatal("a resumed wizard audited a new start")
		}
	}
}
