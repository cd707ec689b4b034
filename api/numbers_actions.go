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
	domain "github.com/snoutos/snout/internal/domain/numbers"
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
func (s *Server) bulkOutcome(ctx context.Context, items []numbers.Item) BulkOutcomeView {
	ok := numbers.Succeeded(items)
	results := s.bulkResults(ctx, items)
	if results == nil {
		results = []BulkResult{}
	}
	return BulkOutcomeView{Items: results, Succeeded: ok, Failed: len(items) - ok}
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

// ConfirmRequest carries the confirmToken of a destructive action's
// first answer.
type ConfirmRequest struct {
	ConfirmToken string `json:"confirmToken"`
}

// releaseNumber: guardrails, then the impact and a confirmation token, then
// (with the token) the release.
func (s *Server) releaseNumber(c *gin.Context, id uuid.UUID) (any, error) {
	var req ConfirmRequest
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
		return status(http.StatusAccepted, WorkflowPendingView{Status: "releasing", WorkflowID: out.WorkflowID}), nil
	}
	return NumberResultView{Number: numberView(*out.Row)}, nil
}

// AssignRequest says where a number goes.
type AssignRequest struct {
	// To is "sitter", "pool" or "front_desk".
	To          string     `json:"to" required:"true"`
	SitterID    *uuid.UUID `json:"sitterId"`
	SitterEmail string     `json:"sitterEmail"`
}

func (r AssignRequest) assignment() numbers.Assignment {
	return numbers.Assignment{To: r.To, SitterID: r.SitterID, SitterEmail: r.SitterEmail}
}

func (s *Server) assignNumber(c *gin.Context, id uuid.UUID) (any, error) {
	var req AssignRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		return nil, badRequest("Send a JSON body with to (sitter, pool or front_desk) and, for a sitter, sitterId.", nil)
	}
	row, err := s.numbers.Assign(c.Request.Context(), actor(c), id, req.assignment())
	if err != nil {
		return nil, err
	}
	return NumberResultView{Number: numberView(*row)}, nil
}

// ---- Bulk assign and release ----

// BulkRequest names the numbers of a bulk action.
type BulkRequest struct {
	IDs          []uuid.UUID `json:"ids" required:"true"`
	ConfirmToken string      `json:"confirmToken"`
}

// BulkAssignRequest assigns several numbers.
type BulkAssignRequest struct {
	BulkRequest
	AssignRequest
}

var _ = schemaEnum[AssignRequest]("to", domain.AssignedSitter, domain.AssignedPool, domain.AssignedFrontDesk)

func (s *Server) bulkAssignNumbers(c *gin.Context) (any, error) {
	var req BulkAssignRequest
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
	var req BulkRequest
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

// ProvisionRequest buys or imports numbers.
type ProvisionRequest struct {
	// RequestID makes a retried request safe: the same ID runs once.
	RequestID string                 `json:"requestId"`
	Items     []ProvisionItemRequest `json:"items" required:"true"`
}

// ProvisionItemRequest is one number to buy or import.
type ProvisionItemRequest struct {
	E164         string     `json:"e164" required:"true"`
	Class        string     `json:"class" required:"true"`
	SitterID     *uuid.UUID `json:"sitterId"`
	SitterEmail  string     `json:"sitterEmail"`
	FriendlyName string     `json:"friendlyName"`
}

var _ = schemaEnum[ProvisionItemRequest]("class", store.ClassFrontDesk, store.ClassSitter, store.ClassPool)

// ProvisionView is the outcome of a buy or an import, number by number.
type ProvisionView struct {
	RequestID  string                         `json:"requestId"`
	WorkflowID string                         `json:"workflowId"`
	Items      []contract.ProvisionItemResult `json:"items"`
	Succeeded  int                            `json:"succeeded"`
	Failed     int                            `json:"failed"`
}

// ProvisionPendingView answers a buy or an import still running: ask
// again with the same requestId.
type ProvisionPendingView struct {
	Status     string `json:"status"`
	RequestID  string `json:"requestId"`
	WorkflowID string `json:"workflowId"`
}

// BulkOutcomeView is the outcome of a performed bulk action.
type BulkOutcomeView struct {
	Items     []BulkResult `json:"items"`
	Succeeded int          `json:"succeeded"`
	Failed    int          `json:"failed"`
}

// provisionNumbers buys or imports numbers (JSON items).
func (s *Server) provisionNumbers(action string) handlerFunc {
	return func(c *gin.Context) (any, error) {
		var req ProvisionRequest
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
			return status(http.StatusAccepted, ProvisionPendingView{Status: "in_progress", RequestID: out.RequestID, WorkflowID: out.WorkflowID}), nil
		}
		ok := 0
		for _, it := range out.Result.Items {
			if it.OK {
				ok++
			}
		}
		results := out.Result.Items
		if results == nil {
			results = []contract.ProvisionItemResult{}
		}
		return ProvisionView{RequestID: out.RequestID, WorkflowID: out.WorkflowID, Items: results, Succeeded: ok, Failed: len(results) - ok}, nil
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
