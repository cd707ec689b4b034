package signin

import (
	"context"
	"time"

	"github.com/snoutos/snout/internal/errs"
)

// The throttle. Each counter is a key in PostgreSQL's auth_throttle table
// (shared by every API instance) that allows max failures within the
// policy's window, then locks for the rest of it. A sign-in attempt counts
// against the client address and the account; a reset request against the
// address only, and every request counts.

type counter struct {
	key string
	max int
}

// throttle is the counters one kind of attempt counts against.
type throttle struct {
	s        *Service
	counters []counter
}

func (s *Service) loginThrottle(ip, email string) throttle {
	return throttle{s, []counter{{"login-ip:" + ip, s.Policy.MaxFailuresPerIP}, {accountKey(email), s.Policy.MaxFailuresPerAccount}}}
}

func (s *Service) resetThrottle(ip string) throttle {
	return throttle{s, []counter{{"reset-ip:" + ip, s.Policy.MaxFailuresPerIP}}}
}

// accountKey is the counter of an account's failed sign-ins.
func accountKey(email string) string { return "login-account:" + email }

// locked is how long the first locked counter stays locked, 0 when none is.
func (t throttle) locked(ctx context.Context, now time.Time) (time.Duration, error) {
	for _, c := range t.counters {
		until, locked, err := t.s.Store.ThrottleStatus(ctx, c.key, now)
		if err != nil {
			return 0, err
		}
		if locked {
			return until.Sub(now), nil
		}
	}
	return 0, nil
}

// count counts one attempt against every counter and returns how long the
// longest lock it caused lasts, 0 when none.
func (t throttle) count(ctx context.Context, now time.Time) (time.Duration, error) {
	var longest time.Duration
	for _, c := range t.counters {
		until, locked, err := t.s.Store.RecordFailure(ctx, c.key, now, t.s.Policy.ThrottleWindow, c.max)
		if err != nil {
			return 0, err
		}
		if locked && until.Sub(now) > longest {
			longest = until.Sub(now)
		}
	}
	return longest, nil
}

// check refuses a sign-in while a counter is locked.
func (t throttle) check(ctx context.Context, now time.Time) error {
	wait, err := t.locked(ctx, now)
	if err != nil || wait <= 0 {
		return err
	}
	return tooManySignIns(wait)
}

// fail counts a failed sign-in; the failure that locks a counter is
// refused as too many.
func (t throttle) fail(ctx context.Context, now time.Time) error {
	wait, err := t.count(ctx, now)
	if err != nil || wait <= 0 {
		return err
	}
	return tooManySignIns(wait)
}

// succeed forgets the account's failures (the address's stay counted).
func (t throttle) succeed(ctx context.Context) error {
	return t.s.Store.ClearFailures(ctx, t.counters[len(t.counters)-1].key)
}

func tooManySignIns(wait time.Duration) error {
	return errs.TooMany("too_many_attempts", "Too many failed sign-in attempts. Wait a few minutes and try again, or reset your password.",
		max(wait.Round(time.Second), time.Second))
}
