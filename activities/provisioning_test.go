package activities_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/temporal"

	"github.com/snoutos/snout/activities"
	"github.com/snoutos/snout/dev/testenv"
	"github.com/snoutos/snout/dev/twiliosim"
	"github.com/snoutos/snout/internal/platform/config"
	"github.com/snoutos/snout/internal/platform/secrets"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/internal/twilio/orgprovider"
	"github.com/snoutos/snout/internal/twilio/provider"
	"github.com/snoutos/snout/workflows/steps"
)

// provisionEnv: the real activities on a fresh database, with one org
// connected to a simulated Twilio account.
type provisionEnv struct {
	ctx   context.Context
	acts  *activities.Activities
	st    *store.Store
	org   *store.OrgStore
	orgID uuid.UUID
	sim   *twiliosim.Server
	acct  twiliosim.Account
	pc    *provider.Client
	box   *secrets.Box
	dir   *orgprovider.Directory
}

func newProvisionEnv(t *testing.T) *provisionEnv {
	t.Helper()
	ctx := context.Background()
	bdb, _ := testenv.DB(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	e := &provisionEnv{ctx: ctx, st: store.New(bdb), acct: twiliosim.GenerateAccount("Activity test")}
	e.sim = twiliosim.New(twiliosim.Options{Accounts: []twiliosim.Account{e.acct}, Logger: log})
	srv := httptest.NewServer(e.sim.Handler())
	t.Cleanup(func() { srv.Close(); e.sim.Close() })
	keys, err := config.ParseEncryptionKeys(config.DevEncryptionKey)
	if err != nil {
		t.Fatal(err)
	}
	if e.box, err = secrets.NewBox(keys); err != nil {
		t.Fatal(err)
	}
	e.dir = orgprovider.New(e.st, e.box, srv.URL)
	e.acts = &activities.Activities{Config: config.Config{PublicURL: "https://snout.example", TwilioBaseURL: srv.URL},
		Store: e.st, Providers: e.dir, Log: log}
	e.orgID = store.NewID()
	if _, err := bdb.NewInsert().Model(&store.Org{ID: e.orgID, Name: "Activity test", Slug: "acts-" + e.orgID.String()[:8]}).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	e.org = e.st.Org(e.orgID)
	ct, keyID, err := e.dir.Seal(e.orgID, orgprovider.Secret{AccountSID: e.acct.Sid, Secret: e.acct.AuthToken, SigningToken: e.acct.AuthToken})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.org.SaveProviderAccount(ctx, &store.ProviderAccount{AccountSID: e.acct.Sid, SecretCiphertext: ct, SecretKeyID: keyID}); err != nil {
		t.Fatal(err)
	}
	if e.pc, err = provider.New(provider.Credentials{AccountSID: e.acct.Sid, AuthToken: e.acct.AuthToken}, srv.URL, 0); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *provisionEnv) ownedCount(t *testing.T, e164 string) int {
	t.Helper()
	list, err := e.pc.ListOwnedNumbers(e.ctx, e164)
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

func errorType(err error) string {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		return appErr.Type()
	}
	return ""
}

func TestProvisionActivitiesAreIdempotent(t *testing.T) {
	e := newProvisionEnv(t)
	in := steps.ProvisionAcquireInput{OrgID: e.orgID, WorkflowID: "provision-test-1", Action: "buy", E164: "+16285550120", Class: "pool"}

	first, err := e.acts.ProvisionBuyNumber(e.ctx, in)
	if err != nil || !first.Bought || first.ProviderSID == "" || first.MonthlyCost != "1.15" {
		t.Fatalf("buy: %+v (%v)", first, err)
	}
	// A retried attempt (the first answer was lost) buys nothing more and
	// still knows the purchase was its own.
	again, err := e.acts.ProvisionBuyNumber(e.ctx, in)
	if err != nil || !again.Bought || again.ProviderSID != first.ProviderSID || e.ownedCount(t, in.E164) != 1 {
		t.Fatalf("retried buy: %+v (%v), owned %d", again, err, e.ownedCount(t, in.E164))
	}
	// Another request meeting the number already in the account did not buy it.
	other := in
	other.WorkflowID = "provision-test-2"
	if got, err := e.acts.ProvisionBuyNumber(e.ctx, other); err != nil || got.Bought {
		t.Fatalf("another request's view of an owned number: %+v (%v)", got, err)
	}

	rec := steps.ProvisionRecordInput{ProvisionAcquireInput: in, Acquired: first, ActorUserID: uuid.New()}
	r1, err := e.acts.ProvisionRecordNumber(e.ctx, rec)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := e.acts.ProvisionRecordNumber(e.ctx, rec)
	if err != nil || r2.NumberID != r1.NumberID {
		t.Fatalf("retried record: %v vs %v (%v)", r2.NumberID, r1.NumberID, err)
	}
	events, err := e.org.AuditEvents(e.ctx, store.AuditFilter{Action: "number.purchased"}, 10)
	if err != nil || len(events) != 1 {
		t.Fatalf("purchase audited %d times (%v)", len(events), err)
	}
	var nEvents int64
	if nEvents, err = e.st.DB().NewSelect().Model((*store.NumberEvent)(nil)).Where("number_id = ? AND kind = 'purchased'", r1.NumberID).Count(e.ctx); err != nil || nEvents != 1 {
		t.Fatalf("purchase recorded in the number's history %d times (%v)", nEvents, err)
	}

	hook := steps.ProvisionWebhookInput{OrgID: e.orgID, NumberID: r1.NumberID, RequestKey: "provision-test-1"}
	res, err := e.acts.ProvisionInstallWebhook(e.ctx, hook)
	if err != nil || res.Status != "verified" || res.URL != "https://snout.example/webhooks/twilio/sms" {
		t.Fatalf("webhook: %+v (%v)", res, err)
	}
	if res, err = e.acts.ProvisionInstallWebhook(e.ctx, hook); err != nil || res.Status != "verified" {
		t.Fatalf("webhook again: %+v (%v)", res, err)
	}
	n, _ := e.org.Number(e.ctx, r1.NumberID)
	if n.WebhookStatus != "verified" || n.WebhookCheckedAt == nil {
		t.Fatalf("number row after webhook: %+v", n)
	}

	rel := steps.ProvisionReleaseInput{OrgID: e.orgID, NumberID: r1.NumberID, ProviderSID: first.ProviderSID, WorkflowID: "provision-test-1", Reason: "test"}
	if err := e.acts.ProvisionReleaseNumber(e.ctx, rel); err != nil {
		t.Fatal(err)
	}
	if err := e.acts.ProvisionReleaseNumber(e.ctx, rel); err != nil {
		t.Fatalf("releasing twice: %v", err)
	}
	if e.ownedCount(t, in.E164) != 0 {
		t.Fatal("the released number is still in the account")
	}
	if n, _ := e.org.Number(e.ctx, r1.NumberID); n.Status != store.NumberReleased || n.ReleasedAt == nil {
		t.Fatalf("released row: %+v", n)
	}
}

func TestProvisionActivitiesRefuseWhatCannotBeRecorded(t *testing.T) {
	e := newProvisionEnv(t)
	// Importing a number the account doesn't own.
	_, err := e.acts.ProvisionImportNumber(e.ctx, steps.ProvisionAcquireInput{OrgID: e.orgID, WorkflowID: "w", Action: "import", E164: "+16285550130", Class: "pool"})
	if errorType(err) != steps.ErrTypeNumberNotOwned {
		t.Fatalf("import of a number not owned: %v", err)
	}
	// A sitter number for a sitter of no org.
	ghost := uuid.New()
	_, err = e.acts.ProvisionBuyNumber(e.ctx, steps.ProvisionAcquireInput{OrgID: e.orgID, WorkflowID: "w", Action: "buy", E164: "+16285550131", Class: "sitter", SitterID: &ghost})
	if errorType(err) != activities.ErrTypeSitterNotFound || e.ownedCount(t, "+16285550131") != 0 {
		t.Fatalf("sitter number for an unknown sitter: %v", err)
	}
	// A second front desk number is refused before anything is bought.
	fd := steps.ProvisionAcquireInput{OrgID: e.orgID, WorkflowID: "w", Action: "buy", E164: "+16285550132", Class: "front_desk"}
	acq, err := e.acts.ProvisionBuyNumber(e.ctx, fd)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.acts.ProvisionRecordNumber(e.ctx, steps.ProvisionRecordInput{ProvisionAcquireInput: fd, Acquired: acq}); err != nil {
		t.Fatal(err)
	}
	second := fd
	second.E164 = "+16285550133"
	if _, err := e.acts.ProvisionBuyNumber(e.ctx, second); errorType(err) != steps.ErrTypeFrontDeskTaken || e.ownedCount(t, second.E164) != 0 {
		t.Fatalf("second front desk: %v", err)
	}
	// A number Twilio no longer sells: the owner-facing explanation.
	_, err = e.acts.ProvisionBuyNumber(e.ctx, steps.ProvisionAcquireInput{OrgID: e.orgID, WorkflowID: "w", Action: "buy", E164: "+15335550100", Class: "pool"})
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) || appErr.Type() != steps.ErrTypeProviderRejected || appErr.Message() == "" {
		t.Fatalf("unavailable number: %v", err)
	}
}

func TestSetupConnectProviderKeepsNothingOnRefusal(t *testing.T) {
	e := newProvisionEnv(t)
	fresh := store.NewID()
	if _, err := e.st.DB().NewInsert().Model(&store.Org{ID: fresh, Name: "Fresh", Slug: "fresh-" + fresh.String()[:8]}).Exec(e.ctx); err != nil {
		t.Fatal(err)
	}
	org := e.st.Org(fresh)
	pending := func(token string) *store.PendingCredential {
		ct, keyID, err := e.dir.Seal(fresh, orgprovider.Secret{AccountSID: e.acct.Sid, Secret: token, SigningToken: token})
		if err != nil {
			t.Fatal(err)
		}
		p := &store.PendingCredential{AccountSID: e.acct.Sid, SecretCiphertext: ct, SecretKeyID: keyID, ExpiresAt: time.Now().Add(time.Minute)}
		if err := org.SavePendingCredential(e.ctx, p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	wrong := pending("0123456789abcdef0123456789abcdef")
	_, err := e.acts.SetupConnectProvider(e.ctx, steps.SetupConnectInput{OrgID: fresh, WorkflowID: "setup-x", PendingID: wrong.ID, AccountSID: e.acct.Sid})
	if errorType(err) != steps.ErrTypeCredentialsRejected {
		t.Fatalf("wrong token: %v", err)
	}
	if _, err := org.PendingCredential(e.ctx, wrong.ID, time.Now()); !errors.Is(err, store.ErrNotFound) {
		t.Fatal("refused credentials were kept as pending")
	}
	if _, err := org.ProviderAccount(e.ctx); !errors.Is(err, store.ErrNotFound) {
		t.Fatal("refused credentials were stored")
	}
	// The same account cannot serve two businesses.
	right := pending(e.acct.AuthToken)
	if _, err := e.acts.SetupConnectProvider(e.ctx, steps.SetupConnectInput{OrgID: fresh, WorkflowID: "setup-x", PendingID: right.ID, AccountSID: e.acct.Sid}); errorType(err) != activities.ErrTypeAccountTaken {
		t.Fatalf("account of another org: %v", err)
	}
}

func TestSetupSaveProgressOnlyMovesForward(t *testing.T) {
	e := newProvisionEnv(t)
	save := func(v int64, step string) {
		t.Helper()
		err := e.acts.SetupSaveProgress(e.ctx, steps.SetupProgressInput{OrgID: e.orgID, WorkflowID: "setup-x", RunKey: "r", Version: v, CurrentStep: step,
			State: map[string]any{"version": v, "currentStep": step}, Audit: &steps.SetupAuditEntry{Action: "setup.test"}})
		if err != nil {
			t.Fatal(err)
		}
	}
	save(2, "front_desk")
	save(1, "provider") // a late, older write
	save(2, "front_desk")
	p, err := e.org.SetupProgress(e.ctx)
	if err != nil || p.CurrentStep != "front_desk" {
		t.Fatalf("progress %+v (%v)", p, err)
	}
	events, _ := e.org.AuditEvents(e.ctx, store.AuditFilter{Action: "setup.test"}, 10)
	if len(events) != 2 {
		t.Fatalf("%d audit events for versions 1 and 2 (one retried)", len(events))
	}
}
