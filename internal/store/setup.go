package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// ---- Setup wizard and number provisioning ----

// PendingCredential is a provider credential sealed by the API and waiting
// for the setup workflow to check it. Only ciphertext is stored.
type PendingCredential struct {
	bun.BaseModel    `bun:"table:pending_credentials"`
	ID               uuid.UUID  `bun:"id,pk,type:uuid"`
	OrgID            uuid.UUID  `bun:"org_id,type:uuid"`
	AccountSID       string     `bun:"account_sid"`
	APIKeySID        string     `bun:"api_key_sid"`
	SecretCiphertext []byte     `bun:"secret_ciphertext"`
	SecretKeyID      string     `bun:"secret_key_id"`
	CreatedBy        *uuid.UUID `bun:"created_by,type:uuid"`
	CreatedAt        time.Time  `bun:"created_at,nullzero,default:now()"`
	ExpiresAt        time.Time  `bun:"expires_at"`
}

// SavePendingCredential stores a sealed credential; it also drops the
// org's expired ones.
func (o *OrgStore) SavePendingCredential(ctx context.Context, p *PendingCredential) error {
	if p.ID == uuid.Nil {
		p.ID = NewID()
	}
	p.OrgID = o.orgID
	if _, err := o.del((*PendingCredential)(nil)).Where("expires_at < now()").Exec(ctx); err != nil {
		return translate(err)
	}
	q, err := o.ins(ctx, p, p.OrgID)
	if err != nil {
		return err
	}
	_, err = q.Exec(ctx)
	return translate(err)
}

// PendingCredential loads an unexpired pending credential.
func (o *OrgStore) PendingCredential(ctx context.Context, id uuid.UUID, now time.Time) (*PendingCredential, error) {
	p := new(PendingCredential)
	err := o.sel(p).Where("id = ?", id).Where("expires_at > ?", now).Scan(ctx)
	return p, translate(err)
}

// DeletePendingCredential forgets a pending credential (no error if gone).
func (o *OrgStore) DeletePendingCredential(ctx context.Context, id uuid.UUID) error {
	_, err := o.del((*PendingCredential)(nil)).Where("id = ?", id).Exec(ctx)
	return translate(err)
}

// PromotePendingCredential makes a checked pending credential the org's
// provider account and deletes the pending row, in one transaction.
func (o *OrgStore) PromotePendingCredential(ctx context.Context, p *PendingCredential, friendlyName string) error {
	return o.Tx(ctx, func(ctx context.Context, tx *OrgStore) error {
		if err := tx.SaveProviderAccount(ctx, &ProviderAccount{
			AccountSID: p.AccountSID, APIKeySID: p.APIKeySID, SecretCiphertext: p.SecretCiphertext,
			SecretKeyID: p.SecretKeyID, FriendlyName: clipText(friendlyName, 200),
		}); err != nil {
			return err
		}
		return tx.DeletePendingCredential(ctx, p.ID)
	})
}

// SaveSetupProgress mirrors the setup workflow's state. Only a newer
// version replaces what is stored, so out-of-order writes cannot roll the
// dashboard back.
func (o *OrgStore) SaveSetupProgress(ctx context.Context, currentStep string, version int64, state json.RawMessage, diagnostics bool, completedAt *time.Time) error {
	p := &SetupProgress{OrgID: o.orgID, CurrentStep: currentStep, Steps: state, Diagnostics: diagnostics, CompletedAt: completedAt, UpdatedAt: time.Now()}
	q, err := o.ins(ctx, p, p.OrgID)
	if err != nil {
		return err
	}
	_, err = q.On("CONFLICT (org_id) DO UPDATE").
		Set("current_step = EXCLUDED.current_step, steps = EXCLUDED.steps, diagnostics = EXCLUDED.diagnostics, completed_at = EXCLUDED.completed_at, updated_at = EXCLUDED.updated_at").
		Where("COALESCE((setup_progress.steps->>'version')::bigint, -1) < ?", version).
		Exec(ctx)
	return translate(err)
}

// SetupProgress returns the mirrored wizard state.
func (o *OrgStore) SetupProgress(ctx context.Context) (*SetupProgress, error) {
	p := new(SetupProgress)
	err := o.sel(p).Scan(ctx)
	return p, translate(err)
}

// ActiveSitter loads an active sitter of this org.
func (o *OrgStore) ActiveSitter(ctx context.Context, id uuid.UUID) (*Sitter, error) {
	s := new(Sitter)
	err := o.sel(s).Where("id = ?", id).Where("active").Scan(ctx)
	return s, translate(err)
}

// LiveNumberByE164 returns this org's number with that E.164 that has not
// been released.
func (o *OrgStore) LiveNumberByE164(ctx context.Context, e164 string) (*PhoneNumber, error) {
	n := new(PhoneNumber)
	err := o.sel(n).Where("e164 = ?", e164).Where("status <> ?", NumberReleased).Scan(ctx)
	return n, translate(err)
}

// ActiveFrontDesk returns the org's active front desk number.
func (o *OrgStore) ActiveFrontDesk(ctx context.Context) (*PhoneNumber, error) {
	n := new(PhoneNumber)
	err := o.sel(n).Where("class = ?", ClassFrontDesk).Where("status = ?", NumberActive).Scan(ctx)
	return n, translate(err)
}

// ActiveNumbers lists the org's active numbers, front desk first.
func (o *OrgStore) ActiveNumbers(ctx context.Context) ([]PhoneNumber, error) {
	var out []PhoneNumber
	err := o.sel(&out).Where("status = ?", NumberActive).
		OrderExpr("CASE class WHEN 'front_desk' THEN 0 WHEN 'sitter' THEN 1 ELSE 2 END, e164").Scan(ctx)
	return out, translate(err)
}

// NumberLiveInOtherOrg reports whether another org holds e164 (not
// released). It reveals nothing but the yes/no.
func (s *Store) NumberLiveInOtherOrg(ctx context.Context, e164 string, orgID uuid.UUID) (bool, error) {
	n, err := s.db.NewSelect().Model((*PhoneNumber)(nil)).
		Where("e164 = ?", e164).Where("org_id <> ?", orgID).Where("status <> ?", NumberReleased).Count(ctx)
	return n > 0, translate(err)
}

// ProvisionedNumber is what number provisioning records.
type ProvisionedNumber struct {
	E164         string
	ProviderSID  string
	Class        string
	SitterID     *uuid.UUID
	FriendlyName string
	MonthlyCost  string // empty keeps the stored cost
}

// ErrFrontDeskTaken means the org already has another active front desk
// number.
var ErrFrontDeskTaken = errors.New("the organisation already has an active front desk number")

// UpsertProvisionedNumber records a bought or imported number: the org's
// live row for that E.164 is updated (class, sitter, SID, cost; status
// active, webhook pending), or a new row is inserted. created says which.
func (o *OrgStore) UpsertProvisionedNumber(ctx context.Context, p ProvisionedNumber) (n *PhoneNumber, created bool, err error) {
	err = o.Tx(ctx, func(ctx context.Context, tx *OrgStore) error {
		cur := new(PhoneNumber)
		err := tx.sel(cur).Where("e164 = ?", p.E164).Where("status <> ?", NumberReleased).For("UPDATE").Scan(ctx)
		switch {
		case err == nil:
			q := tx.upd((*PhoneNumber)(nil)).
				Set("class = ?, sitter_id = ?, provider_sid = ?, status = ?", p.Class, p.SitterID, p.ProviderSID, NumberActive).
				Set("webhook_status = CASE WHEN provider_sid = ? THEN webhook_status ELSE 'pending' END", p.ProviderSID).
				Where("id = ?", cur.ID)
			if p.MonthlyCost != "" {
				q = q.Set("monthly_cost = ?", p.MonthlyCost)
			}
			if p.FriendlyName != "" {
				q = q.Set("friendly_name = ?", clipText(p.FriendlyName, 200))
			}
			if _, err := q.Exec(ctx); err != nil {
				return frontDeskConflict(err)
			}
			n, err = tx.Number(ctx, cur.ID)
			return err
		case !errors.Is(translate(err), ErrNotFound):
			return translate(err)
		}
		row := &PhoneNumber{
			ID: NewID(), OrgID: tx.orgID, E164: p.E164, ProviderSID: p.ProviderSID, Class: p.Class, Status: NumberActive,
			SitterID: p.SitterID, FriendlyName: clipText(p.FriendlyName, 200), WebhookStatus: "pending", MonthlyCost: p.MonthlyCost,
		}
		q, err := tx.ins(ctx, row, row.OrgID)
		if err != nil {
			return err
		}
		if _, err := q.Exec(ctx); err != nil {
			return frontDeskConflict(err)
		}
		n, created = row, true
		return nil
	})
	return n, created, err
}

func frontDeskConflict(err error) error {
	if IsUniqueViolation(err, "phone_numbers_one_front_desk_idx") {
		return ErrFrontDeskTaken
	}
	return translate(err)
}

// SetNumberWebhook records the outcome of installing a number's webhook;
// a non-empty providerSID is stored too.
func (o *OrgStore) SetNumberWebhook(ctx context.Context, id uuid.UUID, status, errText, providerSID string, at time.Time) error {
	q := o.upd((*PhoneNumber)(nil)).
		Set("webhook_status = ?, webhook_error = ?, webhook_checked_at = ?", status, clipText(errText, 500), at).
		Where("id = ?", id)
	if providerSID != "" {
		q = q.Set("provider_sid = ?", providerSID)
	}
	res, err := q.Exec(ctx)
	if err != nil {
		return translate(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// MarkNumberReleased records that a number went back to the provider.
func (o *OrgStore) MarkNumberReleased(ctx context.Context, id uuid.UUID, at time.Time) error {
	_, err := o.upd((*PhoneNumber)(nil)).
		Set("status = ?, released_at = COALESCE(released_at, ?)", NumberReleased, at).
		Where("id = ?", id).Exec(ctx)
	return translate(err)
}

// AddNumberEventOnce appends a number event unless the same kind and detail
// is already recorded for the number (activities retry).
func (o *OrgStore) AddNumberEventOnce(ctx context.Context, numberID uuid.UUID, kind, detail, actorID string) error {
	_, err := o.db.NewRaw(`INSERT INTO number_events (org_id, number_id, kind, detail, actor_id)
		SELECT ?, ?, ?, ?, ?
		WHERE NOT EXISTS (SELECT 1 FROM number_events WHERE org_id = ? AND number_id = ? AND kind = ? AND detail = ?)`,
		o.orgID, numberID, kind, detail, actorID, o.orgID, numberID, kind, detail).Exec(ctx)
	return translate(err)
}

func clipText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
