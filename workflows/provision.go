package workflows

import (
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/domain/numbers"
	"github.com/snoutos/snout/internal/domain/phone"
	"github.com/snoutos/snout/internal/platform/correlation"
	"github.com/snoutos/snout/workflows/steps"
)

// ProvisionNumbersWorkflow buys or imports each item's number, records it,
// installs and verifies its SMS webhook, and releases again a number it
// bought that cannot be configured. Every item gets its own result: one
// number failing never undoes the others.
func ProvisionNumbersWorkflow(ctx workflow.Context, in contract.ProvisionInput) (contract.ProvisionResult, error) {
	w := &provisionWorkflow{in: in}
	if err := w.setup(ctx); err != nil {
		return contract.ProvisionResult{}, err
	}
	return w.run(ctx)
}

type provisionWorkflow struct {
	in      contract.ProvisionInput
	wfID    string
	log     log.Logger
	results []contract.ProvisionItemResult
}

func (w *provisionWorkflow) setup(ctx workflow.Context) error {
	if w.in.OrgID == uuid.Nil {
		return temporal.NewNonRetryableApplicationError("provisioning needs an org ID", contract.SetupErrInvalid, nil)
	}
	if len(w.in.Items) == 0 || len(w.in.Items) > numbers.MaxProvisionItems {
		return temporal.NewNonRetryableApplicationError(fmt.Sprintf("provisioning takes 1 to %d numbers", numbers.MaxProvisionItems), contract.SetupErrInvalid, nil)
	}
	w.wfID = workflow.GetInfo(ctx).WorkflowExecution.ID
	w.log = log.With(workflow.GetLogger(ctx), "orgId", w.in.OrgID, "requestId", w.in.RequestID, "correlationId", correlation.FromWorkflow(ctx))
	w.results = make([]contract.ProvisionItemResult, len(w.in.Items))
	for i, it := range w.in.Items {
		w.results[i] = contract.ProvisionItemResult{E164: it.E164, Class: it.Class, SitterID: it.SitterID}
	}
	return workflow.SetQueryHandler(ctx, contract.QueryProvisionProgress, func() (contract.ProvisionResult, error) {
		return contract.ProvisionResult{Items: w.results}, nil
	})
}

func (w *provisionWorkflow) run(ctx workflow.Context) (contract.ProvisionResult, error) {
	for i, item := range w.in.Items {
		w.results[i] = w.provisionItem(ctx, item)
	}
	ok := 0
	for _, r := range w.results {
		if r.OK {
			ok++
		}
	}
	w.log.Info("provisioning finished", "items", len(w.results), "ok", ok)
	return contract.ProvisionResult{Items: w.results}, nil
}

// provisionItem is one item's saga: acquire, then record and configure; a
// number bought here is released if anything after the purchase fails.
func (w *provisionWorkflow) provisionItem(ctx workflow.Context, item contract.ProvisionItem) (res contract.ProvisionItemResult) {
	res = contract.ProvisionItemResult{E164: item.E164, Class: item.Class, SitterID: item.SitterID}
	if _, msg := item.Check(); msg != "" {
		res.Error = msg
		return res
	}
	in := steps.ProvisionAcquireInput{OrgID: w.in.OrgID, WorkflowID: w.wfID, Action: item.Action, E164: item.E164,
		Class: item.Class, SitterID: item.SitterID, FriendlyName: item.FriendlyName}
	acquire := steps.ProvisionImportNumber
	if item.Action == contract.ProvisionBuy {
		acquire = steps.ProvisionBuyNumber
	}
	var acq steps.ProvisionAcquired
	if err := workflow.ExecuteActivity(provisionProviderOptions(ctx), acquire, in).Get(ctx, &acq); err != nil {
		res.Error, res.ProviderCode = provisionPlainError(err)
		w.log.Warn("number not acquired", "e164", phone.Redact(item.E164), "action", item.Action, "err", err)
		return res
	}
	res.Bought, res.ProviderSID, res.MonthlyCost = acq.Bought, acq.ProviderSID, acq.MonthlyCost

	var err error
	defer func() {
		if err == nil || !acq.Bought {
			return
		}
		// Compensation: never leave a bought number half set up.
		reason, _ := provisionPlainError(err)
		res.OK = false
		res.WebhookStatus = contract.WebhookFailed
		if relErr := w.release(ctx, res, reason); relErr != nil {
			res.Error = reason + " Snout also couldn't release the number it bought; release it in the Twilio console so it stops costing money."
			return
		}
		res.Compensated = true
		res.Error = "The number was bought but couldn't be set up, so it was released again: " + reason
	}()

	var rec steps.ProvisionRecorded
	err = workflow.ExecuteActivity(provisionDBOptions(ctx), steps.ProvisionRecordNumber, steps.ProvisionRecordInput{
		ProvisionAcquireInput: in, Acquired: acq, ActorUserID: w.in.ActorUserID,
	}).Get(ctx, &rec)
	if err != nil {
		res.Error, res.ProviderCode = provisionPlainError(err)
		return res
	}
	res.NumberID = &rec.NumberID

	hook := installNumberWebhook(ctx, steps.ProvisionWebhookInput{OrgID: w.in.OrgID, NumberID: rec.NumberID,
		RequestKey: w.wfID, ActorID: w.in.ActorUserID.String()})
	res.WebhookStatus, res.WebhookURL = hook.Status, hook.URL
	if hook.ProviderSID != "" {
		res.ProviderSID = hook.ProviderSID
	}
	if hook.Status != contract.WebhookVerified {
		res.Error, res.ProviderCode = hook.Error, hook.ProviderCode
		if acq.Bought {
			err = temporal.NewNonRetryableApplicationError(hook.Error, "WebhookNotInstalled", nil)
			return res
		}
		// An imported number stays: it was the owner's already, and the
		// webhook step can retry it.
		res.OK = true
		return res
	}
	res.OK = true
	return res
}

// release gives back a number this run bought and marks its row released.
func (w *provisionWorkflow) release(ctx workflow.Context, res contract.ProvisionItemResult, reason string) error {
	dctx, _ := workflow.NewDisconnectedContext(ctx)
	dctx = workflow.WithActivityOptions(dctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute,
			MaximumAttempts: 10, NonRetryableErrorTypes: []string{steps.ErrTypeProviderNotConnected}},
	})
	in := steps.ProvisionReleaseInput{OrgID: w.in.OrgID, ProviderSID: res.ProviderSID, WorkflowID: w.wfID, Reason: reason,
		ActorUserID: w.in.ActorUserID}
	if res.NumberID != nil {
		in.NumberID = *res.NumberID
	}
	err := workflow.ExecuteActivity(dctx, steps.ProvisionReleaseNumber, in).Get(dctx, nil)
	if err != nil {
		w.log.Error("compensation failed: bought number not released", "e164", phone.Redact(res.E164), "err", err)
	} else {
		w.log.Info("compensated: bought number released", "e164", phone.Redact(res.E164))
	}
	return err
}

// installNumberWebhook installs and verifies one number's webhook. Failures
// come back in the result (recorded on the number), never as an error.
func installNumberWebhook(ctx workflow.Context, in steps.ProvisionWebhookInput) steps.ProvisionWebhookResult {
	var res steps.ProvisionWebhookResult
	err := workflow.ExecuteActivity(provisionProviderOptions(ctx), steps.ProvisionInstallWebhook, in).Get(ctx, &res)
	if err == nil {
		return res
	}
	msg, code := provisionPlainError(err)
	res = steps.ProvisionWebhookResult{NumberID: in.NumberID, Status: contract.WebhookFailed, Error: msg, ProviderCode: code}
	mark := steps.ProvisionMarkWebhookInput{OrgID: in.OrgID, NumberID: in.NumberID, Error: msg, RequestKey: in.RequestKey, ActorID: in.ActorID}
	if merr := workflow.ExecuteActivity(provisionDBOptions(ctx), steps.ProvisionMarkWebhookFailed, mark).Get(ctx, nil); merr != nil {
		workflow.GetLogger(ctx).Error("recording webhook failure failed", "numberId", in.NumberID, "err", merr)
	}
	return res
}

// provisionPlainError turns an activity or child failure into the owner-facing
// sentence and the provider's code (0 if none). Non-retryable application
// errors carry a plain message by construction; anything else (retries ran
// out on a transient failure, a timeout) gets a general sentence.
func provisionPlainError(err error) (string, int) {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) && appErr.NonRetryable() {
		var pf steps.ProviderFailure
		if appErr.HasDetails() {
			_ = appErr.Details(&pf)
		}
		return appErr.Message(), pf.Code
	}
	var timeout *temporal.TimeoutError
	if errors.As(err, &timeout) {
		return "Twilio took too long to answer. Try again in a minute.", 0
	}
	return "Twilio had a temporary problem. Try again in a minute.", 0
}

// provisionProviderOptions: activities that call Twilio. Transient failures
// retry a few times with backoff; permanent ones are non-retryable errors.
func provisionProviderOptions(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 45 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: 20 * time.Second,
			MaximumAttempts: 4},
	})
}

// provisionDBOptions: activities that only touch PostgreSQL.
func provisionDBOptions(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 15 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: 500 * time.Millisecond, BackoffCoefficient: 2, MaximumInterval: 10 * time.Second,
			MaximumAttempts: 10},
	})
}
