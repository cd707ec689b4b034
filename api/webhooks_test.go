package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/snoutos/snout/activities"
	"github.com/snoutos/snout/api"
	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/dev/seed"
	"github.com/snoutos/snout/dev/testenv"
	"github.com/snoutos/snout/dev/twiliosim"
	"github.com/snoutos/snout/internal/domain/message"
	"github.com/snoutos/snout/internal/domain/routing"
	"github.com/snoutos/snout/internal/platform/config"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/internal/twilio/orgprovider"
	"github.com/snoutos/snout/internal/twilio/provider"
	"github.com/snoutos/snout/worker"
)

// inboundRig is the whole inbound path for real: the Twilio simulator
// holding the demo account and numbers, whose SMS URLs point at the API
// through a reverse proxy listening on SNOUT_PUBLIC_URL (so signatures are
// checked over the public URL, not the API's own address), PostgreSQL with
// the demo seed, a real Temporal server and a worker on its own task queue.
type inboundRig struct {
	*harness
	t         *testing.T
	sim       *twiliosim.Server
	publicURL string
	smsURL    string
	cfg       config.Config
	tc        client.Client
	queue     string
	acct      string
	token     string
	deps      api.Deps
}

// smsWebhookQuery is part of the SMS URL the numbers are configured with:
// Twilio signs the URL with its query string, and so must the check.
const smsWebhookQuery = "?source=twilio"

func newInboundRig(t *testing.T) *inboundRig {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	publicURL := "http://" + ln.Addr().String()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	sim := twiliosim.New(twiliosim.Options{Logger: quiet})
	simSrv := httptest.NewServer(sim.Handler())
	t.Cleanup(func() { simSrv.Close(); sim.Close() })

	tc := testenv.Temporal(t)
	queue := testenv.TaskQueue(t)
	var deps api.Deps
	h := newHarness(t, func(d *api.Deps) {
		d.Config.PublicURL = publicURL
		d.Config.TemporalTaskQueue = queue
		d.Config.TwilioBaseURL = simSrv.URL
		d.Providers = orgprovider.New(d.Store, d.Secrets, simSrv.URL)
		d.Temporal = tc
		deps = *d
	})
	proxy := &http.Server{Handler: httputil.NewSingleHostReverseProxy(mustParse(t, h.srv.URL)), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = proxy.Serve(ln) }()
	t.Cleanup(func() { _ = proxy.Close() })

	r := &inboundRig{harness: h, t: t, sim: sim, publicURL: publicURL, smsURL: publicURL + "/webhooks/twilio/sms" + smsWebhookQuery,
		cfg: deps.Config, deps: deps, tc: tc, queue: queue, acct: deps.Config.DemoTwilioAccountSID, token: deps.Config.DemoTwilioAuthToken}
	if err := sim.AddAccount(twiliosim.Account{Sid: r.acct, AuthToken: r.token, FriendlyName: "Happy Tails"}); err != nil {
		t.Fatal(err)
	}
	pc, err := provider.New(provider.Credentials{AccountSID: r.acct, AuthToken: r.token}, simSrv.URL, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{seed.FrontDeskNumber, seed.SamNumber, seed.RileyNumber, seed.PoolNumber1, seed.PoolNumber2} {
		if _, err := pc.BuyNumber(context.Background(), provider.BuyRequest{E164: n, SMSURL: r.smsURL}); err != nil {
			t.Fatalf("buying %s in the simulator: %v", n, err)
		}
	}

	acts := &activities.Activities{Config: deps.Config, Store: deps.Store, Providers: deps.Providers, Temporal: tc, Notifier: deps.Notifier, Log: quiet}
	w := sdkworker.New(tc, queue, sdkworker.Options{})
	worker.Register(w, acts)
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	return r
}

func mustParse(t *testing.T, raw string) *url.URL {
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// text has a handset send a text to a business number through the
// simulator, which calls the API's webhook as Twilio would.
func (r *inboundRig) text(in twiliosim.InboundRequest) twiliosim.InboundResult {
	r.t.Helper()
	res, err := r.sim.DeliverInbound(context.Background(), in)
	if err != nil {
		r.t.Fatalf("simulator inbound: %v", err)
	}
	if res.WebhookStatus != http.StatusOK || !strings.Contains(res.WebhookBody, "<Response/>") || res.WebhookError != "" {
		r.t.Fatalf("webhook answered %d %q (%s)", res.WebhookStatus, res.WebhookBody, res.WebhookError)
	}
	return res
}

// post sends a form to a webhook path as Twilio would, signed with token
// over the public URL (signature "" computes it).
func (r *inboundRig) post(path string, form url.Values, signature string) *http.Response {
	r.t.Helper()
	if signature == "" {
		signature = provider.Sign(r.token, r.publicURL+path, form)
	}
	req, _ := http.NewRequest(http.MethodPost, r.publicURL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if signature != "-" {
		req.Header.Set(provider.SignatureHeader, signature)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

func newSID(prefix string) string { return prefix + strings.ReplaceAll(uuid.NewString(), "-", "") }

// inboundForm is a real-format inbound webhook form.
func (r *inboundRig) inboundForm(sid, from, to, body string) url.Values {
	return url.Values{"MessageSid": {sid}, "SmsSid": {sid}, "SmsMessageSid": {sid}, "AccountSid": {r.acct}, "From": {from}, "To": {to},
		"Body": {body}, "NumMedia": {"0"}, "NumSegments": {"1"}, "SmsStatus": {"received"}, "ApiVersion": {"2010-04-01"},
		"FromCountry": {"US"}, "ToCountry": {"US"}, "FromZip": {""}, "ReferralNumMedia": {"0"}}
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// messageBySID waits for the inbound message a MessageSid became.
func (r *inboundRig) messageBySID(sid string) store.Message {
	r.t.Helper()
	var m store.Message
	eventually(r.t, "message "+sid+" is stored", func() bool {
		return r.store.DB().NewSelect().Model(&m).Where("provider_sid = ?", sid).Scan(context.Background()) == nil
	})
	return m
}

// receipt waits for the receipt of a MessageSid to be processed.
func (r *inboundRig) processedReceipt(kind, key string) store.WebhookReceipt {
	r.t.Helper()
	var rc store.WebhookReceipt
	eventually(r.t, "receipt "+key+" is processed", func() bool {
		err := r.store.DB().NewSelect().Model(&rc).Where("kind = ? AND dedupe_key = ?", kind, key).Scan(context.Background())
		return err == nil && rc.ProcessedAt != nil
	})
	return rc
}

func (r *inboundRig) thread(id uuid.UUID) store.Thread {
	r.t.Helper()
	var th store.Thread
	if err := r.store.DB().NewSelect().Model(&th).Where("id = ?", id).Scan(context.Background()); err != nil {
		r.t.Fatal(err)
	}
	return th
}

func (r *inboundRig) count(query string, args ...any) int {
	r.t.Helper()
	var n int
	if err := r.store.DB().NewRaw(query, args...).Scan(context.Background(), &n); err != nil {
		r.t.Fatal(err)
	}
	return n
}

func (r *inboundRig) auditActions(correlationID string) []string {
	r.t.Helper()
	var actions []string
	if err := r.store.DB().NewRaw("SELECT action FROM audit_events WHERE correlation_id = ? ORDER BY id", correlationID).
		Scan(context.Background(), &actions); err != nil {
		r.t.Fatal(err)
	}
	return actions
}

func trace(t *testing.T, m store.Message) routing.Trace {
	t.Helper()
	var tr routing.Trace
	if err := json.Unmarshal(m.Routing, &tr); err != nil {
		t.Fatalf("routing trace %s: %v", m.Routing, err)
	}
	return tr
}

func TestInboundTextToSittersNumberRoutesToSitterInWindow(t *testing.T) {
	r := newInboundRig(t)
	threadID := seed.ID("thread/avery-sam")
	before := r.thread(threadID)
	res := r.text(twiliosim.InboundRequest{From: "+16505550101", To: seed.SamNumber, Body: "Did Biscuit eat his dinner?"})

	m := r.messageBySID(res.MessageSID)
	if m.ThreadID != threadID || m.Direction != store.DirectionInbound || m.SenderType != store.SenderClient || m.Status != store.StatusReceived {
		t.Fatalf("message %+v: want Avery's inbound text in the Avery–Sam thread", m)
	}
	sam := seed.ID("sitter/sam")
	if m.RoutedToSitterID == nil || *m.RoutedToSitterID != sam {
		t.Fatalf("routed to %v, want Sam", m.RoutedToSitterID)
	}
	tr := trace(t, m)
	if tr.Rule != "sitter_window" || tr.Target.Kind != "sitter" || tr.Target.SitterName != "Sam Patel" || len(tr.Steps) != 3 {
		t.Fatalf("trace %+v", tr)
	}
	if s := tr.Steps[1]; s.Outcome != "matched" || !strings.Contains(s.Detail, "Sam Patel") || !strings.Contains(s.Detail, "window") {
		t.Fatalf("the matching step should say Sam's window is active: %+v", s)
	}
	if tr.Steps[0].Outcome != "skipped" || tr.Steps[2].Outcome != "skipped" {
		t.Fatalf("steps %+v", tr.Steps)
	}
	if m.Encoding != "GSM-7" || m.Segments != 1 || m.FromE164 != "+16505550101" || m.ToE164 != seed.SamNumber {
		t.Fatalf("encoding %s segments %d from %s to %s", m.Encoding, m.Segments, m.FromE164, m.ToE164)
	}

	rc := r.processedReceipt("sms", res.MessageSID)
	after := r.thread(threadID)
	if after.SitterUnreadCount != before.SitterUnreadCount+1 || after.OwnerUnreadCount != before.OwnerUnreadCount {
		t.Fatalf("unread sitter %d→%d owner %d→%d: want only Sam's count up by one",
			before.SitterUnreadCount, after.SitterUnreadCount, before.OwnerUnreadCount, after.OwnerUnreadCount)
	}
	if after.LastMessagePreview != "Did Biscuit eat his dinner?" || after.AssignedSitterID == nil || *after.AssignedSitterID != sam {
		t.Fatalf("thread preview %q assigned %v", after.LastMessagePreview, after.AssignedSitterID)
	}
	if m.CorrelationID == "" || m.CorrelationID != rc.CorrelationID {
		t.Fatalf("message correlation %q, receipt %q", m.CorrelationID, rc.CorrelationID)
	}
	actions := strings.Join(r.auditActions(rc.CorrelationID), ",")
	if actions != "message.received,message.routed" {
		t.Fatalf("audit events under the webhook's correlation ID: %s", actions)
	}
	if n := r.count("SELECT count(*) FROM phone_numbers WHERE id = ? AND last_used_at IS NOT NULL", seed.ID("number/sam")); n != 1 {
		t.Fatal("Sam's number should record its last use")
	}

	// The workflow carries the org for operators filtering in the Web UI.
	desc, err := r.tc.DescribeWorkflowExecution(context.Background(), contract.InboundWorkflowID(res.MessageSID), "")
	if err != nil {
		t.Fatal(err)
	}
	if sa := desc.WorkflowExecutionInfo.GetSearchAttributes().GetIndexedFields()["OrgId"]; sa == nil || !strings.Contains(string(sa.GetData()), r.demo.OrgID.String()) {
		t.Fatalf("OrgId search attribute: %v", sa)
	}
}

func TestInboundTextToFrontDeskGoesToOwnerInbox(t *testing.T) {
	r := newInboundRig(t)
	threadID := seed.ID("thread/emerson-front")
	before := r.thread(threadID)
	res := r.text(twiliosim.InboundRequest{From: "+16505550105", To: seed.FrontDeskNumber, Body: "Also, can you feed the fish? 🐟"})
	m := r.messageBySID(res.MessageSID)
	if m.ThreadID != threadID || m.RoutedToSitterID != nil {
		t.Fatalf("thread %s routed %v: want Emerson's front desk thread, owner inbox", m.ThreadID, m.RoutedToSitterID)
	}
	if tr := trace(t, m); tr.Rule != "owner_inbox" || tr.Target.Kind != "owner_inbox" || !strings.Contains(tr.Steps[1].Detail, "front desk") {
		t.Fatalf("trace %+v", tr)
	}
	if m.Encoding != "UCS-2" {
		t.Fatalf("an emoji makes the text UCS-2, got %s", m.Encoding)
	}
	r.processedReceipt("sms", res.MessageSID)
	after := r.thread(threadID)
	if after.OwnerUnreadCount != before.OwnerUnreadCount+1 || after.SitterUnreadCount != before.SitterUnreadCount || after.AssignedSitterID != nil {
		t.Fatalf("owner unread %d→%d sitter %d→%d assigned %v", before.OwnerUnreadCount, after.OwnerUnreadCount,
			before.SitterUnreadCount, after.SitterUnreadCount, after.AssignedSitterID)
	}
}

func TestInboundUnknownSenderBecomesClient(t *testing.T) {
	r := newInboundRig(t)
	res := r.text(twiliosim.InboundRequest{From: "+16505550177", To: seed.PoolNumber1, Body: "Hi, do you walk dogs in Noe Valley?"})
	m := r.messageBySID(res.MessageSID)
	var c store.Client
	if err := r.store.DB().NewSelect().Model(&c).Where("phone_e164 = ?", "+16505550177").Scan(context.Background()); err != nil {
		t.Fatalf("no client for the new sender: %v", err)
	}
	if c.Name != "(650) 555-0177" || c.OrgID != r.demo.OrgID {
		t.Fatalf("new client %+v", c)
	}
	th := r.thread(m.ThreadID)
	if th.ClientID != c.ID || th.NumberID != seed.ID("number/pool1") || th.OwnerUnreadCount != 1 {
		t.Fatalf("thread %+v: want a new owner-inbox thread on the pool number", th)
	}
	rc := r.processedReceipt("sms", res.MessageSID)
	if actions := strings.Join(r.auditActions(rc.CorrelationID), ","); actions != "client.created,message.received,message.routed" {
		t.Fatalf("audit: %s", actions)
	}
}

func TestInboundDuplicateDeliveriesMakeOneMessage(t *testing.T) {
	r := newInboundRig(t)
	threadID := seed.ID("thread/blake-riley")
	before := r.thread(threadID)

	// Twilio retrying the same webhook three times in a row.
	res := r.text(twiliosim.InboundRequest{From: "+16505550102", To: seed.RileyNumber, Body: "Mochi is hiding again", Repeat: 3})
	if res.Deliveries != 3 {
		t.Fatalf("delivered %d times", res.Deliveries)
	}
	r.messageBySID(res.MessageSID)
	r.processedReceipt("sms", res.MessageSID)

	// And the same MessageSid arriving three times at once.
	sid := newSID("SM")
	form := r.inboundForm(sid, "+16505550102", seed.RileyNumber, "Pixel knocked over the plant")
	var wg sync.WaitGroup
	statuses := make([]int, 3)
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp := r.postRaw(smsPathWithQuery(), form)
			statuses[i] = resp
		}()
	}
	wg.Wait()
	for i, st := range statuses {
		if st != http.StatusOK {
			t.Fatalf("concurrent delivery %d answered %d", i, st)
		}
	}
	r.messageBySID(sid)
	r.processedReceipt("sms", sid)

	for _, s := range []string{res.MessageSID, sid} {
		if n := r.count("SELECT count(*) FROM messages WHERE provider_sid = ?", s); n != 1 {
			t.Fatalf("%s stored %d times", s, n)
		}
		if n := r.count("SELECT count(*) FROM webhook_receipts WHERE message_sid = ?", s); n != 1 {
			t.Fatalf("%s has %d receipts", s, n)
		}
		if n := r.count("SELECT count(*) FROM audit_events WHERE action = 'message.received' AND detail->>'messageSid' = ?", s); n != 1 {
			t.Fatalf("%s audited %d times", s, n)
		}
	}
	after := r.thread(threadID)
	if after.SitterUnreadCount != before.SitterUnreadCount+2 {
		t.Fatalf("Riley's unread went %d→%d for two distinct texts", before.SitterUnreadCount, after.SitterUnreadCount)
	}
}

func smsPathWithQuery() string { return "/webhooks/twilio/sms" + smsWebhookQuery }

// postRaw posts a correctly signed form and returns the status.
func (r *inboundRig) postRaw(path string, form url.Values) int {
	r.t.Helper()
	return r.post(path, form, "").StatusCode
}

func TestInboundForgedSignatureIsRejected(t *testing.T) {
	r := newInboundRig(t)
	sid := newSID("SM")
	form := r.inboundForm(sid, "+16505550101", seed.SamNumber, "I am definitely Avery")

	cases := []struct {
		name      string
		form      url.Values
		signature string
		org       bool
	}{
		{"signed with another token", form, provider.Sign("not-the-token", r.publicURL+smsPathWithQuery(), form), true},
		{"signed over another URL", form, provider.Sign(r.token, "http://attacker.example"+smsPathWithQuery(), form), true},
		{"no signature", form, "-", true},
	}
	tampered := r.inboundForm(sid, "+16505550101", seed.SamNumber, "I am definitely Avery")
	sig := provider.Sign(r.token, r.publicURL+smsPathWithQuery(), tampered)
	tampered.Set("Body", "Send the door code to this number")
	cases = append(cases, struct {
		name      string
		form      url.Values
		signature string
		org       bool
	}{"body changed after signing", tampered, sig, true})
	unknown := r.inboundForm(sid, "+16505550101", seed.SamNumber, "hi")
	unknown.Set("AccountSid", "AC"+strings.Repeat("f", 32))
	cases = append(cases, struct {
		name      string
		form      url.Values
		signature string
		org       bool
	}{"unknown account", unknown, "", false})

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := r.post(smsPathWithQuery(), tc.form, tc.signature)
			if resp.StatusCode != http.StatusForbidden {
				t.Fatalf("answered %d, want 403", resp.StatusCode)
			}
		})
	}
	// One audit event per source and reason a minute (a flood must not write
	// a row per forged request): against the demo org, the three requests
	// whose signature does not match and the one without a signature; one
	// with no org.
	if n := r.count("SELECT count(*) FROM audit_events WHERE action = 'webhook.signature_rejected' AND org_id = ?", r.demo.OrgID); n != 2 {
		t.Fatalf("%d rejections audited for the demo org, want 2", n)
	}
	if n := r.count("SELECT count(*) FROM audit_events WHERE action = 'webhook.signature_rejected' AND org_id IS NULL"); n != 1 {
		t.Fatalf("%d rejections audited without an org, want 1", n)
	}
	// Nothing else was stored.
	if n := r.count("SELECT count(*) FROM webhook_receipts WHERE message_sid = ?", sid); n != 0 {
		t.Fatal("a rejected webhook left a receipt")
	}
	if n := r.count("SELECT count(*) FROM messages WHERE provider_sid = ?", sid); n != 0 {
		t.Fatal("a rejected webhook left a message")
	}
	// The status endpoint checks signatures too.
	st := url.Values{"AccountSid": {r.acct}, "MessageSid": {newSID("SM")}, "MessageStatus": {"delivered"}}
	if resp := r.post("/webhooks/twilio/status", st, provider.Sign("wrong", r.publicURL+"/webhooks/twilio/status", st)); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("forged status callback answered %d", resp.StatusCode)
	}
}

func TestInboundStopOptsOutAcrossNumbersAndStartOptsIn(t *testing.T) {
	r := newInboundRig(t)
	avery := seed.ID("client/avery")
	optedOut := func() (bool, string) {
		var c store.Client
		if err := r.store.DB().NewSelect().Model(&c).Where("id = ?", avery).Scan(context.Background()); err != nil {
			t.Fatal(err)
		}
		return c.OptedOutAt != nil, c.OptedOutKeyword
	}

	stop := r.text(twiliosim.InboundRequest{From: "+16505550101", To: seed.SamNumber, Body: "stop"})
	m := r.messageBySID(stop.MessageSID)
	rc := r.processedReceipt("sms", stop.MessageSID)
	if out, kw := optedOut(); !out || kw != "STOP" {
		t.Fatalf("after STOP: opted out %v keyword %q", out, kw)
	}
	if m.Body != "stop" {
		t.Fatal("the STOP text itself must be kept in the thread")
	}
	if actions := strings.Join(r.auditActions(rc.CorrelationID), ","); actions != "client.opted_out,message.received,message.routed" {
		t.Fatalf("audit: %s", actions)
	}

	// The opt-out covers every number of the business: a HELP sent to the
	// front desk gets no reply while Avery is opted out.
	help := r.text(twiliosim.InboundRequest{From: "+16505550101", To: seed.FrontDeskNumber, Body: "HELP"})
	r.processedReceipt("sms", help.MessageSID)
	if n := r.count("SELECT count(*) FROM messages WHERE id = ?", activities.HelpReplyMessageID(help.MessageSID)); n != 0 {
		t.Fatal("an opted-out client got the help text")
	}
	if sent := r.sim.Messages("+16505550101", seed.FrontDeskNumber); len(sent) != 0 {
		t.Fatalf("the simulator saw %d texts to the opted-out client", len(sent))
	}

	// START at another number opts Avery back in everywhere.
	start := r.text(twiliosim.InboundRequest{From: "+16505550101", To: seed.FrontDeskNumber, Body: "Start"})
	rc = r.processedReceipt("sms", start.MessageSID)
	if out, kw := optedOut(); out || kw != "" {
		t.Fatalf("after START: opted out %v keyword %q", out, kw)
	}
	if actions := strings.Join(r.auditActions(rc.CorrelationID), ","); actions != "client.opted_in,message.received,message.routed" {
		t.Fatalf("audit: %s", actions)
	}
}

func TestInboundHelpGetsTheHelpText(t *testing.T) {
	r := newInboundRig(t)
	res := r.text(twiliosim.InboundRequest{From: "+16505550102", To: seed.RileyNumber, Body: "HELP"})
	r.messageBySID(res.MessageSID)
	r.processedReceipt("sms", res.MessageSID)

	var org store.Org
	if err := r.store.DB().NewSelect().Model(&org).Where("id = ?", r.demo.OrgID).Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	// The simulator carried the reply from Riley's number to Blake.
	var reply twiliosim.Message
	eventually(t, "the help reply reaches the simulator", func() bool {
		for _, m := range r.sim.Messages("+16505550102", seed.RileyNumber) {
			if m.Direction != "inbound" {
				reply = m
				return true
			}
		}
		return false
	})
	if reply.Body != org.HelpText {
		t.Fatalf("reply %q, want the org's help text %q", reply.Body, org.HelpText)
	}
	// It is in the thread, and its delivery status follows the callbacks.
	var m store.Message
	eventually(t, "the help reply is delivered", func() bool {
		err := r.store.DB().NewSelect().Model(&m).Where("id = ?", activities.HelpReplyMessageID(res.MessageSID)).Scan(context.Background())
		return err == nil && m.Status == store.StatusDelivered
	})
	if m.ThreadID != seed.ID("thread/blake-riley") || m.SenderType != store.SenderAutomation || m.Direction != store.DirectionOutbound ||
		m.ProviderSID == nil || *m.ProviderSID != reply.SID {
		t.Fatalf("reply message %+v", m)
	}
	if len(r.sim.Messages("+16505550102", seed.RileyNumber)) != 1 {
		t.Fatal("exactly one reply should be sent")
	}
}

func TestInboundMMSKeepsEveryMediaItem(t *testing.T) {
	r := newInboundRig(t)
	media := []twiliosim.Media{
		{URL: "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1", ContentType: "image/jpeg"},
		{URL: "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME2", ContentType: "image/png"},
		{URL: "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME3", ContentType: "video/mp4"},
	}
	res := r.text(twiliosim.InboundRequest{From: "+16505550101", To: seed.SamNumber, Media: media})
	if !strings.HasPrefix(res.MessageSID, "MM") {
		t.Fatalf("an MMS SID starts with MM: %s", res.MessageSID)
	}
	m := r.messageBySID(res.MessageSID)
	if len(m.Media) != 3 {
		t.Fatalf("kept %d media items, want 3", len(m.Media))
	}
	for i, item := range m.Media {
		if item.URL != media[i].URL || item.ContentType != media[i].ContentType {
			t.Fatalf("item %d: %+v, want %+v", i, item, media[i])
		}
	}
	r.processedReceipt("sms", res.MessageSID)
	if th := r.thread(m.ThreadID); th.LastMessagePreview != "📎 3 attachments" {
		t.Fatalf("preview %q", th.LastMessagePreview)
	}
}

func TestInboundTextToQuarantinedNumberLandsOnMovedThread(t *testing.T) {
	r := newInboundRig(t)
	ctx := context.Background()
	threadID, samNum, pool := seed.ID("thread/avery-sam"), seed.ID("number/sam"), seed.ID("number/pool2")
	// Sam's number is quarantined; the Avery thread moved to a pool number.
	for _, q := range []string{
		"UPDATE phone_numbers SET status = 'quarantined', quarantined_at = now() WHERE id = ?",
		"UPDATE threads SET number_id = ? WHERE id = ?",
		"INSERT INTO thread_number_moves (org_id, thread_id, from_number_id, to_number_id) VALUES (?, ?, ?, ?)",
	} {
		var args []any
		switch {
		case strings.HasPrefix(q, "UPDATE phone_numbers"):
			args = []any{samNum}
		case strings.HasPrefix(q, "UPDATE threads"):
			args = []any{pool, threadID}
		default:
			args = []any{r.demo.OrgID, threadID, samNum, pool}
		}
		if _, err := r.store.DB().NewRaw(q, args...).Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	onOldNumber := r.count("SELECT count(*) FROM threads WHERE number_id = ?", samNum)
	res := r.text(twiliosim.InboundRequest{From: "+16505550101", To: seed.SamNumber, Body: "Are you still on for tomorrow?"})
	m := r.messageBySID(res.MessageSID)
	if m.ThreadID != threadID || m.ToE164 != seed.SamNumber {
		t.Fatalf("landed in %s (to %s), want the moved Avery thread", m.ThreadID, m.ToE164)
	}
	if n := r.count("SELECT count(*) FROM threads WHERE number_id = ?", samNum); n != onOldNumber {
		t.Fatal("a new thread was opened on the quarantined number")
	}
	// The thread now lives on a pool number: the owner sees it.
	if tr := trace(t, m); tr.NumberID != pool || tr.Target.Kind != "owner_inbox" {
		t.Fatalf("trace %+v", tr)
	}
}

func TestInboundReceiptWrittenWhileTemporalIsDownIsSweptLater(t *testing.T) {
	r := newInboundRig(t)
	ctx := context.Background()
	// A second API instance on the same database whose Temporal is down
	// (nothing listens on its address).
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadAddr := ln.Addr().String()
	ln.Close()
	down, err := client.NewLazyClient(client.Options{HostPort: deadAddr})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(down.Close)
	d := r.deps
	d.Temporal = down
	d.Registry = nil
	downAPI, err := api.New(d)
	if err != nil {
		t.Fatal(err)
	}
	downSrv := httptest.NewServer(downAPI.Handler())
	t.Cleanup(downSrv.Close)

	// Twilio's request, signed over the public URL, reaches that instance.
	sid := newSID("SM")
	form := r.inboundForm(sid, "+16505550103", seed.FrontDeskNumber, "Can Luna stay an extra night?")
	req, _ := http.NewRequest(http.MethodPost, downSrv.URL+smsPathWithQuery(), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set(provider.SignatureHeader, provider.Sign(r.token, r.publicURL+smsPathWithQuery(), form))
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "<Response/>") || resp.Header.Get("Content-Type") != "text/xml; charset=utf-8" {
		t.Fatalf("with Temporal down the webhook answered %d %q %q", resp.StatusCode, body, resp.Header.Get("Content-Type"))
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("acknowledging took %v; Twilio gives up at 15s", d)
	}
	var rc store.WebhookReceipt
	if err := r.store.DB().NewSelect().Model(&rc).Where("kind = 'sms' AND dedupe_key = ?", sid).Scan(ctx); err != nil {
		t.Fatalf("no durable receipt: %v", err)
	}
	if rc.DispatchedAt != nil || rc.DispatchError == "" {
		t.Fatalf("receipt dispatched %v error %q: want undispatched with the reason", rc.DispatchedAt, rc.DispatchError)
	}
	if n := r.count("SELECT count(*) FROM messages WHERE provider_sid = ?", sid); n != 0 {
		t.Fatal("no workflow ran, yet a message exists")
	}

	// A status callback for a SID no attempt has (yet) waits for the sweep.
	unknownSID := newSID("SM")
	st := url.Values{"AccountSid": {r.acct}, "MessageSid": {unknownSID}, "MessageStatus": {"delivered"}, "To": {"+16505550103"}, "From": {seed.FrontDeskNumber}}
	if resp := r.post("/webhooks/twilio/status", st, ""); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("status callback for an unknown SID answered %d", resp.StatusCode)
	}

	// The sweep (run here at once, not by its schedule) re-drives both.
	run, err := r.tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: "sweep-" + uuid.NewString(), TaskQueue: r.queue},
		contract.ReceiptSweepWorkflowName, contract.SweepInput{})
	if err != nil {
		t.Fatal(err)
	}
	var res contract.SweepResult
	if err := run.Get(ctx, &res); err != nil {
		t.Fatal(err)
	}
	if res.Found != 2 || res.Started != 1 || res.Unknown != 1 || res.Failed != 0 {
		t.Fatalf("sweep %+v: want the text started and the unknown status closed", res)
	}
	m := r.messageBySID(sid)
	if m.ThreadID != r.threadOf(t, "casey", "front") || m.CorrelationID != rc.CorrelationID {
		t.Fatalf("swept message %+v", m)
	}
	done := r.processedReceipt("sms", sid)
	if done.DispatchedAt == nil {
		t.Fatal("swept receipt not marked dispatched")
	}
	closed := r.processedReceipt("status", unknownSID+"/delivered")
	if !strings.Contains(closed.DispatchError, "no outbound message") {
		t.Fatalf("unknown status receipt note %q", closed.DispatchError)
	}
	// A second sweep finds nothing left.
	run, err = r.tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: "sweep-" + uuid.NewString(), TaskQueue: r.queue},
		contract.ReceiptSweepWorkflowName, contract.SweepInput{})
	if err != nil {
		t.Fatal(err)
	}
	if err := run.Get(ctx, &res); err != nil || res.Found != 0 {
		t.Fatalf("second sweep %+v %v", res, err)
	}
}

// threadOf returns the thread between a demo client and a demo number.
func (r *inboundRig) threadOf(t *testing.T, clientKey, numberKey string) uuid.UUID {
	t.Helper()
	var id uuid.UUID
	if err := r.store.DB().NewRaw("SELECT id FROM threads WHERE client_id = ? AND number_id = ?",
		seed.ID("client/"+clientKey), seed.ID("number/"+numberKey)).Scan(context.Background(), &id); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestInboundTextToANumberNotInSnoutIsKeptButNotThreaded(t *testing.T) {
	r := newInboundRig(t)
	sid := newSID("SM")
	// Signed by the demo account, to a number it never imported.
	resp := r.post(smsPathWithQuery(), r.inboundForm(sid, "+16505550101", "+14155550150", "hello?"), "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("answered %d", resp.StatusCode)
	}
	rc := r.processedReceipt("sms", sid)
	if !strings.Contains(rc.DispatchError, "+14155550150") {
		t.Fatalf("receipt note %q should name the number", rc.DispatchError)
	}
	if n := r.count("SELECT count(*) FROM audit_events WHERE action = 'webhook.number_unknown' AND org_id = ?", r.demo.OrgID); n != 1 {
		t.Fatalf("%d webhook.number_unknown events", n)
	}
	if n := r.count("SELECT count(*) FROM messages WHERE provider_sid = ?", sid); n != 0 {
		t.Fatal("a text to an unknown number was put in a thread")
	}
	// A signed form missing what a text needs is a 400 naming the field.
	bad := r.inboundForm("not-a-sid", "+16505550101", seed.SamNumber, "x")
	bad.Del("SmsSid")
	bad.Del("SmsMessageSid")
	if resp := r.post(smsPathWithQuery(), bad, ""); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("malformed MessageSid answered %d", resp.StatusCode)
	}
}

// A status callback for a message whose delivery workflow is running is
// handed to that workflow as a signal (the workflow owns the status).
func TestStatusCallbackSignalsTheRunningDeliveryWorkflow(t *testing.T) {
	r := newInboundRig(t)
	ctx := context.Background()
	msgID, sid := uuid.New(), newSID("SM")
	m := &store.Message{ID: msgID, OrgID: r.demo.OrgID, ThreadID: seed.ID("thread/frankie-front"), Direction: store.DirectionOutbound,
		SenderType: store.SenderOwner, Body: "Sure, 5pm works.", Media: []message.MediaItem{}, FromE164: seed.FrontDeskNumber, ToE164: "+16505550106",
		Status: store.StatusQueued, Encoding: "GSM-7", Segments: 1, Attempts: 1}
	if _, err := r.store.DB().NewInsert().Model(m).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	att := &store.MessageAttempt{ID: uuid.New(), OrgID: r.demo.OrgID, MessageID: msgID, Attempt: 1, ProviderSID: &sid, Status: "queued"}
	if _, err := r.store.DB().NewInsert().Model(att).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	// A stand-in delivery workflow that returns the first status signal.
	probeQueue := testenv.TaskQueue(t)
	w := sdkworker.New(r.tc, probeQueue, sdkworker.Options{})
	w.RegisterWorkflowWithOptions(func(ctx workflow.Context) (contract.StatusSignal, error) {
		var s contract.StatusSignal
		workflow.GetSignalChannel(ctx, contract.SignalDeliveryStatus).Receive(ctx, &s)
		return s, nil
	}, workflow.RegisterOptions{Name: "DeliveryProbe"})
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	run, err := r.tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: contract.DeliveryWorkflowID(msgID), TaskQueue: probeQueue}, "DeliveryProbe")
	if err != nil {
		t.Fatal(err)
	}

	form := url.Values{"AccountSid": {r.acct}, "MessageSid": {sid}, "SmsSid": {sid}, "MessageStatus": {"undelivered"}, "SmsStatus": {"undelivered"},
		"ErrorCode": {"30003"}, "From": {seed.FrontDeskNumber}, "To": {"+16505550106"}, "ApiVersion": {"2010-04-01"}}
	if resp := r.post("/webhooks/twilio/status", form, ""); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("status callback answered %d", resp.StatusCode)
	}
	var got contract.StatusSignal
	if err := run.Get(ctx, &got); err != nil {
		t.Fatal(err)
	}
	var rc store.WebhookReceipt
	if err := r.store.DB().NewSelect().Model(&rc).Where("kind = 'status' AND dedupe_key = ?", sid+"/undelivered").Scan(ctx); err != nil {
		t.Fatal(err)
	}
	if got.MessageSID != sid || got.Status != "undelivered" || got.ErrorCode != 30003 || got.ReceiptID != rc.ID {
		t.Fatalf("the delivery workflow got %+v", got)
	}
	if rc.DispatchedAt == nil {
		t.Fatal("signalled receipt not marked dispatched")
	}
	// The API left the status to the workflow.
	var status string
	if err := r.store.DB().NewRaw("SELECT status FROM messages WHERE id = ?", msgID).Scan(ctx, &status); err != nil || status != "queued" {
		t.Fatalf("message status %q (%v): the workflow, not the webhook, moves it", status, err)
	}
	// With the workflow finished, the next callback is applied directly,
	// explained in plain words.
	form.Set("MessageStatus", "failed")
	form.Set("SmsStatus", "failed")
	form.Set("ErrorCode", "30006")
	if resp := r.post("/webhooks/twilio/status", form, ""); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("status callback answered %d", resp.StatusCode)
	}
	var after store.Message
	if err := r.store.DB().NewSelect().Model(&after).Where("id = ?", msgID).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	if after.Status != store.StatusFailed || after.ErrorCode == nil || *after.ErrorCode != 30006 || after.ErrorMessage != provider.Explain(30006) {
		t.Fatalf("applied status %s code %v message %q", after.Status, after.ErrorCode, after.ErrorMessage)
	}
}
