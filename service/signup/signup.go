// Package signup is the application layer of a new business joining: the
// public sign-up (org, time zone, owner) with its email verification, the
// resend, and the operator's `snout org create`, which does the same
// without the email step. A business that has signed up is in setup: the
// owner signs in and the setup wizard (service/setup) starts on first
// use.
package signup

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/mail"
	"strings"
	"time"
	_ "time/tzdata" // time zones are valid whatever the host has installed
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/platform/auth"
	"github.com/snoutos/snout/internal/platform/notify"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
)

// Policy is how long a verification link lasts and how many sign-ups (and
// resends) one address may ask for within Window.
type Policy struct {
	TokenTTL  time.Duration
	MaxPerIP  int
	Window    time.Duration
	PublicURL string
}

// DefaultPolicy: links last a day; ten sign-ups or resends an hour per
// address.
func DefaultPolicy(publicURL string) Policy {
	return Policy{TokenTTL: 24 * time.Hour, MaxPerIP: 10, Window: time.Hour, PublicURL: publicURL}
}

// Service holds the sign-up use cases.
type Service struct {
	Store    *store.Store
	Notifier *notify.Notifier // nil: no email (the operator command prints the link)
	Policy   Policy
	Now      func() time.Time
	Log      *slog.Logger
	Auditor  service.Auditor
}

// Form is what a new business types.
type Form struct {
	OrgName   string
	TimeZone  string // IANA name, such as America/Los_Angeles
	OwnerName string
	Email     string
	Password  string
	IP        string
}

// Pending is a sign-up waiting for its email to be verified.
type Pending struct {
	OrgID     uuid.UUID
	Email     string
	ExpiresAt time.Time
	// Link is the verification link; only the operator command shows it.
	Link string
}

// Business is a business ready to sign in.
type Business struct {
	Org   *store.Org
	Owner *store.User
	// NextStep is where the owner goes next: the setup wizard.
	NextStep string
}

// NextStepSetup: a new business goes through the setup wizard first.
const NextStepSetup = "setup"

// Field limits.
const (
	maxOrgName  = 200
	maxName     = 200
	maxEmailLen = 254
)

// check validates the form, every field at once.
func (f *Form) check() error {
	fields := map[string]string{}
	f.OrgName = strings.TrimSpace(f.OrgName)
	f.OwnerName = strings.TrimSpace(f.OwnerName)
	f.Email = normaliseEmail(f.Email)
	f.TimeZone = strings.TrimSpace(f.TimeZone)
	switch n := utf8.RuneCountInString(f.OrgName); {
	case n == 0:
		fields["orgName"] = "Enter your business's name."
	case n > maxOrgName:
		fields["orgName"] = "Use at most 200 characters."
	}
	if msg := TimeZoneProblem(f.TimeZone); msg != "" {
		fields["timeZone"] = msg
	}
	switch n := utf8.RuneCountInString(f.OwnerName); {
	case n == 0:
		fields["ownerName"] = "Enter your name."
	case n > maxName:
		fields["ownerName"] = "Use at most 200 characters."
	}
	if msg := EmailProblem(f.Email); msg != "" {
		fields["email"] = msg
	}
	if len(f.Password) < auth.MinPasswordLength {
		fields["password"] = auth.ErrWeakPassword.Error()
	}
	if len(fields) > 0 {
		return errs.Invalid("", fields)
	}
	return nil
}

// TimeZoneProblem says what is wrong with an IANA time zone name, "" when
// it is one. "Local" and offsets are refused: windows, quiet hours and
// routing traces need a zone with its daylight-saving rules.
func TimeZoneProblem(tz string) string {
	if tz == "" {
		return "Choose your business's time zone."
	}
	if tz == "Local" || (!strings.Contains(tz, "/") && tz != "UTC") {
		return "Use a time zone name such as America/New_York or Europe/London."
	}
	if _, err := time.LoadLocation(tz); err != nil {
		return "Unknown time zone; use a name such as America/New_York or Europe/London."
	}
	return ""
}

// EmailProblem says what is wrong with a (normalised) email address, ""
// when there is nothing.
func EmailProblem(email string) string {
	if email == "" {
		return "Enter an email address."
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || len(email) > maxEmailLen || !strings.Contains(email[strings.LastIndex(email, "@")+1:], ".") {
		return "Enter a valid email address, such as name@example.com."
	}
	return ""
}

func normaliseEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

// SignUp creates the business and its owner, disabled until the owner
// uses the link mailed to them. One email has one sign-up in flight: a
// second sign-up for it is refused while the first link is valid, and
// replaces the first (new details, new link) once it has expired.
func (s *Service) SignUp(ctx context.Context, f Form) (Pending, error) {
	if err := f.check(); err != nil {
		return Pending{}, err
	}
	now := s.Now()
	if err := s.throttle(ctx, f.IP, now); err != nil {
		return Pending{}, err
	}
	hash, err := auth.HashPassword(f.Password)
	if err != nil {
		return Pending{}, err
	}
	token, tokenHash, err := auth.NewToken()
	if err != nil {
		return Pending{}, err
	}
	expires := now.Add(s.Policy.TokenTTL)
	org := &store.Org{ID: store.NewID(), Name: f.OrgName, Slug: Slug(f.OrgName), Timezone: f.TimeZone}
	owner := &store.User{ID: store.NewID(), Email: f.Email, Name: f.OwnerName, PasswordHash: hash, DisabledAt: &now}

	inFlight, err := s.Store.SignupInFlight(ctx, f.Email)
	switch {
	case err == nil && inFlight.ExpiresAt.After(now):
		return Pending{}, errs.Conflict("signup_in_flight",
			"A sign-up for this email is waiting for its verification link. Open the link we sent, or ask for a new one.").
			With(map[string]any{"field": "email"})
	case err == nil:
		if err := s.Store.RenewSignup(ctx, inFlight.ID, tokenHash, expires, org, owner); err != nil {
			return Pending{}, err
		}
		org.ID = inFlight.OrgID
		owner.ID = inFlight.UserID
	case errors.Is(err, store.ErrNotFound):
		if _, err := s.Store.UserByEmail(ctx, f.Email); err == nil {
			return Pending{}, errs.InvalidField("email", "An account already uses this email. Sign in instead, or reset your password.")
		}
		su := &store.Signup{ID: store.NewID(), OrgID: org.ID, UserID: owner.ID, Email: f.Email, TokenHash: tokenHash, ExpiresAt: expires, IP: f.IP}
		err := s.Store.CreateBusiness(ctx, store.NewBusiness{Org: org, Owner: owner, Signup: su})
		if errors.Is(err, store.ErrConflict) {
			// A concurrent sign-up for the same email won.
			return Pending{}, errs.Conflict("signup_in_flight", "A sign-up for this email is already in progress.")
		}
		if err != nil {
			return Pending{}, err
		}
	default:
		return Pending{}, err
	}
	p := Pending{OrgID: org.ID, Email: f.Email, ExpiresAt: expires, Link: s.link(token)}
	s.mail(ctx, org.ID, f.Email, f.OwnerName, p)
	s.Auditor.Record(ctx, service.Actor{OrgID: org.ID, IP: f.IP}, service.Event{Action: "org.signed_up", EntityType: "org", EntityID: org.ID.String(),
		Detail: map[string]any{"email": f.Email, "timeZone": f.TimeZone}})
	return p, nil
}

// Resend mails a new link for the email's sign-up in flight (the old link
// stops working). It answers the same whether or not there is one, and
// counts against the address's limit.
func (s *Service) Resend(ctx context.Context, email, ip string) error {
	email = normaliseEmail(email)
	if msg := EmailProblem(email); msg != "" {
		return errs.InvalidField("email", msg)
	}
	now := s.Now()
	if err := s.throttle(ctx, ip, now); err != nil {
		return err
	}
	su, err := s.Store.SignupInFlight(ctx, email)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	token, tokenHash, err := auth.NewToken()
	if err != nil {
		return err
	}
	expires := now.Add(s.Policy.TokenTTL)
	if err := s.Store.RenewSignup(ctx, su.ID, tokenHash, expires, nil, nil); err != nil {
		return err
	}
	owner, err := s.Store.UserByID(ctx, su.UserID)
	if err != nil {
		return err
	}
	s.mail(ctx, su.OrgID, email, owner.Name, Pending{OrgID: su.OrgID, Email: email, ExpiresAt: expires, Link: s.link(token)})
	s.Auditor.Record(ctx, service.Actor{OrgID: su.OrgID, IP: ip}, service.Event{Action: "org.signup_link_resent", EntityType: "org", EntityID: su.OrgID.String()})
	return nil
}

// ErrInvalidToken: the link is unknown, used or expired.
var ErrInvalidToken = errs.InvalidCode("invalid_token",
	"This verification link is not valid: it may have expired or been used already. Ask for a new one.",
	map[string]string{"token": "Use the link from the newest email."})

// Verify uses a verification token once: the owner can sign in, and the
// business is in setup.
func (s *Service) Verify(ctx context.Context, token, ip string) (Business, error) {
	token = strings.TrimSpace(token)
	if token == "" {
		return Business{}, errs.InvalidField("token", "Paste the token from the verification email.")
	}
	su, err := s.Store.VerifySignup(ctx, auth.HashToken(token), s.Now())
	if errors.Is(err, store.ErrNotFound) {
		return Business{}, ErrInvalidToken
	}
	if err != nil {
		return Business{}, err
	}
	b, err := s.business(ctx, su.OrgID, su.UserID)
	if err != nil {
		return Business{}, err
	}
	s.Auditor.Record(ctx, service.Actor{OrgID: su.OrgID, UserID: su.UserID, Role: store.RoleOwner, IP: ip},
		service.Event{Action: "org.email_verified", EntityType: "user", EntityID: su.UserID.String()})
	return b, nil
}

// CreateOrg is `snout org create`: the business and its owner, able to
// sign in at once (the operator vouches for the email).
func (s *Service) CreateOrg(ctx context.Context, f Form) (Business, error) {
	if err := f.check(); err != nil {
		return Business{}, err
	}
	if _, err := s.Store.UserByEmail(ctx, f.Email); err == nil {
		return Business{}, errs.InvalidField("email", "An account already uses this email.")
	}
	hash, err := auth.HashPassword(f.Password)
	if err != nil {
		return Business{}, err
	}
	org := &store.Org{ID: store.NewID(), Name: f.OrgName, Slug: Slug(f.OrgName), Timezone: f.TimeZone}
	owner := &store.User{ID: store.NewID(), Email: f.Email, Name: f.OwnerName, PasswordHash: hash}
	if err := s.Store.CreateBusiness(ctx, store.NewBusiness{Org: org, Owner: owner}); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return Business{}, errs.InvalidField("email", "An account already uses this email.")
		}
		return Business{}, err
	}
	s.Auditor.Record(ctx, service.Actor{OrgID: org.ID}, service.Event{Action: "org.created_by_operator", EntityType: "org", EntityID: org.ID.String(),
		Detail: map[string]any{"email": f.Email, "timeZone": f.TimeZone}})
	return s.business(ctx, org.ID, owner.ID)
}

func (s *Service) business(ctx context.Context, orgID, userID uuid.UUID) (Business, error) {
	org, err := s.Store.OrgByID(ctx, orgID)
	if err != nil {
		return Business{}, err
	}
	owner, err := s.Store.UserByID(ctx, userID)
	if err != nil {
		return Business{}, err
	}
	return Business{Org: org, Owner: owner, NextStep: NextStepSetup}, nil
}

// throttle counts a sign-up or resend against the address and refuses it
// when the address is over its limit. The counter is in PostgreSQL, shared
// by every API instance.
func (s *Service) throttle(ctx context.Context, ip string, now time.Time) error {
	key := "signup-ip:" + ip
	until, locked, err := s.Store.ThrottleStatus(ctx, key, now)
	if err != nil {
		return err
	}
	if !locked {
		if until, locked, err = s.Store.RecordFailure(ctx, key, now, s.Policy.Window, s.Policy.MaxPerIP+1); err != nil {
			return err
		}
	}
	if locked {
		return errs.TooMany("too_many_signups", "Too many sign-ups from this address. Wait a while and try again.",
			max(until.Sub(now).Round(time.Second), time.Second))
	}
	return nil
}

func (s *Service) link(token string) string {
	return s.Policy.PublicURL + "/signup/verify?token=" + token
}

func (s *Service) mail(ctx context.Context, orgID uuid.UUID, to, name string, p Pending) {
	if s.Notifier == nil {
		return
	}
	body := "Hello " + name + ",\n\nWelcome to Snout. To confirm your email and finish creating your business, open this link within " +
		s.Policy.TokenTTL.String() + ":\n\n" + p.Link + "\n\nIf you did not sign up, ignore this message."
	if err := s.Notifier.Send(ctx, notify.Email{OrgID: &orgID, To: to, Subject: "Confirm your email for Snout", Body: body}); err != nil {
		s.Log.ErrorContext(ctx, "sign-up email failed", "err", err)
	}
}

// Slug makes an org's URL name from its name, with a random suffix so that
// two businesses of the same name never collide.
func Slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 40 {
			break
		}
	}
	base := strings.Trim(b.String(), "-")
	if base == "" {
		base = "org"
	}
	suffix := make([]byte, 3)
	_, _ = rand.Read(suffix)
	return base + "-" + hex.EncodeToString(suffix)
}
