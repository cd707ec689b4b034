package team_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/snoutos/snout/dev/seed"
	"github.com/snoutos/snout/dev/testenv"
	"github.com/snoutos/snout/dev/testenv/seeded"
	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/platform/auth"
	"github.com/snoutos/snout/internal/platform/notify"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
	"github.com/snoutos/snout/service/signin"
	"github.com/snoutos/snout/service/team"
)

func TestMain(m *testing.M) { testenv.Main(m) }

type env struct {
	t      *testing.T
	ctx    context.Context
	db     seeded.SeededDB
	st     *store.Store
	org    *store.OrgStore
	svc    *team.Service
	signin *signin.Service
	now    time.Time

	owner, admin, sam service.Actor
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db := seeded.DB(t)
	e := &env{t: t, ctx: context.Background(), db: db, st: db.Store, org: db.Store.Org(db.Demo.OrgID), now: time.Now().UTC()}
	clock := func() time.Time { return e.now }
	au := service.Auditor{Store: db.Store, Log: db.Log}
	e.svc = &team.Service{Store: db.Store, Notifier: notify.New(db.Store, notify.SMTP{}, db.Log),
		Policy: team.Policy{InviteTTL: 7 * 24 * time.Hour, PublicURL: "http://snout.test"}, Now: clock, Log: db.Log, Auditor: au}
	e.signin = &signin.Service{Store: db.Store, Policy: signin.PolicyFrom(db.Config), Now: clock, Log: db.Log, Auditor: au}
	person := func(email, role string) service.Actor {
		return service.Actor{OrgID: db.Demo.OrgID, UserID: seed.ID("user/" + email), Role: role, IP: "192.0.2.7"}
	}
	e.owner, e.admin, e.sam = person("owner@demo.test", store.RoleOwner), person("admin@demo.test", store.RoleAdmin), person("sam@demo.test", store.RoleSitter)
	return e
}

var tokenInLink = regexp.MustCompile(`token=([A-Za-z0-9_-]+)`)

func (e *env) mailedToken(to string) string {
	e.t.Helper()
	mail, err := e.org.Outbox(e.ctx, 20)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, m := range mail { // newest first
		if m.ToEmail == to {
			if g := tokenInLink.FindStringSubmatch(m.Body); g != nil {
				return g[1]
			}
		}
	}
	e.t.Fatalf("no invitation mailed to %s", to)
	return ""
}

func refusal(t *testing.T, err error, kind errs.Kind, code string) *errs.Error {
	t.Helper()
	r, ok := errs.As(err)
	if !ok || r.Kind != kind || (code != "" && r.Code != code) {
		t.Fatalf("error = %v (%+v), want kind %d code %q", err, r, kind, code)
	}
	return r
}

func (e *env) audited(action string) int {
	e.t.Helper()
	evs, err := e.org.AuditEvents(e.ctx, store.AuditFilter{Action: action}, 50)
	if err != nil {
		e.t.Fatal(err)
	}
	return len(evs)
}

func TestInviteASitterWhoAcceptsAndSignsIn(t *testing.T) {
	e := newEnv(t)
	inv, err := e.svc.Invite(e.ctx, e.owner, team.InviteDraft{Email: " Pat@Walkers.Example ", Name: "Pat Walker", Role: "sitter"})
	if err != nil {
		t.Fatal(err)
	}
	if inv.Status != team.InvitePending || inv.Email != "pat@walkers.example" || inv.Link == "" {
		t.Errorf("invitation = %+v", inv)
	}
	token := e.mailedToken("pat@walkers.example")
	p, err := e.svc.Preview(e.ctx, token)
	if err != nil || p.OrgName != "Happy Tails Pet Sitting" || p.Role != "sitter" || p.ExistingAccount {
		t.Fatalf("preview = %+v (%v)", p, err)
	}
	// Bad input names each field and uses nothing up.
	_, err = e.svc.Accept(e.ctx, team.Acceptance{Token: token, Name: " ", Password: "short"})
	if r := refusal(t, err, errs.KindInvalid, ""); r.Fields["name"] == "" || r.Fields["password"] == "" {
		t.Errorf("fields = %v", r.Fields)
	}
	j, err := e.svc.Accept(e.ctx, team.Acceptance{Token: token, Name: "Pat Walker", Password: "pats-password-1"})
	if err != nil {
		t.Fatal(err)
	}
	if j.Role != store.RoleSitter || j.OrgID != e.db.Demo.OrgID {
		t.Errorf("joined = %+v", j)
	}
	sess, err := e.signin.Login(e.ctx, signin.Credentials{Email: "pat@walkers.example", Password: "pats-password-1"})
	if err != nil || sess.Role != store.RoleSitter || sess.Org.ID != e.db.Demo.OrgID {
		t.Fatalf("sign-in as the new sitter: %+v (%v)", sess, err)
	}
	if st, err := e.org.SitterByUserID(e.ctx, j.User.ID); err != nil || st.Name != "Pat Walker" || !st.Active {
		t.Errorf("sitter record = %+v (%v)", st, err)
	}
	// The token is single-use.
	_, err = e.svc.Accept(e.ctx, team.Acceptance{Token: token, Name: "Pat", Password: "pats-password-1"})
	refusal(t, err, errs.KindInvalid, "invitation_used")
	if e.audited("team.invited") != 1 || e.audited("team.invitation_accepted") != 1 {
		t.Error("invitation not audited")
	}
}

func TestInvitationExpiresAndResendReplacesTheLink(t *testing.T) {
	e := newEnv(t)
	inv, err := e.svc.Invite(e.ctx, e.owner, team.InviteDraft{Email: "alex@desk.example", Role: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	old := e.mailedToken("alex@desk.example")
	e.now = e.now.Add(8 * 24 * time.Hour)
	_, err = e.svc.Accept(e.ctx, team.Acceptance{Token: old, Name: "Alex", Password: "alexs-password-1"})
	refusal(t, err, errs.KindInvalid, "invitation_expired")
	if list, _ := e.svc.Invitations(e.ctx, e.owner, false); len(list) != 1 || list[0].Status != team.InviteExpired {
		t.Errorf("invitations = %+v", list)
	}
	again, err := e.svc.Resend(e.ctx, e.owner, inv.ID)
	if err != nil || again.SentCount != 2 || !again.ExpiresAt.After(e.now) {
		t.Fatalf("resend = %+v (%v)", again, err)
	}
	fresh := e.mailedToken("alex@desk.example")
	_, err = e.svc.Accept(e.ctx, team.Acceptance{Token: old, Name: "Alex", Password: "alexs-password-1"})
	refusal(t, err, errs.KindInvalid, "invalid_token")
	j, err := e.svc.Accept(e.ctx, team.Acceptance{Token: fresh, Name: "Alex Desk", Password: "alexs-password-1"})
	if err != nil || j.Role != store.RoleAdmin {
		t.Fatalf("accept the resent link: %+v (%v)", j, err)
	}
}

func TestRevokedInvitationCannotBeUsed(t *testing.T) {
	e := newEnv(t)
	inv, err := e.svc.Invite(e.ctx, e.owner, team.InviteDraft{Email: "kit@desk.example", Role: "sitter"})
	if err != nil {
		t.Fatal(err)
	}
	token := e.mailedToken("kit@desk.example")
	if r, err := e.svc.Revoke(e.ctx, e.owner, inv.ID); err != nil || r.Status != team.InviteRevoked {
		t.Fatalf("revoke = %+v (%v)", r, err)
	}
	_, err = e.svc.Accept(e.ctx, team.Acceptance{Token: token, Name: "Kit", Password: "kits-password-1"})
	refusal(t, err, errs.KindInvalid, "invitation_revoked")
	_, err = e.svc.Resend(e.ctx, e.owner, inv.ID)
	refusal(t, err, errs.KindConflict, "invitation_closed")
	if e.audited("team.invitation_revoked") != 1 {
		t.Error("revoke not audited")
	}
}

func TestInviteRefusals(t *testing.T) {
	e := newEnv(t)
	_, err := e.svc.Invite(e.ctx, e.admin, team.InviteDraft{Email: "x@desk.example", Role: "sitter"})
	refusal(t, err, errs.KindForbidden, "")
	_, err = e.svc.Invite(e.ctx, e.owner, team.InviteDraft{Email: "nope", Role: "owner"})
	if r := refusal(t, err, errs.KindInvalid, ""); r.Fields["email"] == "" || r.Fields["role"] == "" {
		t.Errorf("fields = %v", r.Fields)
	}
	_, err = e.svc.Invite(e.ctx, e.owner, team.InviteDraft{Email: "sam@demo.test", Role: "sitter"})
	if r := refusal(t, err, errs.KindInvalid, ""); !strings.Contains(r.Fields["email"], "already on the team") {
		t.Errorf("fields = %v", r.Fields)
	}
	if _, err := e.svc.Invite(e.ctx, e.owner, team.InviteDraft{Email: "twice@desk.example", Role: "admin"}); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Invite(e.ctx, e.owner, team.InviteDraft{Email: "twice@desk.example", Role: "admin"})
	refusal(t, err, errs.KindInvalid, "")
	// Another org's sitter is not found.
	other := store.NewID()
	_, err = e.svc.Invite(e.ctx, e.owner, team.InviteDraft{Email: "y@desk.example", Role: "sitter", SitterID: other.String()})
	refusal(t, err, errs.KindNotFound, "")
}

func TestInvitationGivesAnExistingSitterALogin(t *testing.T) {
	e := newEnv(t)
	jordan := seed.ID("sitter/jordan")
	if _, err := e.org.Sitter(e.ctx, jordan); err != nil {
		t.Skipf("the demo seed has no login-less sitter Jordan: %v", err)
	}
	if _, err := e.svc.Invite(e.ctx, e.owner, team.InviteDraft{Email: "jordan@desk.example", Role: "sitter", SitterID: jordan.String()}); err != nil {
		t.Fatal(err)
	}
	j, err := e.svc.Accept(e.ctx, team.Acceptance{Token: e.mailedToken("jordan@desk.example"), Name: "Jordan Diaz", Password: "jordans-password"})
	if err != nil {
		t.Fatal(err)
	}
	st, err := e.org.Sitter(e.ctx, jordan)
	if err != nil || st.UserID == nil || *st.UserID != j.User.ID {
		t.Errorf("Jordan = %+v (%v), want the new login", st, err)
	}
}

func TestSitterWithWindowsAheadCannotBeDeactivated(t *testing.T) {
	e := newEnv(t)
	sess, err := e.signin.Login(e.ctx, signin.Credentials{Email: "sam@demo.test", Password: seeded.DemoPassword})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Deactivate(e.ctx, e.owner, e.sam.UserID)
	r := refusal(t, err, errs.KindConflict, "sitter_has_windows")
	ahead := r.Detail.(map[string]any)["windows"].([]team.WindowAhead)
	if len(ahead) != 3 {
		t.Fatalf("windows listed = %+v, want Sam's three", ahead)
	}
	clients := map[string]bool{}
	for _, w := range ahead {
		clients[w.ClientName] = true
		if w.SitterName != "Sam Patel" || !(strings.HasSuffix(w.Starts, "PST") || strings.HasSuffix(w.Starts, "PDT")) {
			t.Errorf("window = %+v, want Sam's in the business's time zone", w)
		}
	}
	if !clients["Avery Johnson"] || !clients["Casey Nguyen"] || !clients["Indigo Park"] || !strings.Contains(r.Message, "Casey Nguyen") {
		t.Errorf("refusal = %q, windows %+v", r.Message, ahead)
	}
	// Nothing changed: Sam still signs in.
	if _, err := e.st.MembershipFor(e.ctx, e.db.Demo.OrgID, e.sam.UserID); err != nil {
		t.Fatalf("refused deactivation changed the membership: %v", err)
	}
	// With the windows reassigned (here: cancelled), it goes through and
	// Sam's sessions end at once.
	for _, w := range ahead {
		if err := e.org.SetWindowStatus(e.ctx, w.WindowID, store.WindowCancelled); err != nil {
			t.Fatal(err)
		}
	}
	m, err := e.svc.Deactivate(e.ctx, e.owner, e.sam.UserID)
	if err != nil || m.DeactivatedAt == nil {
		t.Fatalf("deactivate = %+v (%v)", m, err)
	}
	if _, err := e.st.SessionByTokenHash(e.ctx, auth.HashToken(sess.Token), e.now, time.Hour); err == nil {
		t.Error("Sam's session still works after deactivation")
	}
	if _, err := e.signin.Login(e.ctx, signin.Credentials{Email: "sam@demo.test", Password: seeded.DemoPassword}); err == nil {
		t.Error("Sam can still sign in after deactivation")
	}
	if st, _ := e.org.SitterByUserID(e.ctx, e.sam.UserID); st.Active {
		t.Error("Sam's sitter record is still active")
	}
	if e.audited("team.member_deactivated") != 1 {
		t.Error("deactivation not audited")
	}
	if _, err := e.svc.Reactivate(e.ctx, e.owner, e.sam.UserID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.signin.Login(e.ctx, signin.Credentials{Email: "sam@demo.test", Password: seeded.DemoPassword}); err != nil {
		t.Errorf("Sam after reactivation: %v", err)
	}
}

func TestRoleChangesAndTheLastOwner(t *testing.T) {
	e := newEnv(t)
	_, err := e.svc.ChangeRole(e.ctx, e.owner, team.RoleChange{UserID: e.owner.UserID, Role: store.RoleAdmin})
	refusal(t, err, errs.KindConflict, "own_role")
	_, err = e.svc.Deactivate(e.ctx, e.owner, e.owner.UserID)
	refusal(t, err, errs.KindConflict, "deactivate_self")
	_, err = e.svc.ChangeRole(e.ctx, e.owner, team.RoleChange{UserID: e.admin.UserID, Role: "boss"})
	refusal(t, err, errs.KindInvalid, "")
	_, err = e.svc.ChangeRole(e.ctx, e.owner, team.RoleChange{UserID: uuid.New(), Role: store.RoleAdmin})
	refusal(t, err, errs.KindNotFound, "")

	// The admin becomes a sitter: a sitter record appears for them.
	m, err := e.svc.ChangeRole(e.ctx, e.owner, team.RoleChange{UserID: e.admin.UserID, Role: store.RoleSitter})
	if err != nil || m.Role != store.RoleSitter || m.SitterID == nil {
		t.Fatalf("role change = %+v (%v)", m, err)
	}
	// Make them an owner, then the first owner can't be demoted twice
	// over: the second owner demoting the first works, the last can't.
	if _, err := e.svc.ChangeRole(e.ctx, e.owner, team.RoleChange{UserID: e.admin.UserID, Role: store.RoleOwner}); err != nil {
		t.Fatal(err)
	}
	second := service.Actor{OrgID: e.owner.OrgID, UserID: e.admin.UserID, Role: store.RoleOwner}
	if _, err := e.svc.ChangeRole(e.ctx, second, team.RoleChange{UserID: e.owner.UserID, Role: store.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	demoted := service.Actor{OrgID: e.owner.OrgID, UserID: e.owner.UserID, Role: store.RoleAdmin}
	_, err = e.svc.ChangeRole(e.ctx, demoted, team.RoleChange{UserID: e.admin.UserID, Role: store.RoleAdmin})
	refusal(t, err, errs.KindForbidden, "")
	if e.audited("team.role_changed") != 3 {
		t.Errorf("role changes audited = %d, want 3", e.audited("team.role_changed"))
	}
}

func TestSitterRosterAndProfile(t *testing.T) {
	e := newEnv(t)
	rows, err := e.svc.Roster(e.ctx, e.admin)
	if err != nil {
		t.Fatal(err)
	}
	var sam *store.SitterRosterRow
	for i := range rows {
		if rows[i].Name == "Sam Patel" {
			sam = &rows[i]
		}
	}
	if sam == nil || sam.ActiveWindows != 1 || sam.NumberE164 == nil || *sam.NumberE164 != seed.SamNumber || sam.Threads == 0 {
		t.Fatalf("Sam in the roster = %+v", sam)
	}
	p, err := e.svc.UpdateSitter(e.ctx, e.admin, team.SitterEdit{ID: sam.ID, SitterDraft: team.SitterDraft{Name: "Sam Patel", DisplayName: "Sam P.", Phone: "(650) 555-0191"}})
	if err != nil || p.DisplayName != "Sam P." || p.PhoneE164 != "+16505550191" || len(p.Ahead) != 3 {
		t.Fatalf("profile = %+v (%v)", p, err)
	}
	_, err = e.svc.UpdateSitter(e.ctx, e.admin, team.SitterEdit{ID: sam.ID, SitterDraft: team.SitterDraft{Name: "", Phone: "12"}})
	if r := refusal(t, err, errs.KindInvalid, ""); r.Fields["name"] == "" || r.Fields["phone"] == "" {
		t.Errorf("fields = %v", r.Fields)
	}
	other := service.Actor{OrgID: e.db.Demo.OtherOrgID, UserID: uuid.New(), Role: store.RoleOwner}
	if _, err := e.svc.Sitter(e.ctx, other, sam.ID); !errs.Is(err, errs.KindNotFound) {
		t.Errorf("another org's sitter: %v, want not found", err)
	}
}
