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
	// Status: only windows in this stored status (a cancelled one is
	// listed whatever IncludeCancelled says).
	Status string
	After  *WindowCursor
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
	switch {
	case f.Status != "":
		q.Where("?TableAlias.status = ?", f.Status)
	case !f.IncludeCancelled:
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

// MoveWindowStatus moves a window to status `to` if its status is one of
// from, and reports whether it moved. A window already in `to` is not an
// error (false); an unknown window is ErrNotFound.
func (o *OrgStore) MoveWindowStatus(ctx context.Context, id uuid.UUID, to string, from ...string) (bool, error) {
	res, err := o.upd((*AssignmentWindow)(nil)).Set("status = ?", to).Where("id = ?", id).
		Where("status IN (?)", bun.In(from)).Exec(ctx)
	if err != nil {
		return false, translate(err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return true, nil
	}
	if _, err := o.Window(ctx, id); err != nil {
		return false, err
	}
	return false, nil
}

// UpdateWindow changes a window's sitter, times and note. An overlap with
// another window of the client is ErrConflict, a sitter not of this org
// ErrNotFound.
func (o *OrgStore) UpdateWindow(ctx context.Context, id, sitterID uuid.UUID, start, end time.Time, note string) error {
	res, err := o.upd((*AssignmentWindow)(nil)).Set("sitter_id = ?, starts_at = ?, ends_at = ?, note = ?", sitterID, start, end, note).
		Where("id = ?", id).Exec(ctx)
	if err != nil {
		return translate(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// DeleteWindow removes a window that never ran (its workflow could not
// start).
func (o *OrgStore) DeleteWindow(ctx context.Context, id uuid.UUID) error {
	_, err := o.del((*AssignmentWindow)(nil)).Where("id = ?", id).Exec(ctx)
	return translate(err)
}

// SitterLine is the sitter's own active business number.
func (o *OrgStore) SitterLine(ctx context.Context, sitterID uuid.UUID) (*PhoneNumber, error) {
	n := new(PhoneNumber)
	err := o.sel(n).Where("sitter_id = ? AND class = ? AND status = ?", sitterID, ClassSitter, NumberActive).
		Order("created_at", "id").Limit(1).Scan(ctx)
	return n, translate(err)
}

// LatestClientThread is the client's most recently active thread.
func (o *OrgStore) LatestClientThread(ctx context.Context, clientID uuid.UUID) (*Thread, error) {
	t := new(Thread)
	err := o.sel(t).Where("client_id = ?", clientID).OrderExpr("last_message_at DESC, id DESC").Limit(1).Scan(ctx)
	return t, translate(err)
}

// WindowThreadRef is a thread a window opens to its sitter.
type WindowThreadRef struct {
	ID         uuid.UUID `bun:"id"`
	NumberE164 string    `bun:"number_e164"`
	Unread     int       `bun:"sitter_unread_count"`
}

// WindowThreads lists the threads the window's sitter sees through it:
// the client's threads on the sitter's number or assigned to the sitter.
func (o *OrgStore) WindowThreads(ctx context.Context, windowID uuid.UUID) ([]WindowThreadRef, error) {
	var out []WindowThreadRef
	err := o.sel((*Thread)(nil)).
		ColumnExpr("?TableAlias.id, n.e164 AS number_e164, ?TableAlias.sitter_unread_count").
		Join("JOIN assignment_windows AS w ON w.org_id = ?TableAlias.org_id AND w.client_id = ?TableAlias.client_id").
		Join("JOIN phone_numbers AS n ON n.org_id = ?TableAlias.org_id AND n.id = ?TableAlias.number_id").
		Where("w.id = ?", windowID).
		Where("(n.sitter_id = w.sitter_id OR ?TableAlias.assigned_sitter_id = w.sitter_id)").
		OrderExpr("?TableAlias.last_message_at DESC, ?TableAlias.id").Limit(100).Scan(ctx, &out)
	if out == nil {
		out = []WindowThreadRef{}
	}
	return out, translate(err)
}

// WindowConflict is a problem in the schedule: two windows of one sitter
// that overlap (the sitter is double-booked), or a window whose sitter is
// no longer active (nobody covers it).
type WindowConflict struct {
	Kind   string    `bun:"kind"` // sitter_double_booked or sitter_inactive
	Window WindowRow `bun:"-"`
	// Other is the overlapping window (sitter_double_booked).
	Other *WindowRow `bun:"-"`
}

// Conflict kinds.
const (
	ConflictDoubleBooked   = "sitter_double_booked"
	ConflictSitterInactive = "sitter_inactive"
)

// WindowConflicts lists the schedule's problems among windows that have
// not ended by from and start before to (neither cancelled), earliest
// first.
func (o *OrgStore) WindowConflicts(ctx context.Context, from, to time.Time) ([]WindowConflict, error) {
	var pairs []struct {
		A uuid.UUID `bun:"a"`
		B uuid.UUID `bun:"b"`
	}
	err := o.sel((*AssignmentWindow)(nil)).ColumnExpr("?TableAlias.id AS a, b.id AS b").
		Join(`JOIN assignment_windows AS b ON b.org_id = ?TableAlias.org_id AND b.sitter_id = ?TableAlias.sitter_id
			AND b.id > ?TableAlias.id AND b.status <> 'cancelled'`).
		Where("?TableAlias.status <> 'cancelled'").
		Where("?TableAlias.starts_at < b.ends_at AND b.starts_at < ?TableAlias.ends_at").
		Where("?TableAlias.ends_at > ? AND ?TableAlias.starts_at < ?", from, to).
		OrderExpr("?TableAlias.starts_at, ?TableAlias.id, b.id").Limit(200).Scan(ctx, &pairs)
	if err != nil {
		return nil, translate(err)
	}
	var inactive []uuid.UUID
	err = o.sel((*AssignmentWindow)(nil)).ColumnExpr("?TableAlias.id").
		Join("JOIN sitters AS s ON s.org_id = ?TableAlias.org_id AND s.id = ?TableAlias.sitter_id").
		Where("?TableAlias.status <> 'cancelled' AND NOT s.active").
		Where("?TableAlias.ends_at > ? AND ?TableAlias.starts_at < ?", from, to).
		OrderExpr("?TableAlias.starts_at, ?TableAlias.id").Limit(200).Scan(ctx, &inactive)
	if err != nil {
		return nil, translate(err)
	}
	row := func(id uuid.UUID) (*WindowRow, error) { return o.WindowRowByID(ctx, id) }
	out := []WindowConflict{}
	for _, p := range pairs {
		a, err := row(p.A)
		if err != nil {
			return nil, err
		}
		b, err := row(p.B)
		if err != nil {
			return nil, err
		}
		out = append(out, WindowConflict{Kind: ConflictDoubleBooked, Window: *a, Other: b})
	}
	for _, id := range inactive {
		w, err := row(id)
		if err != nil {
			return nil, err
		}
		out = append(out, WindowConflict{Kind: ConflictSitterInactive, Window: *w})
	}
	return out, nil
}

// OrgsWithOpenWindows lists the orgs that have windows created before
// `before` that have not finished (scheduled or active). It discovers
// orgs for the window sweep, which then reads each org's windows through
// its OrgStore.
func (s *Store) OrgsWithOpenWindows(ctx context.Context, before time.Time, limit int) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	err := s.db.NewSelect().Model((*AssignmentWindow)(nil)).ColumnExpr("DISTINCT org_id").
		Where("status IN (?, ?) AND created_at < ?", WindowScheduled, WindowActive, before).
		OrderExpr("org_id").Limit(int64(limit)).Scan(ctx, &ids)
	return ids, translate(err)
}

// OpenWindows lists this org's windows created before `before` that have
// not finished (scheduled or active), earliest start first.
func (o *OrgStore) OpenWindows(ctx context.Context, before time.Time, limit int) ([]AssignmentWindow, error) {
	var out []AssignmentWindow
	err := o.sel(&out).Where("status IN (?, ?) AND created_at < ?", WindowScheduled, WindowActive, before).
		Order("starts_at", "id").Limit(int64(limit)).Scan(ctx)
	return out, translate(err)
}
