package twiliosim_test

import (
	"net/http"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/snoutos/snout/dev/twiliosim"
	"github.com/snoutos/snout/internal/twilio/provider"
)

// sendWithCallback sends one text whose status callbacks go to the app.
func sendWithCallback(t *testing.T, h *harness, a *app, to string) provider.SentMessage {
	t.Helper()
	from := h.buy("", "").E164
	m, err := h.client.SendMessage(ctx, provider.SendRequest{From: from, To: to, Body: "Bella is home", StatusCallback: a.url("/twilio/status?org=42")})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func statuses(hooks []hook) []string {
	var out []string
	for _, h := range hooks {
		out = append(out, h.Form.Get("MessageStatus"))
	}
	return out
}

func collect(t *testing.T, a *app, n int) []hook {
	t.Helper()
	out := make([]hook, 0, n)
	for range n {
		out = append(out, a.next(t))
	}
	return out
}

func TestStatusCallbacksAreSignedAndComplete(t *testing.T) {
	h := newHarness(t)
	a := newApp(t, h.acct.AuthToken)
	m := sendWithCallback(t, h, a, "+14155550123")
	hooks := collect(t, a, 2)
	a.none(t, 100*time.Millisecond)

	if got := statuses(hooks); !slices.Equal(got, []string{"sent", "delivered"}) {
		t.Fatalf("callbacks %v, want sent then delivered (never queued)", got)
	}
	for _, cb := range hooks {
		if cb.Method != http.MethodPost || cb.URL != a.url("/twilio/status?org=42") {
			t.Errorf("callback %s %s", cb.Method, cb.URL)
		}
		if !cb.Valid {
			t.Errorf("twilio-go rejects the %s callback's signature", cb.Form.Get("MessageStatus"))
		}
		if !provider.ValidateSignature(h.acct.AuthToken, cb.URL, cb.Form, cb.Signature) {
			t.Error("provider.ValidateSignature rejects the callback")
		}
		if provider.ValidateSignature("someoneelse", cb.URL, cb.Form, cb.Signature) {
			t.Error("signature validates with the wrong token")
		}
		f := cb.Form
		want := map[string]string{
			"MessageSid": m.SID, "SmsSid": m.SID, "SmsStatus": f.Get("MessageStatus"),
			"AccountSid": h.acct.Sid, "To": "+14155550123", "ApiVersion": "2010-04-01",
		}
		for k, v := range want {
			if f.Get(k) != v {
				t.Errorf("%s = %q, want %q", k, f.Get(k), v)
			}
		}
		if f.Get("From") == "" || f.Has("ErrorCode") {
			t.Errorf("form %v", f)
		}
		if cb.Header.Get("User-Agent") != "TwilioProxy/1.1" || cb.Header.Get("I-Twilio-Idempotency-Token") == "" {
			t.Errorf("headers %v", cb.Header)
		}
	}
	if hooks[0].Form.Has("RawDlrDoneDate") {
		t.Error("sent callback carries RawDlrDoneDate")
	}
	if !regexp.MustCompile(`^[0-9]{10}$`).MatchString(hooks[1].Form.Get("RawDlrDoneDate")) {
		t.Errorf("RawDlrDoneDate %q, want YYMMDDhhmm", hooks[1].Form.Get("RawDlrDoneDate"))
	}
}

func TestCallbackModes(t *testing.T) {
	tests := []struct {
		name  string
		mode  twiliosim.CallbackMode
		want  []string
		check func(t *testing.T, hooks []hook)
	}{
		{name: "duplicate", mode: twiliosim.CallbackMode{Duplicate: true}, want: []string{"sent", "sent", "delivered", "delivered"},
			check: func(t *testing.T, hooks []hook) {
				if hooks[0].Header.Get("I-Twilio-Idempotency-Token") != hooks[1].Header.Get("I-Twilio-Idempotency-Token") {
					t.Error("a duplicate callback has a new idempotency token")
				}
				if hooks[1].Header.Get("I-Twilio-Idempotency-Token") == hooks[2].Header.Get("I-Twilio-Idempotency-Token") {
					t.Error("different statuses share an idempotency token")
				}
			}},
		{name: "out of order", mode: twiliosim.CallbackMode{OutOfOrder: true}, want: []string{"delivered", "sent"}},
		{name: "out of order and duplicate", mode: twiliosim.CallbackMode{OutOfOrder: true, Duplicate: true}, want: []string{"delivered", "delivered", "sent", "sent"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			a := newApp(t, h.acct.AuthToken)
			if status := h.control(http.MethodPost, "/_sim/callbacks", tt.mode, nil); status != http.StatusOK {
				t.Fatalf("set mode: %d", status)
			}
			sendWithCallback(t, h, a, "+14155550123")
			hooks := collect(t, a, len(tt.want))
			a.none(t, 100*time.Millisecond)
			if got := statuses(hooks); !slices.Equal(got, tt.want) {
				t.Fatalf("callbacks %v, want %v", got, tt.want)
			}
			for _, cb := range hooks {
				if !cb.Valid {
					t.Error("invalid signature")
				}
			}
			if tt.check != nil {
				tt.check(t, hooks)
			}
		})
	}
}

func TestLateCallbacksLagTheStatus(t *testing.T) {
	h := newHarness(t)
	a := newApp(t, h.acct.AuthToken)
	if err := h.sim.SetCallbackMode(twiliosim.CallbackMode{DelayMS: 400}); err != nil {
		t.Fatal(err)
	}
	m := sendWithCallback(t, h, a, "+14155550123")
	h.waitStatus(m.SID, "delivered")
	a.none(t, 150*time.Millisecond) // the status is final, the callbacks are still on their way
	if got := statuses(collect(t, a, 2)); !slices.Equal(got, []string{"sent", "delivered"}) {
		t.Errorf("late callbacks %v", got)
	}
}

func TestDroppedCallbacksLeaveFetchAsTheOnlyWay(t *testing.T) {
	h := newHarness(t)
	a := newApp(t, h.acct.AuthToken)
	h.control(http.MethodPost, "/_sim/callbacks", map[string]any{"drop": true}, nil)
	m := sendWithCallback(t, h, a, "+14155550123")
	h.waitStatus(m.SID, "delivered")
	a.none(t, 200*time.Millisecond)

	var mode twiliosim.CallbackMode
	h.control(http.MethodGet, "/_sim/callbacks", nil, &mode)
	if !mode.Drop {
		t.Errorf("GET /_sim/callbacks = %+v", mode)
	}
}

func TestCallbackModeValidation(t *testing.T) {
	h := newHarness(t)
	for _, body := range []any{
		map[string]any{"delay_ms": -1},
		map[string]any{"delay": 5},
		"not an object",
	} {
		var out map[string]string
		if status := h.control(http.MethodPost, "/_sim/callbacks", body, &out); status != http.StatusBadRequest || out["error"] == "" {
			t.Errorf("%v: %d %v, want 400 with an error", body, status, out)
		}
	}
}
