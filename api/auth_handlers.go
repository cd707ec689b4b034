package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"go.temporal.io/api/workflowservice/v1"

	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/service"
	"github.com/snoutos/snout/service/settings"
	"github.com/snoutos/snout/service/signin"
)

// Sign-in: login, the current session, logout and the password reset
// (service/signin). The session cookie is set here: it is HTTP.

func (s *Server) publicAuthRoutes() []featureRoute {
	return []featureRoute{
		{http.MethodPost, "/api/v1/auth/login", s.reply(http.StatusOK, s.login),
			doc("Sign in: sets the session cookie and returns the session", tagAuth).body(LoginRequest{}).ok(SessionView{}).
				fails(http.StatusUnauthorized, http.StatusTooManyRequests)},
		{http.MethodPost, "/api/v1/auth/password-reset", s.reply(http.StatusAccepted, s.requestPasswordReset),
			doc("Ask for a password reset link by email (the same answer whether or not the account exists)", tagAuth).
				body(PasswordResetRequest{}).returns(http.StatusAccepted, TextBody{}).fails(http.StatusTooManyRequests)},
		{http.MethodPost, "/api/v1/auth/password-reset/confirm", s.reply(http.StatusOK, s.confirmPasswordReset),
			doc("Set a new password with the token from the reset link", tagAuth).body(PasswordResetConfirm{}).ok(TextBody{}).
				fails(http.StatusTooManyRequests)},
	}
}

// sessionRoutes are the signed-in routes of the session itself and the
// audit trail.
func (s *Server) sessionRoutes() []featureRoute {
	return []featureRoute{
		{http.MethodGet, "/api/v1/auth/me", s.reply(http.StatusOK, s.me), doc("The signed-in session", tagAuth).ok(SessionView{})},
		{http.MethodPost, "/api/v1/auth/logout", s.reply(http.StatusNoContent, s.logout), doc("Sign out: ends the session", tagAuth).returns(http.StatusNoContent)},
		{http.MethodGet, "/api/v1/audit", s.reply(http.StatusOK, s.listAudit),
			doc("The audit trail, newest first; ?format=csv downloads it", tagAudit).query(auditQueryParams...).ok(AuditPage{}).also(http.StatusOK, "text/csv")},
		{http.MethodGet, "/api/v1/ops/outbox", s.reply(http.StatusOK, s.listOutbox), doc("The emails the platform sent (the dev outbox)", tagOps).ok(OutboxView{})},
	}
}

// LoginRequest signs in.
type LoginRequest struct {
	Email    string `json:"email" required:"true"`
	Password string `json:"password" required:"true"`
}

// PasswordResetRequest asks for a reset link.
type PasswordResetRequest struct {
	Email string `json:"email" required:"true"`
}

// PasswordResetConfirm sets a new password.
type PasswordResetConfirm struct {
	Token    string `json:"token" required:"true"`
	Password string `json:"password" required:"true"`
}

func describeNamespace(ns string) *workflowservice.DescribeNamespaceRequest {
	return &workflowservice.DescribeNamespaceRequest{Namespace: ns}
}

// SessionView is returned by login and /me.
type SessionView struct {
	User      UserView  `json:"user"`
	Org       OrgView   `json:"org"`
	Role      string    `json:"role"`
	CSRFToken string    `json:"csrfToken"`
	ExpiresAt time.Time `json:"expiresAt"`
	// Diagnostics is true when this user sees provider internals: an owner
	// whose org has diagnostics on.
	Diagnostics bool `json:"diagnostics"`
	// SetupComplete is true once the org finished the setup wizard; until
	// then the dashboard sends an owner to /setup.
	SetupComplete bool `json:"setupComplete"`
	// Token is returned once, at login, for API clients that use
	// "Authorization: Bearer"; browsers use the HttpOnly cookie instead.
	Token string `json:"token,omitempty"`
}

type UserView struct {
	ID    uuid.UUID `json:"id"`
	Email string    `json:"email"`
	Name  string    `json:"name"`
}

// OrgView is the business signed in to. TimeZone is its IANA zone
// (America/Los_Angeles): the dashboard shows times in it.
type OrgView struct {
	ID       uuid.UUID `json:"id"`
	Name     string    `json:"name"`
	Slug     string    `json:"slug"`
	TimeZone string    `json:"timeZone"`
}

// UserView is the signed-in person; Name is their display name.

func sessionView(sess signin.Session) SessionView {
	return SessionView{
		User: UserView{ID: sess.User.ID, Email: sess.User.Email, Name: sess.User.Name},
		Org:  OrgView{ID: sess.Org.ID, Name: sess.Org.Name, Slug: sess.Org.Slug, TimeZone: sess.Org.Timezone},
		Role: sess.Role, CSRFToken: sess.CSRFToken, ExpiresAt: sess.ExpiresAt, Token: sess.Token,
		Diagnostics:   settings.Reveals(sess.Org, service.Actor{Role: sess.Role}),
		SetupComplete: sess.SetupComplete,
	}
}

// normaliseEmail is the form emails are stored and looked up in.
var normaliseEmail = signin.NormaliseEmail

func (s *Server) login(c *gin.Context) (any, error) {
	var req LoginRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		return nil, errs.Invalid("Send a JSON body with email and password.", nil)
	}
	sess, err := s.signin.Login(c.Request.Context(), signin.Credentials{Email: req.Email, Password: req.Password,
		IP: c.ClientIP(), UserAgent: c.Request.UserAgent()})
	if err != nil {
		return nil, err
	}
	s.setSessionCookie(c, sess.Token, s.cfg.SessionTTL)
	return sessionView(sess), nil
}

func (s *Server) setSessionCookie(c *gin.Context, token string, ttl time.Duration) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: sessionCookie, Value: token, Path: "/", MaxAge: int(ttl / time.Second),
		HttpOnly: true, Secure: s.cfg.SecureCookies(), SameSite: http.SameSiteLaxMode,
	})
}

func (s *Server) me(c *gin.Context) (any, error) {
	p := principal(c)
	return viewOf(sessionView)(s.signin.Current(c.Request.Context(), actor(c), p.CSRFToken, p.ExpiresAt))
}

func (s *Server) logout(c *gin.Context) (any, error) {
	if err := s.signin.Logout(c.Request.Context(), actor(c), principal(c).SessionID); err != nil {
		return nil, err
	}
	s.setSessionCookie(c, "", -time.Second)
	return nil, nil
}

// requestPasswordReset answers the same whether or not the email has an
// account.
func (s *Server) requestPasswordReset(c *gin.Context) (any, error) {
	var req PasswordResetRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		return nil, errs.Invalid("Send a JSON body with email.", nil)
	}
	if err := s.signin.RequestReset(c.Request.Context(), req.Email, c.ClientIP()); err != nil {
		return nil, err
	}
	return TextBody{Message: "If an account uses that email, a reset link is on its way. It expires in " + s.cfg.PasswordResetTTL.String() + "."}, nil
}

func (s *Server) confirmPasswordReset(c *gin.Context) (any, error) {
	var req PasswordResetConfirm
	if err := c.ShouldBindJSON(&req); err != nil {
		return nil, errs.Invalid("Send a JSON body with token and password.", nil)
	}
	if err := s.signin.ConfirmReset(c.Request.Context(), req.Token, req.Password, c.ClientIP()); err != nil {
		return nil, err
	}
	return TextBody{Message: "Your password has been changed. Sign in with the new password."}, nil
}
