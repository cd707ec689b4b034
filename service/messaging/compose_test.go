package messaging_test

import (
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/dev/seed"
	"github.com/snoutos/snout/dev/testenv"
	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/platform/obs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service/messaging"
)

func TestComposeAsStaffHandsTheMessageToDelivery(t *testing.T) {
	e := newEnv(t, true)
	emerson := seed.ID("thread/emerson-front")
	m, err := e.svc.ComposeAsStaff(e.ctx, e.owner, emerson, messaging.Draft{Body: "Dec 20–27 works!", MediaURLs: []string{"https://media.example/a.jpg"}})
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != store.StatusPending || m.SenderType != store.SenderOwner || *m.SenderUserID != e.owner.UserID ||
		m.FromE164 != seed.FrontDeskNumber || m.ToE164 != "+16505550105" || m.Encoding != "UCS-2" || m.Segments != 1 ||
		len(m.Media) != 1 || m.CorrelationID != obs.CorrelationID(e.ctx) {
		t.Errorf("composed message %+v", m)
	}
	stored, err := e.org.OutboundMessage(e.ctx, m.ID)
	if err != nil || stored.Body != "Dec 20–27 works!" || stored.Status != store.StatusPending {
		t.Errorf("stored message %+v, %v", stored, err)
	}
	in := e.deliveryInput(m.ID)
	if in.OrgID != e.demo.OrgID || in.MessageID != m.ID {
		t.Errorf("delivery started with %+v", in)
	}
	if got := testenv.StartedFor(e.ctx, e.tc, contract.DeliveryWorkflowID(m.ID)); got != obs.CorrelationID(e.ctx) {
		t.Errorf("delivery started for request %q, want the compose request's %q", got, obs.CorrelationID(e.ctx))
	}
	if ev := e.audited("message.composed", m.ID.String()); len(ev) != 1 || ev[0].ActorID != e.owner.UserID.String() ||
		ev[0].IP != e.owner.IP || ev[0].CorrelationID != obs.CorrelationID(e.ctx) || !strings.Contains(string(ev[0].Detail), `"senderType": "owner"`) {
		t.Errorf("audit %+v", ev)
	}

	m, err = e.svc.ComposeAsStaff(e.ctx, e.admin, emerson, messaging.Draft{Body: "Booking link coming."})
	if err != nil || m.SenderType != store.SenderAdmin {
		t.Errorf("admin's message %+v, %v", m, err)
	}
}

func TestComposeRefusesWhatCannotBeSent(t *testing.T) {
	e := newEnv(t, true)
	emerson := seed.ID("thread/emerson-front")
	for _, tc := range []struct {
		name   string
		d      messaging.Draft
		field  string
		code   string
		inText string
	}{
		{"empty", messaging.Draft{Body: "  "}, "body", "invalid_request", "Write a message"},
		{"too long", messaging.Draft{Body: strings.Repeat("a", 1601)}, "body", "message_too_long", "1,601 characters; the limit is 1,600"},
		{"too many attachments", messaging.Draft{Body: "hi", MediaURLs: make([]string, 11)}, "mediaUrls", "invalid_request", "at most 10"},
		{"not a web address", messaging.Draft{MediaURLs: []string{"ftp://files.example/a.jpg"}}, "mediaUrls", "invalid_request", "public http(s) URL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.svc.ComposeAsStaff(e.ctx, e.owner, emerson, tc.d)
			r := refusal(t, err, errs.KindInvalid, tc.code)
			if !strings.Contains(r.Fields[tc.field], tc.inText) {
				t.Errorf("fields %v, want %s to say %q", r.Fields, tc.field, tc.inText)
			}
		})
	}
	// Attachments alone are a message.
	if _, err := e.svc.ComposeAsStaff(e.ctx, e.owner, emerson, messaging.Draft{MediaURLs: []string{"https://media.example/a.jpg"}}); err != nil {
		t.Errorf("picture only: %v", err)
	}

	// Rosa texted STOP: refused in sendability's words, nothing stored.
	rosa := seed.ID("thread/rosa-front")
	before := e.messagesIn(rosa)
	_, err := e.svc.ComposeAsStaff(e.ctx, e.owner, rosa, messaging.Draft{Body: "Holiday bookings are open!"})
	r := refusal(t, err, errs.KindBlocked, "client_opted_out")
	if !strings.HasPrefix(r.Message, "Rosa Delgado replied STOP on ") || !strings.HasSuffix(r.Message, "until they text START.") {
		t.Errorf("opted-out refusal %q", r.Message)
	}
	if e.messagesIn(rosa) != before {
		t.Error("a message to an opted-out client was stored")
	}

	// The front desk number out of service: a conflict, nothing stored.
	if _, err := e.store.DB().NewUpdate().Model((*store.PhoneNumber)(nil)).Set("status = ?", store.NumberInactive).
		Where("id = ?", seed.ID("number/front")).Exec(e.ctx); err != nil {
		t.Fatal(err)
	}
	before = e.messagesIn(emerson)
	_, err = e.svc.ComposeAsStaff(e.ctx, e.owner, emerson, messaging.Draft{Body: "Hello"})
	if r := refusal(t, err, errs.KindConflict, "conflict"); !strings.Contains(r.Message, "business number is inactive") {
		t.Errorf("inactive number refusal %q", r.Message)
	}
	if e.messagesIn(emerson) != before {
		t.Error("a message from an inactive number was stored")
	}

	// Another org's thread, or none: not found.
	for _, id := range []uuid.UUID{seed.ID("thread/other/zoe"), uuid.New()} {
		_, err := e.svc.ComposeAsStaff(e.ctx, e.owner, id, messaging.Draft{Body: "hi"})
		if r := refusal(t, err, errs.KindNotFound, "not_found"); r.Message != "This conversation was not found." {
			t.Errorf("not found %q", r.Message)
		}
	}
}

func TestComposeWithoutTemporalStoresNothing(t *testing.T) {
	e := newEnv(t, false)
	emerson := seed.ID("thread/emerson-front")
	before := e.messagesIn(emerson)
	_, err := e.svc.ComposeAsStaff(e.ctx, e.owner, emerson, messaging.Draft{Body: "Are you there?"})
	if r := refusal(t, err, errs.KindUnavailable, "sending_unavailable"); r.RetryAfter <= 0 || !strings.Contains(r.Message, "nothing was sent") {
		t.Errorf("unavailable refusal %+v", r)
	}
	if e.messagesIn(emerson) != before {
		t.Error("a message that could not be handed to delivery stayed stored")
	}
}

func TestComposeAsSitterInsideTheWindowOnly(t *testing.T) {
	e := newEnv(t, true)
	avery := seed.ID("thread/avery-sam")
	m, err := e.svc.ComposeAsSitter(e.ctx, e.sam, avery, messaging.Draft{Body: "Biscuit had a long walk."})
	if err != nil {
		t.Fatal(err)
	}
	if m.SenderType != store.SenderSitter || m.SenderSitterID == nil || *m.SenderSitterID != seed.ID("sitter/sam") ||
		*m.SenderUserID != e.sam.UserID || m.FromE164 != seed.SamNumber || m.Status != store.StatusPending {
		t.Errorf("sitter's message %+v", m)
	}
	if in := e.deliveryInput(m.ID); in.MessageID != m.ID {
		t.Errorf("delivery input %+v", in)
	}
	if ev := e.audited("message.composed", m.ID.String()); len(ev) != 1 || !strings.Contains(string(ev[0].Detail), seed.ID("sitter/sam").String()) {
		t.Errorf("audit %+v", ev)
	}

	// Sam's window with Casey starts tomorrow; Riley's with Harper ended.
	for _, tc := range []struct {
		who    string
		thread string
		want   string
	}{
		{"sam", "thread/casey-sam", "Your assignment with Casey Nguyen starts at "},
		{"riley", "thread/harper-riley", "Your assignment with Harper Singh ended at "},
	} {
		a := e.sam
		if tc.who == "riley" {
			a = e.riley
		}
		before := e.messagesIn(seed.ID(tc.thread))
		_, err := e.svc.ComposeAsSitter(e.ctx, a, seed.ID(tc.thread), messaging.Draft{Body: "Hi!"})
		r := refusal(t, err, errs.KindForbidden, "forbidden")
		if !strings.HasPrefix(r.Message, tc.want) || !strings.HasSuffix(r.Message, "messages can only be sent during an assignment window.") ||
			!(strings.Contains(r.Message, "PST") || strings.Contains(r.Message, "PDT")) {
			t.Errorf("%s on %s: %q, want it to start %q, in the org's time zone", tc.who, tc.thread, r.Message, tc.want)
		}
		if e.messagesIn(seed.ID(tc.thread)) != before {
			t.Errorf("%s's message outside the window was stored", tc.who)
		}
	}
	// Not Sam's thread at all, or another org's: not found.
	for _, th := range []uuid.UUID{seed.ID("thread/blake-riley"), seed.ID("thread/emerson-front"), seed.ID("thread/other/zoe")} {
		_, err := e.svc.ComposeAsSitter(e.ctx, e.sam, th, messaging.Draft{Body: "Hi!"})
		refusal(t, err, errs.KindNotFound, "not_found")
	}
	// Someone who is no sitter here.
	_, err = e.svc.ComposeAsSitter(e.ctx, e.owner, avery, messaging.Draft{Body: "Hi!"})
	if r := refusal(t, err, errs.KindForbidden, "forbidden"); !strings.Contains(r.Message, "isn't set up as a sitter") {
		t.Errorf("owner on the sitter use case: %q", r.Message)
	}
	// The window is checked before the draft: a sitter outside it learns
	// that first.
	_, err = e.svc.ComposeAsSitter(e.ctx, e.riley, seed.ID("thread/harper-riley"), messaging.Draft{})
	refusal(t, err, errs.KindForbidden, "forbidden")
}

func TestComposeAsSitterBlockedByTheContentPolicy(t *testing.T) {
	e := newEnv(t, true)
	avery := seed.ID("thread/avery-sam")
	_, err := e.svc.ComposeAsSitter(e.ctx, e.sam, avery, messaging.Draft{Body: "Biscuit is fine. 415 555 0123. Pay via venmo."})
	r := refusal(t, err, errs.KindBlocked, messaging.CodePolicyViolation)
	const want = "Your message wasn't sent. It includes a phone number and mentions an outside payment app. " +
		"Your client can reach you through this conversation. Payments go through the business. " +
		"The business owner has been told and may review it."
	if r.Message != want || !strings.Contains(r.Fields["body"], "phone number") {
		t.Errorf("policy refusal %+v", r)
	}
	page, err := e.svc.PolicyViolations(e.ctx, e.owner, messaging.ViolationQuery{ThreadID: &avery, Limit: 10})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("violations %+v, %v", page.Items, err)
	}
	v := page.Items[0]
	if v.Status != store.ViolationOpen || v.MessageStatus != store.StatusBlocked || *v.SitterID != seed.ID("sitter/sam") ||
		len(v.Kinds) != 2 || v.Kinds[0] != "phone_number" || v.Kinds[1] != "payment_app" || strings.Contains(string(v.Excerpts), "555 0123") {
		t.Errorf("violation %+v excerpts %s", v, v.Excerpts)
	}
	if e.hasDelivery(v.MessageID) {
		t.Error("a blocked message was handed to delivery")
	}
	conv, _ := e.org.Conversation(e.ctx, avery)
	if conv.Thread.OpenViolations != 1 {
		t.Errorf("open violations on the thread = %d", conv.Thread.OpenViolations)
	}
	if ev := e.audited("message.blocked", v.MessageID.String()); len(ev) != 1 || ev[0].ActorID != e.sam.UserID.String() {
		t.Errorf("audit %+v", ev)
	}
}

func TestComposeAsSitterToAnOptedOutClientNamedAfterTheirNumber(t *testing.T) {
	e := newEnv(t, true)
	ctx, db := e.ctx, e.store.DB()
	// A texter the business never named, who then texted STOP, with a
	// window for Sam.
	unknown := &store.Client{ID: uuid.New(), OrgID: e.demo.OrgID, Name: "+16505550177", PhoneE164: "+16505550177",
		OptedOutAt: ptr(e.now().Add(-24 * hour)), OptedOutKeyword: "stop"}
	th := &store.Thread{ID: uuid.New(), OrgID: e.demo.OrgID, ClientID: unknown.ID, NumberID: seed.ID("number/sam")}
	w := &store.AssignmentWindow{ID: uuid.New(), OrgID: e.demo.OrgID, SitterID: seed.ID("sitter/sam"), ClientID: unknown.ID,
		StartsAt: e.now().Add(-hour), EndsAt: e.now().Add(hour), Status: store.WindowActive}
	for _, row := range []any{unknown, th, w} {
		if _, err := db.NewInsert().Model(row).Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	_, err := e.svc.ComposeAsSitter(ctx, e.sam, th.ID, messaging.Draft{Body: "Hi, I'm Sam!"})
	r := refusal(t, err, errs.KindBlocked, "client_opted_out")
	if !strings.HasPrefix(r.Message, "This client replied STOP on ") || strings.Contains(r.Message, "0177") {
		t.Errorf("refusal shown to the sitter: %q", r.Message)
	}
}
