package inbox_test

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/snoutos/snout/dev/seed"
	"github.com/snoutos/snout/dev/testenv"
	"github.com/snoutos/snout/dev/testenv/seeded"
	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
	"github.com/snoutos/snout/service/inbox"
)

func TestMain(m *testing.M) { testenv.Main(m) }

type env struct {
	db    seeded.SeededDB
	inbox *inbox.Service
	now   time.Time
	ctx   context.Context
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db := seeded.DB(t)
	e := &env{db: db, now: time.Now(), ctx: context.Background()}
	e.inbox = &inbox.Service{Store: db.Store, Now: func() time.Time { return e.now }, Auditor: service.Auditor{Store: db.Store, Log: db.Log}}
	return e
}

// user is a demo login as the application layer knows it.
func (e *env) user(t *testing.T, email string) service.Actor {
	t.Helper()
	u, err := e.db.Store.UserByEmail(e.ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	m, err := e.db.Store.PrimaryMembership(e.ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	return service.Actor{OrgID: m.OrgID, UserID: u.ID, Role: m.Role, IP: "192.0.2.1"}
}

func wantKind(t *testing.T, what string, err error, k errs.Kind) *errs.Error {
	t.Helper()
	e, ok := errs.As(err)
	if !ok || e.Kind != k {
		t.Fatalf("%s: got %v, want a refusal of kind %d", what, err, k)
	}
	return e
}

func TestThreadsRefuseAnotherOrgsSitterAndOverlongSearch(t *testing.T) {
	e := newEnv(t)
	owner := e.user(t, "owner@demo.test")
	other := seed.ID("sitter/sam")
	otherOwner := e.user(t, e.db.Demo.OtherOwnerEmail)
	_, err := e.inbox.Threads(e.ctx, otherOwner, inbox.ThreadQuery{SitterID: &other})
	if r := wantKind(t, "another org's sitter", err, errs.KindNotFound); r.Message != "The sitter was not found." {
		t.Errorf("message %q", r.Message)
	}
	_, err = e.inbox.Threads(e.ctx, owner, inbox.ThreadQuery{Search: strings.Repeat("é", inbox.MaxSearchLength+1)})
	if r := wantKind(t, "long search", err, errs.KindInvalid); r.Fields["q"] == "" {
		t.Errorf("no message for q: %+v", r)
	}
	// The owner's own sitter filters; every thread listed is Sam's.
	page, err := e.inbox.Threads(e.ctx, owner, inbox.ThreadQuery{SitterID: &other})
	if err != nil || len(page.Threads) == 0 {
		t.Fatalf("Sam's threads: %d %v", len(page.Threads), err)
	}
	for _, th := range page.Threads {
		if th.AssignedSitterID == nil || *th.AssignedSitterID != other {
			t.Errorf("thread %s is not Sam's", th.ID)
		}
	}
}

func TestThreadPagesWalkEveryThreadOnce(t *testing.T) {
	e := newEnv(t)
	owner := e.user(t, "owner@demo.test")
	all, err := e.inbox.Threads(e.ctx, owner, inbox.ThreadQuery{Limit: inbox.MaxPageSize})
	if err != nil || all.Next != nil || len(all.Threads) < 5 {
		t.Fatalf("all threads: %d next %v err %v", len(all.Threads), all.Next, err)
	}
	var walked []uuid.UUID
	q := inbox.ThreadQuery{Limit: 2}
	for range 100 {
		page, err := e.inbox.Threads(e.ctx, owner, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, th := range page.Threads {
			walked = append(walked, th.ID)
		}
		if page.Next == nil {
			break
		}
		q.After = page.Next
	}
	want := make([]uuid.UUID, 0, len(all.Threads))
	for _, th := range all.Threads {
		want = append(want, th.ID)
	}
	if !slices.Equal(walked, want) {
		t.Fatalf("pages of 2 walked %d threads, the whole list has %d", len(walked), len(want))
	}
}

func TestThreadFlagsAndWindowStatusAreAsOfNow(t *testing.T) {
	e := newEnv(t)
	owner := e.user(t, "owner@demo.test")
	d, err := e.inbox.Thread(e.ctx, owner, seed.ID("thread/rosa-front"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(d.Flags, "opted_out") {
		t.Errorf("Rosa opted out; flags %v", d.Flags)
	}
	// Sam's window with Casey starts tomorrow: scheduled now, active then.
	casey := seed.ID("thread/casey-sam")
	if d, err := e.inbox.Thread(e.ctx, owner, casey); err != nil || d.WindowNow != store.InboxWindowScheduled {
		t.Fatalf("casey-sam now: %q %v", d.WindowNow, err)
	}
	e.now = e.now.Add(25 * time.Hour)
	if d, err := e.inbox.Thread(e.ctx, owner, casey); err != nil || d.WindowNow != store.InboxWindowActive {
		t.Fatalf("casey-sam tomorrow: %q %v", d.WindowNow, err)
	}
	if _, err := e.inbox.Thread(e.ctx, owner, seed.ID("thread/other/zoe")); !errs.Is(err, errs.KindNotFound) {
		t.Fatalf("another org's thread: %v", err)
	}
}

func TestMessagesReadOldestFirstAndPageBackwards(t *testing.T) {
	e := newEnv(t)
	owner := e.user(t, "owner@demo.test")
	thread := seed.ID("thread/avery-sam")
	all, err := e.inbox.Messages(e.ctx, owner, inbox.MessageQuery{ThreadID: thread, Limit: inbox.MaxPageSize})
	if err != nil || all.Older != nil || len(all.Messages) < 3 {
		t.Fatalf("all messages: %d older %v err %v", len(all.Messages), all.Older, err)
	}
	if !slices.IsSortedFunc(all.Messages, func(a, b inbox.Message) int { return a.CreatedAt.Compare(b.CreatedAt) }) {
		t.Error("a conversation reads oldest first")
	}
	for _, m := range all.Messages {
		if m.SenderName == "" {
			t.Errorf("message %s has no sender name", m.ID)
		}
	}
	// Page backwards two at a time and put the pages back together.
	var walked []uuid.UUID
	var before *store.PageCursor
	for range 100 {
		page, err := e.inbox.Messages(e.ctx, owner, inbox.MessageQuery{ThreadID: thread, Before: before, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		ids := make([]uuid.UUID, 0, len(page.Messages))
		for _, m := range page.Messages {
			ids = append(ids, m.ID)
		}
		walked = append(ids, walked...)
		if page.Older == nil {
			break
		}
		before = page.Older
	}
	if len(walked) != len(all.Messages) {
		t.Fatalf("walked %d messages of %d", len(walked), len(all.Messages))
	}
	for i, m := range all.Messages {
		if walked[i] != m.ID {
			t.Fatalf("message %d differs when paged", i)
		}
	}
}

func TestMarkReadIsAuditedAndScopedToTheOrg(t *testing.T) {
	e := newEnv(t)
	admin := e.user(t, "admin@demo.test")
	thread := seed.ID("thread/avery-sam")
	before, err := e.inbox.Thread(e.ctx, admin, thread)
	if err != nil || before.OwnerUnreadCount == 0 {
		t.Fatalf("avery-sam should start unread: %d %v", before.OwnerUnreadCount, err)
	}
	if r, err := e.inbox.MarkRead(e.ctx, admin, thread); err != nil || r.PreviousUnread != before.OwnerUnreadCount {
		t.Fatalf("read %+v %v, want %d previously unread", r, err, before.OwnerUnreadCount)
	}
	after, _ := e.inbox.Thread(e.ctx, admin, thread)
	if after.OwnerUnreadCount != 0 {
		t.Errorf("unread after read = %d", after.OwnerUnreadCount)
	}
	events, err := e.db.Store.Org(admin.OrgID).AuditEvents(e.ctx, store.AuditFilter{Action: "thread.read", EntityID: thread.String()}, 10)
	if err != nil || len(events) != 1 || events[0].ActorID != admin.UserID.String() || !strings.Contains(string(events[0].Detail), `"role": "admin"`) {
		t.Fatalf("thread.read audit = %+v %v", events, err)
	}
	if _, err := e.inbox.MarkRead(e.ctx, admin, seed.ID("thread/other/zoe")); !errs.Is(err, errs.KindNotFound) {
		t.Fatalf("reading another org's thread: %v", err)
	}
}

func TestSitterSeesOnlyWhatTheirWindowAllows(t *testing.T) {
	e := newEnv(t)
	sam := e.user(t, "sam@demo.test")
	page, err := e.inbox.SitterThreads(e.ctx, sam, inbox.PageQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Threads) != 1 || page.Threads[0].ID != seed.ID("thread/avery-sam") {
		t.Fatalf("Sam sees %+v, want only avery-sam", page.Threads)
	}
	// Casey's window starts tomorrow: the thread does not exist for Sam
	// today, by the same rule for one thread, its messages and its read.
	casey := seed.ID("thread/casey-sam")
	if _, err := e.inbox.SitterThread(e.ctx, sam, casey); !errs.Is(err, errs.KindNotFound) {
		t.Errorf("casey-sam before the window: %v", err)
	}
	if _, err := e.inbox.SitterMessages(e.ctx, sam, inbox.MessageQuery{ThreadID: casey}); !errs.Is(err, errs.KindNotFound) {
		t.Errorf("casey-sam messages before the window: %v", err)
	}
	if _, err := e.inbox.SitterMarkRead(e.ctx, sam, casey); !errs.Is(err, errs.KindNotFound) {
		t.Errorf("casey-sam read before the window: %v", err)
	}
	// A day on, the window's workflow has activated it (access reads the
	// stored status that only the workflow sets).
	e.now = e.now.Add(25 * time.Hour)
	if _, err := e.db.Store.Org(e.db.Demo.OrgID).MoveWindowStatus(e.ctx, seed.ID("window/sam-casey"), store.WindowActive, store.WindowScheduled); err != nil {
		t.Fatal(err)
	}
	if _, err := e.inbox.SitterThread(e.ctx, sam, casey); err != nil {
		t.Errorf("casey-sam in the window: %v", err)
	}
	if _, err := e.inbox.SitterMarkRead(e.ctx, sam, casey); err != nil {
		t.Errorf("casey-sam read in the window: %v", err)
	}
	// An owner is no sitter.
	if _, err := e.inbox.SitterThreads(e.ctx, e.user(t, "owner@demo.test"), inbox.PageQuery{}); err != inbox.ErrNoSitterProfile {
		t.Errorf("owner's sitter list: %v", err)
	}
}

func TestSitterReadModelsMaskNumbers(t *testing.T) {
	e := newEnv(t)
	sam := e.user(t, "sam@demo.test")
	thread := seed.ID("thread/avery-sam")
	msg := &store.Message{ID: uuid.New(), OrgID: sam.OrgID, ThreadID: thread, Direction: store.DirectionInbound, SenderType: store.SenderClient,
		Body: "Text me at (650) 555-0101 if Biscuit eats the gate code 4471", Status: store.StatusReceived, FromE164: "+16505550101",
		ToE164: seed.SamNumber, Encoding: "GSM-7", Segments: 1, CreatedAt: e.now.Add(time.Minute), ErrorMessage: "retry 650-555-0101",
		Media: nil}
	if _, err := e.db.Store.DB().NewInsert().Model(msg).Exec(e.ctx); err != nil {
		t.Fatal(err)
	}
	page, err := e.inbox.SitterMessages(e.ctx, sam, inbox.MessageQuery{ThreadID: thread})
	if err != nil {
		t.Fatal(err)
	}
	last := page.Messages[len(page.Messages)-1]
	if last.ID != msg.ID || last.Body != "Text me at ••• if Biscuit eats the gate code 4471" || last.FailureReason != "retry •••" || last.Media == nil {
		t.Fatalf("masked message = %+v", last)
	}
}

// The sitter's read models cannot carry a number: they have no field for
// one. Adding such a field fails here.
func TestSitterReadModelsHaveNoPhoneFields(t *testing.T) {
	for _, v := range []any{inbox.SitterThread{}, inbox.SitterMessage{}, inbox.SitterThreadPage{}, inbox.SitterMessagePage{}} {
		typ := reflect.TypeOf(v)
		for i := range typ.NumField() {
			name := strings.ToLower(typ.Field(i).Name)
			for _, bad := range []string{"phone", "e164", "from", "number", "routing"} {
				if strings.Contains(name, bad) {
					t.Errorf("%s.%s could carry a phone number", typ.Name(), typ.Field(i).Name)
				}
			}
			if f := typ.Field(i).Type; f.Kind() == reflect.Struct && strings.HasPrefix(f.PkgPath(), "github.com/snoutos/snout/internal/store") {
				t.Errorf("%s.%s embeds a store row", typ.Name(), typ.Field(i).Name)
			}
		}
	}
}

func TestPickers(t *testing.T) {
	e := newEnv(t)
	admin := e.user(t, "admin@demo.test")
	page, err := e.inbox.Clients(e.ctx, admin, inbox.ClientQuery{Search: "(650) 555-0110"})
	if err != nil || len(page.Clients) != 1 || page.Clients[0].Name != "Jules Moreau" {
		t.Fatalf("clients by number: %+v %v", page.Clients, err)
	}
	d, err := e.inbox.Client(e.ctx, admin, seed.ID("client/avery"))
	if err != nil || len(d.Threads) != 2 || len(d.Windows) != 1 || d.Windows[0].StatusNow != store.WindowActive {
		t.Fatalf("avery: %d threads, windows %+v, %v", len(d.Threads), d.Windows, err)
	}
	if _, err := e.inbox.Client(e.ctx, admin, seed.ID("client/other/zoe")); !errs.Is(err, errs.KindNotFound) {
		t.Fatalf("another org's client: %v", err)
	}
	sitters, err := e.inbox.Sitters(e.ctx, admin)
	if err != nil || len(sitters) != 3 {
		t.Fatalf("sitters: %+v %v", sitters, err)
	}
	for _, s := range sitters {
		switch s.Name {
		case "Sam Patel":
			if s.Line == nil || s.Line.E164 != seed.SamNumber {
				t.Errorf("Sam's line = %+v", s.Line)
			}
		case "Jordan Diaz":
			if s.Line != nil {
				t.Errorf("Jordan has no line, got %+v", s.Line)
			}
		}
	}
}
