package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/snoutos/snout/api"
	"github.com/snoutos/snout/internal/store"
)

func init() {
	allow(map[string][]string{
		"GET /api/v1/inbox/counts":         everyone,
		"PUT /api/v1/settings/diagnostics": ownerOnly,
	})
}

func TestMeCarriesWhatTheShellNeeds(t *testing.T) {
	h := newHarness(t)
	owner := h.login("owner@demo.test")
	var me api.SessionView
	h.do("GET", "/api/v1/auth/me", owner, nil).json(t, &me)
	if me.Org.Name != "Happy Tails Pet Sitting" || me.Org.TimeZone != "America/Los_Angeles" || me.Role != "owner" ||
		me.User.Name != "Morgan Reyes" || me.Diagnostics {
		t.Fatalf("owner's /me = %+v, want the org's name and zone, the role, the display name and diagnostics off", me)
	}

	if r := h.do("PUT", "/api/v1/settings/diagnostics", owner, map[string]bool{"enabled": true}); r.Status != http.StatusOK ||
		!strings.Contains(string(r.Body), `"enabled":true`) {
		t.Fatalf("turning diagnostics on = %d %s", r.Status, r.Body)
	}
	h.do("GET", "/api/v1/auth/me", owner, nil).json(t, &me)
	if !me.Diagnostics {
		t.Error("/me says diagnostics is off after the owner turned it on")
	}
	// The switch is the owner's; an admin of the same org never sees internals.
	var adminMe api.SessionView
	h.do("GET", "/api/v1/auth/me", h.login("admin@demo.test"), nil).json(t, &adminMe)
	if adminMe.Diagnostics || adminMe.Role != "admin" || adminMe.User.Name != "Jamie Chen" {
		t.Errorf("admin's /me = %+v, want diagnostics false", adminMe)
	}
}

func TestDiagnosticsSwitchIsTheOwnersAtAnyTime(t *testing.T) {
	h := newHarness(t)
	owner := h.login("owner@demo.test")
	for _, who := range []string{"admin@demo.test", "sam@demo.test"} {
		if r := h.do("PUT", "/api/v1/settings/diagnostics", h.login(who), map[string]bool{"enabled": true}); r.Status != http.StatusForbidden {
			t.Errorf("%s turning diagnostics on = %d, want 403", who, r.Status)
		}
	}
	r := h.do("PUT", "/api/v1/settings/diagnostics", owner, map[string]string{"enabled": "yes"})
	if r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), `"enabled"`) {
		t.Errorf("a body that is not true or false = %d %s, want 400 naming enabled", r.Status, r.Body)
	}
	for _, on := range []bool{true, false, true} {
		var v api.DiagnosticsView
		r := h.do("PUT", "/api/v1/settings/diagnostics", owner, map[string]bool{"enabled": on})
		r.json(t, &v)
		if r.Status != http.StatusOK || v.Enabled != on {
			t.Fatalf("diagnostics %v = %d %s", on, r.Status, r.Body)
		}
		org, err := h.store.OrgByID(context.Background(), h.demo.OrgID)
		if err != nil || org.Diagnostics != on {
			t.Fatalf("stored diagnostics = %v (%v), want %v", org.Diagnostics, err, on)
		}
	}
	// Another org is untouched.
	if other, err := h.store.OrgByID(context.Background(), h.demo.OtherOrgID); err != nil || other.Diagnostics {
		t.Errorf("the other org's diagnostics = %v (%v)", other.Diagnostics, err)
	}
	assertAudit(t, h, "settings.diagnostics_changed")
}

func TestBadgeCountsByRole(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	owner := h.login("owner@demo.test")
	org := h.store.Org(h.demo.OrgID)
	if _, err := org.RaiseAlert(ctx, &store.Alert{Severity: store.SeverityWarning, Kind: "test", Title: "A number is struggling",
		Status: store.AlertOpen, DedupeKey: "badge-test"}); err != nil {
		t.Fatal(err)
	}

	counts := func(token string) (api.CountsView, string) {
		t.Helper()
		r := h.do("GET", "/api/v1/inbox/counts", token, nil)
		if r.Status != http.StatusOK {
			t.Fatalf("counts = %d %s", r.Status, r.Body)
		}
		var v api.CountsView
		r.json(t, &v)
		return v, string(r.Body)
	}
	unread := h.inboxPage(owner, "unread=true&limit=200")
	var openAlerts struct {
		Alerts []api.AlertView `json:"alerts"`
	}
	h.do("GET", "/api/v1/alerts?status=open", owner, nil).json(t, &openAlerts)
	got, _ := counts(owner)
	if got.UnreadThreads != len(unread.Threads) || got.UnreadThreads == 0 || got.OpenAlerts == nil || *got.OpenAlerts != len(openAlerts.Alerts) {
		t.Fatalf("owner's badges = %+v, want %d unread threads and %d open alerts", got, len(unread.Threads), len(openAlerts.Alerts))
	}
	// Reading a thread takes it off the badge.
	if r := h.do("POST", "/api/v1/threads/"+unread.Threads[0].ID.String()+"/read", owner, nil); r.Status != http.StatusOK {
		t.Fatalf("read = %d", r.Status)
	}
	if after, _ := counts(owner); after.UnreadThreads != got.UnreadThreads-1 {
		t.Errorf("after reading a thread: %d unread, want %d", after.UnreadThreads, got.UnreadThreads-1)
	}

	// A sitter's badge is their own unread conversations, and no alerts.
	sam := h.login("sam@demo.test")
	var page api.SitterThreadPage
	h.do("GET", "/api/v1/sitter/threads?limit=200", sam, nil).json(t, &page)
	want := 0
	for _, th := range page.Threads {
		if th.Unread > 0 {
			want++
		}
	}
	sv, body := counts(sam)
	if sv.UnreadThreads != want || sv.OpenAlerts != nil || strings.Contains(body, "openAlerts") {
		t.Errorf("sitter's badges = %s, want %d unread and no alerts", body, want)
	}
}
