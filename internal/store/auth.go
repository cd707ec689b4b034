package store

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// UserByEmail finds a user by email, case-insensitively.
func (s *Store) UserByEmail(ctx context.Context, email string) (*User, error) {
	u := new(User)
	err := s.db.NewSelect().Model(u).Where("email = ?", email).Scan(ctx)
	return u, translate(err)
}

// UserByID finds a user.
func (s *Store) UserByID(ctx context.Context, id uuid.UUID) (*User, error) {
	u := new(User)
	err := s.db.NewSelect().Model(u).Where("id = ?", id).Scan(ctx)
	return u, translate(err)
}

// PrimaryMembership returns the user's active membership, the oldest first
// when a user belongs to several orgs. Deactivated memberships do not
// count.
func (s *Store) PrimaryMembership(ctx context.Context, userID uuid.UUID) (*Membership, error) {
	m := new(Membership)
	err := s.db.NewSelect().Model(m).Where("user_id = ? AND deactivated_at IS NULL", userID).Order("created_at", "org_id").Limit(1).Scan(ctx)
	return m, translate(err)
}

// MembershipFor returns the user's role in an org; a deactivated member
// has none (ErrNotFound).
func (s *Store) MembershipFor(ctx context.Context, orgID, userID uuid.UUID) (*Membership, error) {
	m := new(Membership)
	err := s.db.NewSelect().Model(m).Where("org_id = ? AND user_id = ? AND deactivated_at IS NULL", orgID, userID).Scan(ctx)
	return m, translate(err)
}

// OrgByID loads an org.
func (s *Store) OrgByID(ctx context.Context, id uuid.UUID) (*Org, error) {
	o := new(Org)
	err := s.db.NewSelect().Model(o).Where("id = ?", id).Scan(ctx)
	return o, translate(err)
}

// OrgBySlug loads an org by its slug.
func (s *Store) OrgBySlug(ctx context.Context, slug string) (*Org, error) {
	o := new(Org)
	err := s.db.NewSelect().Model(o).Where("slug = ?", slug).Scan(ctx)
	return o, translate(err)
}

// CreateSession stores a new session.
func (s *Store) CreateSession(ctx context.Context, sess *Session) error {
	_, err := s.db.NewInsert().Model(sess).Exec(ctx)
	return translate(err)
}

// SessionByTokenHash returns a live session (not revoked, not expired, not
// idle past idleTimeout) and refreshes its last-seen time.
func (s *Store) SessionByTokenHash(ctx context.Context, hash []byte, now time.Time, idleTimeout time.Duration) (*Session, error) {
	sess := new(Session)
	err := s.db.NewSelect().Model(sess).
		Where("token_hash = ?", hash).
		Where("revoked_at IS NULL").
		Where("expires_at > ?", now).
		Where("last_seen_at > ?", now.Add(-idleTimeout)).
		Scan(ctx)
	if err != nil {
		return nil, translate(err)
	}
	// Refresh at most once a minute to keep writes off the hot path.
	if now.Sub(sess.LastSeenAt) > time.Minute {
		if _, err := s.db.NewUpdate().Model((*Session)(nil)).Set("last_seen_at = ?", now).Where("id = ?", sess.ID).Exec(ctx); err != nil {
			return nil, err
		}
	}
	return sess, nil
}

// RevokeSession ends one session.
func (s *Store) RevokeSession(ctx context.Context, id uuid.UUID, now time.Time) error {
	_, err := s.db.NewUpdate().Model((*Session)(nil)).Set("revoked_at = ?", now).Where("id = ? AND revoked_at IS NULL", id).Exec(ctx)
	return err
}

// RevokeUserSessions ends every session of a user.
func (s *Store) RevokeUserSessions(ctx context.Context, userID uuid.UUID, now time.Time) (int, error) {
	res, err := s.db.NewUpdate().Model((*Session)(nil)).Set("revoked_at = ?", now).Where("user_id = ? AND revoked_at IS NULL", userID).Exec(ctx)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// ThrottleStatus says whether a key is locked out, and until when.
func (s *Store) ThrottleStatus(ctx context.Context, key string, now time.Time) (lockedUntil time.Time, locked bool, err error) {
	var row struct {
		LockedUntil *time.Time `bun:"locked_until"`
	}
	err = s.db.NewSelect().Table("auth_throttle").Column("locked_until").Where("key = ?", key).Scan(ctx, &row)
	if err != nil {
		if translate(err) == ErrNotFound {
			return time.Time{}, false, nil
		}
		return time.Time{}, false, err
	}
	if row.LockedUntil != nil && row.LockedUntil.After(now) {
		return *row.LockedUntil, true, nil
	}
	return time.Time{}, false, nil
}

// RecordFailure counts a failure for key inside a sliding window and locks
// the key for the rest of the window once max failures are reached. The
// counter lives in PostgreSQL so every API instance shares it.
func (s *Store) RecordFailure(ctx context.Context, key string, now time.Time, window time.Duration, max int) (lockedUntil time.Time, locked bool, err error) {
	var row struct {
		Failures    int        `bun:"failures"`
		LockedUntil *time.Time `bun:"locked_until"`
	}
	_, err = s.db.NewRaw(`
INSERT INTO auth_throttle AS t (key, failures, window_start) VALUES (?, 1, ?)
ON CONFLICT (key) DO UPDATE SET
  failures = CASE WHEN t.window_start <= ?::timestamptz - make_interval(secs => ?) THEN 1 ELSE t.failures + 1 END,
  window_start = CASE WHEN t.window_start <= ?::timestamptz - make_interval(secs => ?) THEN ? ELSE t.window_start END
RETURNING failures, locked_until`, key, now, now, window.Seconds(), now, window.Seconds(), now).Exec(ctx, &row)
	if err != nil {
		return time.Time{}, false, err
	}
	if row.Failures >= max {
		until := now.Add(window)
		_, err = s.db.NewRaw(`UPDATE auth_throttle SET locked_until = ? WHERE key = ?`, until, key).Exec(ctx)
		return until, true, err
	}
	return time.Time{}, false, nil
}

// ClearFailures resets a key after a successful login.
func (s *Store) ClearFailures(ctx context.Context, key string) error {
	_, err := s.db.NewRaw(`DELETE FROM auth_throttle WHERE key = ?`, key).Exec(ctx)
	return err
}

// CreateResetToken stores a password-reset token hash.
func (s *Store) CreateResetToken(ctx context.Context, t *PasswordResetToken) error {
	_, err := s.db.NewInsert().Model(t).Exec(ctx)
	return translate(err)
}

// ConsumeResetToken marks a live token used and returns it; a token that is
// unknown, used or expired is ErrNotFound. Single use is enforced by the
// conditional UPDATE.
func (s *Store) ConsumeResetToken(ctx context.Context, hash []byte, now time.Time) (*PasswordResetToken, error) {
	t := new(PasswordResetToken)
	err := s.db.NewUpdate().Model(t).Set("used_at = ?", now).
		Where("token_hash = ? AND used_at IS NULL AND expires_at > ?", hash, now).
		Returning("*").Scan(context.WithoutCancel(ctx))
	return t, translate(err)
}

// SetPassword replaces a user's password hash.
func (s *Store) SetPassword(ctx context.Context, userID uuid.UUID, hash string, now time.Time) error {
	_, err := s.db.NewUpdate().Model((*User)(nil)).Set("password_hash = ?, password_changed_at = ?", hash, now).Where("id = ?", userID).Exec(ctx)
	return err
}

// QueueEmail stores an email in the outbox.
func (s *Store) QueueEmail(ctx context.Context, e *OutboxEmail) error {
	_, err := s.db.NewInsert().Model(e).Exec(ctx)
	return err
}

// MarkEmailSent records the outcome of an SMTP delivery.
func (s *Store) MarkEmailSent(ctx context.Context, id uuid.UUID, at *time.Time, errText string) error {
	_, err := s.db.NewUpdate().Model((*OutboxEmail)(nil)).Set("sent_at = ?, error = ?", at, errText).Where("id = ?", id).Exec(ctx)
	return err
}

// Outbox lists this org's outgoing mail, newest first.
func (o *OrgStore) Outbox(ctx context.Context, limit int) ([]OutboxEmail, error) {
	var out []OutboxEmail
	err := o.sel(&out).Order("created_at DESC").Limit(int64(limit)).Scan(ctx)
	return out, translate(err)
}

// OutboxTo lists the newest mail kept in the outbox for one address,
// whatever its org. Only the development mailbox reads it (no SMTP, a
// local install), so that a person who has just signed up can open their
// verification link before they can sign in.
func (s *Store) OutboxTo(ctx context.Context, email string, limit int) ([]OutboxEmail, error) {
	out := []OutboxEmail{}
	err := s.db.NewSelect().Model(&out).Where("to_email = ? AND transport = 'outbox'", email).
		Order("created_at DESC", "id DESC").Limit(int64(limit)).Scan(ctx)
	return out, translate(err)
}
