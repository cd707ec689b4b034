package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/domain/message"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service/messaging"
)

// composeRoutes: sending inside a thread (owner, admin, sitter), the
// owner's review of messages the content policy stopped (policy.go), the
// dead-letter list (deadletters.go) and alerts (alerts.go). The rules are
// in service/messaging.
func (s *Server) composeRoutes() []featureRoute {
	blocked := []int{http.StatusConflict, http.StatusUnprocessableEntity, http.StatusTooManyRequests, http.StatusServiceUnavailable}
	return []featureRoute{
		{http.MethodPost, "/api/v1/threads/:id/messages", s.reply(http.StatusAccepted, s.composeStaffMessage),
			doc("Send a message in a thread (owner, admin)", tagMessages).body(ComposeRequest{}).returns(http.StatusAccepted, StaffMessageView{}).fails(blocked...)},
		{http.MethodPost, "/api/v1/sitter/threads/:id/messages", s.reply(http.StatusAccepted, s.composeSitterMessage),
			doc("Send a message in one of the sitter's conversations", tagSitter).body(ComposeRequest{}).returns(http.StatusAccepted, SitterMessageView{}).fails(blocked...)},

		{http.MethodGet, "/api/v1/policy-violations", s.reply(http.StatusOK, s.listPolicyViolations),
			doc("Messages the content policy stopped, for review", tagPolicy).query(violationQueryParams...).ok(PolicyViolationPage{})},
		{http.MethodGet, "/api/v1/policy-violations/:id", s.reply(http.StatusOK, s.getPolicyViolation),
			doc("One policy violation; the blocked message's full text for the owner only", tagPolicy).ok(PolicyViolationView{})},
		{http.MethodPost, "/api/v1/policy-violations/:id/dismiss", s.reply(http.StatusOK, s.reviewViolation(s.messaging.DismissViolation)),
			doc("Dismiss a violation: the message stays unsent", tagPolicy).optionalBody(ReasonRequest{}).ok(PolicyViolationView{}).fails(http.StatusConflict)},
		{http.MethodPost, "/api/v1/policy-violations/:id/override", s.reply(http.StatusAccepted, s.reviewViolation(s.messaging.OverrideViolation)),
			doc("Override a violation with a reason: the message is sent", tagPolicy).optionalBody(ReasonRequest{}).
				returns(http.StatusAccepted, PolicyViolationView{}).fails(blocked...)},

		{http.MethodGet, "/api/v1/ops/dead-letters", s.reply(http.StatusOK, s.listDeadLetters),
			doc("Messages that could not be delivered, waiting for a retry or a discard; ?format=csv downloads them", tagOps).
				query(append(qPage(200), qEnum("format", "csv downloads the list (at most 10,000 rows).", "csv"))...).ok(DeadLetterPage{}).also(http.StatusOK, "text/csv")},
		{http.MethodPost, "/api/v1/ops/dead-letters/:id/retry", s.reply(http.StatusAccepted, s.retryDeadLetter),
			doc("Send a dead letter again", tagOps).returns(http.StatusAccepted, DeadLetterActionView{}).fails(blocked...)},
		{http.MethodPost, "/api/v1/ops/dead-letters/:id/discard", s.reply(http.StatusAccepted, s.discardDeadLetter),
			doc("Discard a dead letter", tagOps).optionalBody(ReasonRequest{}).returns(http.StatusAccepted, DeadLetterActionView{}).fails(blocked...)},

		{http.MethodGet, "/api/v1/alerts", s.reply(http.StatusOK, s.listAlerts),
			doc("Alerts, newest first", tagAlerts).query(alertQueryParams...).ok(AlertList{})},
		{http.MethodPost, "/api/v1/alerts/:id/acknowledge", s.reply(http.StatusOK, s.alertAction(s.messaging.AcknowledgeAlert)),
			doc("Acknowledge an alert", tagAlerts).ok(AlertView{}).fails(http.StatusConflict)},
		{http.MethodPost, "/api/v1/alerts/:id/resolve", s.reply(http.StatusOK, s.alertAction(s.messaging.ResolveAlert)),
			doc("Resolve an alert", tagAlerts).ok(AlertView{}).fails(http.StatusConflict)},
		{http.MethodPost, "/api/v1/alerts/:id/dismiss", s.reply(http.StatusOK, s.alertAction(s.messaging.DismissAlert)),
			doc("Dismiss an alert", tagAlerts).ok(AlertView{}).fails(http.StatusConflict)},
	}
}

// ComposeRequest is the body of a new message.
type ComposeRequest struct {
	Body      string   `json:"body" required:"true"`
	MediaURLs []string `json:"mediaUrls"`
}

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
func (s *Server) composeStaffMessage(c *gin.Context) (any, error) {
	threadID, draft, err := bindCompose(c)
	if err != nil {
		return nil, err
	}
	m, err := s.messaging.ComposeAsStaff(c.Request.Context(), actor(c), threadID, draft)
	if err != nil {
		return nil, err
	}
	return staffMessageView(m), nil
}

// composeSitterMessage sends a sitter's message in a thread they may write
// in now.
func (s *Server) composeSitterMessage(c *gin.Context) (any, error) {
	threadID, draft, err := bindCompose(c)
	if err != nil {
		return nil, err
	}
	m, err := s.messaging.ComposeAsSitter(c.Request.Context(), actor(c), threadID, draft)
	if err != nil {
		return nil, err
	}
	return sitterMessageView(m), nil
}

// bindCompose reads the thread in the path and the compose body.
func bindCompose(c *gin.Context) (uuid.UUID, messaging.Draft, error) {
	threadID, err := pathID(c, "id", "This conversation")
	if err != nil {
		return uuid.Nil, messaging.Draft{}, err
	}
	var req ComposeRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		return uuid.Nil, messaging.Draft{}, badRequest(`Send a JSON body like {"body": "…", "mediaUrls": []}.`, nil)
	}
	return threadID, messaging.Draft{Body: req.Body, MediaURLs: req.MediaURLs}, nil
}
