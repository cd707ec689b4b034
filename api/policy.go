package api

import (
	"context"
	"encoding/json"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
	"github.com/snoutos/snout/service/messaging"
)

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

// PolicyViolationPage is a page of violations, newest first.
type PolicyViolationPage struct {
	Violations []PolicyViolationView `json:"violations"`
	NextCursor string                `json:"nextCursor"`
}

// violationQueryParams are the review list's filters.
var violationQueryParams = append([]param{
	qString("status", "open, dismissed or overridden."), qUUID("sitter", "Only this sitter's."), qUUID("thread", "Only this conversation's."),
}, qPage(200)...)

// ReasonRequest is the optional reason of a review or a discard.
type ReasonRequest struct {
	Reason string `json:"reason"`
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

func (s *Server) listPolicyViolations(c *gin.Context) (any, error) {
	q := messaging.ViolationQuery{Status: c.Query("status")}
	var err error
	if q.SitterID, err = queryUUID(c, "sitter", "Use a sitter ID."); err != nil {
		return nil, err
	}
	if q.ThreadID, err = queryUUID(c, "thread", "Use a conversation ID."); err != nil {
		return nil, err
	}
	if q.After, q.Limit, err = listPage(c); err != nil {
		return nil, err
	}
	page, err := s.messaging.PolicyViolations(c.Request.Context(), actor(c), q)
	if err != nil {
		return nil, err
	}
	out := make([]PolicyViolationView, 0, len(page.Items))
	for i := range page.Items {
		out = append(out, policyViolationView(&page.Items[i], false))
	}
	return PolicyViolationPage{Violations: out, NextCursor: nextCursor(page.Next)}, nil
}

func (s *Server) getPolicyViolation(c *gin.Context) (any, error) {
	id, err := pathID(c, "id", "This policy violation")
	if err != nil {
		return nil, err
	}
	v, err := s.messaging.PolicyViolation(c.Request.Context(), actor(c), id)
	if err != nil {
		return nil, err
	}
	return policyViolationView(v, true), nil
}

// reviewViolation is the handler of a review (dismiss or override): the
// violation in the path, an optional {"reason": "…"}, the reviewed
// violation back.
func (s *Server) reviewViolation(review func(context.Context, service.Actor, uuid.UUID, string) (*store.ViolationRow, error)) handlerFunc {
	return func(c *gin.Context) (any, error) {
		id, err := pathID(c, "id", "This policy violation")
		if err != nil {
			return nil, err
		}
		reason, err := bindReason(c)
		if err != nil {
			return nil, err
		}
		v, err := review(c.Request.Context(), actor(c), id, reason)
		if err != nil {
			return nil, err
		}
		return policyViolationView(v, true), nil
	}
}

// bindReason reads an optional {"reason": "…"} body.
func bindReason(c *gin.Context) (string, error) {
	var req ReasonRequest
	if c.Request.ContentLength != 0 {
		if err := c.ShouldBindJSON(&req); err != nil {
			return "", badRequest(`Send a JSON body like {"reason": "…"}.`, nil)
		}
	}
	return req.Reason, nil
}
