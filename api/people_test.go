package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/snoutos/snout/api"
	"github.com/snoutos/snout/dev/seed"
	"github.com/snoutos/snout/internal/store"
)

func init() {
	allow(map[string][]string{
		"GET /api/v1/team/members":                 ownerOnly,
		"POST /api/v1/team/members/:id/role":       ownerOnly,
		"POST /api/v1/team/members/:id/deactivate": ownerOnly,
		"POST /api/v1/team/members/:id/reactivate": ownerOnly,
		"GET /api/v1/team/invitations":             ownerOnly,
		"POST /api/v1/team/invitations":            ownerOnly,
		"POST /api/v1/team/invitations/:id/resend": ownerOnly,
		"POST /api/v1/team/invitations/:id/revoke": ownerOnly,
		"GET /api/v1/sitters":                      staff,
		"POST /api/v1/sitters":                     staff,
		"GET /api/v1/sitters/:id":                  staff,
		"PATCH /api/v1/sitters/:id":                staff,
		"GET /api/v1/clients":                      staff,
		"POST /api/v1/clients":                     staff,
		"GET /api/v1/clients/export":               staff,
		"POST /api/v1/clients/import":              staff,
		"GET /api/v1/clients/:id":                  staff,
		"PUT /api/v1/clients/:id":                  staff,
		"POST /api/v1/clients/:id/archive":         staff,
		"POST /api/v1/clients/:id/restore":         staff,
		"POST /api/v1/clients/:id/consent":         staff,
		"POST /api/v1/clients/:id/merge":           staff,
		"POST /api/v1/clients/:id/conversations":   staff,
	})
}

var linkToken = regexp.MustCompile(`token=([A-Za-z0-9_-]+)`)

// mailed reads the newest link token mailed to an address in an org.
func (h *harness) mailed(orgID uuid.UUID, to string) string {
	h.t.Helper()
	mail, err := h.store.Org(orgID).Outbox(context.Background(), 20)
	if err != nil {
		h.t.Fatal(err)
	}
	for _, m := range mail {
		if m.ToEmail == to {
			if g := linkToken.FindStringSubmatch(m.Body); g != nil {
				return g[1]
			}
		}
	}
	h.t.Fatalf("nothing mailed to %s", to)
	return ""
}

func errorOf(t *testing.T, r response) api.ErrorDetail {
	t.Helper()
	var b api.ErrorBody
	r.json(t, &b)
	return b.Error
}

func TestSignUpVerifyAndSignInThroughTheAPI(t *testing.T) {
	h := newHarness(t)
	r := h.do("POST", "/api/v1/auth/signup", "", map[string]string{"orgName": "", "timeZone": "Moon/Base", "ownerName": "", "email": "x", "password": "1"})
	if e := errorOf(t, r); r.Status != http.StatusBadRequest || len(e.Fields) != 5 || e.Fields["timeZone"] == "" {
		t.Fatalf("bad sign-up = %d %s", r.Status, r.Body)
	}
	form := map[string]string{"orgName": "Paws Up", "timeZone": "Europe/London", "ownerName": "Jess Moor", "email": "jess@pawsup.example", "password": "jess-password-1"}
	r = h.do("POST", "/api/v1/auth/signup", "", form)
	var pending api.SignupPendingView
	r.json(t, &pending)
	if r.Status != http.StatusAccepted || pending.Email != "jess@pawsup.example" {
		t.Fatalf("sign-up = %d %s", r.Status, r.Body)
	}
	if r := h.do("POST", "/api/v1/auth/signup", "", form); r.Status != http.StatusConflict || errorOf(t, r).Code != "signup_in_flight" {
		t.Errorf("second sign-up in flight = %d %s", r.Status, r.Body)
	}
	login := map[string]string{"email": "jess@pawsup.example", "password": "jess-password-1"}
	if r := h.do("POST", "/api/v1/auth/login", "", login); r.Status != http.StatusUnauthorized || errorOf(t, r).Code != "email_unverified" {
		t.Errorf("login before verifying = %d %s", r.Status, r.Body)
	}
	// Before signing in, the development mailbox shows the link.
	var box api.OutboxView
	if r := h.do("GET", "/api/v1/auth/dev-mailbox?to=Jess@PawsUp.example", "", nil); r.Status != http.StatusOK {
		t.Fatalf("dev mailbox = %d %s", r.Status, r.Body)
	} else {
		r.json(t, &box)
	}
	if len(box.Emails) != 1 || !strings.Contains(box.Emails[0].Body, "/signup/verify?token=") {
		t.Fatalf("dev mailbox = %+v", box.Emails)
	}
	token := h.mailed(pending.OrgID, "jess@pawsup.example")
	r = h.do("POST", "/api/v1/auth/signup/verify", "", map[string]string{"token": token})
	var b api.BusinessView
	r.json(t, &b)
	if r.Status != http.StatusOK || b.NextStep != "setup" || b.TimeZone != "Europe/London" || b.Org.ID != pending.OrgID {
		t.Fatalf("verify = %d %s", r.Status, r.Body)
	}
	if r := h.do("POST", "/api/v1/auth/signup/verify", "", map[string]string{"token": token}); r.Status != http.StatusBadRequest || errorOf(t, r).Code != "invalid_token" {
		t.Errorf("verify twice = %d %s", r.Status, r.Body)
	}
	r = h.do("POST", "/api/v1/auth/login", "", login)
	var sess api.SessionView
	r.json(t, &sess)
	if r.Status != http.StatusOK || sess.Role != "owner" || sess.Org.ID != pending.OrgID {
		t.Fatalf("login after verifying = %d %s", r.Status, r.Body)
	}
	// The new owner sees their own (empty) business, not the demo's.
	var page api.ClientPage
	h.do("GET", "/api/v1/clients", sess.Token, nil).json(t, &page)
	if len(page.Clients) != 0 {
		t.Errorf("a new business lists %d clients", len(page.Clients))
	}
	if r := h.do("GET", "/api/v1/clients/"+seed.ID("client/avery").String(), sess.Token, nil); r.Status != http.StatusNotFound {
		t.Errorf("the demo's client from the new business = %d", r.Status)
	}
}

func TestDevMailboxIsOnlyForLocalInstallsWithoutSMTP(t *testing.T) {
	h := newHarness(t, func(d *api.Deps) { d.Config.SMTPAddr = "smtp.example:587" })
	if r := h.do("GET", "/api/v1/auth/dev-mailbox?to=owner@demo.test", "", nil); r.Status != http.StatusNotFound {
		t.Errorf("dev mailbox with SMTP = %d, want 404", r.Status)
	}
}

func TestSignUpIsRateLimited(t *testing.T) {
	h := newHarness(t)
	var last response
	for i := 0; i < 11; i++ {
		last = h.do("POST", "/api/v1/auth/signup/resend", "", map[string]string{"email": fmt.Sprintf("n%d@nobody.example", i)})
	}
	if last.Status != http.StatusTooManyRequests || last.Header.Get("Retry-After") == "" {
		t.Fatalf("11th request from one address = %d %s", last.Status, last.Body)
	}
	r := h.do("POST", "/api/v1/auth/signup", "", map[string]string{"orgName": "Too Many", "timeZone": "UTC", "ownerName": "T", "email": "t@many.example", "password": "long-enough-pw"})
	if r.Status != http.StatusTooManyRequests {
		t.Errorf("sign-up while limited = %d", r.Status)
	}
}

func TestInviteAcceptAndSignInAsTheSitter(t *testing.T) {
	h := newHarness(t)
	owner, admin := h.login("owner@demo.test"), h.login("admin@demo.test")
	if r := h.do("POST", "/api/v1/team/invitations", admin, map[string]string{"email": "a@b.example", "role": "sitter"}); r.Status != http.StatusForbidden {
		t.Errorf("admin invites = %d, want 403", r.Status)
	}
	if r := h.do("POST", "/api/v1/team/invitations", owner, map[string]string{"email": "bad", "role": "boss"}); r.Status != http.StatusBadRequest ||
		errorOf(t, r).Fields["email"] == "" || errorOf(t, r).Fields["role"] == "" {
		t.Errorf("bad invitation = %d %s", r.Status, r.Body)
	}
	r := h.do("POST", "/api/v1/team/invitations", owner, map[string]string{"email": "lou@sitters.example", "name": "Lou", "role": "sitter"})
	var inv api.InvitationView
	r.json(t, &inv)
	if r.Status != http.StatusCreated || inv.Status != "pending" || inv.Link == "" {
		t.Fatalf("invite = %d %s", r.Status, r.Body)
	}
	token := h.mailed(h.demo.OrgID, "lou@sitters.example")
	r = h.do("POST", "/api/v1/auth/invitations/preview", "", map[string]string{"token": token})
	var pv api.InvitationPreviewView
	r.json(t, &pv)
	if r.Status != http.StatusOK || pv.Role != "sitter" || pv.OrgName != "Happy Tails Pet Sitting" {
		t.Errorf("preview = %d %s", r.Status, r.Body)
	}
	r = h.do("POST", "/api/v1/auth/invitations/accept", "", map[string]string{"token": token, "name": "Lou Kim", "password": "lous-password-1"})
	if r.Status != http.StatusOK {
		t.Fatalf("accept = %d %s", r.Status, r.Body)
	}
	if r := h.do("POST", "/api/v1/auth/invitations/accept", "", map[string]string{"token": token, "name": "Lou Kim", "password": "lous-password-1"}); r.Status != http.StatusBadRequest || errorOf(t, r).Code != "invitation_used" {
		t.Errorf("accept twice = %d %s", r.Status, r.Body)
	}
	r = h.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "lou@sitters.example", "password": "lous-password-1"})
	var sess api.SessionView
	r.json(t, &sess)
	if r.Status != http.StatusOK || sess.Role != "sitter" {
		t.Fatalf("sitter login = %d %s", r.Status, r.Body)
	}
	// A sitter gets none of the people routes.
	for _, p := range []string{"/api/v1/clients", "/api/v1/sitters", "/api/v1/team/members"} {
		if r := h.do("GET", p, sess.Token, nil); r.Status != http.StatusForbidden {
			t.Errorf("sitter GET %s = %d, want 403", p, r.Status)
		}
	}
	if r := h.do("GET", "/api/v1/sitter/threads", sess.Token, nil); r.Status != http.StatusOK {
		t.Errorf("sitter's own API = %d", r.Status)
	}
	// Revoked and other-org invitations.
	r = h.do("POST", "/api/v1/team/invitations", owner, map[string]string{"email": "gone@sitters.example", "role": "admin"})
	r.json(t, &inv)
	gone := h.mailed(h.demo.OrgID, "gone@sitters.example")
	if r := h.do("POST", "/api/v1/team/invitations/"+inv.ID.String()+"/revoke", owner, nil); r.Status != http.StatusOK {
		t.Fatalf("revoke = %d %s", r.Status, r.Body)
	}
	if r := h.do("POST", "/api/v1/auth/invitations/accept", "", map[string]string{"token": gone, "name": "G", "password": "long-enough-pw"}); errorOf(t, r).Code != "invitation_revoked" {
		t.Errorf("accept revoked = %d %s", r.Status, r.Body)
	}
	other := h.login(h.demo.OtherOwnerEmail)
	if r := h.do("POST", "/api/v1/team/invitations/"+inv.ID.String()+"/resend", other, nil); r.Status != http.StatusNotFound {
		t.Errorf("another org's invitation = %d, want 404", r.Status)
	}
	assertAudit(t, h, "team.invited", "team.invitation_accepted", "team.invitation_revoked")
}

func TestDeactivationRevokesSessionsAndRefusesSittersWithWindows(t *testing.T) {
	h := newHarness(t)
	owner, admin, sam := h.login("owner@demo.test"), h.login("admin@demo.test"), h.login("sam@demo.test")
	var team api.MemberList
	h.do("GET", "/api/v1/team/members", owner, nil).json(t, &team)
	ids := map[string]uuid.UUID{}
	for _, m := range team.Members {
		ids[m.Email] = m.UserID
	}
	r := h.do("POST", "/api/v1/team/members/"+ids["sam@demo.test"].String()+"/deactivate", owner, nil)
	e := errorOf(t, r)
	if r.Status != http.StatusConflict || e.Code != "sitter_has_windows" || !strings.Contains(e.Message, "Avery Johnson") {
		t.Fatalf("deactivate Sam = %d %s", r.Status, r.Body)
	}
	var detail struct {
		Windows []struct {
			SitterName string `json:"sitterName"`
			ClientName string `json:"clientName"`
			Starts     string `json:"starts"`
		} `json:"windows"`
	}
	raw, _ := jsonOf(e.Detail)
	if err := jsonInto(raw, &detail); err != nil || len(detail.Windows) == 0 || detail.Windows[0].SitterName != "Sam Patel" {
		t.Errorf("refusal detail = %s (%v)", raw, err)
	}
	if r := h.do("GET", "/api/v1/auth/me", sam, nil); r.Status != http.StatusOK {
		t.Errorf("Sam after the refusal = %d", r.Status)
	}
	r = h.do("POST", "/api/v1/team/members/"+ids["admin@demo.test"].String()+"/deactivate", owner, nil)
	var m api.MemberView
	r.json(t, &m)
	if r.Status != http.StatusOK || m.Active {
		t.Fatalf("deactivate admin = %d %s", r.Status, r.Body)
	}
	if r := h.do("GET", "/api/v1/auth/me", admin, nil); r.Status != http.StatusUnauthorized {
		t.Errorf("the deactivated admin's session = %d, want 401", r.Status)
	}
	if r := h.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "admin@demo.test", "password": demoPassword}); r.Status != http.StatusUnauthorized {
		t.Errorf("the deactivated admin signs in = %d", r.Status)
	}
	if r := h.do("POST", "/api/v1/team/members/"+ids["owner@demo.test"].String()+"/role", owner, map[string]string{"role": "admin"}); r.Status != http.StatusConflict {
		t.Errorf("own role change = %d", r.Status)
	}
	other := h.login(h.demo.OtherOwnerEmail)
	if r := h.do("POST", "/api/v1/team/members/"+ids["sam@demo.test"].String()+"/deactivate", other, nil); r.Status != http.StatusNotFound {
		t.Errorf("another org's member = %d, want 404", r.Status)
	}
	assertAudit(t, h, "team.member_deactivated")
}

func TestClientBookThroughTheAPI(t *testing.T) {
	h := newHarness(t)
	admin, other := h.login("admin@demo.test"), h.login(h.demo.OtherOwnerEmail)
	body := map[string]any{"name": "Quinn Lake", "email": "quinn@lake.example", "tags": []string{"weekly"},
		"phones": []map[string]any{{"number": "650 555 0177"}}, "pets": []map[string]string{{"name": "Rex"}, {"name": "Mia", "notes": "shy"}}}
	r := h.do("POST", "/api/v1/clients", admin, body)
	var quinn api.ClientDetailView
	r.json(t, &quinn)
	if r.Status != http.StatusCreated || quinn.Phone != "+16505550177" || len(quinn.Pets) != 2 || quinn.Consent.Status != "opted_in" {
		t.Fatalf("create = %d %s", r.Status, r.Body)
	}
	body["name"], body["phones"] = "Quinn's Twin", []map[string]any{{"number": "+1 (650) 555-0177"}}
	r = h.do("POST", "/api/v1/clients", admin, body)
	if e := errorOf(t, r); r.Status != http.StatusBadRequest || e.Code != "phone_taken" || !strings.Contains(e.Fields["phones[0].number"], "Quinn Lake") {
		t.Errorf("duplicate number = %d %s", r.Status, r.Body)
	}
	for _, p := range []struct{ method, path string }{
		{"GET", "/api/v1/clients/" + quinn.ID.String()},
		{"PUT", "/api/v1/clients/" + quinn.ID.String()},
		{"POST", "/api/v1/clients/" + quinn.ID.String() + "/archive"},
		{"POST", "/api/v1/clients/" + quinn.ID.String() + "/merge"},
		{"POST", "/api/v1/clients/" + quinn.ID.String() + "/conversations"},
		{"GET", "/api/v1/clients/not-a-uuid"},
	} {
		var b any = map[string]any{"name": "X", "phones": []map[string]string{{"number": "+16505550999"}}, "intoId": seed.ID("client/avery").String(), "body": "hi"}
		if r := h.do(p.method, p.path, other, b); r.Status != http.StatusNotFound {
			t.Errorf("another org's %s %s = %d, want 404", p.method, p.path, r.Status)
		}
	}
	r = h.do("POST", "/api/v1/clients/"+quinn.ID.String()+"/merge", admin, map[string]string{"intoId": seed.ID("client/avery").String()})
	var merged api.MergedView
	r.json(t, &merged)
	if r.Status != http.StatusOK || merged.Client.ID != seed.ID("client/avery") || merged.Moved.Phones != 1 || merged.Moved.Pets != 2 {
		t.Errorf("merge = %d %s", r.Status, r.Body)
	}
	csv := "name,phone,email,pets\nRio Park,415-555-0300,rio@park.example,Rex; Mia\nNo Number,,x@y.example,\n"
	req, _ := http.NewRequest("POST", h.srv.URL+"/api/v1/clients/import", strings.NewReader(csv))
	req.Header.Set("Authorization", "Bearer "+admin)
	req.Header.Set("Content-Type", "text/csv")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var imp api.ImportResultView
	if err := jsonInto(raw, &imp); err != nil || resp.StatusCode != http.StatusOK || imp.Created != 1 || imp.Failed != 1 || imp.Rows[1].Fields["phone"] == "" {
		t.Errorf("import = %d %s", resp.StatusCode, raw)
	}
	r = h.do("GET", "/api/v1/clients/export", admin, nil)
	if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") || !bytes.Contains(r.Body, []byte("Rio Park,+14155550300")) {
		t.Errorf("export = %d %s %.200s", r.Status, r.Header.Get("Content-Type"), r.Body)
	}
	// Opted out: refused with the reason.
	r = h.do("POST", "/api/v1/clients/"+seed.ID("client/rosa").String()+"/conversations", admin, map[string]string{"body": "Hello Rosa"})
	if e := errorOf(t, r); r.Status != http.StatusUnprocessableEntity || e.Code != "client_opted_out" || !strings.Contains(e.Message, "STOP") {
		t.Errorf("opted-out client = %d %s", r.Status, r.Body)
	}
	var sitters api.SitterList
	h.do("GET", "/api/v1/sitters", admin, nil).json(t, &sitters)
	for _, s := range sitters.Sitters {
		if s.Name == "Sam Patel" && (s.ActiveWindows != 1 || s.Line == nil || s.Threads == 0) {
			t.Errorf("Sam in the roster = %+v", s)
		}
	}
}

func TestStartAConversationDeliveredThroughTheSimulator(t *testing.T) {
	e := newOutboundEnv(t)
	gray := seed.ID("client/gray")
	before, err := e.store.Org(e.orgID).ClientThreads(e.ctx, gray, e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	r := e.do("POST", "/api/v1/clients/"+gray.String()+"/conversations", e.admin, map[string]string{"body": "Hi Gray, this is Happy Tails: we'd love to walk Pickle next week."})
	var opened api.OpenedView
	r.json(t, &opened)
	if r.Status != http.StatusAccepted || opened.Message.ThreadID != opened.ThreadID || opened.Message.From != seed.FrontDeskNumber {
		t.Fatalf("start = %d %s", r.Status, r.Body)
	}
	e.waitStatus(opened.Message.ID, store.StatusDelivered)
	sent := e.simMessages("+16505550107")
	if len(sent) == 0 || !strings.Contains(sent[len(sent)-1].Body, "walk Pickle") || sent[len(sent)-1].From != seed.FrontDeskNumber {
		t.Errorf("simulator saw %+v", sent)
	}
	// Starting again reuses the thread.
	r = e.do("POST", "/api/v1/clients/"+gray.String()+"/conversations", e.admin, map[string]string{"body": "One more thing"})
	var again api.OpenedView
	r.json(t, &again)
	if again.ThreadID != opened.ThreadID || (again.Created && len(before) > 0) {
		t.Errorf("second start = %+v, want the same thread", again)
	}
	if r := e.do("POST", "/api/v1/clients/"+gray.String()+"/conversations", e.sam, map[string]string{"body": "hi"}); r.Status != http.StatusForbidden {
		t.Errorf("sitter starts a conversation = %d, want 403", r.Status)
	}
}

func jsonOf(v any) ([]byte, error) { return json.Marshal(v) }

func jsonInto(raw []byte, v any) error { return json.Unmarshal(raw, v) }
