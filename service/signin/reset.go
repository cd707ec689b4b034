package signin

import (
	"context"
	"errors"
	"net/mail"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/platform/auth"
	"github.com/snoutos/snout/internal/platform/notify"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
)

// The password reset: a single-use token, mailed, that expires after the
// policy's ResetTTL. Asking answers the same whether or not the email has
// an account, so it cannot be used to find out who is a customer; using
// the token ends every session of the user.

// ErrInvalidResetToken: the token is unknown, used or expired.
var ErrInvalidResetToken = errs.InvalidCode("invalid_token",
	"This reset link is not valid: it may have expired or been used already. Ask for a new one.", nil)

// RequestReset mails a reset token to the account with this email, if
// there is one. Every request from an address counts against its
// throttle.
func (s *Service) RequestReset(ctx context.Context, email, ip string) error {
	email = NormaliseEmail(email)
	if _, err := mail.ParseAddress(email); err != nil {
		return errs.InvalidField("email", "Enter a valid email address.")
	}
	now := s.Now()
	t := s.resetThrottle(ip)
	if wait, err := t.locked(ctx, now); err == nil && wait > 0 {
		return errs.TooMany("too_many_attempts", "Too many reset requests from here. Wait a few minutes and try again.",
			time.Duration(int(wait.Seconds())+1)*time.Second)
	}
	if _, err := t.count(ctx, now); err != nil {
		return err
	}
	user, err := s.Store.UserByEmail(ctx, email)
	if errors.Is(err, store.ErrNotFound) {
		s.Auditor.Record(ctx, service.Actor{IP: ip}, service.Event{Action: "auth.password_reset_requested", EntityType: "user",
			Detail: map[string]any{"known": false}})
		return nil
	}
	if err != nil {
		return err
	}
	token, hash, err := auth.NewToken()
	if err != nil {
		return err
	}
	if err := s.Store.CreateResetToken(ctx, &store.PasswordResetToken{ID: store.NewID(), UserID: user.ID, TokenHash: hash, ExpiresAt: now.Add(s.Policy.ResetTTL)}); err != nil {
		return err
	}
	orgID := s.orgOf(ctx, user.ID)
	if s.Notifier != nil {
		if err := s.Notifier.Send(ctx, notify.Email{OrgID: orgPtr(orgID), To: user.Email, Subject: "Reset your Snout password", Body: s.resetEmail(token)}); err != nil {
			s.Log.ErrorContext(ctx, "password reset email failed", "err", err)
		}
	}
	s.Auditor.Record(ctx, service.Actor{OrgID: orgID, UserID: user.ID, IP: ip}, service.Event{Action: "auth.password_reset_requested",
		EntityType: "user", EntityID: user.ID.String(), Detail: map[string]any{"known": true}})
	return nil
}

// ResetLink is the dashboard page that sets a new password with token. The
// token rides in the fragment, which browsers never send to a server nor
// put in a Referer.
func ResetLink(publicURL, token string) string {
	return strings.TrimRight(publicURL, "/") + "/reset-password#token=" + url.QueryEscape(token)
}

func (s *Service) resetEmail(token string) string {
	return "Someone asked to reset the password of your Snout account.\n\n" +
		"To choose a new password, open this link within " + s.Policy.ResetTTL.String() + ":\n\n" +
		ResetLink(s.Policy.PublicURL, token) + "\n\nIf it was not you, ignore this message; your password stays as it is."
}

// ConfirmReset sets a new password with a reset token, once, and ends
// every session of the user. The account's failed sign-ins are forgotten.
func (s *Service) ConfirmReset(ctx context.Context, token, password, ip string) error {
	if len(password) < auth.MinPasswordLength {
		return errs.InvalidField("password", auth.ErrWeakPassword.Error())
	}
	if token == "" {
		return errs.InvalidField("token", "Paste the token from the reset email.")
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	now := s.Now()
	var userID uuid.UUID
	var revoked int
	err = s.Store.Tx(ctx, func(ctx context.Context, tx *store.Store) error {
		t, err := tx.ConsumeResetToken(ctx, auth.HashToken(token), now)
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
	if errors.Is(err, store.ErrNotFound) {
		return ErrInvalidResetToken
	}
	if err != nil {
		return err
	}
	if u, err := s.Store.UserByID(ctx, userID); err == nil {
		_ = s.Store.ClearFailures(ctx, accountKey(NormaliseEmail(u.Email)))
	}
	s.Auditor.Record(ctx, service.Actor{OrgID: s.orgOf(ctx, userID), UserID: userID, IP: ip}, service.Event{Action: "auth.password_reset",
		EntityType: "user", EntityID: userID.String(), Detail: map[string]any{"sessionsRevoked": revoked}})
	return nil
}

func orgPtr(id uuid.UUID) *uuid.UUID {
	if id == uuid.Nil {
		return nil
	}
	return &id
}
