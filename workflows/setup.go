package workflows

import (
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/domain/numbers"
	"github.com/snoutos/snout/internal/domain/phone"
	"github.com/snoutos/snout/internal/platform/correlation"
	"github.com/snoutos/snout/workflows/steps"
)

// SetupWorkflow is an org's setup wizard. It lives until the readiness
// checks all pass; the owner can leave and come back at any time (the
// state is the workflow's, so API and worker restarts change nothing).
// Each step is an update whose validator enforces the order; a mutex keeps
// step handlers from interleaving.
func SetupWorkflow(ctx workflow.Context, in contract.SetupInput) (contract.SetupResult, error) {
	w := &setupWorkflow{in: in}
	if err := w.setup(ctx); err != nil {
		return contract.SetupResult{}, err
	}
	return w.run(ctx)
}

type setupWorkflow struct {
	in     contract.SetupInput
	state  contract.SetupState
	lock   workflow.Mutex
	log    log.Logger
	wfID   string
	runKey string // first run ID of the chain: keys audit entries and child IDs
}

func (w *setupWorkflow) setup(ctx workflow.Context) error {
	if w.in.OrgID == uuid.Nil {
		return temporal.NewNonRetryableApplicationError("the setup wizard needs an org ID", contract.SetupErrInvalid, nil)
	}
	info := workflow.GetInfo(ctx)
	w.wfID, w.runKey = info.WorkflowExecution.ID, info.FirstRunID
	w.log = log.With(workflow.GetLogger(ctx), "orgId", w.in.OrgID, "workflowId", w.wfID)
	if w.in.State != nil {
		w.state = *w.in.State
	} else {
		w.state = contract.NewSetupState(w.in.OrgID, workflow.Now(ctx))
	}
	w.state.OrgID = w.in.OrgID
	w.lock = workflow.NewMutex(ctx)

	if err := workflow.SetQueryHandler(ctx, contract.QuerySetupProgress, func() (contract.SetupState, error) { return w.state, nil }); err != nil {
		return err
	}
	for _, u := range []struct {
		name               string
		handler, validator any
	}{
		{contract.UpdateSetupConnectProvider, w.connectProvider, w.validateConnect},
		{contract.UpdateSetupVerifyConnectivity, w.verifyConnectivity, w.validateStep(contract.StepConnectivity)},
		{contract.UpdateSetupSearchNumbers, w.searchNumbers, w.validateSearch},
		{contract.UpdateSetupOwnedNumbers, w.ownedNumbers, w.validateOwned},
		{contract.UpdateSetupFrontDesk, w.frontDesk, w.validateFrontDesk},
		{contract.UpdateSetupSitterNumbers, w.sitterNumbers, w.validateBulk(contract.StepSitterNumbers)},
		{contract.UpdateSetupSkipSitterNumbers, w.skipSitterNumbers, w.validateStep(contract.StepSitterNumbers)},
		{contract.UpdateSetupPoolNumbers, w.poolNumbers, w.validateBulk(contract.StepPoolNumbers)},
		{contract.UpdateSetupSkipPoolNumbers, w.skipPoolNumbers, w.validateStep(contract.StepPoolNumbers)},
		{contract.UpdateSetupInstallWebhooks, w.installWebhooks, w.validateStep(contract.StepWebhooks)},
		{contract.UpdateSetupRetryWebhook, w.retryWebhook, w.validateRetryWebhook},
		{contract.UpdateSetupCheckReadiness, w.checkReadiness, w.validateStep(contract.StepReadiness)},
		{contract.UpdateSetupDiagnostics, w.setDiagnostics, w.validateDiagnostics},
	} {
		if err := workflow.SetUpdateHandlerWithOptions(ctx, u.name, u.handler, workflow.UpdateHandlerOptions{Validator: u.validator}); err != nil {
			return err
		}
	}
	return nil
}

func (w *setupWorkflow) run(ctx workflow.Context) (contract.SetupResult, error) {
	if w.in.State == nil {
		w.save(ctx, contract.SetupActor{UserID: w.in.StartedBy, CorrelationID: correlation.FromWorkflow(ctx)}, "setup.started", nil)
	}
	err := workflow.Await(ctx, func() bool {
		return w.state.CompletedAt != nil || workflow.GetInfo(ctx).GetContinueAsNewSuggested()
	})
	if err != nil {
		return contract.SetupResult{}, err
	}
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return contract.SetupResult{}, err
	}
	if w.state.CompletedAt == nil {
		w.log.Info("setup continues as new", "version", w.state.Version)
		state := w.state
		return contract.SetupResult{}, workflow.NewContinueAsNewError(ctx, contract.SetupWorkflowName,
			contract.SetupInput{OrgID: w.in.OrgID, StartedBy: w.in.StartedBy, State: &state})
	}
	w.log.Info("setup complete")
	return contract.SetupResult{CompletedAt: *w.state.CompletedAt}, nil
}

// ---- validators (read state only) ----

func setupRejection(kind, msg string) error {
	return temporal.NewNonRetryableApplicationError(msg, kind, nil)
}

func (w *setupWorkflow) orderError(step string) error {
	if w.state.CompletedAt != nil {
		return setupRejection(contract.SetupErrComplete, "Setup is already complete.")
	}
	if msg := w.state.Blocker(step); msg != "" {
		return setupRejection(contract.SetupErrOutOfOrder, msg)
	}
	return nil
}

func (w *setupWorkflow) validateStep(step string) func(contract.SetupActor) error {
	return func(contract.SetupActor) error { return w.orderError(step) }
}

func (w *setupWorkflow) validateConnect(args contract.SetupConnectArgs) error {
	if err := w.orderError(contract.StepProvider); err != nil {
		return err
	}
	if args.PendingCredentialID == uuid.Nil || args.AccountSID == "" {
		return setupRejection(contract.SetupErrInvalid, "Enter your Twilio Account SID and Auth Token (or API key).")
	}
	return nil
}

func (w *setupWorkflow) validateSearch(args contract.SetupSearchArgs) error {
	if err := w.orderError(contract.StepFrontDesk); err != nil {
		return err
	}
	problems := numbers.CheckSearch(args.AreaCode, args.Region, args.Limit)
	for _, field := range []string{"areaCode", "region", "limit"} {
		if msg := problems[field]; msg != "" {
			return setupRejection(contract.SetupErrInvalid, msg)
		}
	}
	return nil
}

func (w *setupWorkflow) validateFrontDesk(args contract.SetupFrontDeskArgs) error {
	if err := w.orderError(contract.StepFrontDesk); err != nil {
		return err
	}
	if _, msg := (contract.ProvisionItem{Action: args.Action, E164: args.E164, Class: numbers.ClassFrontDesk}).Check(); msg != "" {
		return setupRejection(contract.SetupErrInvalid, msg)
	}
	return nil
}

func (w *setupWorkflow) validateBulk(step string) func(contract.SetupNumbersArgs) error {
	class := numbers.ClassPool
	if step == contract.StepSitterNumbers {
		class = numbers.ClassSitter
	}
	return func(args contract.SetupNumbersArgs) error {
		if err := w.orderError(step); err != nil {
			return err
		}
		if len(args.Items) == 0 || len(args.Items) > numbers.MaxProvisionItems {
			return setupRejection(contract.SetupErrInvalid, fmt.Sprintf("Add between 1 and %d numbers at a time.", numbers.MaxProvisionItems))
		}
		for i, it := range args.Items {
			if _, msg := (contract.ProvisionItem{Action: it.Action, E164: it.E164, Class: class, SitterID: it.SitterID}).Check(); msg != "" {
				return setupRejection(contract.SetupErrInvalid, fmt.Sprintf("Number %d: %s", i+1, msg))
			}
		}
		return nil
	}
}

func (w *setupWorkflow) validateRetryWebhook(args contract.SetupRetryWebhookArgs) error {
	if err := w.orderError(contract.StepWebhooks); err != nil {
		return err
	}
	if w.state.Number(args.NumberID) == nil {
		return setupRejection(contract.SetupErrInvalid, "That number isn't part of this setup. Run the webhook step first.")
	}
	return nil
}

func (w *setupWorkflow) validateDiagnostics(contract.SetupDiagnosticsArgs) error {
	if w.state.CompletedAt != nil {
		return setupRejection(contract.SetupErrComplete, "Setup is already complete.")
	}
	return nil
}

// ---- step handlers ----

// lockStep takes the step mutex and re-checks the order (an earlier
// handler may have changed the state while this one waited).
func (w *setupWorkflow) lockStep(ctx workflow.Context, step string) error {
	if err := w.lock.Lock(ctx); err != nil {
		return err
	}
	if err := w.orderError(step); err != nil {
		w.lock.Unlock()
		return err
	}
	return nil
}

func (w *setupWorkflow) connectProvider(ctx workflow.Context, args contract.SetupConnectArgs) (contract.SetupState, error) {
	if err := w.lockStep(ctx, contract.StepProvider); err != nil {
		return contract.SetupState{}, err
	}
	defer w.lock.Unlock()
	step := w.state.Step(contract.StepProvider)
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 45 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumAttempts: 3},
	})
	var provider contract.SetupProvider
	err := workflow.ExecuteActivity(actx, steps.SetupConnectProvider, steps.SetupConnectInput{
		OrgID: w.in.OrgID, WorkflowID: w.wfID, PendingID: args.PendingCredentialID, AccountSID: args.AccountSID,
		ActorUserID: args.UserID,
	}).Get(ctx, &provider)
	if err != nil {
		msg, code := provisionPlainError(err)
		step.Error = msg
		w.save(ctx, args.SetupActor, "", nil)
		return contract.SetupState{}, setupProviderError(err, msg, code)
	}
	provider.ConnectedAt = workflow.Now(ctx)
	w.state.Provider = &provider
	w.finish(ctx, contract.StepProvider, contract.StepDone)
	// New credentials must be checked again before numbers are touched.
	conn := w.state.Step(contract.StepConnectivity)
	conn.Status, conn.CompletedAt, conn.Error = contract.StepPending, nil, ""
	w.state.Connectivity, w.state.Balance, w.state.Currency = nil, "", ""
	w.save(ctx, args.SetupActor, "", nil) // the activity audited the connection
	return w.state, nil
}

func (w *setupWorkflow) verifyConnectivity(ctx workflow.Context, args contract.SetupActor) (contract.SetupState, error) {
	if err := w.lockStep(ctx, contract.StepConnectivity); err != nil {
		return contract.SetupState{}, err
	}
	defer w.lock.Unlock()
	var res steps.SetupConnectivity
	if err := workflow.ExecuteActivity(provisionProviderOptions(ctx), steps.SetupCheckConnectivity,
		steps.SetupOrgInput{OrgID: w.in.OrgID, WorkflowID: w.wfID}).Get(ctx, &res); err != nil {
		msg, code := provisionPlainError(err)
		w.state.Step(contract.StepConnectivity).Error = msg
		w.save(ctx, args, "", nil)
		return contract.SetupState{}, setupProviderError(err, msg, code)
	}
	w.state.Connectivity = res.Checks
	w.state.Balance, w.state.Currency = res.Balance, res.Currency
	failed := failedChecks(w.state.Connectivity)
	if len(failed) == 0 {
		w.finish(ctx, contract.StepConnectivity, contract.StepDone)
	} else {
		w.state.Step(contract.StepConnectivity).Error = "Some connection checks failed; see what to do next to each one."
	}
	w.save(ctx, args, "setup.connectivity_checked", map[string]any{"passed": len(failed) == 0, "failedChecks": failed})
	return w.state, nil
}

func (w *setupWorkflow) searchNumbers(ctx workflow.Context, args contract.SetupSearchArgs) (contract.SetupSearchResult, error) {
	res, err := searchAvailableNumbers(ctx, contract.NumberSearchInput{OrgID: w.in.OrgID, NumberSearchQuery: args.NumberSearchQuery})
	if err != nil {
		msg, code := provisionPlainError(err)
		return contract.SetupSearchResult{}, setupProviderError(err, msg, code)
	}
	return res, nil
}

// validateOwned: the account's numbers can be listed once it is connected
// and checked (the same gate as searching numbers to buy).
func (w *setupWorkflow) validateOwned(contract.SetupActor) error {
	return w.orderError(contract.StepFrontDesk)
}

// ownedNumbers lists the numbers the connected account already has, to
// import; it changes nothing.
func (w *setupWorkflow) ownedNumbers(ctx workflow.Context, _ contract.SetupActor) (contract.SetupOwnedResult, error) {
	var res contract.SetupOwnedResult
	err := workflow.ExecuteActivity(provisionProviderOptions(ctx), steps.SetupOwnedNumbers, steps.SetupOrgInput{OrgID: w.in.OrgID}).Get(ctx, &res)
	if err != nil {
		msg, code := provisionPlainError(err)
		return contract.SetupOwnedResult{}, setupProviderError(err, msg, code)
	}
	if res.Numbers == nil {
		res.Numbers = []contract.SetupOwnedNumber{}
	}
	return res, nil
}

func (w *setupWorkflow) frontDesk(ctx workflow.Context, args contract.SetupFrontDeskArgs) (contract.SetupState, error) {
	if err := w.lockStep(ctx, contract.StepFrontDesk); err != nil {
		return contract.SetupState{}, err
	}
	defer w.lock.Unlock()
	results := w.provision(ctx, args.SetupActor, "front-desk", []contract.ProvisionItem{{Action: args.Action, E164: args.E164, Class: numbers.ClassFrontDesk}})
	r := results[0]
	step := w.state.Step(contract.StepFrontDesk)
	if r.OK {
		w.finish(ctx, contract.StepFrontDesk, contract.StepDone)
		if r.WebhookStatus != contract.WebhookVerified {
			step.Error = "The number is yours, but isn't connected to Snout yet; the webhook step will retry it."
		}
	} else {
		step.Error = r.Error
	}
	w.save(ctx, args.SetupActor, "setup.front_desk", map[string]any{"action": args.Action, "e164": args.E164, "ok": r.OK,
		"compensated": r.Compensated, "monthlyCost": r.MonthlyCost})
	if !r.OK {
		return contract.SetupState{}, temporal.NewNonRetryableApplicationError(r.Error, contract.SetupErrProvider, nil, contract.SetupProviderFailure{ProviderCode: r.ProviderCode})
	}
	return w.state, nil
}

func (w *setupWorkflow) sitterNumbers(ctx workflow.Context, args contract.SetupNumbersArgs) (contract.SetupState, error) {
	return w.bulkNumbers(ctx, contract.StepSitterNumbers, numbers.ClassSitter, args)
}

func (w *setupWorkflow) poolNumbers(ctx workflow.Context, args contract.SetupNumbersArgs) (contract.SetupState, error) {
	return w.bulkNumbers(ctx, contract.StepPoolNumbers, numbers.ClassPool, args)
}

// bulkNumbers buys or imports many numbers; each has its own result. The
// step is done once at least one number was added.
func (w *setupWorkflow) bulkNumbers(ctx workflow.Context, step, class string, args contract.SetupNumbersArgs) (contract.SetupState, error) {
	if err := w.lockStep(ctx, step); err != nil {
		return contract.SetupState{}, err
	}
	defer w.lock.Unlock()
	items := make([]contract.ProvisionItem, 0, len(args.Items))
	for _, it := range args.Items {
		items = append(items, contract.ProvisionItem{Action: it.Action, E164: it.E164, Class: class, SitterID: it.SitterID})
	}
	results := w.provision(ctx, args.SetupActor, class, items)
	ok, failed := 0, 0
	for _, r := range results {
		if r.OK {
			ok++
		} else {
			failed++
		}
	}
	st := w.state.Step(step)
	switch {
	case ok > 0 && failed == 0:
		w.finish(ctx, step, contract.StepDone)
	case ok > 0:
		w.finish(ctx, step, contract.StepDone)
		st.Error = fmt.Sprintf("%d of %d numbers couldn't be added; see each number's result.", failed, len(results))
	default:
		st.Error = "None of the numbers could be added; see each number's result."
	}
	w.save(ctx, args.SetupActor, "setup."+step, map[string]any{"requested": len(results), "added": ok, "failed": failed})
	return w.state, nil
}

func (w *setupWorkflow) skipSitterNumbers(ctx workflow.Context, args contract.SetupActor) (contract.SetupState, error) {
	return w.skip(ctx, contract.StepSitterNumbers, args)
}

func (w *setupWorkflow) skipPoolNumbers(ctx workflow.Context, args contract.SetupActor) (contract.SetupState, error) {
	return w.skip(ctx, contract.StepPoolNumbers, args)
}

func (w *setupWorkflow) skip(ctx workflow.Context, step string, args contract.SetupActor) (contract.SetupState, error) {
	if err := w.lockStep(ctx, step); err != nil {
		return contract.SetupState{}, err
	}
	defer w.lock.Unlock()
	if !w.state.Finished(step) {
		w.finish(ctx, step, contract.StepSkipped)
	}
	w.save(ctx, args, "setup."+step+"_skipped", nil)
	return w.state, nil
}

// installWebhooks makes sure every active number sends its texts to Snout
// and verifies each; the step is done when all are verified.
func (w *setupWorkflow) installWebhooks(ctx workflow.Context, args contract.SetupActor) (contract.SetupState, error) {
	if err := w.lockStep(ctx, contract.StepWebhooks); err != nil {
		return contract.SetupState{}, err
	}
	defer w.lock.Unlock()
	var active []contract.SetupNumber
	if err := workflow.ExecuteActivity(provisionDBOptions(ctx), steps.SetupListNumbers,
		steps.SetupOrgInput{OrgID: w.in.OrgID, WorkflowID: w.wfID}).Get(ctx, &active); err != nil {
		return contract.SetupState{}, err
	}
	for i := range active {
		n := &active[i]
		n.Status, n.Bought = numbers.StatusActive, false
		if old := w.state.Number(n.NumberID); old != nil {
			n.Bought = old.Bought
		}
	}
	if active == nil {
		active = []contract.SetupNumber{}
	}
	w.state.Numbers = active
	w.state.ProvisionSeq++
	key := fmt.Sprintf("%s/webhooks-%d", w.wfID, w.state.ProvisionSeq)
	for i := range w.state.Numbers {
		w.applyWebhook(&w.state.Numbers[i], installNumberWebhook(ctx, steps.ProvisionWebhookInput{
			OrgID: w.in.OrgID, NumberID: w.state.Numbers[i].NumberID, RequestKey: key, ActorID: args.UserID.String()}))
	}
	verified, failed := w.webhookTally()
	w.afterWebhooks(ctx)
	w.save(ctx, args, "setup.webhooks_installed", map[string]any{"verified": verified, "failed": failed})
	return w.state, nil
}

// retryWebhook retries one number's webhook.
func (w *setupWorkflow) retryWebhook(ctx workflow.Context, args contract.SetupRetryWebhookArgs) (contract.SetupState, error) {
	if err := w.lockStep(ctx, contract.StepWebhooks); err != nil {
		return contract.SetupState{}, err
	}
	defer w.lock.Unlock()
	n := w.state.Number(args.NumberID)
	if n == nil {
		return contract.SetupState{}, setupRejection(contract.SetupErrInvalid, "That number isn't part of this setup.")
	}
	w.state.ProvisionSeq++
	key := fmt.Sprintf("%s/webhook-retry-%d", w.wfID, w.state.ProvisionSeq)
	w.applyWebhook(n, installNumberWebhook(ctx, steps.ProvisionWebhookInput{
		OrgID: w.in.OrgID, NumberID: args.NumberID, RequestKey: key, ActorID: args.UserID.String()}))
	status := n.WebhookStatus
	w.afterWebhooks(ctx)
	w.save(ctx, args.SetupActor, "setup.webhook_retried", map[string]any{"numberId": args.NumberID, "e164": n.E164, "status": status})
	return w.state, nil
}

func (w *setupWorkflow) applyWebhook(n *contract.SetupNumber, res steps.ProvisionWebhookResult) {
	n.WebhookStatus, n.WebhookError, n.ProviderCode, n.WebhookURL = res.Status, res.Error, res.ProviderCode, res.URL
	if res.ProviderSID != "" {
		n.ProviderSID = res.ProviderSID
	}
}

func (w *setupWorkflow) webhookTally() (verified, failed int) {
	for _, n := range w.state.Numbers {
		if n.WebhookStatus == contract.WebhookVerified {
			verified++
		} else {
			failed++
		}
	}
	return verified, failed
}

// afterWebhooks marks the webhook step done when every number is verified,
// and reopens it (and readiness) when one is not.
func (w *setupWorkflow) afterWebhooks(ctx workflow.Context) {
	verified, failed := w.webhookTally()
	step := w.state.Step(contract.StepWebhooks)
	switch {
	case verified > 0 && failed == 0:
		w.finish(ctx, contract.StepWebhooks, contract.StepDone)
	case verified == 0 && failed == 0:
		step.Status, step.CompletedAt = contract.StepPending, nil
		step.Error = "There are no active numbers to connect. Add a front desk number first."
	default:
		step.Status, step.CompletedAt = contract.StepPending, nil
		step.Error = fmt.Sprintf("%d of %d numbers aren't connected to Snout yet; retry each one.", failed, verified+failed)
	}
}

// checkReadiness runs every readiness check; the wizard completes only
// when all pass.
func (w *setupWorkflow) checkReadiness(ctx workflow.Context, args contract.SetupActor) (contract.SetupState, error) {
	if err := w.lockStep(ctx, contract.StepReadiness); err != nil {
		return contract.SetupState{}, err
	}
	defer w.lock.Unlock()
	var checks []contract.SetupCheck
	if err := workflow.ExecuteActivity(provisionProviderOptions(ctx), steps.SetupCheckReadiness,
		steps.SetupOrgInput{OrgID: w.in.OrgID, WorkflowID: w.wfID}).Get(ctx, &checks); err != nil {
		msg, code := provisionPlainError(err)
		w.state.Step(contract.StepReadiness).Error = msg
		w.save(ctx, args, "", nil)
		return contract.SetupState{}, setupProviderError(err, msg, code)
	}
	w.state.Readiness = checks
	failed := failedChecks(w.state.Readiness)
	action := "setup.readiness_checked"
	if len(failed) == 0 {
		w.finish(ctx, contract.StepReadiness, contract.StepDone)
		now := workflow.Now(ctx)
		w.state.CompletedAt = &now
		action = "setup.completed"
	} else {
		w.state.Step(contract.StepReadiness).Error = fmt.Sprintf("%d readiness checks failed; see what to do next to each one.", len(failed))
	}
	w.save(ctx, args, action, map[string]any{"passed": len(failed) == 0, "failedChecks": failed})
	return w.state, nil
}

func (w *setupWorkflow) setDiagnostics(ctx workflow.Context, args contract.SetupDiagnosticsArgs) (contract.SetupState, error) {
	if w.state.Diagnostics != args.Enabled {
		w.state.Diagnostics = args.Enabled
		w.save(ctx, args.SetupActor, "setup.diagnostics_changed", map[string]any{"enabled": args.Enabled})
	}
	return w.state, nil
}

// ---- helpers ----

// provision runs ProvisionNumbersWorkflow as a child and folds its
// per-item results into the state.
func (w *setupWorkflow) provision(ctx workflow.Context, actor contract.SetupActor, kind string, items []contract.ProvisionItem) []contract.ProvisionItemResult {
	w.state.ProvisionSeq++
	run := w.runKey
	if len(run) > 8 {
		run = run[:8]
	}
	requestID := fmt.Sprintf("setup-%s-%s-%d", kind, run, w.state.ProvisionSeq)
	cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
		WorkflowID:            contract.ProvisionWorkflowID(w.in.OrgID, requestID),
		TypedSearchAttributes: temporal.NewSearchAttributes(contract.OrgIDKey.ValueSet(w.in.OrgID.String())),
		// A purchase in flight finishes (or compensates) even if the wizard ends.
		ParentClosePolicy: enumspb.PARENT_CLOSE_POLICY_ABANDON,
	})
	var res contract.ProvisionResult
	err := workflow.ExecuteChildWorkflow(cctx, contract.ProvisionNumbersWorkflowName, contract.ProvisionInput{
		OrgID: w.in.OrgID, RequestID: requestID, Items: items, ActorUserID: actor.UserID,
	}).Get(ctx, &res)
	if err != nil || len(res.Items) != len(items) {
		w.log.Error("provisioning child failed", "requestId", requestID, "err", err)
		res.Items = make([]contract.ProvisionItemResult, len(items))
		for i, it := range items {
			res.Items[i] = contract.ProvisionItemResult{E164: it.E164, Class: it.Class, SitterID: it.SitterID,
				Error: "Snout couldn't finish adding this number. Check the number inventory, then try again."}
		}
	}
	for _, r := range res.Items {
		if r.NumberID == nil {
			continue
		}
		n := contract.SetupNumber{NumberID: *r.NumberID, E164: r.E164, Class: r.Class, SitterID: r.SitterID, Status: numbers.StatusActive, Bought: r.Bought,
			MonthlyCost: r.MonthlyCost, WebhookStatus: r.WebhookStatus, ProviderSID: r.ProviderSID, WebhookURL: r.WebhookURL}
		if !r.OK {
			n.WebhookError, n.ProviderCode = r.Error, r.ProviderCode
		}
		if r.WebhookStatus == contract.WebhookFailed {
			n.WebhookError = r.Error
		}
		if r.Compensated {
			n.Status = numbers.StatusReleased
		}
		w.upsertNumber(n)
	}
	w.state.LastProvision = res.Items
	w.log.Info("numbers provisioned", "requestId", requestID, "items", len(items), "first", phone.Redact(items[0].E164))
	return res.Items
}

// upsertNumber adds or replaces a number; released numbers leave the list.
func (w *setupWorkflow) upsertNumber(n contract.SetupNumber) {
	out := w.state.Numbers[:0:0]
	for _, cur := range w.state.Numbers {
		if cur.NumberID != n.NumberID {
			out = append(out, cur)
		}
	}
	if n.Status != numbers.StatusReleased {
		out = append(out, n)
	}
	w.state.Numbers = out
}

// finish marks a step done or skipped.
func (w *setupWorkflow) finish(ctx workflow.Context, step, status string) {
	st := w.state.Step(step)
	now := workflow.Now(ctx)
	st.Status, st.Error, st.CompletedAt = status, "", &now
}

// save bumps the version and mirrors the state into setup_progress, with
// an audit event when action is set. A failed mirror is logged, not fatal:
// the next save carries the whole state again.
func (w *setupWorkflow) save(ctx workflow.Context, actor contract.SetupActor, action string, detail map[string]any) {
	w.state.Version++
	w.state.RefreshCurrent()
	in := steps.SetupProgressInput{OrgID: w.in.OrgID, WorkflowID: w.wfID, RunKey: w.runKey, Version: w.state.Version,
		CurrentStep: w.state.CurrentStep, State: w.state, Diagnostics: w.state.Diagnostics, CompletedAt: w.state.CompletedAt,
	}
	if action != "" {
		actorID := ""
		if actor.UserID != uuid.Nil {
			actorID = actor.UserID.String()
		}
		in.Audit = &steps.SetupAuditEntry{Action: action, ActorID: actorID, Detail: detail}
	}
	if err := workflow.ExecuteActivity(provisionDBOptions(ctx), steps.SetupSaveProgress, in).Get(ctx, nil); err != nil {
		w.log.Error("mirroring setup progress failed", "version", w.state.Version, "err", err)
	}
}

func setupProviderError(err error, msg string, code int) error {
	kind := contract.SetupErrProvider
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		switch appErr.Type() {
		case steps.ErrTypeCredentialsExpired, steps.ErrTypeInvalidItem:
			kind = contract.SetupErrInvalid
		}
	}
	return temporal.NewNonRetryableApplicationError(msg, kind, nil, contract.SetupProviderFailure{ProviderCode: code})
}

func failedChecks(checks []contract.SetupCheck) []string {
	failed := []string{}
	for _, c := range checks {
		if !c.OK {
			failed = append(failed, c.Key)
		}
	}
	return failed
}
