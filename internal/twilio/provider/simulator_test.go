package provider_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/snoutos/snout/dev/twiliosim"
	"github.com/snoutos/snout/internal/twilio/provider"
)

// simClient starts a simulator over HTTP and returns a client for its one
// account.
func simClient(t *testing.T, timeout time.Duration) (*twiliosim.Server, twiliosim.Account, *provider.Client) {
	t.Helper()
	acct := twiliosim.GenerateAccount("Happy Paws")
	acct.APIKeys = map[string]string{"SK0123456789abcdef0123456789abcdef": "keysecret"}
	sim := twiliosim.New(twiliosim.Options{Accounts: []twiliosim.Account{acct}, Logger: slog.New(slog.DiscardHandler)})
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	t.Cleanup(sim.Close)
	c, err := provider.New(provider.Credentials{AccountSID: acct.Sid, AuthToken: acct.AuthToken}, srv.URL, timeout)
	if err != nil {
		t.Fatal(err)
	}
	return sim, acct, c
}

// A full day of provisioning and texting through twilio-go over HTTP.
func TestClientAgainstSimulator(t *testing.T) {
	_, _, c := simClient(t, 0)
	ctx := context.Background()

	// api.twilio.com and pricing.twilio.com both reach the simulator.
	if a, err := c.FetchAccount(ctx); err != nil || a.SID != c.AccountSID() || a.Status != "active" {
		t.Fatalf("FetchAccount: %+v, %v", a, err)
	}
	if p, err := c.MonthlyPrice(ctx, "US", false); err != nil || p.Amount != "1.15" || p.Currency != "USD" {
		t.Fatalf("MonthlyPrice: %+v, %v", p, err)
	}
	if b, err := c.FetchBalance(ctx); err != nil || b.Amount == "" || b.Currency != "USD" {
		t.Fatalf("FetchBalance: %+v, %v", b, err)
	}

	found, err := c.SearchAvailable(ctx, provider.AvailableQuery{AreaCode: "503", Limit: 3})
	if err != nil || len(found) != 3 || found[0].Locality != "Portland" || !found[0].Capabilities.SMS {
		t.Fatalf("SearchAvailable: %+v, %v", found, err)
	}
	owned, err := c.BuyNumber(ctx, provider.BuyRequest{E164: found[0].E164, FriendlyName: "Front desk", SMSURL: "https://snout.example/sms"})
	if err != nil || owned.E164 != found[0].E164 || owned.SMSMethod != "POST" {
		t.Fatalf("BuyNumber: %+v, %v", owned, err)
	}
	if list, err := c.ListOwnedNumbers(ctx, owned.E164); err != nil || len(list) != 1 || list[0] != owned {
		t.Fatalf("ListOwnedNumbers: %+v, %v (want %+v)", list, err, owned)
	}
	cfg, err := c.ConfigureNumber(ctx, owned.SID, provider.NumberConfig{SMSURL: "https://snout.example/v2/sms"})
	if err != nil || cfg.SMSURL != "https://snout.example/v2/sms" || cfg.FriendlyName != "Front desk" {
		t.Fatalf("ConfigureNumber: %+v, %v", cfg, err)
	}

	sent, err := c.SendMessage(ctx, provider.SendRequest{From: owned.E164, To: "+14155550123", Body: "Milo's walk is booked for 3pm."})
	if err != nil || sent.Status != "queued" || sent.NumSegments != 1 {
		t.Fatalf("SendMessage: %+v, %v", sent, err)
	}
	deadline := time.Now().Add(3 * time.Second)
	for {
		m, err := c.FetchMessage(ctx, sent.SID)
		if err != nil {
			t.Fatal(err)
		}
		if m.Status == "delivered" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("message stuck in %s", m.Status)
		}
		time.Sleep(10 * time.Millisecond)
	}

	if err := c.ReleaseNumber(ctx, owned.SID); err != nil {
		t.Fatal(err)
	}
	var pe *provider.Error
	if err := c.ReleaseNumber(ctx, owned.SID); !errors.As(err, &pe) || pe.Code != 20404 || provider.Classify(err) != provider.Permanent {
		t.Errorf("second release: %v", err)
	}
}

func TestClientWithAPIKey(t *testing.T) {
	sim, acct, _ := simClient(t, 0)
	srv := httptest.NewServer(sim.Handler())
	defer srv.Close()
	c, err := provider.New(provider.Credentials{AccountSID: acct.Sid, APIKeySID: "SK0123456789abcdef0123456789abcdef", APIKeySecret: "keysecret"}, srv.URL, 0)
	if err != nil {
		t.Fatal(err)
	}
	if a, err := c.FetchAccount(context.Background()); err != nil || a.SID != acct.Sid {
		t.Errorf("FetchAccount with an API key: %+v, %v", a, err)
	}
}

func TestClientHonoursContextAndTimeout(t *testing.T) {
	sim, _, c := simClient(t, 0)
	if err := sim.SetLatency(2 * time.Second); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.FetchAccount(ctx)
	if !errors.Is(err, context.DeadlineExceeded) || provider.Classify(err) != provider.Transient {
		t.Errorf("err = %v (%v), want a transient deadline error", err, provider.Classify(err))
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("call ran %v past a 100ms deadline", d)
	}

	cancelled, stop := context.WithCancel(context.Background())
	stop()
	if _, err := c.FetchBalance(cancelled); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}

	// The client's own timeout applies when the caller sets none.
	sim2, _, c2 := simClient(t, 150*time.Millisecond)
	sim2.SetLatency(2 * time.Second)
	start = time.Now()
	if _, err := c2.FetchAccount(context.Background()); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("client timeout: %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("client timeout of 150ms took %v", d)
	}
}

// A proxy in front of Twilio answering HTML still yields a classifiable error.
func TestNonTwilioErrorBodies(t *testing.T) {
	tests := []struct {
		status    int
		body      string
		wantClass provider.Class
	}{
		{http.StatusBadGateway, "<html>bad gateway</html>", provider.Transient},
		{http.StatusTooManyRequests, `{"code":20429,"message":"Too Many Requests"}`, provider.Transient},
		{http.StatusForbidden, "forbidden", provider.NeedsFix},
	}
	for _, tt := range tests {
		proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(tt.status)
			w.Write([]byte(tt.body))
		}))
		c, err := provider.New(provider.Credentials{AccountSID: "AC0123456789abcdef0123456789abcdef", AuthToken: "tok"}, proxy.URL, 0)
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.FetchAccount(context.Background())
		var pe *provider.Error
		if !errors.As(err, &pe) || pe.HTTPStatus != tt.status || provider.Classify(err) != tt.wantClass {
			t.Errorf("HTTP %d %q: err %v (class %v), want HTTP status kept and %v", tt.status, tt.body, err, provider.Classify(err), tt.wantClass)
		}
		if pe != nil && !strings.Contains(pe.Error(), "HTTP") {
			t.Errorf("error text %q", pe.Error())
		}
		proxy.Close()
	}
}

func TestLocalValidationNeverCallsTwilio(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	c, _ := provider.New(provider.Credentials{AccountSID: "AC0123456789abcdef0123456789abcdef", AuthToken: "tok"}, srv.URL, 0)
	ctx := context.Background()
	tests := []struct {
		name     string
		call     func() error
		wantCode int
	}{
		{"message SID", func() error { _, err := c.FetchMessage(ctx, "../Balance"); return err }, 20404},
		{"number SID", func() error { _, err := c.ConfigureNumber(ctx, "PN1", provider.NumberConfig{}); return err }, 20404},
		{"release SID", func() error { return c.ReleaseNumber(ctx, "") }, 20404},
		{"area code", func() error {
			_, err := c.SearchAvailable(ctx, provider.AvailableQuery{AreaCode: "41"})
			return err
		}, 21451},
		{"buy with both", func() error {
			_, err := c.BuyNumber(ctx, provider.BuyRequest{E164: "+14155550100", AreaCode: "415"})
			return err
		}, 21421},
		{"country", func() error { _, err := c.MonthlyPrice(ctx, "USA", false); return err }, 20404},
	}
	for _, tt := range tests {
		var pe *provider.Error
		if err := tt.call(); !errors.As(err, &pe) || pe.Code != tt.wantCode {
			t.Errorf("%s: %v, want code %d", tt.name, err, tt.wantCode)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("%d requests reached the server", n)
	}
}

// Listing messages through twilio-go: filtered by sender and recipient,
// newest first, with what a caller matches on (body, time, direction), a
// limit across pages, and the sent-since day.
func TestListMessagesAgainstSimulator(t *testing.T) {
	_, _, c := simClient(t, 0)
	ctx := context.Background()
	owned, err := c.BuyNumber(ctx, provider.BuyRequest{AreaCode: "415"})
	if err != nil {
		t.Fatal(err)
	}
	before := time.Now().Add(-time.Second)
	var sids []string
	for _, body := range []string{"first", "second", "third"} {
		m, err := c.SendMessage(ctx, provider.SendRequest{From: owned.E164, To: "+14155550123", Body: body})
		if err != nil {
			t.Fatal(err)
		}
		sids = append(sids, m.SID)
	}
	if _, err := c.SendMessage(ctx, provider.SendRequest{From: owned.E164, To: "+14155550124", Body: "someone else"}); err != nil {
		t.Fatal(err)
	}
	list, err := c.ListMessages(ctx, provider.MessageFilter{From: owned.E164, To: "+14155550123", SentSince: before})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 3 || list[0].SID != sids[2] || list[0].Body != "third" || list[2].Body != "first" {
		t.Fatalf("listed %+v, want the three texts to +14155550123, newest first", list)
	}
	for _, m := range list {
		if m.From != owned.E164 || m.To != "+14155550123" || m.Direction != "outbound-api" || m.DateCreated.Before(before.Truncate(time.Second)) {
			t.Errorf("listed %+v: want sender, recipient, direction and creation time filled in", m)
		}
	}
	if two, err := c.ListMessages(ctx, provider.MessageFilter{From: owned.E164, Limit: 2}); err != nil || len(two) != 2 {
		t.Errorf("limit 2: %d messages, %v", len(two), err)
	}
	if later, err := c.ListMessages(ctx, provider.MessageFilter{From: owned.E164, SentSince: time.Now().Add(48 * time.Hour)}); err != nil || len(later) != 0 {
		t.Errorf("sent since the day after tomorrow: %d messages, %v", len(later), err)
	}
}
