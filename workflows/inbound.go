package workflows

import (
	"errors"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/domain/optout"
	"github.com/snoutos/snout/internal/domain/routing"
	"github.com/snoutos/snout/internal/platform/correlation"
	"github.com/snoutos/snout/workflows/steps"
)

// Inbound activity options: database steps retry with backoff for about a
// quarter of an hour (a PostgreSQL restart, a failover) before the
// workflow gives up and shows as failed; the HELP reply talks to the
// provider and gets a longer timeout and fewer attempts.
var (
	inboundDBActivity = workflow.ActivityOptions{
		StartToCloseTimeout: 15 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    time.Minute,
			MaximumAttempts:    20,
		},
	}
	// inboundDBLocalActivity runs the same database steps as local
	// activities: in the worker, inside the workflow task, with no round
	// trip to the Temporal server per step. An inbound text is a few
	// milliseconds of PostgreSQL work; as separate activity tasks the server
	// spent far more on scheduling them than the steps took (the bench ran
	// at 7.6 texts/s on two cores). The retry policy is the same.
	inboundDBLocalActivity = workflow.LocalActivityOptions{
		StartToCloseTimeout: 15 * time.Second,
		// A local activity's retries are bounded by this, not by the
		// attempt count alone: keep the same quarter-hour budget.
		ScheduleToCloseTimeout: 15 * time.Minute,
		RetryPolicy:            inboundDBActivity.RetryPolicy,
	}
	inboundProviderActivity = workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    2 * time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    time.Minute,
			MaximumAttempts:    5,
		},
	}
)

// InboundWorkflow puts one inbound text (ID inbound-<MessageSid>) in its
// thread: it resolves the client (creating one for an unknown sender) and
// the thread, applies STOP/START/HELP, decides the route with the pure
// routing rules at workflow time, stores the message with its trace and
// the thread's unread count in one idempotent transaction, audits it
// under the webhook's correlation ID and marks the receipt processed.
// The starter sets the OrgId search attribute.
func InboundWorkflow(ctx workflow.Context, in contract.InboundInput) (contract.InboundResult, error) {
	w := &inbound{in: in}
	if err := w.setup(ctx); err != nil {
		return contract.InboundResult{}, err
	}
	return w.run(ctx)
}

// inbound is one running inbound workflow.
type inbound struct {
	in  contract.InboundInput
	log log.Logger
	db  workflow.Context
	// localDB is true for runs that do their database steps as local
	// activities (version 1 of inboundLocalStepsChange); runs recorded
	// before that replay with regular activities.
	localDB bool
}

// inboundLocalStepsChange versions the move of the database steps to local
// activities.
const inboundLocalStepsChange = "inbound-db-steps-local"

// dbStep runs one database step.
func (w *inbound) dbStep(activity, arg any) workflow.Future {
	if w.localDB {
		return workflow.ExecuteLocalActivity(w.db, activity, arg)
	}
	return workflow.ExecuteActivity(w.db, activity, arg)
}

func (w *inbound) setup(ctx workflow.Context) error {
	if w.in.OrgID == uuid.Nil || w.in.ReceiptID == uuid.Nil || w.in.MessageSID == "" {
		return temporal.NewNonRetryableApplicationError("an inbound text needs an org ID, a receipt ID and a MessageSid", "InvalidInboundInput", nil)
	}
	w.log = log.With(workflow.GetLogger(ctx), "orgId", w.in.OrgID.String(), "messageSid", w.in.MessageSID, "correlationId", correlation.FromWorkflow(ctx))
	w.db = workflow.WithActivityOptions(ctx, inboundDBActivity)
	if workflow.GetVersion(ctx, inboundLocalStepsChange, workflow.DefaultVersion, 1) == 1 {
		w.localDB = true
		w.db = workflow.WithLocalActivityOptions(w.db, inboundDBLocalActivity)
	}
	return nil
}

func (w *inbound) run(ctx workflow.Context) (contract.InboundResult, error) {
	in := w.in

	var text steps.InboundText
	ref := steps.InboundReceiptRef{OrgID: in.OrgID, ReceiptID: in.ReceiptID, MessageSID: in.MessageSID}
	if err := w.dbStep(steps.LoadInboundReceipt, ref).Get(ctx, &text); err != nil {
		return w.fail(ctx, "the stored webhook could not be read", err)
	}

	var client steps.InboundClient
	if err := w.dbStep(steps.ResolveInboundClient, steps.ResolveInboundClientInput{
		OrgID: in.OrgID, From: text.From, MessageSID: in.MessageSID,
	}).Get(ctx, &client); err != nil {
		return w.fail(ctx, "the sender could not be resolved", err)
	}

	var number steps.ReceivingNumber
	if err := w.dbStep(steps.FindReceivingNumber, steps.FindReceivingNumberInput{
		OrgID: in.OrgID, To: text.To, MessageSID: in.MessageSID,
	}).Get(ctx, &number); err != nil {
		return w.fail(ctx, "the receiving number is not this business's", err)
	}

	var thread steps.InboundThread
	if err := w.dbStep(steps.EnsureInboundThread, steps.EnsureInboundThreadInput{
		OrgID: in.OrgID, ClientID: client.ClientID, Number: number, ReceivedAt: text.ReceivedAt,
		MessageSID: in.MessageSID,
	}).Get(ctx, &thread); err != nil {
		return w.fail(ctx, "the thread could not be found or created", err)
	}

	keyword := optout.Classify(text.Body)
	if keyword == optout.OptOut || keyword == optout.OptIn {
		if err := w.dbStep(steps.ApplyOptOutKeyword, steps.OptOutKeywordInput{
			OrgID: in.OrgID, ClientID: client.ClientID, OptOut: keyword == optout.OptOut,
			Keyword: keywordWord(text.Body), NumberE164: number.E164, At: text.ReceivedAt,
			MessageSID: in.MessageSID,
		}).Get(ctx, nil); err != nil {
			return w.fail(ctx, "the opt-out keyword could not be applied", err)
		}
	}

	now := workflow.Now(ctx)
	var rc steps.RoutingContext
	if err := w.dbStep(steps.LoadRoutingContext, steps.RoutingContextInput{
		OrgID: in.OrgID, ThreadID: thread.ThreadID, ClientID: client.ClientID, Around: now,
		NumberSitterID: thread.Number.SitterID,
	}).Get(ctx, &rc); err != nil {
		return w.fail(ctx, "the routing rules could not be loaded", err)
	}
	decision := routing.Decide(routing.Input{
		Now: now, ThreadID: thread.ThreadID.String(), ClientID: client.ClientID.String(),
		Number:    routing.Number{ID: thread.Number.NumberID.String(), Class: routing.NumberClass(thread.Number.Class), SitterID: idString(thread.Number.SitterID)},
		Overrides: rc.Overrides, Windows: rc.Windows,
		// Histories recorded before the owner's rules have none of these:
		// nil rules are the built-in ones, and the rest is unused by them.
		Rules: rc.Rules, ClientTags: rc.ClientTags, Clock: rc.Clock, NewSender: client.Created,
	})
	trace, sitterID := routingTrace(decision, rc.Sitters, now, thread.Number)
	w.log.Info("inbound text routed", "threadId", thread.ThreadID.String(), "target", trace.Target.Kind, "rule", trace.Rule)

	var stored steps.StoredInboundMessage
	if err := w.dbStep(steps.StoreInboundMessage, steps.StoreInboundMessageInput{
		OrgID: in.OrgID, ThreadID: thread.ThreadID, NumberID: number.NumberID, Text: text, Routing: trace,
		SitterID: sitterID, ReceivedAt: text.ReceivedAt,
	}).Get(ctx, &stored); err != nil {
		return w.fail(ctx, "the message could not be stored", err)
	}

	if err := w.dbStep(steps.RecordInboundAudit, steps.InboundAuditInput{
		OrgID: in.OrgID, MessageID: stored.MessageID, ThreadID: thread.ThreadID, ClientID: client.ClientID, NumberID: number.NumberID,
		MessageSID: in.MessageSID, Media: len(text.Media), Keyword: keyword.String(),
		NewThread: thread.Created, Target: trace.Target.Kind, SitterID: sitterID, Rule: trace.Rule,
	}).Get(ctx, nil); err != nil {
		return w.fail(ctx, "the audit trail could not be written", err)
	}

	if keyword == optout.Help {
		// The reply is a courtesy: a provider that keeps failing does not
		// undo the stored message.
		var reply steps.HelpReplyResult
		pctx := workflow.WithActivityOptions(ctx, inboundProviderActivity)
		if err := workflow.ExecuteActivity(pctx, steps.SendHelpReply, steps.HelpReplyInput{
			OrgID: in.OrgID, ThreadID: thread.ThreadID, ClientE164: client.E164, NumberE164: number.E164,
			MessageSID: in.MessageSID,
		}).Get(ctx, &reply); err != nil {
			w.log.Error("help reply not sent", "error", err)
		} else if reply.Failed != "" || reply.Skipped != "" {
			w.log.Warn("help reply not sent", "failed", reply.Failed, "skipped", reply.Skipped)
		}
	}

	if err := w.dbStep(steps.MarkInboundReceiptProcessed, steps.MarkReceiptInput{
		OrgID: in.OrgID, ReceiptID: in.ReceiptID,
	}).Get(ctx, nil); err != nil {
		return w.fail(ctx, "the receipt could not be marked processed", err)
	}

	return contract.InboundResult{MessageID: stored.MessageID, ThreadID: thread.ThreadID, Keyword: keyword.String(),
		Target: trace.Target.Kind, SitterID: sitterID}, nil
}

// fail ends the workflow with err. When err is permanent (a retry cannot
// help: an unreadable payload, a sender that is not a phone number, a
// number the org does not have) the receipt is marked processed with the
// reason, so operators see why the text is not in any thread.
func (w *inbound) fail(ctx workflow.Context, what string, err error) (contract.InboundResult, error) {
	w.log.Error("inbound text not processed: "+what, "error", err)
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) && appErr.NonRetryable() {
		note := what + " (" + appErr.Type() + ")"
		if merr := w.dbStep(steps.MarkInboundReceiptProcessed, steps.MarkReceiptInput{
			OrgID: w.in.OrgID, ReceiptID: w.in.ReceiptID, Note: note,
		}).Get(ctx, nil); merr != nil {
			w.log.Error("receipt not marked", "error", merr)
		}
	}
	return contract.InboundResult{}, err
}

// routingTrace turns a routing decision into the stored trace, with sitter
// IDs in the sentences replaced by names, and returns the target sitter.
func routingTrace(d routing.Decision, sitters []steps.SitterName, now time.Time, number steps.ReceivingNumber) (routing.Trace, *uuid.UUID) {
	return routing.Record(d, sitters, now, number.NumberID, number.Class)
}

// keywordWord is the keyword as the client typed it, upper case, without
// surrounding spaces or trailing punctuation ("Stop!" → "STOP").
func keywordWord(body string) string {
	return strings.ToUpper(strings.TrimRightFunc(strings.TrimSpace(body), unicode.IsPunct))
}

func idString(id *uuid.UUID) string {
	if id == nil {
		return ""
	}
	return id.String()
}
