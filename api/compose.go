package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/domain/contentpolicy"
	"github.com/snoutos/snout/internal/domain/message"
	"github.com/snoutos/snout/internal/domain/segments"
	"github.com/snoutos/snout/internal/platform/obs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/internal/twilio/provider"
)

// composeRoutes: sending inside a thread (owner, admin, sitter), the
// owner's review of messages the content policy stopped, the dead-letter
// list and alerts.
func (s *Server) composeRoutes() []featureRoute {
	return []featureRoute{
		{http.MethodPost, "/api/v1/threads/:id/messages", s.composeStaffMessage},
		{http.MethodPost, "/api/v1/sitter/threads/:id/messages", s.composeSitterMessage},

		{http.MethodGet, "/api/v1/policy-violations", s.listPolicyViolations},
		{http.MethodGet, "/api/v1/policy-violations/:id", s.getPolicyViolation},
		{http.MethodPost, "/api/v1/policy-violations/:id/dismiss", s.dismissPolicyViolation},
		{http.MethodPost, "/api/v1/policy-violations/:id/override", s.overridePolicyViolation},

		{http.MethodGet, "/api/v1/ops/dead-letters", s.listDeadLetters},
		{http.MethodPost, "/api/v1/ops/dead-letters/:id/retry", s.retryDeadLetter},
		{http.MethodPost, "/api/v1/ops/dead-letters/:id/discard", s.discardDeadLetter},

		{http.MethodGet, "/api/v1/alerts", s.listAlerts},
		{http.MethodPost, "/api/v1/alerts/:id/acknowledge", s.closeAlertAs(store.AlertAcknowledged)},
		{http.MethodPost, "/api/v1/alerts/:id/resolve", s.closeAlertAs(store.AlertResolved)},
		{http.MethodPost, "/api/v1/alerts/:id/dismiss", s.closeAlertAs(store.AlertDismissed)},
	}
}

// ---- Compose ----

// ComposeRequest is the body of a new message.
type ComposeRequest struct {
	Body      string   `json:"body"`
	MediaURLs []string `json:"mediaUrls"`
}

// maxMediaItems is Twilio's limit on attachments per message.
const maxMediaItems = 10

// StaffMessageView is an outbound message as the owner and admins see it.
type StaffMessageView struct {
	ID            uuid.UUID  `json:"id"`
	ThreadID      uuid.UUID  `json:"threadId"`
	Direction     string     `json:"direction"`
	SenderType    string     `json:"senderType"`
	SenderUserID  *uuid.UUID `json:"senderUserId,omitempty"`
	Body          string     `json:"body"`
	MediaURLs     []string   `json:"mediaUrls"`
	From          string     `json:"from"`
	To            string     `json:"to"`
	Status        string     `json:"status"`
	Encoding      string     `json:"encoding"`
	Segments      int        `json:"segments"`
	Attempts      int        `json:"attempts"`
	ErrorCode     *int       `json:"errorCode,omitempty"`
	ErrorMessage  string     `json:"errorMessage,omitempty"`
	CorrelationID string     `json:"correlationId"`
	CreatedAt     time.Time  `json:"createdAt"`
}

// SitterMessageView is a message as its sitter sees it: no phone number of
// anyone, by construction (the type has no field for one).
type SitterMessageView struct {
	ID         uuid.UUID `json:"id"`
	ThreadID   uuid.UUID `json:"threadId"`
	Direction  string    `json:"direction"`
	SenderType string    `json:"senderType"`
	Body       string    `json:"body"`
	MediaURLs  []string  `json:"mediaUrls"`
	Status     string    `json:"status"`
	Encoding   string    `json:"encoding"`
	Segments   int       `json:"segments"`
	CreatedAt  time.Time `json:"createdAt"`
}

func staffMessageView(m *store.Message) StaffMessageView {
	return StaffMessageView{
		ID: m.ID, ThreadID: m.ThreadID, Direction: m.Direction, SenderType: m.SenderType, SenderUserID: m.SenderUserID,
		Body: m.Body, MediaURLs: mediaURLs(m.Media), From: m.FromE164, To: m.ToE164, Status: m.Status, Encoding: m.Encoding,
		Segments: m.Segments, Attempts: m.Attempts, ErrorCode: m.ErrorCode, ErrorMessage: m.ErrorMessage,
		CorrelationID: m.CorrelationID, CreatedAt: m.CreatedAt,
	}
}

func sitterMessageView(m *store.Message) SitterMessageView {
	return SitterMessageView{
		ID: m.ID, ThreadID: m.ThreadID, Direction: m.Direction, SenderType: m.SenderType, Body: m.Body,
		MediaURLs: mediaURLs(m.Media), Status: m.Status, Encoding: m.Encoding, Segments: m.Segments, CreatedAt: m.CreatedAt,
	}
}

func mediaURLs(items []message.MediaItem) []string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		out = append(out, it.URL)
	}
	return out
}

// composeStaffMessage sends an owner's or admin's message in a thread.
func (s *Server) composeStaffMessage(c *gin.Context) {
	ctx := c.Request.Context()
	p := principal(c)
	threadID, err := pathID(c, "id", "This conversation")
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	req, err := bindCompose(c)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	org := s.store.Org(p.OrgID)
	conv, err := org.Conversation(ctx, threadID)
	if err != nil {
		respondError(c, s.log, notFoundOr(err, "This conversation"))
		return
	}
	if err := conversationCanSend(conv); err != nil {
		respondError(c, s.log, err)
		return
	}
	sender := store.SenderAdmin
	if p.Role == store.RoleOwner {
		sender = store.SenderOwner
	}
	m := s.newOutboundMessage(ctx, conv, req, sender)
	m.SenderUserID = &p.UserID
	if err := s.storeAndDeliver(ctx, org, m); err != nil {
		respondError(c, s.log, err)
		return
	}
	s.audit(c, &p.OrgID, p.UserID.String(), "message.composed", "message", m.ID.String(), map[string]any{
		"threadId": conv.Thread.ID.String(), "senderType": sender, "segments": m.Segments, "encoding": m.Encoding, "media": len(m.Media),
	})
	c.JSON(http.StatusAccepted, staffMessageView(m))
}

// composeSitterMessage sends a sitter's message in a thread they may write
// in now, after screening it with the content policy.
func (s *Server) composeSitterMessage(c *gin.Context) {
	ctx := c.Request.Context()
	p := principal(c)
	org := s.store.Org(p.OrgID)
	threadID, err := pathID(c, "id", "This conversation")
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	sitter, err := org.SitterByUserID(ctx, p.UserID)
	if errors.Is(err, store.ErrNotFound) {
		respondError(c, s.log, forbidden("Your account isn't set up as a sitter in this business."))
		return
	}
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	now := s.now()
	if _, _, err := org.SitterThread(ctx, sitter.ID, threadID, now); err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			respondError(c, s.log, err)
			return
		}
		respondError(c, s.log, s.outsideWindowError(ctx, org, sitter.ID, threadID, now))
		return
	}
	req, err := bindCompose(c)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	conv, err := org.Conversation(ctx, threadID)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	conv.Client.Name = sitterSafeName(conv.Client.Name)
	if err := conversationCanSend(conv); err != nil {
		respondError(c, s.log, err)
		return
	}
	m := s.newOutboundMessage(ctx, conv, req, store.SenderSitter)
	m.SenderUserID, m.SenderSitterID = &p.UserID, &sitter.ID

	if screen := contentpolicy.Screen(req.Body); screen.Blocked() {
		s.blockSitterMessage(c, org, m, sitter.ID, screen)
		return
	}
	if err := s.storeAndDeliver(ctx, org, m); err != nil {
		respondError(c, s.log, err)
		return
	}
	s.audit(c, &p.OrgID, p.UserID.String(), "message.composed", "message", m.ID.String(), map[string]any{
		"threadId": conv.Thread.ID.String(), "senderType": store.SenderSitter, "sitterId": sitter.ID.String(),
		"segments": m.Segments, "encoding": m.Encoding, "media": len(m.Media),
	})
	c.JSON(http.StatusAccepted, sitterMessageView(m))
}

// blockSitterMessage stores a message the content policy stopped, records
// the violation for the owner's review and tells the sitter why.
func (s *Server) blockSitterMessage(c *gin.Context, org *store.OrgStore, m *store.Message, sitterID uuid.UUID, screen contentpolicy.Result) {
	ctx := c.Request.Context()
	p := principal(c)
	m.Status = store.StatusBlocked
	var kinds, reasons []string
	excerpts := make([]store.Excerpt, 0, len(screen.Violations))
	for _, v := range screen.Violations {
		excerpts = append(excerpts, store.Excerpt{Kind: string(v.Kind), Excerpt: v.Excerpt, Reason: v.Reason})
		if !containsString(kinds, string(v.Kind)) {
			kinds = append(kinds, string(v.Kind))
			reasons = append(reasons, v.Reason)
		}
	}
	raw, _ := json.Marshal(excerpts)
	v := &store.PolicyViolation{
		ID: store.NewID(), OrgID: org.OrgID(), MessageID: m.ID, ThreadID: m.ThreadID, SitterID: &sitterID,
		Kinds: kinds, Excerpts: raw, Status: store.ViolationOpen, CreatedAt: m.CreatedAt,
	}
	if err := org.CreateBlockedMessage(ctx, m, v); err != nil {
		respondError(c, s.log, err)
		return
	}
	s.audit(c, &p.OrgID, p.UserID.String(), "message.blocked", "message", m.ID.String(), map[string]any{
		"threadId": m.ThreadID.String(), "sitterId": sitterID.String(), "violationId": v.ID.String(), "kinds": kinds,
	})
	reason := strings.Join(reasons, " ")
	respondError(c, s.log, &Error{
		Status: http.StatusUnprocessableEntity, Code: "policy_violation",
		Message: "Your message wasn't sent. " + reason + " The business owner has been told and may review it.",
		Fields:  map[string]string{"body": reason},
	})
}

// outsideWindowError explains why a sitter cannot write in a thread: 403
// with the window's times when the thread is theirs outside a window, 404
// when it is not theirs at all (or not in this org).
func (s *Server) outsideWindowError(ctx context.Context, org *store.OrgStore, sitterID, threadID uuid.UUID, now time.Time) error {
	t, last, next, err := org.SitterThreadOutsideWindow(ctx, sitterID, threadID, now)
	if err != nil {
		return notFoundOr(err, "This conversation")
	}
	name := "this client"
	if conv, err := org.Conversation(ctx, t.ID); err == nil {
		name = sitterSafeName(conv.Client.Name)
	}
	loc := s.orgLocation(ctx, org.OrgID())
	const rule = " — messages can only be sent during an assignment window."
	switch {
	case next != nil && (last == nil || next.StartsAt.Sub(now) < now.Sub(last.EndsAt)):
		return forbidden(fmt.Sprintf("Your assignment with %s starts at %s%s", name, next.StartsAt.In(loc).Format("Mon Jan 2, 3:04 PM MST"), rule))
	default:
		return forbidden(fmt.Sprintf("Your assignment with %s ended at %s%s", name, last.EndsAt.In(loc).Format("Mon Jan 2, 3:04 PM MST"), rule))
	}
}

// sitterSafeName is a client's name as words shown to a sitter may carry
// it: a client who is still named after their phone number (an unknown
// sender) is "this client".
func sitterSafeName(name string) string {
	if strings.TrimSpace(name) == "" || strings.ContainsAny(name, "0123456789") {
		return "this client"
	}
	return name
}

func (s *Server) orgLocation(ctx context.Context, orgID uuid.UUID) *time.Location {
	o, err := s.store.OrgByID(ctx, orgID)
	if err != nil {
		return time.UTC
	}
	loc, err := time.LoadLocation(o.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// bindCompose reads and validates a compose body.
func bindCompose(c *gin.Context) (ComposeRequest, error) {
	var req ComposeRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		return req, badRequest(`Send a JSON body like {"body": "…", "mediaUrls": []}.`, nil)
	}
	if len(req.MediaURLs) > maxMediaItems {
		return req, invalidField("mediaUrls", fmt.Sprintf("A message can carry at most %d pictures or files.", maxMediaItems))
	}
	for _, raw := range req.MediaURLs {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return req, invalidField("mediaUrls", "Each attachment must be a public http(s) URL.")
		}
	}
	err := segments.Validate(req.Body)
	var tooLong *segments.TooLongError
	switch {
	case errors.As(err, &tooLong):
		msg := fmt.Sprintf("This message has %s characters; the limit is %s. Shorten it and send again.",
			groupThousands(tooLong.Characters), groupThousands(tooLong.Limit))
		return req, &Error{Status: http.StatusBadRequest, Code: "message_too_long", Message: msg,
			Fields: map[string]string{"body": msg, "length": strconv.Itoa(tooLong.Characters), "limit": strconv.Itoa(tooLong.Limit)}}
	case errors.Is(err, segments.ErrEmpty) && len(req.MediaURLs) == 0:
		return req, invalidField("body", "Write a message before sending.")
	}
	return req, nil
}

// conversationCanSend refuses texts to a client who opted out, and from a
// number that cannot send.
func conversationCanSend(conv *store.Conversation) error {
	if cl := conv.Client; cl.OptedOutAt != nil {
		kw := cl.OptedOutKeyword
		if kw == "" {
			kw = "STOP"
		}
		name := cl.Name
		if r, size := utf8.DecodeRuneInString(name); r != utf8.RuneError {
			name = string(unicode.ToUpper(r)) + name[size:]
		}
		return unprocessable("client_opted_out", fmt.Sprintf(
			"%s replied %s on %s, so texts to them are blocked until they text START. Nothing was sent.",
			name, strings.ToUpper(kw), cl.OptedOutAt.UTC().Format("Jan 2, 2006")))
	}
	if conv.Number.Status != store.NumberActive {
		return conflict(fmt.Sprintf("This conversation's business number is %s, so it can't send texts. Move the conversation to an active number first.", conv.Number.Status))
	}
	return nil
}

func (s *Server) newOutboundMessage(ctx context.Context, conv *store.Conversation, req ComposeRequest, sender string) *store.Message {
	info := segments.Analyze(req.Body)
	media := make([]message.MediaItem, 0, len(req.MediaURLs))
	for _, u := range req.MediaURLs {
		media = append(media, message.MediaItem{URL: u})
	}
	now := s.now()
	return &store.Message{
		ID: store.NewID(), OrgID: conv.Thread.OrgID, ThreadID: conv.Thread.ID, Direction: store.DirectionOutbound,
		SenderType: sender, Body: req.Body, Media: media, FromE164: conv.Number.E164, ToE164: conv.Client.PhoneE164,
		Status: store.StatusPending, Encoding: string(info.Encoding), Segments: info.Segments,
		CorrelationID: obs.CorrelationID(ctx), CreatedAt: now, UpdatedAt: now,
	}
}

// storeAndDeliver stores a pending message and starts its delivery
// workflow. If the workflow cannot start the message is removed again (it
// was never sent) and the caller is asked to try later.
func (s *Server) storeAndDeliver(ctx context.Context, org *store.OrgStore, m *store.Message) error {
	if err := org.CreateOutboundMessage(ctx, m); err != nil {
		return err
	}
	if err := s.startDelivery(ctx, m.OrgID, m.ID); err != nil {
		if delErr := org.DeleteUnsentMessage(context.WithoutCancel(ctx), m.ID); delErr != nil {
			s.log.ErrorContext(ctx, "removing an unsent message failed", "messageId", m.ID, "err", delErr)
		}
		return err
	}
	return nil
}

// startDelivery starts DeliveryWorkflow for a stored pending message.
func (s *Server) startDelivery(ctx context.Context, orgID, messageID uuid.UUID) error {
	unavailable := &Error{Status: http.StatusServiceUnavailable, Code: "sending_unavailable",
		Message: "Sending is unavailable right now, so nothing was sent. Try again in a minute.", RetryAfter: 30}
	if s.temporal == nil {
		return unavailable
	}
	_, err := s.temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                    contract.DeliveryWorkflowID(messageID),
		TaskQueue:             s.cfg.TemporalTaskQueue,
		WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		TypedSearchAttributes: temporal.NewSearchAttributes(contract.OrgIDKey.ValueSet(orgID.String())),
	}, contract.DeliveryWorkflowName, contract.DeliveryInput{OrgID: orgID, MessageID: messageID, CorrelationID: obs.CorrelationID(ctx)})
	if err != nil {
		s.log.ErrorContext(ctx, "starting the delivery workflow failed", "messageId", messageID, "err", err)
		return unavailable
	}
	return nil
}

// ---- Policy violations (owner review) ----

// PolicyViolationView is a blocked message's violation for review. The
// message body is only in the single-violation view; lists show the
// redacted excerpts.
type PolicyViolationView struct {
	ID            uuid.UUID       `json:"id"`
	MessageID     uuid.UUID       `json:"messageId"`
	ThreadID      uuid.UUID       `json:"threadId"`
	SitterID      *uuid.UUID      `json:"sitterId,omitempty"`
	SitterName    string          `json:"sitterName"`
	ClientName    string          `json:"clientName"`
	Kinds         []string        `json:"kinds"`
	Excerpts      []store.Excerpt `json:"excerpts"`
	Status        string          `json:"status"`
	MessageStatus string          `json:"messageStatus"`
	MessageBody   string          `json:"messageBody,omitempty"`
	ReviewedBy    *uuid.UUID      `json:"reviewedBy,omitempty"`
	ReviewReason  string          `json:"reviewReason,omitempty"`
	ReviewedAt    *time.Time      `json:"reviewedAt,omitempty"`
	CreatedAt     time.Time       `json:"createdAt"`
}

func policyViolationView(v *store.ViolationRow, withBody bool) PolicyViolationView {
	var excerpts []store.Excerpt
	_ = json.Unmarshal(v.Excerpts, &excerpts)
	if excerpts == nil {
		excerpts = []store.Excerpt{}
	}
	out := PolicyViolationView{
		ID: v.ID, MessageID: v.MessageID, ThreadID: v.ThreadID, SitterID: v.SitterID, SitterName: v.SitterName,
		ClientName: v.ClientName, Kinds: v.Kinds, Excerpts: excerpts, Status: v.Status, MessageStatus: v.MessageStatus,
		ReviewedBy: v.ReviewedBy, ReviewReason: v.ReviewReason, ReviewedAt: v.ReviewedAt, CreatedAt: v.CreatedAt,
	}
	if withBody {
		out.MessageBody = v.MessageBody
	}
	return out
}

func (s *Server) listPolicyViolations(c *gin.Context) {
	ctx := c.Request.Context()
	p := principal(c)
	org := s.store.Org(p.OrgID)
	f := store.ViolationFilter{Status: c.Query("status")}
	switch f.Status {
	case "", store.ViolationOpen, store.ViolationDismissed, store.ViolationOverridden:
	default:
		respondError(c, s.log, invalidField("status", "Use open, dismissed or overridden."))
		return
	}
	var err error
	if f.SitterID, err = queryOrgID(c, "sitter", "Use a sitter ID.", "This sitter", org.Sitter); err != nil {
		respondError(c, s.log, err)
		return
	}
	if f.ThreadID, err = queryOrgID(c, "thread", "Use a conversation ID.", "This conversation", org.Conversation); err != nil {
		respondError(c, s.log, err)
		return
	}
	if f.After, err = listCursorParam(c); err != nil {
		respondError(c, s.log, err)
		return
	}
	limit, err := pageLimit(c, 50, 200)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	rows, err := org.PolicyViolations(ctx, f, limit+1)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	next := ""
	if len(rows) > limit {
		rows = rows[:limit]
		last := rows[len(rows)-1]
		next = inboxCursor(last.CreatedAt, last.ID)
	}
	out := make([]PolicyViolationView, 0, len(rows))
	for i := range rows {
		out = append(out, policyViolationView(&rows[i], false))
	}
	c.JSON(http.StatusOK, gin.H{"violations": out, "nextCursor": next})
}

func (s *Server) getPolicyViolation(c *gin.Context) {
	p := principal(c)
	id, err := pathID(c, "id", "This policy violation")
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	v, err := s.store.Org(p.OrgID).PolicyViolationDetail(c.Request.Context(), id)
	if err != nil {
		respondError(c, s.log, notFoundOr(err, "This policy violation"))
		return
	}
	c.JSON(http.StatusOK, policyViolationView(v, true))
}

type reviewRequest struct {
	Reason string `json:"reason"`
}

// bindReason reads an optional {"reason": "…"} body.
func bindReason(c *gin.Context) (string, error) {
	var req reviewRequest
	if c.Request.ContentLength != 0 {
		if err := c.ShouldBindJSON(&req); err != nil {
			return "", badRequest(`Send a JSON body like {"reason": "…"}.`, nil)
		}
	}
	reason := strings.TrimSpace(req.Reason)
	if len([]rune(reason)) > 1000 {
		return "", invalidField("reason", "Keep the reason under 1,000 characters.")
	}
	return reason, nil
}

func (s *Server) dismissPolicyViolation(c *gin.Context) {
	ctx := c.Request.Context()
	p := principal(c)
	org := s.store.Org(p.OrgID)
	id, err := pathID(c, "id", "This policy violation")
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	reason, err := bindReason(c)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	v, err := org.ReviewViolation(ctx, id, store.ViolationDismissed, p.UserID, reason, s.now())
	if err != nil {
		respondError(c, s.log, reviewError(err))
		return
	}
	s.audit(c, &p.OrgID, p.UserID.String(), "policy_violation.dismissed", "policy_violation", v.ID.String(), map[string]any{
		"reason": reason, "messageId": v.MessageID.String(), "threadId": v.ThreadID.String(),
	})
	s.respondViolation(c, org, v.ID, http.StatusOK)
}

// overridePolicyViolation sends a blocked message anyway, on the owner's
// word and with their reason.
func (s *Server) overridePolicyViolation(c *gin.Context) {
	ctx := c.Request.Context()
	p := principal(c)
	org := s.store.Org(p.OrgID)
	id, err := pathID(c, "id", "This policy violation")
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	reason, err := bindReason(c)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	if reason == "" {
		respondError(c, s.log, invalidField("reason", "Say why this message may be sent anyway."))
		return
	}
	// Refuse before releasing the message when it could not be sent anyway.
	if row, err := org.PolicyViolationDetail(ctx, id); err != nil {
		respondError(c, s.log, notFoundOr(err, "This policy violation"))
		return
	} else if conv, err := org.Conversation(ctx, row.ThreadID); err != nil {
		respondError(c, s.log, err)
		return
	} else if err := conversationCanSend(conv); err != nil {
		respondError(c, s.log, err)
		return
	}
	v, err := org.ReviewViolation(ctx, id, store.ViolationOverridden, p.UserID, reason, s.now())
	if err != nil {
		respondError(c, s.log, reviewError(err))
		return
	}
	if err := s.startDelivery(ctx, p.OrgID, v.MessageID); err != nil {
		if undoErr := org.ReopenViolation(context.WithoutCancel(ctx), v.ID); undoErr != nil {
			s.log.ErrorContext(ctx, "reopening a violation after a failed override failed", "violationId", v.ID, "err", undoErr)
		}
		respondError(c, s.log, err)
		return
	}
	s.audit(c, &p.OrgID, p.UserID.String(), "policy_violation.overridden", "policy_violation", v.ID.String(), map[string]any{
		"reason": reason, "messageId": v.MessageID.String(), "threadId": v.ThreadID.String(),
	})
	s.respondViolation(c, org, v.ID, http.StatusAccepted)
}

func (s *Server) respondViolation(c *gin.Context, org *store.OrgStore, id uuid.UUID, status int) {
	v, err := org.PolicyViolationDetail(c.Request.Context(), id)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	c.JSON(status, policyViolationView(v, true))
}

func reviewError(err error) error {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return notFound("This policy violation")
	case errors.Is(err, store.ErrConflict):
		return conflict("This policy violation was already reviewed.")
	}
	return err
}

// ---- Dead letters ----

// DeadLetterView is a message that could not be delivered, waiting for the
// owner to retry or discard it.
type DeadLetterView struct {
	MessageID      uuid.UUID `json:"messageId"`
	ThreadID       uuid.UUID `json:"threadId"`
	ClientID       uuid.UUID `json:"clientId"`
	ClientName     string    `json:"clientName"`
	SenderType     string    `json:"senderType"`
	Body           string    `json:"body"`
	Status         string    `json:"status"`
	ErrorCode      *int      `json:"errorCode,omitempty"`
	Reason         string    `json:"reason"`
	Attempts       int       `json:"attempts"`
	CreatedAt      time.Time `json:"createdAt"`
	DeadLetteredAt time.Time `json:"deadLetteredAt"`
}

func (s *Server) listDeadLetters(c *gin.Context) {
	p := principal(c)
	after, err := listCursorParam(c)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	limit, err := pageLimit(c, 50, 200)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	rows, err := s.store.Org(p.OrgID).DeadLetters(c.Request.Context(), after, limit+1)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	next := ""
	if len(rows) > limit {
		rows = rows[:limit]
		last := rows[len(rows)-1]
		next = inboxCursor(last.DeadLetteredAt, last.MessageID)
	}
	out := make([]DeadLetterView, 0, len(rows))
	for _, r := range rows {
		reason := r.ErrorMessage
		if reason == "" && r.ErrorCode != nil {
			reason = provider.Explain(*r.ErrorCode)
		}
		out = append(out, DeadLetterView{
			MessageID: r.MessageID, ThreadID: r.ThreadID, ClientID: r.ClientID, ClientName: r.ClientName, SenderType: r.SenderType,
			Body: r.Body, Status: r.Status, ErrorCode: r.ErrorCode, Reason: reason, Attempts: r.Attempts,
			CreatedAt: r.CreatedAt, DeadLetteredAt: r.DeadLetteredAt,
		})
	}
	c.JSON(http.StatusOK, gin.H{"deadLetters": out, "nextCursor": next})
}

func (s *Server) retryDeadLetter(c *gin.Context) {
	p := principal(c)
	m, ok := s.deadLetterFromPath(c)
	if !ok {
		return
	}
	err := s.signalDelivery(c.Request.Context(), m.ID, contract.SignalDeliveryRetry,
		contract.RetrySignal{UserID: p.UserID, CorrelationID: obs.CorrelationID(c.Request.Context())})
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	s.audit(c, &p.OrgID, p.UserID.String(), "dead_letter.retry_requested", "message", m.ID.String(), map[string]any{
		"threadId": m.ThreadID.String(), "attempts": m.Attempts,
	})
	c.JSON(http.StatusAccepted, gin.H{"messageId": m.ID, "status": "retrying"})
}

func (s *Server) discardDeadLetter(c *gin.Context) {
	p := principal(c)
	reason, err := bindReason(c)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	m, ok := s.deadLetterFromPath(c)
	if !ok {
		return
	}
	err = s.signalDelivery(c.Request.Context(), m.ID, contract.SignalDeliveryDiscard,
		contract.DiscardSignal{UserID: p.UserID, Reason: reason, CorrelationID: obs.CorrelationID(c.Request.Context())})
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	s.audit(c, &p.OrgID, p.UserID.String(), "dead_letter.discard_requested", "message", m.ID.String(), map[string]any{
		"threadId": m.ThreadID.String(), "reason": reason,
	})
	c.JSON(http.StatusAccepted, gin.H{"messageId": m.ID, "status": "discarding"})
}

// deadLetterFromPath loads the message named in the path and checks that
// it is in the dead-letter list; otherwise it answers 404 or 409.
func (s *Server) deadLetterFromPath(c *gin.Context) (*store.Message, bool) {
	p := principal(c)
	id, err := pathID(c, "id", "This message")
	if err != nil {
		respondError(c, s.log, err)
		return nil, false
	}
	m, err := s.store.Org(p.OrgID).OutboundMessage(c.Request.Context(), id)
	if err != nil {
		respondError(c, s.log, notFoundOr(err, "This message"))
		return nil, false
	}
	if m.DeadLetteredAt == nil || m.Status == store.StatusDiscarded {
		respondError(c, s.log, conflict("This message isn't in the dead-letter list: it may be sending again, delivered or discarded."))
		return nil, false
	}
	return m, true
}

func (s *Server) signalDelivery(ctx context.Context, messageID uuid.UUID, signal string, arg any) error {
	if s.temporal == nil {
		return &Error{Status: http.StatusServiceUnavailable, Code: "unavailable", Message: "Delivery can't be reached right now. Try again in a minute.", RetryAfter: 30}
	}
	err := s.temporal.SignalWorkflow(ctx, contract.DeliveryWorkflowID(messageID), "", signal, arg)
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return conflict("The delivery of this message has already finished, so it can't be changed any more.")
	}
	if err != nil {
		s.log.ErrorContext(ctx, "signalling the delivery workflow failed", "messageId", messageID, "signal", signal, "err", err)
		return &Error{Status: http.StatusServiceUnavailable, Code: "unavailable", Message: "Delivery can't be reached right now. Try again in a minute.", RetryAfter: 30}
	}
	return nil
}

// ---- Alerts ----

// AlertView is one alert.
type AlertView struct {
	ID         uuid.UUID  `json:"id"`
	Severity   string     `json:"severity"`
	Kind       string     `json:"kind"`
	Title      string     `json:"title"`
	Detail     string     `json:"detail"`
	EntityType string     `json:"entityType,omitempty"`
	EntityID   string     `json:"entityId,omitempty"`
	Status     string     `json:"status"`
	CreatedAt  time.Time  `json:"createdAt"`
	ClosedAt   *time.Time `json:"closedAt,omitempty"`
	ClosedBy   *uuid.UUID `json:"closedBy,omitempty"`
}

func alertView(a *store.Alert) AlertView {
	return AlertView{ID: a.ID, Severity: a.Severity, Kind: a.Kind, Title: a.Title, Detail: a.Detail, EntityType: a.EntityType,
		EntityID: a.EntityID, Status: a.Status, CreatedAt: a.CreatedAt, ClosedAt: a.ClosedAt, ClosedBy: a.ClosedBy}
}

func (s *Server) listAlerts(c *gin.Context) {
	p := principal(c)
	f := store.AlertFilter{Status: c.Query("status"), Severity: c.Query("severity"), Kind: c.Query("kind")}
	switch f.Status {
	case "", store.AlertOpen, store.AlertAcknowledged, store.AlertResolved, store.AlertDismissed:
	default:
		respondError(c, s.log, invalidField("status", "Use open, acknowledged, resolved or dismissed."))
		return
	}
	switch f.Severity {
	case "", store.SeverityCritical, store.SeverityWarning, store.SeverityInfo:
	default:
		respondError(c, s.log, invalidField("severity", "Use critical, warning or info."))
		return
	}
	limit, err := pageLimit(c, 50, 200)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	alerts, err := s.store.Org(p.OrgID).Alerts(c.Request.Context(), f, limit)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	out := make([]AlertView, 0, len(alerts))
	for i := range alerts {
		out = append(out, alertView(&alerts[i]))
	}
	c.JSON(http.StatusOK, gin.H{"alerts": out})
}

// closeAlertAs acknowledges, resolves or dismisses an alert. Critical
// alerts cannot be dismissed, only resolved.
func (s *Server) closeAlertAs(status string) gin.HandlerFunc {
	action := map[string]string{store.AlertAcknowledged: "acknowledged", store.AlertResolved: "resolved", store.AlertDismissed: "dismissed"}[status]
	return func(c *gin.Context) {
		ctx := c.Request.Context()
		p := principal(c)
		org := s.store.Org(p.OrgID)
		id, err := pathID(c, "id", "This alert")
		if err != nil {
			respondError(c, s.log, err)
			return
		}
		a, err := org.Alert(ctx, id)
		if err != nil {
			respondError(c, s.log, notFoundOr(err, "This alert"))
			return
		}
		switch {
		case status == store.AlertDismissed && a.Severity == store.SeverityCritical:
			respondError(c, s.log, conflict("Critical alerts can't be dismissed. Resolve it once the problem is fixed."))
			return
		case a.Status == store.AlertResolved || a.Status == store.AlertDismissed:
			respondError(c, s.log, conflict("This alert is already "+a.Status+"."))
			return
		case status == store.AlertAcknowledged && a.Status == store.AlertAcknowledged:
			respondError(c, s.log, conflict("This alert is already acknowledged."))
			return
		}
		if err := org.CloseAlert(ctx, id, status, p.UserID, s.now()); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				err = conflict("This alert changed meanwhile; reload and try again.")
			}
			respondError(c, s.log, err)
			return
		}
		s.audit(c, &p.OrgID, p.UserID.String(), "alert."+action, "alert", id.String(), map[string]any{
			"kind": a.Kind, "severity": a.Severity, "previousStatus": a.Status,
		})
		a, err = org.Alert(ctx, id)
		if err != nil {
			respondError(c, s.log, err)
			return
		}
		c.JSON(http.StatusOK, alertView(a))
	}
}

// ---- Helpers ----

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// groupThousands writes n with comma separators (1,600).
func groupThousands(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}
