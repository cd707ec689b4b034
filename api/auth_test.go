package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/snoutos/snout/api"
	"github.com/snoutos/snout/internal/store"
)

func TestLoginMeLogout(t *testing.T) {
	h := newHarness(t)
	r := h.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "OWNER@demo.test ", "password": demoPassword})
	if r.Status != http.StatusOK {
		t.Fatalf("login: %d %s", r.Status, r.Body)
	}
	var sess api.SessionView
	r.json(t, &sess)
	if sess.Role != "owner" || sess.Org.Slug != "demo" || sess.Token == "" || sess.CSRFToken == "" {
		t.Fatalf("unexpected session %+v", sess)
	}
	cookie := r.Header.Get("Set-Cookie")
	for _, want := range []string{"snout_session=", "HttpOnly", "SameSite=Lax"} {
		if !strings.Contains(cookie, want) {
			t.Errorf("cookie %q lacks %q", cookie, want)
		}
	}
	if strings.Contains(cookie, "Secure") {
		t.Errorf("plain-localhost cookie must not be Secure: %q", cookie)
	}
	if r.Header.Get("X-Request-ID") == "" {
		t.Error("every response carries a request ID")
	}

	me := h.do("GET", "/api/v1/auth/me", sess.Token, nil)
	var meView api.SessionView
	me.json(t, &meView)
	if me.Status != http.StatusOK || meView.User.Email != "owner@demo.test" || meView.Role != "owner" || meView.Org.ID != h.demo.OrgID {
		t.Fatalf("/me: %d %s", me.Status, me.Body)
	}
	if meView.Token != "" {
		t.Fatal("/me must not echo the session token")
	}

	if r := h.do("POST", "/api/v1/auth/logout", sess.Token, nil); r.Status != http.StatusNoContent {
		t.Fatalf("logout: %d %s", r.Status, r.Body)
	}
	if r := h.do("GET", "/api/v1/auth/me", sess.Token, nil); r.Status != http.StatusUnauthorized {
		t.Fatalf("a logged-out token must be rejected, got %d", r.Status)
	}
	assertAudit(t, h, "auth.login", "auth.logout")
}

func assertAudit(t *testing.T, h *harness, actions ...string) {
	t.Helper()
	events, err := h.store.Org(h.demo.OrgID).AuditEvents(context.Background(), store.AuditFilter{}, 500)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range events {
		seen[e.Action] = true
	}
	for _, a := range actions {
		if !seen[a] {
			t.Errorf("audit trail lacks %q (has %v)", a, seen)
		}
	}
}

func TestForgedExpiredAndIdleSessionsAre401(t *testing.T) {
	h := newHarness(t)
	token := h.login("owner@demo.test")
	for name, tok := range map[string]string{"forged": "not-a-real-token", "tampered": token[:len(token)-2] + "xx"} {
		if r := h.do("GET", "/api/v1/auth/me", tok, nil); r.Status != http.StatusUnauthorized {
			t.Errorf("%s token: got %d", name, r.Status)
		}
	}
	if r := h.do("GET", "/api/v1/auth/me", "", nil); r.Status != http.StatusUnauthorized {
		t.Errorf("no token: got %d", r.Status)
	}
	// Idle past the idle timeout.
	h.clock.now = h.clock.now.Add(h.cfg.SessionIdleTimeout + time.Minute)
	if r := h.do("GET", "/api/v1/auth/me", token, nil); r.Status != http.StatusUnauthorized {
		t.Errorf("idle session: got %d", r.Status)
	}
	// Absolute expiry even when active.
	h.clock.now = time.Now()
	token = h.login("owner@demo.test")
	h.clock.now = h.clock.now.Add(h.cfg.SessionTTL + time.Minute)
	if r := h.do("GET", "/api/v1/auth/me", token, nil); r.Status != http.StatusUnauthorized {
		t.Errorf("expired session: got %d", r.Status)
	}
}

func TestLoginValidationAndWrongPassword(t *testing.T) {
	h := newHarness(t)
	r := h.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "nope", "password": ""})
	if r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), `"email"`) || !strings.Contains(string(r.Body), `"password"`) {
		t.Fatalf("validation: %d %s", r.Status, r.Body)
	}
	r = h.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "owner@demo.test", "password": "wrong-password"})
	if r.Status != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d", r.Status)
	}
	unknown := h.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "ghost@demo.test", "password": "wrong-password"})
	if unknown.Status != http.StatusUnauthorized {
		t.Fatalf("unknown user: %d", unknown.Status)
	}
	var a, b api.ErrorBody
	r.json(t, &a)
	unknown.json(t, &b)
	if a.Error.Message != b.Error.Message {
		t.Fatal("wrong password and unknown email must read the same")
	}
	assertAudit(t, h, "auth.login_failed")
}

func TestLoginThrottlePerAccount(t *testing.T) {
	h := newHarness(t)
	var last response
	for i := 0; i < h.cfg.LoginMaxFailuresPerAccount; i++ {
		last = h.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "admin@demo.test", "password": "wrong-password"})
	}
	if last.Status != http.StatusTooManyRequests || last.Header.Get("Retry-After") == "" {
		t.Fatalf("after %d failures want 429 with Retry-After, got %d %v", h.cfg.LoginMaxFailuresPerAccount, last.Status, last.Header)
	}
	// Even the right password is refused while locked.
	r := h.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "admin@demo.test", "password": demoPassword})
	if r.Status != http.StatusTooManyRequests {
		t.Fatalf("locked account: got %d", r.Status)
	}
	// Other accounts are unaffected (the IP limit is higher).
	h.login("owner@demo.test")
	// After the window, the account works again.
	h.clock.now = h.clock.now.Add(h.cfg.LoginThrottleWindow + time.Second)
	h.login("admin@demo.test")
}

func TestCookieWritesNeedCSRFToken(t *testing.T) {
	h := newHarness(t)
	r := h.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "owner@demo.test", "password": demoPassword})
	var sess api.SessionView
	r.json(t, &sess)
	cookie := "snout_session=" + sess.Token
	if r := h.do("GET", "/api/v1/auth/me", "", nil, "Cookie", cookie); r.Status != http.StatusOK {
		t.Fatalf("cookie GET: %d", r.Status)
	}
	if r := h.do("POST", "/api/v1/auth/logout", "", nil, "Cookie", cookie); r.Status != http.StatusForbidden || !strings.Contains(string(r.Body), "csrf") {
		t.Fatalf("cookie POST without CSRF token must be 403, got %d %s", r.Status, r.Body)
	}
	if r := h.do("POST", "/api/v1/auth/logout", "", nil, "Cookie", cookie, "X-CSRF-Token", sess.CSRFToken); r.Status != http.StatusNoContent {
		t.Fatalf("cookie POST with CSRF token: %d %s", r.Status, r.Body)
	}
}

func TestPasswordReset(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	ownerToken := h.login("owner@demo.test")
	sitterToken := h.login("sam@demo.test")

	known := h.do("POST", "/api/v1/auth/password-reset", "", map[string]string{"email": "sam@demo.test"})
	unknown := h.do("POST", "/api/v1/auth/password-reset", "", map[string]string{"email": "nobody@demo.test"})
	if known.Status != http.StatusAccepted || unknown.Status != http.StatusAccepted || string(known.Body) != string(unknown.Body) {
		t.Fatalf("reset request must answer the same for known and unknown emails: %d %s / %d %s", known.Status, known.Body, unknown.Status, unknown.Body)
	}
	// The owner reads the outbox (development has no SMTP).
	r := h.do("GET", "/api/v1/ops/outbox", ownerToken, nil)
	var out struct {
		Emails []store.OutboxEmail `json:"emails"`
	}
	r.json(t, &out)
	if len(out.Emails) != 1 || out.Emails[0].ToEmail != "sam@demo.test" {
		t.Fatalf("outbox: %s", r.Body)
	}
	body := out.Emails[0].Body
	token := resetToken(t, h, body)
	if r := h.do("POST", "/api/v1/auth/password-reset/confirm", "", map[string]string{"token": token, "password": "short"}); r.Status != http.StatusBadRequest {
		t.Fatalf("weak password: %d", r.Status)
	}
	if r := h.do("POST", "/api/v1/auth/password-reset/confirm", "", map[string]string{"token": token, "password": "a-brand-new-password"}); r.Status != http.StatusOK {
		t.Fatalf("confirm: %d %s", r.Status, r.Body)
	}
	// Single use.
	if r := h.do("POST", "/api/v1/auth/password-reset/confirm", "", map[string]string{"token": token, "password": "another-new-password"}); r.Status != http.StatusBadRequest {
		t.Fatalf("reused token: %d", r.Status)
	}
	// Every session of the user was revoked; the new password works, the old does not.
	if r := h.do("GET", "/api/v1/auth/me", sitterToken, nil); r.Status != http.StatusUnauthorized {
		t.Fatalf("old session after reset: %d", r.Status)
	}
	if r := h.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "sam@demo.test", "password": demoPassword}); r.Status != http.StatusUnauthorized {
		t.Fatalf("old password after reset: %d", r.Status)
	}
	if r := h.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "sam@demo.test", "password": "a-brand-new-password"}); r.Status != http.StatusOK {
		t.Fatalf("new password: %d", r.Status)
	}
	// Expired tokens do not work.
	h.do("POST", "/api/v1/auth/password-reset", "", map[string]string{"email": "admin@demo.test"})
	h.clock.now = h.clock.now.Add(h.cfg.PasswordResetTTL + time.Minute)
	mail, _ := h.store.Org(h.demo.OrgID).Outbox(ctx, 10)
	adminToken := resetToken(t, h, mail[0].Body)
	if r := h.do("POST", "/api/v1/auth/password-reset/confirm", "", map[string]string{"token": adminToken, "password": "a-brand-new-password"}); r.Status != http.StatusBadRequest {
		t.Fatalf("expired token: %d", r.Status)
	}
	assertAudit(t, h, "auth.password_reset_requested", "auth.password_reset")
}

func TestAuditTrailIsAppendOnlyInTheDatabase(t *testing.T) {
	h := newHarness(t)
	h.login("owner@demo.test")
	ctx := context.Background()
	if _, err := h.store.DB().NewRaw("UPDATE audit_events SET action = 'rewritten'").Exec(ctx); err == nil {
		t.Fatal("UPDATE on audit_events must be rejected")
	}
	if _, err := h.store.DB().NewRaw("DELETE FROM audit_events").Exec(ctx); err == nil {
		t.Fatal("DELETE on audit_events must be rejected")
	}
	if _, err := h.store.DB().NewRaw("TRUNCATE audit_events").Exec(ctx); err == nil {
		t.Fatal("TRUNCATE on audit_events must be rejected")
	}
}

// resetToken is the token of the dashboard link in a reset email: the
// mail links to PUBLIC_URL/reset-password#token=…, the page that sets the
// new password.
func resetToken(t *testing.T, h *harness, body string) string {
	t.Helper()
	prefix := h.cfg.PublicURL + "/reset-password#token="
	for _, line := range strings.Split(body, "\n") {
		if l := strings.TrimSpace(line); strings.HasPrefix(l, prefix) && len(l) > len(prefix) {
			return strings.TrimPrefix(l, prefix)
		}
	}
	t.Fatalf("no %s… link in the reset email %q", prefix, body)
	return ""
}
