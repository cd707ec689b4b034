package store

import (
	"context"
	"time"
)

// ProviderAccount returns this org's provider account.
func (o *OrgStore) ProviderAccount(ctx context.Context) (*ProviderAccount, error) {
	a := new(ProviderAccount)
	err := o.sel(a).Scan(ctx)
	return a, translate(err)
}

// SaveProviderAccount stores or replaces this org's provider account.
func (o *OrgStore) SaveProviderAccount(ctx context.Context, a *ProviderAccount) error {
	a.OrgID = o.orgID
	a.UpdatedAt = time.Now()
	_, err := o.db.NewInsert().Model(a).
		On("CONFLICT (org_id) DO UPDATE").
		Set("account_sid = EXCLUDED.account_sid, api_key_sid = EXCLUDED.api_key_sid, secret_ciphertext = EXCLUDED.secret_ciphertext, secret_key_id = EXCLUDED.secret_key_id, friendly_name = EXCLUDED.friendly_name, updated_at = EXCLUDED.updated_at").
		Exec(ctx)
	return translate(err)
}

// ProviderAccountBySID finds the account a webhook names. It is the one
// lookup that discovers an org rather than being given one.
func (s *Store) ProviderAccountBySID(ctx context.Context, sid string) (*ProviderAccount, error) {
	a := new(ProviderAccount)
	err := s.db.NewSelect().Model(a).Where("account_sid = ?", sid).Scan(ctx)
	return a, translate(err)
}
