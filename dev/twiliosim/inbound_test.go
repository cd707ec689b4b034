package twiliosim_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/snoutos/snout/dev/twiliosim"
	"github.com/snoutos/snout/internal/twilio/provider"
)

type inboundAnswer struct {
	Error         string   `json:"error"`
	MessageSID    string   `json:"message_sid"`
	WebhookStatus int      `json:"webhook_status"`
	WebhookBody   string   `json:"webhook_body"`
	WebhookError  string   `json:"webhook_error"`
	Deliveries    int      `json:"deliveries"`
	Keyword       string   `json:"keyword"`
	ReplySIDs     []string `json:"reply_sids"`
}

func TestInboundWebhookCarriesEveryField(t *testing.T) {
	h := newHarness(t)
	a := newApp(t, h.acct.AuthToken)
	a.answer(http.StatusOK, "<Response/>")
	n := h.buy("+14155550100", a.url("/twilio/sms"))

	var out inboundAnswer
	status := h.control(http.MethodPost, "/_sim/inbound", map[string]any{
		"from": "+12125550123", "to": n.E164, "body": "Can you walk Rex at 3?",
	}, &out)
	if status != http.StatusOK || out.WebhookStatus != http.StatusOK || out.WebhookBody != "<Response/>" || out.Deliveries != 1 {
		t.Fatalf("inbound: %d %+v", status, out)
	}
	got := a.next(t)
	if got.Method != http.MethodPost || !got.Valid {
		t.Fatalf("webhook %s, signature valid %v", got.Method, got.Valid)
	}
	want := map[string]string{
		"MessageSid": out.MessageSID, "SmsSid": out.MessageSID, "SmsMessageSid": out.MessageSID,
		"AccountSid": h.acct.Sid, "From": "+12125550123", "To": n.E164, "Body": "Can you walk Rex at 3?",
		"NumMedia": "0", "NumSegments": "1", "SmsStatus": "received", "ApiVersion": "2010-04-01",
		"FromCity": "NEW YORK", "FromState": "NY", "FromZip": "10001", "FromCountry": "US",
		"ToCity": "SAN FRANCISCO", "ToState": "CA", "ToZip": "94103", "ToCountry": "US",
		"ReferralNumMedia": "0",
	}
	for k, v := range want {
		if !got.Form.Has(k) || got.Form.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, got.Form.Get(k), v)
		}
	}
	if len(got.Form) != len(want) {
		t.Errorf("webhook has %d fields, want %d: %v", len(got.Form), len(want), got.Form)
	}
	if !strings.HasPrefix(out.MessageSID, "SM") {
		t.Errorf("SID %s", out.MessageSID)
	}
	msgs := h.sim.Messages("", "+12125550123")
	if len(msgs) != 1 || msgs[0].Direction != "inbound" || msgs[0].Status != "received" {
		t.Errorf("recorded %+v", msgs)
	}
}

func TestInboundMMS(t *testing.T) {
	h := newHarness(t)
	a := newApp(t, h.acct.AuthToken)
	n := h.buy("", a.url("/sms"))
	res, err := h.sim.DeliverInbound(ctx, twiliosim.InboundRequest{
		From: "+14155550123", To: n.E164, Body: "",
		Media: []twiliosim.Media{
			{URL: "https://media.example/rex.jpg", ContentType: "image/jpeg"},
			{URL: "https://media.example/rex.png", ContentType: "image/png"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := a.next(t)
	f := got.Form
	if !strings.HasPrefix(res.MessageSID, "MM") || f.Get("NumMedia") != "2" || !got.Valid ||
		f.Get("MediaUrl0") != "https://media.example/rex.jpg" || f.Get("MediaContentType0") != "image/jpeg" ||
		f.Get("MediaUrl1") != "https://media.example/rex.png" || f.Get("MediaContentType1") != "image/png" {
		t.Errorf("MMS webhook %v (valid %v), sid %s", f, got.Valid, res.MessageSID)
	}
}

func TestInboundWebhookByGET(t *testing.T) {
	h := newHarness(t)
	a := newApp(t, h.acct.AuthToken)
	n := h.buy("", "")
	if _, err := h.client.ConfigureNumber(ctx, n.SID, provider.NumberConfig{SMSURL: a.url("/sms?tenant=7"), SMSMethod: "GET"}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.sim.DeliverInbound(ctx, twiliosim.InboundRequest{From: "+14155550123", To: n.E164, Body: "hello & goodbye"}); err != nil {
		t.Fatal(err)
	}
	got := a.next(t)
	if got.Method != http.MethodGet || got.Form.Get("tenant") != "7" || got.Form.Get("Body") != "hello & goodbye" {
		t.Fatalf("GET webhook %s %v", got.Method, got.Form)
	}
	if !got.Valid || !provider.ValidateSignature(h.acct.AuthToken, got.URL, nil, got.Signature) {
		t.Error("GET signature (over the full URL) does not validate")
	}
}

func TestInboundReplayAndRepeat(t *testing.T) {
	h := newHarness(t)
	a := newApp(t, h.acct.AuthToken)
	n := h.buy("", a.url("/sms"))
	const sid = "SM0123456789abcdef0123456789abcdef"
	var out inboundAnswer
	h.control(http.MethodPost, "/_sim/inbound", map[string]any{
		"from": "+14155550123", "to": n.E164, "body": "yes", "message_sid": sid, "repeat": 3,
	}, &out)
	if out.MessageSID != sid || out.Deliveries != 3 {
		t.Fatalf("answer %+v", out)
	}
	hooks := collect(t, a, 3)
	token := hooks[0].Header.Get("I-Twilio-Idempotency-Token")
	for _, hk := range hooks {
		if hk.Form.Get("MessageSid") != sid || hk.Header.Get("I-Twilio-Idempotency-Token") != token || !hk.Valid {
			t.Errorf("repeat %v", hk.Form)
		}
	}
	// Replaying the SID later delivers again but stores one message.
	h.control(http.MethodPost, "/_sim/inbound", map[string]any{"from": "+14155550123", "to": n.E164, "body": "yes", "message_sid": sid}, &out)
	if a.next(t).Form.Get("MessageSid") != sid {
		t.Error("replay used another SID")
	}
	if msgs := h.sim.Messages("", "+14155550123"); len(msgs) != 1 {
		t.Errorf("%d messages stored for one SID", len(msgs))
	}
}

func TestInboundErrors(t *testing.T) {
	h := newHarness(t)
	bare := h.buy("+14155550100", "")
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	unreachable := h.buy("+14155550101", down.URL+"/sms")
	tests := []struct {
		name       string
		body       any
		wantStatus int
		wantSID    bool
	}{
		{"no SMS URL", map[string]any{"from": "+14155550123", "to": bare.E164, "body": "hi"}, http.StatusConflict, true},
		{"app unreachable", map[string]any{"from": "+14155550123", "to": unreachable.E164, "body": "hi"}, http.StatusBadGateway, true},
		{"number not owned", map[string]any{"from": "+14155550123", "to": "+14155550199", "body": "hi"}, http.StatusNotFound, false},
		{"other account", map[string]any{"account_sid": "AC00000000000000000000000000000000", "from": "+14155550123", "to": bare.E164, "body": "hi"}, http.StatusNotFound, false},
		{"bad from", map[string]any{"from": "rex", "to": bare.E164, "body": "hi"}, http.StatusBadRequest, false},
		{"empty", map[string]any{"from": "+14155550123", "to": bare.E164}, http.StatusBadRequest, false},
		{"bad sid", map[string]any{"from": "+14155550123", "to": bare.E164, "body": "hi", "message_sid": "SMx"}, http.StatusBadRequest, false},
		{"unknown field", map[string]any{"from": "+14155550123", "to": bare.E164, "body": "hi", "colour": 1}, http.StatusBadRequest, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out inboundAnswer
			status := h.control(http.MethodPost, "/_sim/inbound", tt.body, &out)
			if status != tt.wantStatus || (out.Error == "" && out.WebhookError == "") || (out.MessageSID != "") != tt.wantSID {
				t.Errorf("%d %+v, want %d (message SID reported: %v)", status, out, tt.wantStatus, tt.wantSID)
			}
		})
	}
}

func TestInboundAppErrorIsReported(t *testing.T) {
	h := newHarness(t)
	a := newApp(t, h.acct.AuthToken)
	a.answer(http.StatusInternalServerError, "boom")
	n := h.buy("", a.url("/sms"))
	var out inboundAnswer
	if status := h.control(http.MethodPost, "/_sim/inbound", map[string]any{"from": "+14155550123", "to": n.E164, "body": "hi"}, &out); status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	if out.WebhookStatus != http.StatusInternalServerError || out.WebhookBody != "boom" || len(out.ReplySIDs) != 0 {
		t.Errorf("answer %+v", out)
	}
}

func TestTwiMLReplyBecomesAMessage(t *testing.T) {
	h := newHarness(t)
	a := newApp(t, h.acct.AuthToken)
	a.answer(http.StatusOK, `<?xml version="1.0" encoding="UTF-8"?><Response><Message>Thanks! We'll confirm shortly.</Message></Response>`)
	n := h.buy("", a.url("/sms"))
	res, err := h.sim.DeliverInbound(ctx, twiliosim.InboundRequest{From: "+14155550123", To: n.E164, Body: "Book Friday"})
	if err != nil || len(res.ReplySIDs) != 1 {
		t.Fatalf("result %+v, %v", res, err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for {
		replies := h.sim.Messages("+14155550123", n.E164)
		if len(replies) == 1 && replies[0].Status == "delivered" {
			if replies[0].Direction != "outbound-reply" || replies[0].Body != "Thanks! We'll confirm shortly." || replies[0].SID != res.ReplySIDs[0] {
				t.Errorf("reply %+v", replies[0])
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("reply not delivered: %+v", replies)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestOptOutKeywords(t *testing.T) {
	tests := []struct {
		body        string
		wantKeyword string
		wantBlocked bool
	}{
		{"STOP", "STOP", true},
		{"  stop ", "STOP", true},
		{"Unsubscribe", "STOP", true},
		{"quit", "STOP", true},
		{"STOP please", "", false},
		{"HELP", "HELP", false},
		{"see you at 3", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			h := newHarness(t)
			a := newApp(t, h.acct.AuthToken)
			n := h.buy("+14155550100", a.url("/sms"))
			res, err := h.sim.DeliverInbound(ctx, twiliosim.InboundRequest{From: "+14155550123", To: n.E164, Body: tt.body})
			if err != nil || res.Keyword != tt.wantKeyword {
				t.Fatalf("result %+v, %v, want keyword %q", res, err, tt.wantKeyword)
			}
			if a.next(t).Form.Get("Body") != tt.body {
				t.Error("the keyword was not forwarded to the app")
			}
			_, err = h.client.SendMessage(ctx, provider.SendRequest{From: n.E164, To: "+14155550123", Body: "Reminder: walk at 3"})
			if !tt.wantBlocked {
				if err != nil {
					t.Fatalf("send: %v", err)
				}
				return
			}
			apiError(t, err, 21610, 400)
			if provider.Classify(err) != provider.Permanent || !strings.Contains(provider.Explain(21610), "STOP") {
				t.Errorf("opt-out classed %v / explained %q", provider.Classify(err), provider.Explain(21610))
			}
		})
	}
}

func TestOptOutIsPerNumberAndEndsWithStart(t *testing.T) {
	h := newHarness(t)
	front := h.buy("+14155550100", "") // no SMS URL: STOP still counts
	other := h.buy("+14155550101", "")
	const client = "+14155550123"
	send := func(from string) error {
		_, err := h.client.SendMessage(ctx, provider.SendRequest{From: from, To: client, Body: "hi"})
		return err
	}
	res, err := h.sim.DeliverInbound(ctx, twiliosim.InboundRequest{From: client, To: front.E164, Body: "STOP"})
	if !errors.Is(err, twiliosim.ErrNoSMSURL) || res.Keyword != "STOP" {
		t.Fatalf("STOP without webhook: %+v, %v", res, err)
	}
	apiError(t, send(front.E164), 21610, 400)
	if err := send(other.E164); err != nil {
		t.Errorf("another number of the account is blocked too: %v", err)
	}
	if _, err := h.sim.DeliverInbound(ctx, twiliosim.InboundRequest{From: client, To: front.E164, Body: "start"}); !errors.Is(err, twiliosim.ErrNoSMSURL) {
		t.Fatalf("START without webhook: %v, want ErrNoSMSURL", err)
	}
	if err := send(front.E164); err != nil {
		t.Errorf("still blocked after START: %v", err)
	}
	got := h.sim.Messages(front.E164, client)
	if !slices.EqualFunc(got, []twiliosim.Message{{Body: "STOP"}, {Body: "start"}}, func(a, b twiliosim.Message) bool { return a.Body == b.Body }) {
		t.Errorf("recorded %+v", got)
	}
}
