package numbers

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/google/uuid"

	domain "github.com/snoutos/snout/internal/domain/numbers"
	"github.com/snoutos/snout/internal/domain/phone"
	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
)

// ListQuery is the inventory's filter as typed in the query string; every
// field is optional.
type ListQuery struct {
	Class, Status, AssignedTo, Health string
	MinVolume, MaxVolume, IdleDays    string
	// Search matches the number, its friendly name or its sitter's name.
	Search string
	// SitterID is one sitter's ID; IDs a comma-separated selection.
	SitterID, IDs string
	// Cursor continues after the previous page (Page.Next).
	Cursor string
}

// Page is one page of the inventory; Next continues it ("" at the end).
type Page struct {
	Rows []store.InventoryRow
	Next string
}

// MaxExport is the most numbers one CSV export holds.
const MaxExport = 10000

// List serves the inventory with filters, limit rows at a time.
func (s *Service) List(ctx context.Context, a service.Actor, q ListQuery, limit int) (Page, error) {
	f, err := s.filter(ctx, a, q)
	if err != nil {
		return Page{}, err
	}
	rows, err := s.store.Org(a.OrgID).Inventory(ctx, f, limit+1)
	if err != nil {
		return Page{}, err
	}
	p := Page{Rows: rows}
	if len(rows) > limit {
		p.Rows = rows[:limit]
		p.Next = encodeCursor(p.Rows[len(p.Rows)-1])
	}
	return p, nil
}

// Export returns every number the filter matches (up to MaxExport), from
// the first; the cursor is ignored.
func (s *Service) Export(ctx context.Context, a service.Actor, q ListQuery) ([]store.InventoryRow, error) {
	q.Cursor = ""
	f, err := s.filter(ctx, a, q)
	if err != nil {
		return nil, err
	}
	return s.store.Org(a.OrgID).Inventory(ctx, f, MaxExport)
}

// filter reads a ListQuery. A sitter or a selected number of another org
// is not found, like any other org's ID.
func (s *Service) filter(ctx context.Context, a service.Actor, q ListQuery) (store.InventoryFilter, error) {
	f := store.InventoryFilter{Now: s.now()}
	fields := map[string]string{}
	enum := func(name, v string, allowed []string) string {
		v = strings.TrimSpace(v)
		if v != "" && !domain.OneOf(v, allowed) {
			fields[name] = "Use one of: " + strings.Join(allowed, ", ") + "."
		}
		return v
	}
	count := func(name, v string) *int {
		v = strings.TrimSpace(v)
		if v == "" {
			return nil
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 1_000_000 {
			fields[name] = "Use a whole number, 0 or more."
			return nil
		}
		return &n
	}
	f.Class = enum("class", q.Class, domain.Classes)
	f.Status = enum("status", q.Status, domain.Statuses)
	f.AssignedTo = enum("assignedTo", q.AssignedTo, domain.Assignments)
	f.Health = enum("health", q.Health, domain.HealthLevels)
	f.MinVolume, f.MaxVolume, f.IdleDays = count("minVolume", q.MinVolume), count("maxVolume", q.MaxVolume), count("idleDays", q.IdleDays)
	f.Query = strings.TrimSpace(q.Search)
	if len(f.Query) > 100 {
		fields["q"] = "Search with at most 100 characters."
	}
	if v := strings.TrimSpace(q.SitterID); v != "" {
		id, err := uuid.Parse(v)
		if err != nil {
			fields["sitterId"] = "Use a sitter ID from the sitters list."
		} else {
			f.SitterID = &id
		}
	}
	if v := strings.TrimSpace(q.IDs); v != "" {
		for _, part := range strings.Split(v, ",") {
			id, err := uuid.Parse(strings.TrimSpace(part))
			if err != nil {
				fields["ids"] = "Use number IDs separated by commas."
				break
			}
			f.IDs = append(f.IDs, id)
		}
		if len(f.IDs) > 500 {
			fields["ids"] = "Select at most 500 numbers."
		}
	}
	if q.Cursor != "" {
		after, err := decodeCursor(q.Cursor)
		if err != nil {
			fields["cursor"] = "Use the nextCursor value from the previous page."
		} else {
			f.After = after
		}
	}
	if len(fields) > 0 {
		return f, errs.Invalid("Some filters are not valid.", fields)
	}
	org := s.store.Org(a.OrgID)
	if len(f.IDs) > 0 {
		// Another org's number in the selection is "not found", not an
		// empty result.
		found, err := org.Inventory(ctx, store.InventoryFilter{IDs: f.IDs, Now: f.Now}, 0)
		if err != nil {
			return f, err
		}
		unique := map[uuid.UUID]bool{}
		for _, id := range f.IDs {
			unique[id] = true
		}
		if len(found) != len(unique) {
			return f, errs.NotFound("A selected number")
		}
	}
	if f.SitterID != nil {
		if _, err := org.Sitter(ctx, *f.SitterID); errors.Is(err, store.ErrNotFound) {
			return f, errs.NotFound("The sitter")
		} else if err != nil {
			return f, err
		}
	}
	return f, nil
}

// The inventory's cursor: base64url of "<class rank>|<e164>|<id>" of the
// last row of a page.
func encodeCursor(r store.InventoryRow) string {
	cur := r.Cursor()
	return base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("%d|%s|%s", cur.ClassRank, cur.E164, cur.ID)))
}

func decodeCursor(s string) (*store.InventoryCursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, err
	}
	parts := strings.Split(string(b), "|")
	if len(parts) != 3 {
		return nil, errors.New("bad cursor")
	}
	rank, err := strconv.Atoi(parts[0])
	if err != nil {
		return nil, err
	}
	// Every cursor we issue carries an E.164; anything else (including bytes
	// PostgreSQL would refuse as text) is a forged cursor.
	if !phone.IsE164(parts[1]) {
		return nil, errors.New("bad cursor")
	}
	id, err := uuid.Parse(parts[2])
	if err != nil {
		return nil, err
	}
	return &store.InventoryCursor{ClassRank: rank, E164: parts[1], ID: id}, nil
}

// Detail is a number with its assignment history, current threads,
// recent delivery errors and latest quarantine (nil when never
// quarantined).
type Detail struct {
	Number         *store.InventoryRow
	History        []store.NumberEvent
	Threads        []store.NumberThread
	DeliveryErrors []store.DeliveryError
	Quarantine     *store.Quarantine
}

// Detail loads what the number's page shows.
func (s *Service) Detail(ctx context.Context, a service.Actor, id uuid.UUID) (Detail, error) {
	row, err := s.number(ctx, a, id)
	if err != nil {
		return Detail{}, err
	}
	org := s.store.Org(a.OrgID)
	d := Detail{Number: row}
	if d.History, err = org.NumberEvents(ctx, row.ID, 100); err != nil {
		return Detail{}, err
	}
	if d.Threads, err = org.NumberThreads(ctx, row.ID, s.now()); err != nil {
		return Detail{}, err
	}
	if d.DeliveryErrors, err = org.NumberDeliveryErrors(ctx, row.E164, 20); err != nil {
		return Detail{}, err
	}
	if q, err := org.LatestQuarantine(ctx, row.ID); err == nil {
		d.Quarantine = q
	} else if !errors.Is(err, store.ErrNotFound) {
		return Detail{}, err
	}
	if d.History == nil {
		d.History = []store.NumberEvent{}
	}
	if d.Threads == nil {
		d.Threads = []store.NumberThread{}
	}
	return d, nil
}
