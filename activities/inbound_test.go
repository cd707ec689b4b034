package activities_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/snoutos/snout/activities"
	"github.com/snoutos/snout/dev/seed"
	"github.com/snoutos/snout/dev/testenv"
	"github.com/snoutos/snout/dev/twiliosim"
	"github.com/snoutos/snout/internal/domain/routing"
	"github.com/snoutos/snout/internal/platform/config"
	"github.com/snoutos/snout/internal/platform/secrets"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/internal/twilio/orgprovider"
	"github.com/snoutos/snout/internal/twilio/provider"
	"github.com/snoutos/snout/workflows/steps"
)

// inboundActs returns the real activities over a fresh database holding
// the demo seed, with the demo account's numbers in a Twilio simulator.
func inboundActs(t *testing.T) (*activities.Activities, *twiliosim.Server, uuid.UUID) {
	t.Helper()
	bdb, dsn := testenv.DB(t)
	env := map[string]string{"DATABASE_URL": dsn, "SNOUT_DEMO_PASSWORD": "demo-password-123", "SNOUT_DATA_DIR": t.TempDir(),
		"SNOUT_PUBLIC_URL": "http://127.0.0.1:1"}
	cfg, err := config.FromLookup(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	demo, err := seed.Demo(context.Background(), bdb, cfg, quiet)
	if err != nil {
		t.Fatal(err)
	}
	sim := twiliosim.New(twiliosim.Options{Logger: quiet})
	simSrv := httptest.NewServer(sim.Handler())
	t.Cleanup(func() { simSrv.Close(); sim.Close() })
	if err := sim.AddAccount(twiliosim.Account{Sid: cfg.DemoTwilioAccountSID, AuthToken: cfg.DemoTwilioAuthToken}); err != nil {
		t.Fatal(err)
	}
	pc, err := provider.New(provider.Credentials{AccountSID: cfg.DemoTwilioAccountSID, AuthToken: cfg.DemoTwilioAuthToken}, simSrv.URL, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{seed.FrontDeskNumber, seed.SamNumber} {
		if _, err := pc.BuyNumber(context.Background(), provider.BuyRequest{E164: n}); err != nil {
			t.Fatal(err)
		}
	}
	st := store.New(bdb)
	box, _ := secrets.NewBox(cfg.EncryptionKeys)
	return &activities.Activities{Config: cfg, Store: st, Providers: orgprovider.New(st, box, simSrv.URL), Log: quiet}, sim, demo.OrgID
}

func countRows(t *testing.T, a *activities.Activities, query string, args ...any) int {
	t.Helper()
	var n int
	if err := a.Store.DB().NewRaw(query, args...).Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A retried StoreInboundMessage (the worker died after the commit) stores
// nothing twice and does not count the text as unread twice.
func TestStoreInboundMessageRetryCountsOnce(t *testing.T) {
	a, _, org := inboundActs(t)
	ctx := context.Background()
	threadID := seed.ID("thread/avery-sam")
	sam := seed.ID("sitter/sam")
	var before store.Thread
	if err := a.Store.DB().NewSelect().Model(&before).Where("id = ?", threadID).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	in := steps.StoreInboundMessageInput{OrgID: org, ThreadID: threadID, NumberID: seed.ID("number/sam"),
		Text: steps.InboundText{MessageSID: "SM" + "0123456789abcdef0123456789abcdef", From: "+16505550101", To: seed.SamNumber,
			Body: "Back at 6", CorrelationID: "req-1"},
		Routing:  routing.Trace{Rule: routing.RuleSitterWindow, Target: routing.TraceTarget{Kind: "sitter", SitterID: &sam}},
		SitterID: &sam, ReceivedAt: time.Now()}
	first, err := a.StoreInboundMessage(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	second, err := a.StoreInboundMessage(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if !first.Inserted || second.Inserted || first.MessageID != second.MessageID {
		t.Fatalf("first %+v second %+v: want one message, found again on retry", first, second)
	}
	var after store.Thread
	if err := a.Store.DB().NewSelect().Model(&after).Where("id = ?", threadID).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	if after.SitterUnreadCount != before.SitterUnreadCount+1 || after.OwnerUnreadCount != before.OwnerUnreadCount {
		t.Fatalf("sitter unread %d→%d owner %d→%d", before.SitterUnreadCount, after.SitterUnreadCount, before.OwnerUnreadCount, after.OwnerUnreadCount)
	}
	if after.LastMessagePreview != "Back at 6" {
		t.Fatalf("preview %q", after.LastMessagePreview)
	}
}

// Five texts from a new number racing (or one activity retried) make one
// client and one "client.created" event.
func TestResolveInboundClientCreatesOnce(t *testing.T) {
	a, _, org := inboundActs(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	results := make([]steps.InboundClient, 5)
	errs := make([]error, 5)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = a.ResolveInboundClient(ctx, steps.ResolveInboundClientInput{OrgID: org, From: "+1 (650) 555-0188", MessageSID: "SMsame"})
		}()
	}
	wg.Wait()
	created := 0
	for i, r := range results {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if r.ClientID != results[0].ClientID || r.E164 != "+16505550188" {
			t.Fatalf("results differ: %+v", results)
		}
		if r.Created {
			created++
		}
	}
	if created != 1 || countRows(t, a, "SELECT count(*) FROM clients WHERE phone_e164 = '+16505550188'") != 1 {
		t.Fatalf("created %d times", created)
	}
	if n := countRows(t, a, "SELECT count(*) FROM audit_events WHERE action = 'client.created' AND entity_id = ?", results[0].ClientID.String()); n != 1 {
		t.Fatalf("%d client.created events", n)
	}
	// Not a phone number: a permanent failure, no client.
	if _, err := a.ResolveInboundClient(ctx, steps.ResolveInboundClientInput{OrgID: org, From: "HappyTails", MessageSID: "SMx"}); err == nil {
		t.Fatal("an alphanumeric sender became a client")
	}
}

// A retried SendHelpReply does not text the client twice.
func TestSendHelpReplyIsIdempotent(t *testing.T) {
	a, sim, org := inboundActs(t)
	ctx := context.Background()
	in := steps.HelpReplyInput{OrgID: org, ThreadID: seed.ID("thread/emerson-front"), ClientE164: "+16505550105",
		NumberE164: seed.FrontDeskNumber, MessageSID: "SMhelp"}
	first, err := a.SendHelpReply(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	second, err := a.SendHelpReply(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if first.ProviderSID == "" || first.ProviderSID != second.ProviderSID || first.MessageID != activities.HelpReplyMessageID("SMhelp") {
		t.Fatalf("first %+v second %+v", first, second)
	}
	if sent := sim.Messages("+16505550105", seed.FrontDeskNumber); len(sent) != 1 {
		t.Fatalf("the client got %d help texts", len(sent))
	}
	if n := countRows(t, a, "SELECT count(*) FROM message_attempts WHERE message_id = ?", first.MessageID); n != 1 {
		t.Fatalf("%d attempts recorded", n)
	}
}

// A window that was ended early is not in force, whatever its planned end.
func TestLoadRoutingContextEndsEarlyEndedWindows(t *testing.T) {
	a, _, org := inboundActs(t)
	ctx := context.Background()
	now := time.Now()
	if _, err := a.Store.DB().NewRaw("UPDATE assignment_windows SET status = 'ended' WHERE id = ?", seed.ID("window/sam-avery")).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	sam := seed.ID("sitter/sam")
	rc, err := a.LoadRoutingContext(ctx, steps.RoutingContextInput{OrgID: org, ThreadID: seed.ID("thread/avery-sam"),
		ClientID: seed.ID("client/avery"), Around: now, NumberSitterID: &sam})
	if err != nil {
		t.Fatal(err)
	}
	d := routing.Decide(routing.Input{Now: now, ClientID: seed.ID("client/avery").String(),
		Number: routing.Number{Class: routing.ClassSitter, SitterID: sam.String()}, Windows: rc.Windows, Overrides: rc.Overrides})
	if d.Target.Kind != routing.TargetOwnerInbox {
		t.Fatalf("an ended window still routed to %+v", d.Target)
	}
	if len(rc.Sitters) != 1 || rc.Sitters[0].Name != "Sam Patel" {
		t.Fatalf("sitter names %+v", rc.Sitters)
	}
}
