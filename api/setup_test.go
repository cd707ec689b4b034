package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/temporalproto"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/snoutos/snout/activities"
	"github.com/snoutos/snout/api"
	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/dev/seed"
	"github.com/snoutos/snout/dev/testenv"
	"github.com/snoutos/snout/dev/twiliosim"
	"github.com/snoutos/snout/internal/platform/auth"
	"github.com/snoutos/snout/internal/platform/config"
	"github.com/snoutos/snout/internal/platform/notify"
	"github.com/snoutos/snout/internal/platform/secrets"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/internal/twilio/orgprovider"
	"github.com/snoutos/snout/internal/twilio/provider"
	"github.com/snoutos/snout/worker"
	"github.com/snoutos/snout/workflows"
)

func init() {
	allow(map[string][]string{
		"GET /api/v1/setup":                           ownerOnly,
		"POST /api/v1/setup/provider":                 ownerOnly,
		"POST /api/v1/setup/connectivity":             ownerOnly,
		"GET /api/v1/setup/available-numbers":         ownerOnly,
		"GET /api/v1/setup/owned-numbers":             ownerOnly,
		"POST /api/v1/setup/front-desk":               ownerOnly,
		"POST /api/v1/setup/sitter-numbers":           ownerOnly,
		"POST /api/v1/setup/sitter-numbers/skip":      ownerOnly,
		"POST /api/v1/setup/pool-numbers":             ownerOnly,
		"POST /api/v1/setup/pool-numbers/skip":        ownerOnly,
		"POST /api/v1/setup/webhooks":                 ownerOnly,
		"POST /api/v1/setup/webhooks/:numberId/retry": ownerOnly,
		"POST /api/v1/setup/readiness":                ownerOnly,
		"POST /api/v1/setup/diagnostics":              ownerOnly,
	})
}

// wizardEnv is the whole product for one test: PostgreSQL with the demo
// seed plus a fresh org with no provider, the API behind a fixed "public"
// address (so it can be restarted), a real Temporal server and worker, and
// the Twilio simulator.
type wizardEnv struct {
	t       *testing.T
	ctx     context.Context
	cfg     config.Config
	st      *store.Store
	box     *secrets.Box
	dir     *orgprovider.Directory
	tc      client.Client
	queue   string
	log     *slog.Logger
	public  *httptest.Server
	handler atomic.Value // http.Handler of the current API process
	sim     *twiliosim.Server
	simURL  string
	acct    twiliosim.Account
	worker  sdkworker.Worker

	orgID      uuid.UUID
	sam, riley uuid.UUID
	token      string
	demo       *seed.Result
}

func newWizardEnv(t *testing.T, account ...func(*twiliosim.Account)) *wizardEnv {
	t.Helper()
	e := &wizardEnv{t: t, ctx: context.Background(), log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	bdb, dsn := testenv.DB(t)
	e.tc = testenv.Temporal(t)
	e.queue = testenv.TaskQueue(t)

	e.acct = twiliosim.GenerateAccount("Whisker Walks")
	for _, f := range account {
		f(&e.acct)
	}
	e.sim = twiliosim.New(twiliosim.Options{Accounts: []twiliosim.Account{e.acct}, Logger: e.log})
	simSrv := httptest.NewServer(e.sim.Handler())
	t.Cleanup(func() { simSrv.Close(); e.sim.Close() })
	e.simURL = simSrv.URL

	e.public = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.handler.Load().(http.Handler).ServeHTTP(w, r)
	}))
	t.Cleanup(e.public.Close)

	e.cfg = testConfig(t, map[string]string{"DATABASE_URL": dsn, "SNOUT_PUBLIC_URL": e.public.URL,
		"SNOUT_TWILIO_BASE_URL": e.simURL, "SNOUT_TASK_QUEUE": e.queue})
	demo, err := seed.Demo(e.ctx, bdb, e.cfg, e.log)
	if err != nil {
		t.Fatal(err)
	}
	e.demo = demo
	e.st = store.New(bdb)
	if e.box, err = secrets.NewBox(e.cfg.EncryptionKeys); err != nil {
		t.Fatal(err)
	}
	e.dir = orgprovider.New(e.st, e.box, e.simURL)
	e.createFreshOrg()
	e.startAPI()
	e.startWorker()
	e.token = e.login("owner@fresh.test")
	return e
}

// createFreshOrg adds a business with an owner and two sitters, and no
// provider account or numbers.
func (e *wizardEnv) createFreshOrg() {
	hash, err := auth.HashPassword(demoPassword)
	if err != nil {
		e.t.Fatal(err)
	}
	e.orgID, e.sam, e.riley = store.NewID(), store.NewID(), store.NewID()
	owner := store.NewID()
	db := e.st.DB()
	for _, m := range []any{
		&store.Org{ID: e.orgID, Name: "Whisker Walks", Slug: "fresh", Timezone: "America/Los_Angeles"},
		&store.User{ID: owner, Email: "owner@fresh.test", Name: "Avery Fresh", PasswordHash: hash},
		&store.Membership{OrgID: e.orgID, UserID: owner, Role: store.RoleOwner},
		&store.Sitter{ID: e.sam, OrgID: e.orgID, Name: "Sam Fresh", PhoneE164: "+16505550171", Active: true},
		&store.Sitter{ID: e.riley, OrgID: e.orgID, Name: "Riley Fresh", PhoneE164: "+16505550172", Active: true},
	} {
		if _, err := db.NewInsert().Model(m).Exec(e.ctx); err != nil {
			e.t.Fatal(err)
		}
	}
}

// startAPI starts (or restarts) the API process behind the public address.
func (e *wizardEnv) startAPI() {
	s, err := api.New(api.Deps{Config: e.cfg, Store: e.st, Temporal: e.tc, Secrets: e.box, Providers: e.dir,
		Notifier: notify.New(e.st, notify.SMTP{}, e.log), Logger: e.log})
	if err != nil {
		e.t.Fatal(err)
	}
	e.handler.Store(s.Handler())
}

// startWorker starts a worker process with the real activities.
func (e *wizardEnv) startWorker() {
	acts := &activities.Activities{Config: e.cfg, Store: e.st, Providers: orgprovider.New(e.st, e.box, e.simURL), Temporal: e.tc,
		Notifier: notify.New(e.st, notify.SMTP{}, e.log), Log: e.log}
	w := sdkworker.New(e.tc, e.queue, sdkworker.Options{})
	worker.Register(w, acts)
	if err := w.Start(); err != nil {
		e.t.Fatal(err)
	}
	e.worker = w
	e.t.Cleanup(func() {
		if e.worker == w {
			w.Stop()
			e.worker = nil
		}
	})
}

func (e *wizardEnv) stopWorker() {
	e.worker.Stop()
	e.worker = nil
}

func (e *wizardEnv) do(method, path string, body any) response {
	e.t.Helper()
	var rdr io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rdr = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, e.public.URL+path, rdr)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if e.token != "" {
		req.Header.Set("Authorization", "Bearer "+e.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

func (e *wizardEnv) login(email string) string {
	e.t.Helper()
	e.token = ""
	r := e.do("POST", "/api/v1/auth/login", map[string]string{"email": email, "password": demoPassword})
	if r.Status != http.StatusOK {
		e.t.Fatalf("login %s: %d %s", email, r.Status, r.Body)
	}
	var v api.SessionView
	r.json(e.t, &v)
	return v.Token
}

// step posts and expects status; it returns the body decoded as a view.
func (e *wizardEnv) step(method, path string, body any, want int) (api.SetupView, response) {
	e.t.Helper()
	r := e.do(method, path, body)
	if r.Status != want {
		e.t.Fatalf("%s %s: %d %s, want %d", method, path, r.Status, r.Body, want)
	}
	var v api.SetupView
	if want == http.StatusOK {
		r.json(e.t, &v)
	}
	return v, r
}

func errorMessage(t *testing.T, r response) string {
	t.Helper()
	var b api.ErrorBody
	r.json(t, &b)
	return b.Error.Message
}

// simClient acts on the simulated account directly, as the owner would in
// the Twilio console.
func (e *wizardEnv) simClient() *provider.Client {
	pc, err := provider.New(provider.Credentials{AccountSID: e.acct.Sid, AuthToken: e.acct.AuthToken}, e.simURL, 0)
	if err != nil {
		e.t.Fatal(err)
	}
	return pc
}

func (e *wizardEnv) owned(e164 string) *provider.OwnedNumber {
	list, err := e.simClient().ListOwnedNumbers(e.ctx, e164)
	if err != nil {
		e.t.Fatal(err)
	}
	if len(list) == 0 {
		return nil
	}
	return &list[0]
}

func stepOf(v api.SetupView, key string) api.SetupStepView {
	for _, s := range v.Steps {
		if s.Key == key {
			return s
		}
	}
	return api.SetupStepView{}
}

func numberOf(v api.SetupView, e164 string) *api.SetupNumberView {
	for i := range v.Numbers {
		if v.Numbers[i].E164 == e164 {
			return &v.Numbers[i]
		}
	}
	return nil
}

func allChecksPass(checks []api.SetupCheckView) bool {
	for _, c := range checks {
		if !c.OK {
			return false
		}
	}
	return len(checks) > 0
}

func TestSetupWizardEndToEnd(t *testing.T) {
	e := newWizardEnv(t)
	org := e.st.Org(e.orgID)
	smsURL := e.public.URL + activities.SMSWebhookPath

	// Until setup is complete the session says so (the dashboard sends
	// the owner to setup).
	if me := e.do("GET", "/api/v1/auth/me", nil); me.Status != http.StatusOK || !bytes.Contains(me.Body, []byte(`"setupComplete":false`)) {
		t.Fatalf("session before setup: %d %s", me.Status, me.Body)
	}
	// Opening the wizard starts it.
	v, _ := e.step("GET", "/api/v1/setup", nil, http.StatusOK)
	if v.CurrentStep != contract.StepProvider || !stepOf(v, contract.StepProvider).Available || stepOf(v, contract.StepConnectivity).Available {
		t.Fatalf("fresh wizard: %+v", v)
	}
	// The workflow enforces the order.
	_, r0 := e.step("GET", "/api/v1/setup/owned-numbers", nil, http.StatusConflict)
	if msg := errorMessage(t, r0); msg != "Connect your provider first." {
		t.Fatalf("owned numbers before connecting: %q", msg)
	}
	_, r := e.step("POST", "/api/v1/setup/front-desk", map[string]any{"buy": map[string]string{"e164": "+16285550100"}}, http.StatusConflict)
	if msg := errorMessage(t, r); msg != "Connect your provider first." {
		t.Fatalf("out-of-order message %q", msg)
	}

	// Wrong credentials: a clear error and nothing stored.
	wrongToken := strings.Repeat("0", 32)
	_, r = e.step("POST", "/api/v1/setup/provider", map[string]string{"accountSid": e.acct.Sid, "authToken": wrongToken}, http.StatusUnprocessableEntity)
	if msg := errorMessage(t, r); msg != provider.Explain(20003) {
		t.Fatalf("wrong credentials message %q", msg)
	}
	if _, err := org.ProviderAccount(e.ctx); err != store.ErrNotFound {
		t.Fatalf("wrong credentials were stored (err %v)", err)
	}
	if n, _ := e.st.DB().NewSelect().Model((*store.PendingCredential)(nil)).Count(e.ctx); n != 0 {
		t.Fatalf("%d pending credentials left behind", n)
	}
	_, r = e.step("POST", "/api/v1/setup/provider", map[string]string{"accountSid": "AC123", "authToken": "x"}, http.StatusBadRequest)
	if !bytes.Contains(r.Body, []byte(`"accountSid"`)) || !bytes.Contains(r.Body, []byte(`"authToken"`)) {
		t.Fatalf("malformed credentials: %s", r.Body)
	}

	// Right credentials: stored encrypted; the token is in no readable form.
	v, r = e.step("POST", "/api/v1/setup/provider", map[string]string{"accountSid": e.acct.Sid, "authToken": e.acct.AuthToken}, http.StatusOK)
	if stepOf(v, contract.StepProvider).Status != contract.StepDone || v.Provider == nil || v.Provider.FriendlyName != "Whisker Walks" {
		t.Fatalf("after connecting: %s", r.Body)
	}
	if bytes.Contains(r.Body, []byte(e.acct.Sid)) || v.Provider.AccountSID != "" {
		t.Fatal("the account SID is shown without diagnostics")
	}
	acct, err := org.ProviderAccount(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if acct.AccountSID != e.acct.Sid || acct.SecretKeyID == "" || bytes.Contains(acct.SecretCiphertext, []byte(e.acct.AuthToken)) {
		t.Fatalf("stored account: sid %s key %q, ciphertext holds the token: %v", acct.AccountSID, acct.SecretKeyID, bytes.Contains(acct.SecretCiphertext, []byte(e.acct.AuthToken)))
	}

	// Connectivity: each check with its own result, balance shown.
	v, r = e.step("POST", "/api/v1/setup/connectivity", nil, http.StatusOK)
	if !allChecksPass(v.Connectivity) || v.Balance != "20.00" || stepOf(v, contract.StepConnectivity).Status != contract.StepDone {
		t.Fatalf("connectivity: %s", r.Body)
	}

	// Search with the monthly cost shown before buying.
	_, r = e.step("GET", "/api/v1/setup/available-numbers?areaCode=62", nil, http.StatusBadRequest)
	r = e.do("GET", "/api/v1/setup/available-numbers?areaCode=628", nil)
	if r.Status != http.StatusOK {
		t.Fatalf("search: %d %s", r.Status, r.Body)
	}
	var search api.SetupSearchView
	r.json(t, &search)
	if len(search.Numbers) < 6 || search.MonthlyCost != "1.15" || search.Currency != "USD" {
		t.Fatalf("search: %s", r.Body)
	}
	for _, n := range search.Numbers {
		if n.MonthlyCost != "1.15" || !strings.HasPrefix(n.E164, "+1628") {
			t.Fatalf("search result without cost or outside the area code: %+v", n)
		}
	}
	frontDesk, poolBad, poolA, poolB := search.Numbers[0].E164, search.Numbers[1].E164, search.Numbers[2].E164, search.Numbers[3].E164

	// Buy the front desk number.
	v, r = e.step("POST", "/api/v1/setup/front-desk", map[string]any{"buy": map[string]string{"e164": frontDesk}}, http.StatusOK)
	fd := numberOf(v, frontDesk)
	if stepOf(v, contract.StepFrontDesk).Status != contract.StepDone || fd == nil || !fd.Bought || fd.MonthlyCost != "1.15" ||
		fd.Class != "front_desk" || fd.WebhookStatus != contract.WebhookVerified {
		t.Fatalf("front desk: %s", r.Body)
	}
	if o := e.owned(frontDesk); o == nil || o.SMSURL != smsURL || o.SMSMethod != "POST" {
		t.Fatalf("front desk in the simulator: %+v", o)
	}
	row, err := org.LiveNumberByE164(e.ctx, frontDesk)
	if err != nil || row.Class != store.ClassFrontDesk || row.Status != store.NumberActive || row.ProviderSID == "" || row.MonthlyCost != "1.15" || row.WebhookStatus != "verified" {
		t.Fatalf("front desk row: %+v (%v)", row, err)
	}

	// Sitter numbers: imported from the account (bought there beforehand).
	sc := e.simClient()
	samNumber, rileyNumber := "+16285550150", "+16285550151"
	for _, n := range []string{samNumber, rileyNumber} {
		if _, err := sc.BuyNumber(e.ctx, provider.BuyRequest{E164: n, FriendlyName: "Bought in the console"}); err != nil {
			t.Fatal(err)
		}
	}
	// The account's own numbers are listed to import, the front desk as in use.
	owned := func() map[string]contract.SetupOwnedNumber {
		r := e.do("GET", "/api/v1/setup/owned-numbers", nil)
		var res contract.SetupOwnedResult
		if r.Status != http.StatusOK {
			t.Fatalf("owned numbers: %d %s", r.Status, r.Body)
		}
		r.json(t, &res)
		out := map[string]contract.SetupOwnedNumber{}
		for _, n := range res.Numbers {
			out[n.E164] = n
		}
		return out
	}
	if o := owned(); len(o) != 3 || o[samNumber].InUse || o[samNumber].FriendlyName != "Bought in the console" || !o[frontDesk].InUse || o[rileyNumber].Display == "" {
		t.Fatalf("owned numbers before importing: %+v", o)
	}
	v, r = e.step("POST", "/api/v1/setup/sitter-numbers", map[string]any{"items": []map[string]string{
		{"action": "import", "e164": samNumber, "sitterId": e.sam.String()},
		{"action": "import", "e164": rileyNumber, "sitterId": e.riley.String()},
		{"action": "import", "e164": "+16285550152", "sitterId": e.riley.String()},
	}}, http.StatusOK)
	if len(v.LastResults) != 3 || !v.LastResults[0].OK || !v.LastResults[1].OK || v.LastResults[2].OK ||
		!strings.Contains(v.LastResults[2].Error, "isn't in your Twilio account") {
		t.Fatalf("sitter imports: %s", r.Body)
	}
	if n := numberOf(v, samNumber); n == nil || n.SitterID == nil || *n.SitterID != e.sam || n.Bought || n.WebhookStatus != contract.WebhookVerified {
		t.Fatalf("Sam's number: %+v", n)
	}
	if o := owned(); !o[samNumber].InUse || !o[rileyNumber].InUse {
		t.Fatalf("owned numbers after importing: %+v", o)
	}

	// Leave mid-wizard: the worker and the API both restart.
	e.stopWorker()
	e.startAPI()
	v, _ = e.step("GET", "/api/v1/setup", nil, http.StatusOK)
	if v.Live || v.Notice == "" || v.CurrentStep != contract.StepPoolNumbers || stepOf(v, contract.StepSitterNumbers).Status != contract.StepDone {
		t.Fatalf("with the worker down: live %v step %q notice %q", v.Live, v.CurrentStep, v.Notice)
	}
	e.startWorker()
	v, _ = e.step("GET", "/api/v1/setup", nil, http.StatusOK)
	if !v.Live || v.CurrentStep != contract.StepPoolNumbers || numberOf(v, frontDesk) == nil || numberOf(v, rileyNumber) == nil {
		t.Fatalf("after restarts the wizard lost progress: %+v", v)
	}

	// Pool numbers: one purchase cannot be configured and is released again.
	if err := e.sim.AddNumberFault(twiliosim.NumberFault{PhoneNumber: poolBad, Mode: twiliosim.FaultOnUpdate, ErrorCode: 21999}); err != nil {
		t.Fatal(err)
	}
	v, r = e.step("POST", "/api/v1/setup/pool-numbers", map[string]any{"items": []map[string]string{
		{"action": "buy", "e164": poolBad}, {"action": "buy", "e164": poolA}, {"action": "buy", "e164": poolB},
	}}, http.StatusOK)
	bad := v.LastResults[0]
	if bad.OK || !bad.Compensated || !bad.Bought || !strings.Contains(bad.Error, "released again") || strings.Contains(bad.Error, "21999") || bad.ProviderCode != 0 {
		t.Fatalf("unconfigurable purchase: %+v", bad)
	}
	if !v.LastResults[1].OK || !v.LastResults[2].OK || numberOf(v, poolBad) != nil {
		t.Fatalf("pool results: %s", r.Body)
	}
	if e.owned(poolBad) != nil {
		t.Fatal("the unconfigurable number is still in the Twilio account")
	}
	if _, err := org.LiveNumberByE164(e.ctx, poolBad); err != store.ErrNotFound {
		t.Fatalf("the released number is still live in Snout (err %v)", err)
	}
	e.sim.ClearNumberFaults()

	// Webhooks: one number fails, visibly, and is retried alone.
	if err := e.sim.AddNumberFault(twiliosim.NumberFault{PhoneNumber: poolA, Mode: twiliosim.FaultOnUpdate, ErrorCode: 20404}); err != nil {
		t.Fatal(err)
	}
	v, r = e.step("POST", "/api/v1/setup/webhooks", nil, http.StatusOK)
	a := numberOf(v, poolA)
	if stepOf(v, contract.StepWebhooks).Status != contract.StepPending || a == nil || a.WebhookStatus != contract.WebhookFailed || a.WebhookError != provider.Explain(20404) {
		t.Fatalf("webhook partial failure: %s", r.Body)
	}
	for _, n := range []string{frontDesk, samNumber, rileyNumber, poolB} {
		if nv := numberOf(v, n); nv == nil || nv.WebhookStatus != contract.WebhookVerified {
			t.Fatalf("number %s: %+v", n, nv)
		}
	}
	if bytes.Contains(r.Body, []byte(smsURL)) || bytes.Contains(r.Body, []byte(`"providerSid"`)) || bytes.Contains(r.Body, []byte("20404")) {
		t.Fatalf("provider internals shown without diagnostics: %s", r.Body)
	}
	_, r = e.step("POST", "/api/v1/setup/readiness", nil, http.StatusConflict)
	if msg := errorMessage(t, r); msg != "Connect every number to Snout first." {
		t.Fatalf("readiness before webhooks: %q", msg)
	}
	e.sim.ClearNumberFaults()
	v, r = e.step("POST", "/api/v1/setup/webhooks/"+a.ID.String()+"/retry", nil, http.StatusOK)
	if nv := numberOf(v, poolA); nv.WebhookStatus != contract.WebhookVerified || stepOf(v, contract.StepWebhooks).Status != contract.StepDone {
		t.Fatalf("after retry: %s", r.Body)
	}
	e.step("POST", "/api/v1/setup/webhooks/"+uuid.NewString()+"/retry", nil, http.StatusNotFound)

	// Diagnostics show the internals on request.
	v, r = e.step("POST", "/api/v1/setup/diagnostics", map[string]bool{"enabled": true}, http.StatusOK)
	if nv := numberOf(v, poolA); !v.Diagnostics || nv.WebhookURL != smsURL || !strings.HasPrefix(nv.ProviderSID, "PN") || v.Provider.AccountSID != e.acct.Sid {
		t.Fatalf("diagnostics on: %s", r.Body)
	}
	v, r = e.step("POST", "/api/v1/setup/diagnostics", map[string]bool{"enabled": false}, http.StatusOK)
	if bytes.Contains(r.Body, []byte(smsURL)) || bytes.Contains(r.Body, []byte(e.acct.Sid)) {
		t.Fatalf("diagnostics off still shows internals: %s", r.Body)
	}

	// Readiness: every check passes and the wizard completes.
	v, r = e.step("POST", "/api/v1/setup/readiness", nil, http.StatusOK)
	if !v.Complete || !allChecksPass(v.Readiness) || len(v.Readiness) < 7 {
		t.Fatalf("readiness: %s", r.Body)
	}
	run := e.tc.GetWorkflow(e.ctx, contract.SetupWorkflowID(e.orgID), "")
	var res contract.SetupResult
	if err := run.Get(e.ctx, &res); err != nil || res.CompletedAt.IsZero() {
		t.Fatalf("setup workflow result %+v, err %v", res, err)
	}
	v, _ = e.step("GET", "/api/v1/setup", nil, http.StatusOK)
	if !v.Complete || v.CurrentStep != "complete" {
		t.Fatalf("completed wizard reads back as %+v", v)
	}
	_, r = e.step("POST", "/api/v1/setup/readiness", nil, http.StatusConflict)
	if msg := errorMessage(t, r); msg != "Setup is already complete." {
		t.Fatalf("step after completion: %q", msg)
	}
	// Diagnostics is one switch usable at any time: after setup too.
	v, r = e.step("POST", "/api/v1/setup/diagnostics", map[string]bool{"enabled": true}, http.StatusOK)
	if nv := numberOf(v, poolA); !v.Complete || !v.Diagnostics || nv.WebhookURL != smsURL || v.Provider.AccountSID != e.acct.Sid {
		t.Fatalf("diagnostics on after setup: %s", r.Body)
	}
	v, r = e.step("POST", "/api/v1/setup/diagnostics", map[string]bool{"enabled": false}, http.StatusOK)
	if v.Diagnostics || bytes.Contains(r.Body, []byte(smsURL)) || bytes.Contains(r.Body, []byte(e.acct.Sid)) {
		t.Fatalf("diagnostics off after setup still shows internals: %s", r.Body)
	}
	saved, err := org.SetupProgress(e.ctx)
	if err != nil || saved.CompletedAt == nil || saved.CurrentStep != "complete" {
		t.Fatalf("dashboard mirror: %+v (%v)", saved, err)
	}
	if me := e.do("GET", "/api/v1/auth/me", nil); !bytes.Contains(me.Body, []byte(`"setupComplete":true`)) {
		t.Fatalf("session after setup: %s", me.Body)
	}

	// No secret in Temporal's history, and the history replays.
	history := e.history(contract.SetupWorkflowID(e.orgID))
	if strings.Contains(history.String(), e.acct.AuthToken) {
		t.Fatal("the auth token is in the setup workflow's history")
	}
	var poolRequest string
	for _, ev := range history.Events {
		if a := ev.GetChildWorkflowExecutionStartedEventAttributes(); a != nil && strings.Contains(a.GetWorkflowExecution().GetWorkflowId(), "-setup-pool-") {
			poolRequest = a.GetWorkflowExecution().GetWorkflowId()
		}
	}
	if poolRequest == "" {
		t.Fatal("the pool step started no provisioning child workflow")
	}
	poolHistory := e.history(poolRequest)
	replayer := sdkworker.NewWorkflowReplayer()
	replayer.RegisterWorkflowWithOptions(workflows.SetupWorkflow, workflow.RegisterOptions{Name: contract.SetupWorkflowName})
	replayer.RegisterWorkflowWithOptions(workflows.ProvisionNumbersWorkflow, workflow.RegisterOptions{Name: contract.ProvisionNumbersWorkflowName})
	for name, h := range map[string]*historypb.History{"setup": history, "pool provisioning": poolHistory} {
		if err := replayer.ReplayWorkflowHistory(nil, h); err != nil {
			t.Fatalf("replaying the %s history: %v", name, err)
		}
	}
	// SNOUT_RECORD_SETUP_HISTORY=1 keeps these histories for the replay
	// tests in workflows/ (setup_replay_test.go).
	if os.Getenv("SNOUT_RECORD_SETUP_HISTORY") != "" {
		for file, h := range map[string]*historypb.History{"setup_wizard.json": history, "provision_pool_compensated.json": poolHistory} {
			b, err := temporalproto.CustomJSONMarshalOptions{Indent: "  "}.Marshal(h)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(testenv.RepoRoot(), "workflows", "testdata", file)
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("recorded %d events to %s", len(h.Events), path)
		}
	}

	// Every step is audited.
	events, err := org.AuditEvents(e.ctx, store.AuditFilter{}, 500)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, ev := range events {
		seen[ev.Action]++
		if strings.Contains(string(ev.Detail), e.acct.AuthToken) {
			t.Fatalf("audit event %s holds the token", ev.Action)
		}
	}
	for _, want := range []string{"setup.started", "setup.provider_rejected", "setup.provider_connected", "setup.connectivity_checked",
		"setup.front_desk", "setup.sitter_numbers", "setup.pool_numbers", "setup.webhooks_installed", "setup.webhook_retried",
		"settings.diagnostics_changed", "setup.completed", "number.purchased", "number.imported", "number.released"} {
		if seen[want] == 0 {
			t.Errorf("no %s audit event (have %v)", want, seen)
		}
	}
	if seen["number.purchased"] != 4 || seen["number.imported"] != 2 || seen["number.released"] != 1 {
		t.Errorf("number audit counts: %v", seen)
	}

	// A text to a new number lands in the inbox.
	e.expectInboundLands(poolB, "+16505550199", "Hi! Is Tuesday free for a walk?")
}

func (e *wizardEnv) history(workflowID string) *historypb.History {
	e.t.Helper()
	it := e.tc.GetWorkflowHistory(e.ctx, workflowID, "", false, 0)
	h := &historypb.History{}
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			e.t.Fatal(err)
		}
		h.Events = append(h.Events, ev)
	}
	return h
}

// expectInboundLands sends a signed text from a handset through the
// simulator and waits for it to be stored as an inbound message.
func (e *wizardEnv) expectInboundLands(to, from, body string) {
	e.t.Helper()
	res, err := e.sim.DeliverInbound(e.ctx, twiliosim.InboundRequest{From: from, To: to, Body: body})
	if err != nil || res.WebhookStatus != http.StatusOK {
		e.t.Fatalf("inbound text to %s: %+v (%v)", to, res, err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		var msgs []store.Message
		if err := e.st.DB().NewSelect().Model(&msgs).Where("org_id = ? AND to_e164 = ? AND direction = 'inbound'", e.orgID, to).Scan(e.ctx); err != nil {
			e.t.Fatal(err)
		}
		for _, m := range msgs {
			if m.Body == body && m.FromE164 == from {
				return
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	e.t.Fatalf("the text to %s never reached the inbox", to)
}

func TestSetupConnectsWithAPIKeyAndKeepsOrgsApart(t *testing.T) {
	keySID, keySecret := "SK"+strings.Repeat("ab", 16), strings.Repeat("5ec7e7", 6)
	e := newWizardEnv(t, func(a *twiliosim.Account) { a.APIKeys = map[string]string{keySID: keySecret} })
	org := e.st.Org(e.orgID)

	// Another org's number is not found from this org.
	e.step("POST", "/api/v1/setup/webhooks/"+seed.ID("number/front").String()+"/retry", nil, http.StatusNotFound)

	// An API key needs the auth token too: Twilio signs webhooks with it.
	_, r := e.step("POST", "/api/v1/setup/provider", map[string]string{"accountSid": e.acct.Sid, "apiKeySid": keySID, "apiKeySecret": keySecret}, http.StatusBadRequest)
	if !bytes.Contains(r.Body, []byte(`"authToken"`)) {
		t.Fatalf("API key without auth token: %s", r.Body)
	}
	_, r = e.step("POST", "/api/v1/setup/provider", map[string]string{"accountSid": e.acct.Sid, "apiKeySid": keySID, "apiKeySecret": keySecret,
		"authToken": strings.Repeat("f", 32)}, http.StatusUnprocessableEntity)
	if msg := errorMessage(t, r); !strings.Contains(msg, "not the auth token") {
		t.Fatalf("wrong auth token with a good API key: %q", msg)
	}
	if _, err := org.ProviderAccount(e.ctx); err != store.ErrNotFound {
		t.Fatalf("refused credentials were stored (err %v)", err)
	}
	_, r = e.step("POST", "/api/v1/setup/provider", map[string]string{"accountSid": e.acct.Sid, "apiKeySid": keySID, "apiKeySecret": strings.Repeat("0", 36),
		"authToken": e.acct.AuthToken}, http.StatusUnprocessableEntity)
	if msg := errorMessage(t, r); msg != provider.Explain(20003) {
		t.Fatalf("wrong API key secret: %q", msg)
	}

	v, r := e.step("POST", "/api/v1/setup/provider", map[string]string{"accountSid": e.acct.Sid, "apiKeySid": keySID, "apiKeySecret": keySecret,
		"authToken": e.acct.AuthToken}, http.StatusOK)
	if v.Provider == nil || v.Provider.AuthKind != "api_key" || v.Provider.APIKeySID != "" || bytes.Contains(r.Body, []byte(keySID)) {
		t.Fatalf("connected with an API key: %s", r.Body)
	}
	acct, err := org.ProviderAccount(e.ctx)
	if err != nil || acct.APIKeySID != keySID || bytes.Contains(acct.SecretCiphertext, []byte(keySecret)) || bytes.Contains(acct.SecretCiphertext, []byte(e.acct.AuthToken)) {
		t.Fatalf("stored API key account: %+v (%v)", acct, err)
	}
	// Webhook signatures are checked with the auth token, not the key.
	gotOrg, signing, err := e.dir.SigningKey(e.ctx, e.acct.Sid)
	if err != nil || gotOrg != e.orgID || signing != e.acct.AuthToken {
		t.Fatalf("signing key: org %s (%v)", gotOrg, err)
	}
	// Requests made with the stored credentials use the key.
	v, r = e.step("POST", "/api/v1/setup/connectivity", nil, http.StatusOK)
	if !allChecksPass(v.Connectivity) {
		t.Fatalf("connectivity with an API key: %s", r.Body)
	}

	// Even a wizard workflow that was terminated resumes from its saved
	// progress when the owner comes back.
	if err := e.tc.TerminateWorkflow(e.ctx, contract.SetupWorkflowID(e.orgID), "", "operator test"); err != nil {
		t.Fatal(err)
	}
	v, _ = e.step("GET", "/api/v1/setup", nil, http.StatusOK)
	if !v.Live || v.CurrentStep != contract.StepFrontDesk || v.Provider == nil || v.Provider.AuthKind != "api_key" {
		t.Fatalf("after termination: live %v step %q provider %+v", v.Live, v.CurrentStep, v.Provider)
	}
	r = e.do("GET", "/api/v1/setup/available-numbers?areaCode=628&limit=3", nil)
	if r.Status != http.StatusOK || !bytes.Contains(r.Body, []byte(`"monthlyCost":"1.15"`)) {
		t.Fatalf("search in the resumed wizard: %d %s", r.Status, r.Body)
	}

	// The demo org's owner sees only their own wizard (which the seed
	// recorded as complete, with none of this org's account or numbers).
	e.token = e.login("owner@demo.test")
	v, _ = e.step("GET", "/api/v1/setup", nil, http.StatusOK)
	if v.OrgID != e.demo.OrgID || v.Provider != nil || !v.Complete || len(v.Numbers) != 0 {
		t.Fatalf("another org's wizard leaked: %+v", v)
	}
}
