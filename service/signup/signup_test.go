package signup_test

import (
	"context"
	"errors"
	"regexp"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/snoutos/snout/dev/testenv"
	"github.com/snoutos/snout/dev/testenv/seeded"
	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/platform/notify"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
	"github.com/snoutos/snout/service/signin"
	"github.com/snoutos/snout/service/signup"
)

func TestMain(m *testing.M) { testenv.Main(m) }

type env struct {
	t      *testing.T
	ctx    context.Context
	st     *store.Store
	svc    *signup.Service
	signin *signin.Service
	now    time.Time
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db := seeded.DB(t)
	e := &env{t: t, ctx: context.Background(), st: db.Store, now: time.Now().UTC()}
	clock := func() time.Time { return e.now }
	au := service.Auditor{Store: db.Store, Log: db.Log}
	pol := signup.DefaultPolicy("http://snout.test")
	pol.MaxPerIP = 4
	e.svc = &signup.Service{Store: db.Store, Notifier: notify.New(db.Store, notify.SMTP{}, db.Log), Policy: pol, Now: clock, Log: db.Log, Auditor: au}
	e.signin = &signin.Service{Store: db.Store, Policy: signin.PolicyFrom(db.Config), Now: clock, Log: db.Log, Auditor: au}
	return e
}

func form(email string) signup.Form {
	return signup.Form{OrgName: "Wagging Tails", TimeZone: "America/Chicago", OwnerName: "Robin Hart", Email: email,
		Password: "a-long-password-1", IP: "198.51.100.7"}
}

var tokenInLink = regexp.MustCompile(`token=([A-Za-z0-9_-]+)`)

// mailedToken reads the newest verification link mailed to an org.
func (e *env) mailedToken(orgID uuid.UUID, to string) string {
	e.t.Helper()
	mail, err := e.st.Org(orgID).Outbox(e.ctx, 10)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, m := range mail {
		if m.ToEmail == to {
			if g := tokenInLink.FindStringSubmatch(m.Body); g != nil {
				return g[1]
			}
		}
	}
	e.t.Fatalf("no verification link mailed to %s (%d emails)", to, len(mail))
	return ""
}

func (e *env) login(email string) error {
	_, err := e.signin.Login(e.ctx, signin.Credentials{Email: email, Password: "a-long-password-1", IP: "203.0.113.9"})
	return err
}

func refusal(t *testing.T, err error, kind errs.Kind, code string) *errs.Error {
	t.Helper()
	r, ok := errs.As(err)
	if !ok || r.Kind != kind || (code != "" && r.Code != code) {
		t.Fatalf("error = %v (%+v), want kind %d code %q", err, r, kind, code)
	}
	return r
}

func TestSignUpVerifyThenSignIn(t *testing.T) {
	e := newEnv(t)
	p, err := e.svc.SignUp(e.ctx, form("Robin@Wagging.Example"))
	if err != nil {
		t.Fatal(err)
	}
	if p.Email != "robin@wagging.example" {
		t.Errorf("email = %q, want it normalised", p.Email)
	}
	org, err := e.st.OrgByID(e.ctx, p.OrgID)
	if err != nil || org.Timezone != "America/Chicago" || org.Name != "Wagging Tails" {
		t.Fatalf("org = %+v (%v)", org, err)
	}
	// Before the link is used, signing in says why it can't.
	refusal(t, e.login("robin@wagging.example"), errs.KindUnauthenticated, "email_unverified")

	token := e.mailedToken(p.OrgID, "robin@wagging.example")
	b, err := e.svc.Verify(e.ctx, token, "198.51.100.7")
	if err != nil {
		t.Fatal(err)
	}
	if b.NextStep != signup.NextStepSetup || b.Owner.Email != "robin@wagging.example" {
		t.Errorf("verified = %+v", b)
	}
	if err := e.login("robin@wagging.example"); err != nil {
		t.Fatalf("sign-in after verification: %v", err)
	}
	m, err := e.st.MembershipFor(e.ctx, p.OrgID, b.Owner.ID)
	if err != nil || m.Role != store.RoleOwner {
		t.Errorf("membership = %+v (%v)", m, err)
	}
	// The business is in setup: the wizard has not completed.
	if prog, err := e.st.Org(p.OrgID).SetupProgress(e.ctx); err == nil && prog.CompletedAt != nil {
		t.Error("a new business has completed setup")
	}
	// The link works once.
	refusal(t, func() error { _, err := e.svc.Verify(e.ctx, token, ""); return err }(), errs.KindInvalid, "invalid_token")
}

func TestSignUpRefusesEachBadField(t *testing.T) {
	e := newEnv(t)
	_, err := e.svc.SignUp(e.ctx, signup.Form{OrgName: " ", TimeZone: "Mars/Olympus_Mons", OwnerName: "", Email: "not-an-email", Password: "short", IP: "198.51.100.8"})
	r := refusal(t, err, errs.KindInvalid, "invalid_request")
	for _, f := range []string{"orgName", "timeZone", "ownerName", "email", "password"} {
		if r.Fields[f] == "" {
			t.Errorf("no message for %s: %v", f, r.Fields)
		}
	}
	for _, tz := range []string{"Local", "EST5EDT", "+02:00", ""} {
		if signup.TimeZoneProblem(tz) == "" {
			t.Errorf("time zone %q accepted", tz)
		}
	}
	for _, tz := range []string{"UTC", "Europe/London", "America/Los_Angeles"} {
		if msg := signup.TimeZoneProblem(tz); msg != "" {
			t.Errorf("time zone %q refused: %s", tz, msg)
		}
	}
	// An email that already has an account is refused on its field.
	_, err = e.svc.SignUp(e.ctx, form("owner@demo.test"))
	if r := refusal(t, err, errs.KindInvalid, ""); r.Fields["email"] == "" {
		t.Errorf("fields = %v", r.Fields)
	}
}

func TestOneSignUpInFlightPerEmail(t *testing.T) {
	e := newEnv(t)
	first, err := e.svc.SignUp(e.ctx, form("casey@fresh.example"))
	if err != nil {
		t.Fatal(err)
	}
	oldToken := e.mailedToken(first.OrgID, "casey@fresh.example")
	f := form("casey@fresh.example")
	f.OrgName = "Another Business"
	_, err = e.svc.SignUp(e.ctx, f)
	refusal(t, err, errs.KindConflict, "signup_in_flight")

	// Once the link has expired, signing up again replaces the first
	// sign-up: its details, a new link; the old link is dead.
	e.now = e.now.Add(25 * time.Hour)
	second, err := e.svc.SignUp(e.ctx, f)
	if err != nil {
		t.Fatalf("sign-up after the link expired: %v", err)
	}
	if second.OrgID != first.OrgID {
		t.Errorf("a second org was created for the same email")
	}
	if org, _ := e.st.OrgByID(e.ctx, second.OrgID); org.Name != "Another Business" {
		t.Errorf("org name = %q, want the new details", org.Name)
	}
	if _, err := e.svc.Verify(e.ctx, oldToken, ""); !errors.Is(err, signup.ErrInvalidToken) {
		t.Errorf("old link: %v, want invalid", err)
	}
	if _, err := e.svc.Verify(e.ctx, e.mailedToken(second.OrgID, "casey@fresh.example"), ""); err != nil {
		t.Errorf("new link: %v", err)
	}
}

func TestResendReplacesTheLink(t *testing.T) {
	e := newEnv(t)
	p, err := e.svc.SignUp(e.ctx, form("dana@fresh.example"))
	if err != nil {
		t.Fatal(err)
	}
	old := e.mailedToken(p.OrgID, "dana@fresh.example")
	e.now = e.now.Add(time.Second)
	if err := e.svc.Resend(e.ctx, "dana@fresh.example", "198.51.100.9"); err != nil {
		t.Fatal(err)
	}
	// An unknown email answers the same.
	if err := e.svc.Resend(e.ctx, "nobody@fresh.example", "198.51.100.9"); err != nil {
		t.Errorf("resend for an unknown email: %v", err)
	}
	fresh := e.mailedToken(p.OrgID, "dana@fresh.example")
	if fresh == old {
		t.Fatal("the resent link is the old one")
	}
	if _, err := e.svc.Verify(e.ctx, old, ""); !errors.Is(err, signup.ErrInvalidToken) {
		t.Errorf("old link after resend: %v", err)
	}
	if _, err := e.svc.Verify(e.ctx, fresh, ""); err != nil {
		t.Errorf("resent link: %v", err)
	}
}

func TestSignUpIsRateLimitedPerAddress(t *testing.T) {
	e := newEnv(t)
	for i := 0; i < 4; i++ {
		f := form("owner" + string(rune('a'+i)) + "@many.example")
		if _, err := e.svc.SignUp(e.ctx, f); err != nil {
			t.Fatalf("sign-up %d: %v", i+1, err)
		}
	}
	_, err := e.svc.SignUp(e.ctx, form("ownere@many.example"))
	r := refusal(t, err, errs.KindTooMany, "too_many_signups")
	if r.RetryAfter <= 0 {
		t.Errorf("retry after = %v", r.RetryAfter)
	}
	other := form("ownere@many.example")
	other.IP = "192.0.2.200"
	if _, err := e.svc.SignUp(e.ctx, other); err != nil {
		t.Errorf("another address: %v", err)
	}
	// The window passes.
	e.now = e.now.Add(61 * time.Minute)
	if _, err := e.svc.SignUp(e.ctx, form("ownerf@many.example")); err != nil {
		t.Errorf("after the window: %v", err)
	}
}

func TestOperatorCreatesAnOrgReadyToSignIn(t *testing.T) {
	e := newEnv(t)
	b, err := e.svc.CreateOrg(e.ctx, form("hosted@fresh.example"))
	if err != nil {
		t.Fatal(err)
	}
	if b.Org.Timezone != "America/Chicago" || b.NextStep != signup.NextStepSetup {
		t.Errorf("business = %+v", b)
	}
	if err := e.login("hosted@fresh.example"); err != nil {
		t.Errorf("sign-in: %v", err)
	}
	_, err = e.svc.CreateOrg(e.ctx, form("hosted@fresh.example"))
	if r := refusal(t, err, errs.KindInvalid, ""); r.Fields["email"] == "" {
		t.Errorf("fields = %v", r.Fields)
	}
}
