package messaging_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/snoutos/snout/dev/seed"
	"github.com/snoutos/snout/internal/domain/message"
	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/platform/obs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/internal/twilio/provider"
	"github.com/snoutos/snout/service/messaging"
)

// deadLetter stores an owner's message in a thread whose one attempt
// failed with code (and reason, when not ""), in the dead-letter list.
func (e *env) deadLetter(thread string, code int, reason string) *store.Message {
	e.t.Helper()
	now := time.Now()
	m := &store.Message{ID: store.NewID(), OrgID: e.demo.OrgID, ThreadID: seed.ID(thread), Direction: store.DirectionOutbound,
		SenderType: store.SenderOwner, Body: "See you at 8.", Media: []message.MediaItem{}, Status: store.StatusPending, CreatedAt: now, UpdatedAt: now}
	if err := e.org.CreateOutboundMessage(e.ctx, m); err != nil {
		e.t.Fatal(err)
	}
	if err := e.org.BeginAttempt(e.ctx, m.ID, 1, message.TriggerAutomatic, now); err != nil {
		e.t.Fatal(err)
	}
	if err := e.org.RecordAttemptFailed(e.ctx, m.ID, 1, code, reason, now); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.org.DeadLetterMessage(e.ctx, m.ID, now); err != nil {
		e.t.Fatal(err)
	}
	m, err := e.org.OutboundMessage(e.ctx, m.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return m
}

func TestDeadLettersListExplainsEachFailure(t *testing.T) {
	e := newEnv(t, false)
	landline := e.deadLetter("thread/blake-riley", 30006, "")
	noAccount := e.deadLetter("thread/emerson-front", 0, "No Twilio account is connected yet. Connect one in setup, then retry.")
	invalid := e.deadLetter("thread/frankie-front", 21211, "")

	page, err := e.svc.DeadLetters(e.ctx, e.admin, nil, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 2 || page.Next == nil || page.Items[0].MessageID != invalid.ID || page.Items[1].MessageID != noAccount.ID {
		t.Fatalf("first page %+v next %v", page.Items, page.Next)
	}
	if got := page.Items[0]; got.Reason != provider.Explain(21211) || got.ClientName != "Frankie Rossi" || got.Attempts != 1 {
		t.Errorf("invalid number dead letter %+v", got)
	}
	if got := page.Items[1]; got.Reason != "No Twilio account is connected yet. Connect one in setup, then retry." {
		t.Errorf("reason kept from the attempt: %q", got.Reason)
	}
	page, err = e.svc.DeadLetters(e.ctx, e.admin, page.Next, 2)
	if err != nil || len(page.Items) != 1 || page.Items[0].MessageID != landline.ID || page.Next != nil ||
		page.Items[0].Reason != provider.Explain(30006) {
		t.Errorf("second page %+v next %v, %v", page.Items, page.Next, err)
	}
	if page, err := e.svc.DeadLetters(e.ctx, e.otherOwner, nil, 50); err != nil || len(page.Items) != 0 {
		t.Errorf("another org's dead letters %+v, %v", page.Items, err)
	}
}

func TestRetryDeadLetterAsksItsDelivery(t *testing.T) {
	e := newEnv(t, true)
	m := e.deadLetter("thread/avery-sam", 21211, "")
	e.startStandIn(m.ID)
	got, err := e.svc.RetryDeadLetter(e.ctx, e.admin, m.ID)
	if err != nil || got.ID != m.ID {
		t.Fatalf("retry = %+v, %v", got, err)
	}
	res := e.decided(m.ID)
	if res.Retry == nil || res.Discard != nil || res.Retry.UserID != e.admin.UserID || res.Retry.CorrelationID != obs.CorrelationID(e.ctx) {
		t.Errorf("the delivery workflow got %+v", res)
	}
	if ev := e.audited("dead_letter.retry_requested", m.ID.String()); len(ev) != 1 || ev[0].ActorID != e.admin.UserID.String() {
		t.Errorf("audit %+v", ev)
	}
	// Its workflow has ended: nothing can change the delivery now.
	_, err = e.svc.RetryDeadLetter(e.ctx, e.admin, m.ID)
	if r := refusal(t, err, errs.KindConflict, "delivery_finished"); !strings.Contains(r.Message, "already finished") {
		t.Errorf("retry after the workflow ended: %q", r.Message)
	}
	if n := len(e.audited("dead_letter.retry_requested", m.ID.String())); n != 1 {
		t.Errorf("%d retry audits after a refused second retry, want 1", n)
	}
}

func TestDiscardDeadLetterAsksItsDelivery(t *testing.T) {
	e := newEnv(t, true)
	m := e.deadLetter("thread/blake-riley", 30006, "")
	e.startStandIn(m.ID)
	_, err := e.svc.DiscardDeadLetter(e.ctx, e.owner, m.ID, strings.Repeat("x", 1001))
	refusal(t, err, errs.KindInvalid, "invalid_request")
	if _, err := e.svc.DiscardDeadLetter(e.ctx, e.owner, m.ID, "  Blake only has a landline  "); err != nil {
		t.Fatal(err)
	}
	res := e.decided(m.ID)
	if res.Discard == nil || res.Retry != nil || res.Discard.UserID != e.owner.UserID || res.Discard.Reason != "Blake only has a landline" {
		t.Errorf("the delivery workflow got %+v", res)
	}
	if ev := e.audited("dead_letter.discard_requested", m.ID.String()); len(ev) != 1 || !strings.Contains(string(ev[0].Detail), "landline") {
		t.Errorf("audit %+v", ev)
	}
}

func TestDeadLetterRetryAndDiscardRefusals(t *testing.T) {
	e := newEnv(t, true)
	m := e.deadLetter("thread/avery-sam", 21211, "")
	act := map[string]func(uuid.UUID) error{
		"retry": func(id uuid.UUID) error { _, err := e.svc.RetryDeadLetter(e.ctx, e.owner, id); return err },
		"discard": func(id uuid.UUID) error {
			_, err := e.svc.DiscardDeadLetter(e.ctx, e.owner, id, "")
			return err
		},
	}
	for name, do := range act {
		// Another org's message, or none: not found.
		other := e.otherOrgMessage()
		for _, id := range []uuid.UUID{other, uuid.New(), seed.ID("message/emerson-front/0")} { // an inbound message is no dead letter either
			if r := refusal(t, do(id), errs.KindNotFound, "not_found"); r.Message != "This message was not found." {
				t.Errorf("%s %s: %q", name, id, r.Message)
			}
		}
		// Delivered, never dead-lettered: a conflict.
		if r := refusal(t, do(seed.ID("message/emerson-front/1")), errs.KindConflict, "conflict"); !strings.Contains(r.Message, "isn't in the dead-letter list") {
			t.Errorf("%s of a delivered message: %q", name, r.Message)
		}
		// No delivery workflow running for it.
		refusal(t, do(m.ID), errs.KindConflict, "delivery_finished")
	}
	// Discarded: no longer a dead letter.
	if _, err := e.org.DiscardMessage(e.ctx, m.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	refusal(t, act["retry"](m.ID), errs.KindConflict, "conflict")

	// Temporal out of reach: try again later, nothing audited.
	offline := messaging.New(messaging.Deps{Store: e.store, Audit: e.auditor()})
	live := e.deadLetter("thread/frankie-front", 21211, "")
	_, err := offline.RetryDeadLetter(e.ctx, e.owner, live.ID)
	if r := refusal(t, err, errs.KindUnavailable, "delivery_unavailable"); r.RetryAfter <= 0 {
		t.Errorf("unavailable refusal %+v", r)
	}
	_, err = offline.DiscardDeadLetter(e.ctx, e.owner, live.ID, "")
	refusal(t, err, errs.KindUnavailable, "delivery_unavailable")
	if n := len(e.audited("dead_letter.retry_requested", live.ID.String())) + len(e.audited("dead_letter.discard_requested", live.ID.String())); n != 0 {
		t.Errorf("%d audit events for requests that never reached the workflow", n)
	}
}

// otherOrgMessage stores a dead-lettered message of the other org.
func (e *env) otherOrgMessage() uuid.UUID {
	e.t.Helper()
	other := e.store.Org(e.demo.OtherOrgID)
	now := time.Now()
	m := &store.Message{ID: store.NewID(), OrgID: e.demo.OtherOrgID, ThreadID: seed.ID("thread/other/zoe"), Direction: store.DirectionOutbound,
		SenderType: store.SenderOwner, Body: "Hi Zoe", Media: []message.MediaItem{}, Status: store.StatusFailed, CreatedAt: now, UpdatedAt: now}
	if err := other.CreateOutboundMessage(e.ctx, m); err != nil {
		e.t.Fatal(err)
	}
	if _, err := other.DeadLetterMessage(e.ctx, m.ID, now); err != nil {
		e.t.Fatal(err)
	}
	return m.ID
}
