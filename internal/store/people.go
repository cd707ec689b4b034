package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// ---- Sign-up, invitations and the team ----

// Signup is a new business waiting for its owner's email to be verified.
type Signup struct {
	bun.BaseModel `bun:"table:signups"`
	ID            uuid.UUID  `bun:"id,pk,type:uuid"`
	OrgID         uuid.UUID  `bun:"org_id,type:uuid"`
	UserID        uuid.UUID  `bun:"user_id,type:uuid"`
	Email         string     `bun:"email"`
	TokenHash     []byte     `bun:"token_hash"`
	ExpiresAt     time.Time  `bun:"expires_at"`
	VerifiedAt    *time.Time `bun:"verified_at"`
	IP            string     `bun:"ip"`
	CreatedAt     time.Time  `bun:"created_at,nullzero,default:now()"`
}

// NewBusiness is what a sign-up (or `snout org create`) stores at once.
type NewBusiness struct {
	Org    *Org
	Owner  *User
	Signup *Signup // nil: no verification step (the operator command)
}

// CreateBusiness stores an org, its owner (membership included) and, when
// given, the sign-up waiting for verification, in one transaction. A taken
// email or slug, or a sign-up already in flight, is ErrConflict.
func (s *Store) CreateBusiness(ctx context.Context, b NewBusiness) error {
	return s.Tx(ctx, func(ctx context.Context, tx *Store) error {
		if _, err := tx.db.NewInsert().Model(b.Org).Exec(ctx); err != nil {
			return translate(err)
		}
		if _, err := tx.db.NewInsert().Model(b.Owner).Exec(ctx); err != nil {
			return translate(err)
		}
		m := &Membership{OrgID: b.Org.ID, UserID: b.Owner.ID, Role: RoleOwner}
		if _, err := tx.db.NewInsert().Model(m).Exec(ctx); err != nil {
			return translate(err)
		}
		if b.Signup != nil {
			if _, err := tx.db.NewInsert().Model(b.Signup).Exec(ctx); err != nil {
				return translate(err)
			}
		}
		return nil
	})
}

// SignupInFlight returns the unverified sign-up of an email (expired or
// not); ErrNotFound when there is none.
func (s *Store) SignupInFlight(ctx context.Context, email string) (*Signup, error) {
	su := new(Signup)
	err := s.db.NewSelect().Model(su).Where("email = ? AND verified_at IS NULL", email).Scan(ctx)
	return su, translate(err)
}

// PendingSignupOfUser returns the user's unverified sign-up, if any.
func (s *Store) PendingSignupOfUser(ctx context.Context, userID uuid.UUID) (*Signup, error) {
	su := new(Signup)
	err := s.db.NewSelect().Model(su).Where("user_id = ? AND verified_at IS NULL", userID).Scan(ctx)
	return su, translate(err)
}

// RenewSignup gives an unverified sign-up a new token and expiry and, when
// org and owner are given, their new details (a sign-up started again
// after its link expired).
func (s *Store) RenewSignup(ctx context.Context, id uuid.UUID, hash []byte, expires time.Time, org *Org, owner *User) error {
	return s.Tx(ctx, func(ctx context.Context, tx *Store) error {
		su := new(Signup)
		err := tx.db.NewUpdate().Model(su).Set("token_hash = ?, expires_at = ?", hash, expires).
			Where("id = ? AND verified_at IS NULL", id).Returning("*").Scan(ctx)
		if err != nil {
			return translate(err)
		}
		if org != nil {
			if _, err := tx.db.NewUpdate().Model((*Org)(nil)).Set("name = ?, timezone = ?", org.Name, org.Timezone).Where("id = ?", su.OrgID).Exec(ctx); err != nil {
				return translate(err)
			}
		}
		if owner != nil {
			if _, err := tx.db.NewUpdate().Model((*User)(nil)).Set("name = ?, password_hash = ?", owner.Name, owner.PasswordHash).Where("id = ?", su.UserID).Exec(ctx); err != nil {
				return translate(err)
			}
		}
		return nil
	})
}

// VerifySignup uses a sign-up token once: the sign-up is verified and its
// owner enabled. An unknown, used or expired token is ErrNotFound.
func (s *Store) VerifySignup(ctx context.Context, hash []byte, now time.Time) (*Signup, error) {
	su := new(Signup)
	err := s.Tx(ctx, func(ctx context.Context, tx *Store) error {
		err := tx.db.NewUpdate().Model(su).Set("verified_at = ?", now).
			Where("token_hash = ? AND verified_at IS NULL AND expires_at > ?", hash, now).Returning("*").Scan(ctx)
		if err != nil {
			return translate(err)
		}
		_, err = tx.db.NewUpdate().Model((*User)(nil)).Set("disabled_at = NULL").Where("id = ?", su.UserID).Exec(ctx)
		return translate(err)
	})
	return su, err
}

// CreateUser stores a new user (a taken email is ErrConflict).
func (s *Store) CreateUser(ctx context.Context, u *User) error {
	_, err := s.db.NewInsert().Model(u).Exec(ctx)
	return translate(err)
}

// Invitation is an invitation to join an org.
type Invitation struct {
	bun.BaseModel  `bun:"table:invitations"`
	ID             uuid.UUID  `bun:"id,pk,type:uuid"`
	OrgID          uuid.UUID  `bun:"org_id,type:uuid"`
	Email          string     `bun:"email"`
	Name           string     `bun:"name"`
	Role           string     `bun:"role"`
	SitterID       *uuid.UUID `bun:"sitter_id,type:uuid"`
	TokenHash      []byte     `bun:"token_hash"`
	ExpiresAt      time.Time  `bun:"expires_at"`
	InvitedBy      *uuid.UUID `bun:"invited_by,type:uuid"`
	SentCount      int        `bun:"sent_count,nullzero,notnull,default:1"`
	LastSentAt     time.Time  `bun:"last_sent_at,nullzero,notnull,default:now()"`
	AcceptedAt     *time.Time `bun:"accepted_at"`
	AcceptedUserID *uuid.UUID `bun:"accepted_user_id,type:uuid"`
	RevokedAt      *time.Time `bun:"revoked_at"`
	CreatedAt      time.Time  `bun:"created_at,nullzero,default:now()"`
}

// InvitationByToken finds the invitation a token belongs to, whatever its
// state (the caller tells expired, revoked and used apart); ErrNotFound
// for an unknown token. Tokens are global, like reset tokens: the
// invitation then names its org.
func (s *Store) InvitationByToken(ctx context.Context, hash []byte) (*Invitation, error) {
	inv := new(Invitation)
	err := s.db.NewSelect().Model(inv).Where("token_hash = ?", hash).Scan(ctx)
	return inv, translate(err)
}

// CreateInvitation stores an invitation; an open one for the same email is
// ErrConflict, an unknown sitter ErrNotFound.
func (o *OrgStore) CreateInvitation(ctx context.Context, inv *Invitation) error {
	if inv.ID == uuid.Nil {
		inv.ID = NewID()
	}
	q, err := o.ins(ctx, inv, inv.OrgID)
	if err != nil {
		return err
	}
	_, err = q.Exec(ctx)
	return translate(err)
}

// Invitation loads one invitation.
func (o *OrgStore) Invitation(ctx context.Context, id uuid.UUID) (*Invitation, error) {
	inv := new(Invitation)
	err := o.sel(inv).Where("id = ?", id).Scan(ctx)
	return inv, translate(err)
}

// Invitations lists the org's invitations, newest first; openOnly keeps
// those neither accepted nor revoked.
func (o *OrgStore) Invitations(ctx context.Context, openOnly bool, limit int) ([]Invitation, error) {
	out := []Invitation{}
	q := o.sel(&out).Order("created_at DESC", "id DESC").Limit(int64(limit))
	if openOnly {
		q.Where("accepted_at IS NULL AND revoked_at IS NULL")
	}
	err := q.Scan(ctx)
	return out, translate(err)
}

// ResendInvitation replaces an open invitation's token and expiry (the old
// link stops working). A closed or unknown invitation is ErrNotFound.
func (o *OrgStore) ResendInvitation(ctx context.Context, id uuid.UUID, hash []byte, expires, now time.Time) (*Invitation, error) {
	inv := new(Invitation)
	err := o.upd(inv).Set("token_hash = ?, expires_at = ?, sent_count = sent_count + 1, last_sent_at = ?", hash, expires, now).
		Where("id = ? AND accepted_at IS NULL AND revoked_at IS NULL", id).Returning("*").Scan(ctx)
	return inv, translate(err)
}

// RevokeInvitation closes an open invitation. A closed or unknown one is
// ErrNotFound.
func (o *OrgStore) RevokeInvitation(ctx context.Context, id uuid.UUID, now time.Time) (*Invitation, error) {
	inv := new(Invitation)
	err := o.upd(inv).Set("revoked_at = ?", now).
		Where("id = ? AND accepted_at IS NULL AND revoked_at IS NULL", id).Returning("*").Scan(ctx)
	return inv, translate(err)
}

// AcceptInvitation uses an open, unexpired invitation once: it is marked
// accepted by the user, who becomes a member with its role; a sitter
// invitation links the user to its sitter record (the one named, or a new
// one called name). ErrNotFound when the invitation is no longer open.
func (o *OrgStore) AcceptInvitation(ctx context.Context, id, userID uuid.UUID, name string, now time.Time) (*Invitation, error) {
	inv := new(Invitation)
	err := o.Tx(ctx, func(ctx context.Context, tx *OrgStore) error {
		err := tx.upd(inv).Set("accepted_at = ?, accepted_user_id = ?", now, userID).
			Where("id = ? AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?", id, now).Returning("*").Scan(ctx)
		if err != nil {
			return translate(err)
		}
		m := &Membership{OrgID: tx.orgID, UserID: userID, Role: inv.Role, CreatedAt: now}
		q, err := tx.ins(ctx, m, m.OrgID)
		if err != nil {
			return err
		}
		if _, err := q.On("CONFLICT (org_id, user_id) DO UPDATE").Set("role = EXCLUDED.role, deactivated_at = NULL").Exec(ctx); err != nil {
			return translate(err)
		}
		if inv.Role != RoleSitter {
			return nil
		}
		if inv.SitterID != nil {
			res, err := tx.upd((*Sitter)(nil)).Set("user_id = ?, active = true", userID).Where("id = ? AND user_id IS NULL", *inv.SitterID).Exec(ctx)
			if err != nil {
				return translate(err)
			}
			if n, _ := res.RowsAffected(); n == 1 {
				return nil
			}
			return ErrConflict // the sitter record has a login already
		}
		st := &Sitter{ID: NewID(), OrgID: tx.orgID, UserID: &userID, Name: clipText(name, 200), Active: true}
		q, err = tx.ins(ctx, st, st.OrgID)
		if err != nil {
			return err
		}
		_, err = q.On("CONFLICT (org_id, user_id) DO UPDATE").Set("active = true").Exec(ctx)
		return translate(err)
	})
	return inv, err
}

// Member is a person of the org with their role and, for a sitter, their
// sitter record.
type Member struct {
	Membership `bun:",extend"`

	Email      string     `bun:"email,scanonly"`
	Name       string     `bun:"name,scanonly"`
	DisabledAt *time.Time `bun:"user_disabled_at,scanonly"`
	SitterID   *uuid.UUID `bun:"sitter_id,scanonly"`
}

func (o *OrgStore) memberSelect(rows any) *bun.SelectQuery {
	return o.sel(rows).ColumnExpr("?TableColumns").
		ColumnExpr("u.email, u.name, u.disabled_at AS user_disabled_at, s.id AS sitter_id").
		Join("JOIN users AS u ON u.id = ?TableAlias.user_id").
		Join("LEFT JOIN sitters AS s ON s.org_id = ?TableAlias.org_id AND s.user_id = ?TableAlias.user_id")
}

// Members lists the org's members by name, deactivated ones included.
func (o *OrgStore) Members(ctx context.Context) ([]Member, error) {
	out := []Member{}
	err := o.memberSelect(&out).OrderExpr("u.name, ?TableAlias.user_id").Scan(ctx)
	return out, translate(err)
}

// Member loads one member (deactivated or not).
func (o *OrgStore) Member(ctx context.Context, userID uuid.UUID) (*Member, error) {
	m := new(Member)
	err := o.memberSelect(m).Where("?TableAlias.user_id = ?", userID).Scan(ctx)
	return m, translate(err)
}

// CountActiveOwners counts the org's owners who can sign in.
func (o *OrgStore) CountActiveOwners(ctx context.Context) (int, error) {
	n, err := o.sel((*Membership)(nil)).Where("role = ? AND deactivated_at IS NULL", RoleOwner).Count(ctx)
	return int(n), translate(err)
}

// SetMemberRole changes a member's role.
func (o *OrgStore) SetMemberRole(ctx context.Context, userID uuid.UUID, role string) error {
	res, err := o.upd((*Membership)(nil)).Set("role = ?", role).Where("user_id = ?", userID).Exec(ctx)
	if err != nil {
		return translate(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// DeactivateMember ends a member's access to the org: the membership is
// deactivated, their sitter record (if any) made inactive and every
// session they hold in this org revoked, in one transaction. It returns
// how many sessions were revoked.
func (o *OrgStore) DeactivateMember(ctx context.Context, userID uuid.UUID, now time.Time) (revoked int, err error) {
	err = o.Tx(ctx, func(ctx context.Context, tx *OrgStore) error {
		res, err := tx.upd((*Membership)(nil)).Set("deactivated_at = ?", now).Where("user_id = ? AND deactivated_at IS NULL", userID).Exec(ctx)
		if err != nil {
			return translate(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		if _, err := tx.upd((*Sitter)(nil)).Set("active = false").Where("user_id = ?", userID).Exec(ctx); err != nil {
			return translate(err)
		}
		res, err = tx.upd((*Session)(nil)).Set("revoked_at = ?", now).Where("user_id = ? AND revoked_at IS NULL", userID).Exec(ctx)
		if err != nil {
			return translate(err)
		}
		n, _ := res.RowsAffected()
		revoked = int(n)
		return nil
	})
	return revoked, err
}

// ReactivateMember gives a deactivated member their access back (their
// sitter record becomes active again).
func (o *OrgStore) ReactivateMember(ctx context.Context, userID uuid.UUID) error {
	return o.Tx(ctx, func(ctx context.Context, tx *OrgStore) error {
		res, err := tx.upd((*Membership)(nil)).Set("deactivated_at = NULL").Where("user_id = ? AND deactivated_at IS NOT NULL", userID).Exec(ctx)
		if err != nil {
			return translate(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		_, err = tx.upd((*Sitter)(nil)).Set("active = true").Where("user_id = ?", userID).Exec(ctx)
		return translate(err)
	})
}

// SitterWindowsAhead lists the sitter's windows that have not ended and
// are not cancelled, earliest first, with names.
func (o *OrgStore) SitterWindowsAhead(ctx context.Context, sitterID uuid.UUID, now time.Time) ([]WindowRow, error) {
	out := []WindowRow{}
	err := o.windowSelect(&out).Where("?TableAlias.sitter_id = ?", sitterID).
		Where("?TableAlias.status <> ? AND ?TableAlias.ends_at > ?", WindowCancelled, now).
		OrderExpr("?TableAlias.starts_at, ?TableAlias.id").Limit(200).Scan(ctx)
	return out, translate(err)
}

// ---- Sitters ----

// SitterRosterRow is a sitter with their own number and their workload.
type SitterRosterRow struct {
	Sitter `bun:",extend"`

	NumberID      *uuid.UUID `bun:"number_id,scanonly"`
	NumberE164    *string    `bun:"number_e164,scanonly"`
	NumberName    *string    `bun:"number_name,scanonly"`
	NumberStatus  *string    `bun:"number_status,scanonly"`
	Email         *string    `bun:"email,scanonly"`
	ActiveWindows int        `bun:"active_windows,scanonly"`
	Threads       int        `bun:"threads,scanonly"`
	UnreadThreads int        `bun:"unread_threads,scanonly"`
}

func (o *OrgStore) rosterSelect(rows any, now time.Time) *bun.SelectQuery {
	return o.sel(rows).ColumnExpr("?TableColumns").
		ColumnExpr("n.id AS number_id, n.e164 AS number_e164, n.friendly_name AS number_name, n.status AS number_status, u.email").
		ColumnExpr(`(SELECT count(*) FROM assignment_windows AS w WHERE w.org_id = ?TableAlias.org_id AND w.sitter_id = ?TableAlias.id
			AND w.status <> 'cancelled' AND w.starts_at <= ? AND w.ends_at > ?) AS active_windows`, now, now).
		ColumnExpr(`(SELECT count(*) FROM threads AS t LEFT JOIN phone_numbers AS tn ON tn.org_id = t.org_id AND tn.id = t.number_id
			WHERE t.org_id = ?TableAlias.org_id AND (t.assigned_sitter_id = ?TableAlias.id OR tn.sitter_id = ?TableAlias.id)) AS threads`).
		ColumnExpr(`(SELECT count(*) FROM threads AS t LEFT JOIN phone_numbers AS tn ON tn.org_id = t.org_id AND tn.id = t.number_id
			WHERE t.org_id = ?TableAlias.org_id AND (t.assigned_sitter_id = ?TableAlias.id OR tn.sitter_id = ?TableAlias.id)
			AND t.sitter_unread_count > 0) AS unread_threads`).
		Join(`LEFT JOIN LATERAL (SELECT pn.id, pn.e164, pn.friendly_name, pn.status FROM phone_numbers AS pn
			WHERE pn.org_id = ?TableAlias.org_id AND pn.sitter_id = ?TableAlias.id AND pn.class = 'sitter' AND pn.status <> 'released'
			ORDER BY pn.created_at DESC LIMIT 1) AS n ON true`).
		Join("LEFT JOIN users AS u ON u.id = ?TableAlias.user_id")
}

// SitterRoster lists the org's sitters by name with their number, active
// windows and thread counts.
func (o *OrgStore) SitterRoster(ctx context.Context, now time.Time) ([]SitterRosterRow, error) {
	out := []SitterRosterRow{}
	err := o.rosterSelect(&out, now).OrderExpr("?TableAlias.name, ?TableAlias.id").Scan(ctx)
	return out, translate(err)
}

// SitterRosterEntry loads one sitter of the roster.
func (o *OrgStore) SitterRosterEntry(ctx context.Context, id uuid.UUID, now time.Time) (*SitterRosterRow, error) {
	row := new(SitterRosterRow)
	err := o.rosterSelect(row, now).Where("?TableAlias.id = ?", id).Scan(ctx)
	return row, translate(err)
}

// CreateSitter stores a sitter record (without a login).
func (o *OrgStore) CreateSitter(ctx context.Context, st *Sitter) error {
	if st.ID == uuid.Nil {
		st.ID = NewID()
	}
	st.OrgID = o.orgID
	q, err := o.ins(ctx, st, st.OrgID)
	if err != nil {
		return err
	}
	_, err = q.Exec(ctx)
	return translate(err)
}

// UpdateSitterProfile changes a sitter's name, display name and phone.
func (o *OrgStore) UpdateSitterProfile(ctx context.Context, id uuid.UUID, name, displayName, phoneE164 string) error {
	res, err := o.upd((*Sitter)(nil)).Set("name = ?, display_name = ?, phone_e164 = ?", name, displayName, phoneE164).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return translate(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}
