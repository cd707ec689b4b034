package inbox

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/domain/message"
	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/internal/twilio/provider"
	"github.com/snoutos/snout/service"
)

// The sitters' view. A sitter sees a thread only while they have an
// assignment window in force with its client and the thread is on their own
// number or assigned to them (the store's sitter select is the rule, for
// the list and for one thread alike). Everything else is not found, as if it
// did not exist. Nothing here carries a phone number: see mask.go.

// SitterThread is a conversation as a sitter sees it: the client by name,
// the business line by its class, never a number.
type SitterThread struct {
	ID            uuid.UUID
	ClientID      uuid.UUID
	ClientName    string
	LineClass     string
	LastMessageAt time.Time
	Preview       string
	Unread        int
	// The sitter's window with the client, in force now.
	WindowStartsAt, WindowEndsAt time.Time
	WindowNote                   string
}

// SitterThreadPage is a page of the sitter's list, newest activity first.
type SitterThreadPage struct {
	Threads []SitterThread
	Next    *store.PageCursor
}

// SitterMessage is a message as a sitter sees it: no numbers, no routing
// trace, no provider details.
type SitterMessage struct {
	ID         uuid.UUID
	Direction  string
	SenderType string
	SenderName string
	// Mine: the signed-in sitter wrote it.
	Mine          bool
	CreatedAt     time.Time
	Body          string
	Media         []message.MediaItem
	Status        string
	FailureReason string
}

// SitterMessagePage is a page of a conversation, oldest first; Older
// fetches older messages.
type SitterMessagePage struct {
	Messages []SitterMessage
	Older    *store.PageCursor
}

// ErrNoSitterProfile: a sitter login with no sitter record in this org.
var ErrNoSitterProfile = &errs.Error{Kind: errs.KindNotFound, Code: "not_found",
	Message: "No sitter profile is linked to your login. Ask the business owner to add you as a sitter."}

// SitterOf is the signed-in sitter's record.
func (s *Service) SitterOf(ctx context.Context, a service.Actor) (*store.Sitter, error) {
	sitter, err := s.Store.Org(a.OrgID).SitterByUserID(ctx, a.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNoSitterProfile
	}
	return sitter, err
}

// PageQuery asks for a page of a list: the first, or the one after a
// cursor.
type PageQuery struct {
	After *store.PageCursor
	Limit int
}

// SitterThreads lists the threads the signed-in sitter may see now.
func (s *Service) SitterThreads(ctx context.Context, a service.Actor, q PageQuery) (SitterThreadPage, error) {
	sitter, err := s.SitterOf(ctx, a)
	if err != nil {
		return SitterThreadPage{}, err
	}
	var cur *store.ThreadCursor
	if q.After != nil {
		cur = &store.ThreadCursor{LastMessageAt: q.After.At, ID: q.After.ID}
	}
	limit := pageSize(q.Limit)
	rows, err := s.Store.Org(a.OrgID).SitterThreads(ctx, sitter.ID, s.Now(), cur, limit+1)
	if err != nil {
		return SitterThreadPage{}, err
	}
	rows, next := service.Page(rows, limit, func(t *store.SitterInboxThread) store.PageCursor {
		return store.PageCursor{At: t.LastMessageAt, ID: t.ID}
	})
	page := SitterThreadPage{Threads: make([]SitterThread, 0, len(rows)), Next: next}
	for i := range rows {
		page.Threads = append(page.Threads, sitterThread(&rows[i]))
	}
	return page, nil
}

// SitterThread loads one thread the signed-in sitter may see now.
func (s *Service) SitterThread(ctx context.Context, a service.Actor, threadID uuid.UUID) (SitterThread, error) {
	_, row, err := s.sitterAccess(ctx, a, threadID)
	if err != nil {
		return SitterThread{}, err
	}
	return sitterThread(row), nil
}

// SitterMessages reads a page of a thread the signed-in sitter may see now.
func (s *Service) SitterMessages(ctx context.Context, a service.Actor, q MessageQuery) (SitterMessagePage, error) {
	sitter, row, err := s.sitterAccess(ctx, a, q.ThreadID)
	if err != nil {
		return SitterMessagePage{}, err
	}
	org := s.Store.Org(a.OrgID)
	client, err := org.ClientByID(ctx, row.ClientID)
	if err != nil {
		return SitterMessagePage{}, err
	}
	rows, older, err := messagesBefore(ctx, org, q)
	if err != nil {
		return SitterMessagePage{}, err
	}
	page := SitterMessagePage{Messages: make([]SitterMessage, 0, len(rows)), Older: older}
	for i := range rows {
		page.Messages = append(page.Messages, sitterMessage(&rows[i], client, sitter.ID))
	}
	return page, nil
}

// SitterMarkRead clears the sitter's unread count of a thread they may see
// now; the read is audited like the owner's.
func (s *Service) SitterMarkRead(ctx context.Context, a service.Actor, threadID uuid.UUID) (Read, error) {
	if _, _, err := s.sitterAccess(ctx, a, threadID); err != nil {
		return Read{}, err
	}
	prev, err := s.Store.Org(a.OrgID).MarkThreadReadBySitter(ctx, threadID)
	if err != nil {
		return Read{}, service.NotFoundOr(err, "The conversation")
	}
	return s.recordRead(ctx, a, Read{ThreadID: threadID, PreviousUnread: prev}), nil
}

// sitterAccess checks, by the one rule, that the signed-in sitter may see
// the thread now.
func (s *Service) sitterAccess(ctx context.Context, a service.Actor, threadID uuid.UUID) (*store.Sitter, *store.SitterInboxThread, error) {
	sitter, err := s.SitterOf(ctx, a)
	if err != nil {
		return nil, nil, err
	}
	row, err := s.Store.Org(a.OrgID).SitterInboxThread(ctx, sitter.ID, threadID, s.Now())
	if err != nil {
		return nil, nil, service.NotFoundOr(err, "The conversation")
	}
	return sitter, row, nil
}

func sitterThread(t *store.SitterInboxThread) SitterThread {
	return SitterThread{
		ID: t.ID, ClientID: t.ClientID, ClientName: sitterClientName(t.ClientName), LineClass: t.NumberClass,
		LastMessageAt: t.LastMessageAt, Preview: MaskPhoneNumbers(t.LastMessagePreview), Unread: t.SitterUnreadCount,
		WindowStartsAt: t.WindowStartsAt, WindowEndsAt: t.WindowEndsAt, WindowNote: MaskPhoneNumbers(t.WindowNote),
	}
}

// failureReason is a failed send's reason in plain words: a sitter never
// sees a raw provider code or SID (diagnostics is the owner's).
func failureReason(m *store.ThreadMessage) string {
	code := 0
	if m.ErrorCode != nil {
		code = *m.ErrorCode
	}
	if code == 0 && m.ErrorMessage == "" {
		return ""
	}
	return provider.Reason(code, m.ErrorMessage)
}

func sitterMessage(m *store.ThreadMessage, client *store.Client, sitterID uuid.UUID) SitterMessage {
	v := SitterMessage{
		ID: m.ID, Direction: m.Direction, SenderType: m.SenderType,
		SenderName: MaskPhoneNumbers(SenderName(m, sitterClientName(client.Name))),
		Mine:       m.SenderSitterID != nil && *m.SenderSitterID == sitterID,
		CreatedAt:  m.CreatedAt, Body: MaskPhoneNumbers(m.Body), Status: m.Status,
		FailureReason: MaskPhoneNumbers(failureReason(m)), Media: []message.MediaItem{},
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
