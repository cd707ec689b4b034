package store

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// ListAllNumbers returns every number of the org, front desk first.
func (o *OrgStore) ListAllNumbers(ctx context.Context) ([]PhoneNumber, error) {
	var out []PhoneNumber
	err := o.sel(&out).OrderExpr("CASE class WHEN 'front_desk' THEN 0 WHEN 'sitter' THEN 1 ELSE 2 END, e164").Scan(ctx)
	return out, translate(err)
}

// Number loads one number.
func (o *OrgStore) Number(ctx context.Context, id uuid.UUID) (*PhoneNumber, error) {
	n := new(PhoneNumber)
	err := o.sel(n).Where("id = ?", id).Scan(ctx)
	return n, translate(err)
}

// MarkWebhookInstalled records that the provider now sends this number's
// texts to us.
func (o *OrgStore) MarkWebhookInstalled(ctx context.Context, id uuid.UUID, providerSID string) error {
	_, err := o.upd((*PhoneNumber)(nil)).
		Set("provider_sid = ?, webhook_status = 'installed', webhook_error = '', webhook_checked_at = ?", providerSID, time.Now()).
		Where("id = ?", id).Exec(ctx)
	return translate(err)
}
