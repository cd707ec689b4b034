package twiliosim_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/snoutos/snout/dev/twiliosim"
	"github.com/snoutos/snout/internal/twilio/provider"
)

// restart stops h's simulator and starts a new one on the same state file
// and accounts, returning it, its URL and a client for h's account.
func restart(t *testing.T, h *harness, path string) (*twiliosim.Server, string, *provider.Client) {
	t.Helper()
	h.sim.Close()
	sim := twiliosim.New(twiliosim.Options{Accounts: []twiliosim.Account{h.acct}, StatePath: path, Logger: quietLogger()})
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	t.Cleanup(sim.Close)
	c, err := provider.New(provider.Credentials{AccountSID: h.acct.Sid, AuthToken: h.acct.AuthToken}, srv.URL, 0)
	if err != nil {
		t.Fatal(err)
	}
	return sim, srv.URL, c
}

func TestStateSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "twilio.json")
	h := newHarness(t, func(o *twiliosim.Options) { o.StatePath = path })
	extra := twiliosim.GenerateAccount("Added later")
	if err := h.sim.AddAccount(extra); err != nil {
		t.Fatal(err)
	}
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close() // the app is down: the STOP below still counts
	n := h.buy("+14155550100", gone.URL+"/sms")
	sent, err := h.client.SendMessage(ctx, provider.SendRequest{From: n.E164, To: "+14155550123", Body: "Walk done"})
	if err != nil {
		t.Fatal(err)
	}
	h.waitStatus(sent.SID, "delivered")
	res, _ := h.sim.DeliverInbound(context.Background(), twiliosim.InboundRequest{From: "+14155550124", To: n.E164, Body: "STOP"})
	if res.Keyword != "STOP" {
		t.Fatalf("inbound STOP: %+v", res)
	}

	sim, simURL, client := restart(t, h, path)

	owned, err := client.ListOwnedNumbers(ctx, "")
	if err != nil || len(owned) != 1 || owned[0].SID != n.SID || owned[0].SMSURL != gone.URL+"/sms" {
		t.Fatalf("owned after restart: %+v, %v", owned, err)
	}
	got, err := client.FetchMessage(ctx, sent.SID)
	if err != nil || got.Status != "delivered" {
		t.Errorf("message after restart: %+v, %v", got, err)
	}
	_, err = client.SendMessage(ctx, provider.SendRequest{From: n.E164, To: "+14155550124", Body: "hi"})
	apiError(t, err, 21610, 400)
	if msgs := sim.Messages("", ""); len(msgs) != 2 { // the delivered text and the STOP; the refused send is not stored
		t.Errorf("messages after restart: %+v", msgs)
	}
	// An account added at run time (not in Options) is back too.
	extraClient, err := provider.New(provider.Credentials{AccountSID: extra.Sid, AuthToken: extra.AuthToken}, simURL, 0)
	if err != nil {
		t.Fatal(err)
	}
	if a, err := extraClient.FetchAccount(ctx); err != nil || a.FriendlyName != "Added later" {
		t.Errorf("runtime account after restart: %+v, %v", a, err)
	}
}

func TestInterruptedDeliveryResumes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "twilio.json")
	h := newHarness(t, func(o *twiliosim.Options) { o.StatePath = path })
	n := h.buy("", "")
	sent, err := h.client.SendMessage(ctx, provider.SendRequest{From: n.E164, To: "+14155550123", Body: "hi"})
	if err != nil {
		t.Fatal(err)
	}
	_, _, client := restart(t, h, path) // closes at once, mid-delivery
	deadline := 3 * 100
	for i := 0; ; i++ {
		m, err := client.FetchMessage(ctx, sent.SID)
		if err != nil {
			t.Fatal(err)
		}
		if m.Status == "delivered" {
			break
		}
		if i == deadline {
			t.Fatalf("message stuck in %s after restart", m.Status)
		}
		sleepMS(10)
	}
}

func TestCorruptStateIsMovedAside(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "twilio.json")
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, func(o *twiliosim.Options) { o.StatePath = path })
	if _, err := h.client.FetchAccount(ctx); err != nil {
		t.Fatalf("simulator with a corrupt state file does not serve: %v", err)
	}
	aside, _ := filepath.Glob(path + ".corrupt-*")
	if len(aside) != 1 {
		t.Fatalf("corrupt file not kept aside: %v", aside)
	}
	if data, _ := os.ReadFile(aside[0]); string(data) != "{not json" {
		t.Errorf("aside file holds %q", data)
	}
	h.sim.Close()
	if _, err := os.Stat(path); err != nil {
		t.Errorf("fresh state not written: %v", err)
	}
}
