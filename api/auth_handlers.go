package api

import (
	"context"
	"net/http"
	"net/mail"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"go.temporal.io/api/workflowservice/v1"

	"github.com/snoutos/snout/internal/platform/auth"
	"github.com/snoutos/snout/internal/platform/notify"
	"github.com/snoutos/snout/internal/platform/obs"
	"github.com/snoutos/snout/internal/store"
)

func describeNamespace(ns string) *workflowservice.DescribeNamespaceRequest {
	return &workflowservice.DescribeNamespaceRequest{Namespace: ns}
}

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// SessionView is returned by login and /me.
type SessionView struct {
	User      UserView  `json:"user"`
	Org       OrgView   `json:"org"`
	Role      string    `json:"role"`
	CSRFToken string    `json:"csrfToken"`
	ExpiresAt time.Time `json:"expiresAt"`
	// Token is returned once, at login, for API clients that use
	// "Authorization: Bearer"; browsers use the HttpOnly cookie instead.
	Token string `json:"token,omitempty"`
}

type UserView struct {
	ID    uuid.UUID `json:"id"`
	Email string    `json:"email"`
	Name  string    `json:"name"`
}

type OrgView struct {
	ID   uuid.UUID `json:"id"`
	Name string    `json:"name"`
	Slug string    `json:"slug"`
}

func (s *Server) audit(c *gin.Context, orgID *uuid.UUID, actorID, action, entityType, entityID string, detail map[string]any) {
	actorType := "user"
	if actorID == "" {
		actorType = "anonymous"
	}
	if err := s.store.AppendAudit(c.Request.Context(), orgID, store.Audit{
		ActorType: actorType, ActorID: actorID, Action: action, EntityType: entityType, EntityID: entityID,
		CorrelationID: obs.CorrelationID(c.Request.Context()), IP: c.ClientIP(), Detail: detail,
	}); err != nil {
		s.log.ErrorContext(c.Request.Context(), "audit write failed", "action", action, "err", err)
	}
}

func normaliseEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

func (s *Server) login(c *gin.Context) {
	ctx := c.Request.Context()
	var req loginRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		respondError(c, s.log, badRequest("Send a JSON body with email and password.", nil))
		return
	}
	email := normaliseEmail(req.Email)
	fields := map[string]string{}
	if _, err := mail.ParseAddress(email); err != nil || email == "" {
		fields["email"] = "Enter a valid email address."
	}
	if req.Password == "" {
		fields["password"] = "Enter your password."
	}
	if len(fields) > 0 {
		respondError(c, s.log, badRequest("Some fields are not valid.", fields))
		return
	}
	now := s.now()
	ipKey, acctKey := "login-ip:"+c.ClientIP(), "login-account:"+email
	for _, k := range []string{ipKey, acctKey} {
		until, locked, err := s.store.ThrottleStatus(ctx, k, now)
		if err != nil {
			respondError(c, s.log, err)
			return
		}
		if locked {
			respondError(c, s.log, tooManyAttempts(until.Sub(now)))
			return
		}
	}

	user, err := s.store.UserByEmail(ctx, email)
	hash := auth.DummyHash
	if err == nil {
		hash = user.PasswordHash
	} else if err != store.ErrNotFound {
		respondError(c, s.log, err)
		return
	}
	ok, _ := auth.CheckPassword(hash, req.Password)
	var membership *store.Membership
	if ok && err == nil && user.DisabledAt == nil {
		membership, err = s.store.PrimaryMembership(ctx, user.ID)
		ok = err == nil
	} else {
		ok = false
	}
	if !ok {
		var orgID *uuid.UUID
		actor := ""
		if user != nil && user.ID != uuid.Nil {
			actor = user.ID.String()
			if m, err := s.store.PrimaryMembership(ctx, user.ID); err == nil {
				orgID = &m.OrgID
			}
		}
		s.audit(c, orgID, actor, "auth.login_failed", "user", actor, map[string]any{"email": email})
		var lockedFor time.Duration
		for _, k := range []struct {
			key string
			max int
		}{{ipKey, s.cfg.LoginMaxFailuresPerIP}, {acctKey, s.cfg.LoginMaxFailuresPerAccount}} {
			until, locked, err := s.store.RecordFailure(ctx, k.key, now, s.cfg.LoginThrottleWindow, k.max)
			if err != nil {
				respondError(c, s.log, err)
				return
			}
			if locked && until.Sub(now) > lockedFor {
				lockedFor = until.Sub(now)
			}
		}
		if lockedFor > 0 {
			respondError(c, s.log, tooManyAttempts(lockedFor))
			return
		}
		respondError(c, s.log, unauthorized("Email or password is incorrect."))
		return
	}
	_ = s.store.ClearFailures(ctx, acctKey)

	token, tokenHash, err := auth.NewToken()
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	csrfToken, _, err := auth.NewToken()
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	sess := &store.Session{
		ID: store.NewID(), TokenHash: tokenHash, CSRFToken: csrfToken, UserID: user.ID, OrgID: membership.OrgID,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(s.cfg.SessionTTL), IP: c.ClientIP(), UserAgent: truncate(c.Request.UserAgent(), 300),
	}
	if err := s.store.CreateSession(ctx, sess); err != nil {
		respondError(c, s.log, err)
		return
	}
	s.setSessionCookie(c, token, s.cfg.SessionTTL)
	s.audit(c, &membership.OrgID, user.ID.String(), "auth.login", "session", sess.ID.String(), map[string]any{"role": membership.Role})
	view, err := s.sessionView(c, user, membership, sess)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	view.Token = token
	c.JSON(http.StatusOK, view)
}

func tooManyAttempts(wait time.Duration) *Error {
	secs := int(wait.Round(time.Second) / time.Second)
	if secs < 1 {
		secs = 1
	}
	return &Error{Status: http.StatusTooManyRequests, Code: "too_many_attempts", RetryAfter: secs,
		Message: "Too many failed sign-in attempts. Wait a few minutes and try again, or reset your password."}
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func (s *Server) setSessionCookie(c *gin.Context, token string, ttl time.Duration) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: sessionCookie, Value: token, Path: "/", MaxAge: int(ttl / time.Second),
		HttpOnly: true, Secure: s.cfg.SecureCookies(), SameSite: http.SameSiteLaxMode,
	})
}

func (s *Server) sessionView(c *gin.Context, user *store.User, m *store.Membership, sess *store.Session) (SessionView, error) {
	org, err := s.store.OrgByID(c.Request.Context(), m.OrgID)
	if err != nil {
		return SessionView{}, err
	}
	return SessionView{
		User: UserView{ID: user.ID, Email: user.Email, Name: user.Name},
		Org:  OrgView{ID: org.ID, Name: org.Name, Slug: org.Slug},
		Role: m.Role, CSRFToken: sess.CSRFToken, ExpiresAt: sess.ExpiresAt,
	}, nil
}

func (s *Server) me(c *gin.Context) {
	p := principal(c)
	ctx := c.Request.Context()
	user, err := s.store.UserByID(ctx, p.UserID)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	view, err := s.sessionView(c, user, &store.Membership{OrgID: p.OrgID, UserID: p.UserID, Role: p.Role},
		&store.Session{CSRFToken: p.CSRFToken, ExpiresAt: p.ExpiresAt})
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	c.JSON(http.StatusOK, view)
}

func (s *Server) logout(c *gin.Context) {
	p := principal(c)
	if err := s.store.RevokeSession(c.Request.Context(), p.SessionID, s.now()); err != nil {
		respondError(c, s.log, err)
		return
	}
	s.setSessionCookie(c, "", -time.Second)
	org := p.OrgID
	s.audit(c, &org, p.UserID.String(), "auth.logout", "session", p.SessionID.String(), nil)
	c.Status(http.StatusNoContent)
}

type resetRequest struct {
	Email string `json:"email"`
}

// requestPasswordReset always answers the same, whether or not the email has
// an account, so it cannot be used to find out who is a customer.
func (s *Server) requestPasswordReset(c *gin.Context) {
	ctx := c.Request.Context()
	var req resetRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		respondError(c, s.log, badRequest("Send a JSON body with email.", nil))
		return
	}
	email := normaliseEmail(req.Email)
	if _, err := mail.ParseAddress(email); err != nil {
		respondError(c, s.log, invalidField("email", "Enter a valid email address."))
		return
	}
	now := s.now()
	ipKey := "reset-ip:" + c.ClientIP()
	if until, locked, err := s.store.ThrottleStatus(ctx, ipKey, now); err == nil && locked {
		respondError(c, s.log, &Error{Status: http.StatusTooManyRequests, Code: "too_many_attempts", RetryAfter: int(until.Sub(now).Seconds()) + 1,
			Message: "Too many reset requests from here. Wait a few minutes and try again."})
		return
	}
	if _, _, err := s.store.RecordFailure(ctx, ipKey, now, s.cfg.LoginThrottleWindow, s.cfg.LoginMaxFailuresPerIP); err != nil {
		respondError(c, s.log, err)
		return
	}
	accepted := gin.H{"message": "If an account uses that email, a reset link is on its way. It expires in " + s.cfg.PasswordResetTTL.String() + "."}
	user, err := s.store.UserByEmail(ctx, email)
	if err == store.ErrNotFound {
		s.audit(c, nil, "", "auth.password_reset_requested", "user", "", map[string]any{"known": false})
		c.JSON(http.StatusAccepted, accepted)
		return
	}
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	token, hash, err := auth.NewToken()
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	if err := s.store.CreateResetToken(ctx, &store.PasswordResetToken{ID: store.NewID(), UserID: user.ID, TokenHash: hash, ExpiresAt: now.Add(s.cfg.PasswordResetTTL)}); err != nil {
		respondError(c, s.log, err)
		return
	}
	var orgID *uuid.UUID
	if m, err := s.store.PrimaryMembership(ctx, user.ID); err == nil {
		orgID = &m.OrgID
	}
	body := "Someone asked to reset the password of your Snout account.\n\n" +
		"To choose a new password, send this token to " + s.cfg.PublicURL + "/api/v1/auth/password-reset/confirm within " + s.cfg.PasswordResetTTL.String() + ":\n\n" +
		token + "\n\nIf it was not you, ignore this message; your password stays as it is."
	if s.notifier != nil {
		if err := s.notifier.Send(ctx, notify.Email{OrgID: orgID, To: user.Email, Subject: "Reset your Snout password", Body: body}); err != nil {
			s.log.ErrorContext(ctx, "password reset email failed", "err", err)
		}
	}
	s.audit(c, orgID, user.ID.String(), "auth.password_reset_requested", "user", user.ID.String(), map[string]any{"known": true})
	c.JSON(http.StatusAccepted, accepted)
}

type resetConfirm struct {
	Token    string `json:"token"`
	Password string `json:"password"`
}

func (s *Server) confirmPasswordReset(c *gin.Context) {
	ctx := c.Request.Context()
	var req resetConfirm
	if err := c.ShouldBindJSON(&req); err != nil {
		respondError(c, s.log, badRequest("Send a JSON body with token and password.", nil))
		return
	}
	if len(req.Password) < auth.MinPasswordLength {
		respondError(c, s.log, invalidField("password", auth.ErrWeakPassword.Error()))
		return
	}
	if req.Token == "" {
		respondError(c, s.log, invalidField("token", "Paste the token from the reset email."))
		return
	}
	hash, err := auth.HashPassword(req.Password)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	now := s.now()
	var userID uuid.UUID
	var revoked int
	err = s.store.Tx(ctx, func(ctx context.Context, tx *store.Store) error {
		t, err := tx.ConsumeResetToken(ctx, auth.HashToken(req.Token), now)
		if err != nil {
			return err
		}
		userID = t.UserID
		if err := tx.SetPassword(ctx, t.UserID, hash, now); err != nil {
			return err
		}
		revoked, err = tx.RevokeUserSessions(ctx, t.UserID, now)
		return err
	})
	if err == store.ErrNotFound {
		respondError(c, s.log, &Error{Status: http.StatusBadRequest, Code: "invalid_token", Message: "This reset link is not valid: it may have expired or been used already. Ask for a new one."})
		return
	}
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	var orgID *uuid.UUID
	if m, err := s.store.PrimaryMembership(ctx, userID); err == nil {
		orgID = &m.OrgID
	}
	if u, err := s.store.UserByID(ctx, userID); err == nil {
		_ = s.store.ClearFailures(ctx, "login-account:"+normaliseEmail(u.Email))
	}
	s.audit(c, orgID, userID.String(), "auth.password_reset", "user", userID.String(), map[string]any{"sessionsRevoked": revoked})
	c.JSON(http.StatusOK, gin.H{"message": "Your password has been changed. Sign in with the new password."})
}
