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

// Assignment windows (service/windows: list, create, show, cancel). Owners
// and admins only.

func (s *Server) windowRoutes() []featureRoute {
	return []featureRoute{
		{http.MethodGet, "/api/v1/windows", s.reply(http.StatusOK, handle(bindWindowQuery, s.windows.List, windowPage)),
			doc("Assignment windows, by start", tagWindows).query(windowQueryParams...).ok(WindowPage{})},
		{http.MethodPost, "/api/v1/windows", s.reply(http.StatusCreated, handle(bindWindowDraft, s.windows.Create, windowView)),
			doc("Create an assignment window", tagWindows).body(WindowRequest{}).returns(http.StatusCreated, WindowView{}).
				fails(http.StatusNotFound, http.StatusConflict)},
		{http.MethodGet, "/api/v1/windows/:id", s.reply(http.StatusOK, handle(pathIDOf("The window"), s.windows.Get, windowView)),
			doc("One assignment window", tagWindows).ok(WindowView{})},
		// Cancelling a window that has not ended; twice is harmless.
		{http.MethodDelete, "/api/v1/windows/:id", s.reply(http.StatusOK, handle(pathIDOf("The window"), s.windows.Cancel, windowView)),
			doc("Cancel a window that has not ended (twice is harmless)", tagWindows).ok(WindowView{}).fails(http.StatusConflict)},
	}
}

// windowQueryParams are the window list's filters.
var windowQueryParams = append([]param{
	qUUID("sitterId", "Only this sitter's."), qUUID("clientId", "Only this client's."),
	qTime("from", "Windows that end after."), qTime("to", "Windows that start before."),
	qBool("includeCancelled", "Include cancelled windows."),
}, qPage(windows.MaxPageSize)...)

// WindowRequest creates a window.
type WindowRequest struct {
	SitterID string `json:"sitterId" required:"true"`
	ClientID string `json:"clientId" required:"true"`
	StartsAt string `json:"startsAt" required:"true"`
	EndsAt   string `json:"endsAt" required:"true"`
	Note     string `json:"note"`
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
	if q.After, err = listCursorParam(c); err != nil {
		return q, err
	}
	q.Limit, err = pageLimit(c, windows.DefaultPageSize, windows.MaxPageSize)
	return q, err
}

func bindWindowDraft(c *gin.Context) (windows.Draft, error) {
	var req WindowRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		return windows.Draft{}, errs.Invalid("Send a JSON body with sitterId, clientId, startsAt, endsAt and an optional note.", nil)
	}
	return windows.Draft{SitterID: req.SitterID, ClientID: req.ClientID, StartsAt: req.StartsAt, EndsAt: req.EndsAt, Note: req.Note}, nil
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
