package messaging_test

import (
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/store"
)

func TestAlertsMoveFromOpenToClosed(t *testing.T) {
	e := newEnv(t, false)
	critical, err := e.org.RaiseAlert(e.ctx, &store.Alert{Severity: store.SeverityCritical, Kind: "provider_auth", Title: "Twilio refused the credentials", DedupeKey: "t1"})
	if err != nil {
		t.Fatal(err)
	}
	warning, err := e.org.RaiseAlert(e.ctx, &store.Alert{Severity: store.SeverityWarning, Kind: "delivery_failed", Title: "A text wasn't delivered", DedupeKey: "t2"})
	if err != nil {
		t.Fatal(err)
	}

	list, err := e.svc.Alerts(e.ctx, e.admin, store.AlertFilter{Severity: store.SeverityCritical}, 50)
	if err != nil || len(list) != 1 || list[0].ID != critical.ID {
		t.Errorf("critical alerts %+v, %v", list, err)
	}
	for _, f := range []store.AlertFilter{{Status: "closed"}, {Severity: "loud"}} {
		_, err := e.svc.Alerts(e.ctx, e.admin, f, 50)
		refusal(t, err, errs.KindInvalid, "invalid_request")
	}

	_, err = e.svc.DismissAlert(e.ctx, e.owner, critical.ID)
	if r := refusal(t, err, errs.KindConflict, "conflict"); !strings.Contains(r.Message, "Critical alerts can't be dismissed") {
		t.Errorf("dismissing a critical alert: %q", r.Message)
	}
	a, err := e.svc.AcknowledgeAlert(e.ctx, e.admin, critical.ID)
	if err != nil || a.Status != store.AlertAcknowledged || *a.ClosedBy != e.admin.UserID || a.ClosedAt != nil {
		t.Errorf("acknowledged %+v, %v", a, err)
	}
	_, err = e.svc.AcknowledgeAlert(e.ctx, e.admin, critical.ID)
	refusal(t, err, errs.KindConflict, "conflict")
	a, err = e.svc.ResolveAlert(e.ctx, e.owner, critical.ID)
	if err != nil || a.Status != store.AlertResolved || *a.ClosedBy != e.owner.UserID || a.ClosedAt == nil {
		t.Errorf("resolved %+v, %v", a, err)
	}
	_, err = e.svc.ResolveAlert(e.ctx, e.owner, critical.ID)
	if r := refusal(t, err, errs.KindConflict, "conflict"); r.Message != "This alert is already resolved." {
		t.Errorf("resolving twice: %q", r.Message)
	}

	if a, err := e.svc.DismissAlert(e.ctx, e.admin, warning.ID); err != nil || a.Status != store.AlertDismissed {
		t.Errorf("dismissed warning %+v, %v", a, err)
	}
	_, err = e.svc.AcknowledgeAlert(e.ctx, e.admin, warning.ID)
	refusal(t, err, errs.KindConflict, "conflict")

	for _, id := range []uuid.UUID{uuid.New(), warning.ID} {
		_, err := e.svc.ResolveAlert(e.ctx, e.otherOwner, id)
		if r := refusal(t, err, errs.KindNotFound, "not_found"); r.Message != "This alert was not found." {
			t.Errorf("another org's alert: %q", r.Message)
		}
	}
	if list, err := e.svc.Alerts(e.ctx, e.owner, store.AlertFilter{Status: store.AlertOpen}, 50); err != nil || len(list) != 0 {
		t.Errorf("open alerts after closing both: %+v, %v", list, err)
	}
	for action, id := range map[string]uuid.UUID{"alert.acknowledged": critical.ID, "alert.resolved": critical.ID, "alert.dismissed": warning.ID} {
		if ev := e.audited(action, id.String()); len(ev) != 1 {
			t.Errorf("%s audited %d times, want once", action, len(ev))
		}
	}
	if ev := e.audited("alert.resolved", critical.ID.String()); len(ev) == 1 && !strings.Contains(string(ev[0].Detail), `"previousStatus": "acknowledged"`) {
		t.Errorf("resolve audit detail %s", ev[0].Detail)
	}
}
