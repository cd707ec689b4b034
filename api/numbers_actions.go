package api

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/domain/phone"
	"github.com/snoutos/snout/internal/platform/obs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service/numbers"
)

// ---- Views of the guarded actions ----

// ImpactView is what a destructive action would change.
type ImpactView struct {
	Threads         int              `json:"threads"`
	ActiveThreads   int              `json:"activeThreads"`
	ActiveWindows   int              `json:"activeWindows"`
	UpcomingWindows int              `json:"upcomingWindows"`
	Clients         int              `json:"clients"`
	Replacement     *ReplacementView `json:"replacement"`
}

// ReplacementView is the number proposed to take over a number's threads.
type ReplacementView struct {
	ID      uuid.UUID `json:"id"`
	E164    string    `json:"e164"`
	Display string    `json:"display"`
	Class   string    `json:"class"`
	Health  string    `json:"health"`
}

func impactView(i store.NumberImpact) ImpactView {
	return ImpactView{Threads: i.Threads, ActiveThreads: i.ActiveThreads, ActiveWindows: i.ActiveWindows,
		UpcomingWindows: i.UpcomingWindows, Clients: i.Clients}
}

// planView is a quarantine plan: its impact with the replacement.
func planView(p numbers.Plan) ImpactView {
	v := impactView(p.Impact)
	if r := p.Replacement; r != nil {
		v.Replacement = &ReplacementView{ID: r.ID, E164: r.E164, Display: phone.Display(r.E164), Class: r.Class, Health: r.Health}
	}
	return v
}

// ConfirmationView answers the first call of a destructive action.
type ConfirmationView struct {
	Action       string       `json:"action"`
	NumberIDs    []uuid.UUID  `json:"numberIds"`
	Impact       ImpactView   `json:"impact"`
	Message      string       `json:"message"`
	ConfirmToken string       `json:"confirmToken"`
	ExpiresAt    time.Time    `json:"expiresAt"`
	Items        []BulkResult `json:"items,omitempty"`
}

func (s *Server) confirmationView(ctx context.Context, c *numbers.Confirmation) ConfirmationView {
	return ConfirmationView{Action: c.Action, NumberIDs: c.NumberIDs, Impact: impactView(c.Impact), Message: c.Message,
		ConfirmToken: c.Token, ExpiresAt: c.ExpiresAt, Items: s.bulkResults(ctx, c.Items)}
}

// BulkResult is one number's outcome in a bulk action.
type BulkResult struct {
	ID           uuid.UUID        `json:"id"`
	E164         string           `json:"e164,omitempty"`
	OK           bool             `json:"ok"`
	Error        *ErrorDetail     `json:"error,omitempty"`
	Number       *NumberView      `json:"number,omitempty"`
	Impact       *ImpactView      `json:"impact,omitempty"`
	Replacement  *ReplacementView `json:"replacement,omitempty"`
	WorkflowID   string           `json:"workflowId,omitempty"`
	QuarantineID *uuid.UUID       `json:"quarantineId,omitempty"`
}

func (s *Server) bulkResults(ctx context.Context, items []numbers.Item) []BulkResult {
	if items == nil {
		return nil
	}
	out := make([]BulkResult, len(items))
	for i, it := range items {
		out[i] = BulkResult{ID: it.ID, E164: it.E164, OK: it.OK(), Number: numberViewOf(it.Row), WorkflowID: it.WorkflowID, QuarantineID: it.QuarantineID}
		if it.Err != nil {
			out[i].Error = s.itemError(ctx, it.Err)
		}
		if it.Plan != nil {
			v := planView(*it.Plan)
			out[i].Impact, out[i].Replacement = &v, v.Replacement
		}
	}
	return out
}

// bulkOutcome is the answer of a performed bulk action.
func (s *Server) bulkOutcome(ctx context.Context, items []numbers.Item) gin.H {
	ok := numbers.Succeeded(items)
	return gin.H{"items": s.bulkResults(ctx, items), "succeeded": ok, "failed": len(items) - ok}
}

// itemError describes a per-item failure with the same meaning
// respondError gives a whole request.
func (s *Server) itemError(ctx context.Context, err error) *ErrorDetail {
	apiErr := httpMeaning(err, "The number")
	if apiErr == nil {
		s.log.ErrorContext(ctx, "bulk number action failed", "err", err)
		apiErr = internalError()
	}
	return &ErrorDetail{Code: apiErr.Code, Message: apiErr.Message, Fields: apiErr.Fields, CorrelationID: obs.CorrelationID(ctx)}
}

// bindOptionalJSON decodes a JSON body; an empty body leaves v as is.
func bindOptionalJSON(c *gin.Context, v any) error {
	if c.Request.Body == nil {
		return nil
	}
	body, err := io.ReadAll(io.LimitReader(c.Request.Body, 1<<20))
	if err != nil {
		return badRequest("The request body could not be read.", nil)
	}
	if strings.TrimSpace(string(body)) == "" {
		return nil
	}
	if err := json.Unmarshal(body, v); err != nil {
		return badRequest("Send a JSON body.", nil)
	}
	return nil
}

// ---- Release and assign ----

type confirmRequest struct {
	ConfirmToken string `json:"confirmToken"`
}

// releaseNumber: guardrails, then the impact and a confirmation token, then
// (with the token) the release.
func (s *Server) releaseNumber(c *gin.Context, id uuid.UUID) (any, error) {
	var req confirmRequest
	if err := bindOptionalJSON(c, &req); err != nil {
		return nil, err
	}
	out, err := s.numbers.Release(c.Request.Context(), actor(c), id, req.ConfirmToken)
	switch {
	case err != nil:
		return nil, err
	case out.Confirmation != nil:
		return s.confirmationView(c.Request.Context(), out.Confirmation), nil
	case out.Row == nil:
		return status(http.StatusAccepted, gin.H{"status": "releasing", "workflowId": out.WorkflowID}), nil
	}
	return gin.H{"number": numberView(*out.Row)}, nil
}

type assignRequest struct {
	// To is "sitter", "pool" or "front_desk".
	To          string     `json:"to"`
	SitterID    *uuid.UUID `json:"sitterId"`
	SitterEmail string     `json:"sitterEmail"`
}

func (r assignRequest) assignment() numbers.Assignment {
	return numbers.Assignment{To: r.To, SitterID: r.SitterID, SitterEmail: r.SitterEmail}
}

func (s *Server) assignNumber(c *gin.Context, id uuid.UUID) (any, error) {
	var req assignRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		return nil, badRequest("Send a JSON body with to (sitter, pool or front_desk) and, for a sitter, sitterId.", nil)
	}
	row, err := s.numbers.Assign(c.Request.Context(), actor(c), id, req.assignment())
	if err != nil {
		return nil, err
	}
	return gin.H{"number": numberView(*row)}, nil
}

// ---- Bulk assign and release ----

type bulkRequest struct {
	IDs          []uuid.UUID `json:"ids"`
	ConfirmToken string      `json:"confirmToken"`
}

func (s *Server) bulkAssignNumbers(c *gin.Context) (any, error) {
	var req struct {
		bulkRequest
		assignRequest
	}
	if err := c.ShouldBindJSON(&req); err != nil {
		return nil, badRequest("Send a JSON body with ids and to.", nil)
	}
	items, err := s.numbers.BulkAssign(c.Request.Context(), actor(c), req.IDs, req.assignment())
	if err != nil {
		return nil, err
	}
	return s.bulkOutcome(c.Request.Context(), items), nil
}

// bulkReleaseNumbers: without confirmToken, each number's guardrails and
// the combined impact; with it, each releasable number is released.
func (s *Server) bulkReleaseNumbers(c *gin.Context) (any, error) {
	var req bulkRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		return nil, badRequest("Send a JSON body with ids.", nil)
	}
	conf, items, err := s.numbers.BulkRelease(c.Request.Context(), actor(c), req.IDs, req.ConfirmToken)
	switch {
	case err != nil:
		return nil, err
	case conf != nil:
		return s.confirmationView(c.Request.Context(), conf), nil
	}
	return s.bulkOutcome(c.Request.Context(), items), nil
}

// ---- Buy and import (through ProvisionNumbersWorkflow) ----

type provisionRequest struct {
	// RequestID makes a retried request safe: the same ID runs once.
	RequestID string `json:"requestId"`
	Items     []struct {
		E164         string     `json:"e164"`
		Class        string     `json:"class"`
		SitterID     *uuid.UUID `json:"sitterId"`
		SitterEmail  string     `json:"sitterEmail"`
		FriendlyName string     `json:"friendlyName"`
	} `json:"items"`
}

// provisionNumbers buys or imports numbers (JSON items).
func (s *Server) provisionNumbers(action string) handlerFunc {
	return func(c *gin.Context) (any, error) {
		var req provisionRequest
		if err := c.ShouldBindJSON(&req); err != nil {
			return nil, badRequest("Send a JSON body with items: [{e164, class, sitterId, friendlyName}].", nil)
		}
		items := make([]numbers.NumberRequest, len(req.Items))
		for i, it := range req.Items {
			items[i] = numbers.NumberRequest(it)
		}
		out, err := s.numbers.Provision(c.Request.Context(), actor(c), action, req.RequestID, items)
		if err != nil {
			return nil, err
		}
		if out.Result == nil {
			return status(http.StatusAccepted, gin.H{"status": "in_progress", "requestId": out.RequestID, "workflowId": out.WorkflowID}), nil
		}
		ok := 0
		for _, it := range out.Result.Items {
			if it.OK {
				ok++
			}
		}
		return gin.H{"requestId": out.RequestID, "workflowId": out.WorkflowID, "items": out.Result.Items, "succeeded": ok, "failed": len(out.Result.Items) - ok}, nil
	}
}

// ---- Numbers for sale ----

// SetupSearchView lists numbers for sale with their monthly cost.
type SetupSearchView = contract.SetupSearchResult

func searchRequest(c *gin.Context) numbers.SearchRequest {
	return numbers.SearchRequest{AreaCode: c.Query("areaCode"), Region: c.Query("region"), TollFree: c.Query("tollFree"), Limit: c.Query("limit")}
}

// searchNumbersForSale lists numbers the org can buy, with their monthly
// cost. Pick one and POST it to /api/v1/numbers/buy.
func (s *Server) searchNumbersForSale(c *gin.Context) (any, error) {
	return s.numbers.SearchForSale(c.Request.Context(), actor(c), searchRequest(c))
}
