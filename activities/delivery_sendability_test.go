package activities_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/snoutos/snout/dev/seed"
	"github.com/snoutos/snout/internal/domain/message"
	"github.com/snoutos/snout/internal/domain/sendability"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/workflows/steps"
)

// TestDeliverySendAsksSendability: a text that became unsendable after it
// was composed (the client texted STOP, the number left service) is not
// sent; the attempt fails with the same words the API refuses with, and
// the failure type says whether the owner can fix it.
func TestDeliverySendAsksSendability(t *testing.T) {
	acts, sim, orgID := inboundActs(t)
	ctx := context.Background()
	org := acts.Store.Org(orgID)
	db := acts.Store.DB()
	pending := func(thread string) *store.Message {
		t.Helper()
		now := time.Now()
		m := &store.Message{ID: store.NewID(), OrgID: orgID, ThreadID: seed.ID(thread), Direction: store.DirectionOutbound, SenderType: store.SenderOwner,
			Body: "Holiday bookings are open!", Media: []message.MediaItem{}, FromE164: seed.FrontDeskNumber, Status: store.StatusPending, CreatedAt: now, UpdatedAt: now}
		if err := org.CreateOutboundMessage(ctx, m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	var suite testsuite.WorkflowTestSuite

	for _, tc := range []struct {
		name, thread string
		change       func()
		failure      string
	}{
		{"client opted out", "thread/rosa-front", func() {}, steps.DeliveryNotSendable},
		{"number out of service", "thread/emerson-front", func() {
			if _, err := db.NewUpdate().Model((*store.PhoneNumber)(nil)).Set("status = ?", store.NumberQuarantined).
				Where("id = ?", seed.ID("number/front")).Exec(ctx); err != nil {
				t.Fatal(err)
			}
		}, steps.DeliveryNeedsFix},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := pending(tc.thread)
			tc.change()
			conv, err := org.Conversation(ctx, m.ThreadID)
			if err != nil {
				t.Fatal(err)
			}
			want := sendability.Check(conv.Recipient(), conv.BusinessNumber())
			if want == nil {
				t.Fatal("the conversation is sendable; the case sets nothing up")
			}

			env := suite.NewTestActivityEnvironment()
			env.RegisterActivity(acts)
			_, err = env.ExecuteActivity(steps.DeliverySend, steps.DeliverySendInput{OrgID: orgID, MessageID: m.ID, FirstAttempt: 1})
			var appErr *temporal.ApplicationError
			if !errors.As(err, &appErr) || appErr.Type() != tc.failure || !appErr.NonRetryable() {
				t.Fatalf("DeliverySend = %v, want a non-retryable %s", err, tc.failure)
			}
			var f steps.DeliveryFailure
			if err := appErr.Details(&f); err != nil || f.Reason != want.Error() {
				t.Errorf("failure reason %q (%v), want sendability's %q", f.Reason, err, want.Error())
			}
			atts, err := org.MessageAttempts(ctx, m.ID)
			if err != nil || len(atts) != 1 || atts[0].Status != store.StatusFailed || atts[0].ErrorMessage != want.Error() {
				t.Errorf("attempts %+v, %v", atts, err)
			}
			if got, _ := org.OutboundMessage(ctx, m.ID); got.Status != store.StatusFailed || got.ErrorMessage != want.Error() {
				t.Errorf("message status %s, %q", got.Status, got.ErrorMessage)
			}
		})
	}
	if n := len(sim.Messages("", "")); n != 0 {
		t.Errorf("the provider got %d texts", n)
	}
}
