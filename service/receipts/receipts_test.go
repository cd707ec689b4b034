package receipts_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/dev/seed"
	"github.com/snoutos/snout/dev/testenv"
	"github.com/snoutos/snout/dev/testenv/seeded"
	"github.com/snoutos/snout/internal/domain/message"
	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/platform/secrets"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/internal/twilio/orgprovider"
	"github.com/snoutos/snout/internal/twilio/provider"
	"github.com/snoutos/snout/internal/twilio/twiliowebhook"
	"github.com/snoutos/snout/service"
	"github.com/snoutos/snout/service/receipts"
)

func TestMain(m *testing.M) { testenv.Main(m) }

const publicURL = "https://snout.example"

// testAccount is the demo org's Twilio account (the config's default).
var testAccount = "ACde300000000000000000000000000001"

// env is the demo database, a real Temporal server and a task queue no
// worker polls: the receipts' workflows are started and signalled, and
// stay open for the test to look at.
type env struct {
	db       seeded.SeededDB
	tc       client.Client
	receipts *receipts.Service
	ctx      context.Context
	org      *store.OrgStore
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db := seeded.DB(t)
	box, err := secrets.NewBox(db.Config.EncryptionKeys)
	if err != nil {
		t.Fatal(err)
	}
	tc := testenv.Temporal(t)
	if db.Config.DemoTwilioAccountSID != testAccount {
		t.Fatalf("the demo account is %s", db.Config.DemoTwilioAccountSID)
	}
	e := &env{db: db, tc: tc, ctx: context.Background(), org: db.Store.Org(db.Demo.OrgID)}
	e.receipts = &receipts.Service{Store: db.Store, Providers: orgprovider.New(db.Store, box, ""), Temporal: tc, TaskQueue: testenv.TaskQueue(t),
		PublicURL: publicURL, Now: time.Now, Log: db.Log, Auditor: service.Auditor{Store: db.Store, Log: db.Log}}
	return e
}

func newSID() string { return "SM" + strings.ReplaceAll(uuid.NewString(), "-", "") }

// outbound stores a text Snout sent with the provider SID sid.
func (e *env) outbound(t *testing.T, sid string) uuid.UUID {
	t.Helper()
	id := uuid.New()
	m := &store.Message{ID: id, OrgID: e.db.Demo.OrgID, ThreadID: seed.ID("thread/frankie-front"), Direction: store.DirectionOutbound,
		SenderType: store.SenderOwner, Body: "Sure, 5pm works.", Media: []message.MediaItem{}, FromE164: seed.FrontDeskNumber, ToE164: "+16505550106",
		Status: store.StatusSent, Encoding: "GSM-7", Segments: 1, Attempts: 1}
	if _, err := e.db.Store.DB().NewInsert().Model(m).Exec(e.ctx); err != nil {
		t.Fatal(err)
	}
	att := &store.MessageAttempt{ID: uuid.New(), OrgID: e.db.Demo.OrgID, MessageID: id, Attempt: 1, ProviderSID: &sid, Status: "sent"}
	if _, err := e.db.Store.DB().NewInsert().Model(att).Exec(e.ctx); err != nil {
		t.Fatal(err)
	}
	return id
}

// receipt stores a receipt as a webhook would have, received a minute ago
// and never dispatched.
func (e *env) receipt(t *testing.T, kind, key, sid string, form url.Values) *store.WebhookReceipt {
	t.Helper()
	payload, err := twiliowebhook.Payload(form)
	if err != nil {
		t.Fatal(err)
	}
	rc, _, err := e.org.InsertWebhookReceipt(e.ctx, &store.WebhookReceipt{OrgID: e.db.Demo.OrgID, Kind: kind, DedupeKey: key, MessageSID: sid,
		Payload: payload, CorrelationID: "req-" + sid, ReceivedAt: time.Now().Add(-time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	return rc
}

func textForm(sid string) url.Values {
	return url.Values{"MessageSid": {sid}, "AccountSid": {testAccount}, "From": {"+16505550103"},
		"To": {seed.FrontDeskNumber}, "Body": {"Can Luna stay an extra night?"}, "NumMedia": {"0"}}
}

func statusForm(sid, status string) url.Values {
	return url.Values{"MessageSid": {sid}, "AccountSid": {testAccount}, "MessageStatus": {status},
		"From": {seed.FrontDeskNumber}, "To": {"+16505550106"}}
}

func (e *env) stored(t *testing.T, id uuid.UUID) store.WebhookReceipt {
	t.Helper()
	rc, err := e.org.WebhookReceipt(e.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return *rc
}

// signalled reports whether a workflow received the delivery status signal.
func (e *env) signalled(t *testing.T, workflowID string) bool {
	t.Helper()
	it := e.tc.GetWorkflowHistory(e.ctx, workflowID, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		if a := ev.GetWorkflowExecutionSignaledEventAttributes(); a != nil && a.SignalName == contract.SignalDeliveryStatus {
			return true
		}
	}
	return false
}

func TestRedriveDispatchesEveryKindOfReceipt(t *testing.T) {
	e := newEnv(t)
	newText := newSID()
	text := e.receipt(t, twiliowebhook.KindSMS, newText, newText, textForm(newText))
	startedText := newSID()
	again := e.receipt(t, twiliowebhook.KindSMS, startedText, startedText, textForm(startedText))
	// The webhook started this one, and died before marking its receipt.
	if _, err := e.tc.ExecuteWorkflow(e.ctx, client.StartWorkflowOptions{ID: contract.InboundWorkflowID(startedText), TaskQueue: e.receipts.TaskQueue},
		contract.InboundWorkflowName, contract.InboundInput{}); err != nil {
		t.Fatal(err)
	}
	runningSID, finishedSID, unknownSID := newSID(), newSID(), newSID()
	running := e.outbound(t, runningSID)
	finished := e.outbound(t, finishedSID)
	if _, err := e.tc.ExecuteWorkflow(e.ctx, client.StartWorkflowOptions{ID: contract.DeliveryWorkflowID(running), TaskQueue: e.receipts.TaskQueue},
		contract.DeliveryWorkflowName); err != nil {
		t.Fatal(err)
	}
	toRunning := e.receipt(t, twiliowebhook.KindStatus, runningSID+"/delivered", runningSID, statusForm(runningSID, "delivered"))
	toFinished := e.receipt(t, twiliowebhook.KindStatus, finishedSID+"/delivered", finishedSID, statusForm(finishedSID, "delivered"))
	unknown := e.receipt(t, twiliowebhook.KindStatus, unknownSID+"/sent", unknownSID, statusForm(unknownSID, "sent"))
	unreadable := e.receipt(t, twiliowebhook.KindStatus, "garbled/sent", "garbled", url.Values{"MessageStatus": {"sent"}})
	// A receipt younger than the sweep's age is its webhook's business.
	fresh := newSID()
	if _, _, err := e.org.InsertWebhookReceipt(e.ctx, &store.WebhookReceipt{OrgID: e.db.Demo.OrgID, Kind: twiliowebhook.KindSMS, DedupeKey: fresh,
		MessageSID: fresh, Payload: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}

	res, err := e.receipts.Redrive(e.ctx, 30*time.Second, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := contract.SweepResult{Found: 6, Started: 1, AlreadyStarted: 1, Signalled: 1, Applied: 1, Unknown: 2}
	if res != want {
		t.Fatalf("redrive %+v, want %+v", res, want)
	}
	desc, err := e.tc.DescribeWorkflowExecution(e.ctx, contract.InboundWorkflowID(newText), "")
	if err != nil || desc.WorkflowExecutionInfo.TaskQueue != e.receipts.TaskQueue {
		t.Fatalf("the text's inbound workflow: %+v %v", desc, err)
	}
	for _, rc := range []*store.WebhookReceipt{text, again, toRunning} {
		if got := e.stored(t, rc.ID); got.DispatchedAt == nil || got.DispatchError != "" {
			t.Errorf("receipt %s: dispatched %v, error %q", rc.DedupeKey, got.DispatchedAt, got.DispatchError)
		}
	}
	if !e.signalled(t, contract.DeliveryWorkflowID(running)) {
		t.Error("the running delivery workflow got no status signal")
	}
	var status string
	if err := e.db.Store.DB().NewRaw("SELECT status FROM messages WHERE id = ?", finished).Scan(e.ctx, &status); err != nil || status != store.StatusDelivered {
		t.Errorf("the finished delivery's message is %q (%v), want delivered", status, err)
	}
	for rc, note := range map[*store.WebhookReceipt]string{toFinished: "", unknown: "no outbound message has this SID", unreadable: "unreadable status callback"} {
		if got := e.stored(t, rc.ID); got.ProcessedAt == nil || got.DispatchError != note {
			t.Errorf("receipt %s: processed %v, note %q, want %q", rc.DedupeKey, got.ProcessedAt, got.DispatchError, note)
		}
	}
	// Nothing is left for the next sweep, but the fresh receipt later.
	if res, err := e.receipts.Redrive(e.ctx, 30*time.Second, 0); err != nil || res.Found != 0 {
		t.Fatalf("second redrive %+v %v", res, err)
	}
}

func TestWebhookAndSweepShareOneDispatch(t *testing.T) {
	e := newEnv(t)
	token := e.db.Config.DemoTwilioAuthToken
	webhook := func(route string, form url.Values) receipts.Webhook {
		uri := route + "?source=twilio"
		return receipts.Webhook{Route: route, RequestURI: uri, Form: form, Signature: provider.Sign(token, publicURL+uri, form), IP: "192.0.2.9"}
	}
	// With Temporal unreachable (here: not configured) a text is stored
	// and acknowledged, and left for the sweep.
	down := &receipts.Service{Store: e.receipts.Store, Providers: e.receipts.Providers, TaskQueue: e.receipts.TaskQueue,
		PublicURL: publicURL, Now: time.Now, Log: e.db.Log, Auditor: e.receipts.Auditor}
	sid := newSID()
	if err := down.ReceiveText(e.ctx, webhook("/webhooks/twilio/sms", textForm(sid))); err != nil {
		t.Fatal(err)
	}
	// A status callback may overtake the recording of its send: the
	// webhook leaves it for the sweep, which closes it once it is old.
	unknownSID := newSID()
	if err := e.receipts.ReceiveStatus(e.ctx, webhook("/webhooks/twilio/status", statusForm(unknownSID, "delivered"))); err != nil {
		t.Fatal(err)
	}
	var st store.WebhookReceipt
	if err := e.db.Store.DB().NewSelect().Model(&st).Where("dedupe_key = ?", unknownSID+"/delivered").Scan(e.ctx); err != nil {
		t.Fatal(err)
	}
	if st.DispatchedAt != nil || st.ProcessedAt != nil || !strings.Contains(st.DispatchError, "yet") {
		t.Fatalf("fresh status for an unknown SID: dispatched %v processed %v note %q", st.DispatchedAt, st.ProcessedAt, st.DispatchError)
	}
	res, err := e.receipts.Redrive(e.ctx, 0, 0)
	if err != nil || res.Found != 2 || res.Started != 1 || res.Unknown != 1 {
		t.Fatalf("sweep %+v %v", res, err)
	}
	if _, err := e.tc.DescribeWorkflowExecution(e.ctx, contract.InboundWorkflowID(sid), ""); err != nil {
		t.Fatalf("the swept text's workflow: %v", err)
	}
	// Twilio redelivers the text: one receipt, one workflow, acknowledged.
	if err := e.receipts.ReceiveText(e.ctx, webhook("/webhooks/twilio/sms", textForm(sid))); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := e.db.Store.DB().NewRaw("SELECT count(*) FROM webhook_receipts WHERE dedupe_key = ?", sid).Scan(e.ctx, &n); err != nil || n != 1 {
		t.Fatalf("%d receipts for one text (%v)", n, err)
	}
}

func TestUnsignedWebhooksAreRefusedAndAudited(t *testing.T) {
	e := newEnv(t)
	form := textForm(newSID())
	for name, wh := range map[string]receipts.Webhook{
		"no signature":    {Route: "/webhooks/twilio/sms", RequestURI: "/webhooks/twilio/sms", Form: form},
		"wrong signature": {Route: "/webhooks/twilio/sms", RequestURI: "/webhooks/twilio/sms", Form: form, Signature: provider.Sign("not-the-token", publicURL+"/webhooks/twilio/sms", form)},
		"unknown account": {Route: "/webhooks/twilio/sms", RequestURI: "/webhooks/twilio/sms", Form: url.Values{"AccountSid": {"AC00000000000000000000000000000000"}, "MessageSid": {newSID()}}},
	} {
		if err := e.receipts.ReceiveText(e.ctx, wh); !errs.Is(err, errs.KindForbidden) {
			t.Errorf("%s: %v, want forbidden", name, err)
		}
	}
	var n int
	if err := e.db.Store.DB().NewRaw("SELECT count(*) FROM audit_events WHERE action = 'webhook.signature_rejected'").Scan(e.ctx, &n); err != nil || n != 3 {
		t.Fatalf("%d rejections audited (%v), want 3", n, err)
	}
	if err := e.db.Store.DB().NewRaw("SELECT count(*) FROM webhook_receipts").Scan(e.ctx, &n); err != nil || n != 0 {
		t.Fatalf("%d receipts stored from unsigned requests", n)
	}
	// A signed form that lacks what a text needs names the field.
	bad := url.Values{"AccountSid": {testAccount}, "MessageSid": {"not-a-sid"}, "From": {"+16505550103"}, "To": {seed.FrontDeskNumber}}
	sig := provider.Sign(e.db.Config.DemoTwilioAuthToken, publicURL+"/webhooks/twilio/sms", bad)
	err := e.receipts.ReceiveText(e.ctx, receipts.Webhook{Route: "/webhooks/twilio/sms", RequestURI: "/webhooks/twilio/sms", Form: bad, Signature: sig})
	if r, ok := errs.As(err); !ok || r.Kind != errs.KindInvalid || len(r.Fields) != 1 {
		t.Fatalf("malformed signed form: %v", err)
	}
}

func TestAFloodOfForgedWebhooksIsRefusedCheaply(t *testing.T) {
	e := newEnv(t)
	form := textForm(newSID())
	forged := receipts.Webhook{Route: "/webhooks/twilio/sms", RequestURI: "/webhooks/twilio/sms", Form: form, IP: "203.0.113.9",
		Signature: provider.Sign("not-the-token", publicURL+"/webhooks/twilio/sms", form)}
	for i := 0; i < 200; i++ {
		if err := e.receipts.ReceiveText(e.ctx, forged); !errs.Is(err, errs.KindForbidden) {
			t.Fatalf("forged request %d: %v, want forbidden", i+1, err)
		}
	}
	// One audit event for the burst, not one per request.
	var n int
	if err := e.db.Store.DB().NewRaw("SELECT count(*) FROM audit_events WHERE action = 'webhook.signature_rejected'").Scan(e.ctx, &n); err != nil || n != 1 {
		t.Fatalf("%d rejections audited (%v), want 1 for a burst from one source", n, err)
	}
	// A correctly signed text in the middle of the flood is taken.
	good := textForm(newSID())
	signed := receipts.Webhook{Route: "/webhooks/twilio/sms", RequestURI: "/webhooks/twilio/sms", Form: good, IP: "203.0.113.9",
		Signature: provider.Sign(e.db.Config.DemoTwilioAuthToken, publicURL+"/webhooks/twilio/sms", good)}
	if err := e.receipts.ReceiveText(e.ctx, signed); err != nil {
		t.Fatalf("signed text during a flood: %v", err)
	}
}

func TestARotatedAuthTokenIsAcceptedAtOnce(t *testing.T) {
	e := newEnv(t)
	box, _ := secrets.NewBox(e.db.Config.EncryptionKeys)
	dir := orgprovider.New(e.db.Store, box, "")
	now := time.Now()
	dir.SetClock(func() time.Time { return now })
	svc := &receipts.Service{Store: e.db.Store, Providers: dir, Temporal: e.tc, TaskQueue: e.receipts.TaskQueue,
		PublicURL: publicURL, Now: time.Now, Log: e.db.Log, Auditor: e.receipts.Auditor}
	signed := func(token string) receipts.Webhook {
		form := textForm(newSID())
		return receipts.Webhook{Route: "/webhooks/twilio/sms", RequestURI: "/webhooks/twilio/sms", Form: form,
			Signature: provider.Sign(token, publicURL+"/webhooks/twilio/sms", form)}
	}
	// The key is cached by a first signed text.
	if err := svc.ReceiveText(e.ctx, signed(e.db.Config.DemoTwilioAuthToken)); err != nil {
		t.Fatal(err)
	}
	// The owner rotates the auth token; Twilio signs with the new one.
	acct, err := e.org.ProviderAccount(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	const rotated = "0123456789abcdef0123456789abcdef"
	ct, keyID, err := dir.Seal(e.db.Demo.OrgID, orgprovider.Secret{AccountSID: acct.AccountSID, Secret: rotated, SigningToken: rotated})
	if err != nil {
		t.Fatal(err)
	}
	acct.SecretCiphertext, acct.SecretKeyID = ct, keyID
	if err := e.org.SaveProviderAccount(e.ctx, acct); err != nil {
		t.Fatal(err)
	}
	// A forged text right away is refused without re-reading the key...
	if err := svc.ReceiveText(e.ctx, signed("not-the-token")); !errs.Is(err, errs.KindForbidden) {
		t.Fatalf("forged text: %v, want forbidden", err)
	}
	// ...and once the refresh interval has passed (still inside the cache's
	// life) a text signed with the new token is accepted.
	now = now.Add(6 * time.Second)
	if err := svc.ReceiveText(e.ctx, signed(rotated)); err != nil {
		t.Fatalf("text signed with the rotated token: %v", err)
	}
	// The old token no longer works once the key was re-read.
	now = now.Add(6 * time.Second)
	if err := svc.ReceiveText(e.ctx, signed(e.db.Config.DemoTwilioAuthToken)); !errs.Is(err, errs.KindForbidden) {
		t.Fatalf("text signed with the old token: %v, want forbidden", err)
	}
}
