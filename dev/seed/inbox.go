package seed

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/domain/contentpolicy"
	"github.com/snoutos/snout/internal/domain/message"
	"github.com/snoutos/snout/internal/domain/phone"
	"github.com/snoutos/snout/internal/domain/routing"
	"github.com/snoutos/snout/internal/domain/segments"
	"github.com/snoutos/snout/internal/store"
)

// A realistic week in the demo inbox, beyond the four first conversations:
// a client with two threads, a visit that starts tomorrow, a finished stay,
// a photo, a new-booking request on a pool number, a texter the business
// does not know yet (named after their number), a client who opted out, a
// sitter's message blocked for sharing a phone number, and a sitter who has
// no login. Every row has a stable ID and is inserted only if missing, so
// `snout seed` can run any number of times.

// moreClients are the demo clients beyond the first eight.
var moreClients = []person{
	{"indigo", "Indigo Park", "+16505550109"},
	{"jules", "Jules Moreau", "+16505550110"},
	{"kiran", "Kiran Shah", "+16505550111"},
	{"lena", "Lena Fischer", "+16505550112"},
	{"marcus", "Marcus Bell", "+16505550113"},
	{"nadia", "Nadia Haddad", "+16505550114"},
	{"owen", "Owen Gallagher", "+16505550115"},
	{"priya", "Priya Raman", "+16505550116"},
	{"rosa", "Rosa Delgado", "+16505550117"},
	{"theo", "Theo Lindqvist", "+16505550118"},
	// Texted a pool number out of the blue: named after the number until
	// the owner names them, as the inbound workflow does.
	{"unknown-0119", phone.Display("+16505550119"), "+16505550119"},
}

// AllClientPhones lists the E.164 numbers of every demo-org client, for
// tests that check a sitter never sees one.
func AllClientPhones() []string {
	var out []string
	for _, c := range append(append([]person{}, demoClients...), moreClients...) {
		out = append(out, c.phone)
	}
	return out
}

// Who wrote a demo line.
const (
	byClient = "client"
	byOwner  = "owner"
	byAdmin  = "admin"
	bySitter = "sitter"
)

type demoLine struct {
	by    string
	body  string
	ago   time.Duration
	media []message.MediaItem
	// blocked: a sitter's message the content policy stopped.
	blocked bool
}

type demoConversation struct {
	key, client, number string
	sitter              string // assigned sitter key, "" for none
	lines               []demoLine
}

const (
	minute = time.Minute
	hour   = time.Hour
	day    = 24 * time.Hour
)

func (s *seeder) demoInbox(ctx context.Context, orgID uuid.UUID) error {
	// A sitter without a login: the owner texts on their behalf.
	jordanID := ID("sitter/jordan")
	if err := s.upsert(ctx, &store.Sitter{ID: jordanID, OrgID: orgID, Name: "Jordan Diaz", PhoneE164: "+16505550193", Active: true}, "(id)"); err != nil {
		return err
	}
	sitters := map[string]uuid.UUID{"sam": ID("sitter/sam"), "riley": ID("sitter/riley"), "jordan": jordanID}
	sitterNames := map[uuid.UUID]string{ID("sitter/sam"): "Sam Patel", ID("sitter/riley"): "Riley Brooks", jordanID: "Jordan Diaz"}

	for _, c := range moreClients {
		cl := &store.Client{ID: ID("client/" + c.key), OrgID: orgID, Name: c.name, PhoneE164: c.phone, CreatedAt: s.now.Add(-30 * day)}
		if c.key == "rosa" {
			at := s.now.Add(-4 * day)
			cl.OptedOutAt, cl.OptedOutKeyword = &at, "STOP"
		}
		if err := s.upsert(ctx, cl, "(id)"); err != nil {
			return err
		}
	}

	windows := []store.AssignmentWindow{
		{ID: ID("window/riley-harper"), SitterID: sitters["riley"], ClientID: ID("client/harper"), StartsAt: s.now.Add(-5 * day), EndsAt: s.now.Add(-2 * day), Note: "Ziggy (cockatiel) and Rosie (tortoise): morning visits"},
		{ID: ID("window/jordan-owen"), SitterID: jordanID, ClientID: ID("client/owen"), StartsAt: s.now.Add(-20 * hour), EndsAt: s.now.Add(4 * day), Note: "Maple (golden retriever): walks at 8am and 5pm, gate code with the owner"},
		{ID: ID("window/riley-nadia"), SitterID: sitters["riley"], ClientID: ID("client/nadia"), StartsAt: s.now.Add(6 * day), EndsAt: s.now.Add(9 * day), Note: "Sultan (Maine coon): wet food twice a day"},
		{ID: ID("window/sam-indigo"), SitterID: sitters["sam"], ClientID: ID("client/indigo"), StartsAt: s.now.Add(10 * day), EndsAt: s.now.Add(12 * day), Note: "Waffles (corgi): drop-ins"},
	}
	for i := range windows {
		windows[i].OrgID = orgID
		if err := s.window(ctx, &windows[i]); err != nil {
			return err
		}
	}
	// Routing sees every window of the org, as the inbound workflow does.
	var all []store.AssignmentWindow
	if err := s.tx.NewSelect().Model(&all).Where("org_id = ? AND status <> 'cancelled'", orgID).Scan(ctx); err != nil {
		return err
	}
	routingWindows := make([]routing.Window, 0, len(all))
	for _, w := range all {
		routingWindows = append(routingWindows, routing.Window{ID: w.ID.String(), SitterID: w.SitterID.String(), ClientID: w.ClientID.String(), StartsAt: w.StartsAt, EndsAt: w.EndsAt})
	}

	photo := func(name string) []message.MediaItem {
		return []message.MediaItem{{URL: "https://media.happytails.example/demo/" + name + ".jpg", ContentType: "image/jpeg"}}
	}
	convs := []demoConversation{
		{"avery-front", "avery", "front", "", []demoLine{
			{byClient, "Hi! Could you resend last month's invoice? I can't find the email.", 2*day + 3*hour, nil, false},
			{byAdmin, "Of course, Avery. Just sent it to the address on file, let us know if it doesn't arrive.", 2*day + 2*hour, nil, false},
			{byClient, "Got it, thank you!", 2*day + 90*minute, nil, false},
		}},
		{"casey-sam", "casey", "sam", "sam", []demoLine{
			{byClient, "Hi Sam, looking forward to tomorrow. Luna's crate is in the garage, she sleeps in it at night.", 5 * hour, nil, false},
			{byClient, "Also her raincoat is on the hook by the door if it pours 🌧️", 4*hour + 50*minute, nil, false},
		}},
		{"harper-riley", "harper", "riley", "riley", []demoLine{
			{byClient, "Morning Riley! Ziggy gets the millet spray only as a treat, one a day.", 4*day + 20*hour, nil, false},
			{bySitter, "Morning! Ziggy is chirping away and Rosie had her greens. All good.", 4*day + 18*hour, nil, false},
			{byClient, "Could you send me pictures on WhatsApp instead? Easier for my mum to see.", 3*day + 6*hour, nil, false},
			{bySitter, "Sure! Easiest is to text me directly at 650 555 0192 and I'll send them there.", 3*day + 5*hour, nil, true},
			{byOwner, "Hi Harper, Riley's photos come through this number so everything stays in one place. Here's today's!", 3*day + 4*hour, photo("ziggy-rosie"), false},
		}},
		{"indigo-front", "indigo", "front", "", []demoLine{
			{byClient, "This is Waffles, our corgi. We're away the 8th to the 10th next month, can Sam do drop-ins?", 26 * hour, photo("waffles"), false},
			{byOwner, "What a face! Yes, Sam is booked for you. He'll text from his line the day before.", 25 * hour, nil, false},
		}},
		{"jules-pool1", "jules", "pool1", "", []demoLine{
			{byClient, "Hi, saw your flyer at the dog park. What do you charge for a 30 minute walk?", 7 * hour, nil, false},
			{byOwner, "Hi Jules! A 30-minute walk is $25, and $40 for an hour. Happy to set up a meet-and-greet.", 6*hour + 30*minute, nil, false},
			{byClient, "Great, does Thursday afternoon work for the meet and greet?", 35 * minute, nil, false},
		}},
		{"kiran-front", "kiran", "front", "", []demoLine{
			{byClient, "Tofu has been sneezing a bit, is it ok to still do the visit tomorrow?", 9 * day, nil, false},
			{byOwner, "Thanks for the heads-up. Yes, we'll keep an eye on him and let you know how he seems.", 9*day - 30*minute, nil, false},
			{byClient, "Vet says it's just a cold. Miso is fine.", 8 * day, nil, false},
			{byOwner, "Glad to hear it! Give them both a scratch from us.", 8*day - 15*minute, nil, false},
		}},
		{"lena-front", "lena", "front", "", []demoLine{
			{byClient, "Otto's new harness is in the blue bag. He pulls less with it 🐕", 30 * hour, nil, false},
			{byOwner, "Noted on his profile, thank you Lena!", 29 * hour, nil, false},
		}},
		{"marcus-front", "marcus", "front", "", []demoLine{
			{byClient, "Do you look after rabbits? Juniper needs someone for a long weekend, Dec 19-22.", 3 * hour, nil, false},
			{byClient, "She's litter trained and very chill.", 2*hour + 55*minute, nil, false},
		}},
		{"nadia-riley", "nadia", "riley", "riley", []demoLine{
			{byClient, "Hi Riley, Sultan's food is the salmon pâté, half a can morning and night. See you next week!", 20 * hour, nil, false},
		}},
		{"owen-front", "owen", "front", "jordan", []demoLine{
			{byClient, "Did Maple get her evening walk? She's been barking at the window.", 50 * minute, nil, false},
			{byOwner, "Checking with Jordan now, one moment.", 45 * minute, nil, false},
			{byOwner, "Jordan says yes, a long loop by the lake at 5:10. She's probably seen a squirrel!", 25 * minute, nil, false},
			{byClient, "Haha that sounds right. Thanks!", 10 * minute, nil, false},
		}},
		{"priya-front", "priya", "front", "", []demoLine{
			{byClient, "Pickles had a great time at the park today, thank you for the photos!", 5 * day, nil, false},
		}},
		{"rosa-front", "rosa", "front", "", []demoLine{
			{byOwner, "Hi Rosa, a reminder that holiday bookings open on Monday.", 4*day + 2*hour, nil, false},
			{byClient, "STOP", 4 * day, nil, false},
		}},
		{"unknown-0119-pool2", "unknown-0119", "pool2", "", []demoLine{
			{byClient, "Hello, is this the pet sitter? A neighbor gave me this number.", 95 * minute, nil, false},
		}},
	}

	numbers := map[string]store.PhoneNumber{}
	var nums []store.PhoneNumber
	if err := s.tx.NewSelect().Model(&nums).Where("org_id = ?", orgID).Scan(ctx); err != nil {
		return err
	}
	for _, n := range nums {
		for _, key := range []string{"front", "sam", "riley", "pool1", "pool2"} {
			if n.ID == ID("number/"+key) {
				numbers[key] = n
			}
		}
	}
	users := map[string]*uuid.UUID{}
	for by, email := range map[string]string{byOwner: "owner@demo.test", byAdmin: "admin@demo.test"} {
		var id uuid.UUID
		if err := s.tx.NewSelect().Model((*store.User)(nil)).Column("id").Where("email = ?", email).Scan(ctx, &id); err != nil {
			return err
		}
		users[by] = &id
	}
	clientPhone := map[string]string{}
	for _, c := range append(append([]person{}, demoClients...), moreClients...) {
		clientPhone[c.key] = c.phone
	}

	for _, cv := range convs {
		if err := s.conversation(ctx, orgID, cv, numbers[cv.number], sitters, sitterNames, users, clientPhone[cv.client], routingWindows); err != nil {
			return fmt.Errorf("demo conversation %s: %w", cv.key, err)
		}
	}
	return nil
}

// conversation stores one demo thread and its messages, with unread counts,
// routing traces for the client's texts, and a policy violation for a
// blocked sitter message.
func (s *seeder) conversation(ctx context.Context, orgID uuid.UUID, cv demoConversation, number store.PhoneNumber,
	sitters map[string]uuid.UUID, sitterNames map[uuid.UUID]string, users map[string]*uuid.UUID, clientPhone string, windows []routing.Window) error {
	tid := ID("thread/" + cv.key)
	clientID := ID("client/" + cv.client)
	var assigned *uuid.UUID
	if cv.sitter != "" {
		id := sitters[cv.sitter]
		assigned = &id
	}
	var (
		ownerUnread, sitterUnread, violations int
		last                                  demoLine
		msgs                                  []*store.Message
		blocked                               []*store.PolicyViolation
	)
	for i, l := range cv.lines {
		at := s.now.Add(-l.ago)
		info := segments.Analyze(l.body)
		m := &store.Message{ID: ID(fmt.Sprintf("message/%s/%d", cv.key, i)), OrgID: orgID, ThreadID: tid, Body: l.body, Media: l.media,
			Encoding: string(info.Encoding), Segments: info.Segments, CreatedAt: at, UpdatedAt: at, CorrelationID: "seed-" + cv.key}
		if m.Media == nil {
			m.Media = []message.MediaItem{}
		}
		switch l.by {
		case byClient:
			m.Direction, m.SenderType, m.Status = store.DirectionInbound, store.SenderClient, store.StatusReceived
			m.FromE164, m.ToE164 = clientPhone, number.E164
			sid := "SM" + strings.ReplaceAll(ID("sid/"+m.ID.String()).String(), "-", "")
			m.ProviderSID = &sid
			trace, routed := demoRoute(at, tid, clientID, number, windows, sitterNames)
			raw, err := json.Marshal(trace)
			if err != nil {
				return err
			}
			m.Routing, m.RoutedToSitterID = raw, routed
			ownerUnread++
			if routed != nil {
				sitterUnread++
			}
		case bySitter:
			m.Direction, m.SenderType, m.SenderSitterID = store.DirectionOutbound, store.SenderSitter, assigned
			m.FromE164, m.ToE164 = number.E164, clientPhone
			if l.blocked {
				m.Status = store.StatusBlocked
				blocked = append(blocked, violationFor(m, assigned))
				violations++
			} else {
				m.Status, m.Attempts = store.StatusDelivered, 1
				ownerUnread, sitterUnread = 0, 0
			}
		default: // owner or admin
			m.Direction, m.SenderType, m.SenderUserID = store.DirectionOutbound, l.by, users[l.by]
			m.FromE164, m.ToE164 = number.E164, clientPhone
			m.Status, m.Attempts = store.StatusDelivered, 1
			ownerUnread, sitterUnread = 0, 0
		}
		if m.Status != store.StatusBlocked {
			last = l
		}
		msgs = append(msgs, m)
	}
	th := &store.Thread{ID: tid, OrgID: orgID, ClientID: clientID, NumberID: number.ID, AssignedSitterID: assigned,
		LastMessageAt: s.now.Add(-last.ago), LastMessagePreview: previewOf(last), OwnerUnreadCount: ownerUnread,
		SitterUnreadCount: sitterUnread, OpenViolations: violations, CreatedAt: s.now.Add(-cv.lines[0].ago)}
	if err := s.upsert(ctx, th, ""); err != nil {
		return err
	}
	for _, m := range msgs {
		if err := s.upsert(ctx, m, ""); err != nil {
			return err
		}
	}
	for _, v := range blocked {
		if err := s.upsert(ctx, v, ""); err != nil {
			return err
		}
	}
	return nil
}

func previewOf(l demoLine) string {
	if l.body == "" && len(l.media) > 0 {
		return "📎 1 attachment"
	}
	return preview(l.body)
}

// demoRoute decides a demo text's route with the product's own rules and
// returns the trace as the inbound workflow stores it.
func demoRoute(at time.Time, threadID, clientID uuid.UUID, number store.PhoneNumber, windows []routing.Window, names map[uuid.UUID]string) (routing.Trace, *uuid.UUID) {
	n := routing.Number{ID: number.ID.String(), Class: routing.NumberClass(number.Class)}
	if number.SitterID != nil {
		n.SitterID = number.SitterID.String()
	}
	d := routing.Decide(routing.Input{Now: at, ThreadID: threadID.String(), ClientID: clientID.String(), Number: n, Windows: windows})
	readable := func(text string) string {
		for id, name := range names {
			text = strings.ReplaceAll(text, id.String(), name)
		}
		return text
	}
	t := routing.Trace{Rule: d.Rule, Reason: readable(d.Reason), Target: routing.TraceTarget{Kind: string(d.Target.Kind)},
		DecidedAt: at, NumberID: number.ID, NumberClass: number.Class}
	for _, st := range d.Trace {
		t.Steps = append(t.Steps, routing.TraceStep{Rule: st.Rule, Outcome: st.Outcome, Detail: readable(st.Detail)})
	}
	if d.Target.Kind != routing.TargetSitter {
		return t, nil
	}
	id := uuid.MustParse(d.Target.SitterID)
	t.Target.SitterID, t.Target.SitterName = &id, names[id]
	return t, &id
}

// violationFor records why a demo sitter message was blocked, with the
// content policy's own findings.
func violationFor(m *store.Message, sitterID *uuid.UUID) *store.PolicyViolation {
	res := contentpolicy.Screen(m.Body)
	kinds := []string{}
	excerpts := []store.Excerpt{}
	for _, v := range res.Violations {
		if !containsKind(kinds, string(v.Kind)) {
			kinds = append(kinds, string(v.Kind))
		}
		excerpts = append(excerpts, store.Excerpt{Kind: string(v.Kind), Excerpt: v.Excerpt, Reason: v.Reason})
	}
	raw, _ := json.Marshal(excerpts)
	return &store.PolicyViolation{ID: ID("violation/" + m.ID.String()), OrgID: m.OrgID, MessageID: m.ID, ThreadID: m.ThreadID,
		SitterID: sitterID, Kinds: kinds, Excerpts: raw, Status: store.ViolationOpen, CreatedAt: m.CreatedAt}
}

func containsKind(list []string, k string) bool {
	for _, v := range list {
		if v == k {
			return true
		}
	}
	return false
}
