package activities_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/snoutos/snout/activities"
	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/dev/seed"
	"github.com/snoutos/snout/dev/testenv"
	"github.com/snoutos/snout/dev/twiliosim"
	"github.com/snoutos/snout/internal/domain/message"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/internal/twilio/provider"
	"github.com/snoutos/snout/worker"
	"github.com/snoutos/snout/workflows/steps"
)

// Avery's thread with Sam runs on Sam's number.
const (
	averyE164  = "+16505550101"
	averyBody  = "Biscuit had a great walk and ate all his dinner."
	averyOther = "See you tomorrow at 8!"
)

// outboundToAvery stores a pending outbound text in Avery's thread, as
// compose does before starting its delivery.
func outboundToAvery(t *testing.T, a *activities.Activities, org uuid.UUID, body string) *store.Message {
	t.Helper()
	now := time.Now()
	m := &store.Message{
		ID: store.NewID(), OrgID: org, ThreadID: seed.ID("thread/avery-sam"), Direction: store.DirectionOutbound,
		SenderType: store.SenderSystem, Body: body, Media: []message.MediaItem{}, FromE164: seed.SamNumber, ToE164: averyE164,
		Status: store.StatusPending, Encoding: "GSM-7", Segments: 1, CorrelationID: "req-send", CreatedAt: now, UpdatedAt: now,
	}
	if err := a.Store.Org(org).CreateOutboundMessage(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	return m
}

// send runs DeliverySend as its activity would run (first try of the
// activity, so the attempt number is FirstAttempt).
func send(t *testing.T, a *activities.Activities, org, messageID uuid.UUID, first int) (steps.DeliverySendResult, error) {
	t.Helper()
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestActivityEnvironment()
	env.RegisterActivity(a)
	v, err := env.ExecuteActivity(steps.DeliverySend, steps.DeliverySendInput{
		OrgID: org, MessageID: messageID, FirstAttempt: first, Trigger: message.TriggerAutomatic,
	})
	var res steps.DeliverySendResult
	if err == nil {
		err = v.Get(&res)
	}
	return res, err
}

func attempts(t *testing.T, a *activities.Activities, org, messageID uuid.UUID) []store.MessageAttempt {
	t.Helper()
	list, err := a.Store.Org(org).MessageAttempts(context.Background(), messageID)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// textsToAvery are the texts the simulator (Twilio) holds from Sam's
// number to Avery.
func textsToAvery(sim *twiliosim.Server) []twiliosim.Message {
	return sim.Messages(averyE164, seed.SamNumber)
}

// Twilio accepts the text but its answer is lost: the send fails as far as
// Snout can tell. The retry asks Twilio first, finds the text, and adopts
// it: Avery gets exactly one.
func TestDeliverySendAfterALostResponseTextsOnce(t *testing.T) {
	a, sim, org := inboundActs(t)
	m := outboundToAvery(t, a, org, averyBody)
	if err := sim.AddFault(twiliosim.Fault{To: averyE164, Mode: twiliosim.FaultLoseResponse, Times: 1}); err != nil {
		t.Fatal(err)
	}
	_, err := send(t, a, org, m.ID, 1)
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) || appErr.Type() != steps.DeliveryTransient {
		t.Fatalf("first run: %v, want a transient failure (the answer never came)", err)
	}
	if n := len(textsToAvery(sim)); n != 1 {
		t.Fatalf("Twilio holds %d texts after the lost answer, want the 1 it accepted", n)
	}

	res, err := send(t, a, org, m.ID, 2) // the activity's retry
	if err != nil {
		t.Fatal(err)
	}
	texts := textsToAvery(sim)
	if len(texts) != 1 {
		t.Fatalf("Avery got %d texts, want exactly one", len(texts))
	}
	if res.ProviderSID != texts[0].SID || res.Attempt != 1 {
		t.Errorf("retry returned %+v, want attempt 1 with the accepted text's SID %s", res, texts[0].SID)
	}
	list := attempts(t, a, org, m.ID)
	if len(list) != 1 || list[0].ProviderSID == nil || *list[0].ProviderSID != texts[0].SID || list[0].ErrorMessage != "" {
		t.Errorf("attempts = %+v, want one, carrying the adopted SID and no failure", list)
	}
	got, err := a.Store.Org(org).OutboundMessage(context.Background(), m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ProviderSID == nil || *got.ProviderSID != texts[0].SID || got.Status == store.StatusFailed || got.ErrorMessage != "" {
		t.Errorf("message = status %q sid %v error %q, want the adopted text's", got.Status, got.ProviderSID, got.ErrorMessage)
	}
	if n := countRows(t, a, "SELECT count(*) FROM audit_events WHERE action = 'message.sent' AND entity_id = ? AND detail->>'foundAtProvider' = 'true'", m.ID.String()); n != 1 {
		t.Errorf("%d audit events for the adopted send, want 1", n)
	}
}

// The worker died after Twilio accepted the text and before the SID was
// recorded: attempt 1 is started, Twilio has the text, Snout does not
// know. The next attempt adopts it.
func TestDeliverySendAfterTheWorkerDiedTextsOnce(t *testing.T) {
	a, sim, org := inboundActs(t)
	ctx := context.Background()
	m := outboundToAvery(t, a, org, averyBody)
	if err := a.Store.Org(org).BeginAttempt(ctx, m.ID, 1, message.TriggerAutomatic, time.Now()); err != nil {
		t.Fatal(err)
	}
	pc, err := a.Providers.ForOrg(ctx, org)
	if err != nil {
		t.Fatal(err)
	}
	// What the dead worker got out before it died.
	if _, err := pc.SendMessage(ctx, provider.SendRequest{From: seed.SamNumber, To: averyE164, Body: averyBody}); err != nil {
		t.Fatal(err)
	}

	res, err := send(t, a, org, m.ID, 2)
	if err != nil {
		t.Fatal(err)
	}
	texts := textsToAvery(sim)
	if len(texts) != 1 || res.ProviderSID != texts[0].SID || res.Attempt != 1 {
		t.Fatalf("Avery got %d texts; the retry returned %+v: want one text, adopted as attempt 1", len(texts), res)
	}
	if list := attempts(t, a, org, m.ID); len(list) != 1 {
		t.Errorf("attempts = %+v, want only the one that went out", list)
	}
}

// The worker died before the text left: Twilio has nothing, so the next
// attempt does send it, once, and the dead attempt is closed.
func TestDeliverySendWhenNothingGotThroughSendsOnce(t *testing.T) {
	a, sim, org := inboundActs(t)
	ctx := context.Background()
	m := outboundToAvery(t, a, org, averyBody)
	if err := a.Store.Org(org).BeginAttempt(ctx, m.ID, 1, message.TriggerAutomatic, time.Now()); err != nil {
		t.Fatal(err)
	}
	res, err := send(t, a, org, m.ID, 2)
	if err != nil {
		t.Fatal(err)
	}
	texts := textsToAvery(sim)
	if len(texts) != 1 || res.Attempt != 2 || res.ProviderSID != texts[0].SID {
		t.Fatalf("Avery got %d texts; result %+v: want one, sent by attempt 2", len(texts), res)
	}
	list := attempts(t, a, org, m.ID)
	if len(list) != 2 || list[0].Status != store.StatusFailed || list[0].FinishedAt == nil || list[1].ProviderSID == nil {
		t.Errorf("attempts = %+v, want attempt 1 closed as failed and attempt 2 sent", list)
	}
}

// Another message with the same words, already sent and recorded, is not
// mistaken for the lost one: the second message is sent too.
func TestDeliverySendDoesNotAdoptAnotherMessagesText(t *testing.T) {
	a, sim, org := inboundActs(t)
	ctx := context.Background()
	first := outboundToAvery(t, a, org, averyOther)
	if _, err := send(t, a, org, first.ID, 1); err != nil {
		t.Fatal(err)
	}
	second := outboundToAvery(t, a, org, averyOther)
	if err := a.Store.Org(org).BeginAttempt(ctx, second.ID, 1, message.TriggerAutomatic, time.Now()); err != nil {
		t.Fatal(err)
	}
	res, err := send(t, a, org, second.ID, 2)
	if err != nil {
		t.Fatal(err)
	}
	texts := textsToAvery(sim)
	if len(texts) != 2 || res.Attempt != 2 || res.ProviderSID == texts[0].SID {
		t.Fatalf("Avery got %d texts; the second message's result %+v: want both messages sent, each once", len(texts), res)
	}
}

// End to end on a real Temporal server with the real activities: the
// simulator loses Twilio's answer to the first send, the activity is
// retried, and the delivery finishes delivered with exactly one text.
func TestDeliveryWorkflowWithALostResponseDeliversOneText(t *testing.T) {
	a, sim, org := inboundActs(t)
	a.Config.DeliveryStatusWait = time.Second
	c := testenv.Temporal(t)
	a.Temporal = c
	tq := testenv.TaskQueue(t)
	w := sdkworker.New(c, tq, sdkworker.Options{})
	worker.Register(w, a)
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	m := outboundToAvery(t, a, org, averyBody)
	if err := sim.AddFault(twiliosim.Fault{To: averyE164, Mode: twiliosim.FaultLoseResponse, Times: 1}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: contract.DeliveryWorkflowID(m.ID), TaskQueue: tq},
		contract.DeliveryWorkflowName, contract.DeliveryInput{OrgID: org, MessageID: m.ID})
	if err != nil {
		t.Fatal(err)
	}
	var res contract.DeliveryState
	if err := run.Get(ctx, &res); err != nil {
		t.Fatal(err)
	}
	texts := textsToAvery(sim)
	if len(texts) != 1 {
		t.Fatalf("Avery got %d texts, want exactly one", len(texts))
	}
	if res.Status != "delivered" || res.ProviderSID != texts[0].SID || res.DeadLettered {
		t.Errorf("delivery ended %+v, want delivered as the one text %s", res, texts[0].SID)
	}
}

// A dead letter that expires is discarded by the system: out of the
// dead-letter list, its alert resolved by nobody in particular, and an
// audit entry whose reason says it expired. The dead-letter step reports
// the configured period to the workflow.
func TestDeadLetterExpiryIsDiscardedAndAudited(t *testing.T) {
	a, _, org := inboundActs(t)
	ctx := context.Background()
	a.Config.DeadLetterExpiry = 72 * time.Hour
	m := outboundToAvery(t, a, org, averyBody)
	dl, err := a.DeliveryDeadLetter(ctx, steps.DeliveryDeadLetterInput{OrgID: org, MessageID: m.ID, Attempt: 1, ErrorCode: 21211})
	if err != nil {
		t.Fatal(err)
	}
	if dl.OpenFor != 72*time.Hour {
		t.Errorf("the dead letter waits %v, want the configured 72h", dl.OpenFor)
	}
	reason := "It expired: nobody retried or discarded it within 3 days of it failing."
	if err := a.DeliveryDiscard(ctx, steps.DeliveryDiscardInput{OrgID: org, MessageID: m.ID, Reason: reason, Expired: true}); err != nil {
		t.Fatal(err)
	}
	got, err := a.Store.Org(org).OutboundMessage(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != store.StatusDiscarded {
		t.Errorf("message status %q, want discarded", got.Status)
	}
	if n := countRows(t, a, "SELECT count(*) FROM alerts WHERE entity_id = ? AND status = 'resolved' AND closed_by IS NULL", m.ID.String()); n != 1 {
		t.Errorf("%d alerts resolved by the system, want 1", n)
	}
	if n := countRows(t, a, `SELECT count(*) FROM audit_events WHERE action = 'message.discarded' AND entity_id = ? AND actor_type = 'system'
		AND detail->>'reason' = ? AND detail->>'expired' = 'true'`, m.ID.String(), reason); n != 1 {
		t.Errorf("%d audit entries for the expiry, want 1 by the system with its reason", n)
	}
	dead, err := a.Store.Org(org).DeadLetters(ctx, nil, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dead {
		if d.MessageID == m.ID {
			t.Error("the expired message is still in the dead-letter list")
		}
	}
}
