// Package signin is the application layer of signing in: login with its
// throttle, the current session, logout, and the password reset by email.
// Sessions and the throttle's counters live in PostgreSQL, so every API
// instance sees the same ones.
package signin

import (
	"context"
	"errors"
	"log/slog"
	"net/mail"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/platform/auth"
	"github.com/snoutos/snout/internal/platform/config"
	"github.com/snoutos/snout/internal/platform/notify"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
)

// Policy is how long sessions and reset links last and how many failures
// the throttle allows.
type Policy struct {
	SessionTTL time.Duration
	ResetTTL   time.Duration
	// MaxFailuresPerAccount and MaxFailuresPerIP failures within
	// ThrottleWindow lock the account, or the address, for the rest of it.
	MaxFailuresPerAccount int
	MaxFailuresPerIP      int
	ThrottleWindow        time.Duration
	// PublicURL is where the reset email sends people.
	PublicURL string
}

// PolicyFrom reads the policy from the configuration.
func PolicyFrom(cfg config.Config) Policy {
	return Policy{SessionTTL: cfg.SessionTTL, ResetTTL: cfg.PasswordResetTTL,
		MaxFailuresPerAccount: cfg.LoginMaxFailuresPerAccount, MaxFailuresPerIP: cfg.LoginMaxFailuresPerIP,
		ThrottleWindow: cfg.LoginThrottleWindow, PublicURL: cfg.PublicURL}
}

// Service holds the sign-in use cases.
type Service struct {
	Store    *store.Store
	Policy   Policy
	Notifier *notify.Notifier // nil sends no reset email
	Now      func() time.Time
	Log      *slog.Logger
	Auditor  service.Auditor
}

// Session is a signed-in session with who it belongs to.
type Session struct {
	User *store.User
	Org  *store.Org
	Role string
	// CSRFToken must accompany writes authenticated by cookie.
	CSRFToken string
	ExpiresAt time.Time
	// Token is the bearer secret, known only at login.
	Token string
	// SetupComplete: the org finished the setup wizard (the dashboard
	// sends an owner whose setup is unfinished to it).
	SetupComplete bool
}

// NormaliseEmail is the form an email address is stored and looked up in.
func NormaliseEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

// Credentials are what a person types to sign in, and where from.
type Credentials struct {
	Email, Password string
	IP, UserAgent   string
}

// userAgentLength is the most of a User-Agent a session keeps.
const userAgentLength = 300

// Login checks credentials and opens a session. Wrong password and unknown
// email read the same; too many failures from the address or for the
// account lock it for the rest of the throttle window, even for the right
// password.
func (s *Service) Login(ctx context.Context, in Credentials) (Session, error) {
	email := NormaliseEmail(in.Email)
	fields := map[string]string{}
	if _, err := mail.ParseAddress(email); err != nil || email == "" {
		fields["email"] = "Enter a valid email address."
	}
	if in.Password == "" {
		fields["password"] = "Enter your password."
	}
	if len(fields) > 0 {
		return Session{}, errs.Invalid("", fields)
	}
	now := s.Now()
	t := s.loginThrottle(in.IP, email)
	if err := t.check(ctx, now); err != nil {
		return Session{}, err
	}
	user, membership, err := s.authenticate(ctx, email, in.Password)
	if errors.Is(err, errWrongCredentials) {
		s.recordFailedLogin(ctx, user, email, in.IP)
		if err := t.fail(ctx, now); err != nil {
			return Session{}, err
		}
		return Session{}, errs.Unauthenticated("", "Email or password is incorrect.")
	}
	if err != nil {
		return Session{}, err
	}
	_ = t.succeed(ctx)

	token, tokenHash, err := auth.NewToken()
	if err != nil {
		return Session{}, err
	}
	csrfToken, _, err := auth.NewToken()
	if err != nil {
		return Session{}, err
	}
	sess := &store.Session{
		ID: store.NewID(), TokenHash: tokenHash, CSRFToken: csrfToken, UserID: user.ID, OrgID: membership.OrgID,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(s.Policy.SessionTTL), IP: in.IP, UserAgent: truncate(in.UserAgent, userAgentLength),
	}
	if err := s.Store.CreateSession(ctx, sess); err != nil {
		return Session{}, err
	}
	s.Auditor.Record(ctx, service.Actor{OrgID: membership.OrgID, UserID: user.ID, Role: membership.Role, IP: in.IP},
		service.Event{Action: "auth.login", EntityType: "session", EntityID: sess.ID.String(), Detail: map[string]any{"role": membership.Role}})
	out, err := s.session(ctx, user, membership.OrgID, membership.Role, sess)
	if err != nil {
		return Session{}, err
	}
	out.Token = token
	return out, nil
}

var errWrongCredentials = errors.New("wrong credentials")

// authenticate finds the user whose password this is and their primary
// membership. An unknown email costs the same hash check as a known one.
// The user is returned with errWrongCredentials when it was known.
func (s *Service) authenticate(ctx context.Context, email, password string) (*store.User, *store.Membership, error) {
	user, err := s.Store.UserByEmail(ctx, email)
	hash := auth.DummyHash
	switch {
	case err == nil:
		hash = user.PasswordHash
	case errors.Is(err, store.ErrNotFound):
		user = nil
	default:
		return nil, nil, err
	}
	ok, _ := auth.CheckPassword(hash, password)
	if ok && user != nil && user.DisabledAt != nil {
		if _, err := s.Store.PendingSignupOfUser(ctx, user.ID); err == nil {
			return user, nil, errs.Unauthenticated("email_unverified",
				"Confirm your email first: open the link we sent to "+user.Email+", or ask for a new one.")
		}
	}
	if !ok || user == nil || user.DisabledAt != nil {
		return user, nil, errWrongCredentials
	}
	m, err := s.Store.PrimaryMembership(ctx, user.ID)
	if err != nil {
		return user, nil, errWrongCredentials
	}
	return user, m, nil
}

// recordFailedLogin audits a failed attempt, under the user's org when the
// email is someone's.
func (s *Service) recordFailedLogin(ctx context.Context, user *store.User, email, ip string) {
	a := service.Actor{IP: ip}
	entityID := ""
	if user != nil {
		a.UserID, entityID = user.ID, user.ID.String()
		a.OrgID = s.orgOf(ctx, user.ID)
	}
	s.Auditor.Record(ctx, a, service.Event{Action: "auth.login_failed", EntityType: "user", EntityID: entityID,
		Detail: map[string]any{"email": email}})
}

// orgOf is the org of the user's primary membership, uuid.Nil when none.
func (s *Service) orgOf(ctx context.Context, userID uuid.UUID) uuid.UUID {
	if m, err := s.Store.PrimaryMembership(ctx, userID); err == nil {
		return m.OrgID
	}
	return uuid.Nil
}

// Current is the session of the signed-in actor.
func (s *Service) Current(ctx context.Context, a service.Actor, csrfToken string, expiresAt time.Time) (Session, error) {
	user, err := s.Store.UserByID(ctx, a.UserID)
	if err != nil {
		return Session{}, err
	}
	return s.session(ctx, user, a.OrgID, a.Role, &store.Session{CSRFToken: csrfToken, ExpiresAt: expiresAt})
}

func (s *Service) session(ctx context.Context, user *store.User, orgID uuid.UUID, role string, sess *store.Session) (Session, error) {
	org, err := s.Store.OrgByID(ctx, orgID)
	if err != nil {
		return Session{}, err
	}
	progress, err := s.Store.Org(orgID).SetupProgress(ctx)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return Session{}, err
	}
	complete := err == nil && progress.CompletedAt != nil
	return Session{User: user, Org: org, Role: role, CSRFToken: sess.CSRFToken, ExpiresAt: sess.ExpiresAt, SetupComplete: complete}, nil
}

// Logout ends the actor's session.
func (s *Service) Logout(ctx context.Context, a service.Actor, sessionID uuid.UUID) error {
	if err := s.Store.RevokeSession(ctx, sessionID, s.Now()); err != nil {
		return err
	}
	s.Auditor.Record(ctx, a, service.Event{Action: "auth.logout", EntityType: "session", EntityID: sessionID.String()})
	return nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
