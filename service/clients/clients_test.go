package clients_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/snoutos/snout/dev/seed"
	"github.com/snoutos/snout/dev/testenv"
	"github.com/snoutos/snout/dev/testenv/seeded"
	"github.com/snoutos/snout/internal/domain/message"
	"github.com/snoutos/snout/internal/domain/phone"
	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
	"github.com/snoutos/snout/service/clients"
	"github.com/snoutos/snout/service/messaging"
)

func TestMain(m *testing.M) { testenv.Main(m) }

type env struct {
	t     *testing.T
	ctx   context.Context
	db    seeded.SeededDB
	org   *store.OrgStore
	svc   *clients.Service
	now   time.Time
	admin service.Actor
	other service.Actor
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db := seeded.DB(t)
	e := &env{t: t, ctx: context.Background(), db: db, org: db.Store.Org(db.Demo.OrgID), now: time.Now().UTC()}
	au := service.Auditor{Store: db.Store, Log: db.Log}
	// No workflow client: a conversation's first text is refused as
	// unavailable after every rule has passed (api tests send through
	// the real delivery workflow and the simulator).
	msg := messaging.New(messaging.Deps{Store: db.Store, Now: func() time.Time { return e.now }, Log: db.Log, Audit: au})
	e.svc = &clients.Service{Store: db.Store, Messaging: msg, Now: func() time.Time { return e.now }, Auditor: au}
	e.admin = service.Actor{OrgID: db.Demo.OrgID, UserID: seed.ID("user/admin@demo.test"), Role: store.RoleAdmin}
	e.other = service.Actor{OrgID: db.Demo.OtherOrgID, UserID: seed.ID("user/owner@other.test"), Role: store.RoleOwner}
	return e
}

func refusal(t *testing.T, err error, kind errs.Kind, code string) *errs.Error {
	t.Helper()
	r, ok := errs.As(err)
	if !ok || r.Kind != kind || (code != "" && r.Code != code) {
		t.Fatalf("error = %v (%+v), want kind %d code %q", err, r, kind, code)
	}
	return r
}

func TestCreateAClientWithTwoPets(t *testing.T) {
	e := newEnv(t)
	d, err := e.svc.Create(e.ctx, e.admin, clients.Draft{
		Name:   "  Morgan Blue ",
		Phones: []clients.PhoneDraft{{Number: "(650) 555-0199", Label: "mobile"}, {Number: "+44 20 7946 0958", Label: "work"}},
		Email:  "Morgan@Blue.Example", Address: "12 Elm St", Tags: []string{"VIP", "vip", "cats"},
		Pets: []clients.PetDraft{{Name: "Rex", Notes: "Beagle, pulls on the leash"}, {Name: "Mia"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	c := d.Client
	if c.Name != "Morgan Blue" || c.PhoneE164 != "+16505550199" || c.Email != "morgan@blue.example" || strings.Join(c.Tags, ",") != "vip,cats" {
		t.Errorf("client = %+v", c)
	}
	if len(d.Phones) != 2 || !d.Phones[0].IsPrimary || d.Phones[1].E164 != "+442079460958" || d.Phones[1].IsPrimary {
		t.Errorf("phones = %+v", d.Phones)
	}
	if len(d.Pets) != 2 || d.Pets[0].Name != "Rex" || d.Pets[1].Name != "Mia" || d.Pets[0].Notes == "" {
		t.Errorf("pets = %+v", d.Pets)
	}
	// Either number finds the client (an inbound text from the work
	// number belongs to Morgan).
	if got, err := e.org.ClientByPhone(e.ctx, "+442079460958"); err != nil || got.ID != c.ID {
		t.Errorf("by second number = %+v (%v)", got, err)
	}
	page, err := e.svc.List(e.ctx, e.admin, clients.Query{Search: "blue.example"})
	if err != nil || len(page.Clients) != 1 || len(page.Clients[0].Pets) != 2 {
		t.Errorf("search by email = %+v (%v)", page, err)
	}
	page, err = e.svc.List(e.ctx, e.admin, clients.Query{Search: "7946 0958"})
	if err != nil || len(page.Clients) != 1 {
		t.Errorf("search by second number = %+v (%v)", page, err)
	}
}

func TestEveryBadFieldIsNamed(t *testing.T) {
	e := newEnv(t)
	_, err := e.svc.Create(e.ctx, e.admin, clients.Draft{
		Name:   "",
		Phones: []clients.PhoneDraft{{Number: "555-12"}, {Number: "call me"}, {Number: "650.555.0188", Primary: true}, {Number: "+1 650 555 0188"}},
		Email:  "morgan@", Tags: []string{" "}, Pets: []clients.PetDraft{{Name: " "}},
	})
	r := refusal(t, err, errs.KindInvalid, "invalid_request")
	for _, f := range []string{"name", "phones[0].number", "phones[1].number", "phones[3].number", "email", "tags[0]", "pets[0].name"} {
		if r.Fields[f] == "" {
			t.Errorf("no message for %s: %v", f, r.Fields)
		}
	}
	if !strings.Contains(r.Fields["phones[3].number"], "same number as phone 3") {
		t.Errorf("duplicate within the form = %q", r.Fields["phones[3].number"])
	}
	_, err = e.svc.Create(e.ctx, e.admin, clients.Draft{Name: "No Phone"})
	if r := refusal(t, err, errs.KindInvalid, ""); r.Fields["phones"] == "" {
		t.Errorf("fields = %v", r.Fields)
	}
}

func TestANumberHeldByAnotherClientIsRefusedNamingThem(t *testing.T) {
	e := newEnv(t)
	_, err := e.svc.Create(e.ctx, e.admin, clients.Draft{Name: "Avery's Partner", Phones: []clients.PhoneDraft{{Number: "650-555-0101"}}})
	r := refusal(t, err, errs.KindInvalid, "phone_taken")
	if !strings.Contains(r.Fields["phones[0].number"], "Avery Johnson") {
		t.Errorf("fields = %v, want Avery Johnson named", r.Fields)
	}
	// Editing a client onto someone else's number is refused the same way;
	// keeping one's own numbers is fine.
	avery := seed.ID("client/avery")
	_, err = e.svc.Update(e.ctx, e.admin, avery, clients.Draft{Name: "Avery Johnson", Phones: []clients.PhoneDraft{{Number: "+16505550101"}, {Number: "+16505550102"}}})
	if r := refusal(t, err, errs.KindInvalid, "phone_taken"); !strings.Contains(r.Fields["phones[1].number"], "Blake Martinez") {
		t.Errorf("fields = %v", r.Fields)
	}
	d, err := e.svc.Update(e.ctx, e.admin, avery, clients.Draft{Name: "Avery J.", Phones: []clients.PhoneDraft{{Number: "+1 (415) 555-0177"}, {Number: "+16505550101", Primary: true}}})
	if err != nil || d.Client.PhoneE164 != "+16505550101" || len(d.Phones) != 2 {
		t.Fatalf("update = %+v (%v)", d.Client, err)
	}
	// The database backs the rule: a second row for the number can't be
	// stored even around the service.
	err = e.org.SaveClientRecord(e.ctx, &store.ClientRecord{Client: store.Client{Name: "Sneaky"}, Phones: []store.ClientPhone{{E164: "+14155550177"}}})
	if err == nil || !strings.Contains(err.Error(), "client_phones_org_e164_key") {
		t.Errorf("duplicate around the service: %v", err)
	}
}

func TestAnotherOrgsClientIsNotFound(t *testing.T) {
	e := newEnv(t)
	avery := seed.ID("client/avery")
	if _, err := e.svc.Get(e.ctx, e.other, avery); !errs.Is(err, errs.KindNotFound) {
		t.Errorf("get: %v", err)
	}
	if _, err := e.svc.Update(e.ctx, e.other, avery, clients.Draft{Name: "X", Phones: []clients.PhoneDraft{{Number: "+16505550111"}}}); !errs.Is(err, errs.KindNotFound) {
		t.Errorf("update: %v", err)
	}
	if _, err := e.svc.Archive(e.ctx, e.other, avery); !errs.Is(err, errs.KindNotFound) {
		t.Errorf("archive: %v", err)
	}
	if _, err := e.svc.Merge(e.ctx, e.other, clients.MergeRequest{From: avery, Into: seed.ID("client/blake")}); !errs.Is(err, errs.KindNotFound) {
		t.Errorf("merge: %v", err)
	}
	if _, err := e.svc.StartConversation(e.ctx, e.other, clients.Opening{ClientID: avery, Body: "Hi"}); !errs.Is(err, errs.KindNotFound) {
		t.Errorf("start conversation: %v", err)
	}
	// This org's client, another org's number.
	_, err := e.svc.StartConversation(e.ctx, e.admin, clients.Opening{ClientID: avery, Body: "Hi", NumberID: seed.ID("number/other/front").String()})
	if !errs.Is(err, errs.KindNotFound) {
		t.Errorf("another org's number: %v", err)
	}
}

// unknownSender stores a text from a number nobody knows, the way the
// inbound path does: a client named by the number, a thread, a message.
func (e *env) unknownSender(e164 string, numberID uuid.UUID, body string, at time.Time) (*store.Client, *store.Thread) {
	e.t.Helper()
	c, _, err := e.org.CreateClientIfMissing(e.ctx, &store.Client{OrgID: e.db.Demo.OrgID, Name: phone.Display(e164), PhoneE164: e164})
	if err != nil {
		e.t.Fatal(err)
	}
	th, _, err := e.org.EnsureThread(e.ctx, c.ID, numberID, at)
	if err != nil {
		e.t.Fatal(err)
	}
	m := &store.Message{ID: store.NewID(), OrgID: e.db.Demo.OrgID, ThreadID: th.ID, Direction: store.DirectionInbound, SenderType: store.SenderClient,
		Body: body, Media: []message.MediaItem{}, FromE164: e164, Status: store.StatusReceived, CreatedAt: at, UpdatedAt: at}
	if _, err := e.db.Store.DB().NewInsert().Model(m).Exec(e.ctx); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.db.Store.DB().NewUpdate().Model((*store.Thread)(nil)).Set("last_message_at = ?, last_message_preview = ?, owner_unread_count = 1", at, body).
		Where("id = ?", th.ID).Exec(e.ctx); err != nil {
		e.t.Fatal(err)
	}
	return c, th
}

func TestMergeANumberNamedClientIntoTheRealOne(t *testing.T) {
	e := newEnv(t)
	emerson := seed.ID("client/emerson")
	front, pool := seed.ID("number/front"), seed.ID("number/pool1")
	unknown, frontThread := e.unknownSender("+16505550155", front, "This is Emerson from my work phone", e.now.Add(-time.Minute))
	_, poolThread := e.unknownSender("+16505550155", pool, "Also texting this number", e.now.Add(-2*time.Minute))
	if !clients.NamedByNumber(unknown) {
		t.Fatalf("%q is not named by its number", unknown.Name)
	}
	if _, err := e.org.SetClientOptOut(e.ctx, unknown.ID, "STOP", e.now.Add(-30*time.Second)); err != nil {
		t.Fatal(err)
	}
	before, err := e.svc.Get(e.ctx, e.admin, emerson)
	if err != nil {
		t.Fatal(err)
	}
	// The preview says what will move and changes nothing.
	p, err := e.svc.PreviewMerge(e.ctx, e.admin, clients.MergeRequest{From: unknown.ID, Into: emerson})
	if err != nil {
		t.Fatal(err)
	}
	if p.Moved.ThreadsJoined != 1 || p.Moved.ThreadsMoved != 1 || p.Moved.MessagesMoved != 1 || p.Moved.PhonesMoved != 1 || !p.Moved.ConsentFollowed || p.History != 2 {
		t.Errorf("preview = %+v", p)
	}
	if _, err := e.org.ClientByID(e.ctx, unknown.ID); err != nil {
		t.Errorf("after the preview the number-named client is gone: %v", err)
	}
	if th, err := e.org.Thread(e.ctx, poolThread.ID); err != nil || th.ClientID != unknown.ID {
		t.Errorf("after the preview the pool thread = %+v (%v), want still the unknown sender's", th, err)
	}
	if _, err := e.svc.PreviewMerge(e.ctx, e.other, clients.MergeRequest{From: unknown.ID, Into: emerson}); !errs.Is(err, errs.KindNotFound) {
		t.Errorf("another org's preview = %v, want not found", err)
	}
	_, err = e.svc.PreviewMerge(e.ctx, e.admin, clients.MergeRequest{From: emerson, Into: emerson})
	refusal(t, err, errs.KindInvalid, "")

	m, err := e.svc.Merge(e.ctx, e.admin, clients.MergeRequest{From: unknown.ID, Into: emerson})
	if err != nil {
		t.Fatal(err)
	}
	if m.Moved != p.Moved {
		t.Errorf("merged %+v, the preview said %+v", m.Moved, p.Moved)
	}
	if m.Moved.ThreadsJoined != 1 || m.Moved.ThreadsMoved != 1 || m.Moved.MessagesMoved != 1 || m.Moved.PhonesMoved != 1 || !m.Moved.ConsentFollowed {
		t.Errorf("moved = %+v", m.Moved)
	}
	// Emerson now has the pool thread too, and the front desk thread holds
	// the unknown sender's message; the unknown client is gone.
	if len(m.Threads) != len(before.Threads)+1 {
		t.Errorf("threads = %d, want %d", len(m.Threads), len(before.Threads)+1)
	}
	if _, err := e.org.Thread(e.ctx, frontThread.ID); err == nil {
		t.Error("the unknown sender's front desk thread still exists (it should be joined into Emerson's)")
	}
	if th, err := e.org.Thread(e.ctx, poolThread.ID); err != nil || th.ClientID != emerson {
		t.Errorf("pool thread = %+v (%v), want Emerson's", th, err)
	}
	msgs, err := e.org.ThreadMessages(e.ctx, m.Threads[0].ID, nil, 50)
	found := false
	for _, x := range msgs {
		found = found || x.Body == "This is Emerson from my work phone"
	}
	if err != nil || !found {
		t.Errorf("the unknown sender's message did not follow into Emerson's front desk thread (%v)", err)
	}
	if _, err := e.org.ClientByID(e.ctx, unknown.ID); err == nil {
		t.Error("the number-named client still exists")
	}
	if c, err := e.org.ClientByPhone(e.ctx, "+16505550155"); err != nil || c.ID != emerson {
		t.Errorf("the work phone belongs to %+v (%v), want Emerson", c, err)
	}
	if m.Client.OptedOutAt == nil || m.Client.ConsentSource != store.ConsentMerge {
		t.Errorf("consent = %v %q, want the opt-out to follow", m.Client.OptedOutAt, m.Client.ConsentSource)
	}
	evs, _ := e.org.AuditEvents(e.ctx, store.AuditFilter{Action: "client.merged"}, 5)
	if len(evs) != 1 || evs[0].EntityID != emerson.String() {
		t.Errorf("merge audit = %+v", evs)
	}
	_, err = e.svc.Merge(e.ctx, e.admin, clients.MergeRequest{From: emerson, Into: emerson})
	refusal(t, err, errs.KindInvalid, "")
}

func TestConsentOnlyTheClientUndoesTheirStop(t *testing.T) {
	e := newEnv(t)
	rosa := seed.ID("client/rosa")
	_, err := e.svc.SetConsent(e.ctx, e.admin, clients.ConsentChange{ClientID: rosa, OptedOut: false})
	r := refusal(t, err, errs.KindBlocked, "opt_in_by_keyword_only")
	if !strings.Contains(r.Message, "STOP") {
		t.Errorf("reason = %q", r.Message)
	}
	avery := seed.ID("client/avery")
	d, err := e.svc.SetConsent(e.ctx, e.admin, clients.ConsentChange{ClientID: avery, OptedOut: true})
	if err != nil || d.Client.OptedOutAt == nil || d.Client.ConsentSource != store.ConsentStaff {
		t.Fatalf("staff opt-out = %+v (%v)", d.Client, err)
	}
	// A staff opt-out is staff's to undo.
	d, err = e.svc.SetConsent(e.ctx, e.admin, clients.ConsentChange{ClientID: avery, OptedOut: false})
	if err != nil || d.Client.OptedOutAt != nil {
		t.Fatalf("staff opt-in = %+v (%v)", d.Client, err)
	}
}

func TestStartingAConversationIsRefusedForOptedOutOrArchivedClients(t *testing.T) {
	e := newEnv(t)
	rosa := seed.ID("client/rosa")
	_, err := e.svc.StartConversation(e.ctx, e.admin, clients.Opening{ClientID: rosa, Body: "Hi Rosa!"})
	r := refusal(t, err, errs.KindBlocked, "client_opted_out")
	if !strings.Contains(r.Message, "Rosa Delgado replied STOP") {
		t.Errorf("reason = %q", r.Message)
	}
	before, _ := e.org.ClientThreads(e.ctx, rosa, e.now)
	after, _ := e.org.ClientThreads(e.ctx, rosa, e.now)
	if len(after) != len(before) {
		t.Error("a refused conversation left a thread behind")
	}
	dana := seed.ID("client/dana")
	if _, err := e.svc.Archive(e.ctx, e.admin, dana); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.StartConversation(e.ctx, e.admin, clients.Opening{ClientID: dana, Body: "Hello"})
	refusal(t, err, errs.KindConflict, "client_archived")
	_, err = e.svc.StartConversation(e.ctx, e.admin, clients.Opening{ClientID: seed.ID("client/avery"), Body: ""})
	refusal(t, err, errs.KindInvalid, "")
	_, err = e.svc.StartConversation(e.ctx, e.admin, clients.Opening{ClientID: seed.ID("client/avery"), Body: "Hi", NumberID: "not-an-id"})
	if r := refusal(t, err, errs.KindInvalid, ""); r.Fields["numberId"] == "" {
		t.Errorf("fields = %v", r.Fields)
	}
	// Archived clients leave the list, and come back on restore.
	page, _ := e.svc.List(e.ctx, e.admin, clients.Query{Search: "Dana"})
	if len(page.Clients) != 0 {
		t.Errorf("archived client listed: %+v", page.Clients)
	}
	page, _ = e.svc.List(e.ctx, e.admin, clients.Query{Search: "Dana", Archived: "only"})
	if len(page.Clients) != 1 {
		t.Errorf("archived list = %+v", page.Clients)
	}
}

func TestImportReportsEveryRow(t *testing.T) {
	e := newEnv(t)
	var b strings.Builder
	b.WriteString("Name,Phone,Email,Pets\n")
	for i := 0; i < 50; i++ {
		switch i {
		case 10:
			b.WriteString("Bad Phone,555-01,bad@example.com,Rex\n")
		case 20:
			b.WriteString(",+1 650 555 0400,noname@example.com,\n")
		case 30:
			b.WriteString("Avery Again,(650) 555-0101,,\n") // Avery Johnson's number
		default:
			fmt.Fprintf(&b, "Client %02d,(415) 555-%04d,client%02d@example.com,\"Rex; Mia (cat)\"\n", i, 2000+i, i)
		}
	}
	res, err := e.svc.Import(e.ctx, e.admin, strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 47 || res.Failed != 3 || len(res.Rows) != 50 {
		t.Fatalf("import = %d created, %d failed, %d rows", res.Created, res.Failed, len(res.Rows))
	}
	failed := map[int]clients.RowResult{}
	for _, r := range res.Rows {
		if r.Status == clients.RowFailed {
			failed[r.Line] = r
		}
	}
	if f := failed[12]; f.Fields["phone"] == "" {
		t.Errorf("line 12 = %+v, want the phone refused", f)
	}
	if f := failed[22]; f.Fields["name"] == "" {
		t.Errorf("line 22 = %+v, want the name refused", f)
	}
	if f := failed[32]; !strings.Contains(f.Error, "Avery Johnson") {
		t.Errorf("line 32 = %+v, want Avery Johnson named", f)
	}
	page, err := e.svc.List(e.ctx, e.admin, clients.Query{Search: "Client 05"})
	if err != nil || len(page.Clients) != 1 || len(page.Clients[0].Pets) != 2 || page.Clients[0].Pets[1].Notes != "cat" {
		t.Errorf("imported client = %+v (%v)", page.Clients, err)
	}
	// A header without the required columns is refused as a whole.
	_, err = e.svc.Import(e.ctx, e.admin, strings.NewReader("first,last\nA,B\n"))
	if r := refusal(t, err, errs.KindInvalid, ""); r.Fields["file"] == "" {
		t.Errorf("fields = %v", r.Fields)
	}

	out, err := e.svc.Export(e.ctx, e.admin)
	if err != nil {
		t.Fatal(err)
	}
	csv := string(out)
	if !strings.HasPrefix(csv, "name,phone,") || !strings.Contains(csv, "Client 05,+14155552005,,client05@example.com,Rex; Mia") {
		t.Errorf("export = %.400s", csv)
	}
	// The header, the demo org's 19 clients and the 47 imported; none of
	// the other org's.
	if n := strings.Count(csv, "\n"); n != 1+19+res.Created || strings.Contains(csv, "Zoe Park") {
		t.Errorf("export has %d lines, want %d and only this org's clients", n, 1+19+res.Created)
	}
}
