package api_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/snoutos/snout/api"
)

// withConfig changes the harness's configuration before the server is built.
func withConfig(f func(*api.Deps)) func(*api.Deps) { return f }

func TestASessionThatFloodsTheAPIIsToldToWait(t *testing.T) {
	h := newHarness(t, withConfig(func(d *api.Deps) { d.Config.APIRatePerSession = 1; d.Config.APIRatePerIP = 0 }))
	token := h.login("owner@demo.test")
	other := h.login("admin@demo.test")
	// A rate of 1/s lets a burst of 5 through, then refuses.
	for i := 0; i < 5; i++ {
		if r := h.do("GET", "/api/v1/auth/me", token, nil); r.Status != http.StatusOK {
			t.Fatalf("request %d of the burst: %d %s", i+1, r.Status, r.Body)
		}
	}
	r := h.do("GET", "/api/v1/auth/me", token, nil)
	if r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") != "1" {
		t.Fatalf("sixth request: %d, Retry-After %q, want 429 with Retry-After 1", r.Status, r.Header.Get("Retry-After"))
	}
	var body api.ErrorBody
	r.json(t, &body)
	if body.Error.Code != "rate_limited" || !strings.Contains(body.Error.Message, "Wait a moment") {
		t.Errorf("refusal %+v", body.Error)
	}
	// Another session from the same address is not held back by it.
	if r := h.do("GET", "/api/v1/auth/me", other, nil); r.Status != http.StatusOK {
		t.Errorf("another session: %d, want 200", r.Status)
	}
}

func TestAnAddressThatFloodsTheAPIIsToldToWait(t *testing.T) {
	h := newHarness(t, withConfig(func(d *api.Deps) { d.Config.APIRatePerSession = 0; d.Config.APIRatePerIP = 2 }))
	got := 0
	for i := 0; i < 11; i++ {
		r := h.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "nobody@demo.test", "password": "x"})
		if r.Status == http.StatusTooManyRequests {
			if r.Header.Get("Retry-After") == "" {
				t.Error("429 without Retry-After")
			}
			got++
		}
	}
	if got == 0 {
		t.Fatal("11 requests at once from one address at 2/s (burst 10) were all let through")
	}
	// Webhooks are not API requests: Twilio is never rate-limited here.
	if r := h.do("GET", "/healthz", "", nil); r.Status != http.StatusOK {
		t.Errorf("healthz: %d", r.Status)
	}
}

func TestABodyLargerThanTheLimitIsRefusedAndNamed(t *testing.T) {
	h := newHarness(t)
	big := append(append([]byte(`{"email":"`), bytes.Repeat([]byte("a"), 2<<20)...), `","password":"x"}`...)
	req, _ := http.NewRequest("POST", h.srv.URL+"/api/v1/auth/login", bytes.NewReader(big))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("2 MiB login body: %d, want 413", resp.StatusCode)
	}
	// Without a declared length the read is cut short and still answered 413.
	req, _ = http.NewRequest("POST", h.srv.URL+"/api/v1/auth/login", struct{ *bytes.Reader }{bytes.NewReader(big)})
	req.Header.Set("Content-Type", "application/json")
	req.ContentLength = -1
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("chunked 2 MiB login body: %d, want 413", resp.StatusCode)
	}
}

func TestOnlyTheDashboardsOriginMayCallTheAPI(t *testing.T) {
	h := newHarness(t, withConfig(func(d *api.Deps) { d.Config.CORSOrigins = []string{"http://localhost:5173"} }))
	token := h.login("owner@demo.test")

	// A preflight from the dev front end is answered with its origin.
	r := h.do("OPTIONS", "/api/v1/auth/logout", "", nil, "Origin", "http://localhost:5173", "Access-Control-Request-Method", "POST")
	if r.Status != http.StatusNoContent || r.Header.Get("Access-Control-Allow-Origin") != "http://localhost:5173" ||
		!strings.Contains(r.Header.Get("Access-Control-Allow-Headers"), "X-CSRF-Token") {
		t.Errorf("preflight from an allowed origin: %d %v", r.Status, r.Header)
	}
	// Another site gets no CORS headers on a read, and its write is refused.
	r = h.do("GET", "/api/v1/auth/me", token, nil, "Origin", "https://evil.example")
	if r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("a foreign origin was allowed: %v", r.Header)
	}
	r = h.do("POST", "/api/v1/auth/logout", token, nil, "Origin", "https://evil.example")
	if r.Status != http.StatusForbidden {
		t.Errorf("write from a foreign origin: %d, want 403", r.Status)
	}
	if r := h.do("GET", "/api/v1/auth/me", token, nil); r.Status != http.StatusOK {
		t.Errorf("the refused logout signed the session out: %d", r.Status)
	}
	// The dashboard itself (same host) is allowed.
	host := strings.TrimPrefix(h.srv.URL, "http://")
	r = h.do("POST", "/api/v1/auth/logout", token, nil, "Origin", "http://"+host)
	if r.Status != http.StatusNoContent {
		t.Errorf("logout from the dashboard's origin: %d %s", r.Status, r.Body)
	}
}
