package api

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/domain/message"
	"github.com/snoutos/snout/internal/store"
)

// The sitters' scoped API. A sitter sees a thread only while they have an
// assignment window in force with its client and the thread is on their own
// number or assigned to them (store.OrgStore.SitterThread is the rule; its
// list twin is SitterThreads). Everything else is 404, as if it did not
// exist.
//
// Masking. The view types below have no phone-number fields at all: the
// client is a name, the business number a label. Free text that reaches a
// sitter (names, bodies, previews, notes, failure reasons) goes through
// maskPhoneNumbers, so a number typed into a message, or a client still
// named after their number, is not shown either.

func (s *Server) sitterRoutes() []featureRoute {
	return []featureRoute{
		{http.MethodGet, "/api/v1/sitter/threads", s.listSitterThreads},
		{http.MethodGet, "/api/v1/sitter/threads/:id", s.getSitterThread},
		{http.MethodGet, "/api/v1/sitter/threads/:id/messages", s.listSitterMessages},
		{http.MethodPost, "/api/v1/sitter/threads/:id/read", s.markSitterThreadRead},
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

// errNoSitterProfile: a sitter login with no sitter record in this org.
var errNoSitterProfile = &Error{Status: http.StatusNotFound, Code: "not_found",
	Message: "No sitter profile is linked to your login. Ask the business owner to add you as a sitter."}

// sitterOfCaller is the signed-in sitter's record.
func (s *Server) sitterOfCaller(ctx context.Context, p Principal) (*store.Sitter, error) {
	sitter, err := s.store.Org(p.OrgID).SitterByUserID(ctx, p.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errNoSitterProfile
	}
	return sitter, err
}

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

func sitterThreadView(t *store.SitterInboxThread) SitterThreadView {
	return SitterThreadView{
		ID: t.ID, Client: SitterClientView{ID: t.ClientID, Name: sitterClientName(t.ClientName)},
		Line: sitterLine(t.NumberClass), LastMessageAt: t.LastMessageAt, Preview: maskPhoneNumbers(t.LastMessagePreview),
		Unread: t.SitterUnreadCount,
		Window: SitterWindowView{StartsAt: t.WindowStartsAt, EndsAt: t.WindowEndsAt, Note: maskPhoneNumbers(t.WindowNote)},
	}
}

// sitterClientName is the client's name with any phone number hidden (a
// client who texted first is named after their number until the owner
// names them).
func sitterClientName(name string) string {
	masked := strings.TrimSpace(maskPhoneNumbers(name))
	if strings.IndexFunc(masked, unicode.IsLetter) < 0 {
		return "New client"
	}
	return masked
}

func (s *Server) listSitterThreads(c *gin.Context) {
	ctx := c.Request.Context()
	p := principal(c)
	sitter, err := s.sitterOfCaller(ctx, p)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	var after *store.ThreadCursor
	if cur := c.Query("cursor"); cur != "" {
		at, id, ok := inboxCursorParse(cur)
		if !ok {
			respondError(c, s.log, invalidField("cursor", "Use the nextCursor value from the previous page."))
			return
		}
		after = &store.ThreadCursor{LastMessageAt: at, ID: id}
	}
	limit, err := pageLimit(c, 50, 200)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	rows, err := s.store.Org(p.OrgID).SitterThreads(ctx, sitter.ID, s.now(), after, limit+1)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	page := SitterThreadPage{Threads: make([]SitterThreadView, 0, min(len(rows), limit))}
	if len(rows) > limit {
		rows = rows[:limit]
		last := rows[len(rows)-1].Cursor()
		page.NextCursor = inboxCursor(last.LastMessageAt, last.ID)
	}
	for i := range rows {
		page.Threads = append(page.Threads, sitterThreadView(&rows[i]))
	}
	c.JSON(http.StatusOK, page)
}

// sitterThreadAccess checks, by the one rule, that the signed-in sitter may
// see the thread in the path now.
func (s *Server) sitterThreadAccess(c *gin.Context) (*store.Sitter, *store.Thread, error) {
	ctx := c.Request.Context()
	p := principal(c)
	sitter, err := s.sitterOfCaller(ctx, p)
	if err != nil {
		return nil, nil, err
	}
	id, err := pathID(c, "id", "The conversation")
	if err != nil {
		return nil, nil, err
	}
	t, _, err := s.store.Org(p.OrgID).SitterThread(ctx, sitter.ID, id, s.now())
	if err != nil {
		return nil, nil, notFoundOr(err, "The conversation")
	}
	return sitter, t, nil
}

func (s *Server) getSitterThread(c *gin.Context) {
	sitter, t, err := s.sitterThreadAccess(c)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	p := principal(c)
	row, err := s.store.Org(p.OrgID).SitterInboxThread(c.Request.Context(), sitter.ID, t.ID, s.now())
	if err != nil {
		respondError(c, s.log, notFoundOr(err, "The conversation"))
		return
	}
	c.JSON(http.StatusOK, sitterThreadView(row))
}

func (s *Server) listSitterMessages(c *gin.Context) {
	ctx := c.Request.Context()
	sitter, t, err := s.sitterThreadAccess(c)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	before, limit, err := messagePageParams(c)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	org := s.store.Org(principal(c).OrgID)
	client, err := org.ClientByID(ctx, t.ClientID)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	rows, err := org.ThreadMessages(ctx, t.ID, before, limit+1)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	page := SitterMessagePage{NextCursor: olderMessagesCursor(&rows, limit)}
	page.Messages = make([]SitterThreadMessageView, 0, len(rows))
	for i := len(rows) - 1; i >= 0; i-- {
		page.Messages = append(page.Messages, sitterThreadMessageView(&rows[i], client, sitter.ID))
	}
	c.JSON(http.StatusOK, page)
}

func sitterThreadMessageView(m *store.ThreadMessage, client *store.Client, sitterID uuid.UUID) SitterThreadMessageView {
	v := SitterThreadMessageView{
		ID: m.ID, Direction: m.Direction, SenderType: m.SenderType,
		SenderName: maskPhoneNumbers(senderName(m, sitterClientName(client.Name))),
		Mine:       m.SenderSitterID != nil && *m.SenderSitterID == sitterID,
		CreatedAt:  m.CreatedAt, Body: maskPhoneNumbers(m.Body), Status: m.Status,
		FailureReason: maskPhoneNumbers(m.ErrorMessage), Media: []message.MediaItem{},
	}
	national := nationalDigits(client.PhoneE164)
	for _, item := range m.Media {
		// A media link that carries the client's number is left out.
		if national != "" && strings.Contains(onlyDigits(item.URL), national) {
			continue
		}
		v.Media = append(v.Media, item)
	}
	return v
}

func (s *Server) markSitterThreadRead(c *gin.Context) {
	_, t, err := s.sitterThreadAccess(c)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	p := principal(c)
	prev, err := s.store.Org(p.OrgID).MarkThreadReadBySitter(c.Request.Context(), t.ID)
	if err != nil {
		respondError(c, s.log, notFoundOr(err, "The conversation"))
		return
	}
	org := p.OrgID
	s.audit(c, &org, p.UserID.String(), "thread.read", "thread", t.ID.String(), map[string]any{"previousUnread": prev, "role": p.Role})
	c.JSON(http.StatusOK, gin.H{"id": t.ID, "unread": 0})
}

// maskPhoneNumbers hides phone numbers in text shown to sitters. A phone
// number here is a run of digits and the punctuation people group them
// with (spaces, "-", ".", "(", ")", "/", a leading "+") holding 7 digits (a
// local number), 10 or more (a national or international one), or 8 or
// more after a "+". Dates ("2026-12-20", "12/20/2026"), times, prices and
// short counts are left alone.
func maskPhoneNumbers(text string) string {
	if strings.IndexFunc(text, unicode.IsDigit) < 0 {
		return text
	}
	rs := []rune(text)
	var b strings.Builder
	b.Grow(len(text))
	for i := 0; i < len(rs); {
		start := i
		plus := false
		switch {
		case rs[i] == '+' && i+1 < len(rs) && isASCIIDigit(rs[i+1]):
			plus = true
			i++
		case rs[i] == '(' && i+1 < len(rs) && isASCIIDigit(rs[i+1]):
			i++
		case isASCIIDigit(rs[i]):
		default:
			b.WriteRune(rs[i])
			i++
			continue
		}
		// Extend over digits and grouping punctuation; end on a digit or ")".
		digits, end := 0, i
		for j := i; j < len(rs); j++ {
			r := rs[j]
			if isASCIIDigit(r) {
				digits++
				end = j + 1
				continue
			}
			if r == ')' {
				end = j + 1
				continue
			}
			if r == ' ' || r == '-' || r == '.' || r == '(' || r == '/' || r == '\u00a0' {
				continue
			}
			break
		}
		if digits == 7 || digits >= 10 || (plus && digits >= 8) {
			b.WriteString("•••")
		} else {
			b.WriteString(string(rs[start:end]))
		}
		i = end
	}
	return b.String()
}

func isASCIIDigit(r rune) bool { return r >= '0' && r <= '9' }

func onlyDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if isASCIIDigit(r) {
			return r
		}
		return -1
	}, s)
}

// nationalDigits is the part of an E.164 number a person would type
// without the country code: the last 10 digits of a +1 number, otherwise
// everything after the "+" but the first digits (at least 7 kept).
func nationalDigits(e164 string) string {
	d := onlyDigits(e164)
	switch {
	case strings.HasPrefix(e164, "+1") && len(d) == 11:
		return d[1:]
	case len(d) > 9:
		return d[len(d)-9:]
	default:
		return d
	}
}
