package messaging_test

import (
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/snoutos/snout/dev/seed"
	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service/messaging"
)

// blocked has Sam write a message the content policy stops in Avery's
// thread and returns its open violation.
func (e *env) blocked(body string) store.ViolationRow {
	e.t.Helper()
	avery := seed.ID("thread/avery-sam")
	if _, err := e.svc.ComposeAsSitter(e.ctx, e.sam, avery, messaging.Draft{Body: body}); !errs.Is(err, errs.KindBlocked) {
		e.t.Fatalf("composing %q: %v, want blocked", body, err)
	}
	page, err := e.svc.PolicyViolations(e.ctx, e.owner, messaging.ViolationQuery{Status: store.ViolationOpen, ThreadID: &avery, Limit: 1})
	if err != nil || len(page.Items) != 1 || page.Items[0].MessageBody != body {
		e.t.Fatalf("newest open violation %+v, %v", page.Items, err)
	}
	return page.Items[0]
}

func TestPolicyViolationsListFiltersAndPages(t *testing.T) {
	e := newEnv(t, true)
	avery := seed.ID("thread/avery-sam")
	var want []uuid.UUID
	for _, body := range []string{"my cell is 415 555 0123", "venmo me @sam-p", "email me at sam@example.com"} {
		want = append([]uuid.UUID{e.blocked(body).ID}, want...) // newest first
	}
	var got []uuid.UUID
	q := messaging.ViolationQuery{ThreadID: &avery, SitterID: ptr(seed.ID("sitter/sam")), Limit: 2}
	for pages := 0; pages < 3; pages++ {
		page, err := e.svc.PolicyViolations(e.ctx, e.admin, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range page.Items {
			got = append(got, v.ID)
		}
		if page.Next == nil {
			break
		}
		q.After = page.Next
	}
	if len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("paged violations %v, want %v", got, want)
	}
	// The seeded violation is Riley's, in Harper's thread: not in Sam's.
	page, err := e.svc.PolicyViolations(e.ctx, e.owner, messaging.ViolationQuery{SitterID: ptr(seed.ID("sitter/riley")), Limit: 10})
	if err != nil || len(page.Items) != 1 || page.Items[0].ThreadID != seed.ID("thread/harper-riley") || page.Next != nil {
		t.Errorf("Riley's violations %+v, %v", page.Items, err)
	}

	_, err = e.svc.PolicyViolations(e.ctx, e.owner, messaging.ViolationQuery{Status: "pending", Limit: 10})
	if r := refusal(t, err, errs.KindInvalid, "invalid_request"); r.Fields["status"] == "" {
		t.Errorf("bad status refusal %+v", r)
	}
	for _, q := range []messaging.ViolationQuery{{SitterID: ptr(uuid.New())}, {ThreadID: ptr(seed.ID("thread/other/zoe"))}} {
		q.Limit = 10
		_, err := e.svc.PolicyViolations(e.ctx, e.owner, q)
		refusal(t, err, errs.KindNotFound, "not_found")
	}
	// The full text is the owner's; an admin reads the redacted excerpts.
	if v, err := e.svc.PolicyViolation(e.ctx, e.owner, want[0]); err != nil || v.MessageBody != "email me at sam@example.com" {
		t.Errorf("owner's violation %+v, %v", v, err)
	}
	if v, err := e.svc.PolicyViolation(e.ctx, e.admin, want[0]); err != nil || v.MessageBody != "" || len(v.Excerpts) == 0 {
		t.Errorf("admin's violation %+v, %v", v, err)
	}
	// Another org sees none of it.
	_, err = e.svc.PolicyViolation(e.ctx, e.otherOwner, want[0])
	refusal(t, err, errs.KindNotFound, "not_found")
}

func TestDismissViolationKeepsTheMessageUnsent(t *testing.T) {
	e := newEnv(t, true)
	v := e.blocked("my cell is 415 555 0123")
	got, err := e.svc.DismissViolation(e.ctx, e.owner, v.ID, "  Talked to Sam  ")
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != store.ViolationDismissed || got.ReviewReason != "Talked to Sam" || *got.ReviewedBy != e.owner.UserID ||
		got.MessageStatus != store.StatusBlocked || got.MessageBody != v.MessageBody {
		t.Errorf("dismissed %+v", got)
	}
	if e.hasDelivery(v.MessageID) {
		t.Error("a dismissed message was handed to delivery")
	}
	_, err = e.svc.DismissViolation(e.ctx, e.owner, v.ID, "")
	if r := refusal(t, err, errs.KindConflict, "conflict"); !strings.Contains(r.Message, "already reviewed") {
		t.Errorf("second review %q", r.Message)
	}
	_, err = e.svc.DismissViolation(e.ctx, e.otherOwner, v.ID, "")
	refusal(t, err, errs.KindNotFound, "not_found")
	if ev := e.audited("policy_violation.dismissed", v.ID.String()); len(ev) != 1 || !strings.Contains(string(ev[0].Detail), "Talked to Sam") {
		t.Errorf("audit %+v", ev)
	}
}

func TestOverrideViolationSendsTheMessage(t *testing.T) {
	e := newEnv(t, true)
	v := e.blocked("my cell is 415 555 0123")
	_, err := e.svc.OverrideViolation(e.ctx, e.owner, v.ID, "   ")
	if r := refusal(t, err, errs.KindInvalid, "invalid_request"); r.Fields["reason"] == "" {
		t.Errorf("override without a reason %+v", r)
	}
	_, err = e.svc.OverrideViolation(e.ctx, e.owner, v.ID, strings.Repeat("é", 1001))
	if r := refusal(t, err, errs.KindInvalid, "invalid_request"); !strings.Contains(r.Fields["reason"], "1,000") {
		t.Errorf("override with a long reason %+v", r)
	}
	got, err := e.svc.OverrideViolation(e.ctx, e.owner, v.ID, "Avery asked for Sam's work cell")
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != store.ViolationOverridden || got.MessageStatus != store.StatusPending || got.ReviewReason != "Avery asked for Sam's work cell" {
		t.Errorf("overridden %+v", got)
	}
	if in := e.deliveryInput(v.MessageID); in.MessageID != v.MessageID || in.OrgID != e.demo.OrgID {
		t.Errorf("delivery input %+v", in)
	}
	_, err = e.svc.OverrideViolation(e.ctx, e.owner, v.ID, "again")
	refusal(t, err, errs.KindConflict, "conflict")
	if ev := e.audited("policy_violation.overridden", v.ID.String()); len(ev) != 1 || !strings.Contains(string(ev[0].Detail), "work cell") {
		t.Errorf("audit %+v", ev)
	}
}

func TestOverrideViolationRefusedWhenTheTextCannotBeSent(t *testing.T) {
	e := newEnv(t, true)
	v := e.blocked("my cell is 415 555 0123")
	// Avery texts STOP before the owner reviews.
	if _, err := e.store.DB().NewUpdate().Model((*store.Client)(nil)).Set("opted_out_at = now(), opted_out_keyword = 'STOP'").
		Where("id = ?", seed.ID("client/avery")).Exec(e.ctx); err != nil {
		t.Fatal(err)
	}
	_, err := e.svc.OverrideViolation(e.ctx, e.owner, v.ID, "Avery asked for it")
	if r := refusal(t, err, errs.KindBlocked, "client_opted_out"); !strings.HasPrefix(r.Message, "Avery Johnson replied STOP") {
		t.Errorf("refusal %q", r.Message)
	}
	if got, _ := e.svc.PolicyViolation(e.ctx, e.owner, v.ID); got.Status != store.ViolationOpen || got.MessageStatus != store.StatusBlocked {
		t.Errorf("after a refused override: violation %s, message %s; want open, blocked", got.Status, got.MessageStatus)
	}
	if e.hasDelivery(v.MessageID) {
		t.Error("delivery started for a client who opted out")
	}
}

func TestOverrideViolationPutBackWhenDeliveryCannotStart(t *testing.T) {
	e := newEnv(t, true)
	v := e.blocked("my cell is 415 555 0123")
	offline := messaging.New(messaging.Deps{Store: e.store, Audit: e.auditor()})
	_, err := offline.OverrideViolation(e.ctx, e.owner, v.ID, "Avery asked for it")
	refusal(t, err, errs.KindUnavailable, "sending_unavailable")
	got, err := e.svc.PolicyViolation(e.ctx, e.owner, v.ID)
	if err != nil || got.Status != store.ViolationOpen || got.MessageStatus != store.StatusBlocked || got.ReviewedBy != nil {
		t.Errorf("after a failed override: %+v, %v; want open again, message blocked", got, err)
	}
	conv, _ := e.org.Conversation(e.ctx, v.ThreadID)
	if conv.Thread.OpenViolations != 1 {
		t.Errorf("open violations on the thread = %d, want 1", conv.Thread.OpenViolations)
	}
	if len(e.audited("policy_violation.overridden", v.ID.String())) != 0 {
		t.Error("an override that did not happen was audited")
	}
}
