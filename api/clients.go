package api

import (
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/domain/phone"
	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service/clients"
)

// The client book (service/clients): list, detail, create, edit, archive,
// consent, merge, CSV import and export, and starting a conversation.
// Owners and admins only.

func (s *Server) clientRoutes() []featureRoute {
	return []featureRoute{
		{http.MethodGet, "/api/v1/clients", s.reply(http.StatusOK, handle(bindClientListQuery, s.clients.List, clientListView)),
			doc("The client book, by name", tagClients).query(append([]param{
				qString("q", "Search by any part of the name or email, a tag, or any of the client's numbers."),
				qEnum("archived", "Leave out for current clients; only for archived ones; all for both.", "only", "all"),
				qString("tag", "Only clients with this tag."),
			}, qPage(clients.MaxPageSize)...)...).ok(ClientPage{})},
		{http.MethodPost, "/api/v1/clients", s.reply(http.StatusCreated, handle(bindClientDraft, s.clients.Create, clientDetailView)),
			doc("Add a client (a number held by another client is refused, naming them)", tagClients).body(ClientRequest{}).
				returns(http.StatusCreated, ClientDetailView{}).fails(http.StatusConflict)},
		{http.MethodGet, "/api/v1/clients/export", s.reply(http.StatusOK, s.exportClients),
			doc("The client book as CSV (name, phone, other phones, email, pets, tags, address, opted out, archived)", tagClients).
				returns(http.StatusOK).also(http.StatusOK, "text/csv")},
		{http.MethodPost, "/api/v1/clients/import", s.reply(http.StatusOK, s.importClients),
			doc("Import clients from CSV (columns name, phone, email, pets as \"Rex; Mia\"); a result for every row", tagClients).
				raw("text/csv").ok(ImportResultView{})},
		{http.MethodGet, "/api/v1/clients/:id", s.reply(http.StatusOK, handle(pathIDOf("The client"), s.clients.Get, clientDetailView)),
			doc("One client with phones, pets, consent, conversations and windows", tagClients).ok(ClientDetailView{})},
		{http.MethodPut, "/api/v1/clients/:id", s.reply(http.StatusOK, s.updateClient),
			doc("Edit a client (phones and pets replace the stored ones)", tagClients).body(ClientRequest{}).ok(ClientDetailView{}).fails(http.StatusConflict)},
		{http.MethodPost, "/api/v1/clients/:id/archive", s.reply(http.StatusOK, handle(pathIDOf("The client"), s.clients.Archive, clientDetailView)),
			doc("Archive a client", tagClients).ok(ClientDetailView{})},
		{http.MethodPost, "/api/v1/clients/:id/restore", s.reply(http.StatusOK, handle(pathIDOf("The client"), s.clients.Restore, clientDetailView)),
			doc("Restore an archived client", tagClients).ok(ClientDetailView{})},
		{http.MethodPost, "/api/v1/clients/:id/consent", s.reply(http.StatusOK, handle(bindConsent, s.clients.SetConsent, clientDetailView)),
			doc("Record a client's consent told to staff (a texted STOP is undone only by the client's START)", tagClients).
				body(ConsentRequest{}).ok(ClientDetailView{}).fails(http.StatusUnprocessableEntity)},
		{http.MethodPost, "/api/v1/clients/:id/merge", s.reply(http.StatusOK, handle(bindMerge, s.clients.Merge, mergedView)),
			doc("Merge this client (say, one named by their number) into another; threads, history, windows, phones, pets and consent follow", tagClients).
				body(MergeRequest{}).ok(MergedView{}).fails(http.StatusConflict)},
		{http.MethodGet, "/api/v1/clients/:id/merge-preview", s.reply(http.StatusOK, handle(bindMergePreview, s.clients.PreviewMerge, mergePreviewView)),
			doc("What merging this client into another would move (nothing changes), or why it would be refused", tagClients).
				query(qUUID("intoId", "The client to merge into.")).ok(MergePreviewView{}).fails(http.StatusConflict)},
		{http.MethodPost, "/api/v1/clients/:id/conversations", s.reply(http.StatusAccepted, handle(bindOpening, s.clients.StartConversation, openedView)),
			doc("Start (or continue) a conversation with the client from the front desk or another business number, sending its first text", tagClients).
				body(OpeningRequest{}).returns(http.StatusAccepted, OpenedView{}).fails(http.StatusConflict, http.StatusUnprocessableEntity, http.StatusServiceUnavailable)},
	}
}

// ClientPhoneView is one of a client's numbers.
type ClientPhoneView struct {
	E164    string `json:"e164"`
	Display string `json:"display"`
	Label   string `json:"label"`
	Primary bool   `json:"primary"`
}

// ClientPetView is one of a client's pets.
type ClientPetView struct {
	ID    uuid.UUID `json:"id"`
	Name  string    `json:"name"`
	Notes string    `json:"notes"`
}

// ConsentView says whether texts to the client are allowed, who said so
// last (first_text, keyword, staff, import, merge) and when.
type ConsentView struct {
	Status  string    `json:"status"` // opted_in or opted_out
	Source  string    `json:"source"`
	Keyword string    `json:"keyword,omitempty"`
	At      time.Time `json:"at"`
}

// ClientView is a client as owners and admins see it. Phone is the
// primary number.
type ClientView struct {
	ID            uuid.UUID         `json:"id"`
	Name          string            `json:"name"`
	NamedByNumber bool              `json:"namedByNumber"`
	Phone         string            `json:"phone"`
	Phones        []ClientPhoneView `json:"phones"`
	Email         string            `json:"email"`
	Address       string            `json:"address"`
	Tags          []string          `json:"tags"`
	Notes         string            `json:"notes"`
	Pets          []ClientPetView   `json:"pets"`
	Consent       ConsentView       `json:"consent"`
	OptedOut      bool              `json:"optedOut"`
	OptedOutAt    *time.Time        `json:"optedOutAt,omitempty"`
	Archived      bool              `json:"archived"`
	ArchivedAt    *time.Time        `json:"archivedAt,omitempty"`
	CreatedAt     time.Time         `json:"createdAt"`
}

func clientView(c *store.Client, phones []store.ClientPhone, pets []store.ClientPet) ClientView {
	v := ClientView{ID: c.ID, Name: c.Name, NamedByNumber: clients.NamedByNumber(c), Phone: c.PhoneE164, Phones: []ClientPhoneView{},
		Email: c.Email, Address: c.Address, Tags: c.Tags, Notes: c.Notes, Pets: []ClientPetView{},
		Consent:  ConsentView{Status: "opted_in", Source: clients.ConsentSource(c), At: c.ConsentAt},
		OptedOut: c.OptedOutAt != nil, OptedOutAt: c.OptedOutAt, Archived: c.ArchivedAt != nil, ArchivedAt: c.ArchivedAt, CreatedAt: c.CreatedAt}
	if v.Tags == nil {
		v.Tags = []string{}
	}
	if c.OptedOutAt != nil {
		v.Consent.Status, v.Consent.Keyword = "opted_out", c.OptedOutKeyword
	}
	for _, p := range phones {
		v.Phones = append(v.Phones, ClientPhoneView{E164: p.E164, Display: phone.Display(p.E164), Label: p.Label, Primary: p.IsPrimary})
	}
	for _, p := range pets {
		v.Pets = append(v.Pets, ClientPetView{ID: p.ID, Name: p.Name, Notes: p.Notes})
	}
	return v
}

// ClientDetailView is a client with their conversations and windows.
type ClientDetailView struct {
	ClientView
	Threads []ThreadView `json:"threads"`
	Windows []WindowView `json:"windows"`
}

func clientDetailView(d clients.Detail) ClientDetailView {
	v := ClientDetailView{ClientView: clientView(&d.Client, d.Phones, d.Pets), Threads: make([]ThreadView, 0, len(d.Threads)), Windows: windowViews(d.Windows)}
	for _, t := range d.Threads {
		v.Threads = append(v.Threads, threadView(t))
	}
	return v
}

// ClientPage is a page of the client book.
type ClientPage struct {
	Clients    []ClientView `json:"clients"`
	NextCursor string       `json:"nextCursor"`
}

func clientListView(p clients.ListPage) ClientPage {
	next := ""
	if p.Next != nil {
		next = clientCursor(p.Next.Name, p.Next.ID)
	}
	out := make([]ClientView, 0, len(p.Clients))
	for i := range p.Clients {
		r := &p.Clients[i]
		out = append(out, clientView(&r.Client, r.Phones, r.Pets))
	}
	return ClientPage{Clients: out, NextCursor: next}
}

func bindClientListQuery(c *gin.Context) (clients.Query, error) {
	q := clients.Query{Search: c.Query("q"), Archived: c.Query("archived"), Tag: c.Query("tag")}
	if cur := c.Query("cursor"); cur != "" {
		name, id, ok := clientCursorParse(cur)
		if !ok {
			return q, errBadCursor
		}
		q.After = &store.ClientCursor{Name: name, ID: id}
	}
	var err error
	q.Limit, err = pageLimit(c, clients.DefaultPageSize, clients.MaxPageSize)
	return q, err
}

// ClientRequest is the create and edit form. Phones and pets replace the
// stored ones; the first phone is primary unless one says primary.
type ClientRequest struct {
	Name    string               `json:"name"`
	Phones  []ClientPhoneRequest `json:"phones"`
	Email   string               `json:"email"`
	Address string               `json:"address"`
	Tags    []string             `json:"tags"`
	Notes   string               `json:"notes"`
	Pets    []ClientPetRequest   `json:"pets"`
}

// ClientPhoneRequest is a phone number in any common format.
type ClientPhoneRequest struct {
	Number  string `json:"number"`
	Label   string `json:"label"`
	Primary bool   `json:"primary"`
}

// ClientPetRequest is a pet.
type ClientPetRequest struct {
	Name  string `json:"name"`
	Notes string `json:"notes"`
}

func bindClientDraft(c *gin.Context) (clients.Draft, error) {
	var req ClientRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		return clients.Draft{}, errs.Invalid("Send a JSON body with name and phones (and optionally email, address, tags, notes, pets).", nil)
	}
	d := clients.Draft{Name: req.Name, Email: req.Email, Address: req.Address, Tags: req.Tags, Notes: req.Notes}
	for _, p := range req.Phones {
		d.Phones = append(d.Phones, clients.PhoneDraft{Number: p.Number, Label: p.Label, Primary: p.Primary})
	}
	for _, p := range req.Pets {
		d.Pets = append(d.Pets, clients.PetDraft{Name: p.Name, Notes: p.Notes})
	}
	return d, nil
}

func (s *Server) updateClient(c *gin.Context) (any, error) {
	id, err := pathID(c, "id", "The client")
	if err != nil {
		return nil, err
	}
	d, err := bindClientDraft(c)
	if err != nil {
		return nil, err
	}
	return viewOf(clientDetailView)(s.clients.Update(c.Request.Context(), actor(c), id, d))
}

// ConsentRequest records a client's consent: opted_in or opted_out.
type ConsentRequest struct {
	Status string `json:"status"`
}

func bindConsent(c *gin.Context) (clients.ConsentChange, error) {
	id, err := pathID(c, "id", "The client")
	if err != nil {
		return clients.ConsentChange{}, err
	}
	var req ConsentRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		return clients.ConsentChange{}, errs.Invalid("Send a JSON body with status (opted_in or opted_out).", nil)
	}
	switch req.Status {
	case "opted_in", "opted_out":
	default:
		return clients.ConsentChange{}, errs.InvalidField("status", "Use opted_in or opted_out.")
	}
	return clients.ConsentChange{ClientID: id, OptedOut: req.Status == "opted_out"}, nil
}

// MergeRequest names the client to merge into.
type MergeRequest struct {
	IntoID string `json:"intoId"`
}

func bindMerge(c *gin.Context) (clients.MergeRequest, error) {
	id, err := pathID(c, "id", "The client")
	if err != nil {
		return clients.MergeRequest{}, err
	}
	var req MergeRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		return clients.MergeRequest{}, errs.Invalid("Send a JSON body with intoId, the client to merge this one into.", nil)
	}
	into, err := uuid.Parse(req.IntoID)
	if err != nil {
		return clients.MergeRequest{}, errs.InvalidField("intoId", "Use a client ID from GET /api/v1/clients.")
	}
	return clients.MergeRequest{From: id, Into: into}, nil
}

// MergedView is the client merged into, with what moved.
type MergedView struct {
	Client ClientDetailView `json:"client"`
	Moved  struct {
		Threads         int  `json:"threads"`
		ThreadsJoined   int  `json:"threadsJoined"`
		Messages        int  `json:"messages"`
		Windows         int  `json:"windows"`
		Phones          int  `json:"phones"`
		Pets            int  `json:"pets"`
		ConsentFollowed bool `json:"consentFollowed"`
	} `json:"moved"`
}

func mergedView(m clients.Merged) MergedView {
	v := MergedView{Client: clientDetailView(m.Detail)}
	v.Moved.Threads, v.Moved.ThreadsJoined, v.Moved.Messages = m.Moved.ThreadsMoved, m.Moved.ThreadsJoined, m.Moved.MessagesMoved
	v.Moved.Windows, v.Moved.Phones, v.Moved.Pets, v.Moved.ConsentFollowed = m.Moved.WindowsMoved, m.Moved.PhonesMoved, m.Moved.PetsMoved, m.Moved.ConsentFollowed
	return v
}

// MergePreviewView is what a merge would move: the same counts as the
// merge's, and history, every message of this client's conversations.
type MergePreviewView struct {
	Threads         int  `json:"threads"`
	ThreadsJoined   int  `json:"threadsJoined"`
	Messages        int  `json:"messages"`
	History         int  `json:"history"`
	Windows         int  `json:"windows"`
	Phones          int  `json:"phones"`
	Pets            int  `json:"pets"`
	ConsentFollowed bool `json:"consentFollowed"`
}

func mergePreviewView(p clients.MergePreview) MergePreviewView {
	m := p.Moved
	return MergePreviewView{Threads: m.ThreadsMoved, ThreadsJoined: m.ThreadsJoined, Messages: m.MessagesMoved, History: p.History,
		Windows: m.WindowsMoved, Phones: m.PhonesMoved, Pets: m.PetsMoved, ConsentFollowed: m.ConsentFollowed}
}

func bindMergePreview(c *gin.Context) (clients.MergeRequest, error) {
	id, err := pathID(c, "id", "The client")
	if err != nil {
		return clients.MergeRequest{}, err
	}
	into, err := uuid.Parse(c.Query("intoId"))
	if err != nil {
		return clients.MergeRequest{}, errs.InvalidField("intoId", "Use a client ID from GET /api/v1/clients.")
	}
	return clients.MergeRequest{From: id, Into: into}, nil
}

// OpeningRequest is a conversation's first text: from the front desk
// unless numberId names another business number.
type OpeningRequest struct {
	NumberID  string   `json:"numberId"`
	Body      string   `json:"body"`
	MediaURLs []string `json:"mediaUrls"`
}

func bindOpening(c *gin.Context) (clients.Opening, error) {
	id, err := pathID(c, "id", "The client")
	if err != nil {
		return clients.Opening{}, err
	}
	var req OpeningRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		return clients.Opening{}, errs.Invalid("Send a JSON body with body and optionally numberId (the front desk when left out) and mediaUrls.", nil)
	}
	return clients.Opening{ClientID: id, NumberID: req.NumberID, Body: req.Body, Media: req.MediaURLs}, nil
}

// OpenedView is a started conversation and its first message.
type OpenedView struct {
	ThreadID uuid.UUID        `json:"threadId"`
	Created  bool             `json:"created"`
	Message  StaffMessageView `json:"message"`
}

func openedView(o clients.Opened) OpenedView {
	return OpenedView{ThreadID: o.ThreadID, Created: o.Created, Message: staffMessageView(o.Message)}
}

// ImportRowView is one line's outcome.
type ImportRowView struct {
	Line     int               `json:"line"`
	Name     string            `json:"name"`
	Status   string            `json:"status"` // created or failed
	ClientID string            `json:"clientId,omitempty"`
	Error    string            `json:"error,omitempty"`
	Fields   map[string]string `json:"fields,omitempty"`
}

// ImportResultView is an import's outcome, row by row.
type ImportResultView struct {
	Created int             `json:"created"`
	Failed  int             `json:"failed"`
	Rows    []ImportRowView `json:"rows"`
}

// maxImportBytes bounds an uploaded client CSV.
const maxImportBytes = 4 << 20

// importClients takes the CSV as the request body (text/csv) or as the
// "file" field of a multipart form; every row answers for itself.
func (s *Server) importClients(c *gin.Context) (any, error) {
	var body io.Reader = c.Request.Body
	if strings.HasPrefix(c.ContentType(), "multipart/") {
		fh, err := c.FormFile("file")
		if err != nil {
			return nil, errs.InvalidField("file", "Attach the CSV file as \"file\".")
		}
		if fh.Size > maxImportBytes {
			return nil, errs.InvalidField("file", "The file is larger than 4 MB; split it.")
		}
		f, err := fh.Open()
		if err != nil {
			return nil, err
		}
		defer f.Close()
		body = f
	}
	if body == nil {
		return nil, errs.InvalidField("file", "Send the CSV file.")
	}
	res, err := s.clients.Import(c.Request.Context(), actor(c), io.LimitReader(body, maxImportBytes))
	if err != nil {
		return nil, err
	}
	rows := make([]ImportRowView, 0, len(res.Rows))
	for _, r := range res.Rows {
		rows = append(rows, ImportRowView{Line: r.Line, Name: r.Name, Status: r.Status, ClientID: r.ClientID, Error: r.Error, Fields: r.Fields})
	}
	return ImportResultView{Created: res.Created, Failed: res.Failed, Rows: rows}, nil
}

// csvBytes is a ready CSV download.
type csvBytes struct {
	name string
	data []byte
}

func (f csvBytes) render(c *gin.Context, status int) {
	c.Header("Content-Disposition", `attachment; filename="`+f.name+`"`)
	c.Data(status, "text/csv; charset=utf-8", f.data)
}

func (s *Server) exportClients(c *gin.Context) (any, error) {
	data, err := s.clients.Export(c.Request.Context(), actor(c))
	if err != nil {
		return nil, err
	}
	return csvBytes{name: "clients-" + s.now().UTC().Format("2006-01-02") + ".csv", data: data}, nil
}
