// Package inbox is the application layer of the conversations: the owner's
// inbox (threads with filters and search, one thread, its messages, read
// state), the client and sitter pickers, and the sitters' own scoped view
// of the threads they may see now.
package inbox

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
)

// Service holds the inbox's use cases.
type Service struct {
	Store   *store.Store
	Now     func() time.Time
	Auditor service.Auditor
}

// Page sizes and limits of the lists.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
	// MaxSearchLength is the longest search text, in characters.
	MaxSearchLength = 200
)

// Thread is one inbox row as of the moment it was read.
type Thread struct {
	store.InboxThread
	// WindowNow is the window status of the thread's sitter with its
	// client then: "active", "scheduled" or "none".
	WindowNow string
}

// ThreadDetail is one thread with what needs attention.
type ThreadDetail struct {
	Thread
	// Flags name what needs attention: "opted_out", "policy_violation",
	// "delivery_failure", "number_not_active".
	Flags []string
	// Override is the routing override in force on the thread, if any.
	Override *store.OverrideRow
}

// ThreadQuery narrows the owner's inbox.
type ThreadQuery struct {
	// Search matches client name, message text, sitter name and phone
	// numbers; at most MaxSearchLength characters.
	Search string
	// Unread, Assigned, Violations, Failures: only threads with (true) or
	// without (false) unread messages, a sitter, open policy violations,
	// failed deliveries.
	Unread, Assigned, Violations, Failures *bool
	// SitterID: only threads assigned to this sitter of the org.
	SitterID *uuid.UUID
	// From, To bound the last activity.
	From, To *time.Time
	After    *store.PageCursor
	Limit    int
}

// ThreadPage is one page of the inbox, newest activity first.
type ThreadPage struct {
	Threads []Thread
	Next    *store.PageCursor
}

// Threads lists the owner's inbox. A sitter of another org is not found,
// like any other ID.
func (s *Service) Threads(ctx context.Context, a service.Actor, q ThreadQuery) (ThreadPage, error) {
	search, err := searchText(q.Search)
	if err != nil {
		return ThreadPage{}, err
	}
	org := s.Store.Org(a.OrgID)
	if q.SitterID != nil {
		if _, err := org.Sitter(ctx, *q.SitterID); err != nil {
			return ThreadPage{}, service.NotFoundOr(err, "The sitter")
		}
	}
	now := s.Now()
	f := store.ThreadFilter{Now: now, Search: search, Unread: q.Unread, Assigned: q.Assigned, Violations: q.Violations,
		Failures: q.Failures, SitterID: q.SitterID, From: q.From, To: q.To}
	if q.After != nil {
		f.After = &store.ThreadCursor{LastMessageAt: q.After.At, ID: q.After.ID}
	}
	limit := pageSize(q.Limit)
	rows, err := org.ListThreads(ctx, f, limit+1)
	if err != nil {
		return ThreadPage{}, err
	}
	rows, next := service.Page(rows, limit, func(t *store.InboxThread) store.PageCursor {
		return store.PageCursor{At: t.LastMessageAt, ID: t.ID}
	})
	return ThreadPage{Threads: threadsAt(rows, now), Next: next}, nil
}

// Thread loads one thread of the inbox.
func (s *Service) Thread(ctx context.Context, a service.Actor, id uuid.UUID) (ThreadDetail, error) {
	now := s.Now()
	t, err := s.Store.Org(a.OrgID).InboxThread(ctx, id, now)
	if err != nil {
		return ThreadDetail{}, service.NotFoundOr(err, "The thread")
	}
	d := ThreadDetail{Thread: Thread{InboxThread: *t, WindowNow: t.WindowStatus(now)}, Flags: Flags(t)}
	overrides, err := s.Store.Org(a.OrgID).Overrides(ctx, store.OverrideFilter{ThreadID: &id, Active: true, Now: now}, 1)
	if err != nil {
		return ThreadDetail{}, err
	}
	if len(overrides) > 0 {
		d.Override = &overrides[0]
	}
	return d, nil
}

// Flags says what about a thread needs the owner's attention.
func Flags(t *store.InboxThread) []string {
	flags := []string{}
	if t.ClientOptedOutAt != nil {
		flags = append(flags, "opted_out")
	}
	if t.OpenViolations > 0 {
		flags = append(flags, "policy_violation")
	}
	if t.FailedDeliveries > 0 {
		flags = append(flags, "delivery_failure")
	}
	if t.NumberStatus != store.NumberActive {
		flags = append(flags, "number_not_active")
	}
	return flags
}

// Message is a message with who wrote it, in words.
type Message struct {
	store.ThreadMessage
	SenderName string
}

// MessagePage is a page of a conversation, oldest first; Older is the
// cursor of the page of older messages (nil at the beginning).
type MessagePage struct {
	Messages []Message
	Older    *store.PageCursor
}

// MessageQuery asks for a page of a thread's messages: the newest, or
// those before a cursor.
type MessageQuery struct {
	ThreadID uuid.UUID
	Before   *store.PageCursor
	Limit    int
}

// Messages reads a page of a thread's messages.
func (s *Service) Messages(ctx context.Context, a service.Actor, q MessageQuery) (MessagePage, error) {
	org := s.Store.Org(a.OrgID)
	t, err := org.InboxThread(ctx, q.ThreadID, s.Now())
	if err != nil {
		return MessagePage{}, service.NotFoundOr(err, "The thread")
	}
	rows, older, err := messagesBefore(ctx, org, q)
	if err != nil {
		return MessagePage{}, err
	}
	page := MessagePage{Messages: make([]Message, 0, len(rows)), Older: older}
	for _, m := range rows {
		page.Messages = append(page.Messages, Message{ThreadMessage: m, SenderName: SenderName(&m, t.ClientName)})
	}
	return page, nil
}

// messagesBefore reads the page of messages q asks for and returns them
// oldest first, with the cursor of the older page.
func messagesBefore(ctx context.Context, org *store.OrgStore, q MessageQuery) ([]store.ThreadMessage, *store.PageCursor, error) {
	var cur *store.MessageCursor
	if q.Before != nil {
		cur = &store.MessageCursor{CreatedAt: q.Before.At, ID: q.Before.ID}
	}
	limit := pageSize(q.Limit)
	rows, err := org.ThreadMessages(ctx, q.ThreadID, cur, limit+1)
	if err != nil {
		return nil, nil, err
	}
	// Rows come newest first; the page's last row is its oldest.
	rows, older := service.Page(rows, limit, func(m *store.ThreadMessage) store.PageCursor {
		return store.PageCursor{At: m.CreatedAt, ID: m.ID}
	})
	for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
		rows[i], rows[j] = rows[j], rows[i]
	}
	return rows, older, nil
}

// SenderName says who wrote a message, in words.
func SenderName(m *store.ThreadMessage, clientName string) string {
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

// Read is a thread marked read, and how many messages were unread.
type Read struct {
	ThreadID       uuid.UUID
	PreviousUnread int
}

// MarkRead clears the owner's unread count of a thread. Every read is
// recorded: who opened which conversation, and when.
func (s *Service) MarkRead(ctx context.Context, a service.Actor, threadID uuid.UUID) (Read, error) {
	prev, err := s.Store.Org(a.OrgID).MarkThreadRead(ctx, threadID)
	if err != nil {
		return Read{}, service.NotFoundOr(err, "The thread")
	}
	return s.recordRead(ctx, a, Read{ThreadID: threadID, PreviousUnread: prev}), nil
}

func (s *Service) recordRead(ctx context.Context, a service.Actor, r Read) Read {
	s.Auditor.Record(ctx, a, service.Event{Action: "thread.read", EntityType: "thread", EntityID: r.ThreadID.String(),
		Detail: map[string]any{"previousUnread": r.PreviousUnread, "role": a.Role}})
	return r
}

func threadsAt(rows []store.InboxThread, now time.Time) []Thread {
	out := make([]Thread, 0, len(rows))
	for _, t := range rows {
		out = append(out, Thread{InboxThread: t, WindowNow: t.WindowStatus(now)})
	}
	return out
}

// searchText is the search box's text, trimmed; longer than
// MaxSearchLength characters is refused.
func searchText(q string) (string, error) {
	q = strings.TrimSpace(q)
	if utf8.RuneCountInString(q) > MaxSearchLength {
		return "", errs.InvalidField("q", fmt.Sprintf("Search for at most %d characters.", MaxSearchLength))
	}
	return q, nil
}

// pageSize is limit, or the default page size when none was asked for.
func pageSize(limit int) int {
	if limit <= 0 {
		return DefaultPageSize
	}
	return limit
}

// Counts are the numbers on the dashboard's badges. A sitter's are their
// own: the conversations they may see now with messages they have not
// read, and no alerts (OpenAlerts is nil).
type Counts struct {
	UnreadThreads int
	OpenAlerts    *int
}

// Counts counts what the actor's badges show.
func (s *Service) Counts(ctx context.Context, a service.Actor) (Counts, error) {
	if a.IsSitter() {
		sitter, err := s.SitterOf(ctx, a)
		if err != nil {
			return Counts{}, err
		}
		n, err := s.Store.Org(a.OrgID).SitterUnreadThreads(ctx, sitter.ID, s.Now())
		return Counts{UnreadThreads: n}, err
	}
	c, err := s.Store.Org(a.OrgID).InboxCounts(ctx)
	if err != nil {
		return Counts{}, err
	}
	return Counts{UnreadThreads: c.UnreadThreads, OpenAlerts: &c.OpenAlerts}, nil
}
