package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/snoutos/snout/api"
	"github.com/snoutos/snout/dev/seed"
	"github.com/snoutos/snout/internal/store"
)

func init() {
	allow(map[string][]string{
		"GET /api/v1/threads":                     staff,
		"GET /api/v1/threads/:id":                 staff,
		"GET /api/v1/threads/:id/messages":        staff,
		"POST /api/v1/threads/:id/read":           staff,
		"GET /api/v1/sitter/threads":              sitterOnly,
		"GET /api/v1/sitter/threads/:id":          sitterOnly,
		"GET /api/v1/sitter/threads/:id/messages": sitterOnly,
		"POST /api/v1/sitter/threads/:id/read":    sitterOnly,
	})
}

// demoThreadKeys are the demo org's threads as internal/seed names them.
var demoThreadKeys = []string{
	"avery-sam", "blake-riley", "emerson-front", "frankie-front",
	"avery-front", "casey-sam", "harper-riley", "indigo-front", "jules-pool1", "kiran-front", "lena-front",
	"marcus-front", "nadia-riley", "owen-front", "priya-front", "rosa-front", "unknown-0119-pool2",
}

// threadKey names a thread ID for messages ("?" for a thread not seeded).
func threadKey(id uuid.UUID) string {
	for _, k := range demoThreadKeys {
		if seed.ID("thread/"+k) == id {
			return k
		}
	}
	if id == seed.ID("thread/other/zoe") {
		return "other/zoe"
	}
	return "?" + id.String()
}

func (h *harness) inboxPage(token, query string) api.ThreadPage {
	h.t.Helper()
	r := h.do("GET", "/api/v1/threads?"+query, token, nil)
	if r.Status != http.StatusOK {
		h.t.Fatalf("GET /api/v1/threads?%s = %d %s", query, r.Status, r.Body)
	}
	var page api.ThreadPage
	r.json(h.t, &page)
	return page
}

func threadKeys(threads []api.ThreadView) []string {
	out := make([]string, 0, len(threads))
	for _, th := range threads {
		out = append(out, threadKey(th.ID))
	}
	return out
}

func sortedCopy(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}

func TestInboxListsEveryThreadNewestFirst(t *testing.T) {
	h := newHarness(t)
	owner := h.login("owner@demo.test")
	page := h.inboxPage(owner, "")
	got := threadKeys(page.Threads)
	if !slices.Equal(sortedCopy(got), sortedCopy(demoThreadKeys)) {
		t.Fatalf("inbox threads = %v, want every demo thread %v (and no other org's)", got, demoThreadKeys)
	}
	if page.NextCursor != "" {
		t.Errorf("one page holds all %d threads, nextCursor = %q", len(got), page.NextCursor)
	}
	for i := 1; i < len(page.Threads); i++ {
		if page.Threads[i].LastMessageAt.After(page.Threads[i-1].LastMessageAt) {
			t.Errorf("not newest first: %s (%s) after %s (%s)", got[i], page.Threads[i].LastMessageAt, got[i-1], page.Threads[i-1].LastMessageAt)
		}
	}
	// The most recent activity: Owen's "Haha that sounds right" ten minutes ago.
	if got[0] != "owen-front" {
		t.Errorf("newest thread = %s, want owen-front", got[0])
	}

	byKey := map[string]api.ThreadView{}
	for _, th := range page.Threads {
		byKey[threadKey(th.ID)] = th
	}
	avery := byKey["avery-sam"]
	if avery.Client.ID != seed.ID("client/avery") || avery.Client.Name != "Avery Johnson" || avery.Client.Phone != "+16505550101" || avery.Client.OptedOut {
		t.Errorf("avery-sam client = %+v", avery.Client)
	}
	if avery.Sitter == nil || avery.Sitter.ID != seed.ID("sitter/sam") || avery.Sitter.Name != "Sam Patel" {
		t.Errorf("avery-sam sitter = %+v", avery.Sitter)
	}
	if avery.Number.ID != seed.ID("number/sam") || avery.Number.E164 != seed.SamNumber || avery.Number.Class != store.ClassSitter {
		t.Errorf("avery-sam number = %+v", avery.Number)
	}
	if avery.Unread != 1 || avery.Preview != "Amazing, thank you! Could you send a photo later?" || avery.WindowStatus != "active" {
		t.Errorf("avery-sam unread %d preview %q window %q", avery.Unread, avery.Preview, avery.WindowStatus)
	}
	for key, want := range map[string]string{
		"avery-sam": "active", "blake-riley": "active", "owen-front": "active", // Jordan, assigned on the front desk line
		"casey-sam": "scheduled", "nadia-riley": "scheduled",
		"harper-riley":  "none", // Riley's visits ended two days ago
		"emerson-front": "none", "jules-pool1": "none",
	} {
		if got := byKey[key].WindowStatus; got != want {
			t.Errorf("%s windowStatus = %q, want %q", key, got, want)
		}
	}
	if s := byKey["emerson-front"].Sitter; s != nil {
		t.Errorf("an unassigned thread names sitter %+v", s)
	}
	if !byKey["rosa-front"].Client.OptedOut {
		t.Error("Rosa texted STOP: optedOut must be true")
	}
	if byKey["harper-riley"].OpenViolations != 1 {
		t.Errorf("harper-riley openViolations = %d, want 1", byKey["harper-riley"].OpenViolations)
	}
	if byKey["jules-pool1"].Number.Class != store.ClassPool || byKey["unknown-0119-pool2"].Client.Name != "(650) 555-0119" {
		t.Errorf("pool threads: %+v / %+v", byKey["jules-pool1"].Number, byKey["unknown-0119-pool2"].Client)
	}
}

func TestInboxFilters(t *testing.T) {
	h := newHarness(t)
	owner := h.login("owner@demo.test")
	ctx := context.Background()
	org := h.store.Org(h.demo.OrgID)

	// A delivery that failed for good: the owner's note to Lena is in the
	// dead-letter list, which counts on her thread.
	lenaNote := seed.ID("message/lena-front/1")
	if _, err := h.store.DB().NewUpdate().Model((*store.Message)(nil)).
		Set("status = ?, error_code = 30006, error_message = ?", store.StatusUndelivered, "The number is a landline").
		Where("id = ?", lenaNote).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if added, err := org.DeadLetterMessage(ctx, lenaNote, h.clock.now); err != nil || !added {
		t.Fatalf("dead-lettering: %v %v", added, err)
	}

	now := h.clock.now.UTC()
	at := func(d time.Duration) string { return url.QueryEscape(now.Add(d).Format(time.RFC3339)) }
	unreadThreads := []string{"avery-sam", "emerson-front", "frankie-front", "avery-front", "casey-sam", "jules-pool1", "marcus-front",
		"nadia-riley", "owen-front", "priya-front", "rosa-front", "unknown-0119-pool2"}
	assigned := []string{"avery-sam", "blake-riley", "casey-sam", "harper-riley", "nadia-riley", "owen-front"}
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"unread=true", unreadThreads},
		{"unread=false", []string{"blake-riley", "harper-riley", "indigo-front", "kiran-front", "lena-front"}},
		{"assigned=true", assigned},
		{"assigned=false", []string{"emerson-front", "frankie-front", "avery-front", "indigo-front", "jules-pool1", "kiran-front",
			"lena-front", "marcus-front", "priya-front", "rosa-front", "unknown-0119-pool2"}},
		{"sitterId=" + seed.ID("sitter/sam").String(), []string{"avery-sam", "casey-sam"}},
		{"sitterId=" + seed.ID("sitter/riley").String(), []string{"blake-riley", "harper-riley", "nadia-riley"}},
		{"sitterId=" + seed.ID("sitter/jordan").String(), []string{"owen-front"}},
		{"violations=true", []string{"harper-riley"}},
		{"failures=true", []string{"lena-front"}},
		{"from=" + at(-24*time.Hour), []string{"avery-sam", "emerson-front", "frankie-front", "casey-sam", "jules-pool1", "marcus-front",
			"nadia-riley", "owen-front", "unknown-0119-pool2"}},
		{"to=" + at(-48*time.Hour), []string{"avery-front", "harper-riley", "kiran-front", "priya-front", "rosa-front"}},
		{"from=" + at(-6*24*time.Hour) + "&to=" + at(-48*time.Hour), []string{"avery-front", "harper-riley", "priya-front", "rosa-front"}},
		{"unread=true&assigned=true", []string{"avery-sam", "casey-sam", "nadia-riley", "owen-front"}},
		{"violations=true&unread=true", nil},
	} {
		t.Run(tc.query, func(t *testing.T) {
			got := threadKeys(h.inboxPage(owner, tc.query).Threads)
			if !slices.Equal(sortedCopy(got), sortedCopy(tc.want)) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestInboxSearch(t *testing.T) {
	h := newHarness(t)
	admin := h.login("admin@demo.test")
	for _, tc := range []struct {
		name, q string
		extra   string
		want    []string
	}{
		{"client name", "avery", "", []string{"avery-sam", "avery-front"}},
		{"client full name", "Avery Johnson", "", []string{"avery-sam", "avery-front"}},
		{"part of a client name", "Fisch", "", []string{"lena-front"}},
		{"message word", "raincoat", "", []string{"casey-sam"}},
		{"start of a message word", "squir", "", []string{"owen-front"}},
		{"middle of a message word", "ickles", "", []string{"priya-front"}},
		{"accented message word", "pâté", "", []string{"nadia-riley"}},
		{"words anywhere in a message", "walk first", "", []string{"avery-sam"}},
		{"sitter name", "Riley Brooks", "", []string{"blake-riley", "harper-riley", "nadia-riley"}},
		{"sitter without a login", "Jordan Diaz", "", []string{"owen-front"}},
		{"formatted client number", "(650) 555-0110", "", []string{"jules-pool1"}},
		{"international client number", "+1 650 555 0101", "", []string{"avery-sam", "avery-front"}},
		{"partial client number", "555-0119", "", []string{"unknown-0119-pool2"}},
		{"business number", "415.555.0101", "", []string{"avery-sam", "casey-sam"}},
		{"digits of a client and a business number", "0102", "", []string{"blake-riley", "harper-riley", "nadia-riley"}},
		{"search with a filter", "Riley Brooks", "&unread=true", []string{"nadia-riley"}},
		{"no match", "zebra", "", nil},
		{"another org's client", "Zoe Park", "", nil},
		{"like wildcards are literal", "%", "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := threadKeys(h.inboxPage(admin, "q="+url.QueryEscape(tc.q)+tc.extra).Threads)
			if !slices.Equal(sortedCopy(got), sortedCopy(tc.want)) {
				t.Errorf("q=%q: got %v, want %v", tc.q, got, tc.want)
			}
		})
	}
}

func TestInboxSearchTakesAnyText(t *testing.T) {
	h := newHarness(t)
	owner := h.login("owner@demo.test")
	for _, q := range []string{"'", `\`, "&|!():*", "a'b & c", "🙂", "x:* | y", "'; DROP TABLE threads; --", "\u0000", "\xff\xfe", strings.Repeat("é", 200), "  "} {
		r := h.do("GET", "/api/v1/threads?q="+url.QueryEscape(q), owner, nil)
		if r.Status != http.StatusOK {
			t.Errorf("q=%q = %d %s", q, r.Status, r.Body)
		}
	}
	// Blank search is no search.
	if got := len(h.inboxPage(owner, "q=%20%20").Threads); got != len(demoThreadKeys) {
		t.Errorf("blank search returned %d threads", got)
	}
}

func TestInboxPaginationWalksEveryThreadOnce(t *testing.T) {
	h := newHarness(t)
	owner := h.login("owner@demo.test")
	for _, tc := range []struct {
		name, query string
		limit       int
	}{{"list", "", 4}, {"search", "q=riley", 1}, {"filter", "unread=true", 2}} {
		t.Run(tc.name, func(t *testing.T) {
			full := threadKeys(h.inboxPage(owner, tc.query+"&limit=200").Threads)
			var walked []string
			cursor := ""
			for pages := 1; ; pages++ {
				q := tc.query + "&limit=" + strconv.Itoa(tc.limit)
				if cursor != "" {
					q += "&cursor=" + url.QueryEscape(cursor)
				}
				page := h.inboxPage(owner, q)
				if len(page.Threads) > tc.limit {
					t.Fatalf("page of %d threads, limit %d", len(page.Threads), tc.limit)
				}
				walked = append(walked, threadKeys(page.Threads)...)
				if page.NextCursor == "" {
					break
				}
				if pages > 50 {
					t.Fatal("pagination does not end")
				}
				cursor = page.NextCursor
			}
			if len(full) < 3 || !slices.Equal(walked, full) {
				t.Errorf("pages walked %v\nwant (one page)   %v", walked, full)
			}
		})
	}
	for _, q := range []string{"cursor=not-a-cursor", "limit=0", "limit=201", "unread=maybe", "sitterId=nope", "from=yesterday",
		"from=2026-11-25T10:00:00Z&to=2026-11-25T09:00:00Z", "q=" + strings.Repeat("a", 201)} {
		if r := h.do("GET", "/api/v1/threads?"+q, owner, nil); r.Status != http.StatusBadRequest {
			t.Errorf("GET /api/v1/threads?%s = %d, want 400 (%s)", q, r.Status, r.Body)
		}
	}
	// A sitter of another org (or none at all) is not found, like any ID.
	if r := h.do("GET", "/api/v1/threads?sitterId="+uuid.NewString(), owner, nil); r.Status != http.StatusNotFound {
		t.Errorf("unknown sitterId = %d, want 404", r.Status)
	}
}

func TestThreadDetailMessagesAndRead(t *testing.T) {
	h := newHarness(t)
	owner := h.login("owner@demo.test")
	admin := h.login("admin@demo.test")
	averySam := seed.ID("thread/avery-sam").String()

	r := h.do("GET", "/api/v1/threads/"+averySam, admin, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("thread = %d %s", r.Status, r.Body)
	}
	var th api.ThreadDetailView
	r.json(t, &th)
	if th.WindowStatus != "active" || th.Window == nil || th.Window.ID != seed.ID("window/sam-avery") || th.Window.SitterID != seed.ID("sitter/sam") ||
		!th.Window.EndsAt.After(h.clock.now) || th.Window.StartsAt.After(h.clock.now) {
		t.Errorf("window = %q %+v", th.WindowStatus, th.Window)
	}
	if th.Number.E164 != seed.SamNumber || th.Number.Class != store.ClassSitter || th.Client.Phone != "+16505550101" || th.Unread != 1 ||
		th.CreatedAt.IsZero() || th.LastMessageAt.IsZero() || len(th.Flags) != 0 {
		t.Errorf("thread detail = %+v", th)
	}
	for key, flag := range map[string]string{"rosa-front": "opted_out", "harper-riley": "policy_violation"} {
		var d api.ThreadDetailView
		h.do("GET", "/api/v1/threads/"+seed.ID("thread/"+key).String(), owner, nil).json(t, &d)
		if !slices.Contains(d.Flags, flag) {
			t.Errorf("%s flags = %v, want %s", key, d.Flags, flag)
		}
	}

	// Messages: oldest first within a page, older pages through the cursor.
	r = h.do("GET", "/api/v1/threads/"+averySam+"/messages", owner, nil)
	var all api.MessagePage
	r.json(t, &all)
	if r.Status != http.StatusOK || len(all.Messages) != 3 || all.NextCursor != "" {
		t.Fatalf("messages = %d %s", r.Status, r.Body)
	}
	wantSenders := []string{"Avery Johnson", "Sam Patel", "Avery Johnson"}
	for i, m := range all.Messages {
		if m.SenderName != wantSenders[i] {
			t.Errorf("message %d sender %q, want %q", i, m.SenderName, wantSenders[i])
		}
		if i > 0 && m.CreatedAt.Before(all.Messages[i-1].CreatedAt) {
			t.Error("messages are not oldest first")
		}
	}
	first, reply := all.Messages[0], all.Messages[1]
	if first.Direction != store.DirectionInbound || first.SenderType != store.SenderClient || first.Status != store.StatusReceived ||
		first.From != "+16505550101" || first.To != seed.SamNumber || first.Routing == nil || first.Routing.Rule != "sitter_window" {
		t.Errorf("inbound message = %+v (routing %+v)", first, first.Routing)
	}
	assertReadableTrace(t, first.Routing, "Sam Patel")
	if reply.Direction != store.DirectionOutbound || reply.Status != store.StatusDelivered || reply.Routing != nil || reply.Attempts != 1 ||
		reply.Encoding != "GSM-7" || reply.Segments != 1 {
		t.Errorf("reply = %+v", reply)
	}
	r = h.do("GET", "/api/v1/threads/"+averySam+"/messages?limit=2", owner, nil)
	var newest api.MessagePage
	r.json(t, &newest)
	if len(newest.Messages) != 2 || newest.Messages[0].ID != all.Messages[1].ID || newest.Messages[1].ID != all.Messages[2].ID || newest.NextCursor == "" {
		t.Fatalf("newest page = %s", r.Body)
	}
	var older api.MessagePage
	h.do("GET", "/api/v1/threads/"+averySam+"/messages?limit=2&cursor="+url.QueryEscape(newest.NextCursor), owner, nil).json(t, &older)
	if len(older.Messages) != 1 || older.Messages[0].ID != all.Messages[0].ID || older.NextCursor != "" {
		t.Errorf("older page = %+v", older)
	}

	// A blocked sitter message and an MMS are shown as they are.
	var harper api.MessagePage
	h.do("GET", "/api/v1/threads/"+seed.ID("thread/harper-riley").String()+"/messages", owner, nil).json(t, &harper)
	if len(harper.Messages) != 5 || harper.Messages[3].Status != store.StatusBlocked || harper.Messages[3].SenderName != "Riley Brooks" ||
		len(harper.Messages[4].Media) != 1 || harper.Messages[4].SenderName != "Morgan Reyes" {
		t.Errorf("harper messages = %+v", harper.Messages)
	}

	// Read: the unread count goes to zero, and the read is audited.
	r = h.do("POST", "/api/v1/threads/"+averySam+"/read", admin, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("read = %d %s", r.Status, r.Body)
	}
	h.do("GET", "/api/v1/threads/"+averySam, owner, nil).json(t, &th)
	if th.Unread != 0 || th.SitterUnread != 1 {
		t.Errorf("after the owner's read: unread %d, sitter unread %d; want 0 and 1 (the sitter has not read it)", th.Unread, th.SitterUnread)
	}
	events, err := h.store.Org(h.demo.OrgID).AuditEvents(context.Background(), store.AuditFilter{Action: "thread.read", EntityID: averySam}, 10)
	if err != nil || len(events) != 1 {
		t.Fatalf("thread.read audit = %+v %v", events, err)
	}
	var detail struct {
		PreviousUnread int    `json:"previousUnread"`
		Role           string `json:"role"`
	}
	if err := json.Unmarshal(events[0].Detail, &detail); err != nil || detail.PreviousUnread != 1 || detail.Role != "admin" ||
		events[0].ActorID != h.demoUserID("admin@demo.test") {
		t.Errorf("thread.read audit = %s by %s", events[0].Detail, events[0].ActorID)
	}
	for _, path := range []string{"/api/v1/threads/" + uuid.NewString(), "/api/v1/threads/not-an-id/messages"} {
		if r := h.do("GET", path, owner, nil); r.Status != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, r.Status)
		}
	}
}

func TestInboxOtherOrgIDsAreNotFound(t *testing.T) {
	h := newHarness(t)
	owner := h.login("owner@demo.test")
	other := h.login(h.demo.OtherOwnerEmail)
	zoe := seed.ID("thread/other/zoe").String()
	for _, rq := range []struct{ method, path string }{
		{"GET", "/api/v1/threads/" + zoe},
		{"GET", "/api/v1/threads/" + zoe + "/messages"},
		{"POST", "/api/v1/threads/" + zoe + "/read"},
		{"GET", "/api/v1/threads?sitterId=" + seed.ID("sitter/sam").String()}, // asked by the other org
	} {
		token := owner
		if strings.Contains(rq.path, "sitterId") {
			token = other
		}
		if r := h.do(rq.method, rq.path, token, nil); r.Status != http.StatusNotFound {
			t.Errorf("%s %s = %d, want 404 (%s)", rq.method, rq.path, r.Status, r.Body)
		}
	}
	// The other org sees only its own thread.
	if got := threadKeys(h.inboxPage(other, "").Threads); !slices.Equal(got, []string{"other/zoe"}) {
		t.Errorf("other org's inbox = %v", got)
	}
	// Reading another org's thread changed nothing there.
	var zoeView api.ThreadDetailView
	h.do("GET", "/api/v1/threads/"+zoe, other, nil).json(t, &zoeView)
	if zoeView.Unread != 1 {
		t.Errorf("zoe unread = %d, want 1", zoeView.Unread)
	}
}

// demoUserID is the ID of a demo login.
func (h *harness) demoUserID(email string) string {
	h.t.Helper()
	u, err := h.store.UserByEmail(context.Background(), email)
	if err != nil {
		h.t.Fatal(err)
	}
	return u.ID.String()
}

var (
	uuidInText = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	utcStamp   = regexp.MustCompile(`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}`)
)

// assertReadableTrace: every step is structured, its sentence names
// sitters and shows times as people read them (the org's zone, no UTC
// stamp, no ID), and without diagnostics no step carries raw IDs.
func assertReadableTrace(t *testing.T, r *api.RoutingView, sitter string) {
	t.Helper()
	if r == nil || len(r.Steps) == 0 {
		t.Fatalf("no routing trace: %+v", r)
	}
	named := false
	for _, st := range r.Steps {
		if st.Kind == "" || (st.Outcome != "matched" && st.Outcome != "skipped") || st.Sentence == "" {
			t.Errorf("step %+v is not structured", st)
		}
		if uuidInText.MatchString(st.Sentence) || utcStamp.MatchString(st.Sentence) {
			t.Errorf("step sentence %q shows an ID or a UTC stamp", st.Sentence)
		}
		if len(st.IDs) > 0 {
			t.Errorf("step %+v carries raw IDs without diagnostics", st)
		}
		named = named || strings.Contains(st.Sentence, sitter)
	}
	if !named || !strings.Contains(r.Target.SitterName+r.Reason, sitter) || r.Target.SitterID != "" {
		t.Errorf("trace %+v does not name %s (or shows the sitter's ID)", r, sitter)
	}
	if !strings.Contains(r.DecidedAtLocal, "PST") && !strings.Contains(r.DecidedAtLocal, "PDT") {
		t.Errorf("decidedAtLocal %q is not in the org's zone", r.DecidedAtLocal)
	}
}
