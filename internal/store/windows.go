package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
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

// SitterThread returns a thread the sitter may see and write in right now,
// with the window that allows it: the sitter has an active window with the
// thread's client, and the thread is on the sitter's own number or
// currently routed to the sitter (the rule of SitterInboxThread and
// SitterThreads). Anything else, including another org's thread, is
// ErrNotFound.
func (o *OrgStore) SitterThread(ctx context.Context, sitterID, threadID uuid.UUID, now time.Time) (*Thread, *AssignmentWindow, error) {
	row, err := o.SitterInboxThread(ctx, sitterID, threadID, now)
	if err != nil {
		return nil, nil, err
	}
	return &row.Thread, &AssignmentWindow{ID: row.WindowID, OrgID: row.OrgID, SitterID: sitterID, ClientID: row.ClientID,
		StartsAt: row.WindowStartsAt, EndsAt: row.WindowEndsAt, Note: row.WindowNote, Status: WindowActive}, nil
}

// WindowCursor is the keyset position after the last window of a page.
type WindowCursor struct {
	StartsAt time.Time
	ID       uuid.UUID
}

// WindowFilter narrows the window list.
type WindowFilter struct {
	SitterID, ClientID *uuid.UUID
	// From / To: windows overlapping [From, To).
	From, To         *time.Time
	IncludeCancelled bool
	After            *WindowCursor
}

// WindowRow is a window with its sitter's and client's names.
type WindowRow struct {
	AssignmentWindow `bun:",extend"`

	SitterName string `bun:"sitter_name,scanonly"`
	ClientName string `bun:"client_name,scanonly"`
}

func (o *OrgStore) windowSelect(rows any) *bun.SelectQuery {
	return o.sel(rows).ColumnExpr("?TableColumns").
		ColumnExpr("s.name AS sitter_name, c.name AS client_name").
		Join("JOIN sitters AS s ON s.org_id = ?TableAlias.org_id AND s.id = ?TableAlias.sitter_id").
		Join("JOIN clients AS c ON c.org_id = ?TableAlias.org_id AND c.id = ?TableAlias.client_id")
}

// FindWindows lists windows by start time (earliest first).
func (o *OrgStore) FindWindows(ctx context.Context, f WindowFilter, limit int) ([]WindowRow, error) {
	var out []WindowRow
	q := o.windowSelect(&out).OrderExpr("?TableAlias.starts_at, ?TableAlias.id").Limit(int64(limit))
	if f.SitterID != nil {
		q.Where("?TableAlias.sitter_id = ?", *f.SitterID)
	}
	if f.ClientID != nil {
		q.Where("?TableAlias.client_id = ?", *f.ClientID)
	}
	if f.From != nil {
		q.Where("?TableAlias.ends_at > ?", *f.From)
	}
	if f.To != nil {
		q.Where("?TableAlias.starts_at < ?", *f.To)
	}
	if !f.IncludeCancelled {
		q.Where("?TableAlias.status <> ?", WindowCancelled)
	}
	if f.After != nil {
		q.Where("(?TableAlias.starts_at, ?TableAlias.id) > (?, ?)", f.After.StartsAt, f.After.ID)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, translate(err)
	}
	if out == nil {
		out = []WindowRow{}
	}
	return out, nil
}

// WindowRowByID loads one window with names.
func (o *OrgStore) WindowRowByID(ctx context.Context, id uuid.UUID) (*WindowRow, error) {
	w := new(WindowRow)
	if err := o.windowSelect(w).Where("?TableAlias.id = ?", id).Scan(ctx); err != nil {
		return nil, translate(err)
	}
	return w, nil
}
