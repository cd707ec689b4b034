package api_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"io"
	"log/slog"

	"github.com/google/uuid"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/snoutos/snout/activities"
	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/dev/testenv"
	"github.com/snoutos/snout/workflows"

	"github.com/snoutos/snout/api"
	"github.com/snoutos/snout/dev/seed"
	"github.com/snoutos/snout/internal/store"
)

func init() {
	allow(map[string][]string{
		"GET /api/v1/windows":            staff,
		"POST /api/v1/windows":           staff,
		"GET /api/v1/windows/:id":        staff,
		"DELETE /api/v1/windows/:id":     staff,
		"PATCH /api/v1/windows/:id":      staff,
		"GET /api/v1/windows/:id/impact": staff,
		"GET /api/v1/windows/conflicts":  staff,
		"GET /api/v1/clients":            staff,
		"GET /api/v1/clients/:id":        staff,
		"GET /api/v1/sitters":            staff,
	})
}

var demoWindowKeys = []string{"sam-avery", "riley-blake", "sam-casey", "riley-dana", "riley-harper", "jordan-owen", "riley-nadia", "sam-indigo"}

func windowKey(id uuid.UUID) string {
	for _, k := range demoWindowKeys {
		if seed.ID("window/"+k) == id {
			return k
		}
	}
	return "?" + id.String()
}

type windowList struct {
	Windows    []api.WindowView `json:"windows"`
	NextCursor string           `json:"nextCursor"`
}

func (h *harness) windows(token, query string) windowList {
	h.t.Helper()
	r := h.do("GET", "/api/v1/windows?"+query, token, nil)
	if r.Status != http.StatusOK {
		h.t.Fatalf("GET /api/v1/windows?%s = %d %s", query, r.Status, r.Body)
	}
	var out windowList
	r.json(h.t, &out)
	return out
}

func windowKeys(ws []api.WindowView) []string {
	out := make([]string, 0, len(ws))
	for _, w := range ws {
		out = append(out, windowKey(w.ID))
	}
	return out
}

func TestWindowList(t *testing.T) {
	h := newHarness(t)
	admin := h.login("admin@demo.test")
	now := h.clock.now.UTC()
	at := func(d time.Duration) string { return url.QueryEscape(now.Add(d).Format(time.RFC3339)) }

	all := h.windows(admin, "")
	// Earliest start first.
	want := []string{"riley-dana", "riley-harper", "riley-blake", "jordan-owen", "sam-avery", "sam-casey", "riley-nadia", "sam-indigo"}
	if got := windowKeys(all.Windows); !slices.Equal(got, want) {
		t.Fatalf("windows = %v, want %v", got, want)
	}
	status := map[string]string{}
	for _, w := range all.Windows {
		status[windowKey(w.ID)] = w.Status
	}
	if status["sam-avery"] != "active" || status["sam-casey"] != "scheduled" || status["riley-dana"] != "ended" {
		t.Errorf("statuses = %v", status)
	}
	if w := all.Windows[4]; w.Sitter.Name != "Sam Patel" || w.Client.Name != "Avery Johnson" || w.Note == "" {
		t.Errorf("sam-avery = %+v", w)
	}
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"sitterId=" + seed.ID("sitter/sam").String(), []string{"sam-avery", "sam-casey", "sam-indigo"}},
		{"clientId=" + seed.ID("client/blake").String(), []string{"riley-blake"}},
		{"from=" + at(0) + "&to=" + at(23*time.Hour), []string{"riley-blake", "jordan-owen", "sam-avery"}},
		{"sitterId=" + seed.ID("sitter/riley").String() + "&to=" + at(0), []string{"riley-dana", "riley-harper", "riley-blake"}},
		{"status=active", []string{"riley-blake", "jordan-owen", "sam-avery"}},
		{"status=ended&sitterId=" + seed.ID("sitter/riley").String(), []string{"riley-dana", "riley-harper"}},
	} {
		if got := windowKeys(h.windows(admin, tc.query).Windows); !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.query, got, tc.want)
		}
	}
	// Pages of three walk the same list.
	var walked []string
	cursor := ""
	for i := 0; i < 10; i++ {
		q := "limit=3"
		if cursor != "" {
			q += "&cursor=" + url.QueryEscape(cursor)
		}
		page := h.windows(admin, q)
		walked = append(walked, windowKeys(page.Windows)...)
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	if !slices.Equal(walked, want) {
		t.Errorf("paged windows = %v", walked)
	}
	for _, q := range []string{"sitterId=" + seed.ID("sitter/other").String(), "clientId=" + seed.ID("client/other/zoe").String()} {
		if r := h.do("GET", "/api/v1/windows?"+q, admin, nil); r.Status != http.StatusNotFound {
			t.Errorf("GET /api/v1/windows?%s = %d, want 404", q, r.Status)
		}
	}
	if r := h.do("GET", "/api/v1/windows?clientId=x", admin, nil); r.Status != http.StatusBadRequest {
		t.Errorf("bad clientId = %d, want 400", r.Status)
	}
	if r := h.do("GET", "/api/v1/windows?status=finished", admin, nil); r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), "scheduled, active, ended or cancelled") {
		t.Errorf("bad status = %d %s, want 400 naming the statuses", r.Status, r.Body)
	}
}

func TestWindowCreateGivesTheSitterAccess(t *testing.T) {
	h := newWindowHarness(t)
	owner := h.login("owner@demo.test")
	riley := h.login("riley@demo.test")
	now := h.clock.now.UTC().Truncate(time.Second)

	// Harper asks for Riley again, from an hour ago until tomorrow.
	body := map[string]string{
		"sitterId": seed.ID("sitter/riley").String(), "clientId": seed.ID("client/harper").String(),
		"startsAt": now.Add(-time.Hour).Format(time.RFC3339), "endsAt": now.Add(24 * time.Hour).Format(time.RFC3339),
		"note": "Ziggy and Rosie again: mornings",
	}
	r := h.do("POST", "/api/v1/windows", owner, body)
	if r.Status != http.StatusCreated {
		t.Fatalf("create = %d %s", r.Status, r.Body)
	}
	var w api.WindowView
	r.json(t, &w)
	if w.Status != "active" || w.Sitter.Name != "Riley Brooks" || w.Client.Name != "Harper Singh" || !w.StartsAt.Equal(now.Add(-time.Hour)) || w.Note != body["note"] {
		t.Errorf("created = %+v", w)
	}
	if got := sitterThreadKeys(h.sitterPage(riley, "").Threads); !slices.Equal(sortedCopy(got), []string{"blake-riley", "harper-riley"}) {
		t.Errorf("Riley's list after the new window = %v", got)
	}
	var again api.WindowView
	h.do("GET", "/api/v1/windows/"+w.ID.String(), owner, nil).json(t, &again)
	if again.ID != w.ID || again.Status != "active" {
		t.Errorf("GET window = %+v", again)
	}
	assertAudit(t, h, "window.created")

	// The thread list now shows Harper's thread inside a window.
	var th api.ThreadDetailView
	h.do("GET", "/api/v1/threads/"+seed.ID("thread/harper-riley").String(), owner, nil).json(t, &th)
	if th.WindowStatus != "active" || th.Window == nil || th.Window.ID != w.ID {
		t.Errorf("harper-riley window = %q %+v", th.WindowStatus, th.Window)
	}
}

func TestWindowOverlapAndValidation(t *testing.T) {
	h := newWindowHarness(t)
	admin := h.login("admin@demo.test")
	now := h.clock.now.UTC()
	ts := func(d time.Duration) string { return now.Add(d).Format(time.RFC3339) }
	valid := func() map[string]string {
		return map[string]string{"sitterId": seed.ID("sitter/riley").String(), "clientId": seed.ID("client/avery").String(),
			"startsAt": ts(24 * time.Hour), "endsAt": ts(48 * time.Hour)}
	}

	// Avery already has Sam until three days from now.
	r := h.do("POST", "/api/v1/windows", admin, valid())
	if r.Status != http.StatusConflict {
		t.Fatalf("overlapping window = %d %s, want 409", r.Status, r.Body)
	}
	e := inboxErrorBody(t, r)
	if e.Code != "window_overlap" || !strings.Contains(e.Message, "Avery Johnson already has Sam Patel") || !strings.Contains(e.Message, seed.ID("window/sam-avery").String()) {
		t.Errorf("overlap error = %+v", e)
	}
	// Touching is not overlapping: a window that starts when Sam's ends is fine.
	var sam api.WindowView
	h.do("GET", "/api/v1/windows/"+seed.ID("window/sam-avery").String(), admin, nil).json(t, &sam)
	after := valid()
	after["startsAt"], after["endsAt"] = sam.EndsAt.Format(time.RFC3339Nano), sam.EndsAt.Add(24*time.Hour).Format(time.RFC3339Nano)
	if r := h.do("POST", "/api/v1/windows", admin, after); r.Status != http.StatusCreated {
		t.Errorf("window right after Sam's = %d %s", r.Status, r.Body)
	}

	for _, tc := range []struct {
		name   string
		change func(map[string]string)
		status int
		field  string
	}{
		{"end before start", func(b map[string]string) { b["endsAt"] = ts(12 * time.Hour) }, http.StatusBadRequest, "endsAt"},
		{"end equals start", func(b map[string]string) { b["endsAt"] = b["startsAt"] }, http.StatusBadRequest, "endsAt"},
		{"longer than a year", func(b map[string]string) { b["endsAt"] = ts(400 * 24 * time.Hour) }, http.StatusBadRequest, "endsAt"},
		{"no sitter", func(b map[string]string) { delete(b, "sitterId") }, http.StatusBadRequest, "sitterId"},
		{"bad start", func(b map[string]string) { b["startsAt"] = "tomorrow" }, http.StatusBadRequest, "startsAt"},
		{"long note", func(b map[string]string) { b["note"] = strings.Repeat("x", 1001) }, http.StatusBadRequest, "note"},
		{"NUL in the note", func(b map[string]string) { b["note"] = "gate\x00code" }, http.StatusBadRequest, "note"},
		{"another org's client", func(b map[string]string) { b["clientId"] = seed.ID("client/other/zoe").String() }, http.StatusNotFound, ""},
		{"unknown sitter", func(b map[string]string) { b["sitterId"] = uuid.NewString() }, http.StatusNotFound, ""},
	} {
		b := valid()
		b["clientId"] = seed.ID("client/theo").String() // no windows yet
		tc.change(b)
		r := h.do("POST", "/api/v1/windows", admin, b)
		if r.Status != tc.status {
			t.Errorf("%s: %d %s, want %d", tc.name, r.Status, r.Body, tc.status)
			continue
		}
		if tc.field != "" {
			if e := inboxErrorBody(t, r); e.Fields[tc.field] == "" {
				t.Errorf("%s: no message for %s in %+v", tc.name, tc.field, e)
			}
		}
	}
	if r := h.do("POST", "/api/v1/windows", admin, "not an object"); r.Status != http.StatusBadRequest {
		t.Errorf("non-object body = %d", r.Status)
	}
}

func TestWindowCancel(t *testing.T) {
	h := newWindowHarness(t)
	owner := h.login("owner@demo.test")
	sam := h.login("sam@demo.test")
	id := seed.ID("window/sam-avery").String()

	r := h.cancelWindow(owner, id)
	var w api.WindowView
	r.json(t, &w)
	if r.Status != http.StatusOK || w.Status != "cancelled" {
		t.Fatalf("cancel = %d %s", r.Status, r.Body)
	}
	if got := h.sitterPage(sam, "").Threads; len(got) != 0 {
		t.Errorf("Sam still sees %v after his window was cancelled", sitterThreadKeys(got))
	}
	if r := h.do("GET", "/api/v1/sitter/threads/"+seed.ID("thread/avery-sam").String(), sam, nil); r.Status != http.StatusNotFound {
		t.Errorf("Sam's thread after cancel = %d, want 404", r.Status)
	}
	// Cancelled windows leave the default list, and free the time for another sitter.
	if got := windowKeys(h.windows(owner, "clientId="+seed.ID("client/avery").String()).Windows); len(got) != 0 {
		t.Errorf("avery's windows after cancel = %v", got)
	}
	if got := windowKeys(h.windows(owner, "includeCancelled=true&clientId="+seed.ID("client/avery").String()).Windows); !slices.Equal(got, []string{"sam-avery"}) {
		t.Errorf("avery's windows with cancelled = %v", got)
	}
	now := h.clock.now.UTC()
	if r := h.do("POST", "/api/v1/windows", owner, map[string]string{"sitterId": seed.ID("sitter/riley").String(), "clientId": seed.ID("client/avery").String(),
		"startsAt": now.Format(time.RFC3339), "endsAt": now.Add(24 * time.Hour).Format(time.RFC3339)}); r.Status != http.StatusCreated {
		t.Errorf("window in the freed time = %d %s", r.Status, r.Body)
	}
	// Twice is harmless; an ended window cannot be cancelled; another org's is not found.
	if r := h.do("DELETE", "/api/v1/windows/"+id, owner, nil); r.Status != http.StatusOK {
		t.Errorf("second cancel = %d", r.Status)
	}
	if r := h.do("DELETE", "/api/v1/windows/"+seed.ID("window/riley-dana").String(), owner, nil); r.Status != http.StatusConflict {
		t.Errorf("cancel an ended window = %d, want 409", r.Status)
	}
	for _, path := range []string{"/api/v1/windows/" + uuid.NewString(), "/api/v1/windows/nope"} {
		if r := h.do("DELETE", path, owner, nil); r.Status != http.StatusNotFound {
			t.Errorf("DELETE %s = %d, want 404", path, r.Status)
		}
	}
	events, err := h.store.Org(h.demo.OrgID).AuditEvents(context.Background(), store.AuditFilter{Action: "window.cancelled", EntityID: id}, 10)
	if err != nil || len(events) != 1 {
		t.Errorf("window.cancelled audit = %d events (%v), want exactly 1", len(events), err)
	}
}

func TestClientAndSitterPickers(t *testing.T) {
	h := newHarness(t)
	admin := h.login("admin@demo.test")
	other := h.login(h.demo.OtherOwnerEmail)

	var all struct {
		Clients    []api.ClientView `json:"clients"`
		NextCursor string           `json:"nextCursor"`
	}
	h.do("GET", "/api/v1/clients?limit=200", admin, nil).json(t, &all)
	if len(all.Clients) != 19 || all.NextCursor != "" {
		t.Fatalf("clients = %d (%q)", len(all.Clients), all.NextCursor)
	}
	names := make([]string, 0, len(all.Clients))
	for _, c := range all.Clients {
		names = append(names, c.Name)
	}
	if !slices.IsSorted(names) || all.Clients[1].Name != "Avery Johnson" || all.Clients[1].Phone != "+16505550101" {
		t.Errorf("clients by name = %v", names)
	}
	var walked []string
	cursor := ""
	for i := 0; i < 20; i++ {
		var page struct {
			Clients    []api.ClientView `json:"clients"`
			NextCursor string           `json:"nextCursor"`
		}
		h.do("GET", "/api/v1/clients?limit=4&cursor="+url.QueryEscape(cursor), admin, nil).json(t, &page)
		for _, c := range page.Clients {
			walked = append(walked, c.Name)
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	if !slices.Equal(walked, names) {
		t.Errorf("paged clients = %v", walked)
	}
	for q, want := range map[string]string{"fisch": "Lena Fischer", "(650) 555-0110": "Jules Moreau", "ROSA": "Rosa Delgado"} {
		var found struct {
			Clients []api.ClientView `json:"clients"`
		}
		h.do("GET", "/api/v1/clients?q="+url.QueryEscape(q), admin, nil).json(t, &found)
		if len(found.Clients) != 1 || found.Clients[0].Name != want {
			t.Errorf("clients?q=%s = %+v, want %s", q, found.Clients, want)
		}
	}

	var avery api.ClientDetailView
	r := h.do("GET", "/api/v1/clients/"+seed.ID("client/avery").String(), admin, nil)
	r.json(t, &avery)
	if r.Status != http.StatusOK || len(avery.Threads) != 2 || len(avery.Windows) != 1 || avery.Windows[0].Sitter.Name != "Sam Patel" {
		t.Errorf("avery = %d %s", r.Status, r.Body)
	}
	var rosa api.ClientDetailView
	h.do("GET", "/api/v1/clients/"+seed.ID("client/rosa").String(), admin, nil).json(t, &rosa)
	if !rosa.OptedOut || rosa.OptedOutAt == nil {
		t.Errorf("rosa = %+v", rosa.ClientView)
	}
	if r := h.do("GET", "/api/v1/clients/"+seed.ID("client/avery").String(), other, nil); r.Status != http.StatusNotFound {
		t.Errorf("another org's client = %d, want 404", r.Status)
	}

	var sitters struct {
		Sitters []api.SitterView `json:"sitters"`
	}
	h.do("GET", "/api/v1/sitters", admin, nil).json(t, &sitters)
	var got []string
	for _, s := range sitters.Sitters {
		got = append(got, s.Name)
	}
	if !slices.Equal(got, []string{"Jordan Diaz", "Riley Brooks", "Sam Patel"}) {
		t.Fatalf("sitters = %v", got)
	}
	if j, s := sitters.Sitters[0], sitters.Sitters[2]; j.HasLogin || j.Line != nil || !s.HasLogin || s.Line == nil || s.Line.E164 != seed.SamNumber {
		t.Errorf("sitters = %+v", sitters.Sitters)
	}
}

// inboxErrorBody decodes the API's error shape.
func inboxErrorBody(t *testing.T, r response) api.ErrorDetail {
	t.Helper()
	var b api.ErrorBody
	r.json(t, &b)
	return b.Error
}

// newWindowHarness is a harness whose windows run their workflows on a
// worker of the test Temporal server.
func newWindowHarness(t *testing.T) *harness {
	t.Helper()
	tc := testenv.Temporal(t)
	queue := testenv.TaskQueue(t)
	h := newHarness(t, func(d *api.Deps) { d.Temporal = tc; d.Config.TemporalTaskQueue = queue })
	acts := &activities.Activities{Config: h.cfg, Store: h.store, Temporal: tc, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	w := sdkworker.New(tc, queue, sdkworker.Options{})
	w.RegisterActivity(acts)
	w.RegisterWorkflowWithOptions(workflows.WindowWorkflow, workflow.RegisterOptions{Name: contract.WindowWorkflowName})
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	return h
}

// cancelWindow cancels a window the way the page does: impact first, then
// DELETE with its confirmToken.
func (h *harness) cancelWindow(token, id string) response {
	h.t.Helper()
	var imp api.WindowImpactView
	if r := h.do("GET", "/api/v1/windows/"+id+"/impact", token, nil); r.Status != http.StatusOK {
		return r
	} else {
		r.json(h.t, &imp)
	}
	return h.do("DELETE", "/api/v1/windows/"+id+"?confirmToken="+url.QueryEscape(imp.ConfirmToken), token, nil)
}

func TestWindowEditImpactAndConflicts(t *testing.T) {
	h := newWindowHarness(t)
	owner := h.login("owner@demo.test")
	id := seed.ID("window/sam-avery").String()

	// A running window is not cancelled without the confirmation.
	r := h.do("DELETE", "/api/v1/windows/"+id, owner, nil)
	if r.Status != http.StatusBadRequest || inboxErrorBody(t, r).Fields["confirmToken"] == "" {
		t.Fatalf("DELETE without confirmToken = %d %s", r.Status, r.Body)
	}
	var imp api.WindowImpactView
	h.do("GET", "/api/v1/windows/"+id+"/impact", owner, nil).json(t, &imp)
	if !imp.Active || imp.ConfirmToken == "" || len(imp.Threads) == 0 || !strings.Contains(imp.Message, "loses access") {
		t.Errorf("impact = %+v", imp)
	}
	if e164Pattern.MatchString(imp.Message) {
		t.Errorf("impact message carries a phone number: %q", imp.Message)
	}

	// Edit: the end moves; a bad time is refused beside its field; another
	// org's window is not found.
	var sam api.WindowView
	h.do("GET", "/api/v1/windows/"+id, owner, nil).json(t, &sam)
	newEnd := sam.EndsAt.Add(24 * time.Hour).UTC().Truncate(time.Second)
	r = h.do("PATCH", "/api/v1/windows/"+id, owner, map[string]any{"endsAt": newEnd.Format(time.RFC3339), "note": "one more day"})
	var edited api.WindowView
	r.json(t, &edited)
	if r.Status != http.StatusOK || !edited.EndsAt.Equal(newEnd) || edited.Note != "one more day" || edited.Status != "active" {
		t.Fatalf("edit = %d %s", r.Status, r.Body)
	}
	if r := h.do("PATCH", "/api/v1/windows/"+id, owner, map[string]any{"endsAt": "later"}); r.Status != http.StatusBadRequest || inboxErrorBody(t, r).Fields["endsAt"] == "" {
		t.Errorf("bad endsAt = %d %s", r.Status, r.Body)
	}
	if r := h.do("PATCH", "/api/v1/windows/"+uuid.NewString(), owner, map[string]any{}); r.Status != http.StatusNotFound {
		t.Errorf("unknown window = %d", r.Status)
	}
	assertAudit(t, h, "window.edited")

	// Conflicts: Sam double-booked with Avery and Theo.
	theo := map[string]any{"sitterId": seed.ID("sitter/sam").String(), "clientId": seed.ID("client/theo").String(),
		"startsAt": h.clock.now.UTC().Add(time.Hour).Format(time.RFC3339), "endsAt": h.clock.now.UTC().Add(3 * time.Hour).Format(time.RFC3339)}
	if r := h.do("POST", "/api/v1/windows", owner, theo); r.Status != http.StatusCreated {
		t.Fatalf("Theo's window = %d %s", r.Status, r.Body)
	}
	var conflicts struct {
		Conflicts []api.WindowConflictView `json:"conflicts"`
	}
	h.do("GET", "/api/v1/windows/conflicts", owner, nil).json(t, &conflicts)
	found := false
	for _, c := range conflicts.Conflicts {
		found = found || (c.Kind == "sitter_double_booked" && c.Other != nil && (c.Window.ID.String() == id || c.Other.ID.String() == id))
	}
	if !found {
		t.Errorf("conflicts = %+v, want Sam double-booked", conflicts)
	}

	// Confirmed, the cancel goes through.
	if r := h.cancelWindow(owner, id); r.Status != http.StatusOK {
		t.Errorf("confirmed cancel = %d %s", r.Status, r.Body)
	}
}
