package api_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/snoutos/snout/activities"
	"github.com/snoutos/snout/api"
	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/dev/seed"
	"github.com/snoutos/snout/dev/testenv"
	"github.com/snoutos/snout/dev/twiliosim"
	"github.com/snoutos/snout/internal/domain/message"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/internal/twilio/orgprovider"
	"github.com/snoutos/snout/internal/twilio/provider"
)

func init() {
	allow(map[string][]string{
		"GET /api/v1/numbers":                             staff,
		"GET /api/v1/numbers/:id":                         staff,
		"POST /api/v1/numbers/buy":                        staff,
		"GET /api/v1/numbers/available":                   staff,
		"POST /api/v1/numbers/import":                     staff,
		"POST /api/v1/numbers/:id/assign":                 staff,
		"POST /api/v1/numbers/:id/release":                staff,
		"GET /api/v1/numbers/:id/quarantine-preview":      staff,
		"POST /api/v1/numbers/:id/quarantine":             staff,
		"GET /api/v1/numbers/:id/quarantine":              staff,
		"POST /api/v1/numbers/:id/quarantine/restore":     staff,
		"POST /api/v1/numbers/:id/quarantine/release-now": staff,
		"POST /api/v1/numbers/bulk/assign":                staff,
		"POST /api/v1/numbers/bulk/release":               staff,
		"POST /api/v1/numbers/bulk/quarantine":            staff,
		"POST /api/v1/numbers/bulk/import":                staff,
	})
}

// numbersEnv is the API over a fresh demo database, with a real Temporal
// server and a real worker (every workflow and activity of the product) on
// its own task queue, and the Twilio simulator owning the demo numbers.
type numbersEnv struct {
	*harness
	sim       *twiliosim.Server
	simURL    string
	tc        client.Client
	providers *orgprovider.Directory
	ctx       context.Context
	orgID     uuid.UUID
	owner     string
	admin     string
	sam       string
	// registered lists the workflow types the worker registered.
	registered map[string]bool
}

// recordingRegistry passes registrations to the worker and remembers the
// workflow type names, so a test can tell whether a workflow another
// feature owns is there yet.
type recordingRegistry struct {
	sdkworker.Worker
	names map[string]bool
}

func (r recordingRegistry) RegisterWorkflow(w interface{}) {
	name := runtime.FuncForPC(reflect.ValueOf(w).Pointer()).Name()
	r.names[name[strings.LastIndex(name, ".")+1:]] = true
	r.Worker.RegisterWorkflow(w)
}

func (r recordingRegistry) RegisterWorkflowWithOptions(w interface{}, o workflow.RegisterOptions) {
	r.names[o.Name] = true
	r.Worker.RegisterWorkflowWithOptions(w, o)
}

func (r recordingRegistry) RegisterActivityWithOptions(a interface{}, o activity.RegisterOptions) {
	r.Worker.RegisterActivityWithOptions(a, o)
}

func newNumbersEnv(t *testing.T) *numbersEnv {
	t.Helper()
	var reg recordingRegistry
	l := newLiveStack(t, func(w sdkworker.Worker) sdkworker.Registry {
		reg = recordingRegistry{Worker: w, names: map[string]bool{}}
		return reg
	})
	return &numbersEnv{harness: l.harness, sim: l.sim, simURL: l.simURL, tc: l.tc, providers: l.providers, ctx: l.ctx, orgID: l.demo.OrgID,
		owner: l.login("owner@demo.test"), admin: l.login("admin@demo.test"), sam: l.login("sam@demo.test"), registered: reg.names}
}

func (e *numbersEnv) org() *store.OrgStore { return e.store.Org(e.orgID) }

// requireWorkflow skips a test whose workflow another engineer owns until
// the worker registers it.
func (e *numbersEnv) requireWorkflow(t *testing.T, name string) {
	t.Helper()
	if !e.registered[name] {
		t.Skipf("%s is not registered on the worker yet; this test runs once it is", name)
	}
}

// provider returns the demo org's provider client (the simulator).
func (e *numbersEnv) provider(t *testing.T) *provider.Client {
	t.Helper()
	pc, err := e.providers.ForOrg(e.ctx, e.orgID)
	if err != nil {
		t.Fatal(err)
	}
	return pc
}

// ownedAtProvider reports whether the simulator's account owns e164.
func (e *numbersEnv) ownedAtProvider(t *testing.T, e164 string) bool {
	t.Helper()
	owned, err := e.provider(t).ListOwnedNumbers(e.ctx, e164)
	if err != nil {
		t.Fatal(err)
	}
	return len(owned) > 0
}

// addNumber buys e164 in the simulator (when atProvider) and puts it in
// the inventory with the given class.
func (e *numbersEnv) addNumber(t *testing.T, e164, class string, atProvider bool) uuid.UUID {
	t.Helper()
	n := &store.PhoneNumber{ID: store.NewID(), OrgID: e.orgID, E164: e164, Class: class, Status: store.NumberActive,
		WebhookStatus: "installed", FriendlyName: "Test " + e164[len(e164)-4:]}
	if atProvider {
		got, err := e.provider(t).BuyNumber(e.ctx, provider.BuyRequest{E164: e164})
		if err != nil {
			t.Fatal(err)
		}
		n.ProviderSID = got.SID
	}
	if _, err := e.store.DB().NewInsert().Model(n).Exec(e.ctx); err != nil {
		t.Fatal(err)
	}
	return n.ID
}

// addClient adds a client of the test's own.
func (e *numbersEnv) addClient(t *testing.T, name, e164 string) uuid.UUID {
	t.Helper()
	c := &store.Client{ID: store.NewID(), OrgID: e.orgID, Name: name, PhoneE164: e164}
	if _, err := e.store.DB().NewInsert().Model(c).Exec(e.ctx); err != nil {
		t.Fatal(err)
	}
	return c.ID
}

// addThread opens a live conversation between a demo client and a number.
func (e *numbersEnv) addThread(t *testing.T, clientKey string, numberID uuid.UUID) uuid.UUID {
	t.Helper()
	return e.addThreadFor(t, seed.ID("client/"+clientKey), numberID)
}

func (e *numbersEnv) addThreadFor(t *testing.T, clientID, numberID uuid.UUID) uuid.UUID {
	t.Helper()
	th := &store.Thread{ID: store.NewID(), OrgID: e.orgID, ClientID: clientID, NumberID: numberID,
		LastMessageAt: time.Now().Add(-10 * time.Minute), LastMessagePreview: "Can you come by at 5?"}
	if _, err := e.store.DB().NewInsert().Model(th).Exec(e.ctx); err != nil {
		t.Fatal(err)
	}
	return th.ID
}

// addAttempts records outbound texts from a number with their delivery
// attempts: failed of them failed (with code), the rest delivered.
func (e *numbersEnv) addAttempts(t *testing.T, threadID uuid.UUID, fromE164 string, total, failed, code int) {
	t.Helper()
	for i := 0; i < total; i++ {
		status := store.StatusDelivered
		var errCode *int
		if i < failed {
			status, errCode = store.StatusUndelivered, &code
		}
		at := time.Now().Add(-time.Duration(i+1) * time.Hour)
		m := &store.Message{ID: store.NewID(), OrgID: e.orgID, ThreadID: threadID, Direction: store.DirectionOutbound, SenderType: store.SenderOwner,
			Body: "Checking in", Media: []message.MediaItem{}, FromE164: fromE164, ToE164: "+16505550107", Status: status, ErrorCode: errCode,
			Encoding: "GSM-7", Segments: 1, Attempts: 1, CreatedAt: at, UpdatedAt: at}
		if _, err := e.store.DB().NewInsert().Model(m).Exec(e.ctx); err != nil {
			t.Fatal(err)
		}
		a := &store.MessageAttempt{ID: store.NewID(), OrgID: e.orgID, MessageID: m.ID, Attempt: 1, Status: status, ErrorCode: errCode, StartedAt: at}
		if _, err := e.store.DB().NewInsert().Model(a).Exec(e.ctx); err != nil {
			t.Fatal(err)
		}
	}
}

type numberList struct {
	Numbers    []api.NumberView `json:"numbers"`
	NextCursor string           `json:"nextCursor"`
}

func (e *numbersEnv) list(t *testing.T, token, query string) numberList {
	t.Helper()
	r := e.do("GET", "/api/v1/numbers"+query, token, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("GET /api/v1/numbers%s = %d %s", query, r.Status, r.Body)
	}
	var out numberList
	r.json(t, &out)
	return out
}

func numberIDs(views []api.NumberView) []string {
	out := make([]string, len(views))
	for i, v := range views {
		out[i] = v.ID.String()
	}
	return out
}

func numError(t *testing.T, r response) api.ErrorDetail {
	t.Helper()
	var b api.ErrorBody
	r.json(t, &b)
	return b.Error
}

func numEventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func wantStatus(t *testing.T, what string, r response, want int) {
	t.Helper()
	if r.Status != want {
		t.Fatalf("%s = %d, want %d: %s", what, r.Status, want, r.Body)
	}
}

// countSQL runs a count query (the test's own reading of the data).
func (e *numbersEnv) countSQL(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := e.store.DB().NewRaw(query, args...).Scan(e.ctx, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestNumbersInventoryFiltersAndExportMatchTheData(t *testing.T) {
	e := newNumbersEnv(t)
	pool1, pool2, riley := seed.ID("number/pool1"), seed.ID("number/pool2"), seed.ID("number/riley")
	// Pool 2: carriers filter it (5 of 10 texts undelivered with 30007): red.
	// Riley's line: 1 failure in 20 (5%): yellow.
	grayPool2 := e.addThread(t, "gray", pool2)
	e.addAttempts(t, grayPool2, seed.PoolNumber2, 10, 5, 30007)
	blakeRiley := seed.ID("thread/blake-riley")
	e.addAttempts(t, blakeRiley, seed.RileyNumber, 20, 1, 30003)
	// A friendly name a spreadsheet would run as a formula.
	if _, err := e.store.DB().NewRaw("UPDATE phone_numbers SET friendly_name = '=HYPERLINK(\"http://x\")' WHERE id = ?", pool1).Exec(e.ctx); err != nil {
		t.Fatal(err)
	}

	all := e.list(t, e.admin, "?limit=200").Numbers
	byID := map[uuid.UUID]api.NumberView{}
	for _, v := range all {
		byID[v.ID] = v
	}
	live := e.countSQL(t, "SELECT count(*) FROM phone_numbers WHERE org_id = ? AND status <> 'released'", e.orgID)
	if len(all) != live {
		t.Fatalf("inventory lists %d numbers, the org has %d", len(all), live)
	}
	if all[0].ID != seed.ID("number/front") || all[0].AssignedTo.Kind != "front_desk" {
		t.Errorf("first row = %+v, want the front desk first", all[0])
	}
	if got := byID[pool2].Health; got.Level != "red" || got.ReputationErrors < 5 {
		t.Errorf("pool 2 health = %+v, want red with the 30007 storm", got)
	}
	if got := byID[riley].Health; got.Level != "yellow" {
		t.Errorf("Riley's line health = %+v, want yellow (1 failure in 20)", got)
	}
	if got := byID[seed.ID("number/sam")]; got.AssignedTo.Kind != "sitter" || got.AssignedTo.SitterName != "Sam Patel" || got.Class != "sitter" {
		t.Errorf("Sam's line = %+v", got)
	}
	// Every number's 7-day volume and thread count agree with the rows.
	for _, v := range all {
		vol := e.countSQL(t, `SELECT count(*) FROM messages WHERE org_id = ? AND created_at >= now() - interval '7 days'
			AND ((direction = 'outbound' AND from_e164 = ?) OR (direction = 'inbound' AND to_e164 = ?))`, e.orgID, v.E164, v.E164)
		threads := e.countSQL(t, "SELECT count(*) FROM threads WHERE org_id = ? AND number_id = ?", e.orgID, v.ID)
		attempts := e.countSQL(t, `SELECT count(*) FROM message_attempts a JOIN messages m ON m.id = a.message_id
			WHERE a.org_id = ? AND m.direction = 'outbound' AND m.from_e164 = ? AND a.started_at >= now() - interval '7 days'`, e.orgID, v.E164)
		failed := e.countSQL(t, `SELECT count(*) FROM message_attempts a JOIN messages m ON m.id = a.message_id
			WHERE a.org_id = ? AND m.direction = 'outbound' AND m.from_e164 = ? AND a.started_at >= now() - interval '7 days'
			AND a.status IN ('failed', 'undelivered')`, e.orgID, v.E164)
		if v.Volume7d != vol || v.AssignedTo.ThreadCount != threads || v.Health.Attempts != attempts || v.Health.Failed != failed {
			t.Errorf("%s: volume %d threads %d attempts %d failed %d; the data says %d, %d, %d, %d", v.E164, v.Volume7d,
				v.AssignedTo.ThreadCount, v.Health.Attempts, v.Health.Failed, vol, threads, attempts, failed)
		}
	}

	filterCases := []struct {
		query string
		keep  func(api.NumberView) bool
	}{
		{"?class=pool", func(v api.NumberView) bool { return v.Class == "pool" }},
		{"?class=sitter&status=active", func(v api.NumberView) bool { return v.Class == "sitter" && v.Status == "active" }},
		{"?health=red", func(v api.NumberView) bool { return v.Health.Level == "red" }},
		{"?health=yellow", func(v api.NumberView) bool { return v.Health.Level == "yellow" }},
		{"?health=green", func(v api.NumberView) bool { return v.Health.Level == "green" }},
		{"?assignedTo=sitter&sitterId=" + seed.ID("sitter/sam").String(), func(v api.NumberView) bool {
			return v.AssignedTo.SitterID != nil && *v.AssignedTo.SitterID == seed.ID("sitter/sam")
		}},
		{"?assignedTo=front_desk", func(v api.NumberView) bool { return v.AssignedTo.Kind == "front_desk" }},
		{"?minVolume=5", func(v api.NumberView) bool { return v.Volume7d >= 5 }},
		{"?maxVolume=0", func(v api.NumberView) bool { return v.Volume7d == 0 }},
		{"?idleDays=1", func(v api.NumberView) bool {
			return v.LastUsedAt == nil || v.LastUsedAt.Before(time.Now().Add(-24*time.Hour))
		}},
		{"?q=0103", func(v api.NumberView) bool { return strings.Contains(v.E164, "0103") }},
	}
	for _, fc := range filterCases {
		var want []string
		for _, v := range all {
			if fc.keep(v) {
				want = append(want, v.ID.String())
			}
		}
		got := numberIDs(e.list(t, e.admin, fc.query+"&limit=200").Numbers)
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s = %v, want %v", fc.query, got, want)
		}
	}
	if ids := numberIDs(e.list(t, e.admin, "?health=red").Numbers); !contains(ids, pool2.String()) {
		t.Errorf("?health=red = %v, missing pool 2", ids)
	}

	// Cursor pagination walks the same rows in the same order, once each.
	var walked []string
	cursor := ""
	for page := 0; page < 20; page++ {
		q := "?limit=2"
		if cursor != "" {
			q += "&cursor=" + cursor
		}
		p := e.list(t, e.owner, q)
		walked = append(walked, numberIDs(p.Numbers)...)
		if cursor = p.NextCursor; cursor == "" {
			break
		}
	}
	if strings.Join(walked, ",") != strings.Join(numberIDs(all), ",") {
		t.Errorf("pages walked %v, want %v", walked, numberIDs(all))
	}

	// CSV export: the same rows as the filtered list, cells matching.
	r := e.do("GET", "/api/v1/numbers?format=csv&class=pool", e.admin, nil)
	wantStatus(t, "CSV export", r, http.StatusOK)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("export Content-Type = %q", ct)
	}
	recs, err := csv.NewReader(bytes.NewReader(r.Body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	pools := e.list(t, e.admin, "?class=pool&limit=200").Numbers
	if len(recs) != len(pools)+1 || recs[0][0] != "id" || recs[0][1] != "e164" {
		t.Fatalf("export has %d lines (header %v), want %d numbers", len(recs), recs[0], len(pools))
	}
	col := map[string]int{}
	for i, name := range recs[0] {
		col[name] = i
	}
	for i, v := range pools {
		rec := recs[i+1]
		if rec[col["id"]] != v.ID.String() || rec[col["e164"]] != v.E164 || rec[col["class"]] != v.Class || rec[col["health"]] != v.Health.Level ||
			rec[col["volume_7d"]] != fmt.Sprint(v.Volume7d) || rec[col["client_threads"]] != fmt.Sprint(v.AssignedTo.ThreadCount) {
			t.Errorf("export row %v does not match %+v", rec, v)
		}
		if v.ID == pool1 && rec[col["friendly_name"]] != `'=HYPERLINK("http://x")` {
			t.Errorf("formula-like name exported as %q, want it defused", rec[col["friendly_name"]])
		}
	}

	// Bad filters are 400 with the field; another org's IDs are 404.
	r = e.do("GET", "/api/v1/numbers?health=purple&minVolume=-1", e.admin, nil)
	wantStatus(t, "bad filters", r, http.StatusBadRequest)
	if f := numError(t, r).Fields; f["health"] == "" || f["minVolume"] == "" {
		t.Errorf("bad filter fields = %v", f)
	}
	wantStatus(t, "another org's sitter", e.do("GET", "/api/v1/numbers?sitterId="+uuid.NewString(), e.admin, nil), http.StatusNotFound)
	wantStatus(t, "another org's number in ids", e.do("GET", "/api/v1/numbers?ids="+seed.ID("number/other/front").String(), e.admin, nil), http.StatusNotFound)
}

func TestNumberDetailShowsHistoryThreadsErrorsAndCooldown(t *testing.T) {
	e := newNumbersEnv(t)
	pool2 := e.addNumber(t, "+14155550156", store.ClassPool, false)
	thread := e.addThread(t, "gray", pool2)
	e.addAttempts(t, thread, "+14155550156", 3, 2, 30007)
	if err := e.org().AddNumberEvent(e.ctx, pool2, "assigned", "Moved to the pool", "test"); err != nil {
		t.Fatal(err)
	}
	r := e.do("GET", "/api/v1/numbers/"+pool2.String(), e.admin, nil)
	wantStatus(t, "detail", r, http.StatusOK)
	var d struct {
		Number         api.NumberView          `json:"number"`
		History        []store.NumberEvent     `json:"history"`
		Threads        []store.NumberThread    `json:"threads"`
		DeliveryErrors []api.DeliveryErrorView `json:"deliveryErrors"`
		Quarantine     *api.QuarantineView     `json:"quarantine"`
	}
	r.json(t, &d)
	if d.Number.ID != pool2 || len(d.History) == 0 || d.History[0].Detail != "Moved to the pool" {
		t.Errorf("number %v history %+v", d.Number.ID, d.History)
	}
	found := false
	for _, th := range d.Threads {
		if th.ThreadID == thread && th.ClientName == "Gray Williams" && th.Active {
			found = true
		}
	}
	if !found {
		t.Errorf("threads %+v do not show Gray's live conversation", d.Threads)
	}
	// Without diagnostics: the reason in plain words, no raw code.
	if len(d.DeliveryErrors) != 2 || d.DeliveryErrors[0].Code != nil || d.DeliveryErrors[0].Reason != provider.Explain(30007) || d.DeliveryErrors[0].ClientName != "Gray Williams" ||
		strings.Contains(string(r.Body), "30007") {
		t.Errorf("delivery errors = %s, want two carrier filterings explained, without their code", r.Body)
	}
	// With the owner's diagnostics on, the owner sees the code; an admin still does not.
	wantStatus(t, "diagnostics on", e.do("PUT", "/api/v1/settings/diagnostics", e.owner, map[string]bool{"enabled": true}), http.StatusOK)
	r = e.do("GET", "/api/v1/numbers/"+pool2.String(), e.owner, nil)
	r.json(t, &d)
	if len(d.DeliveryErrors) != 2 || d.DeliveryErrors[0].Code == nil || *d.DeliveryErrors[0].Code != 30007 {
		t.Errorf("with diagnostics, delivery errors = %s, want the code 30007", r.Body)
	}
	if r := e.do("GET", "/api/v1/numbers/"+pool2.String(), e.admin, nil); strings.Contains(string(r.Body), "30007") {
		t.Errorf("an admin sees the raw code with the owner's diagnostics on: %s", r.Body)
	}
	if d.Quarantine != nil {
		t.Errorf("cooldown = %+v for a number never quarantined", d.Quarantine)
	}
}

func TestNumberReleaseGuardrailsAndConfirmation(t *testing.T) {
	e := newNumbersEnv(t)
	front, sam := seed.ID("number/front"), seed.ID("number/sam")

	r := e.do("POST", "/api/v1/numbers/"+front.String()+"/release", e.owner, nil)
	wantStatus(t, "release the front desk", r, http.StatusConflict)

	r = e.do("POST", "/api/v1/numbers/"+sam.String()+"/release", e.owner, map[string]string{})
	wantStatus(t, "release a number with active threads", r, http.StatusConflict)
	body := numError(t, r)
	active := e.countSQL(t, "SELECT count(*) FROM threads WHERE org_id = ? AND number_id = ?", e.orgID, sam)
	if body.Code != "has_active_threads" || body.Fields["activeThreads"] != fmt.Sprint(active) || body.Fields["clients"] == "" {
		t.Errorf("409 body = %+v, want has_active_threads with %d threads", body, active)
	}

	spare := e.addNumber(t, "+14155550150", store.ClassPool, true)
	other := e.addNumber(t, "+14155550151", store.ClassPool, true)
	path := "/api/v1/numbers/" + spare.String() + "/release"
	r = e.do("POST", path, e.admin, nil)
	wantStatus(t, "release without confirmToken", r, http.StatusOK)
	var preview api.ConfirmationView
	r.json(t, &preview)
	if preview.ConfirmToken == "" || preview.Impact.Threads != 0 || preview.Action != "release" {
		t.Fatalf("preview = %+v", preview)
	}
	if n, _ := e.org().Number(e.ctx, spare); n.Status != store.NumberActive || !e.ownedAtProvider(t, "+14155550150") {
		t.Fatal("the preview changed something")
	}

	// Tokens are bound to the number, the action, the user and a deadline.
	otherPreview := e.do("POST", "/api/v1/numbers/"+other.String()+"/release", e.admin, nil)
	var op api.ConfirmationView
	otherPreview.json(t, &op)
	for _, tc := range []struct {
		name, token, user string
	}{
		{"garbage", "123.abc", e.admin},
		{"another number's token", op.ConfirmToken, e.admin},
		{"someone else's token", preview.ConfirmToken, e.owner},
	} {
		r := e.do("POST", path, tc.user, map[string]string{"confirmToken": tc.token})
		wantStatus(t, tc.name, r, http.StatusBadRequest)
		if numError(t, r).Code != "invalid_confirm_token" {
			t.Errorf("%s: %s", tc.name, r.Body)
		}
	}
	qp := e.do("GET", "/api/v1/numbers/"+spare.String()+"/quarantine-preview", e.admin, nil)
	var qpv struct {
		ConfirmToken string `json:"confirmToken"`
	}
	qp.json(t, &qpv)
	wantStatus(t, "a quarantine token used to release", e.do("POST", path, e.admin, map[string]string{"confirmToken": qpv.ConfirmToken}), http.StatusBadRequest)
	e.clock.now = e.clock.now.Add(6 * time.Minute)
	r = e.do("POST", path, e.admin, map[string]string{"confirmToken": preview.ConfirmToken})
	wantStatus(t, "expired token", r, http.StatusBadRequest)
	if !strings.Contains(numError(t, r).Message, "expired") {
		t.Errorf("expired token message = %s", r.Body)
	}
	e.clock.now = time.Now()

	// Preview again and confirm: released at the provider and in the inventory.
	r = e.do("POST", path, e.admin, nil)
	r.json(t, &preview)
	r = e.do("POST", path, e.admin, map[string]string{"confirmToken": preview.ConfirmToken})
	wantStatus(t, "confirmed release", r, http.StatusOK)
	var out struct {
		Number api.NumberView `json:"number"`
	}
	r.json(t, &out)
	if out.Number.Status != store.NumberReleased || out.Number.ReleasedAt == nil {
		t.Errorf("after release the number is %+v", out.Number)
	}
	if e.ownedAtProvider(t, "+14155550150") {
		t.Error("the provider still owns the released number")
	}
	if ids := numberIDs(e.list(t, e.admin, "?limit=200").Numbers); contains(ids, spare.String()) {
		t.Error("a released number is still in the default inventory list")
	}
	if ids := numberIDs(e.list(t, e.admin, "?status=released").Numbers); !contains(ids, spare.String()) {
		t.Error("?status=released does not list the released number")
	}
	evs, _ := e.org().NumberEvents(e.ctx, spare, 10)
	if len(evs) == 0 || evs[0].Kind != "released" {
		t.Errorf("history = %+v, want a released event", evs)
	}
	assertAudit(t, e.harness, "number.release.confirmed", "number.released")
}

func TestNumberAssignGuardrails(t *testing.T) {
	e := newNumbersEnv(t)
	spare := e.addNumber(t, "+14155550152", store.ClassPool, false)
	riley := seed.ID("sitter/riley")
	r := e.do("POST", "/api/v1/numbers/"+spare.String()+"/assign", e.admin, map[string]any{"to": "sitter", "sitterId": riley})
	wantStatus(t, "assign to Riley", r, http.StatusOK)
	var out struct {
		Number api.NumberView `json:"number"`
	}
	r.json(t, &out)
	if out.Number.Class != "sitter" || out.Number.AssignedTo.SitterName != "Riley Brooks" {
		t.Errorf("after assign: %+v", out.Number.AssignedTo)
	}
	for _, tc := range []struct {
		name string
		id   uuid.UUID
		body map[string]any
		want int
	}{
		{"a second front desk", spare, map[string]any{"to": "front_desk"}, http.StatusConflict},
		{"the front desk to the pool", seed.ID("number/front"), map[string]any{"to": "pool"}, http.StatusConflict},
		{"a number with active threads to another sitter", seed.ID("number/sam"), map[string]any{"to": "sitter", "sitterId": riley}, http.StatusConflict},
		{"another org's sitter", spare, map[string]any{"to": "sitter", "sitterId": uuid.New()}, http.StatusNotFound},
		{"an unknown target", spare, map[string]any{"to": "moon"}, http.StatusBadRequest},
		{"another org's number", seed.ID("number/other/front"), map[string]any{"to": "pool"}, http.StatusNotFound},
	} {
		wantStatus(t, tc.name, e.do("POST", "/api/v1/numbers/"+tc.id.String()+"/assign", e.admin, tc.body), tc.want)
	}
	// Bulk: each number answers for itself.
	r = e.do("POST", "/api/v1/numbers/bulk/assign", e.admin, map[string]any{"ids": []uuid.UUID{spare, seed.ID("number/front")}, "to": "pool"})
	wantStatus(t, "bulk assign", r, http.StatusOK)
	var bulk struct {
		Items     []api.BulkResult `json:"items"`
		Succeeded int              `json:"succeeded"`
	}
	r.json(t, &bulk)
	if bulk.Succeeded != 1 || !bulk.Items[0].OK || bulk.Items[0].Number.Class != "pool" || bulk.Items[1].OK || bulk.Items[1].Error.Code != "conflict" {
		t.Errorf("bulk assign = %s", r.Body)
	}
	evs, _ := e.org().NumberEvents(e.ctx, spare, 10)
	if len(evs) != 2 || evs[0].Detail != "Moved to the pool" || evs[1].Detail != "Assigned to Riley Brooks" {
		t.Errorf("history = %+v", evs)
	}
	assertAudit(t, e.harness, "number.assigned")
}

// quarantineState reads GET /numbers/:id/quarantine.
type quarantineStatus struct {
	Number     api.NumberView            `json:"number"`
	Quarantine api.QuarantineView        `json:"quarantine"`
	State      *contract.QuarantineState `json:"state"`
}

func TestQuarantinePoolNumberWithLiveThreads(t *testing.T) {
	e := newNumbersEnv(t)
	pool1, pool2, front := seed.ID("number/pool1"), seed.ID("number/pool2"), seed.ID("number/front")
	// Live conversations on pool 1 with three clients of the test's own;
	// Ada is with Riley right now. Cy also has a thread on pool 2 (a client
	// has one thread per number), so Cy's moves to the next candidate.
	adaID := e.addClient(t, "Ada Quinn", "+16505550171")
	boID := e.addClient(t, "Bo Lindt", "+16505550172")
	cyID := e.addClient(t, "Cy Moreno", "+16505550173")
	if err := e.org().CreateWindow(e.ctx, &store.AssignmentWindow{ID: store.NewID(), OrgID: e.orgID, SitterID: seed.ID("sitter/riley"), ClientID: adaID,
		StartsAt: time.Now().Add(-time.Hour), EndsAt: time.Now().Add(48 * time.Hour), Status: store.WindowActive}); err != nil {
		t.Fatal(err)
	}
	ada := e.addThreadFor(t, adaID, pool1)
	bo := e.addThreadFor(t, boID, pool1)
	cy := e.addThreadFor(t, cyID, pool1)
	e.addThreadFor(t, cyID, pool2)
	onPool1 := e.countSQL(t, "SELECT count(*) FROM threads WHERE org_id = ? AND number_id = ?", e.orgID, pool1)
	notifiable := e.countSQL(t, `SELECT count(*) FROM threads t JOIN clients c ON c.id = t.client_id
		WHERE t.org_id = ? AND t.number_id = ? AND c.opted_out_at IS NULL`, e.orgID, pool1)
	path := "/api/v1/numbers/" + pool1.String()

	// Preview: the impact and the proposed replacement; nothing changes.
	r := e.do("GET", path+"/quarantine-preview", e.admin, nil)
	wantStatus(t, "quarantine preview", r, http.StatusOK)
	var preview struct {
		Impact       api.ImpactView       `json:"impact"`
		Threads      []store.NumberThread `json:"threads"`
		ConfirmToken string               `json:"confirmToken"`
	}
	r.json(t, &preview)
	windows := e.countSQL(t, `SELECT count(*) FROM assignment_windows w JOIN threads t ON t.org_id = w.org_id AND t.client_id = w.client_id
		WHERE t.org_id = ? AND t.number_id = ? AND w.status <> 'cancelled' AND w.starts_at <= now() AND w.ends_at > now()`, e.orgID, pool1)
	if preview.Impact.Threads != onPool1 || preview.Impact.ActiveWindows != windows || preview.Impact.ActiveWindows < 1 ||
		preview.Impact.Replacement == nil || preview.Impact.Replacement.ID != pool2 || len(preview.Threads) != onPool1 {
		t.Fatalf("preview = %s, want %d threads, %d active windows, pool 2 as replacement", r.Body, onPool1, windows)
	}
	if n, _ := e.org().Number(e.ctx, pool1); n.Status != store.NumberActive {
		t.Fatal("the preview changed the number")
	}
	// The POST without a token is the same preview.
	r = e.do("POST", path+"/quarantine", e.admin, map[string]any{"notifyClients": true})
	wantStatus(t, "quarantine without confirmToken", r, http.StatusOK)
	wantStatus(t, "quarantine with a bad token", e.do("POST", path+"/quarantine", e.admin, map[string]any{"confirmToken": "1.x"}), http.StatusBadRequest)

	// Confirm: quarantined, threads moved, clients texted, cooldown running.
	r = e.do("POST", path+"/quarantine", e.admin, map[string]any{"confirmToken": preview.ConfirmToken, "notifyClients": true,
		"endAction": "return_to_pool", "reason": "Carrier filtering"})
	wantStatus(t, "confirmed quarantine", r, http.StatusOK)
	var started struct {
		QuarantineID uuid.UUID                `json:"quarantineId"`
		WorkflowID   string                   `json:"workflowId"`
		State        contract.QuarantineState `json:"state"`
		Number       api.NumberView           `json:"number"`
	}
	r.json(t, &started)
	if started.WorkflowID != contract.QuarantineWorkflowID(pool1) || started.Number.Status != store.NumberQuarantined ||
		started.State.Phase != contract.QuarantinePhaseCoolingDown || len(started.State.Impact.Moves) != onPool1 {
		t.Fatalf("confirm answered %s", r.Body)
	}
	days := started.Number.CooldownEndsAt.Sub(time.Now()).Hours() / 24
	if days < 29.9 || days > 30.1 {
		t.Errorf("cooldown ends in %.1f days, want the default 30", days)
	}
	moved := map[uuid.UUID]uuid.UUID{}
	for _, id := range []uuid.UUID{ada, bo, cy} {
		th, _, _, err := e.org().NoticeRecipient(e.ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		moved[id] = th.NumberID
	}
	if moved[ada] != pool2 || moved[bo] != pool2 || moved[cy] != front {
		t.Errorf("threads now on %v, want Ada and Bo on pool 2 and Cy on the front desk", moved)
	}
	if n := e.countSQL(t, "SELECT count(*) FROM thread_number_moves WHERE org_id = ? AND from_number_id = ? AND quarantine_id = ?", e.orgID, pool1, started.QuarantineID); n != onPool1 {
		t.Errorf("%d moves recorded, want %d", n, onPool1)
	}
	// A text Bo sends to the old number during the cooldown lands in his
	// moved thread (the inbound path reads the recorded move).
	if th, err := e.org().ThreadMovedOffNumber(e.ctx, pool1, boID); err != nil || th.ID != bo {
		t.Errorf("ThreadMovedOffNumber(pool 1, Bo) = %v, %v; want his moved thread", th, err)
	}
	if res, err := e.sim.DeliverInbound(e.ctx, twiliosim.InboundRequest{From: "+16505550172", To: seed.PoolNumber1, Body: "Is 5pm still ok?"}); err != nil || res.WebhookStatus != http.StatusOK {
		t.Fatalf("text to the quarantined number: %+v, %v", res, err)
	}
	numEventually(t, "Bo's text to the old number in his moved thread", func() bool {
		return e.countSQL(t, "SELECT count(*) FROM messages WHERE org_id = ? AND thread_id = ? AND direction = 'inbound' AND body = ?",
			e.orgID, bo, "Is 5pm still ok?") == 1
	})
	// Each client is texted from their new number, through delivery.
	for i, want := range []struct {
		to, from string
	}{{"+16505550171", seed.PoolNumber2}, {"+16505550172", seed.PoolNumber2}, {"+16505550173", seed.FrontDeskNumber}} {
		numEventually(t, fmt.Sprintf("notice %d to %s", i, want.to), func() bool {
			for _, m := range e.sim.Messages(want.to, want.from) {
				if strings.Contains(m.Body, "(415) 555-0103") {
					return true
				}
			}
			return false
		})
	}
	notice := new(store.Message)
	err := e.store.DB().NewSelect().Model(notice).Where("id = ?", activities.NoticeMessageID(started.QuarantineID, bo)).Scan(e.ctx)
	if err != nil || notice.SenderType != store.SenderSystem || notice.ThreadID != bo {
		t.Errorf("notice message = %+v, %v", notice, err)
	}

	// The cooldown is running: the workflow answers its state query.
	r = e.do("GET", path+"/quarantine", e.admin, nil)
	wantStatus(t, "quarantine status", r, http.StatusOK)
	var st quarantineStatus
	r.json(t, &st)
	if st.State == nil || st.State.Phase != contract.QuarantinePhaseCoolingDown || st.Quarantine.Status != "cooling_down" ||
		st.State.Impact.ClientsNotified != notifiable || st.Quarantine.Impact.Threads != onPool1 {
		t.Errorf("status while cooling down = %s", r.Body)
	}
	desc, err := e.tc.DescribeWorkflowExecution(e.ctx, started.WorkflowID, "")
	if err != nil {
		t.Fatal(err)
	}
	attrs := desc.WorkflowExecutionInfo.GetSearchAttributes().GetIndexedFields()
	for _, key := range []string{"OrgId", "PhoneNumber", "NumberId"} {
		if attrs[key] == nil {
			t.Errorf("search attribute %s missing: operators cannot find the quarantine", key)
		}
	}
	// The detail page shows the cooldown; a second quarantine is refused.
	wantStatus(t, "quarantine twice", e.do("GET", path+"/quarantine-preview", e.admin, nil), http.StatusConflict)
	wantStatus(t, "release while quarantined", e.do("POST", path+"/release", e.admin, nil), http.StatusConflict)

	// Restore early: back in service, threads stay where they moved.
	r = e.do("POST", path+"/quarantine/restore", e.owner, map[string]string{"reason": "False alarm"})
	wantStatus(t, "restore", r, http.StatusOK)
	var restored struct {
		Number     api.NumberView     `json:"number"`
		Quarantine api.QuarantineView `json:"quarantine"`
	}
	r.json(t, &restored)
	if restored.Number.Status != store.NumberActive || restored.Quarantine.Status != "restored" || restored.Number.CooldownEndsAt != nil {
		t.Errorf("after restore: %s", r.Body)
	}
	if th, _, _, _ := e.org().NoticeRecipient(e.ctx, ada); th.NumberID != pool2 {
		t.Error("restoring moved Ada's thread back")
	}
	wantStatus(t, "restore twice", e.do("POST", path+"/quarantine/restore", e.owner, nil), http.StatusConflict)
	var res contract.QuarantineResult
	if err := e.tc.GetWorkflow(e.ctx, started.WorkflowID, "").Get(e.ctx, &res); err != nil || res.Outcome != contract.QuarantineOutcomeRestored {
		t.Errorf("workflow ended %+v, %v", res, err)
	}
	evs, _ := e.org().NumberEvents(e.ctx, pool1, 10)
	var kinds []string
	for _, ev := range evs {
		kinds = append(kinds, ev.Kind)
	}
	if strings.Join(kinds, ",") != "restored,threads_moved,quarantined" {
		t.Errorf("history = %v", kinds)
	}
	assertAudit(t, e.harness, "number.quarantine.requested", "number.quarantine.started", "number.quarantine.threads_moved", "number.quarantine.restored")
}

func TestQuarantineReleaseNowAndBulkQuarantine(t *testing.T) {
	e := newNumbersEnv(t)
	a := e.addNumber(t, "+14155550153", store.ClassPool, true)
	b := e.addNumber(t, "+14155550154", store.ClassPool, true)
	ids := []uuid.UUID{a, b}

	r := e.do("POST", "/api/v1/numbers/bulk/quarantine", e.admin, map[string]any{"ids": ids, "endAction": "release", "cooldownDays": 7})
	wantStatus(t, "bulk quarantine preview", r, http.StatusOK)
	var preview api.ConfirmationView
	r.json(t, &preview)
	for _, it := range preview.Items {
		if !it.OK || it.Replacement == nil || it.Replacement.ID == a || it.Replacement.ID == b {
			t.Errorf("bulk preview item %+v: each needs a replacement outside the selection", it)
		}
	}
	wantStatus(t, "bulk quarantine with a token for other numbers", e.do("POST", "/api/v1/numbers/bulk/quarantine", e.admin,
		map[string]any{"ids": []uuid.UUID{a}, "confirmToken": preview.ConfirmToken}), http.StatusBadRequest)
	r = e.do("POST", "/api/v1/numbers/bulk/quarantine", e.admin, map[string]any{"ids": ids, "endAction": "release", "cooldownDays": 7, "confirmToken": preview.ConfirmToken})
	wantStatus(t, "bulk quarantine", r, http.StatusOK)
	var bulk struct {
		Succeeded int `json:"succeeded"`
	}
	r.json(t, &bulk)
	if bulk.Succeeded != 2 {
		t.Fatalf("bulk quarantine = %s", r.Body)
	}
	for _, id := range ids {
		numEventually(t, "quarantined", func() bool {
			n, _ := e.org().Number(e.ctx, id)
			return n.Status == store.NumberQuarantined
		})
	}
	q, _ := e.org().LatestQuarantine(e.ctx, a)
	if d := q.CooldownEndsAt.Sub(q.CreatedAt); d != 7*24*time.Hour || q.EndAction != "release" {
		t.Errorf("quarantine %+v, want 7 days then release", q)
	}

	// Release now: confirmed, the provider gets the number back at once.
	path := "/api/v1/numbers/" + a.String() + "/quarantine/release-now"
	r = e.do("POST", path, e.owner, nil)
	wantStatus(t, "release-now preview", r, http.StatusOK)
	var rn api.ConfirmationView
	r.json(t, &rn)
	if !e.ownedAtProvider(t, "+14155550153") {
		t.Fatal("the preview released the number")
	}
	r = e.do("POST", path, e.owner, map[string]string{"confirmToken": rn.ConfirmToken})
	wantStatus(t, "release-now", r, http.StatusOK)
	var out struct {
		Number     api.NumberView     `json:"number"`
		Quarantine api.QuarantineView `json:"quarantine"`
	}
	r.json(t, &out)
	if out.Number.Status != store.NumberReleased || out.Quarantine.Status != "released" {
		t.Errorf("after release-now: %s", r.Body)
	}
	if e.ownedAtProvider(t, "+14155550153") {
		t.Error("the provider still owns the number released now")
	}
	// The other one keeps cooling down, and can be restored.
	wantStatus(t, "restore b", e.do("POST", "/api/v1/numbers/"+b.String()+"/quarantine/restore", e.admin, nil), http.StatusOK)
	if n, _ := e.org().Number(e.ctx, b); n.Status != store.NumberActive {
		t.Errorf("b after restore = %s", n.Status)
	}
	assertAudit(t, e.harness, "number.quarantine.release_now_requested", "number.quarantine.released")
}

func TestNumbersBulkReleaseIsPerNumber(t *testing.T) {
	e := newNumbersEnv(t)
	spare := e.addNumber(t, "+14155550155", store.ClassPool, true)
	ids := []uuid.UUID{spare, seed.ID("number/front")}
	r := e.do("POST", "/api/v1/numbers/bulk/release", e.admin, map[string]any{"ids": ids})
	wantStatus(t, "bulk release preview", r, http.StatusOK)
	var preview api.ConfirmationView
	r.json(t, &preview)
	if !preview.Items[0].OK || preview.Items[1].OK || preview.Items[1].Error == nil || preview.ConfirmToken == "" {
		t.Fatalf("preview = %s", r.Body)
	}
	r = e.do("POST", "/api/v1/numbers/bulk/release", e.admin, map[string]any{"ids": ids, "confirmToken": preview.ConfirmToken})
	wantStatus(t, "bulk release", r, http.StatusOK)
	var out struct {
		Items     []api.BulkResult `json:"items"`
		Succeeded int              `json:"succeeded"`
	}
	r.json(t, &out)
	if out.Succeeded != 1 || out.Items[0].Number == nil || out.Items[0].Number.Status != store.NumberReleased {
		t.Errorf("bulk release = %s", r.Body)
	}
	if n, _ := e.org().Number(e.ctx, seed.ID("number/front")); n.Status != store.NumberActive {
		t.Error("the front desk was released in bulk")
	}
	if e.ownedAtProvider(t, "+14155550155") {
		t.Error("the provider still owns the released number")
	}
}

func TestNumbersBulkImportCSVReportsBadRowsAndKeepsGoodOnes(t *testing.T) {
	e := newNumbersEnv(t)
	e.requireWorkflow(t, contract.ProvisionNumbersWorkflowName)
	// The account already owns these two (bought in the provider's console).
	for _, n := range []string{"+14155550160", "+14155550161"} {
		if _, err := e.provider(t).BuyNumber(e.ctx, provider.BuyRequest{E164: n}); err != nil {
			t.Fatal(err)
		}
	}
	csvBody := strings.Join([]string{
		"e164,class,sitter_email,friendly_name",
		"+1 415 555 0160,pool,,Spare A",
		"(415) 555-0161,sitter,riley@demo.test,Riley's second line",
		"not-a-number,pool,,",
		"+14155550162,sitter,nobody@demo.test,",
		"+14155550100,pool,,",
		"+14155550163,front desk,,",
		"+14155550164,pool,sam@demo.test,",
	}, "\n")
	req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/numbers/bulk/import", strings.NewReader(csvBody))
	req.Header.Set("Authorization", "Bearer "+e.admin)
	req.Header.Set("Content-Type", "text/csv")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	r := response{Status: resp.StatusCode, Body: b}
	wantStatus(t, "bulk import", r, http.StatusOK)
	var out struct {
		Rows     []api.ImportRowResult `json:"rows"`
		Imported int                   `json:"imported"`
		Failed   int                   `json:"failed"`
	}
	r.json(t, &out)
	if out.Imported != 2 || out.Failed != 5 || len(out.Rows) != 7 {
		t.Fatalf("import = %s", b)
	}
	wantFields := []string{"", "", "e164", "sitter_email", "e164", "class", "sitter_email"}
	for i, row := range out.Rows {
		if row.Line != i+2 {
			t.Errorf("row %d reports line %d", i, row.Line)
		}
		if (i < 2) != row.OK || row.Field != wantFields[i] {
			t.Errorf("line %d = %+v, want ok=%v field %q", row.Line, row, i < 2, wantFields[i])
		}
		if !row.OK && row.Error == "" {
			t.Errorf("line %d failed without a reason", row.Line)
		}
	}
	all := e.list(t, e.admin, "?limit=200").Numbers
	got := map[string]api.NumberView{}
	for _, v := range all {
		got[v.E164] = v
	}
	// (The friendly name from the file is not checked: provisioning keeps
	// the name the provider account already has for an imported number.)
	if v, ok := got["+14155550160"]; !ok || v.Class != "pool" || v.Status != store.NumberActive {
		t.Errorf("imported pool number = %+v", v)
	}
	if v, ok := got["+14155550161"]; !ok || v.Class != "sitter" || v.AssignedTo.SitterName != "Riley Brooks" {
		t.Errorf("imported sitter number = %+v", v)
	}
	if _, ok := got["+14155550162"]; ok {
		t.Error("a row with an unknown sitter was imported")
	}
}

func TestNumbersBuyThroughProvisioning(t *testing.T) {
	e := newNumbersEnv(t)
	e.requireWorkflow(t, contract.ProvisionNumbersWorkflowName)
	// An admin finds numbers for sale, with the monthly cost, before buying.
	admin := e.admin
	r := e.do("GET", "/api/v1/numbers/available?areaCode=628&limit=3", admin, nil)
	wantStatus(t, "search numbers for sale", r, http.StatusOK)
	var forSale api.SetupSearchView
	r.json(t, &forSale)
	if len(forSale.Numbers) == 0 || forSale.MonthlyCost == "" || forSale.Numbers[0].MonthlyCost != forSale.MonthlyCost || !strings.HasPrefix(forSale.Numbers[0].E164, "+1628") {
		t.Fatalf("numbers for sale = %s", r.Body)
	}
	wantStatus(t, "bad area code", e.do("GET", "/api/v1/numbers/available?areaCode=62", admin, nil), http.StatusBadRequest)
	sitter := e.sam
	wantStatus(t, "sitter search", e.do("GET", "/api/v1/numbers/available?areaCode=628", sitter, nil), http.StatusForbidden)
	r = e.do("POST", "/api/v1/numbers/buy", e.owner, map[string]any{"requestId": "buy-test-1",
		"items": []map[string]any{{"e164": "+14155550170", "class": "pool", "friendlyName": "Weekend pool"}}})
	wantStatus(t, "buy", r, http.StatusOK)
	var out struct {
		Items     []contract.ProvisionItemResult `json:"items"`
		Succeeded int                            `json:"succeeded"`
	}
	r.json(t, &out)
	if out.Succeeded != 1 || out.Items[0].NumberID == nil {
		t.Fatalf("buy = %s", r.Body)
	}
	if !e.ownedAtProvider(t, "+14155550170") {
		t.Error("the provider does not own the bought number")
	}
	n, err := e.org().Number(e.ctx, *out.Items[0].NumberID)
	if err != nil || n.Class != store.ClassPool || n.Status != store.NumberActive {
		t.Errorf("bought number = %+v, %v", n, err)
	}
	// The same request again is the same purchase, not a second one.
	r = e.do("POST", "/api/v1/numbers/buy", e.owner, map[string]any{"requestId": "buy-test-1",
		"items": []map[string]any{{"e164": "+14155550170", "class": "pool"}}})
	if r.Status == http.StatusOK {
		var again struct {
			Items []contract.ProvisionItemResult `json:"items"`
		}
		r.json(t, &again)
		if len(again.Items) != 1 || again.Items[0].NumberID == nil || *again.Items[0].NumberID != *out.Items[0].NumberID {
			t.Errorf("repeat = %s", r.Body)
		}
	} else if r.Status != http.StatusBadRequest { // or: already in the inventory
		t.Errorf("repeat buy = %d %s", r.Status, r.Body)
	}
	wantStatus(t, "buy an invalid number", e.do("POST", "/api/v1/numbers/buy", e.owner, map[string]any{
		"items": []map[string]any{{"e164": "12", "class": "pool"}}}), http.StatusBadRequest)
}

// The stand-in below checks the inventory's side of the contract with
// ProvisionNumbersWorkflow (started by name, on the task queue, with OrgId
// set, result passed back per item) whether or not the real workflow is
// registered yet.
func TestNumbersImportStartsProvisioningByName(t *testing.T) {
	ctx := context.Background()
	tc := testenv.Temporal(t)
	queue := testenv.TaskQueue(t)
	h := newHarness(t, func(d *api.Deps) { d.Temporal = tc; d.Config.TemporalTaskQueue = queue })
	var got contract.ProvisionInput
	standIn := func(ctx workflow.Context, in contract.ProvisionInput) (contract.ProvisionResult, error) {
		got = in
		res := contract.ProvisionResult{}
		for _, it := range in.Items {
			id := uuid.New()
			res.Items = append(res.Items, contract.ProvisionItemResult{E164: it.E164, NumberID: &id, OK: true, WebhookStatus: "verified"})
		}
		return res, nil
	}
	w := sdkworker.New(tc, queue, sdkworker.Options{})
	w.RegisterWorkflowWithOptions(standIn, workflow.RegisterOptions{Name: contract.ProvisionNumbersWorkflowName})
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	admin := h.login("admin@demo.test")
	r := h.do("POST", "/api/v1/numbers/import", admin, map[string]any{"requestId": "imp-1", "items": []map[string]any{
		{"e164": "(415) 555-0180", "class": "sitter", "sitterEmail": "sam@demo.test"}, {"e164": "+14155550181", "class": "pool"}}})
	wantStatus(t, "import", r, http.StatusOK)
	if len(got.Items) != 2 || got.Items[0].E164 != "+14155550180" || got.Items[0].Action != contract.ProvisionImport ||
		got.Items[0].SitterID == nil || *got.Items[0].SitterID != seed.ID("sitter/sam") || got.OrgID != h.demo.OrgID || got.RequestID != "imp-1" {
		t.Errorf("workflow input = %+v", got)
	}
	desc, err := tc.DescribeWorkflowExecution(ctx, contract.ProvisionWorkflowID(h.demo.OrgID, "imp-1"), "")
	if err != nil {
		t.Fatal(err)
	}
	if desc.WorkflowExecutionInfo.GetSearchAttributes().GetIndexedFields()["OrgId"] == nil {
		t.Error("the provisioning workflow has no OrgId search attribute")
	}
	var out struct {
		Succeeded int `json:"succeeded"`
	}
	r.json(t, &out)
	if out.Succeeded != 2 {
		t.Errorf("import = %s", r.Body)
	}
}

func TestNumbersRoutesForbiddenToSittersAndScopedToOrg(t *testing.T) {
	h := newHarness(t)
	sam, admin := h.login("sam@demo.test"), h.login("admin@demo.test")
	own, other := seed.ID("number/pool1").String(), seed.ID("number/other/front").String()
	n := 0
	for _, rt := range h.api.Routes() {
		if !strings.HasPrefix(rt.Path, "/api/v1/numbers") {
			continue
		}
		n++
		r := h.do(rt.Method, strings.ReplaceAll(rt.Path, ":id", own), sam, map[string]any{})
		if r.Status != http.StatusForbidden {
			t.Errorf("sitter %s %s = %d, want 403", rt.Method, rt.Path, r.Status)
		}
		if strings.Contains(rt.Path, ":id") {
			r := h.do(rt.Method, strings.ReplaceAll(rt.Path, ":id", other), admin, map[string]any{})
			if r.Status != http.StatusNotFound {
				t.Errorf("admin %s %s with another org's number = %d, want 404 (%s)", rt.Method, rt.Path, r.Status, r.Body)
			}
		}
	}
	if n != 16 {
		t.Errorf("%d numbers routes checked, want 16", n)
	}
}
