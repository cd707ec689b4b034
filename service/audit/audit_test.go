package audit_test

import (
	"context"
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
	"github.com/snoutos/snout/service/audit"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// story writes audit events about a thread, its messages, and a thread
// and message beside it, and returns the IDs of the first kind.
func story(t *testing.T, db seeded.SeededDB, thread uuid.UUID, messages []uuid.UUID, elsewhere uuid.UUID, elsewhereMsg uuid.UUID) map[int64]bool {
	t.Helper()
	ctx := context.Background()
	org := db.Store.Org(db.Demo.OrgID)
	add := func(action, entityType string, id uuid.UUID) {
		if err := org.Audit(ctx, store.Audit{ActorType: "system", Action: action, EntityType: entityType, EntityID: id.String()}); err != nil {
			t.Fatal(err)
		}
	}
	add("thread.read", "thread", thread)
	for _, m := range messages {
		add("message.sent", "message", m)
	}
	add("message.dead_lettered", "message", messages[0])
	add("thread.read", "thread", elsewhere)
	add("message.sent", "message", elsewhereMsg)

	mine := map[int64]bool{}
	events, err := org.AuditEvents(ctx, store.AuditFilter{}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{thread.String(): true}
	for _, m := range messages {
		ids[m.String()] = true
	}
	for _, e := range events {
		if ids[e.EntityID] && (e.EntityType == "thread" || e.EntityType == "message") {
			mine[e.ID] = true
		}
	}
	return mine
}

func TestAThreadsStoryIncludesItsMessages(t *testing.T) {
	db := seeded.DB(t)
	ctx := context.Background()
	trail := &audit.Service{Store: db.Store}
	owner := service.Actor{OrgID: db.Demo.OrgID, UserID: seed.ID("user/owner@demo.test"), Role: store.RoleOwner}
	thread := seed.ID("thread/avery-sam")
	msgs := []uuid.UUID{seed.ID("message/avery-sam/0"), seed.ID("message/avery-sam/1")}
	want := story(t, db, thread, msgs, seed.ID("thread/avery-front"), seed.ID("message/avery-front/0"))
	if len(want) < 4 {
		t.Fatalf("the story has %d events", len(want))
	}

	same := func(name string, q audit.Query) {
		t.Helper()
		page, err := trail.Events(ctx, owner, q)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got := map[int64]bool{}
		for _, e := range page.Events {
			got[e.ID] = true
			if !want[e.ID] {
				t.Errorf("%s: %s %s %s is not the thread's", name, e.Action, e.EntityType, e.EntityID)
			}
		}
		for id := range want {
			if !got[id] {
				t.Errorf("%s: event %d of the thread's story is missing", name, id)
			}
		}
		// The export tells the same story.
		rows, truncated, err := trail.Export(ctx, owner, q)
		if err != nil || len(rows) != len(page.Events) || truncated {
			t.Errorf("%s: export has %d rows (truncated %v, %v), the page %d", name, len(rows), truncated, err, len(page.Events))
		}
	}
	same("threadId", audit.Query{ThreadID: &thread, Limit: 100})
	same("entityType=thread", audit.Query{EntityType: "thread", EntityID: thread.String(), Limit: 100})

	// Filters combine: only the messages' delivery events.
	page, err := trail.Events(ctx, owner, audit.Query{ThreadID: &thread, Action: "message.dead_lettered"})
	if err != nil || len(page.Events) != 1 || page.Events[0].EntityID != msgs[0].String() {
		t.Fatalf("dead letters of the thread: %+v %v", page.Events, err)
	}
	// Another org's conversation is not found; it is never an empty story.
	other := seed.ID("thread/other/zoe")
	if _, err := trail.Events(ctx, owner, audit.Query{ThreadID: &other}); !errs.Is(err, errs.KindNotFound) {
		t.Fatalf("another org's thread: %v", err)
	}
}

func TestEventsPageNewestFirst(t *testing.T) {
	db := seeded.DB(t)
	ctx := context.Background()
	trail := &audit.Service{Store: db.Store}
	owner := service.Actor{OrgID: db.Demo.OrgID, Role: store.RoleOwner}
	org := db.Store.Org(db.Demo.OrgID)
	for i := 0; i < 5; i++ {
		if err := org.Audit(ctx, store.Audit{ActorType: "system", Action: "test.paged", EntityType: "test", EntityID: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	var seen []int64
	q := audit.Query{Action: "test.paged", Limit: 2}
	for range 10 {
		page, err := trail.Events(ctx, owner, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range page.Events {
			seen = append(seen, e.ID)
		}
		if page.Next == 0 {
			break
		}
		q.BeforeID = page.Next
	}
	if len(seen) != 5 {
		t.Fatalf("paged %d events, want 5", len(seen))
	}
	for i := 1; i < len(seen); i++ {
		if seen[i] >= seen[i-1] {
			t.Fatalf("not newest first: %v", seen)
		}
	}
	from := time.Now().Add(time.Hour)
	if page, err := trail.Events(ctx, owner, audit.Query{Action: "test.paged", From: &from}); err != nil || len(page.Events) != 0 {
		t.Fatalf("events from the future: %+v %v", page.Events, err)
	}
}

func TestAnActionFamilyFiltersByItsPrefix(t *testing.T) {
	db := seeded.DB(t)
	ctx := context.Background()
	trail := &audit.Service{Store: db.Store}
	owner := service.Actor{OrgID: db.Demo.OrgID, Role: store.RoleOwner}
	org := db.Store.Org(db.Demo.OrgID)
	for _, action := range []string{"family.one", "family.two", "familyx.three", "other.one"} {
		if err := org.Audit(ctx, store.Audit{ActorType: "system", Action: action, EntityType: "test", EntityID: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	page, err := trail.Events(ctx, owner, audit.Query{Action: "family.", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range page.Events {
		got = append(got, e.Action)
	}
	if strings.Join(got, ",") != "family.two,family.one" {
		t.Errorf("family. = %v, want family.two and family.one only", got)
	}
	// Without the dot it is one action, and no such action exists.
	if page, err := trail.Events(ctx, owner, audit.Query{Action: "family", Limit: 10}); err != nil || len(page.Events) != 0 {
		t.Errorf("family = %+v %v, want nothing", page.Events, err)
	}
}
