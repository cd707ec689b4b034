package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service/inbox"
	"github.com/snoutos/snout/service/windows"
)

// Assignment windows (service/windows: list, create, show, cancel) and the
// client and sitter pickers the window form and the inbox filters use
// (service/inbox). Owners and admins only.

func (s *Server) windowRoutes() []featureRoute {
	return []featureRoute{
		{http.MethodGet, "/api/v1/windows", s.reply(http.StatusOK, handle(bindWindowQuery, s.windows.List, windowPage))},
		{http.MethodPost, "/api/v1/windows", s.reply(http.StatusCreated, handle(bindWindowDraft, s.windows.Create, windowView))},
		{http.MethodGet, "/api/v1/windows/conflicts", s.reply(http.StatusOK, handle(bindRange, s.windows.Conflicts, conflictsView))},
		{http.MethodGet, "/api/v1/windows/:id", s.reply(http.StatusOK, handle(pathIDOf("The window"), s.windows.Get, windowView))},
		// Editing times, sitter or note (the window's workflow moves its timers).
		{http.MethodPatch, "/api/v1/windows/:id", s.reply(http.StatusOK, s.editWindow)},
		// What cancelling would change, and for a running window the
		// confirmToken the DELETE needs.
		{http.MethodGet, "/api/v1/windows/:id/impact", s.reply(http.StatusOK, handle(pathIDOf("The window"), s.windows.Impact, windowImpactView))},
		// Cancelling a window that has not ended; twice is harmless. A
		// running window needs ?confirmToken= from its impact.
		{http.MethodDelete, "/api/v1/windows/:id", s.reply(http.StatusOK, s.cancelWindow)},
		{http.MethodGet, "/api/v1/clients", s.reply(http.StatusOK, handle(bindClientQuery, s.inbox.Clients, clientPage))},
		{http.MethodGet, "/api/v1/clients/:id", s.reply(http.StatusOK, handle(pathIDOf("The client"), s.inbox.Client, clientDetailView))},
		{http.MethodGet, "/api/v1/sitters", s.reply(http.StatusOK, s.listSitters)},
	}
}

// WindowView is an assignment window.
type WindowView struct {
	ID       uuid.UUID        `json:"id"`
	Sitter   ThreadSitterView `json:"sitter"`
	Client   WindowClientRef  `json:"client"`
	StartsAt time.Time        `json:"startsAt"`
	EndsAt   time.Time        `json:"endsAt"`
	// Status is the stored status its workflow keeps: "scheduled",
	// "active", "ended" or "cancelled".
	Status    string    `json:"status"`
	Note      string    `json:"note"`
	CreatedAt time.Time `json:"createdAt"`
}

// WindowClientRef names a client.
type WindowClientRef struct {
	ID   uuid.UUID `json:"id"`
	Name string    `json:"name"`
}

func windowView(w windows.Window) WindowView {
	return WindowView{
		ID: w.ID, Sitter: ThreadSitterView{ID: w.SitterID, Name: w.SitterName}, Client: WindowClientRef{ID: w.ClientID, Name: w.ClientName},
		StartsAt: w.StartsAt, EndsAt: w.EndsAt, Status: w.StatusNow, Note: w.Note, CreatedAt: w.CreatedAt,
	}
}

func windowViews(ws []windows.Window) []WindowView {
	out := make([]WindowView, 0, len(ws))
	for _, w := range ws {
		out = append(out, windowView(w))
	}
	return out
}

func windowPage(p windows.Page) gin.H {
	return gin.H{"windows": windowViews(p.Windows), "nextCursor": nextCursor(p.Next)}
}

func bindWindowQuery(c *gin.Context) (windows.Query, error) {
	var q windows.Query
	var err error
	if q.SitterID, err = queryUUID(c, "sitterId", "Use a sitter ID from GET /api/v1/sitters."); err != nil {
		return q, err
	}
	if q.ClientID, err = queryUUID(c, "clientId", "Use a client ID from GET /api/v1/clients."); err != nil {
		return q, err
	}
	if q.From, q.To, err = dateRange(c); err != nil {
		return q, err
	}
	inc, err := queryBool(c, "includeCancelled")
	if err != nil {
		return q, err
	}
	q.IncludeCancelled = inc != nil && *inc
	if q.After, err = listCursorParam(c); err != nil {
		return q, err
	}
	q.Limit, err = pageLimit(c, windows.DefaultPageSize, windows.MaxPageSize)
	return q, err
}

func bindWindowDraft(c *gin.Context) (windows.Draft, error) {
	var req struct {
		SitterID string `json:"sitterId"`
		ClientID string `json:"clientId"`
		StartsAt string `json:"startsAt"`
		EndsAt   string `json:"endsAt"`
		Note     string `json:"note"`
		// NotifyClient texts the client at the start who is caring for them.
		NotifyClient bool `json:"notifyClient"`
	}
	if err := c.ShouldBindJSON(&req); err != nil {
		return windows.Draft{}, errs.Invalid("Send a JSON body with sitterId, clientId, startsAt, endsAt and an optional note and notifyClient.", nil)
	}
	return windows.Draft{SitterID: req.SitterID, ClientID: req.ClientID, StartsAt: req.StartsAt, EndsAt: req.EndsAt, Note: req.Note,
		NotifyClient: req.NotifyClient}, nil
}

func (s *Server) editWindow(c *gin.Context) (any, error) {
	id, err := pathID(c, "id", "The window")
	if err != nil {
		return nil, err
	}
	var req struct {
		SitterID     string  `json:"sitterId"`
		StartsAt     string  `json:"startsAt"`
		EndsAt       string  `json:"endsAt"`
		Note         *string `json:"note"`
		NotifyClient bool    `json:"notifyClient"`
	}
	if err := c.ShouldBindJSON(&req); err != nil {
		return nil, errs.Invalid("Send a JSON body with any of sitterId, startsAt, endsAt, note and notifyClient.", nil)
	}
	return viewOf(windowView)(s.windows.Edit(c.Request.Context(), actor(c), id, windows.Change{
		SitterID: req.SitterID, StartsAt: req.StartsAt, EndsAt: req.EndsAt, Note: req.Note, NotifyClient: req.NotifyClient}))
}

func (s *Server) cancelWindow(c *gin.Context) (any, error) {
	id, err := pathID(c, "id", "The window")
	if err != nil {
		return nil, err
	}
	return viewOf(windowView)(s.windows.Cancel(c.Request.Context(), actor(c), id, c.Query("confirmToken")))
}

func bindRange(c *gin.Context) (windows.Range, error) {
	var r windows.Range
	var err error
	r.From, r.To, err = dateRange(c)
	return r, err
}

// WindowImpactView is what cancelling a window changes.
type WindowImpactView struct {
	Window  WindowView           `json:"window"`
	Active  bool                 `json:"active"`
	Threads []WindowImpactThread `json:"threads"`
	Message string               `json:"message"`
	// ConfirmToken confirms the DELETE of a running window until ExpiresAt.
	ConfirmToken string     `json:"confirmToken,omitempty"`
	ExpiresAt    *time.Time `json:"expiresAt,omitempty"`
}

// WindowImpactThread is a conversation the sitter loses.
type WindowImpactThread struct {
	ID           uuid.UUID `json:"id"`
	NumberE164   string    `json:"numberE164"`
	SitterUnread int       `json:"sitterUnread"`
}

func windowImpactView(i windows.Impact) WindowImpactView {
	v := WindowImpactView{Window: windowView(i.Window), Active: i.Active, Message: i.Message, ConfirmToken: i.Token,
		Threads: make([]WindowImpactThread, 0, len(i.Threads))}
	if i.Token != "" {
		v.ExpiresAt = &i.ExpiresAt
	}
	for _, t := range i.Threads {
		v.Threads = append(v.Threads, WindowImpactThread{ID: t.ID, NumberE164: t.NumberE164, SitterUnread: t.Unread})
	}
	return v
}

// WindowConflictView is one problem of the schedule.
type WindowConflictView struct {
	// Kind is sitter_double_booked (Other overlaps Window, same sitter)
	// or sitter_inactive (the window's sitter is no longer active).
	Kind   string      `json:"kind"`
	Window WindowView  `json:"window"`
	Other  *WindowView `json:"other,omitempty"`
}

func conflictsView(cs []store.WindowConflict) gin.H {
	out := make([]WindowConflictView, 0, len(cs))
	for _, c := range cs {
		v := WindowConflictView{Kind: c.Kind, Window: windowView(windows.At([]store.WindowRow{c.Window}, time.Time{})[0])}
		if c.Other != nil {
			o := windowView(windows.At([]store.WindowRow{*c.Other}, time.Time{})[0])
			v.Other = &o
		}
		out = append(out, v)
	}
	return gin.H{"conflicts": out}
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

func bindClientQuery(c *gin.Context) (inbox.ClientQuery, error) {
	q := inbox.ClientQuery{Search: c.Query("q")}
	if cur := c.Query("cursor"); cur != "" {
		name, id, ok := clientCursorParse(cur)
		if !ok {
			return q, errBadCursor
		}
		q.After = &store.ClientCursor{Name: name, ID: id}
	}
	var err error
	q.Limit, err = pageLimit(c, inbox.DefaultPageSize, inbox.MaxPageSize)
	return q, err
}

func clientPage(p inbox.ClientPage) gin.H {
	next := ""
	if p.Next != nil {
		next = clientCursor(p.Next.Name, p.Next.ID)
	}
	out := make([]ClientView, 0, len(p.Clients))
	for i := range p.Clients {
		out = append(out, clientView(&p.Clients[i]))
	}
	return gin.H{"clients": out, "nextCursor": next}
}

func clientDetailView(d inbox.ClientDetail) ClientDetailView {
	v := ClientDetailView{ClientView: clientView(d.Client), Threads: make([]ThreadView, 0, len(d.Threads)), Windows: windowViews(d.Windows)}
	for _, t := range d.Threads {
		v.Threads = append(v.Threads, threadView(t))
	}
	return v
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

func (s *Server) listSitters(c *gin.Context) (any, error) {
	return viewOf(func(sitters []inbox.SitterEntry) any {
		out := make([]SitterView, 0, len(sitters))
		for _, st := range sitters {
			v := SitterView{ID: st.ID, Name: st.Name, Phone: st.PhoneE164, Active: st.Active, HasLogin: st.UserID != nil}
			if n := st.Line; n != nil {
				v.Line = &ThreadNumberView{ID: n.ID, E164: n.E164, Class: n.Class, Name: n.FriendlyName, Status: n.Status}
			}
			out = append(out, v)
		}
		return gin.H{"sitters": out}
	})(s.inbox.Sitters(c.Request.Context(), actor(c)))
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
