package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service/windows"
)

// Assignment windows (service/windows: list, create, show, edit, impact,
// cancel, conflicts). Each window runs as its workflow. Owners and admins
// only.

func (s *Server) windowRoutes() []featureRoute {
	return []featureRoute{
		{http.MethodGet, "/api/v1/windows", s.reply(http.StatusOK, handle(bindWindowQuery, s.windows.List, windowPage)),
			doc("Assignment windows, by start", tagWindows).query(windowQueryParams...).ok(WindowPage{})},
		{http.MethodPost, "/api/v1/windows", s.reply(http.StatusCreated, handle(bindWindowDraft, s.windows.Create, windowView)),
			doc("Create an assignment window (its workflow starts it and ends it)", tagWindows).body(WindowRequest{}).
				returns(http.StatusCreated, WindowView{}).fails(http.StatusNotFound, http.StatusConflict)},
		{http.MethodGet, "/api/v1/windows/conflicts", s.reply(http.StatusOK, handle(bindRange, s.windows.Conflicts, conflictsView)),
			doc("Overlapping windows of one sitter, and windows whose sitter is no longer active", tagWindows).
				query(qTime("from", "Windows that end after."), qTime("to", "Windows that start before.")).ok(WindowConflictList{})},
		{http.MethodGet, "/api/v1/windows/:id", s.reply(http.StatusOK, handle(pathIDOf("The window"), s.windows.Get, windowView)),
			doc("One assignment window", tagWindows).ok(WindowView{})},
		// Editing times, sitter or note (the window's workflow moves its timers).
		{http.MethodPatch, "/api/v1/windows/:id", s.reply(http.StatusOK, s.editWindow),
			doc("Edit a window's times, sitter or note (its workflow moves its timers)", tagWindows).body(WindowEditRequest{}).
				ok(WindowView{}).fails(http.StatusConflict)},
		// What cancelling would change, and for a running window the
		// confirmToken the DELETE needs.
		{http.MethodGet, "/api/v1/windows/:id/impact", s.reply(http.StatusOK, handle(pathIDOf("The window"), s.windows.Impact, windowImpactView)),
			doc("What cancelling the window would change, with the token that confirms cancelling a running window", tagWindows).
				ok(WindowImpactView{})},
		// Cancelling a window that has not ended; twice is harmless. A
		// running window needs ?confirmToken= from its impact.
		{http.MethodDelete, "/api/v1/windows/:id", s.reply(http.StatusOK, s.cancelWindow),
			doc("Cancel a window that has not ended (twice is harmless); a running one needs its impact's confirmToken", tagWindows).
				query(qString("confirmToken", "The confirmToken of GET /api/v1/windows/{id}/impact (a running window).")).
				ok(WindowView{}).fails(http.StatusConflict)},
	}
}

// windowQueryParams are the window list's filters.
var windowQueryParams = append([]param{
	qUUID("sitterId", "Only this sitter's."), qUUID("clientId", "Only this client's."),
	qTime("from", "Windows that end after."), qTime("to", "Windows that start before."),
	qBool("includeCancelled", "Include cancelled windows."),
	qEnum("status", "Only windows in this status (cancelled ones are then listed too).", store.WindowScheduled, store.WindowActive, store.WindowEnded, store.WindowCancelled),
}, qPage(windows.MaxPageSize)...)

// WindowRequest creates a window.
type WindowRequest struct {
	SitterID string `json:"sitterId" required:"true"`
	ClientID string `json:"clientId" required:"true"`
	StartsAt string `json:"startsAt" required:"true"`
	EndsAt   string `json:"endsAt" required:"true"`
	Note     string `json:"note"`
	// NotifyClient texts the client at the start who is caring for them.
	NotifyClient bool `json:"notifyClient"`
}

// WindowEditRequest changes a window; fields left out keep their value.
type WindowEditRequest struct {
	SitterID string  `json:"sitterId"`
	StartsAt string  `json:"startsAt"`
	EndsAt   string  `json:"endsAt"`
	Note     *string `json:"note"`
	// NotifyClient texts the client about a new sitter (at the start, or
	// now if the window is running).
	NotifyClient bool `json:"notifyClient"`
}

// WindowConflictList is the schedule's problems.
type WindowConflictList struct {
	Conflicts []WindowConflictView `json:"conflicts"`
}

// WindowPage is a page of windows.
type WindowPage struct {
	Windows    []WindowView `json:"windows"`
	NextCursor string       `json:"nextCursor"`
}

// SitterList lists the org's sitters.
type SitterList struct {
	Sitters []SitterView `json:"sitters"`
}

var _ = schemaEnum[WindowView]("status", store.WindowScheduled, store.WindowActive, store.WindowEnded, store.WindowCancelled)

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

func windowPage(p windows.Page) WindowPage {
	return WindowPage{Windows: windowViews(p.Windows), NextCursor: nextCursor(p.Next)}
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
	q.Status = strings.TrimSpace(c.Query("status"))
	if q.After, err = listCursorParam(c); err != nil {
		return q, err
	}
	q.Limit, err = pageLimit(c, windows.DefaultPageSize, windows.MaxPageSize)
	return q, err
}

func bindWindowDraft(c *gin.Context) (windows.Draft, error) {
	var req WindowRequest
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
	var req WindowEditRequest
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

func conflictsView(cs []store.WindowConflict) WindowConflictList {
	out := make([]WindowConflictView, 0, len(cs))
	for _, c := range cs {
		v := WindowConflictView{Kind: c.Kind, Window: windowView(windows.At([]store.WindowRow{c.Window}, time.Time{})[0])}
		if c.Other != nil {
			o := windowView(windows.At([]store.WindowRow{*c.Other}, time.Time{})[0])
			v.Other = &o
		}
		out = append(out, v)
	}
	return WindowConflictList{Conflicts: out}
}

// The client and sitter pickers are the client book's list
// (clients.go) and the sitter roster (team.go).

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
