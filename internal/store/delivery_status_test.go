package store_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/dev/seed"
	"github.com/snoutos/snout/dev/testenv"
	"github.com/snoutos/snout/internal/domain/message"
	"github.com/snoutos/snout/internal/platform/config"
	"github.com/snoutos/snout/internal/store"
)

// TestDeliveryStatusRankMatchesContract: the SQL function the store's
// forward-only updates use ranks every status exactly as contract.StatusRank
// does, and so do statuses outside the order.
func TestDeliveryStatusRankMatchesContract(t *testing.T) {
	db, _ := testenv.DB(t)
	ctx := context.Background()
	statuses := append(contract.DeliveryStatuses(), "", "received", "receiving", "blocked", "discarded", "partially_delivered", "Delivered")
	for _, s := range statuses {
		var rank int
		if err := db.NewRaw("SELECT delivery_status_rank(?)", s).Scan(ctx, &rank); err != nil {
			t.Fatal(err)
		}
		if want := contract.StatusRank(s); rank != want {
			t.Errorf("delivery_status_rank(%q) = %d, contract.StatusRank = %d", s, rank, want)
		}
	}
}

// statusFixture is one outbound message of the demo org whose first attempt
// the provider accepted with SID "SM…".
type statusFixture struct {
	ctx context.Context
	org *store.OrgStore
	msg uuid.UUID
	sid string
}

func newStatusFixture(t *testing.T, firstStatus string) *statusFixture {
	t.Helper()
	db, dsn := testenv.DB(t)
	env := map[string]string{"DATABASE_URL": dsn, "SNOUT_DEMO_PASSWORD": "demo-password-123", "SNOUT_DATA_DIR": t.TempDir()}
	cfg, err := config.FromLookup(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	demo, err := seed.Demo(ctx, db, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	org := store.New(db).Org(demo.OrgID)
	now := time.Now()
	m := &store.Message{ID: store.NewID(), OrgID: demo.OrgID, ThreadID: seed.ID("thread/emerson-front"), Direction: store.DirectionOutbound,
		SenderType: store.SenderOwner, Body: "See you at 8.", Media: []message.MediaItem{}, FromE164: seed.FrontDeskNumber, ToE164: "+16505550105",
		Status: store.StatusPending, CreatedAt: now, UpdatedAt: now}
	if err := org.CreateOutboundMessage(ctx, m); err != nil {
		t.Fatal(err)
	}
	if err := org.BeginAttempt(ctx, m.ID, 1, message.TriggerAutomatic, now); err != nil {
		t.Fatal(err)
	}
	f := &statusFixture{ctx: ctx, org: org, msg: m.ID, sid: "SM" + uuid.NewString()[:8] + "0123456789abcdef0123456789"}
	if err := org.RecordAttemptAccepted(ctx, m.ID, 1, f.sid, firstStatus, now); err != nil {
		t.Fatalf("recording an attempt accepted as %q: %v", firstStatus, err)
	}
	return f
}

func (f *statusFixture) apply(t *testing.T, status string, at time.Time) bool {
	t.Helper()
	_, changed, err := f.org.ApplyProviderStatus(f.ctx, store.ProviderStatusUpdate{ProviderSID: f.sid, Status: status, At: at})
	if err != nil {
		t.Fatalf("applying %q: %v", status, err)
	}
	return changed
}

// state is the message's status and its attempt's status and finish time.
func (f *statusFixture) state(t *testing.T) (msgStatus, attemptStatus string, finishedAt *time.Time) {
	t.Helper()
	m, err := f.org.OutboundMessage(f.ctx, f.msg)
	if err != nil {
		t.Fatal(err)
	}
	atts, err := f.org.MessageAttempts(f.ctx, f.msg)
	if err != nil || len(atts) != 1 {
		t.Fatalf("attempts %+v, %v", atts, err)
	}
	return m.Status, atts[0].Status, atts[0].FinishedAt
}

// TestApplyProviderStatusEveryFinalStatus: every final status of the order
// (canceled and read too) lands on the message and closes its attempt,
// and a late report of an earlier status changes nothing.
func TestApplyProviderStatusEveryFinalStatus(t *testing.T) {
	base := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name, first string
		reports     []string
		want        string
		finishedBy  int // index of the report whose time is the finish time
	}{
		{"delivered then read", "queued", []string{"sent", "delivered", "read"}, "read", 1},
		{"undelivered", "queued", []string{"sending", "undelivered"}, "undelivered", 1},
		{"failed", "queued", []string{"failed"}, "failed", 0},
		{"scheduled then canceled", "scheduled", []string{"canceled"}, "canceled", 0},
		{"accepted by a Messaging Service then delivered", "accepted", []string{"queued", "sent", "delivered"}, "delivered", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newStatusFixture(t, tc.first)
			if msg, att, _ := f.state(t); msg != tc.first || att != tc.first {
				t.Fatalf("after acceptance: message %q, attempt %q, want %q", msg, att, tc.first)
			}
			for i, s := range tc.reports {
				if !f.apply(t, s, base.Add(time.Duration(i)*time.Minute)) {
					t.Errorf("%q after %v changed nothing", s, tc.reports[:i])
				}
			}
			msg, att, finished := f.state(t)
			if msg != tc.want || att != tc.want {
				t.Errorf("message %q, attempt %q, want %q", msg, att, tc.want)
			}
			if want := base.Add(time.Duration(tc.finishedBy) * time.Minute); finished == nil || !finished.Equal(want) {
				t.Errorf("attempt finished at %v, want %v (when it first reached a final status)", finished, want)
			}
			for _, late := range []string{"queued", "sent", tc.reports[len(tc.reports)-1]} {
				if f.apply(t, late, base.Add(time.Hour)) {
					t.Errorf("a late %q after %q changed the message", late, tc.want)
				}
			}
			if msg, att, _ := f.state(t); msg != tc.want || att != tc.want {
				t.Errorf("after late reports: message %q, attempt %q, want %q", msg, att, tc.want)
			}
		})
	}
}
