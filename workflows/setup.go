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

	"github.com/snoutos/snout/activities"
	"github.com/snoutos/snout/internal/phone"
)

// setupMaxBulkItems bounds a bulk sitter or pool request.
const setupMaxBulkItems = 50

// SetupWorkflow is an org's setup wizard. It lives until the readiness
// checks all pass; the owner can leave and come back at any time (the
// state is the workflow's, so API and worker restarts change nothing).
// Each step is an update whose validator enforces the order; a mutex keeps
// step handlers from interleaving.
func SetupWorkflow(ctx workflow.Context, in SetupInput) (SetupResult, error) {
	w := &setupWorkflow{in: in}
	if err := w.setup(ctx); err != nil {
		return SetupResult{}, err
	}
	return w.run(ctx)
}

type setupWorkflow struct {
	in     SetupInput
	state  SetupState
	lock   workflow.Mutex
	log    log.Logger
	wfID   string
	runKey string // first run ID of the chain: keys audit entries and child IDs
}

func (w *setupWorkflow) setup(ctx workflow.Context) error {
	if w.in.OrgID == uuid.Nil {
		return temporal.NewNonRetryableApplicationError("the setup wizard needs an org ID", SetupErrInvalid, nil)
	}
	info := workflow.GetInfo(ctx)
	w.wfID, w.runKey = info.WorkflowExecution.ID, info.FirstRunID
	w.log = log.With(workflow.GetLogger(ctx), "orgId", w.in.OrgID, "workflowId", w.wfID)
	if w.in.State != nil {
		w.state = *w.in.State
	} else {
		w.state = NewSetupState(w.in.OrgID, workflow.Now(ctx))
	}
	w.state.OrgID = w.in.OrgID
	w.lock = workflow.NewMutex(ctx)

	if err := workflow.SetQueryHandler(ctx, QuerySetupProgress, func() (SetupState, error) { return w.state, nil }); err != nil {
		return err
	}
	for _, u := range []struct {
		name               string
		handler, validator any
	}{
		{UpdateSetupConnectProvider, w.connectProvider, w.validateConnect},
		{UpdateSetupVerifyConnectivity, w.verifyConnectivity, w.validateStep(StepConnectivity)},
		{UpdateSetupSearchNumbers, w.searchNumbers, w.validateSearch},
		{UpdateSetupFrontDesk, w.frontDesk, w.validateFrontDesk},
		{UpdateSetupSitterNumbers, w.sitterNumbers, w.validateBulk(StepSitterNumbers)},
		{UpdateSetupSkipSitterNumbers, w.skipSitterNumbers, w.validateStep(StepSitterNumbers)},
		{UpdateSetupPoolNumbers, w.poolNumbers, w.validateBulk(StepPoolNumbers)},
		{UpdateSetupSkipPoolNumbers, w.skipPoolNumbers, w.validateStep(StepPoolNumbers)},
		{UpdateSetupInstallWebhooks, w.installWebhooks, w.validateStep(StepWebhooks)},
		{UpdateSetupRetryWebhook, w.retryWebhook, w.validateRetryWebhook},
		{UpdateSetupCheckReadiness, w.checkReadiness, w.validateStep(StepReadiness)},
		{UpdateSetupDiagnostics, w.setDiagnostics, w.validateDiagnostics},
	} {
		if err := workflow.SetUpdateHandlerWithOptions(ctx, u.name, u.handler, workflow.UpdateHandlerOptions{Validator: u.validator}); err != nil {
			return err
		}
	}
	return nil
}

func (w *setupWorkflow) run(ctx workflow.Context) (SetupResult, error) {
	if w.in.State == nil {
		w.save(ctx, SetupActor{UserID: w.in.StartedBy, CorrelationID: w.in.CorrelationID}, "setup.started", nil)
	}
	err := workflow.Await(ctx, func() bool {
		return w.state.CompletedAt != nil || workflow.GetInfo(ctx).GetContinueAsNewSuggested()
	})
	if err != nil {
		return SetupResult{}, err
	}
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return SetupResult{}, err
	}
	if w.state.CompletedAt == nil {
		w.log.Info("setup continues as new", "version", w.state.Version)
		state := w.state
		return SetupResult{}, workflow.NewContinueAsNewError(ctx, SetupWorkflowName,
			SetupInput{OrgID: w.in.OrgID, StartedBy: w.in.StartedBy, CorrelationID: w.in.CorrelationID, State: &state})
	}
	w.log.Info("setup complete")
	return SetupResult{CompletedAt: *w.state.CompletedAt}, nil
}

// ---- validators (read state only) ----

func setupRejection(kind, msg string) error {
	return temporal.NewNonRetryableApplicationError(msg, kind, nil)
}

func (w *setupWorkflow) orderError(step string) error {
	if w.state.CompletedAt != nil {
		return setupRejection(SetupErrComplete, "Setup is already complete.")
	}
	if msg := w.state.Blocker(step); msg != "" {
		return setupRejection(SetupErrOutOfOrder, msg)
	}
	return nil
}

func (w *setupWorkflow) validateStep(step string) func(SetupActor) error {
	return func(SetupActor) error { return w.orderError(step) }
}

func (w *setupWorkflow) validateConnect(args SetupConnectArgs) error {
	if err := w.orderError(StepProvider); err != nil {
		return err
	}
	if args.PendingCredentialID == uuid.Nil || args.AccountSID == "" {
		return setupRejection(SetupErrInvalid, "Enter your Twilio Account SID and Auth Token (or API key).")
	}
	return nil
}

func (w *setupWorkflow) validateSearch(args SetupSearchArgs) error {
	if err := w.orderError(StepFrontDesk); err != nil {
		return err
	}
	if args.AreaCode != "" && (len(args.AreaCode) != 3 || args.AreaCode[0] < '2' || args.AreaCode[0] > '9' ||
		args.AreaCode[1] < '0' || args.AreaCode[1] > '9' || args.AreaCode[2] < '0' || args.AreaCode[2] > '9') {
		return setupRejection(SetupErrInvalid, "An area code is three digits, like 415.")
	}
	return nil
}

func (w *setupWorkflow) validateFrontDesk(args SetupFrontDeskArgs) error {
	if err := w.orderError(StepFrontDesk); err != nil {
		return err
	}
	if msg := validateProvisionItem(ProvisionItem{Action: args.Action, E164: args.E164, Class: "front_desk"}); msg != "" {
		return setupRejection(SetupErrInvalid, msg)
	}
	return nil
}

func (w *setupWorkflow) validateBulk(step string) func(SetupNumbersArgs) error {
	class := "pool"
	if step == StepSitterNumbers {
		class = "sitter"
	}
	return func(args SetupNumbersArgs) error {
		if err := w.orderError(step); err != nil {
			return err
		}
		if len(args.Items) == 0 || len(args.Items) > setupMaxBulkItems {
			return setupRejection(SetupErrInvalid, fmt.Sprintf("Add between 1 and %d numbers at a time.", setupMaxBulkItems))
		}
		for i, it := range args.Items {
			if msg := validateProvisionItem(ProvisionItem{Action: it.Action, E164: it.E164, Class: class, SitterID: it.SitterID}); msg != "" {
				return setupRejection(SetupErrInvalid, fmt.Sprintf("Number %d: %s", i+1, msg))
			}
		}
		return nil
	}
}

func (w *setupWorkflow) validateRetryWebhook(args SetupRetryWebhookArgs) error {
	if err := w.orderError(StepWebhooks); err != nil {
		return err
	}
	if w.state.Number(args.NumberID) == nil {
		return setupRejection(SetupErrInvalid, "That number isn't part of this setup. Run the webhook step first.")
	}
	return nil
}

func (w *setupWorkflow) validateDiagnostics(SetupDiagnosticsArgs) error {
	if w.state.CompletedAt != nil {
		return setupRejection(SetupErrComplete, "Setup is already complete.")
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

func (w *setupWorkflow) connectProvider(ctx workflow.Context, args SetupConnectArgs) (SetupState, error) {
	var a *activities.Activities
	if err := w.lockStep(ctx, StepProvider); err != nil {
		return SetupState{}, err
	}
	defer w.lock.Unlock()
	step := w.state.Step(StepProvider)
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 45 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumAttempts: 3},
	})
	var info activities.SetupProviderInfo
	err := workflow.ExecuteActivity(actx, a.SetupConnectProvider, activities.SetupConnectInput{
		OrgID: w.in.OrgID, WorkflowID: w.wfID, PendingID: args.PendingCredentialID, AccountSID: args.AccountSID,
		ActorUserID: args.UserID, CorrelationID: args.CorrelationID,
	}).Get(ctx, &info)
	if err != nil {
		msg, code := provisionPlainError(err)
		step.Error = msg
		w.save(ctx, args.SetupActor, "", nil)
		return SetupState{}, setupProviderError(err, msg, code)
	}
	w.state.Provider = &SetupProvider{AccountSID: info.AccountSID, APIKeySID: info.APIKeySID, AuthKind: info.AuthKind,
		FriendlyName: info.FriendlyName, Status: info.Status, Type: info.Type, ConnectedAt: workflow.Now(ctx)}
	w.finish(ctx, StepProvider, StepDone)
	// New credentials must be checked again before numbers are touched.
	conn := w.state.Step(StepConnectivity)
	conn.Status, conn.CompletedAt, conn.Error = StepPending, nil, ""
	w.state.Connectivity, w.state.Balance, w.state.Currency = nil, "", ""
	w.save(ctx, args.SetupActor, "", nil) // the activity audited the connection
	return w.state, nil
}

func (w *setupWorkflow) verifyConnectivity(ctx workflow.Context, args SetupActor) (SetupState, error) {
	var a *activities.Activities
	if err := w.lockStep(ctx, StepConnectivity); err != nil {
		return SetupState{}, err
	}
	defer w.lock.Unlock()
	var res activities.SetupConnectivity
	if err := workflow.ExecuteActivity(provisionProviderOptions(ctx), a.SetupCheckConnectivity,
		activities.SetupOrgInput{OrgID: w.in.OrgID, WorkflowID: w.wfID}).Get(ctx, &res); err != nil {
		msg, code := provisionPlainError(err)
		w.state.Step(StepConnectivity).Error = msg
		w.save(ctx, args, "", nil)
		return SetupState{}, setupProviderError(err, msg, code)
	}
	w.state.Connectivity = convertChecks(res.Checks)
	w.state.Balance, w.state.Currency = res.Balance, res.Currency
	failed := failedChecks(w.state.Connectivity)
	if len(failed) == 0 {
		w.finish(ctx, StepConnectivity, StepDone)
	} else {
		w.state.Step(StepConnectivity).Error = "Some connection checks failed; see what to do next to each one."
	}
	w.save(ctx, args, "setup.connectivity_checked", map[string]any{"passed": len(failed) == 0, "failedChecks": failed})
	return w.state, nil
}

func (w *setupWorkflow) searchNumbers(ctx workflow.Context, args SetupSearchArgs) (SetupSearchResult, error) {
	res, err := searchAvailableNumbers(ctx, activities.SetupSearchInput{
		OrgID: w.in.OrgID, AreaCode: args.AreaCode, Region: args.Region, TollFree: args.TollFree, Limit: args.Limit,
	})
	if err != nil {
		msg, code := provisionPlainError(err)
		return SetupSearchResult{}, setupProviderError(err, msg, code)
	}
	return res, nil
}

func (w *setupWorkflow) frontDesk(ctx workflow.Context, args SetupFrontDeskArgs) (SetupState, error) {
	if err := w.lockStep(ctx, StepFrontDesk); err != nil {
		return SetupState{}, err
	}
	defer w.lock.Unlock()
	results := w.provision(ctx, args.SetupActor, "front-desk", []ProvisionItem{{Action: args.Action, E164: args.E164, Class: "front_desk"}})
	r := results[0]
	step := w.state.Step(StepFrontDesk)
	if r.OK {
		w.finish(ctx, StepFrontDesk, StepDone)
		if r.WebhookStatus != WebhookVerified {
			step.Error = "The number is yours, but isn't connected to Snout yet; the webhook step will retry it."
		}
	} else {
		step.Error = r.Error
	}
	w.save(ctx, args.SetupActor, "setup.front_desk", map[string]any{"action": args.Action, "e164": args.E164, "ok": r.OK,
		"compensated": r.Compensated, "monthlyCost": r.MonthlyCost})
	if !r.OK {
		return SetupState{}, temporal.NewNonRetryableApplicationError(r.Error, SetupErrProvider, nil, SetupProviderFailure{ProviderCode: r.ProviderCode})
	}
	return w.state, nil
}

func (w *setupWorkflow) sitterNumbers(ctx workflow.Context, args SetupNumbersArgs) (SetupState, error) {
	return w.bulkNumbers(ctx, StepSitterNumbers, "sitter", args)
}

func (w *setupWorkflow) poolNumbers(ctx workflow.Context, args SetupNumbersArgs) (SetupState, error) {
	return w.bulkNumbers(ctx, StepPoolNumbers, "pool", args)
}

// bulkNumbers buys or imports many numbers; each has its own result. The
// step is done once at least one number was added.
func (w *setupWorkflow) bulkNumbers(ctx workflow.Context, step, class string, args SetupNumbersArgs) (SetupState, error) {
	if err := w.lockStep(ctx, step); err != nil {
		return SetupState{}, err
	}
	defer w.lock.Unlock()
	items := make([]ProvisionItem, 0, len(args.Items))
	for _, it := range args.Items {
		items = append(items, ProvisionItem{Action: it.Action, E164: it.E164, Class: class, SitterID: it.SitterID})
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
		w.finish(ctx, step, StepDone)
	case ok > 0:
		w.finish(ctx, step, StepDone)
		st.Error = fmt.Sprintf("%d of %d numbers couldn't be added; see each number's result.", failed, len(results))
	default:
		st.Error = "None of the numbers could be added; see each number's result."
	}
	w.save(ctx, args.SetupActor, "setup."+step, map[string]any{"requested": len(results), "added": ok, "failed": failed})
	return w.state, nil
}

func (w *setupWorkflow) skipSitterNumbers(ctx workflow.Context, args SetupActor) (SetupState, error) {
	return w.skip(ctx, StepSitterNumbers, args)
}

func (w *setupWorkflow) skipPoolNumbers(ctx workflow.Context, args SetupActor) (SetupState, error) {
	return w.skip(ctx, StepPoolNumbers, args)
}

func (w *setupWorkflow) skip(ctx workflow.Context, step string, args SetupActor) (SetupState, error) {
	if err := w.lockStep(ctx, step); err != nil {
		return SetupState{}, err
	}
	defer w.lock.Unlock()
	if !w.state.Finished(step) {
		w.finish(ctx, step, StepSkipped)
	}
	w.save(ctx, args, "setup."+step+"_skipped", nil)
	return w.state, nil
}

// installWebhooks makes sure every active number sends its texts to Snout
// and verifies each; the step is done when all are verified.
func (w *setupWorkflow) installWebhooks(ctx workflow.Context, args SetupActor) (SetupState, error) {
	var a *activities.Activities
	if err := w.lockStep(ctx, StepWebhooks); err != nil {
		return SetupState{}, err
	}
	defer w.lock.Unlock()
	var rows []activities.SetupNumberRow
	if err := workflow.ExecuteActivity(provisionDBOptions(ctx), a.SetupListNumbers,
		activities.SetupOrgInput{OrgID: w.in.OrgID, WorkflowID: w.wfID}).Get(ctx, &rows); err != nil {
		return SetupState{}, err
	}
	numbers := make([]SetupNumber, 0, len(rows))
	for _, r := range rows {
		n := SetupNumber{NumberID: r.NumberID, E164: r.E164, Class: r.Class, SitterID: r.SitterID, Status: "active",
			MonthlyCost: r.MonthlyCost, ProviderSID: r.ProviderSID, WebhookStatus: r.WebhookStatus, WebhookError: r.WebhookError}
		if old := w.state.Number(r.NumberID); old != nil {
			n.Bought = old.Bought
		}
		numbers = append(numbers, n)
	}
	w.state.Numbers = numbers
	w.state.ProvisionSeq++
	key := fmt.Sprintf("%s/webhooks-%d", w.wfID, w.state.ProvisionSeq)
	for i := range w.state.Numbers {
		w.applyWebhook(&w.state.Numbers[i], installNumberWebhook(ctx, activities.ProvisionWebhookInput{
			OrgID: w.in.OrgID, NumberID: w.state.Numbers[i].NumberID, RequestKey: key, ActorID: args.UserID.String()}))
	}
	verified, failed := w.webhookTally()
	w.afterWebhooks(ctx)
	w.save(ctx, args, "setup.webhooks_installed", map[string]any{"verified": verified, "failed": failed})
	return w.state, nil
}

// retryWebhook retries one number's webhook.
func (w *setupWorkflow) retryWebhook(ctx workflow.Context, args SetupRetryWebhookArgs) (SetupState, error) {
	if err := w.lockStep(ctx, StepWebhooks); err != nil {
		return SetupState{}, err
	}
	defer w.lock.Unlock()
	n := w.state.Number(args.NumberID)
	if n == nil {
		return SetupState{}, setupRejection(SetupErrInvalid, "That number isn't part of this setup.")
	}
	w.state.ProvisionSeq++
	key := fmt.Sprintf("%s/webhook-retry-%d", w.wfID, w.state.ProvisionSeq)
	w.applyWebhook(n, installNumberWebhook(ctx, activities.ProvisionWebhookInput{
		OrgID: w.in.OrgID, NumberID: args.NumberID, RequestKey: key, ActorID: args.UserID.String()}))
	status := n.WebhookStatus
	w.afterWebhooks(ctx)
	w.save(ctx, args.SetupActor, "setup.webhook_retried", map[string]any{"numberId": args.NumberID, "e164": n.E164, "status": status})
	return w.state, nil
}

func (w *setupWorkflow) applyWebhook(n *SetupNumber, res activities.ProvisionWebhookResult) {
	n.WebhookStatus, n.WebhookError, n.ProviderCode, n.WebhookURL = res.Status, res.Error, res.ProviderCode, res.URL
	if res.ProviderSID != "" {
		n.ProviderSID = res.ProviderSID
	}
}

func (w *setupWorkflow) webhookTally() (verified, failed int) {
	for _, n := range w.state.Numbers {
		if n.WebhookStatus == WebhookVerified {
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
	step := w.state.Step(StepWebhooks)
	switch {
	case verified > 0 && failed == 0:
		w.finish(ctx, StepWebhooks, StepDone)
	case verified == 0 && failed == 0:
		step.Status, step.CompletedAt = StepPending, nil
		step.Error = "There are no active numbers to connect. Add a front desk number first."
	default:
		step.Status, step.CompletedAt = StepPending, nil
		step.Error = fmt.Sprintf("%d of %d numbers aren't connected to Snout yet; retry each one.", failed, verified+failed)
	}
}

// checkReadiness runs every readiness check; the wizard completes only
// when all pass.
func (w *setupWorkflow) checkReadiness(ctx workflow.Context, args SetupActor) (SetupState, error) {
	var a *activities.Activities
	if err := w.lockStep(ctx, StepReadiness); err != nil {
		return SetupState{}, err
	}
	defer w.lock.Unlock()
	var checks []activities.SetupCheck
	if err := workflow.ExecuteActivity(provisionProviderOptions(ctx), a.SetupCheckReadiness,
		activities.SetupOrgInput{OrgID: w.in.OrgID, WorkflowID: w.wfID}).Get(ctx, &checks); err != nil {
		msg, code := provisionPlainError(err)
		w.state.Step(StepReadiness).Error = msg
		w.save(ctx, args, "", nil)
		return SetupState{}, setupProviderError(err, msg, code)
	}
	w.state.Readiness = convertChecks(checks)
	failed := failedChecks(w.state.Readiness)
	action := "setup.readiness_checked"
	if len(failed) == 0 {
		w.finish(ctx, StepReadiness, StepDone)
		now := workflow.Now(ctx)
		w.state.CompletedAt = &now
		action = "setup.completed"
	} else {
		w.state.Step(StepReadiness).Error = fmt.Sprintf("%d readiness checks failed; see what to do next to each one.", len(failed))
	}
	w.save(ctx, args, action, map[string]any{"passed": len(failed) == 0, "failedChecks": failed})
	return w.state, nil
}

func (w *setupWorkflow) setDiagnostics(ctx workflow.Context, args SetupDiagnosticsArgs) (SetupState, error) {
	if w.state.Diagnostics != args.Enabled {
		w.state.Diagnostics = args.Enabled
		w.save(ctx, args.SetupActor, "setup.diagnostics_changed", map[string]any{"enabled": args.Enabled})
	}
	return w.state, nil
}

// ---- helpers ----

// provision runs ProvisionNumbersWorkflow as a child and folds its
// per-item results into the state.
func (w *setupWorkflow) provision(ctx workflow.Context, actor SetupActor, kind string, items []ProvisionItem) []ProvisionItemResult {
	w.state.ProvisionSeq++
	run := w.runKey
	if len(run) > 8 {
		run = run[:8]
	}
	requestID := fmt.Sprintf("setup-%s-%s-%d", kind, run, w.state.ProvisionSeq)
	cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
		WorkflowID:            ProvisionWorkflowID(w.in.OrgID, requestID),
		TypedSearchAttributes: temporal.NewSearchAttributes(OrgIDKey.ValueSet(w.in.OrgID.String())),
		// A purchase in flight finishes (or compensates) even if the wizard ends.
		ParentClosePolicy: enumspb.PARENT_CLOSE_POLICY_ABANDON,
	})
	var res ProvisionResult
	err := workflow.ExecuteChildWorkflow(cctx, ProvisionNumbersWorkflowName, ProvisionInput{
		OrgID: w.in.OrgID, RequestID: requestID, Items: items, ActorUserID: actor.UserID, CorrelationID: actor.CorrelationID,
	}).Get(ctx, &res)
	if err != nil || len(res.Items) != len(items) {
		w.log.Error("provisioning child failed", "requestId", requestID, "err", err)
		res.Items = make([]ProvisionItemResult, len(items))
		for i, it := range items {
			res.Items[i] = ProvisionItemResult{E164: it.E164, Class: it.Class, SitterID: it.SitterID,
				Error: "Snout couldn't finish adding this number. Check the number inventory, then try again."}
		}
	}
	for _, r := range res.Items {
		if r.NumberID == nil {
			continue
		}
		n := SetupNumber{NumberID: *r.NumberID, E164: r.E164, Class: r.Class, SitterID: r.SitterID, Status: "active", Bought: r.Bought,
			MonthlyCost: r.MonthlyCost, WebhookStatus: r.WebhookStatus, ProviderSID: r.ProviderSID, WebhookURL: r.WebhookURL}
		if !r.OK {
			n.WebhookError, n.ProviderCode = r.Error, r.ProviderCode
		}
		if r.WebhookStatus == WebhookFailed {
			n.WebhookError = r.Error
		}
		if r.Compensated {
			n.Status = "released"
		}
		w.upsertNumber(n)
	}
	w.state.LastProvision = res.Items
	w.log.Info("numbers provisioned", "requestId", requestID, "items", len(items), "first", phone.Redact(items[0].E164))
	return res.Items
}

// upsertNumber adds or replaces a number; released numbers leave the list.
func (w *setupWorkflow) upsertNumber(n SetupNumber) {
	out := w.state.Numbers[:0:0]
	for _, cur := range w.state.Numbers {
		if cur.NumberID != n.NumberID {
			out = append(out, cur)
		}
	}
	if n.Status != "released" {
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
func (w *setupWorkflow) save(ctx workflow.Context, actor SetupActor, action string, detail map[string]any) {
	var a *activities.Activities
	w.state.Version++
	w.state.RefreshCurrent()
	in := activities.SetupProgressInput{OrgID: w.in.OrgID, WorkflowID: w.wfID, RunKey: w.runKey, Version: w.state.Version,
		CurrentStep: w.state.CurrentStep, State: w.state, Diagnostics: w.state.Diagnostics, CompletedAt: w.state.CompletedAt,
		CorrelationID: actor.CorrelationID}
	if action != "" {
		actorID := ""
		if actor.UserID != uuid.Nil {
			actorID = actor.UserID.String()
		}
		in.Audit = &activities.SetupAuditEntry{Action: action, ActorID: actorID, Detail: detail}
	}
	if err := workflow.ExecuteActivity(provisionDBOptions(ctx), a.SetupSaveProgress, in).Get(ctx, nil); err != nil {
		w.log.Error("mirroring setup progress failed", "version", w.state.Version, "err", err)
	}
}

func setupProviderError(err error, msg string, code int) error {
	kind := SetupErrProvider
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		switch appErr.Type() {
		case activities.ErrTypeCredentialsExpired, activities.ErrTypeInvalidItem:
			kind = SetupErrInvalid
		}
	}
	return temporal.NewNonRetryableApplicationError(msg, kind, nil, SetupProviderFailure{ProviderCode: code})
}

func convertChecks(in []activities.SetupCheck) []SetupCheck {
	out := make([]SetupCheck, 0, len(in))
	for _, c := range in {
		out = append(out, SetupCheck(c))
	}
	return out
}

func failedChecks(checks []SetupCheck) []string {
	failed := []string{}
	for _, c := range checks {
		if !c.OK {
			failed = append(failed, c.Key)
		}
	}
	return failed
}
