package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/domain/message"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service/inbox"
)

// The sitters' scoped API (service/inbox). A sitter sees a thread only
// while they have an assignment window in force with its client and the
// thread is on their own number or assigned to them; everything else is
// 404, as if it did not exist.
//
// No phone number of anyone, by construction: the service's sitter read
// models and the view types below have no phone-number fields at all (the
// client is a name, the business number a label), and the service masks
// numbers written in free text.

func (s *Server) sitterRoutes() []featureRoute {
	return []featureRoute{
		{http.MethodGet, "/api/v1/sitter/threads", s.reply(http.StatusOK, s.listSitterThreads)},
		{http.MethodGet, "/api/v1/sitter/threads/:id", s.reply(http.StatusOK, s.getSitterThread)},
		{http.MethodGet, "/api/v1/sitter/threads/:id/messages", s.reply(http.StatusOK, s.listSitterMessages)},
		{http.MethodPost, "/api/v1/sitter/threads/:id/read", s.reply(http.StatusOK, s.markSitterThreadRead)},
	}
}

// SitterClientView is a client as a sitter sees them: a name.
type SitterClientView struct {
	ID   uuid.UUID `json:"id"`
	Name string    `json:"name"`
}

// SitterLineView is the business line a conversation runs on, by label.
type SitterLineView struct {
	Label string `json:"label"`
	Class string `json:"class"`
}

// SitterWindowView is the sitter's window with the client.
type SitterWindowView struct {
	StartsAt time.Time `json:"startsAt"`
	EndsAt   time.Time `json:"endsAt"`
	Note     string    `json:"note"`
}

// SitterThreadView is a conversation in the sitter's list.
type SitterThreadView struct {
	ID            uuid.UUID        `json:"id"`
	Client        SitterClientView `json:"client"`
	Line          SitterLineView   `json:"line"`
	LastMessageAt time.Time        `json:"lastMessageAt"`
	Preview       string           `json:"preview"`
	Unread        int              `json:"unread"`
	Window        SitterWindowView `json:"window"`
}

// SitterThreadPage is a page of the sitter's list.
type SitterThreadPage struct {
	Threads    []SitterThreadView `json:"threads"`
	NextCursor string             `json:"nextCursor"`
}

// SitterThreadMessageView is a message as a sitter sees it: no numbers, no
// routing trace, no provider details.
type SitterThreadMessageView struct {
	ID            uuid.UUID           `json:"id"`
	Direction     string              `json:"direction"`
	SenderType    string              `json:"senderType"`
	SenderName    string              `json:"senderName"`
	Mine          bool                `json:"mine"`
	CreatedAt     time.Time           `json:"createdAt"`
	Body          string              `json:"body"`
	Media         []message.MediaItem `json:"media"`
	Status        string              `json:"status"`
	FailureReason string              `json:"failureReason"`
}

// SitterMessagePage is a page of a conversation, oldest first; NextCursor
// fetches older messages.
type SitterMessagePage struct {
	Messages   []SitterThreadMessageView `json:"messages"`
	NextCursor string                    `json:"nextCursor"`
}

// sitterLine names the business line a conversation runs on.
func sitterLine(class string) SitterLineView {
	switch class {
	case store.ClassSitter:
		return SitterLineView{Label: "Your line", Class: class}
	case store.ClassFrontDesk:
		return SitterLineView{Label: "Front desk line", Class: class}
	default:
		return SitterLineView{Label: "Business line", Class: class}
	}
}

func sitterThreadView(t inbox.SitterThread) SitterThreadView {
	return SitterThreadView{
		ID: t.ID, Client: SitterClientView{ID: t.ClientID, Name: t.ClientName}, Line: sitterLine(t.LineClass),
		LastMessageAt: t.LastMessageAt, Preview: t.Preview, Unread: t.Unread,
		Window: SitterWindowView{StartsAt: t.WindowStartsAt, EndsAt: t.WindowEndsAt, Note: t.WindowNote},
	}
}

func sitterThreadPage(p inbox.SitterThreadPage) SitterThreadPage {
	page := SitterThreadPage{Threads: make([]SitterThreadView, 0, len(p.Threads)), NextCursor: nextCursor(p.Next)}
	for _, t := range p.Threads {
		page.Threads = append(page.Threads, sitterThreadView(t))
	}
	return page
}

func sitterMessagePage(p inbox.SitterMessagePage) SitterMessagePage {
	page := SitterMessagePage{Messages: make([]SitterThreadMessageView, 0, len(p.Messages)), NextCursor: nextCursor(p.Older)}
	for _, m := range p.Messages {
		page.Messages = append(page.Messages, SitterThreadMessageView{ID: m.ID, Direction: m.Direction, SenderType: m.SenderType,
			SenderName: m.SenderName, Mine: m.Mine, CreatedAt: m.CreatedAt, Body: m.Body, Media: m.Media, Status: m.Status,
			FailureReason: m.FailureReason})
	}
	return page
}

func (s *Server) listSitterThreads(c *gin.Context) (any, error) {
	after, err := listCursorParam(c)
	if err != nil {
		return nil, err
	}
	limit, err := pageLimit(c, inbox.DefaultPageSize, inbox.MaxPageSize)
	if err != nil {
		return nil, err
	}
	return viewOf(sitterThreadPage)(s.inbox.SitterThreads(c.Request.Context(), actor(c), after, limit))
}

func (s *Server) getSitterThread(c *gin.Context) (any, error) {
	id, err := pathID(c, "id", "The conversation")
	if err != nil {
		return nil, err
	}
	return viewOf(sitterThreadView)(s.inbox.SitterThread(c.Request.Context(), actor(c), id))
}

func (s *Server) listSitterMessages(c *gin.Context) (any, error) {
	id, before, limit, err := bindMessagePage(c, "The conversation")
	if err != nil {
		return nil, err
	}
	return viewOf(sitterMessagePage)(s.inbox.SitterMessages(c.Request.Context(), actor(c), id, before, limit))
}

func (s *Server) markSitterThreadRead(c *gin.Context) (any, error) {
	id, err := pathID(c, "id", "The conversation")
	if err != nil {
		return nil, err
	}
	if err := s.inbox.SitterMarkRead(c.Request.Context(), actor(c), id); err != nil {
		return nil, err
	}
	return threadRead(id), nil
}
