package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// Attempts whose outcome Snout does not know. A send can reach the
// provider and be accepted while its answer never reaches Snout (the
// connection dropped, the worker died before recording the SID). Such an
// attempt has no provider SID and no error code from the provider (codes
// 20500 and 20503, the provider's own failures, are not proof either). The
// delivery asks the provider about these before sending again.

// inDoubtCodes are provider error codes that do not prove the provider
// refused the text.
var inDoubtCodes = []int{20500, 20503}

// UnconfirmedAttempts returns the message's latest attempts whose outcome
// is unknown, oldest first: those after the last attempt the provider
// answered (with a SID, or a refusal). Empty when the latest attempt was
// answered.
func (o *OrgStore) UnconfirmedAttempts(ctx context.Context, messageID uuid.UUID) ([]MessageAttempt, error) {
	var out []MessageAttempt
	err := o.sel(&out).Where("message_id = ?", messageID).
		Where(`attempt > COALESCE((SELECT max(a.attempt) FROM message_attempts a
		 WHERE a.org_id = ?TableAlias.org_id AND a.message_id = ?TableAlias.message_id
		   AND (a.provider_sid IS NOT NULL OR (a.error_code IS NOT NULL AND a.error_code NOT IN (?)))), 0)`, bun.In(inDoubtCodes)).
		Order("attempt").Scan(ctx)
	return out, translate(err)
}

// KnownProviderSIDs reports which of sids already belong to an attempt of
// this org: a message the provider lists under one of them is not a lost
// send.
func (o *OrgStore) KnownProviderSIDs(ctx context.Context, sids []string) (map[string]bool, error) {
	known := map[string]bool{}
	if len(sids) == 0 {
		return known, nil
	}
	var found []string
	if err := o.sel((*MessageAttempt)(nil)).Column("provider_sid").Where("provider_sid IN (?)", bun.In(sids)).Scan(ctx, &found); err != nil {
		return nil, translate(err)
	}
	for _, s := range found {
		known[s] = true
	}
	return known, nil
}

// AdoptAttempt records that attempt n, whose answer was lost, did reach the
// provider as the message sid: the attempt and (while n is its current
// attempt) the message take the SID and the provider's status, and lose
// the failure recorded when the answer did not come.
func (o *OrgStore) AdoptAttempt(ctx context.Context, messageID uuid.UUID, n int, sid, status string, errorCode int, reason string, now time.Time) error {
	var code *int
	if errorCode != 0 {
		code = &errorCode
	}
	var finished *time.Time
	if status == StatusDelivered || status == StatusUndelivered || status == StatusFailed {
		finished = &now
	}
	return o.Tx(ctx, func(ctx context.Context, tx *OrgStore) error {
		res, err := tx.upd((*MessageAttempt)(nil)).
			Set("provider_sid = ?, status = ?, error_code = ?, error_message = ?, finished_at = ?", sid, status, code, reason, finished).
			Where("message_id = ? AND attempt = ? AND provider_sid IS NULL", messageID, n).Exec(ctx)
		if err != nil {
			return translate(err)
		}
		if rows, _ := res.RowsAffected(); rows == 0 {
			return ErrNotFound
		}
		_, err = tx.upd((*Message)(nil)).
			Set("provider_sid = ?, status = ?, error_code = ?, error_message = ?, updated_at = ?", sid, status, code, reason, now).
			Where("id = ? AND attempts = ? AND status NOT IN ('discarded', 'blocked')", messageID, n).Exec(ctx)
		return translate(err)
	})
}
