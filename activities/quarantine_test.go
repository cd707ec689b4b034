package activities_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/testsuite"

	"github.com/snoutos/snout/activities"
	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/dev/seed"
	"github.com/snoutos/snout/dev/testenv"
	"github.com/snoutos/snout/workflows/steps"
)

// One batch of quarantine notices: each client who may be texted gets a
// stored notice and a delivery on its way; a client who opted out, and a
// thread that is gone, are skipped. Run again (a retry), it texts no one
// twice.
func TestQuarantineSendNoticesStoresAndStartsEachOnce(t *testing.T) {
	a, _, org := inboundActs(t)
	ctx := context.Background()
	c := testenv.Temporal(t)
	a.Temporal, a.Config.TemporalTaskQueue = c, testenv.TaskQueue(t) // no worker: deliveries start, nothing sends
	optedOut := seed.ID("thread/emerson-front")
	if _, err := a.Store.DB().NewRaw("UPDATE clients SET opted_out_at = now(), opted_out_keyword = 'STOP' WHERE id = (SELECT client_id FROM threads WHERE id = ?)", optedOut).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	texted := []uuid.UUID{seed.ID("thread/avery-sam"), seed.ID("thread/blake-riley")}
	in := steps.QuarantineSendNoticesInput{
		OrgID: org, QuarantineID: uuid.New(), ThreadIDs: append(append([]uuid.UUID{}, texted...), optedOut, uuid.New()),
		OldE164: seed.SamNumber, CooldownEndsAt: time.Now().Add(30 * 24 * time.Hour),
	}
	for run := 1; run <= 2; run++ {
		var suite testsuite.WorkflowTestSuite
		env := suite.NewTestActivityEnvironment()
		env.RegisterActivity(a)
		v, err := env.ExecuteActivity(steps.QuarantineSendNotices, in)
		if err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		var res steps.QuarantineSendNoticesResult
		if err := v.Get(&res); err != nil {
			t.Fatal(err)
		}
		if res.Notified != 2 || res.Skipped != 2 {
			t.Errorf("run %d: %+v, want 2 clients texted and 2 skipped", run, res)
		}
	}
	for _, thread := range texted {
		id := activities.NoticeMessageID(in.QuarantineID, thread)
		if n := countRows(t, a, "SELECT count(*) FROM messages WHERE id = ? AND status = 'pending' AND sender_type = 'system'", id); n != 1 {
			t.Errorf("thread %s: %d notices stored, want 1", thread, n)
		}
		desc, err := c.DescribeWorkflowExecution(ctx, contract.DeliveryWorkflowID(id), "")
		if err != nil {
			t.Errorf("thread %s: the notice's delivery did not start: %v", thread, err)
			continue
		}
		if desc.WorkflowExecutionInfo.GetType().GetName() != contract.DeliveryWorkflowName {
			t.Errorf("thread %s: started %s", thread, desc.WorkflowExecutionInfo.GetType().GetName())
		}
	}
	if n := countRows(t, a, "SELECT count(*) FROM messages WHERE id = ?", activities.NoticeMessageID(in.QuarantineID, optedOut)); n != 0 {
		t.Errorf("a notice was stored for the client who opted out")
	}
}
