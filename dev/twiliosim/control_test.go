package twiliosim_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/snoutos/snout/dev/twiliosim"
	"github.com/snoutos/snout/internal/twilio/provider"
)

func sleepMS(n int) { time.Sleep(time.Duration(n) * time.Millisecond) }

func TestHealthz(t *testing.T) {
	h := newHarness(t)
	var out map[string]string
	if status := h.control(http.MethodGet, "/_sim/healthz", nil, &out); status != http.StatusOK || out["status"] != "ok" {
		t.Errorf("%d %v", status, out)
	}
	if status := h.control(http.MethodGet, "/_sim/nope", nil, &out); status != http.StatusNotFound || out["error"] == "" {
		t.Errorf("unknown control route: %d %v", status, out)
	}
}

func TestLatency(t *testing.T) {
	h := newHarness(t)
	if status := h.control(http.MethodPost, "/_sim/latency", map[string]int{"ms": 300}, nil); status != http.StatusOK {
		t.Fatalf("set latency: %d", status)
	}
	start := time.Now()
	if _, err := h.client.FetchBalance(ctx); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Errorf("call took %v with 300ms latency", d)
	}

	// The caller's deadline cuts the call short and reads as transient.
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	start = time.Now()
	_, err := h.client.FetchBalance(short)
	if !errors.Is(err, context.DeadlineExceeded) || provider.Classify(err) != provider.Transient {
		t.Errorf("err %v (class %v), want a transient deadline error", err, provider.Classify(err))
	}
	if d := time.Since(start); d > 250*time.Millisecond {
		t.Errorf("cancelled call took %v", d)
	}

	var bad map[string]string
	if status := h.control(http.MethodPost, "/_sim/latency", map[string]int{"ms": -5}, &bad); status != http.StatusBadRequest {
		t.Errorf("negative latency: %d %v", status, bad)
	}
	// Control routes are never delayed.
	start = time.Now()
	h.control(http.MethodGet, "/_sim/healthz", nil, nil)
	if time.Since(start) > 200*time.Millisecond {
		t.Error("control API delayed by REST latency")
	}
}

func TestMessagesAndReset(t *testing.T) {
	h := newHarness(t)
	from := h.buy("", "").E164
	for _, to := range []string{"+14155550123", "+14155550124", "+14155550123"} {
		if _, err := h.client.SendMessage(ctx, provider.SendRequest{From: from, To: to, Body: "hi"}); err != nil {
			t.Fatal(err)
		}
	}
	var out struct {
		Messages []twiliosim.Message `json:"messages"`
	}
	h.control(http.MethodGet, "/_sim/messages?to=%2B14155550123", nil, &out)
	if len(out.Messages) != 2 || out.Messages[0].To != "+14155550123" || out.Messages[0].From != from || out.Messages[0].Direction != "outbound-api" {
		t.Errorf("messages %+v", out.Messages)
	}
	h.control(http.MethodGet, "/_sim/messages?from="+from[1:], nil, &out) // "+" lost: no match
	if len(out.Messages) != 0 {
		t.Errorf("filter without + matched %d", len(out.Messages))
	}

	h.sim.AddFault(twiliosim.Fault{To: "*", ErrorCode: 21211, Mode: twiliosim.FaultOnCreate})
	h.sim.SetLatency(10 * time.Millisecond)
	if status := h.control(http.MethodPost, "/_sim/reset", nil, nil); status != http.StatusNoContent {
		t.Fatalf("reset: %d", status)
	}
	h.control(http.MethodGet, "/_sim/messages", nil, &out)
	owned, err := h.client.ListOwnedNumbers(ctx, "")
	sends, _ := h.sim.Faults()
	if len(out.Messages) != 0 || err != nil || len(owned) != 0 || len(sends) != 0 {
		t.Errorf("after reset: %d messages, %d numbers (%v), %d faults", len(out.Messages), len(owned), err, len(sends))
	}
	if _, err := h.client.FetchAccount(ctx); err != nil {
		t.Errorf("account lost on reset: %v", err)
	}
}

func TestClosedSimulator(t *testing.T) {
	h := newHarness(t)
	h.sim.Close()
	h.sim.Close() // idempotent
	_, err := h.client.FetchAccount(ctx)
	apiError(t, err, 20503, 503)
	var out map[string]string
	if status := h.control(http.MethodGet, "/_sim/healthz", nil, &out); status != http.StatusServiceUnavailable || out["error"] == "" {
		t.Errorf("healthz after Close: %d %v", status, out)
	}
	if _, err := h.sim.DeliverInbound(ctx, twiliosim.InboundRequest{From: "+14155550123", To: "+14155550100", Body: "hi"}); !errors.Is(err, twiliosim.ErrClosed) {
		t.Errorf("DeliverInbound after Close: %v", err)
	}
}

func TestAddAccountValidation(t *testing.T) {
	h := newHarness(t)
	good := twiliosim.GenerateAccount("ok")
	tests := []struct {
		name    string
		mutate  func(*twiliosim.Account)
		wantErr bool
	}{
		{"valid", func(*twiliosim.Account) {}, false},
		{"short SID", func(a *twiliosim.Account) { a.Sid = "AC123" }, true},
		{"no token", func(a *twiliosim.Account) { a.AuthToken = "" }, true},
		{"bad status", func(a *twiliosim.Account) { a.Status = "frozen" }, true},
		{"bad key", func(a *twiliosim.Account) { a.APIKeys = map[string]string{"KEY": "x"} }, true},
	}
	for _, tt := range tests {
		a := good
		tt.mutate(&a)
		if err := h.sim.AddAccount(a); (err != nil) != tt.wantErr {
			t.Errorf("%s: err %v, wantErr %v", tt.name, err, tt.wantErr)
		}
	}
}
