package signin_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/snoutos/snout/dev/testenv"
	"github.com/snoutos/snout/dev/testenv/seeded"
	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/platform/auth"
	"github.com/snoutos/snout/internal/platform/notify"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
	"github.com/snoutos/snout/service/signin"
)

func TestMain(m *testing.M) { testenv.Main(m) }

type env struct {
	db     seeded.SeededDB
	signin *signin.Service
	now    time.Time
	ctx    context.Context
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db := seeded.DB(t)
	e := &env{db: db, now: time.Now(), ctx: context.Background()}
	policy := signin.PolicyFrom(db.Config)
	policy.MaxFailuresPerAccount, policy.MaxFailuresPerIP, policy.ThrottleWindow = 3, 5, 10*time.Minute
	e.signin = &signin.Service{Store: db.Store, Policy: policy, Notifier: notify.New(db.Store, notify.SMTP{}, db.Log),
		Now: func() time.Time { return e.now }, Log: db.Log, Auditor: service.Auditor{Store: db.Store, Log: db.Log}}
	return e
}

func (e *env) login(email, password, ip string) (signin.Session, error) {
	return e.signin.Login(e.ctx, signin.Credentials{Email: email, Password: password, IP: ip, UserAgent: "test"})
}

func TestLoginOpensASessionTheBearerTokenFinds(t *testing.T) {
	e := newEnv(t)
	sess, err := e.login(" Owner@Demo.test", seeded.DemoPassword, "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	if sess.Role != store.RoleOwner || sess.Org.ID != e.db.Demo.OrgID || sess.Token == "" || sess.CSRFToken == "" ||
		!sess.ExpiresAt.Equal(e.now.Add(e.db.Config.SessionTTL)) {
		t.Fatalf("session %+v", sess)
	}
	found, err := e.db.Store.SessionByTokenHash(e.ctx, auth.HashToken(sess.Token), e.now, time.Hour)
	if err != nil || found.UserID != sess.User.ID || found.IP != "192.0.2.1" {
		t.Fatalf("stored session %+v %v", found, err)
	}
	a := service.Actor{OrgID: sess.Org.ID, UserID: sess.User.ID, Role: sess.Role}
	if err := e.signin.Logout(e.ctx, a, found.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.Store.SessionByTokenHash(e.ctx, auth.HashToken(sess.Token), e.now, time.Hour); err == nil {
		t.Fatal("the session outlived logout")
	}
}

func TestWrongPasswordAndUnknownEmailReadTheSame(t *testing.T) {
	e := newEnv(t)
	_, wrong := e.login("owner@demo.test", "not-the-password", "192.0.2.1")
	_, unknown := e.login("ghost@demo.test", "not-the-password", "192.0.2.1")
	a, okA := errs.As(wrong)
	b, okB := errs.As(unknown)
	if !okA || !okB || a.Kind != errs.KindUnauthenticated || a.Code != b.Code || a.Message != b.Message || a.Kind != b.Kind {
		t.Fatalf("wrong password %v, unknown email %v: want the same refusal", wrong, unknown)
	}
	_, err := e.login("not an email", "", "192.0.2.1")
	if r, ok := errs.As(err); !ok || r.Fields["email"] == "" || r.Fields["password"] == "" {
		t.Fatalf("empty form: %v", err)
	}
}

func TestThrottleLocksTheAccountForTheRestOfTheWindow(t *testing.T) {
	e := newEnv(t)
	var err error
	for i := 0; i < 3; i++ {
		_, err = e.login("admin@demo.test", "wrong-password", "192.0.2.7")
	}
	r, ok := errs.As(err)
	if !ok || r.Kind != errs.KindTooMany || r.Code != "too_many_attempts" || r.RetryAfter < 9*time.Minute {
		t.Fatalf("the third failure: %v (%+v)", err, r)
	}
	// The right password is refused while the account is locked, from
	// anywhere; another account signs in from the same address.
	if _, err := e.login("admin@demo.test", seeded.DemoPassword, "198.51.100.9"); !errs.Is(err, errs.KindTooMany) {
		t.Fatalf("locked account with the right password: %v", err)
	}
	if _, err := e.login("owner@demo.test", seeded.DemoPassword, "192.0.2.7"); err != nil {
		t.Fatalf("another account from the same address: %v", err)
	}
	e.now = e.now.Add(10*time.Minute + time.Second)
	if _, err := e.login("admin@demo.test", seeded.DemoPassword, "192.0.2.7"); err != nil {
		t.Fatalf("after the window: %v", err)
	}
	events, _ := e.db.Store.Org(e.db.Demo.OrgID).AuditEvents(e.ctx, store.AuditFilter{Action: "auth.login_failed"}, 10)
	if len(events) != 3 || events[0].ActorID == "" {
		t.Errorf("%d auth.login_failed events (%+v), want 3 naming the admin", len(events), events)
	}
}

func TestThrottleLocksAnAddressAcrossAccounts(t *testing.T) {
	e := newEnv(t)
	var err error
	for i := 0; i < 5; i++ {
		_, err = e.login("nobody"+strings.Repeat("x", i)+"@demo.test", "wrong-password", "203.0.113.5")
	}
	if !errs.Is(err, errs.KindTooMany) {
		t.Fatalf("the address's fifth failure: %v", err)
	}
	if _, err := e.login("owner@demo.test", seeded.DemoPassword, "203.0.113.5"); !errs.Is(err, errs.KindTooMany) {
		t.Fatalf("a locked address signs in: %v", err)
	}
	if _, err := e.login("owner@demo.test", seeded.DemoPassword, "203.0.113.6"); err != nil {
		t.Fatalf("another address: %v", err)
	}
}

// resetToken reads the token out of the last reset email to addr.
func (e *env) resetToken(t *testing.T, addr string) string {
	t.Helper()
	var mail []store.OutboxEmail
	if err := e.db.Store.DB().NewSelect().Model(&mail).Where("to_email = ?", addr).Order("created_at DESC").Limit(1).Scan(e.ctx); err != nil || len(mail) == 0 {
		t.Fatalf("no reset email to %s: %v", addr, err)
	}
	// The mail links to the dashboard's reset page, the token in the fragment.
	for _, line := range strings.Split(mail[0].Body, "\n") {
		if _, tok, ok := strings.Cut(strings.TrimSpace(line), "/reset-password#token="); ok {
			if v, err := url.QueryUnescape(tok); err == nil && v != "" {
				return v
			}
		}
	}
	t.Fatalf("no reset link in %q", mail[0].Body)
	return ""
}

func TestPasswordResetTokenIsSingleUseAndExpires(t *testing.T) {
	e := newEnv(t)
	sess, err := e.login("sam@demo.test", seeded.DemoPassword, "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.signin.RequestReset(e.ctx, "nobody@demo.test", "192.0.2.1"); err != nil {
		t.Fatalf("an unknown email is accepted like any other: %v", err)
	}
	if err := e.signin.RequestReset(e.ctx, "SAM@demo.test", "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	token := e.resetToken(t, "sam@demo.test")
	if err := e.signin.ConfirmReset(e.ctx, token, "short", "192.0.2.1"); !errs.Is(err, errs.KindInvalid) {
		t.Fatalf("weak password: %v", err)
	}
	if err := e.signin.ConfirmReset(e.ctx, token, "a-brand-new-password", "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	if err := e.signin.ConfirmReset(e.ctx, token, "another-new-password", "192.0.2.1"); err != signin.ErrInvalidResetToken {
		t.Fatalf("the token used twice: %v", err)
	}
	if _, err := e.db.Store.SessionByTokenHash(e.ctx, auth.HashToken(sess.Token), e.now, time.Hour); err == nil {
		t.Fatal("the reset left a session open")
	}
	if _, err := e.login("sam@demo.test", "a-brand-new-password", "192.0.2.1"); err != nil {
		t.Fatalf("the new password: %v", err)
	}
	// A token older than the policy's ResetTTL does not work.
	if err := e.signin.RequestReset(e.ctx, "admin@demo.test", "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	e.now = e.now.Add(e.db.Config.PasswordResetTTL + time.Minute)
	if err := e.signin.ConfirmReset(e.ctx, e.resetToken(t, "admin@demo.test"), "a-brand-new-password", "192.0.2.1"); err != signin.ErrInvalidResetToken {
		t.Fatalf("an expired token: %v", err)
	}
}

func TestResetRequestsAreThrottledPerAddress(t *testing.T) {
	e := newEnv(t)
	for i := 0; i < 5; i++ {
		if err := e.signin.RequestReset(e.ctx, "nobody@demo.test", "192.0.2.50"); err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}
	}
	err := e.signin.RequestReset(e.ctx, "nobody@demo.test", "192.0.2.50")
	if r, ok := errs.As(err); !ok || r.Kind != errs.KindTooMany || r.RetryAfter <= 0 {
		t.Fatalf("the sixth request: %v", err)
	}
	if err := e.signin.RequestReset(e.ctx, "nobody@demo.test", "192.0.2.51"); err != nil {
		t.Fatalf("another address: %v", err)
	}
}
