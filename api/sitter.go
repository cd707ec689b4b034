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
		{http.MethodGet, "/api/v1/sitter/threads", s.reply(http.StatusOK, handle(bindPageQuery, s.inbox.SitterThreads, sitterThreadPage)),
			doc("The sitter's active conversations", tagSitter).query(qPage(inbox.MaxPageSize)...).ok(SitterThreadPage{})},
		{http.MethodGet, "/api/v1/sitter/threads/:id", s.reply(http.StatusOK, handle(pathIDOf("The conversation"), s.inbox.SitterThread, sitterThreadView)),
			doc("One of the sitter's conversations", tagSitter).ok(SitterThreadView{})},
		{http.MethodGet, "/api/v1/sitter/threads/:id/messages", s.reply(http.StatusOK, handle(bindMessageQuery("The conversation"), s.inbox.SitterMessages, sitterMessagePage)),
			doc("A page of a sitter's conversation, oldest first", tagSitter).query(qPage(inbox.MaxPageSize)...).ok(SitterMessagePage{})},
		{http.MethodPost, "/api/v1/sitter/threads/:id/read", s.reply(http.StatusOK, handle(pathIDOf("The conversation"), s.inbox.SitterMarkRead, threadRead)),
			doc("Mark a sitter's conversation read", tagSitter).ok(ReadView{})},
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

// bindPageQuery reads ?cursor= and ?limit= of a list of threads.
func bindPageQuery(c *gin.Context) (inbox.PageQuery, error) {
	var q inbox.PageQuery
	var err error
	if q.After, err = listCursorParam(c); err != nil {
		return q, err
	}
	q.Limit, err = pageLimit(c, inbox.DefaultPageSize, inbox.MaxPageSize)
	return q, err
}
