package numbers

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/snoutos/snout/activities"
	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/dev/testenv"
	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/platform/secrets"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/internal/twilio/orgprovider"
	"github.com/snoutos/snout/worker"
)

// The requests that reach QuarantineWorkflow, on a real Temporal server
// with the real workflows and activities: starting answers once the
// cooldown runs, a second start is a conflict, restoring answers with the
// finished quarantine, and a number no longer cooling down is a conflict.
func TestQuarantineStartAndRestoreAnswerFromTheWorkflow(t *testing.T) {
	tc := testenv.Temporal(t)
	queue := testenv.TaskQueue(t)
	f := newFixture(t, func(d *Deps) { d.Temporal, d.TaskQueue = tc, queue })
	f.clock = time.Now()
	box, err := secrets.NewBox(f.cfg.EncryptionKeys)
	if err != nil {
		t.Fatal(err)
	}
	w := sdkworker.New(tc, queue, sdkworker.Options{})
	worker.Register(w, &activities.Activities{Config: f.cfg, Store: f.st, Providers: orgprovider.New(f.st, box, ""), Temporal: tc, Log: f.svc.log})
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)

	spare := f.addNumber("+14155550189", store.ClassPool)
	preview, err := f.svc.QuarantinePreview(f.ctx, f.admin, spare, nil)
	if err != nil || preview.Plan.Replacement == nil || preview.Plan.Replacement.ID == spare {
		t.Fatalf("preview = %+v, %v", preview, err)
	}
	days := 3
	out, err := f.svc.Quarantine(f.ctx, f.admin, spare, QuarantineRequest{Token: preview.Token,
		QuarantineOptions: QuarantineOptions{CooldownDays: &days, Reason: "  Carrier filtering  "}})
	if err != nil {
		t.Fatal(err)
	}
	if out.State == nil || out.State.Phase != contract.QuarantinePhaseCoolingDown || out.Row == nil || out.Row.Status != store.NumberQuarantined ||
		out.WorkflowID != contract.QuarantineWorkflowID(spare) {
		t.Fatalf("started = %+v", out)
	}
	q, err := f.st.Org(f.admin.OrgID).LatestQuarantine(f.ctx, spare)
	if err != nil || q.ID != out.QuarantineID || q.Reason != "Carrier filtering" || q.CooldownEndsAt.Sub(q.CreatedAt) != 72*time.Hour {
		t.Fatalf("quarantine row = %+v, %v", q, err)
	}

	// A second start while the first runs is refused by the running workflow.
	row, _ := f.svc.number(f.ctx, f.admin, spare)
	in := f.svc.quarantineInput(f.ctx, f.admin, row, QuarantineOptions{EndAction: contract.QuarantineEndRelease}, time.Hour, preview.Plan.Replacement.ID, nil)
	_, err = f.svc.beginQuarantine(f.ctx, f.admin, in, time.Second)
	if e := refusal(t, err, errs.KindConflict); !strings.Contains(e.Message, "already in quarantine until") {
		t.Errorf("second start: %q", e.Message)
	}
	_, err = f.svc.QuarantinePreview(f.ctx, f.admin, spare, nil)
	refusal(t, err, errs.KindConflict)
	st, err := f.svc.QuarantineStatus(f.ctx, f.admin, spare)
	if err != nil || st.State == nil || st.State.QuarantineID != out.QuarantineID {
		t.Fatalf("status while cooling down = %+v, %v", st, err)
	}

	ended, err := f.svc.Restore(f.ctx, f.owner, spare, "False alarm")
	if err != nil || ended.Quarantine == nil || ended.Quarantine.Status != store.QuarantineRestored || ended.Row == nil || ended.Row.Status != store.NumberActive {
		t.Fatalf("restore = %+v, %v", ended, err)
	}
	_, err = f.svc.Restore(f.ctx, f.owner, spare, "")
	if e := refusal(t, err, errs.KindConflict); e.Message != "This number is not in quarantine." {
		t.Errorf("restore twice: %q", e.Message)
	}
	_, err = f.svc.ReleaseNow(f.ctx, f.owner, spare, "", "")
	refusal(t, err, errs.KindConflict)
	_, err = f.svc.Restore(f.ctx, f.owner, uuid.New(), "")
	refusal(t, err, errs.KindNotFound)
	audits, _ := f.st.Org(f.admin.OrgID).AuditEvents(f.ctx, store.AuditFilter{EntityID: spare.String()}, 50)
	seen := map[string]bool{}
	for _, a := range audits {
		seen[a.Action] = true
	}
	for _, want := range []string{"number.quarantine.requested", "number.quarantine.restore_requested"} {
		if !seen[want] {
			t.Errorf("no %s audit event (have %v)", want, seen)
		}
	}
}
