package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/domain/message"
	"github.com/snoutos/snout/internal/store"
)

// The owner's inbox: the thread list with filters, search and cursor
// pagination, one thread, its messages, and read state. Owners and admins
// only (policies/policy.csv); sitters have their own API in sitter.go.

func (s *Server) inboxRoutes() []featureRoute {
	return []featureRoute{
		{http.MethodGet, "/api/v1/threads", s.listThreads},
		{http.MethodGet, "/api/v1/threads/:id", s.getThread},
		{http.MethodGet, "/api/v1/threads/:id/messages", s.listThreadMessages},
		{http.MethodPost, "/api/v1/threads/:id/read", s.markThreadRead},
	}
}

// ThreadClientView is the client of a thread, as owners and admins see it.
type ThreadClientView struct {
	ID         uuid.UUID  `json:"id"`
	Name       string     `json:"name"`
	Phone      string     `json:"phone"`
	OptedOut   bool       `json:"optedOut"`
	OptedOutAt *time.Time `json:"optedOutAt,omitempty"`
}

// ThreadSitterView names a sitter.
type ThreadSitterView struct {
	ID   uuid.UUID `json:"id"`
	Name string    `json:"name"`
}

// ThreadNumberView is the business number a thread is on.
type ThreadNumberView struct {
	ID     uuid.UUID `json:"id"`
	E164   string    `json:"e164"`
	Class  string    `json:"class"`
	Name   string    `json:"name"`
	Status string    `json:"status"`
}

// ThreadView is one row of the inbox.
type ThreadView struct {
	ID               uuid.UUID         `json:"id"`
	Client           ThreadClientView  `json:"client"`
	Sitter           *ThreadSitterView `json:"sitter"`
	Number           ThreadNumberView  `json:"number"`
	LastMessageAt    time.Time         `json:"lastMessageAt"`
	Preview          string            `json:"preview"`
	Unread           int               `json:"unread"`
	OpenViolations   int               `json:"openViolations"`
	FailedDeliveries int               `json:"failedDeliveries"`
	WindowStatus     string            `json:"windowStatus"`
}

// ThreadWindowView is the assignment window in force (or next) for the
// thread's sitter and client.
type ThreadWindowView struct {
	ID       uuid.UUID `json:"id"`
	SitterID uuid.UUID `json:"sitterId"`
	StartsAt time.Time `json:"startsAt"`
	EndsAt   time.Time `json:"endsAt"`
}

// ThreadDetailView is one thread with everything the conversation header
// shows.
type ThreadDetailView struct {
	ThreadView
	Window       *ThreadWindowView `json:"window"`
	SitterUnread int               `json:"sitterUnread"`
	CreatedAt    time.Time         `json:"createdAt"`
	// Flags name what needs attention: "opted_out", "policy_violation",
	// "delivery_failure", "number_not_active".
	Flags []string `json:"flags"`
}

// ThreadPage is one page of the inbox.
type ThreadPage struct {
	Threads    []ThreadView `json:"threads"`
	NextCursor string       `json:"nextCursor"`
}

// MessageView is one message as owners and admins see it.
type MessageView struct {
	ID            uuid.UUID           `json:"id"`
	Direction     string              `json:"direction"`
	SenderType    string              `json:"senderType"`
	SenderName    string              `json:"senderName"`
	CreatedAt     time.Time           `json:"createdAt"`
	Body          string              `json:"body"`
	Media         []message.MediaItem `json:"media"`
	Status        string              `json:"status"`
	ErrorCode     *int                `json:"errorCode"`
	FailureReason string              `json:"failureReason"`
	Attempts      int                 `json:"attempts"`
	Encoding      string              `json:"encoding"`
	Segments      int                 `json:"segments"`
	From          string              `json:"from"`
	To            string              `json:"to"`
	DeadLettered  bool                `json:"deadLettered"`
	// Routing is the stored routing trace of an inbound message.
	Routing json.RawMessage `json:"routing,omitempty"`
}

// MessagePage is a page of a conversation, oldest first. NextCursor fetches
// the page of older messages before it ("" when this is the beginning).
type MessagePage struct {
	Messages   []MessageView `json:"messages"`
	NextCursor string        `json:"nextCursor"`
}

func threadView(t *store.InboxThread, now time.Time) ThreadView {
	v := ThreadView{
		ID: t.ID,
		Client: ThreadClientView{ID: t.ClientID, Name: t.ClientName, Phone: t.ClientPhone,
			OptedOut: t.ClientOptedOutAt != nil, OptedOutAt: t.ClientOptedOutAt},
		Number:        ThreadNumberView{ID: t.NumberID, E164: t.NumberE164, Class: t.NumberClass, Name: t.NumberName, Status: t.NumberStatus},
		LastMessageAt: t.LastMessageAt, Preview: t.LastMessagePreview, Unread: t.OwnerUnreadCount,
		OpenViolations: t.OpenViolations, FailedDeliveries: t.FailedDeliveries, WindowStatus: t.WindowStatus(now),
	}
	if t.AssignedSitterID != nil && t.SitterName != nil {
		v.Sitter = &ThreadSitterView{ID: *t.AssignedSitterID, Name: *t.SitterName}
	}
	return v
}

func threadDetailView(t *store.InboxThread, now time.Time) ThreadDetailView {
	v := ThreadDetailView{ThreadView: threadView(t, now), SitterUnread: t.SitterUnreadCount,
		CreatedAt: t.CreatedAt, Flags: []string{}}
	if t.WindowID != nil {
		v.Window = &ThreadWindowView{ID: *t.WindowID, SitterID: *t.WindowSitterID, StartsAt: *t.WindowStartsAt, EndsAt: *t.WindowEndsAt}
	}
	if t.ClientOptedOutAt != nil {
		v.Flags = append(v.Flags, "opted_out")
	}
	if t.OpenViolations > 0 {
		v.Flags = append(v.Flags, "policy_violation")
	}
	if t.FailedDeliveries > 0 {
		v.Flags = append(v.Flags, "delivery_failure")
	}
	if t.NumberStatus != store.NumberActive {
		v.Flags = append(v.Flags, "number_not_active")
	}
	return v
}

func (s *Server) listThreads(c *gin.Context) {
	ctx := c.Request.Context()
	p := principal(c)
	org := s.store.Org(p.OrgID)
	now := s.now()
	f := store.ThreadFilter{Now: now, Search: strings.TrimSpace(c.Query("q"))}
	if utf8.RuneCountInString(f.Search) > 200 {
		respondError(c, s.log, invalidField("q", "Search for at most 200 characters."))
		return
	}
	var err error
	for _, b := range []struct {
		name string
		dst  **bool
	}{{"unread", &f.Unread}, {"assigned", &f.Assigned}, {"violations", &f.Violations}, {"failures", &f.Failures}} {
		if *b.dst, err = inboxBool(c, b.name); err != nil {
			respondError(c, s.log, err)
			return
		}
	}
	// Another org's sitter is not found here, like any other ID.
	if f.SitterID, err = queryOrgID(c, "sitterId", "Use a sitter ID from GET /api/v1/sitters.", "The sitter", org.Sitter); err != nil {
		respondError(c, s.log, err)
		return
	}
	if f.From, f.To, err = dateRange(c); err != nil {
		respondError(c, s.log, err)
		return
	}
	if cur := c.Query("cursor"); cur != "" {
		at, id, ok := inboxCursorParse(cur)
		if !ok {
			respondError(c, s.log, invalidField("cursor", "Use the nextCursor value from the previous page."))
			return
		}
		f.After = &store.ThreadCursor{LastMessageAt: at, ID: id}
	}
	limit, err := pageLimit(c, 50, 200)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	rows, err := org.ListThreads(ctx, f, limit+1)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	page := ThreadPage{Threads: make([]ThreadView, 0, min(len(rows), limit))}
	if len(rows) > limit {
		rows = rows[:limit]
		last := rows[len(rows)-1].Cursor()
		page.NextCursor = inboxCursor(last.LastMessageAt, last.ID)
	}
	for i := range rows {
		page.Threads = append(page.Threads, threadView(&rows[i], now))
	}
	c.JSON(http.StatusOK, page)
}

func (s *Server) getThread(c *gin.Context) {
	p := principal(c)
	id, err := pathID(c, "id", "The thread")
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	now := s.now()
	t, err := s.store.Org(p.OrgID).InboxThread(c.Request.Context(), id, now)
	if err != nil {
		respondError(c, s.log, notFoundOr(err, "The thread"))
		return
	}
	c.JSON(http.StatusOK, threadDetailView(t, now))
}

func (s *Server) listThreadMessages(c *gin.Context) {
	ctx := c.Request.Context()
	p := principal(c)
	org := s.store.Org(p.OrgID)
	id, err := pathID(c, "id", "The thread")
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	before, limit, err := messagePageParams(c)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	t, err := org.InboxThread(ctx, id, s.now())
	if err != nil {
		respondError(c, s.log, notFoundOr(err, "The thread"))
		return
	}
	rows, err := org.ThreadMessages(ctx, id, before, limit+1)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	page := MessagePage{NextCursor: olderMessagesCursor(&rows, limit)}
	page.Messages = make([]MessageView, 0, len(rows))
	// rows are newest first; a conversation reads oldest first.
	for i := len(rows) - 1; i >= 0; i-- {
		page.Messages = append(page.Messages, messageView(&rows[i], t.ClientName))
	}
	c.JSON(http.StatusOK, page)
}

func messageView(m *store.ThreadMessage, clientName string) MessageView {
	v := MessageView{
		ID: m.ID, Direction: m.Direction, SenderType: m.SenderType, SenderName: senderName(m, clientName),
		CreatedAt: m.CreatedAt, Body: m.Body, Media: m.Media, Status: m.Status, ErrorCode: m.ErrorCode,
		FailureReason: m.ErrorMessage, Attempts: m.Attempts, Encoding: m.Encoding, Segments: m.Segments,
		From: m.FromE164, To: m.ToE164, DeadLettered: m.DeadLetteredAt != nil,
	}
	if v.Media == nil {
		v.Media = []message.MediaItem{}
	}
	if m.Direction == store.DirectionInbound && len(m.Routing) > 0 {
		v.Routing = m.Routing
	}
	return v
}

// senderName says who wrote a message, in words.
func senderName(m *store.ThreadMessage, clientName string) string {
	switch m.SenderType {
	case store.SenderClient:
		return clientName
	case store.SenderSitter:
		if m.SenderSitterName != "" {
			return m.SenderSitterName
		}
		return "Sitter"
	case store.SenderOwner, store.SenderAdmin:
		if m.SenderUserName != "" {
			return m.SenderUserName
		}
		return "Front desk"
	case store.SenderAutomation:
		return "Automation"
	default:
		return "Snout"
	}
}

// messagePageParams reads cursor and limit for a page of messages.
func messagePageParams(c *gin.Context) (*store.MessageCursor, int, error) {
	var before *store.MessageCursor
	if cur := c.Query("cursor"); cur != "" {
		at, id, ok := inboxCursorParse(cur)
		if !ok {
			return nil, 0, invalidField("cursor", "Use the nextCursor value from the previous page.")
		}
		before = &store.MessageCursor{CreatedAt: at, ID: id}
	}
	limit, err := pageLimit(c, 50, 200)
	return before, limit, err
}

// olderMessagesCursor trims rows (newest first, fetched limit+1) to a page
// and returns the cursor of the older page, or "".
func olderMessagesCursor(rows *[]store.ThreadMessage, limit int) string {
	if len(*rows) <= limit {
		return ""
	}
	*rows = (*rows)[:limit]
	oldest := (*rows)[limit-1]
	return inboxCursor(oldest.CreatedAt, oldest.ID)
}

func (s *Server) markThreadRead(c *gin.Context) {
	p := principal(c)
	id, err := pathID(c, "id", "The thread")
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	prev, err := s.store.Org(p.OrgID).MarkThreadRead(c.Request.Context(), id)
	if err != nil {
		respondError(c, s.log, notFoundOr(err, "The thread"))
		return
	}
	// Every read is recorded: who opened which conversation, and when.
	org := p.OrgID
	s.audit(c, &org, p.UserID.String(), "thread.read", "thread", id.String(), map[string]any{"previousUnread": prev, "role": p.Role})
	c.JSON(http.StatusOK, gin.H{"id": id, "unread": 0})
}

// --- small helpers shared by the inbox, sitter and window handlers ---------

// inboxBool reads an optional true/false query parameter.
func inboxBool(c *gin.Context, name string) (*bool, error) {
	v := c.Query(name)
	if v == "" {
		return nil, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return nil, invalidField(name, "Use true or false.")
	}
	return &b, nil
}
