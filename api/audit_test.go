package api_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"github.com/snoutos/snout/dev/seed"
	"github.com/snoutos/snout/internal/store"
)

// The audit page filtered by a conversation tells its whole story: the
// thread's own events and its messages' (a send, a dead letter), in JSON
// and in the CSV export.
func TestAuditFilteredByThreadShowsItsMessages(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	owner := h.login("owner@demo.test")
	thread := seed.ID("thread/avery-sam")
	org := h.store.Org(h.demo.OrgID)
	for _, a := range []store.Audit{
		{ActorType: "system", Action: "message.sent", EntityType: "message", EntityID: seed.ID("message/avery-sam/1").String()},
		{ActorType: "system", Action: "message.sent", EntityType: "message", EntityID: seed.ID("message/avery-front/0").String()},
	} {
		if err := org.Audit(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	if r := h.do("POST", "/api/v1/threads/"+thread.String()+"/read", owner, nil); r.Status != http.StatusOK {
		t.Fatalf("read: %d %s", r.Status, r.Body)
	}

	for _, query := range []string{"threadId=" + thread.String(), "entityType=thread&entityId=" + thread.String()} {
		r := h.do("GET", "/api/v1/audit?"+query, owner, nil)
		var page struct {
			Events []store.AuditEvent `json:"events"`
		}
		r.json(t, &page)
		var got []string
		for _, e := range page.Events {
			got = append(got, e.Action+" "+e.EntityID)
		}
		want := []string{"thread.read " + thread.String(), "message.sent " + seed.ID("message/avery-sam/1").String()}
		if r.Status != http.StatusOK || strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("audit?%s = %d %v, want %v", query, r.Status, got, want)
		}
	}
	r := h.do("GET", "/api/v1/audit?format=csv&threadId="+thread.String(), owner, nil)
	rows, err := csv.NewReader(strings.NewReader(string(r.Body))).ReadAll()
	if err != nil || r.Status != http.StatusOK || len(rows) != 3 || rows[1][4] != "thread.read" || rows[2][4] != "message.sent" {
		t.Errorf("audit CSV by thread = %d %q (%v)", r.Status, r.Body, err)
	}
	if r.Header.Get("Content-Disposition") != `attachment; filename="audit.csv"` {
		t.Errorf("CSV headers %v", r.Header)
	}
	if r := h.do("GET", "/api/v1/audit?threadId=nope", owner, nil); r.Status != http.StatusBadRequest || inboxErrorBody(t, r).Fields["threadId"] == "" {
		t.Errorf("malformed threadId = %d %s", r.Status, r.Body)
	}
	if r := h.do("GET", "/api/v1/audit?threadId="+seed.ID("thread/other/zoe").String(), owner, nil); r.Status != http.StatusNotFound {
		t.Errorf("another org's thread = %d %s", r.Status, r.Body)
	}
}
