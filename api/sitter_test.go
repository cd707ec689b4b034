package api_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/snoutos/snout/api"
	"github.com/snoutos/snout/dev/seed"
	"github.com/snoutos/snout/internal/domain/message"
	"github.com/snoutos/snout/internal/domain/phone"
	"github.com/snoutos/snout/internal/store"
)

func (h *harness) sitterPage(token, query string) api.SitterThreadPage {
	h.t.Helper()
	r := h.do("GET", "/api/v1/sitter/threads?"+query, token, nil)
	if r.Status != http.StatusOK {
		h.t.Fatalf("GET /api/v1/sitter/threads?%s = %d %s", query, r.Status, r.Body)
	}
	var page api.SitterThreadPage
	r.json(h.t, &page)
	return page
}

func sitterThreadKeys(threads []api.SitterThreadView) []string {
	out := make([]string, 0, len(threads))
	for _, th := range threads {
		out = append(out, threadKey(th.ID))
	}
	return out
}

func TestSitterSeesOnlyThreadsInAnActiveWindow(t *testing.T) {
	h := newWindowHarness(t)
	sam := h.login("sam@demo.test")
	riley := h.login("riley@demo.test")
	seededAt := h.clock.now

	check := func(when string, token string, want []string) {
		t.Helper()
		page := h.sitterPage(token, "")
		got := sitterThreadKeys(page.Threads)
		if !slices.Equal(sortedCopy(got), sortedCopy(want)) {
			t.Errorf("%s: sitter sees %v, want %v", when, got, want)
		}
		// The list and the single-thread rule agree on every thread.
		for _, key := range append(slices.Clone(demoThreadKeys), "other/zoe") {
			r := h.do("GET", "/api/v1/sitter/threads/"+seed.ID("thread/"+key).String(), token, nil)
			visible := slices.Contains(want, key)
			if visible && r.Status != http.StatusOK || !visible && r.Status != http.StatusNotFound {
				t.Errorf("%s: GET thread %s = %d (listed: %v)", when, key, r.Status, visible)
			}
			for _, sub := range []string{"/messages"} {
				r := h.do("GET", "/api/v1/sitter/threads/"+seed.ID("thread/"+key).String()+sub, token, nil)
				if visible && r.Status != http.StatusOK || !visible && r.Status != http.StatusNotFound {
					t.Errorf("%s: GET thread %s%s = %d", when, key, sub, r.Status)
				}
			}
		}
	}

	// Now: Sam is with Avery (not with Casey until tomorrow; Avery's front
	// desk thread is not his); Riley is with Blake (Harper's visits ended,
	// Nadia's start next week).
	check("now", sam, []string{"avery-sam"})
	check("now", riley, []string{"blake-riley"})

	var averyView api.SitterThreadView
	h.do("GET", "/api/v1/sitter/threads/"+seed.ID("thread/avery-sam").String(), sam, nil).json(t, &averyView)
	if averyView.Client.Name != "Avery Johnson" || averyView.Line.Label != "Your line" || averyView.Unread != 1 ||
		averyView.Window.Note != "Biscuit (beagle): two walks a day" || !averyView.Window.EndsAt.After(seededAt) {
		t.Errorf("Sam's view of Avery = %+v", averyView)
	}

	// Two days on (signing in again: sessions expire when idle), Casey's
	// overnights have started as well.
	// Access follows the stored status: until Casey's window workflow has
	// activated it, Sam does not see Casey; once it has, he does.
	h.clock.now = seededAt.Add(2 * 24 * time.Hour)
	sam, riley = h.login("sam@demo.test"), h.login("riley@demo.test")
	check("in two days, before the window's workflow ran", sam, []string{"avery-sam"})
	if _, err := h.store.Org(h.demo.OrgID).MoveWindowStatus(context.Background(), seed.ID("window/sam-casey"), store.WindowActive, store.WindowScheduled); err != nil {
		t.Fatal(err)
	}
	check("in two days", sam, []string{"avery-sam", "casey-sam"})
	check("in two days", riley, nil) // Blake's stay has ended

	// After every window has ended, nothing is left.
	h.clock.now = seededAt.Add(4*24*time.Hour + time.Minute)
	sam, riley = h.login("sam@demo.test"), h.login("riley@demo.test")
	check("in four days", sam, nil)
	check("in four days", riley, nil)

	// A cancelled window ends access at once.
	h.clock.now = seededAt
	sam = h.login("sam@demo.test")
	owner := h.login("owner@demo.test")
	if r := h.cancelWindow(owner, seed.ID("window/sam-avery").String()); r.Status != http.StatusOK {
		t.Fatalf("cancel = %d %s", r.Status, r.Body)
	}
	check("after cancelling", sam, nil)
}

func TestSitterMessagesAndRead(t *testing.T) {
	h := newHarness(t)
	sam := h.login("sam@demo.test")
	owner := h.login("owner@demo.test")
	avery := seed.ID("thread/avery-sam").String()

	r := h.do("GET", "/api/v1/sitter/threads/"+avery+"/messages", sam, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("messages = %d %s", r.Status, r.Body)
	}
	for _, field := range []string{`"routing"`, `"from"`, `"to"`, `"errorCode"`, `"attempts"`} {
		if strings.Contains(string(r.Body), field) {
			t.Errorf("a sitter's messages carry %s: %s", field, r.Body)
		}
	}
	var page api.SitterMessagePage
	r.json(t, &page)
	if len(page.Messages) != 3 || page.Messages[0].SenderName != "Avery Johnson" || page.Messages[0].Mine ||
		page.Messages[1].SenderName != "Sam Patel" || !page.Messages[1].Mine || page.Messages[2].Body != "Amazing, thank you! Could you send a photo later?" {
		t.Errorf("Sam's messages = %+v", page.Messages)
	}
	r = h.do("GET", "/api/v1/sitter/threads/"+avery+"/messages?limit=1", sam, nil)
	var newest api.SitterMessagePage
	r.json(t, &newest)
	if len(newest.Messages) != 1 || newest.Messages[0].ID != page.Messages[2].ID || newest.NextCursor == "" {
		t.Errorf("newest page = %s", r.Body)
	}
	var older api.SitterMessagePage
	h.do("GET", "/api/v1/sitter/threads/"+avery+"/messages?limit=5&cursor="+url.QueryEscape(newest.NextCursor), sam, nil).json(t, &older)
	if len(older.Messages) != 2 || older.Messages[1].ID != page.Messages[1].ID || older.NextCursor != "" {
		t.Errorf("older page = %+v", older)
	}

	// Sam reads: his unread count clears, the owner's does not.
	if r := h.do("POST", "/api/v1/sitter/threads/"+avery+"/read", sam, nil); r.Status != http.StatusOK {
		t.Fatalf("read = %d %s", r.Status, r.Body)
	}
	if got := h.sitterPage(sam, "").Threads[0].Unread; got != 0 {
		t.Errorf("Sam's unread after reading = %d", got)
	}
	var th api.ThreadDetailView
	h.do("GET", "/api/v1/threads/"+avery, owner, nil).json(t, &th)
	if th.Unread != 1 || th.SitterUnread != 0 {
		t.Errorf("owner unread %d, sitter unread %d; want 1 and 0", th.Unread, th.SitterUnread)
	}
	assertAudit(t, h, "thread.read")
	// Reading a thread outside the window is 404 and changes nothing.
	blake := seed.ID("thread/blake-riley").String()
	if r := h.do("POST", "/api/v1/sitter/threads/"+blake+"/read", sam, nil); r.Status != http.StatusNotFound {
		t.Errorf("Sam reading Riley's thread = %d, want 404", r.Status)
	}
}

func TestSitterRoleBoundaries(t *testing.T) {
	h := newHarness(t)
	sam := h.login("sam@demo.test")
	owner := h.login("owner@demo.test")
	avery := seed.ID("thread/avery-sam").String()
	for _, rq := range []struct{ method, path string }{
		{"GET", "/api/v1/threads"},
		{"GET", "/api/v1/threads/" + avery},
		{"GET", "/api/v1/threads/" + avery + "/messages"},
		{"POST", "/api/v1/threads/" + avery + "/read"},
		{"GET", "/api/v1/windows"},
		{"POST", "/api/v1/windows"},
		{"GET", "/api/v1/windows/" + seed.ID("window/sam-avery").String()},
		{"DELETE", "/api/v1/windows/" + seed.ID("window/sam-avery").String()},
		{"GET", "/api/v1/clients"},
		{"GET", "/api/v1/clients/" + seed.ID("client/avery").String()},
		{"GET", "/api/v1/sitters"},
	} {
		if r := h.do(rq.method, rq.path, sam, map[string]string{}); r.Status != http.StatusForbidden {
			t.Errorf("sitter %s %s = %d, want 403", rq.method, rq.path, r.Status)
		}
	}
	// The sitter API is the sitters' own: an owner has the inbox instead.
	if r := h.do("GET", "/api/v1/sitter/threads", owner, nil); r.Status != http.StatusForbidden {
		t.Errorf("owner on the sitter API = %d, want 403", r.Status)
	}
	// Another org's thread, a made-up ID and garbage: 404 alike.
	for _, id := range []string{seed.ID("thread/other/zoe").String(), uuid.NewString(), "nope"} {
		if r := h.do("GET", "/api/v1/sitter/threads/"+id, sam, nil); r.Status != http.StatusNotFound {
			t.Errorf("GET sitter thread %s = %d, want 404", id, r.Status)
		}
	}
	if r := h.do("GET", "/api/v1/sitter/threads?cursor=not-a-cursor", sam, nil); r.Status != http.StatusBadRequest {
		t.Errorf("bad cursor = %d, want 400", r.Status)
	}
}

// phoneFormats are the ways a person might write an E.164 number.
func phoneFormats(e164 string) []string {
	national := strings.TrimPrefix(e164, "+1")
	return []string{
		e164, strings.TrimPrefix(e164, "+"), national, phone.Display(e164),
		national[:3] + "-" + national[3:6] + "-" + national[6:], national[:3] + "." + national[3:6] + "." + national[6:],
		national[:3] + " " + national[3:6] + " " + national[6:], national[3:6] + "-" + national[6:],
	}
}

// digitsOnly drops what people put between the digits of a number.
func digitsOnly(s string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(" -.()+/\u00a0", r) {
			return -1
		}
		return r
	}, s)
}

func TestSitterResponsesNeverCarryAClientNumber(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	db := h.store.DB()
	sam := h.login("sam@demo.test")
	riley := h.login("riley@demo.test")

	// Sam is asked to look in on the neighbor who texted the pool line:
	// a client still named after their number, who has typed it into a
	// message and whose photo link carries it.
	unknown := seed.ID("client/unknown-0119")
	thread := seed.ID("thread/unknown-0119-pool2")
	if _, err := db.NewInsert().Model(&store.AssignmentWindow{ID: uuid.New(), OrgID: h.demo.OrgID, SitterID: seed.ID("sitter/sam"), ClientID: unknown,
		StartsAt: h.clock.now.Add(-time.Hour), EndsAt: h.clock.now.Add(time.Hour), Status: store.WindowActive}).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.NewUpdate().Model((*store.Thread)(nil)).Set("assigned_sitter_id = ?", seed.ID("sitter/sam")).Where("id = ?", thread).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	msg := &store.Message{ID: uuid.New(), OrgID: h.demo.OrgID, ThreadID: thread, Direction: store.DirectionInbound, SenderType: store.SenderClient,
		Body: "Call me on 650.555.0119 or +1 (650) 555-0119, or 6505550119. Gate code 4471, see you 12/20/2026!", Status: store.StatusReceived,
		FromE164: "+16505550119", ToE164: seed.PoolNumber2, Encoding: "GSM-7", Segments: 1, Routing: []byte(`{"rule":"owner_inbox","from":"+16505550119"}`),
		Media: []message.MediaItem{{URL: "https://media.example/+16505550119/cat.jpg", ContentType: "image/jpeg"}, {URL: "https://media.example/dog.jpg", ContentType: "image/jpeg"}}}
	if _, err := db.NewInsert().Model(msg).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.NewUpdate().Model((*store.Thread)(nil)).Set("last_message_preview = ?, last_message_at = ?", msg.Body, h.clock.now).Where("id = ?", thread).Exec(ctx); err != nil {
		t.Fatal(err)
	}

	var bodies []string
	collect := func(method, path, token string, wantStatus int) response {
		t.Helper()
		r := h.do(method, path, token, nil)
		if r.Status != wantStatus {
			t.Errorf("%s %s = %d, want %d (%s)", method, path, r.Status, wantStatus, r.Body)
		}
		bodies = append(bodies, string(r.Body))
		return r
	}
	list := collect("GET", "/api/v1/sitter/threads", sam, http.StatusOK)
	var page api.SitterThreadPage
	list.json(t, &page)
	if got := sitterThreadKeys(page.Threads); !slices.Equal(sortedCopy(got), []string{"avery-sam", "unknown-0119-pool2"}) {
		t.Fatalf("Sam's list = %v", got)
	}
	for _, th := range page.Threads {
		if th.ID == thread && (th.Client.Name != "New client" || th.Line.Label != "Business line") {
			t.Errorf("unnamed client shown as %+v", th)
		}
	}
	r := collect("GET", "/api/v1/sitter/threads/"+thread.String()+"/messages", sam, http.StatusOK)
	var msgs api.SitterMessagePage
	r.json(t, &msgs)
	lastMsg := msgs.Messages[len(msgs.Messages)-1]
	if !strings.Contains(lastMsg.Body, "Gate code 4471, see you 12/20/2026!") || len(lastMsg.Media) != 1 || lastMsg.Media[0].URL != "https://media.example/dog.jpg" {
		t.Errorf("masked message = %+v (codes and dates stay, the number and the link carrying it go)", lastMsg)
	}
	for _, token := range []string{sam, riley} {
		for _, key := range append(slices.Clone(demoThreadKeys), "other/zoe") {
			id := seed.ID("thread/" + key).String()
			for _, sub := range []string{"", "/messages"} {
				bodies = append(bodies, string(h.do("GET", "/api/v1/sitter/threads/"+id+sub, token, nil).Body))
			}
			bodies = append(bodies, string(h.do("POST", "/api/v1/sitter/threads/"+id+"/read", token, nil).Body))
		}
		bodies = append(bodies, string(h.do("GET", "/api/v1/sitter/threads?limit=1", token, nil).Body))
		bodies = append(bodies, string(h.do("GET", "/api/v1/sitter/threads?limit=999", token, nil).Body))
		bodies = append(bodies, string(h.do("GET", "/api/v1/threads", token, nil).Body))
	}

	phones := append(seed.AllClientPhones(), "+16505550180") // and the other org's client
	for _, body := range bodies {
		compact := digitsOnly(body)
		for _, e164 := range phones {
			for _, f := range phoneFormats(e164) {
				if strings.Contains(body, f) {
					t.Fatalf("a sitter response contains %q (client %s): %s", f, e164, body)
				}
			}
			if national := strings.TrimPrefix(e164, "+1"); strings.Contains(compact, national) {
				t.Fatalf("a sitter response contains the digits of %s: %s", e164, body)
			}
		}
	}
	if len(bodies) < 100 {
		t.Fatalf("only %d responses checked", len(bodies))
	}
}
