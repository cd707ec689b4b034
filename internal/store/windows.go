package store

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// SitterByUserID finds the sitter record of a signed-in sitter.
func (o *OrgStore) SitterByUserID(ctx context.Context, userID uuid.UUID) (*Sitter, error) {
	s := new(Sitter)
	err := o.sel(s).Where("user_id = ?", userID).Scan(ctx)
	return s, translate(err)
}

// Sitter loads one sitter.
func (o *OrgStore) Sitter(ctx context.Context, id uuid.UUID) (*Sitter, error) {
	s := new(Sitter)
	err := o.sel(s).Where("id = ?", id).Scan(ctx)
	return s, translate(err)
}

// Sitters lists the org's sitters by name.
func (o *OrgStore) Sitters(ctx context.Context) ([]Sitter, error) {
	var out []Sitter
	err := o.sel(&out).Order("name", "id").Scan(ctx)
	return out, translate(err)
}

// ClientWindows returns the client's non-cancelled windows overlapping
// [from, to), earliest first.
func (o *OrgStore) ClientWindows(ctx context.Context, clientID uuid.UUID, from, to time.Time) ([]AssignmentWindow, error) {
	var out []AssignmentWindow
	err := o.sel(&out).Where("client_id = ?", clientID).Where("status <> 'cancelled'").
		Where("starts_at < ? AND ends_at > ?", to, from).Order("starts_at", "id").Scan(ctx)
	return out, translate(err)
}

// ActiveWindow returns the window in force now between a sitter and a
// client. Start is inclusive, end exclusive.
func (o *OrgStore) ActiveWindow(ctx context.Context, sitterID, clientID uuid.UUID, now time.Time) (*AssignmentWindow, error) {
	w := new(AssignmentWindow)
	err := o.sel(w).Where("sitter_id = ? AND client_id = ?", sitterID, clientID).Where("status <> 'cancelled'").
		Where("starts_at <= ? AND ends_at > ?", now, now).Order("starts_at DESC").Limit(1).Scan(ctx)
	return w, translate(err)
}

// Window loads one window.
func (o *OrgStore) Window(ctx context.Context, id uuid.UUID) (*AssignmentWindow, error) {
	w := new(AssignmentWindow)
	err := o.sel(w).Where("id = ?", id).Scan(ctx)
	return w, translate(err)
}

// CreateWindow stores a window; an overlap with another window of the same
// client is ErrConflict (exclusion constraint), an unknown sitter or client
// ErrNotFound.
func (o *OrgStore) CreateWindow(ctx context.Context, w *AssignmentWindow) error {
	q, err := o.ins(ctx, w, w.OrgID)
	if err != nil {
		return err
	}
	_, err = q.Exec(ctx)
	return translate(err)
}

// SetWindowStatus moves a window to a status.
func (o *OrgStore) SetWindowStatus(ctx context.Context, id uuid.UUID, status string) error {
	res, err := o.upd((*AssignmentWindow)(nil)).Set("status = ?", status).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return translate(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// ListWindows lists windows overlapping [from, to), optionally for one sitter.
func (o *OrgStore) ListWindows(ctx context.Context, sitterID *uuid.UUID, from, to time.Time, limit int) ([]AssignmentWindow, error) {
	var out []AssignmentWindow
	q := o.sel(&out).Where("starts_at < ? AND ends_at > ?", to, from).Order("starts_at", "id").Limit(int64(limit))
	if sitterID != nil {
		q = q.Where("sitter_id = ?", *sitterID)
	}
	err := q.Scan(ctx)
	return out, translate(err)
}

// SitterThread returns a thread the sitter may see and write in right now:
// the sitter has an active window with the thread's client, and the thread is
// on the sitter's own number or currently routed to the sitter. Anything else,
// including another org's thread, is ErrNotFound.
func (o *OrgStore) SitterThread(ctx context.Context, sitterID, threadID uuid.UUID, now time.Time) (*Thread, *AssignmentWindow, error) {
	t := new(Thread)
	err := o.sel(t).Where("?TableAlias.id = ?", threadID).
		Where(`(EXISTS (SELECT 1 FROM phone_numbers n WHERE n.org_id = ?TableAlias.org_id AND n.id = ?TableAlias.number_id AND n.sitter_id = ?)
		        OR ?TableAlias.assigned_sitter_id = ?)`, sitterID, sitterID).
		Scan(ctx)
	if err != nil {
		return nil, nil, translate(err)
	}
	w, err := o.ActiveWindow(ctx, sitterID, t.ClientID, now)
	if err != nil {
		return nil, nil, err
	}
	return t, w, nil
}
