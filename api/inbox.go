package api

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/domain/message"
	"github.com/snoutos/snout/internal/domain/routing"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service/inbox"
	routingsvc "github.com/snoutos/snout/service/routing"
)

// The owner's inbox (service/inbox): the thread list with filters, search
// and cursor pagination, one thread, its messages, and read state. Owners
// and admins only (policies/policy.csv); sitters have their own API in
// sitter.go.

func (s *Server) inboxRoutes() []featureRoute {
	return []featureRoute{
		{http.MethodGet, "/api/v1/threads", s.reply(http.StatusOK, handle(bindThreadQuery, s.inbox.Threads, threadPage)),
			doc("The inbox: threads, newest activity first, with filters and search", tagInbox).query(threadQueryParams...).ok(ThreadPage{})},
		{http.MethodGet, "/api/v1/threads/:id", s.reply(http.StatusOK, handle(pathIDOf("The thread"), s.inbox.Thread, threadDetailView)),
			doc("One thread with its conversation header", tagInbox).ok(ThreadDetailView{})},
		{http.MethodGet, "/api/v1/threads/:id/messages", s.reply(http.StatusOK, handle(bindMessageQuery("The thread"), s.inbox.Messages, messagePage)),
			doc("A page of a thread's messages, oldest first; nextCursor fetches older ones", tagInbox).query(qPage(inbox.MaxPageSize)...).ok(MessagePage{})},
		{http.MethodPost, "/api/v1/threads/:id/read", s.reply(http.StatusOK, handle(pathIDOf("The thread"), s.inbox.MarkRead, threadRead)),
			doc("Mark a thread read", tagInbox).ok(ReadView{})},
	}
}

// threadQueryParams are the inbox's filters.
var threadQueryParams = append([]param{
	qString("q", "Search over client name, message text, sitter name and number."),
	qBool("unread", "Only threads with unread messages (or none)."), qBool("assigned", "Only threads assigned to a sitter (or not)."),
	qBool("violations", "Only threads with an open policy violation."), qBool("failures", "Only threads with a failed delivery."),
	qUUID("sitterId", "Only this sitter's threads."), qTime("from", "Activity at or after."), qTime("to", "Activity before."),
}, qPage(inbox.MaxPageSize)...)

// ReadView answers a read: the thread, with nothing unread.
type ReadView struct {
	ID     uuid.UUID `json:"id"`
	Unread int       `json:"unread"`
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
	// RoutingOverride is the override in force on the thread (null: none):
	// its texts go to its target until it ends.
	RoutingOverride *OverrideView `json:"routingOverride"`
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
	// Routing is why an inbound message went where it did.
	Routing *RoutingView `json:"routing,omitempty"`
	// trace is the stored decision Routing is rendered from, for the
	// reader (forViewer).
	trace *routing.Trace
}

// MessagePage is a page of a conversation, oldest first. NextCursor fetches
// the page of older messages before it ("" when this is the beginning).
type MessagePage struct {
	Messages   []MessageView `json:"messages"`
	NextCursor string        `json:"nextCursor"`
}

func threadView(t inbox.Thread) ThreadView {
	v := ThreadView{
		ID: t.ID,
		Client: ThreadClientView{ID: t.ClientID, Name: t.ClientName, Phone: t.ClientPhone,
			OptedOut: t.ClientOptedOutAt != nil, OptedOutAt: t.ClientOptedOutAt},
		Number:        ThreadNumberView{ID: t.NumberID, E164: t.NumberE164, Class: t.NumberClass, Name: t.NumberName, Status: t.NumberStatus},
		LastMessageAt: t.LastMessageAt, Preview: t.LastMessagePreview, Unread: t.OwnerUnreadCount,
		OpenViolations: t.OpenViolations, FailedDeliveries: t.FailedDeliveries, WindowStatus: t.WindowNow,
	}
	if t.AssignedSitterID != nil && t.SitterName != nil {
		v.Sitter = &ThreadSitterView{ID: *t.AssignedSitterID, Name: *t.SitterName}
	}
	return v
}

func threadDetailView(t inbox.ThreadDetail) ThreadDetailView {
	v := ThreadDetailView{ThreadView: threadView(t.Thread), SitterUnread: t.SitterUnreadCount, CreatedAt: t.CreatedAt, Flags: t.Flags}
	if t.WindowID != nil {
		v.Window = &ThreadWindowView{ID: *t.WindowID, SitterID: *t.WindowSitterID, StartsAt: *t.WindowStartsAt, EndsAt: *t.WindowEndsAt}
	}
	if t.Override != nil {
		ov := overrideView(routingsvc.Override{OverrideRow: *t.Override, Status: routingsvc.OverrideActive})
		v.RoutingOverride = &ov
	}
	return v
}

func threadPage(p inbox.ThreadPage) ThreadPage {
	page := ThreadPage{Threads: make([]ThreadView, 0, len(p.Threads)), NextCursor: nextCursor(p.Next)}
	for _, t := range p.Threads {
		page.Threads = append(page.Threads, threadView(t))
	}
	return page
}

func messagePage(p inbox.MessagePage) MessagePage {
	page := MessagePage{Messages: make([]MessageView, 0, len(p.Messages)), NextCursor: nextCursor(p.Older)}
	for i := range p.Messages {
		page.Messages = append(page.Messages, messageView(&p.Messages[i]))
	}
	return page
}

func messageView(m *inbox.Message) MessageView {
	v := MessageView{
		ID: m.ID, Direction: m.Direction, SenderType: m.SenderType, SenderName: m.SenderName,
		CreatedAt: m.CreatedAt, Body: m.Body, Media: m.Media, Status: m.Status, ErrorCode: m.ErrorCode,
		FailureReason: m.ErrorMessage, Attempts: m.Attempts, Encoding: m.Encoding, Segments: m.Segments,
		From: m.FromE164, To: m.ToE164, DeadLettered: m.DeadLetteredAt != nil,
	}
	if v.Media == nil {
		v.Media = []message.MediaItem{}
	}
	if m.Direction == store.DirectionInbound && len(m.Routing) > 0 {
		var t routing.Trace
		if err := json.Unmarshal(m.Routing, &t); err == nil && t.Rule != "" {
			v.trace = &t
		}
	}
	return v
}

func bindThreadQuery(c *gin.Context) (inbox.ThreadQuery, error) {
	q := inbox.ThreadQuery{Search: c.Query("q")}
	var err error
	for _, b := range []struct {
		name string
		dst  **bool
	}{{"unread", &q.Unread}, {"assigned", &q.Assigned}, {"violations", &q.Violations}, {"failures", &q.Failures}} {
		if *b.dst, err = queryBool(c, b.name); err != nil {
			return q, err
		}
	}
	if q.SitterID, err = queryUUID(c, "sitterId", "Use a sitter ID from GET /api/v1/sitters."); err != nil {
		return q, err
	}
	if q.From, q.To, err = dateRange(c); err != nil {
		return q, err
	}
	if q.After, err = listCursorParam(c); err != nil {
		return q, err
	}
	q.Limit, err = pageLimit(c, inbox.DefaultPageSize, inbox.MaxPageSize)
	return q, err
}

// bindMessageQuery reads the thread in the path and the page of its
// messages asked for.
func bindMessageQuery(what string) func(*gin.Context) (inbox.MessageQuery, error) {
	return func(c *gin.Context) (inbox.MessageQuery, error) {
		var q inbox.MessageQuery
		var err error
		if q.ThreadID, err = pathID(c, "id", what); err != nil {
			return q, err
		}
		if q.Before, err = listCursorParam(c); err != nil {
			return q, err
		}
		q.Limit, err = pageLimit(c, inbox.DefaultPageSize, inbox.MaxPageSize)
		return q, err
	}
}

// threadRead is the answer to a read: the thread, with nothing unread.
func threadRead(r inbox.Read) ReadView { return ReadView{ID: r.ThreadID} }

// Message statuses, directions and sender types, for the document's enums.
var (
	messageStatuses = []string{store.StatusReceived, store.StatusBlocked, store.StatusPending, store.StatusQueued, store.StatusSending,
		store.StatusSent, store.StatusDelivered, store.StatusUndelivered, store.StatusFailed, store.StatusDiscarded}
	directions  = []string{store.DirectionInbound, store.DirectionOutbound}
	senderTypes = []string{store.SenderClient, store.SenderOwner, store.SenderAdmin, store.SenderSitter, store.SenderAutomation, store.SenderSystem}
	classes     = []string{store.ClassFrontDesk, store.ClassSitter, store.ClassPool}
)

var (
	_ = schemaEnum[ThreadView]("windowStatus", store.InboxWindowActive, store.InboxWindowScheduled, store.InboxWindowNone)
	_ = schemaEnum[ThreadNumberView]("class", classes...)
	_ = schemaEnum[ThreadDetailView]("flags", "opted_out", "policy_violation", "delivery_failure", "number_not_active")
	_ = schemaEnum[MessageView]("status", messageStatuses...)
	_ = schemaEnum[MessageView]("direction", directions...)
	_ = schemaEnum[MessageView]("senderType", senderTypes...)
	_ = schemaEnum[StaffMessageView]("status", messageStatuses...)
	_ = schemaEnum[StaffMessageView]("direction", directions...)
	_ = schemaEnum[StaffMessageView]("senderType", senderTypes...)
	_ = schemaEnum[SitterMessageView]("status", messageStatuses...)
	_ = schemaEnum[SitterMessageView]("direction", directions...)
	_ = schemaEnum[SitterMessageView]("senderType", senderTypes...)
	_ = schemaEnum[SitterThreadMessageView]("status", messageStatuses...)
	_ = schemaEnum[SitterThreadMessageView]("direction", directions...)
	_ = schemaEnum[SitterThreadMessageView]("senderType", senderTypes...)
	_ = schemaEnum[SitterLineView]("class", classes...)
	_ = schemaEnum[SessionView]("role", store.RoleOwner, store.RoleAdmin, store.RoleSitter)
	_ = schemaEnum[AlertView]("severity", store.SeverityCritical, store.SeverityWarning, store.SeverityInfo)
	_ = schemaEnum[AlertView]("status", store.AlertOpen, store.AlertAcknowledged, store.AlertResolved, store.AlertDismissed)
)
