package twiliosim_test

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/snoutos/snout/dev/twiliosim"
	"github.com/snoutos/snout/internal/twilio/provider"
)

func TestCreateFaults(t *testing.T) {
	tests := []struct {
		code       int
		wantStatus int
		wantClass  provider.Class
	}{
		{21211, 400, provider.Permanent},
		{21610, 400, provider.Permanent},
		{21614, 400, provider.Permanent},
		{21408, 400, provider.NeedsFix},
		{21611, 400, provider.Transient},
		{20429, 429, provider.Transient},
		{20500, 500, provider.Transient},
		{20503, 503, provider.Transient},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.wantStatus), func(t *testing.T) {
			h := newHarness(t)
			from := h.buy("", "").E164
			status := h.control(http.MethodPost, "/_sim/faults", map[string]any{"to": "+14155550123", "error_code": tt.code, "mode": "create"}, nil)
			if status != http.StatusCreated {
				t.Fatalf("install fault: %d", status)
			}
			_, err := h.client.SendMessage(ctx, provider.SendRequest{From: from, To: "+14155550123", Body: "hi"})
			apiError(t, err, tt.code, tt.wantStatus)
			if c := provider.Classify(err); c != tt.wantClass {
				t.Errorf("class %v, want %v", c, tt.wantClass)
			}
			// Other destinations are unaffected.
			if _, err := h.client.SendMessage(ctx, provider.SendRequest{From: from, To: "+14155550124", Body: "hi"}); err != nil {
				t.Errorf("send to another number: %v", err)
			}
		})
	}
}

func TestFaultTimesThenSuccess(t *testing.T) {
	h := newHarness(t)
	from := h.buy("", "").E164
	if err := h.sim.AddFault(twiliosim.Fault{To: "*", ErrorCode: 20503, Mode: twiliosim.FaultOnCreate, Times: 2}); err != nil {
		t.Fatal(err)
	}
	var codes []int
	for range 3 {
		_, err := h.client.SendMessage(ctx, provider.SendRequest{From: from, To: "+14155550123", Body: "retry me"})
		code := 0
		var pe *provider.Error
		if errorAs(err, &pe) {
			code = pe.Code
		} else if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, code)
	}
	if !slices.Equal(codes, []int{20503, 20503, 0}) {
		t.Errorf("results %v, want two 20503 failures then success", codes)
	}
	sends, _ := h.sim.Faults()
	if len(sends) != 0 {
		t.Errorf("used-up fault still installed: %+v", sends)
	}
}

func TestCallbackFaults(t *testing.T) {
	tests := []struct {
		name      string
		fault     map[string]any
		wantHooks []string
		wantFinal string
		wantCode  int
	}{
		{"unreachable handset", map[string]any{"error_code": 30003}, []string{"sent", "undelivered"}, "undelivered", 30003},
		{"landline", map[string]any{"error_code": 30006}, []string{"sent", "undelivered"}, "undelivered", 30006},
		{"carrier filter", map[string]any{"error_code": 30007}, []string{"sent", "undelivered"}, "undelivered", 30007},
		{"queue overflow never leaves", map[string]any{"error_code": 30001}, []string{"failed"}, "failed", 30001},
		{"status override", map[string]any{"error_code": 30008, "status": "failed"}, []string{"failed"}, "failed", 30008},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			a := newApp(t, h.acct.AuthToken)
			tt.fault["to"], tt.fault["mode"] = "+14155550123", "callback"
			if status := h.control(http.MethodPost, "/_sim/faults", tt.fault, nil); status != http.StatusCreated {
				t.Fatalf("install: %d", status)
			}
			m := sendWithCallback(t, h, a, "+14155550123")
			if m.Status != "queued" {
				t.Errorf("accepted as %s, want queued", m.Status)
			}
			hooks := collect(t, a, len(tt.wantHooks))
			a.none(t, 80*time.Millisecond)
			if got := statuses(hooks); !slices.Equal(got, tt.wantHooks) {
				t.Fatalf("callbacks %v, want %v", got, tt.wantHooks)
			}
			last := hooks[len(hooks)-1]
			if last.Form.Get("ErrorCode") != itoa(tt.wantCode) || !last.Valid {
				t.Errorf("final callback %v (valid %v)", last.Form, last.Valid)
			}
			got := h.waitStatus(m.SID, tt.wantFinal)
			if got.ErrorCode != tt.wantCode || got.ErrorMessage == "" {
				t.Errorf("fetched %+v, want error %d with a message", got, tt.wantCode)
			}
		})
	}
}

func TestDeleteFaultsRestoresSending(t *testing.T) {
	h := newHarness(t)
	from := h.buy("", "").E164
	h.control(http.MethodPost, "/_sim/faults", map[string]any{"to": "+14155550123", "error_code": 21614, "mode": "create"}, nil)
	var listed struct {
		Faults []twiliosim.Fault `json:"faults"`
	}
	h.control(http.MethodGet, "/_sim/faults", nil, &listed)
	if len(listed.Faults) != 1 || listed.Faults[0].ErrorCode != 21614 {
		t.Fatalf("listed %+v", listed)
	}
	if status := h.control(http.MethodDelete, "/_sim/faults", nil, nil); status != http.StatusNoContent {
		t.Fatalf("delete: %d", status)
	}
	if _, err := h.client.SendMessage(ctx, provider.SendRequest{From: from, To: "+14155550123", Body: "hi"}); err != nil {
		t.Errorf("send after clearing faults: %v", err)
	}
}

func TestNumberUpdateFault(t *testing.T) {
	h := newHarness(t)
	n := h.buy("", "")
	status := h.control(http.MethodPost, "/_sim/faults/numbers", map[string]any{"phone_number": n.E164, "mode": "update", "error_code": 20500}, nil)
	if status != http.StatusCreated {
		t.Fatalf("install: %d", status)
	}
	_, err := h.client.ConfigureNumber(ctx, n.SID, provider.NumberConfig{SMSURL: "https://snout.example/sms"})
	apiError(t, err, 20500, 500)
	if provider.Classify(err) != provider.Transient {
		t.Errorf("class %v", provider.Classify(err))
	}
	// A failed install changes nothing.
	owned, _ := h.client.ListOwnedNumbers(ctx, n.E164)
	if owned[0].SMSURL != "" {
		t.Errorf("failed update still set SMS URL %q", owned[0].SMSURL)
	}
	h.control(http.MethodDelete, "/_sim/faults/numbers", nil, nil)
	got, err := h.client.ConfigureNumber(ctx, n.SID, provider.NumberConfig{SMSURL: "https://snout.example/sms"})
	if err != nil || got.SMSURL != "https://snout.example/sms" {
		t.Errorf("after clearing: %+v, %v", got, err)
	}
}

func TestFaultValidation(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		path string
		body map[string]any
	}{
		{"/_sim/faults", map[string]any{"to": "+14155550123", "error_code": 21211, "mode": "sometimes"}},
		{"/_sim/faults", map[string]any{"to": "+14155550123", "mode": "create"}},
		{"/_sim/faults", map[string]any{"error_code": 21211, "mode": "create"}},
		{"/_sim/faults", map[string]any{"to": "+1", "error_code": 21211, "mode": "create", "times": -1}},
		{"/_sim/faults", map[string]any{"to": "+1", "error_code": 21211, "mode": "create", "status": "failed"}},
		{"/_sim/faults", map[string]any{"to": "+1", "error_code": 21211, "mode": "create", "colour": "red"}},
		{"/_sim/faults/numbers", map[string]any{"phone_number": "+14155550100", "mode": "create", "error_code": 1}},
		{"/_sim/faults/numbers", map[string]any{"mode": "update", "error_code": 1}},
	}
	for _, tt := range tests {
		var out map[string]string
		if status := h.control(http.MethodPost, tt.path, tt.body, &out); status != http.StatusBadRequest || out["error"] == "" {
			t.Errorf("POST %s %v: %d %v, want 400", tt.path, tt.body, status, out)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// A lost response: Twilio accepted the text, but the sender never hears
// so. The message exists (exactly once), is delivered, and listing the
// sender's messages to the client since today finds it by its body.
func TestLoseResponseFaultAcceptsButNeverAnswers(t *testing.T) {
	h := newHarness(t)
	from := h.buy("", "").E164
	to := "+14155550123"
	status := h.control(http.MethodPost, "/_sim/faults", map[string]any{"to": to, "mode": "lose_response", "times": 1}, nil)
	if status != http.StatusCreated {
		t.Fatalf("install fault: %d", status)
	}
	started := time.Now()
	_, err := h.client.SendMessage(ctx, provider.SendRequest{From: from, To: to, Body: "Milo ate his dinner."})
	if err == nil {
		t.Fatal("the send was answered although the response was to be lost")
	}
	var pe *provider.Error
	if errors.As(err, &pe) {
		t.Fatalf("got a Twilio error %v; want a transport failure (no answer at all)", pe)
	}
	if time.Since(started) > 3*time.Second {
		t.Errorf("losing the response took %v; the connection should close at once", time.Since(started))
	}
	stored := h.sim.Messages(to, from)
	if len(stored) != 1 || stored[0].Body != "Milo ate his dinner." {
		t.Fatalf("simulator holds %+v, want the one accepted text", stored)
	}
	listed, err := h.client.ListMessages(ctx, provider.MessageFilter{From: from, To: to, SentSince: started})
	if err != nil {
		t.Fatal(err)
	}
	if len(listed) != 1 || listed[0].SID != stored[0].SID || listed[0].Body != "Milo ate his dinner." || listed[0].From != from ||
		listed[0].DateCreated.IsZero() {
		t.Fatalf("listed %+v, want the accepted text with its body, sender and creation time", listed)
	}
	// The fault was for one send only: the next one is answered.
	if _, err := h.client.SendMessage(ctx, provider.SendRequest{From: from, To: to, Body: "Walk at 3."}); err != nil {
		t.Fatalf("second send: %v", err)
	}
	// A lose_response fault needs no error code; an unknown mode is refused.
	if err := h.sim.AddFault(twiliosim.Fault{To: "*", Mode: twiliosim.FaultLoseResponse}); err != nil {
		t.Errorf("lose_response without a code: %v", err)
	}
	if err := h.sim.AddFault(twiliosim.Fault{To: "*", Mode: "explode", ErrorCode: 1}); err == nil {
		t.Error("an unknown fault mode was accepted")
	}
}
