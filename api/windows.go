package api

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/store"
)

// Assignment windows (enough to make sitter scoping real: list, create,
// show, cancel) and the client and sitter pickers the window form and the
// inbox filters use. Owners and admins only.

func (s *Server) windowRoutes() []featureRoute {
	return []featureRoute{
		{http.MethodGet, "/api/v1/windows", s.listWindows},
		{http.MethodPost, "/api/v1/windows", s.createWindow},
		{http.MethodGet, "/api/v1/windows/:id", s.getWindow},
		{http.MethodDelete, "/api/v1/windows/:id", s.cancelWindow},
		{http.MethodGet, "/api/v1/clients", s.listClients},
		{http.MethodGet, "/api/v1/clients/:id", s.getClient},
		{http.MethodGet, "/api/v1/sitters", s.listSitters},
	}
}

// Limits on a window.
const (
	maxWindowLength  = 366 * 24 * time.Hour
	maxWindowNoteLen = 1000
)

// WindowView is an assignment window.
type WindowView struct {
	ID       uuid.UUID        `json:"id"`
	Sitter   ThreadSitterView `json:"sitter"`
	Client   WindowClientRef  `json:"client"`
	StartsAt time.Time        `json:"startsAt"`
	EndsAt   time.Time        `json:"endsAt"`
	// Status is "scheduled", "active" or "ended" by the clock, or
	// "cancelled".
	Status    string    `json:"status"`
	Note      string    `json:"note"`
	CreatedAt time.Time `json:"createdAt"`
}

// WindowClientRef names a client.
type WindowClientRef struct {
	ID   uuid.UUID `json:"id"`
	Name string    `json:"name"`
}

func windowView(w *store.WindowRow, now time.Time) WindowView {
	return WindowView{
		ID: w.ID, Sitter: ThreadSitterView{ID: w.SitterID, Name: w.SitterName}, Client: WindowClientRef{ID: w.ClientID, Name: w.ClientName},
		StartsAt: w.StartsAt, EndsAt: w.EndsAt, Status: windowStatusAt(&w.AssignmentWindow, now), Note: w.Note, CreatedAt: w.CreatedAt,
	}
}

// windowStatusAt is the window's status by the clock: the stored status can
// lag (nothing rewrites it at the window's start or end yet).
func windowStatusAt(w *store.AssignmentWindow, now time.Time) string {
	switch {
	case w.Status == store.WindowCancelled:
		return store.WindowCancelled
	case now.Before(w.StartsAt):
		return store.WindowScheduled
	case now.Before(w.EndsAt):
		return store.WindowActive
	default:
		return store.WindowEnded
	}
}

func (s *Server) listWindows(c *gin.Context) {
	ctx := c.Request.Context()
	p := principal(c)
	org := s.store.Org(p.OrgID)
	var f store.WindowFilter
	var err error
	if f.SitterID, err = queryOrgID(c, "sitterId", "Use a sitter ID from GET /api/v1/sitters.", "The sitter", org.Sitter); err != nil {
		respondError(c, s.log, err)
		return
	}
	if f.ClientID, err = queryOrgID(c, "clientId", "Use a client ID from GET /api/v1/clients.", "The client", org.ClientByID); err != nil {
		respondError(c, s.log, err)
		return
	}
	if f.From, f.To, err = dateRange(c); err != nil {
		respondError(c, s.log, err)
		return
	}
	inc, err := inboxBool(c, "includeCancelled")
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	f.IncludeCancelled = inc != nil && *inc
	if cur := c.Query("cursor"); cur != "" {
		at, id, ok := inboxCursorParse(cur)
		if !ok {
			respondError(c, s.log, invalidField("cursor", "Use the nextCursor value from the previous page."))
			return
		}
		f.After = &store.WindowCursor{StartsAt: at, ID: id}
	}
	limit, err := pageLimit(c, 100, 500)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	rows, err := org.FindWindows(ctx, f, limit+1)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	next := ""
	if len(rows) > limit {
		rows = rows[:limit]
		last := rows[len(rows)-1]
		next = inboxCursor(last.StartsAt, last.ID)
	}
	now := s.now()
	out := make([]WindowView, 0, len(rows))
	for i := range rows {
		out = append(out, windowView(&rows[i], now))
	}
	c.JSON(http.StatusOK, gin.H{"windows": out, "nextCursor": next})
}

type createWindowRequest struct {
	SitterID string `json:"sitterId"`
	ClientID string `json:"clientId"`
	StartsAt string `json:"startsAt"`
	EndsAt   string `json:"endsAt"`
	Note     string `json:"note"`
}

func (s *Server) createWindow(c *gin.Context) {
	ctx := c.Request.Context()
	p := principal(c)
	org := s.store.Org(p.OrgID)
	var req createWindowRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		respondError(c, s.log, badRequest("Send a JSON body with sitterId, clientId, startsAt, endsAt and an optional note.", nil))
		return
	}
	fields := map[string]string{}
	sitterID, err := uuid.Parse(strings.TrimSpace(req.SitterID))
	if err != nil {
		fields["sitterId"] = "Choose a sitter."
	}
	clientID, err := uuid.Parse(strings.TrimSpace(req.ClientID))
	if err != nil {
		fields["clientId"] = "Choose a client."
	}
	startsAt, err := time.Parse(time.RFC3339, strings.TrimSpace(req.StartsAt))
	if err != nil {
		fields["startsAt"] = "Use an RFC 3339 time such as 2026-11-25T09:00:00Z."
	}
	endsAt, err := time.Parse(time.RFC3339, strings.TrimSpace(req.EndsAt))
	if err != nil {
		fields["endsAt"] = "Use an RFC 3339 time such as 2026-11-28T18:00:00Z."
	}
	if fields["startsAt"] == "" && fields["endsAt"] == "" {
		switch {
		case !endsAt.After(startsAt):
			fields["endsAt"] = "The window must end after it starts."
		case endsAt.Sub(startsAt) > maxWindowLength:
			fields["endsAt"] = "A window can last at most a year; create another one after it."
		}
	}
	note := strings.TrimSpace(req.Note)
	switch {
	case utf8.RuneCountInString(note) > maxWindowNoteLen:
		fields["note"] = fmt.Sprintf("Keep the note to %d characters.", maxWindowNoteLen)
	case strings.ContainsRune(note, 0):
		fields["note"] = "The note contains a character that cannot be saved; use plain text."
	}
	if len(fields) > 0 {
		respondError(c, s.log, badRequest("Some fields are not valid.", fields))
		return
	}
	// Another org's sitter or client is not found, like any other ID.
	sitter, err := org.Sitter(ctx, sitterID)
	if err != nil {
		respondError(c, s.log, notFoundOr(err, "The sitter"))
		return
	}
	client, err := org.ClientByID(ctx, clientID)
	if err != nil {
		respondError(c, s.log, notFoundOr(err, "The client"))
		return
	}
	if !sitter.Active {
		respondError(c, s.log, invalidField("sitterId", sitter.Name+" is not an active sitter."))
		return
	}
	now := s.now()
	w := &store.AssignmentWindow{ID: store.NewID(), OrgID: p.OrgID, SitterID: sitterID, ClientID: clientID,
		StartsAt: startsAt.UTC(), EndsAt: endsAt.UTC(), Note: note}
	w.Status = windowStatusAt(w, now)
	if err := org.CreateWindow(ctx, w); err != nil {
		if errors.Is(err, store.ErrConflict) {
			respondError(c, s.log, s.windowOverlap(c, client, startsAt, endsAt))
			return
		}
		respondError(c, s.log, err)
		return
	}
	s.audit(c, &w.OrgID, p.UserID.String(), "window.created", "assignment_window", w.ID.String(), map[string]any{
		"sitterId": sitterID, "clientId": clientID, "startsAt": w.StartsAt, "endsAt": w.EndsAt,
	})
	row, err := org.WindowRowByID(ctx, w.ID)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	c.JSON(http.StatusCreated, windowView(row, now))
}

// windowOverlap explains a refused window: which window of the client it
// would overlap.
func (s *Server) windowOverlap(c *gin.Context, client *store.Client, start, end time.Time) error {
	msg := client.Name + " already has a sitter for part of that time; a client can have only one sitter at a time. Change or cancel the other window first."
	org := s.store.Org(principal(c).OrgID)
	if others, err := org.ClientWindows(c.Request.Context(), client.ID, start, end); err == nil && len(others) > 0 {
		if other, err := org.WindowRowByID(c.Request.Context(), others[0].ID); err == nil {
			msg = fmt.Sprintf("%s already has %s from %s to %s (window %s); a client can have only one sitter at a time. Change or cancel that window first.",
				client.Name, other.SitterName, other.StartsAt.UTC().Format(time.RFC3339), other.EndsAt.UTC().Format(time.RFC3339), other.ID)
		}
	}
	return &Error{Status: http.StatusConflict, Code: "window_overlap", Message: msg}
}

func (s *Server) getWindow(c *gin.Context) {
	p := principal(c)
	id, err := pathID(c, "id", "The window")
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	w, err := s.store.Org(p.OrgID).WindowRowByID(c.Request.Context(), id)
	if err != nil {
		respondError(c, s.log, notFoundOr(err, "The window"))
		return
	}
	c.JSON(http.StatusOK, windowView(w, s.now()))
}

// cancelWindow cancels a window that has not ended. The sitter loses access
// to the client's conversations at once. Cancelling twice is harmless.
func (s *Server) cancelWindow(c *gin.Context) {
	ctx := c.Request.Context()
	p := principal(c)
	org := s.store.Org(p.OrgID)
	id, err := pathID(c, "id", "The window")
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	w, err := org.WindowRowByID(ctx, id)
	if err != nil {
		respondError(c, s.log, notFoundOr(err, "The window"))
		return
	}
	now := s.now()
	switch windowStatusAt(&w.AssignmentWindow, now) {
	case store.WindowCancelled:
		c.JSON(http.StatusOK, windowView(w, now))
		return
	case store.WindowEnded:
		respondError(c, s.log, conflict("This window has already ended; there is nothing to cancel."))
		return
	}
	if err := org.SetWindowStatus(ctx, id, store.WindowCancelled); err != nil {
		respondError(c, s.log, err)
		return
	}
	s.audit(c, &w.OrgID, p.UserID.String(), "window.cancelled", "assignment_window", id.String(), map[string]any{
		"sitterId": w.SitterID, "clientId": w.ClientID, "startsAt": w.StartsAt, "endsAt": w.EndsAt,
	})
	w.Status = store.WindowCancelled
	c.JSON(http.StatusOK, windowView(w, now))
}

// --- pickers ------------------------------------------------------------------

// ClientView is a client as owners and admins see it.
type ClientView struct {
	ID         uuid.UUID  `json:"id"`
	Name       string     `json:"name"`
	Phone      string     `json:"phone"`
	OptedOut   bool       `json:"optedOut"`
	OptedOutAt *time.Time `json:"optedOutAt,omitempty"`
	CreatedAt  time.Time  `json:"createdAt"`
}

func clientView(cl *store.Client) ClientView {
	return ClientView{ID: cl.ID, Name: cl.Name, Phone: cl.PhoneE164, OptedOut: cl.OptedOutAt != nil, OptedOutAt: cl.OptedOutAt, CreatedAt: cl.CreatedAt}
}

// ClientDetailView is a client with their conversations and windows.
type ClientDetailView struct {
	ClientView
	Threads []ThreadView `json:"threads"`
	Windows []WindowView `json:"windows"`
}

func (s *Server) listClients(c *gin.Context) {
	q := strings.TrimSpace(c.Query("q"))
	if utf8.RuneCountInString(q) > 200 {
		respondError(c, s.log, invalidField("q", "Search for at most 200 characters."))
		return
	}
	f := store.ClientFilter{Search: q}
	if cur := c.Query("cursor"); cur != "" {
		name, id, ok := clientCursorParse(cur)
		if !ok {
			respondError(c, s.log, invalidField("cursor", "Use the nextCursor value from the previous page."))
			return
		}
		f.After = &store.ClientCursor{Name: name, ID: id}
	}
	limit, err := pageLimit(c, 50, 200)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	rows, err := s.store.Org(principal(c).OrgID).ListClients(c.Request.Context(), f, limit+1)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	next := ""
	if len(rows) > limit {
		rows = rows[:limit]
		next = clientCursor(rows[len(rows)-1].Name, rows[len(rows)-1].ID)
	}
	out := make([]ClientView, 0, len(rows))
	for i := range rows {
		out = append(out, clientView(&rows[i]))
	}
	c.JSON(http.StatusOK, gin.H{"clients": out, "nextCursor": next})
}

func (s *Server) getClient(c *gin.Context) {
	ctx := c.Request.Context()
	org := s.store.Org(principal(c).OrgID)
	id, err := pathID(c, "id", "The client")
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	cl, err := org.ClientByID(ctx, id)
	if err != nil {
		respondError(c, s.log, notFoundOr(err, "The client"))
		return
	}
	now := s.now()
	threads, err := org.ClientThreads(ctx, id, now)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	from := now.Add(-30 * 24 * time.Hour)
	windows, err := org.FindWindows(ctx, store.WindowFilter{ClientID: &id, From: &from}, 50)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	v := ClientDetailView{ClientView: clientView(cl), Threads: make([]ThreadView, 0, len(threads)), Windows: make([]WindowView, 0, len(windows))}
	for i := range threads {
		v.Threads = append(v.Threads, threadView(&threads[i], now))
	}
	for i := range windows {
		v.Windows = append(v.Windows, windowView(&windows[i], now))
	}
	c.JSON(http.StatusOK, v)
}

// SitterView is a sitter for the pickers.
type SitterView struct {
	ID       uuid.UUID `json:"id"`
	Name     string    `json:"name"`
	Phone    string    `json:"phone"`
	Active   bool      `json:"active"`
	HasLogin bool      `json:"hasLogin"`
	// Line is the sitter's own business number, if they have one.
	Line *ThreadNumberView `json:"line"`
}

func (s *Server) listSitters(c *gin.Context) {
	ctx := c.Request.Context()
	org := s.store.Org(principal(c).OrgID)
	sitters, err := org.Sitters(ctx)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	numbers, err := org.ListAllNumbers(ctx)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	lines := map[uuid.UUID]*ThreadNumberView{}
	for _, n := range numbers {
		if n.SitterID != nil && n.Class == store.ClassSitter && n.Status != store.NumberReleased {
			lines[*n.SitterID] = &ThreadNumberView{ID: n.ID, E164: n.E164, Class: n.Class, Name: n.FriendlyName, Status: n.Status}
		}
	}
	out := make([]SitterView, 0, len(sitters))
	for _, st := range sitters {
		out = append(out, SitterView{ID: st.ID, Name: st.Name, Phone: st.PhoneE164, Active: st.Active, HasLogin: st.UserID != nil, Line: lines[st.ID]})
	}
	c.JSON(http.StatusOK, gin.H{"sitters": out})
}

// Client cursors carry (name, id): base64url of "<id>|<name>".
func clientCursor(name string, id uuid.UUID) string {
	return inboxCursorText(id.String() + "|" + name)
}

func clientCursorParse(cur string) (string, uuid.UUID, bool) {
	raw, ok := inboxCursorTextParse(cur)
	if !ok {
		return "", uuid.Nil, false
	}
	idText, name, ok := strings.Cut(raw, "|")
	if !ok {
		return "", uuid.Nil, false
	}
	id, err := uuid.Parse(idText)
	return name, id, err == nil
}
