package setup

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/uuid"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/snoutos/snout/activities"
	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/dev/seed"
	"github.com/snoutos/snout/dev/testenv"
	"github.com/snoutos/snout/dev/twiliosim"
	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/platform/config"
	"github.com/snoutos/snout/internal/platform/secrets"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/internal/twilio/orgprovider"
	"github.com/snoutos/snout/service"
	"github.com/snoutos/snout/service/numbers"
	"github.com/snoutos/snout/worker"
)

type fixture struct {
	ctx   context.Context
	st    *store.Store
	cfg   config.Config
	dir   *orgprovider.Directory
	log   *slog.Logger
	owner service.Actor
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	bdb, dsn := testenv.DB(t)
	cfg, err := config.FromLookup(func(k string) (string, bool) {
		v, ok := map[string]string{"DATABASE_URL": dsn, "SNOUT_DEMO_PASSWORD": "demo-password-123", "SNOUT_DATA_DIR": t.TempDir()}[k]
		return v, ok
	})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if _, err := seed.Demo(context.Background(), bdb, cfg, log); err != nil {
		t.Fatal(err)
	}
	st := store.New(bdb)
	// The simulator knows no account: it refuses every credential.
	sim := twiliosim.New(twiliosim.Options{Logger: log})
	simSrv := httptest.NewServer(sim.Handler())
	t.Cleanup(func() { simSrv.Close(); sim.Close() })
	cfg.TwilioBaseURL = simSrv.URL
	box, err := secrets.NewBox(cfg.EncryptionKeys)
	if err != nil {
		t.Fatal(err)
	}
	// A business of its own, with no provider and no wizard yet.
	orgID, ownerID := store.NewID(), store.NewID()
	for _, m := range []any{
		&store.Org{ID: orgID, Name: "Fresh Paws", Slug: "fresh-" + orgID.String()[:8]},
		&store.User{ID: ownerID, Email: "owner-" + orgID.String()[:8] + "@fresh.test", Name: "Avery Fresh", PasswordHash: "x"},
		&store.Membership{OrgID: orgID, UserID: ownerID, Role: store.RoleOwner},
	} {
		if _, err := bdb.NewInsert().Model(m).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	return &fixture{ctx: context.Background(), st: st, cfg: cfg, dir: orgprovider.New(st, box, simSrv.URL), log: log,
		owner: service.Actor{OrgID: orgID, UserID: ownerID, Role: store.RoleOwner}}
}

func wantRefusal(t *testing.T, err error, kind errs.Kind) *errs.Error {
	t.Helper()
	e, ok := errs.As(err)
	if !ok || e.Kind != kind {
		t.Fatalf("got %v, want a refusal of kind %v", err, kind)
	}
	return e
}

// Each step's input is checked before the wizard is reached, so these
// refusals need no workflow service at all.
func TestStepInputIsCheckedBeforeTheWizard(t *testing.T) {
	f := newFixture(t)
	s := New(Deps{Store: f.st, Providers: f.dir, Log: f.log})

	_, err := s.ConnectProvider(f.ctx, f.owner, Credentials{AccountSID: "AC123", AuthToken: "x", APIKeySID: "SK1"})
	if e := wantRefusal(t, err, errs.KindInvalid); e.Fields["accountSid"] == "" || e.Fields["authToken"] == "" || e.Fields["apiKeySid"] == "" || e.Fields["apiKeySecret"] == "" {
		t.Errorf("malformed credentials: %v", e.Fields)
	}
	if n, _ := f.st.DB().NewSelect().Model((*store.PendingCredential)(nil)).Count(f.ctx); n != 0 {
		t.Errorf("%d pending credentials kept for refused input", n)
	}
	number := "+1 415 555 0100"
	_, err = s.FrontDesk(f.ctx, f.owner, &number, &number)
	wantRefusal(t, err, errs.KindInvalid)
	_, err = s.FrontDesk(f.ctx, f.owner, nil, nil)
	wantRefusal(t, err, errs.KindInvalid)
	bad := "12"
	_, err = s.FrontDesk(f.ctx, f.owner, nil, &bad)
	if e := wantRefusal(t, err, errs.KindInvalid); e.Fields["import.e164"] == "" {
		t.Errorf("a bad front desk number: %v", e.Fields)
	}
	_, err = s.SitterNumbers(f.ctx, f.owner, []NumberItem{
		{Action: "rent", E164: "12", SitterID: "nobody"},
		{Action: "Import", E164: "+14155550101"},
		{Action: "buy", E164: "+14155550102", SitterID: uuid.NewString()},
	})
	e := wantRefusal(t, err, errs.KindInvalid)
	want := map[string]string{
		"items[0].action":   "Choose whether to buy or import this number.",
		"items[0].e164":     "Enter a phone number, like +1 415 555 0100.",
		"items[0].sitterId": "Choose the sitter this number belongs to.",
		"items[1].sitterId": "Choose the sitter this number belongs to.",
	}
	if len(e.Fields) != len(want) {
		t.Errorf("sitter numbers refused with %v, want %v", e.Fields, want)
	}
	for k, v := range want {
		if e.Fields[k] != v {
			t.Errorf("%s = %q, want %q", k, e.Fields[k], v)
		}
	}
	_, err = s.PoolNumbers(f.ctx, f.owner, []NumberItem{{Action: "buy", E164: "+14155550103", SitterID: uuid.NewString()}})
	if e := wantRefusal(t, err, errs.KindInvalid); e.Fields["items[0].sitterId"] != "Only sitter numbers are assigned to a sitter." {
		t.Errorf("a pool number with a sitter: %v", e.Fields)
	}
	_, err = s.SearchNumbers(f.ctx, f.owner, numbers.SearchRequest{AreaCode: "62", TollFree: "maybe", Limit: "0"})
	if e := wantRefusal(t, err, errs.KindInvalid); e.Fields["areaCode"] == "" || e.Fields["tollFree"] == "" || e.Fields["limit"] == "" {
		t.Errorf("a bad search: %v", e.Fields)
	}
	// Good input, but no workflow service: unavailable, not a failure.
	_, err = s.Progress(f.ctx, f.owner)
	wantRefusal(t, err, errs.KindUnavailable)
	_, err = s.Step(f.ctx, f.owner, contract.UpdateSetupCheckReadiness)
	wantRefusal(t, err, errs.KindUnavailable)
	_, err = s.Step(f.ctx, f.owner, contract.UpdateSetupFrontDesk)
	wantRefusal(t, err, errs.KindNotFound)
}

// On a real Temporal server with the real wizard: the first visit starts
// it, a step out of order is a conflict in the wizard's own words, and
// another org's number is not found.
func TestWizardStartsOnFirstVisitAndEnforcesTheOrder(t *testing.T) {
	f := newFixture(t)
	tc := testenv.Temporal(t)
	queue := testenv.TaskQueue(t)
	w := sdkworker.New(tc, queue, sdkworker.Options{})
	worker.Register(w, &activities.Activities{Config: f.cfg, Store: f.st, Providers: f.dir, Temporal: tc, Log: f.log})
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	s := New(Deps{Store: f.st, Temporal: tc, TaskQueue: queue, Providers: f.dir, Log: f.log})

	p, err := s.Progress(f.ctx, f.owner)
	if err != nil || !p.Live || p.State.OrgID != f.owner.OrgID || p.State.CurrentStep != contract.StepProvider {
		t.Fatalf("first visit = %+v, %v", p, err)
	}
	number := "+1 415 555 0100"
	_, err = s.FrontDesk(f.ctx, f.owner, &number, nil)
	if e := wantRefusal(t, err, errs.KindConflict); e.Message != "Connect your provider first." {
		t.Errorf("front desk first: %q", e.Message)
	}
	_, err = s.SearchNumbers(f.ctx, f.owner, numbers.SearchRequest{AreaCode: "415"})
	wantRefusal(t, err, errs.KindConflict)
	_, err = s.RetryWebhook(f.ctx, f.owner, seed.ID("number/front"))
	wantRefusal(t, err, errs.KindNotFound)
	// Credentials the provider refuses are refused in its plain words, and
	// nothing is kept.
	_, err = s.ConnectProvider(f.ctx, f.owner, Credentials{AccountSID: "AC" + strings.Repeat("0", 32), AuthToken: strings.Repeat("a", 32)})
	if e := wantRefusal(t, err, errs.KindBlocked); e.Code != "provider_error" || e.Message == "" {
		t.Errorf("refused credentials: %+v", e)
	}
	if n, _ := f.st.DB().NewSelect().Model((*store.PendingCredential)(nil)).Count(f.ctx); n != 0 {
		t.Errorf("%d pending credentials left behind", n)
	}
	if _, err := f.st.Org(f.owner.OrgID).ProviderAccount(f.ctx); err != store.ErrNotFound {
		t.Errorf("refused credentials were stored (%v)", err)
	}
	p, err = s.Progress(f.ctx, f.owner)
	if err != nil || p.State.CurrentStep != contract.StepProvider || p.State.Step(contract.StepProvider).Error == "" {
		t.Fatalf("after the refusal: %+v, %v", p.State.Step(contract.StepProvider), err)
	}
	saved, err := f.st.Org(f.owner.OrgID).SetupProgress(f.ctx)
	if err != nil || saved.CurrentStep != contract.StepProvider {
		t.Errorf("mirror = %+v, %v", saved, err)
	}
}
