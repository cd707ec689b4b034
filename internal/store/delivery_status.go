package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/snoutos/snout/contract"
)

// ProviderStatusUpdate is one status report from the provider about an
// attempt (a status callback, or a status fetched by the delivery workflow).
type ProviderStatusUpdate struct {
	ProviderSID  string
	Status       string
	ErrorCode    int
	ErrorMessage string // plain-language explanation
	At           time.Time
}

// AttemptBySID finds the attempt (and so the message) a provider SID names.
func (o *OrgStore) AttemptBySID(ctx context.Context, providerSID string) (*MessageAttempt, error) {
	a := new(MessageAttempt)
	err := o.sel(a).Where("provider_sid = ?", providerSID).Scan(ctx)
	return a, translate(err)
}

// ApplyProviderStatus moves an attempt's status forward in the order of
// contract.StatusRank, which the SQL function delivery_status_rank mirrors
// (never back: a late "sent" after "delivered" changes nothing) and, when
// the attempt is the message's latest, the message's status too. A final
// status (contract.IsFinalStatus) closes the attempt. It reports whether
// anything changed; a status for no attempt of this org is ErrNotFound.
// Idempotent.
func (o *OrgStore) ApplyProviderStatus(ctx context.Context, u ProviderStatusUpdate) (messageID uuid.UUID, changed bool, err error) {
	err = o.Tx(ctx, func(ctx context.Context, tx *OrgStore) error {
		var code *int
		if u.ErrorCode != 0 {
			code = &u.ErrorCode
		}
		var row struct {
			MessageID uuid.UUID `bun:"message_id"`
			Attempt   int       `bun:"attempt"`
		}
		// The attempt finished when it first reached a final status (a
		// read receipt after "delivered" keeps the delivery's time).
		err := tx.db.NewRaw(`
UPDATE message_attempts SET status = ?, error_code = COALESCE(?, error_code), error_message = CASE WHEN ? <> '' THEN ? ELSE error_message END,
       finished_at = CASE WHEN ? THEN COALESCE(finished_at, ?) ELSE finished_at END
WHERE org_id = ? AND provider_sid = ? AND delivery_status_rank(status) < delivery_status_rank(?)
RETURNING message_id, attempt`, u.Status, code, u.ErrorMessage, u.ErrorMessage, contract.IsFinalStatus(u.Status), u.At, tx.orgID, u.ProviderSID, u.Status).Scan(ctx, &row)
		if errors.Is(err, sql.ErrNoRows) {
			// Not a forward move (or no such attempt: ErrNotFound).
			a, err := tx.AttemptBySID(ctx, u.ProviderSID)
			if err != nil {
				return err
			}
			messageID = a.MessageID
			return nil
		}
		if err != nil {
			return translate(err)
		}
		messageID = row.MessageID
		res, err := tx.db.NewRaw(`
UPDATE messages SET status = ?, error_code = ?, error_message = ?, updated_at = ?
WHERE org_id = ? AND id = ? AND attempts = ? AND status NOT IN ('discarded', 'blocked')
  AND delivery_status_rank(status) < delivery_status_rank(?)`,
			u.Status, code, u.ErrorMessage, u.At, tx.orgID, row.MessageID, row.Attempt, u.Status).Exec(ctx)
		if err != nil {
			return translate(err)
		}
		n, _ := res.RowsAffected()
		changed = n > 0
		return nil
	})
	return messageID, changed, err
}
