package api_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/client"

	"github.com/snoutos/snout/api"
	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/dev/seed"
	"github.com/snoutos/snout/dev/twiliosim"
	"github.com/snoutos/snout/internal/domain/message"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/internal/twilio/provider"
)

var e164Pattern = regexp.MustCompile(`\+[1-9][0-9]{7,14}`)

func init() {
	allow(map[string][]string{
		"POST /api/v1/threads/:id/messages":           staff,
		"POST /api/v1/sitter/threads/:id/messages":    sitterOnly,
		"GET /api/v1/policy-violations":               staff,
		"GET /api/v1/policy-violations/:id":           staff,
		"POST /api/v1/policy-violations/:id/dismiss":  ownerOnly,
		"POST /api/v1/policy-violations/:id/override": ownerOnly,
		"GET /api/v1/ops/dead-letters":                staff,
		"POST /api/v1/ops/dead-letters/:id/retry":     staff,
		"POST /api/v1/ops/dead-letters/:id/discard":   staff,
		"GET /api/v1/alerts":                          staff,
		"POST /api/v1/alerts/:id/acknowledge":         staff,
		"POST /api/v1/alerts/:id/resolve":             staff,
		"POST /api/v1/alerts/:id/dismiss":             staff,
	})
}

// Demo people and numbers the scenarios use.
const (
	averyPhone   = "+16505550101"
	blakePhone   = "+16505550102"
	emersonPhone = "+16505550105"
	frankiePhone = "+16505550106"
)

// outboundEnv is the API over a fresh demo database, a real Temporal
// server with a real worker on its own task queue, and the Twilio
// simulator holding the demo account and numbers. Status callbacks are
// addressed to the API's public URL; the workflow also fetches the status
// from the simulator when no callback arrives within one second.
type outboundEnv struct {
	*harness
	sim    *twiliosim.Server
	tc     client.Client
	ctx    context.Context
	owner  string
	admin  string
	sam    string
	riley  string
	orgID  uuid.UUID
	public string
}

func newOutboundEnv(t *testing.T) *outboundEnv {
	t.Helper()
	l := newLiveStack(t, nil)
	return &outboundEnv{harness: l.harness, sim: l.sim, tc: l.tc, ctx: l.ctx, orgID: l.demo.OrgID, public: l.public,
		owner: l.login("owner@demo.test"), admin: l.login("admin@demo.test"),
		sam: l.login("sam@demo.test"), riley: l.login("riley@demo.test")}
}

func (e *outboundEnv) org() *store.OrgStore { return e.store.Org(e.orgID) }

// compose posts a message as token's user in a thread.
func (e *outboundEnv) compose(token, threadID, body string, headers ...string) response {
	e.t.Helper()
	path := "/api/v1/threads/" + threadID + "/messages"
	if token == e.sam || token == e.riley {
		path = "/api/v1/sitter/threads/" + threadID + "/messages"
	}
	return e.do("POST", path, token, map[string]any{"body": body, "mediaUrls": []string{}}, headers...)
}

func (e *outboundEnv) message(id uuid.UUID) *store.Message {
	e.t.Helper()
	m, err := e.org().OutboundMessage(e.ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return m
}

func (e *outboundEnv) attempts(id uuid.UUID) []store.MessageAttempt {
	e.t.Helper()
	out, err := e.org().MessageAttempts(e.ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

// waitMessage polls the database until the message satisfies ok.
func (e *outboundEnv) waitMessage(id uuid.UUID, what string, ok func(*store.Message) bool) *store.Message {
	e.t.Helper()
	deadline := time.Now().Add(45 * time.Second)
	for {
		m := e.message(id)
		if ok(m) {
			return m
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("message %s never became %s: status %s, attempts %d, error %v %q, dead-lettered %v",
				id, what, m.Status, m.Attempts, m.ErrorCode, m.ErrorMessage, m.DeadLetteredAt)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (e *outboundEnv) waitStatus(id uuid.UUID, status string) *store.Message {
	e.t.Helper()
	return e.waitMessage(id, status, func(m *store.Message) bool { return m.Status == status })
}

func (e *outboundEnv) waitDeadLetter(id uuid.UUID) *store.Message {
	e.t.Helper()
	return e.waitMessage(id, "dead-lettered", func(m *store.Message) bool { return m.DeadLetteredAt != nil })
}

func (e *outboundEnv) thread(id uuid.UUID) *store.Thread {
	e.t.Helper()
	conv, err := e.org().Conversation(e.ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return &conv.Thread
}

// workflowResult waits for the delivery workflow to finish.
func (e *outboundEnv) workflowResult(id uuid.UUID) contract.DeliveryState {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(e.ctx, 30*time.Second)
	defer cancel()
	var st contract.DeliveryState
	if err := e.tc.GetWorkflow(ctx, contract.DeliveryWorkflowID(id), "").Get(ctx, &st); err != nil {
		e.t.Fatal(err)
	}
	return st
}

func (e *outboundEnv) simMessages(to string) []twiliosim.Message { return e.sim.Messages(to, "") }

func accepted(t *testing.T, r response) api.StaffMessageView {
	t.Helper()
	if r.Status != http.StatusAccepted {
		t.Fatalf("compose = %d %s, want 202", r.Status, r.Body)
	}
	var v api.StaffMessageView
	r.json(t, &v)
	return v
}

func errorBody(t *testing.T, r response) api.ErrorDetail {
	t.Helper()
	var b api.ErrorBody
	r.json(t, &b)
	return b.Error
}

func TestComposeOwnerReplyIsDelivered(t *testing.T) {
	e := newOutboundEnv(t)
	thread := seed.ID("thread/emerson-front")
	r := e.compose(e.owner, thread.String(), "Hi Emerson, Dec 20–27 works for both dogs!", "X-Request-ID", "req-owner-reply-1")
	v := accepted(t, r)
	if v.Status != store.StatusPending || v.SenderType != store.SenderOwner || v.From != seed.FrontDeskNumber || v.To != emersonPhone {
		t.Errorf("accepted message = %+v", v)
	}
	if v.Encoding != "UCS-2" || v.Segments != 1 {
		t.Errorf("encoding %s / %d segments, want UCS-2 / 1 (the en dash is not GSM-7)", v.Encoding, v.Segments)
	}
	if v.CorrelationID != "req-owner-reply-1" {
		t.Errorf("correlation ID %q, want the request ID", v.CorrelationID)
	}

	m := e.waitStatus(v.ID, store.StatusDelivered)
	if m.Attempts != 1 || m.ProviderSID == nil || m.DeadLetteredAt != nil {
		t.Errorf("delivered message: attempts %d, sid %v, dead-lettered %v", m.Attempts, m.ProviderSID, m.DeadLetteredAt)
	}
	atts := e.attempts(v.ID)
	if len(atts) != 1 || atts[0].Status != store.StatusDelivered || atts[0].Trigger != message.TriggerAutomatic {
		t.Errorf("attempts = %+v", atts)
	}
	sent := e.simMessages(emersonPhone)
	if len(sent) != 1 || sent[0].From != seed.FrontDeskNumber || sent[0].Body != "Hi Emerson, Dec 20–27 works for both dogs!" ||
		sent[0].StatusCallback != e.public+"/webhooks/twilio/status" {
		t.Errorf("simulator saw %+v", sent)
	}
	st := e.workflowResult(v.ID)
	if st.Status != "delivered" || st.Attempts != 1 || st.ProviderSID != *m.ProviderSID {
		t.Errorf("workflow result %+v", st)
	}
	desc, err := e.tc.DescribeWorkflowExecution(e.ctx, contract.DeliveryWorkflowID(v.ID), "")
	if err != nil {
		t.Fatal(err)
	}
	if attr := desc.WorkflowExecutionInfo.GetSearchAttributes().GetIndexedFields()["OrgId"]; attr == nil || !strings.Contains(string(attr.GetData()), e.orgID.String()) {
		t.Errorf("OrgId search attribute = %v", attr)
	}
	if th := e.thread(thread); th.LastMessagePreview != "Hi Emerson, Dec 20–27 works for both dogs!" {
		t.Errorf("thread preview %q", th.LastMessagePreview)
	}
	events, _ := e.org().AuditEvents(e.ctx, store.AuditFilter{CorrelationID: "req-owner-reply-1"}, 50)
	seen := map[string]bool{}
	for _, ev := range events {
		seen[ev.Action] = true
	}
	if !seen["message.composed"] || !seen["message.sent"] {
		t.Errorf("audit events sharing the request's correlation ID: %v", seen)
	}

	// An admin's reply is stored as the admin's.
	v2 := accepted(t, e.compose(e.admin, thread.String(), "Booking link coming in a minute."))
	if v2.SenderType != store.SenderAdmin {
		t.Errorf("admin reply sender type %q", v2.SenderType)
	}
	e.waitStatus(v2.ID, store.StatusDelivered)
}

func TestComposeTemporaryFailureIsRetriedAndDelivered(t *testing.T) {
	e := newOutboundEnv(t)
	if err := e.sim.AddFault(twiliosim.Fault{To: frankiePhone, ErrorCode: 30003, Mode: twiliosim.FaultOnCallback, Times: 1}); err != nil {
		t.Fatal(err)
	}
	v := accepted(t, e.compose(e.owner, seed.ID("thread/frankie-front").String(), "5pm tomorrow is fine!"))
	m := e.waitStatus(v.ID, store.StatusDelivered)
	if m.Attempts != 2 || m.DeadLetteredAt != nil {
		t.Errorf("attempts %d, dead-lettered %v; want 2 attempts, no dead letter", m.Attempts, m.DeadLetteredAt)
	}
	atts := e.attempts(v.ID)
	if len(atts) != 2 {
		t.Fatalf("attempt rows = %+v, want 2", atts)
	}
	if atts[0].Status != store.StatusUndelivered || atts[0].ErrorCode == nil || *atts[0].ErrorCode != 30003 || atts[0].ErrorMessage != provider.Explain(30003) {
		t.Errorf("first attempt = %+v", atts[0])
	}
	if atts[1].Status != store.StatusDelivered || *atts[1].ProviderSID == *atts[0].ProviderSID {
		t.Errorf("second attempt = %+v (a new provider message each time)", atts[1])
	}
	if n := len(e.simMessages(frankiePhone)); n != 2 {
		t.Errorf("simulator saw %d sends, want 2", n)
	}
	if dl := findDeadLetter(e.listDeadLetters(t), v.ID); dl != nil {
		t.Errorf("delivered message listed as a dead letter: %+v", dl)
	}
}

func (e *outboundEnv) listDeadLetters(t *testing.T) []api.DeadLetterView {
	t.Helper()
	r := e.do("GET", "/api/v1/ops/dead-letters", e.owner, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("dead letters = %d %s", r.Status, r.Body)
	}
	var out struct {
		DeadLetters []api.DeadLetterView `json:"deadLetters"`
		NextCursor  string               `json:"nextCursor"`
	}
	r.json(t, &out)
	return out.DeadLetters
}

func (e *outboundEnv) listAlerts(t *testing.T, query string) []api.AlertView {
	t.Helper()
	r := e.do("GET", "/api/v1/alerts"+query, e.admin, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("alerts = %d %s", r.Status, r.Body)
	}
	var out struct {
		Alerts []api.AlertView `json:"alerts"`
	}
	r.json(t, &out)
	return out.Alerts
}

func TestComposePermanentFailureDeadLettersThenRetryDelivers(t *testing.T) {
	e := newOutboundEnv(t)
	avery := seed.ID("thread/avery-sam")
	if err := e.sim.AddFault(twiliosim.Fault{To: averyPhone, ErrorCode: 21211, Mode: twiliosim.FaultOnCreate}); err != nil {
		t.Fatal(err)
	}
	v := accepted(t, e.compose(e.owner, avery.String(), "Hi Avery, Sam will be there at 8."))
	m := e.waitDeadLetter(v.ID)
	if m.Status != store.StatusFailed || m.Attempts != 1 || m.ErrorCode == nil || *m.ErrorCode != 21211 || m.ErrorMessage != provider.Explain(21211) {
		t.Errorf("dead-lettered message: status %s, attempts %d, code %v, %q", m.Status, m.Attempts, m.ErrorCode, m.ErrorMessage)
	}
	if n := len(e.attempts(v.ID)); n != 1 {
		t.Errorf("%d attempts for a permanent error, want 1", n)
	}
	if th := e.thread(avery); th.FailedDeliveries != 1 {
		t.Errorf("thread failed deliveries = %d, want 1", th.FailedDeliveries)
	}
	// Without diagnostics the reason is in plain words and the raw code stays out.
	dl := findDeadLetter(e.listDeadLetters(t), v.ID)
	if dl == nil || dl.ClientName != "Avery Johnson" || dl.ThreadID != avery || dl.ErrorCode != nil ||
		dl.Reason != provider.Explain(21211) || dl.Attempts != 1 || dl.DeadLetteredAt.IsZero() {
		t.Fatalf("dead letter = %+v", dl)
	}
	if r := e.do("GET", "/api/v1/threads/"+avery.String()+"/messages", e.owner, nil); strings.Contains(string(r.Body), "21211") ||
		!strings.Contains(string(r.Body), provider.Explain(21211)) {
		t.Errorf("without diagnostics the thread's messages show a raw code or no reason: %s", r.Body)
	}
	// The download lists it the same way: plain words, no raw code.
	deadLetterRow := func() []string {
		r := e.do("GET", "/api/v1/ops/dead-letters?format=csv", e.owner, nil)
		rows, err := csv.NewReader(strings.NewReader(string(r.Body))).ReadAll()
		if err != nil || r.Status != http.StatusOK || len(rows) < 2 || rows[0][0] != "message_id" ||
			r.Header.Get("Content-Disposition") != `attachment; filename="delivery-failures.csv"` || r.Header.Get("X-Export-Truncated") != "" {
			t.Fatalf("dead-letter CSV = %d %v %q (%v)", r.Status, r.Header, r.Body, err)
		}
		for _, row := range rows[1:] {
			if row[0] == v.ID.String() {
				return row
			}
		}
		t.Fatalf("dead-letter CSV lacks %s: %q", v.ID, rows)
		return nil
	}
	if row := deadLetterRow(); row[2] != "Avery Johnson" || row[6] != provider.Explain(21211) || row[7] != "" || row[8] != "1" {
		t.Errorf("dead-letter CSV row without diagnostics = %q", row)
	}
	if r := e.do("PUT", "/api/v1/settings/diagnostics", e.owner, map[string]bool{"enabled": true}); r.Status != http.StatusOK {
		t.Fatalf("diagnostics on = %d", r.Status)
	}
	if row := deadLetterRow(); row[7] != "21211" {
		t.Errorf("dead-letter CSV row with diagnostics = %q, want the code 21211", row)
	}
	if dl = findDeadLetter(e.listDeadLetters(t), v.ID); dl == nil || dl.ErrorCode == nil || *dl.ErrorCode != 21211 {
		t.Fatalf("with diagnostics, dead letter = %+v, want the code 21211", dl)
	}
	if r := e.do("GET", "/api/v1/threads/"+avery.String()+"/messages", e.owner, nil); !strings.Contains(string(r.Body), `"errorCode":21211`) {
		t.Errorf("with diagnostics the thread's messages lack the raw code: %s", r.Body)
	}
	if r := e.do("PUT", "/api/v1/settings/diagnostics", e.owner, map[string]bool{"enabled": false}); r.Status != http.StatusOK {
		t.Fatalf("diagnostics off = %d", r.Status)
	}
	alert := findAlert(e.listAlerts(t, "?kind=delivery_failed&status=open"), v.ID)
	if alert == nil || alert.Severity != store.SeverityWarning || alert.ThreadID == nil || *alert.ThreadID != avery ||
		!strings.Contains(alert.Title, "Avery Johnson") || !strings.Contains(alert.Detail, provider.Explain(21211)) {
		t.Fatalf("alert = %+v", alert)
	}
	// A sitter cannot reach the dead-letter list or alerts.
	if r := e.do("GET", "/api/v1/ops/dead-letters", e.sam, nil); r.Status != http.StatusForbidden {
		t.Errorf("sitter dead letters = %d", r.Status)
	}

	// The cause is fixed; the owner retries: a real resend, a new attempt.
	e.sim.ClearFaults()
	if r := e.do("POST", "/api/v1/ops/dead-letters/"+v.ID.String()+"/retry", e.owner, nil); r.Status != http.StatusAccepted {
		t.Fatalf("retry = %d %s", r.Status, r.Body)
	}
	m = e.waitStatus(v.ID, store.StatusDelivered)
	if m.Attempts != 2 || m.DeadLetteredAt != nil {
		t.Errorf("after retry: attempts %d, dead-lettered %v", m.Attempts, m.DeadLetteredAt)
	}
	atts := e.attempts(v.ID)
	if len(atts) != 2 || atts[1].Trigger != message.TriggerManual || atts[1].Status != store.StatusDelivered {
		t.Errorf("attempts after retry = %+v", atts)
	}
	if th := e.thread(avery); th.FailedDeliveries != 0 {
		t.Errorf("thread failed deliveries after recovery = %d", th.FailedDeliveries)
	}
	st := e.workflowResult(v.ID)
	if st.Status != "delivered" || st.Attempts != 2 {
		t.Errorf("workflow result %+v", st)
	}
	if findDeadLetter(e.listDeadLetters(t), v.ID) != nil {
		t.Error("recovered message still in the dead-letter list")
	}
	a, err := e.org().Alert(e.ctx, alert.ID)
	if err != nil || a.Status != store.AlertResolved {
		t.Errorf("alert after recovery = %+v, %v", a, err)
	}
	// Nothing to retry any more.
	if r := e.do("POST", "/api/v1/ops/dead-letters/"+v.ID.String()+"/retry", e.owner, nil); r.Status != http.StatusConflict {
		t.Errorf("retry of a delivered message = %d %s, want 409", r.Status, r.Body)
	}
	assertAudit(t, e.harness, "message.dead_lettered", "dead_letter.retry_requested", "message.resend", "message.delivery_recovered")
}

func TestComposeLandlineDeadLettersAndIsDiscarded(t *testing.T) {
	e := newOutboundEnv(t)
	blake := seed.ID("thread/blake-riley")
	if err := e.sim.AddFault(twiliosim.Fault{To: blakePhone, ErrorCode: 30006, Mode: twiliosim.FaultOnCallback}); err != nil {
		t.Fatal(err)
	}
	v := accepted(t, e.compose(e.owner, blake.String(), "Hi Blake, quick question about Mochi."))
	m := e.waitDeadLetter(v.ID)
	if m.Status != store.StatusUndelivered || m.Attempts != 1 || m.ErrorCode == nil || *m.ErrorCode != 30006 {
		t.Errorf("dead letter: status %s, attempts %d, code %v", m.Status, m.Attempts, m.ErrorCode)
	}
	if n := len(e.simMessages(blakePhone)); n != 1 {
		t.Errorf("simulator saw %d sends for a permanent failure, want 1", n)
	}
	alert := findAlert(e.listAlerts(t, "?kind=delivery_failed"), v.ID)
	if alert == nil {
		t.Fatal("no delivery_failed alert about the message")
	}
	// Another org's owner sees none of it.
	other := e.login("owner@other.test")
	if r := e.do("POST", "/api/v1/ops/dead-letters/"+v.ID.String()+"/discard", other, map[string]string{"reason": "x"}); r.Status != http.StatusNotFound {
		t.Errorf("other org discard = %d, want 404", r.Status)
	}
	if r := e.do("POST", "/api/v1/alerts/"+alert.ID.String()+"/acknowledge", other, nil); r.Status != http.StatusNotFound {
		t.Errorf("other org acknowledge = %d, want 404", r.Status)
	}

	if r := e.do("POST", "/api/v1/alerts/"+alert.ID.String()+"/acknowledge", e.admin, nil); r.Status != http.StatusOK {
		t.Errorf("acknowledge = %d %s", r.Status, r.Body)
	}
	if r := e.do("POST", "/api/v1/ops/dead-letters/"+v.ID.String()+"/discard", e.owner, map[string]string{"reason": "Blake only has a landline; calling instead"}); r.Status != http.StatusAccepted {
		t.Fatalf("discard = %d %s", r.Status, r.Body)
	}
	e.waitStatus(v.ID, store.StatusDiscarded)
	if st := e.workflowResult(v.ID); st.Status != "discarded" {
		t.Errorf("workflow result %+v", st)
	}
	if findDeadLetter(e.listDeadLetters(t), v.ID) != nil {
		t.Error("discarded message still listed")
	}
	if th := e.thread(blake); th.FailedDeliveries != 0 {
		t.Errorf("failed deliveries after discard = %d", th.FailedDeliveries)
	}
	if r := e.do("POST", "/api/v1/ops/dead-letters/"+v.ID.String()+"/retry", e.owner, nil); r.Status != http.StatusConflict {
		t.Errorf("retry after discard = %d, want 409", r.Status)
	}
	a, _ := e.org().Alert(e.ctx, alert.ID)
	if a.Status != store.AlertResolved {
		t.Errorf("alert after discard: %s", a.Status)
	}
	events, _ := e.org().AuditEvents(e.ctx, store.AuditFilter{Action: "message.discarded"}, 10)
	if len(events) != 1 || !strings.Contains(string(events[0].Detail), "landline") {
		t.Errorf("discard audit = %+v", events)
	}
	assertAudit(t, e.harness, "dead_letter.discard_requested", "alert.acknowledged")
}

func TestComposeSitterPolicyViolationOverriddenByOwner(t *testing.T) {
	e := newOutboundEnv(t)
	avery := seed.ID("thread/avery-sam")

	// A clean reply from Sam goes out from Sam's number; the response
	// carries no phone number at all.
	r := e.compose(e.sam, avery.String(), "Biscuit ate all his breakfast and we had a long walk.")
	if r.Status != http.StatusAccepted {
		t.Fatalf("sitter compose = %d %s", r.Status, r.Body)
	}
	if e164Pattern.Match(r.Body) || strings.Contains(string(r.Body), `"to"`) || strings.Contains(string(r.Body), `"from"`) {
		t.Errorf("sitter response leaks a number: %s", r.Body)
	}
	var sv api.SitterMessageView
	r.json(t, &sv)
	m := e.waitStatus(sv.ID, store.StatusDelivered)
	if m.SenderType != store.SenderSitter || m.FromE164 != seed.SamNumber || m.SenderSitterID == nil || *m.SenderSitterID != seed.ID("sitter/sam") {
		t.Errorf("sitter message stored as %+v", m)
	}

	// Sharing a phone number is blocked, with the reason, and nothing sent.
	before := len(e.simMessages(averyPhone))
	r = e.compose(e.sam, avery.String(), "If anything comes up call me at 415 555 0123")
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("violating compose = %d %s, want 422", r.Status, r.Body)
	}
	eb := errorBody(t, r)
	if eb.Code != "policy_violation" || !strings.Contains(eb.Message, "includes a phone number") {
		t.Errorf("violation error = %+v", eb)
	}
	if len(e.simMessages(averyPhone)) != before {
		t.Error("a blocked message reached the provider")
	}
	if th := e.thread(avery); th.OpenViolations != 1 {
		t.Errorf("open violations = %d, want 1", th.OpenViolations)
	}
	// The sitter cannot review violations; the admin can read them but
	// not override.
	if r := e.do("GET", "/api/v1/policy-violations", e.sam, nil); r.Status != http.StatusForbidden {
		t.Errorf("sitter list violations = %d", r.Status)
	}
	r = e.do("GET", "/api/v1/policy-violations?status=open&thread="+avery.String()+"&sitter="+seed.ID("sitter/sam").String(), e.admin, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("list violations = %d %s", r.Status, r.Body)
	}
	var list struct {
		Violations []api.PolicyViolationView `json:"violations"`
	}
	r.json(t, &list)
	if len(list.Violations) != 1 {
		t.Fatalf("violations = %+v", list.Violations)
	}
	v := list.Violations[0]
	if v.SitterName != "Sam Patel" || v.ClientName != "Avery Johnson" || !containsKind(v.Kinds, "phone_number") ||
		v.MessageStatus != store.StatusBlocked || v.MessageBody != "" {
		t.Errorf("violation = %+v", v)
	}
	for _, ex := range v.Excerpts {
		if strings.Contains(ex.Excerpt, "555") || strings.Contains(ex.Excerpt, "0123") {
			t.Errorf("excerpt not redacted: %+v", ex)
		}
	}
	if r := e.do("GET", "/api/v1/policy-violations?sitter="+uuid.NewString(), e.admin, nil); r.Status != http.StatusNotFound {
		t.Errorf("filter by unknown sitter = %d, want 404", r.Status)
	}
	if r := e.do("POST", "/api/v1/policy-violations/"+v.ID.String()+"/override", e.admin, map[string]string{"reason": "ok"}); r.Status != http.StatusForbidden {
		t.Errorf("admin override = %d, want 403", r.Status)
	}
	if r := e.do("POST", "/api/v1/policy-violations/"+v.ID.String()+"/override", e.owner, map[string]string{}); r.Status != http.StatusBadRequest {
		t.Errorf("override without reason = %d, want 400", r.Status)
	}

	// The owner overrides with a reason: the message is sent.
	r = e.do("POST", "/api/v1/policy-violations/"+v.ID.String()+"/override", e.owner, map[string]string{"reason": "Avery asked for Sam's work cell for the lockbox"})
	if r.Status != http.StatusAccepted {
		t.Fatalf("override = %d %s", r.Status, r.Body)
	}
	var ov api.PolicyViolationView
	r.json(t, &ov)
	if ov.Status != store.ViolationOverridden || ov.ReviewedBy == nil || *ov.ReviewedBy != seed.ID("user/owner@demo.test") ||
		ov.MessageBody != "If anything comes up call me at 415 555 0123" {
		t.Errorf("overridden violation = %+v", ov)
	}
	e.waitStatus(v.MessageID, store.StatusDelivered)
	sent := e.simMessages(averyPhone)
	if last := sent[len(sent)-1]; last.Body != "If anything comes up call me at 415 555 0123" || last.From != seed.SamNumber {
		t.Errorf("simulator's last message to Avery = %+v", last)
	}
	if th := e.thread(avery); th.OpenViolations != 0 {
		t.Errorf("open violations after override = %d", th.OpenViolations)
	}
	if r := e.do("POST", "/api/v1/policy-violations/"+v.ID.String()+"/override", e.owner, map[string]string{"reason": "again"}); r.Status != http.StatusConflict {
		t.Errorf("second override = %d, want 409", r.Status)
	}
	events, _ := e.org().AuditEvents(e.ctx, store.AuditFilter{Action: "policy_violation.overridden"}, 10)
	if len(events) != 1 || events[0].ActorID != seed.ID("user/owner@demo.test").String() || !strings.Contains(string(events[0].Detail), "lockbox") {
		t.Errorf("override audit = %+v", events)
	}

	// An email address is blocked too; the owner dismisses it and it stays unsent.
	r = e.compose(e.sam, avery.String(), "Send the vet records to sam.patel@gmail.com")
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(errorBody(t, r).Message, "email") {
		t.Fatalf("email compose = %d %s", r.Status, r.Body)
	}
	r = e.do("GET", "/api/v1/policy-violations?status=open&thread="+avery.String(), e.owner, nil)
	r.json(t, &list)
	if len(list.Violations) != 1 {
		t.Fatalf("open violations = %+v", list.Violations)
	}
	if r := e.do("POST", "/api/v1/policy-violations/"+list.Violations[0].ID.String()+"/dismiss", e.owner, map[string]string{"reason": "Talked to Sam"}); r.Status != http.StatusOK {
		t.Fatalf("dismiss = %d %s", r.Status, r.Body)
	}
	if m := e.message(list.Violations[0].MessageID); m.Status != store.StatusBlocked {
		t.Errorf("dismissed message status %s, want blocked", m.Status)
	}
	assertAudit(t, e.harness, "message.blocked", "policy_violation.dismissed", "policy_violation.overridden")
}

func TestComposeRefusals(t *testing.T) {
	e := newOutboundEnv(t)
	ctx := e.ctx
	db := e.store.DB()

	// Riley's stay with Dana ended last week; their thread is on Riley's number.
	dana := &store.Thread{ID: uuid.New(), OrgID: e.orgID, ClientID: seed.ID("client/dana"), NumberID: seed.ID("number/riley"), AssignedSitterID: composePtr(seed.ID("sitter/riley"))}
	// Gray texted STOP.
	gray := &store.Thread{ID: uuid.New(), OrgID: e.orgID, ClientID: seed.ID("client/gray"), NumberID: seed.ID("number/front")}
	for _, th := range []*store.Thread{dana, gray} {
		if _, err := db.NewInsert().Model(th).Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.NewUpdate().Model((*store.Client)(nil)).Set("opted_out_at = ?, opted_out_keyword = 'STOP'", time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)).
		Where("id = ?", seed.ID("client/gray")).Exec(ctx); err != nil {
		t.Fatal(err)
	}

	// A sitter outside their window: 403 with the reason.
	r := e.compose(e.riley, dana.ID.String(), "Hi Dana, how is Pepper?")
	if r.Status != http.StatusForbidden {
		t.Fatalf("outside window = %d %s, want 403", r.Status, r.Body)
	}
	if msg := errorBody(t, r).Message; !strings.Contains(msg, "Your assignment with Dana Okafor ended at") || !strings.Contains(msg, "assignment window") {
		t.Errorf("outside-window reason: %q", msg)
	}
	// A thread that is not the sitter's at all: 404.
	if r := e.compose(e.riley, seed.ID("thread/avery-sam").String(), "hello"); r.Status != http.StatusNotFound {
		t.Errorf("another sitter's thread = %d, want 404", r.Status)
	}

	// An opted-out client: refused with the reason, nothing stored or sent.
	r = e.compose(e.owner, gray.ID.String(), "We have a spot open next week!")
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("opted-out = %d %s, want 422", r.Status, r.Body)
	}
	if eb := errorBody(t, r); eb.Code != "client_opted_out" || !strings.Contains(eb.Message, "Gray Williams replied STOP") {
		t.Errorf("opted-out error = %+v", eb)
	}
	if n, _ := db.NewSelect().Model((*store.Message)(nil)).Where("thread_id = ?", gray.ID).Count(ctx); n != 0 {
		t.Errorf("%d messages stored for an opted-out client", n)
	}

	// A sitter writing to an opted-out client who is still named after
	// their number: refused, and the number is not in the reason.
	unknown := &store.Client{ID: uuid.New(), OrgID: e.orgID, Name: "+16505550177", PhoneE164: "+16505550177",
		OptedOutAt: composePtr(time.Now().Add(-time.Hour)), OptedOutKeyword: "STOP"}
	unknownThread := &store.Thread{ID: uuid.New(), OrgID: e.orgID, ClientID: unknown.ID, NumberID: seed.ID("number/sam")}
	window := &store.AssignmentWindow{ID: uuid.New(), OrgID: e.orgID, SitterID: seed.ID("sitter/sam"), ClientID: unknown.ID,
		StartsAt: time.Now().Add(-time.Hour), EndsAt: time.Now().Add(time.Hour), Status: store.WindowActive}
	for _, row := range []any{unknown, unknownThread, window} {
		if _, err := db.NewInsert().Model(row).Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	r = e.compose(e.sam, unknownThread.ID.String(), "Hi! I'm Sam, looking after your dog this week.")
	if r.Status != http.StatusUnprocessableEntity || e164Pattern.Match(r.Body) || !strings.Contains(errorBody(t, r).Message, "This client replied STOP") {
		t.Errorf("sitter to an opted-out unnamed client = %d %s", r.Status, r.Body)
	}

	// Too long and empty bodies.
	r = e.compose(e.owner, seed.ID("thread/emerson-front").String(), strings.Repeat("a", 1601))
	if r.Status != http.StatusBadRequest {
		t.Fatalf("1,601 characters = %d, want 400", r.Status)
	}
	if eb := errorBody(t, r); !strings.Contains(eb.Message, "1,601") || !strings.Contains(eb.Message, "1,600") || eb.Fields["limit"] != "1600" {
		t.Errorf("too-long error = %+v", eb)
	}
	if r := e.compose(e.owner, seed.ID("thread/emerson-front").String(), "   "); r.Status != http.StatusBadRequest {
		t.Errorf("blank body = %d, want 400", r.Status)
	}
	v := accepted(t, e.compose(e.owner, seed.ID("thread/emerson-front").String(), strings.Repeat("a", 1600)))
	if v.Segments != 11 {
		t.Errorf("1,600 GSM characters = %d segments, want 11", v.Segments)
	}

	// Another org's thread, or none at all: 404.
	other := seed.ID("thread/other/zoe").String()
	for _, path := range []string{"/api/v1/threads/" + other + "/messages", "/api/v1/threads/" + uuid.NewString() + "/messages", "/api/v1/threads/not-a-uuid/messages"} {
		if r := e.do("POST", path, e.owner, map[string]any{"body": "hi"}); r.Status != http.StatusNotFound {
			t.Errorf("POST %s = %d, want 404", path, r.Status)
		}
	}
	if r := e.compose(e.sam, other, "hi"); r.Status != http.StatusNotFound {
		t.Errorf("sitter on another org's thread = %d, want 404", r.Status)
	}
	// Sitters use their own API, staff theirs.
	if r := e.do("POST", "/api/v1/threads/"+seed.ID("thread/avery-sam").String()+"/messages", e.sam, map[string]any{"body": "hi"}); r.Status != http.StatusForbidden {
		t.Errorf("sitter on the staff compose route = %d, want 403", r.Status)
	}
	e.waitStatus(v.ID, store.StatusDelivered)
}

func TestAlertActions(t *testing.T) {
	e := newOutboundEnv(t)
	org := e.org()
	critical, err := org.RaiseAlert(e.ctx, &store.Alert{Severity: store.SeverityCritical, Kind: "provider_auth", Title: "Twilio refused the credentials", DedupeKey: "t1"})
	if err != nil {
		t.Fatal(err)
	}
	warning, err := org.RaiseAlert(e.ctx, &store.Alert{Severity: store.SeverityWarning, Kind: "delivery_failed", Title: "A text wasn't delivered", DedupeKey: "t2"})
	if err != nil {
		t.Fatal(err)
	}
	got := e.listAlerts(t, "?severity=critical")
	if len(got) == 0 || findAlertByID(got, critical.ID) == nil || findAlertByID(got, warning.ID) != nil {
		t.Errorf("critical alerts = %+v", got)
	}
	if r := e.do("GET", "/api/v1/alerts?severity=loud", e.owner, nil); r.Status != http.StatusBadRequest {
		t.Errorf("bad severity filter = %d", r.Status)
	}
	if r := e.do("POST", "/api/v1/alerts/"+critical.ID.String()+"/dismiss", e.owner, nil); r.Status != http.StatusConflict {
		t.Errorf("dismiss critical = %d %s, want 409", r.Status, r.Body)
	}
	if r := e.do("POST", "/api/v1/alerts/"+critical.ID.String()+"/resolve", e.owner, nil); r.Status != http.StatusOK {
		t.Errorf("resolve critical = %d %s", r.Status, r.Body)
	}
	if r := e.do("POST", "/api/v1/alerts/"+warning.ID.String()+"/dismiss", e.admin, nil); r.Status != http.StatusOK {
		t.Errorf("dismiss warning = %d %s", r.Status, r.Body)
	}
	if r := e.do("POST", "/api/v1/alerts/"+warning.ID.String()+"/resolve", e.admin, nil); r.Status != http.StatusConflict {
		t.Errorf("resolve a dismissed alert = %d, want 409", r.Status)
	}
	if got := e.listAlerts(t, "?status=open"); findAlertByID(got, critical.ID) != nil || findAlertByID(got, warning.ID) != nil {
		t.Errorf("closed alerts still listed as open: %+v", got)
	}
	a, _ := org.Alert(e.ctx, critical.ID)
	if a.ClosedBy == nil || *a.ClosedBy != seed.ID("user/owner@demo.test") || a.ClosedAt == nil {
		t.Errorf("resolved alert = %+v", a)
	}
	assertAudit(t, e.harness, "alert.resolved", "alert.dismissed")
}

func composePtr[T any](v T) *T { return &v }

func findDeadLetter(list []api.DeadLetterView, messageID uuid.UUID) *api.DeadLetterView {
	for i := range list {
		if list[i].MessageID == messageID {
			return &list[i]
		}
	}
	return nil
}

// findAlert returns the alert about a message.
func findAlert(list []api.AlertView, messageID uuid.UUID) *api.AlertView {
	for i := range list {
		if list[i].EntityType == "message" && list[i].EntityID == messageID.String() {
			return &list[i]
		}
	}
	return nil
}

func findAlertByID(list []api.AlertView, id uuid.UUID) *api.AlertView {
	for i := range list {
		if list[i].ID == id {
			return &list[i]
		}
	}
	return nil
}

func containsKind(kinds []string, k string) bool {
	for _, v := range kinds {
		if v == k {
			return true
		}
	}
	return false
}

func TestComposeStatusFetchedWithoutCallbacksAndMessyCallbacksIgnored(t *testing.T) {
	e := newOutboundEnv(t)
	emerson := seed.ID("thread/emerson-front").String()
	statusReceipts := func() int {
		n, err := e.store.DB().NewSelect().Model((*store.WebhookReceipt)(nil)).Where("kind = 'status'").Count(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		return int(n)
	}

	// No callback ever comes: the workflow asks the provider.
	if err := e.sim.SetCallbackMode(twiliosim.CallbackMode{Drop: true}); err != nil {
		t.Fatal(err)
	}
	v := accepted(t, e.compose(e.owner, emerson, "Checking in about the booking."))
	m := e.waitStatus(v.ID, store.StatusDelivered)
	if m.Attempts != 1 || statusReceipts() != 0 {
		t.Errorf("fetched delivery: attempts %d, status callbacks received %d (want 1, 0)", m.Attempts, statusReceipts())
	}

	// Every callback twice, newest first ("delivered" before "sent"): the
	// message stays delivered, one attempt, one provider message.
	if err := e.sim.SetCallbackMode(twiliosim.CallbackMode{Duplicate: true, OutOfOrder: true}); err != nil {
		t.Fatal(err)
	}
	v = accepted(t, e.compose(e.owner, emerson, "And the key is under the mat."))
	m = e.waitStatus(v.ID, store.StatusDelivered)
	if st := e.workflowResult(v.ID); st.Status != "delivered" || st.Attempts != 1 {
		t.Errorf("workflow result %+v", st)
	}
	time.Sleep(300 * time.Millisecond) // let the late duplicates land
	m = e.message(v.ID)
	atts := e.attempts(v.ID)
	if m.Status != store.StatusDelivered || len(atts) != 1 || atts[0].Status != store.StatusDelivered {
		t.Errorf("after duplicate, out-of-order callbacks: message %s, attempts %+v", m.Status, atts)
	}
	t.Logf("status callbacks received by the webhook: %d", statusReceipts())
}

func TestDeadLettersAndViolationsPageWithCursors(t *testing.T) {
	e := newOutboundEnv(t)
	if err := e.sim.AddFault(twiliosim.Fault{To: "*", ErrorCode: 21211, Mode: twiliosim.FaultOnCreate}); err != nil {
		t.Fatal(err)
	}
	want := map[uuid.UUID]bool{}
	for i, thread := range []string{"thread/emerson-front", "thread/frankie-front", "thread/avery-sam"} {
		v := accepted(t, e.compose(e.owner, seed.ID(thread).String(), fmt.Sprintf("Note %d", i)))
		e.waitDeadLetter(v.ID)
		want[v.ID] = true
	}
	avery := seed.ID("thread/avery-sam").String()
	for _, body := range []string{"my cell is 415 555 0123", "venmo me @sam-p", "email me at sam@example.com"} {
		if r := e.compose(e.sam, avery, body); r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("%q = %d %s, want 422", body, r.Status, r.Body)
		}
	}

	type page struct {
		DeadLetters []api.DeadLetterView      `json:"deadLetters"`
		Violations  []api.PolicyViolationView `json:"violations"`
		NextCursor  string                    `json:"nextCursor"`
	}
	walk := func(path string) (ids []uuid.UUID, pages int) {
		cursor := ""
		for {
			r := e.do("GET", path+"&cursor="+cursor, e.owner, nil)
			if r.Status != http.StatusOK {
				t.Fatalf("GET %s = %d %s", path, r.Status, r.Body)
			}
			var p page
			r.json(t, &p)
			pages++
			for _, d := range p.DeadLetters {
				ids = append(ids, d.MessageID)
			}
			for _, v := range p.Violations {
				ids = append(ids, v.MessageID)
			}
			if p.NextCursor == "" || pages > 10 {
				return ids, pages
			}
			cursor = p.NextCursor
		}
	}
	ids, pages := walk("/api/v1/ops/dead-letters?limit=2")
	if pages != 2 || len(ids) != 3 {
		t.Errorf("dead letters: %d rows over %d pages, want 3 over 2", len(ids), pages)
	}
	for _, id := range ids {
		if !want[id] {
			t.Errorf("unexpected or repeated dead letter %s", id)
		}
		delete(want, id)
	}
	ids, pages = walk("/api/v1/policy-violations?thread=" + avery + "&limit=2")
	if pages != 2 || len(ids) != 3 || ids[0] == ids[1] || ids[1] == ids[2] {
		t.Errorf("violations: %v over %d pages, want 3 distinct over 2", ids, pages)
	}
	if r := e.do("GET", "/api/v1/ops/dead-letters?cursor=bogus", e.owner, nil); r.Status != http.StatusBadRequest {
		t.Errorf("bogus cursor = %d, want 400", r.Status)
	}
}
