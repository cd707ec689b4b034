package inbox

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
	"github.com/snoutos/snout/service/windows"
)

// The client and sitter pickers of the window form and the inbox filters,
// and a client's page. Owners and admins only.

// ClientQuery narrows the client picker.
type ClientQuery struct {
	// Search matches the name or, when it looks like one, the phone
	// number; at most MaxSearchLength characters.
	Search string
	After  *store.ClientCursor
	Limit  int
}

// ClientPage is a page of clients by name.
type ClientPage struct {
	Clients []store.Client
	Next    *store.ClientCursor
}

// Clients lists the org's clients by name.
func (s *Service) Clients(ctx context.Context, a service.Actor, q ClientQuery) (ClientPage, error) {
	search, err := searchText(q.Search)
	if err != nil {
		return ClientPage{}, err
	}
	limit := pageSize(q.Limit)
	rows, err := s.Store.Org(a.OrgID).ListClients(ctx, store.ClientFilter{Search: search, After: q.After}, limit+1)
	if err != nil {
		return ClientPage{}, err
	}
	rows, next := service.Page(rows, limit, func(c *store.Client) store.ClientCursor {
		return store.ClientCursor{Name: c.Name, ID: c.ID}
	})
	return ClientPage{Clients: rows, Next: next}, nil
}

// ClientDetail is a client with their conversations and their windows of
// the last 30 days and after.
type ClientDetail struct {
	Client  *store.Client
	Threads []Thread
	Windows []windows.Window
}

// clientWindowsSince is how far back a client's page shows windows.
const clientWindowsSince = 30 * 24 * time.Hour

// Client loads a client's page.
func (s *Service) Client(ctx context.Context, a service.Actor, id uuid.UUID) (ClientDetail, error) {
	org := s.Store.Org(a.OrgID)
	cl, err := org.ClientByID(ctx, id)
	if err != nil {
		return ClientDetail{}, service.NotFoundOr(err, "The client")
	}
	now := s.Now()
	threads, err := org.ClientThreads(ctx, id, now)
	if err != nil {
		return ClientDetail{}, err
	}
	from := now.Add(-clientWindowsSince)
	ws, err := org.FindWindows(ctx, store.WindowFilter{ClientID: &id, From: &from}, 50)
	if err != nil {
		return ClientDetail{}, err
	}
	return ClientDetail{Client: cl, Threads: threadsAt(threads, now), Windows: windows.At(ws, now)}, nil
}

// SitterEntry is a sitter of the picker with their own business line.
type SitterEntry struct {
	store.Sitter
	// Line is the sitter's own number (a sitter-class number assigned to
	// them and not released), nil when they have none.
	Line *store.PhoneNumber
}

// Sitters lists the org's sitters by name.
func (s *Service) Sitters(ctx context.Context, a service.Actor) ([]SitterEntry, error) {
	org := s.Store.Org(a.OrgID)
	sitters, err := org.Sitters(ctx)
	if err != nil {
		return nil, err
	}
	numbers, err := org.ListAllNumbers(ctx)
	if err != nil {
		return nil, err
	}
	lines := map[uuid.UUID]*store.PhoneNumber{}
	for i, n := range numbers {
		if n.SitterID != nil && n.Class == store.ClassSitter && n.Status != store.NumberReleased {
			lines[*n.SitterID] = &numbers[i]
		}
	}
	out := make([]SitterEntry, 0, len(sitters))
	for _, st := range sitters {
		out = append(out, SitterEntry{Sitter: st, Line: lines[st.ID]})
	}
	return out, nil
}
