package api

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/domain/phone"
	"github.com/snoutos/snout/internal/platform/obs"
	"github.com/snoutos/snout/internal/store"
)

// ---- Confirmation of destructive actions ----
//
// Release, quarantine, release-now and their bulk versions answer a first
// call (without confirmToken) with the impact and a token. The token is an
// HMAC, under a key derived from the first SNOUT_ENCRYPTION_KEY, over the
// org, the user, the action, the sorted number IDs and an expiry five
// minutes out: it confirms exactly what was previewed, by whoever saw it,
// and nothing else. Nothing is stored.

const confirmTokenTTL = 5 * time.Minute

func (s *Server) confirmKey() []byte {
	var root []byte
	if len(s.cfg.EncryptionKeys) > 0 {
		root = s.cfg.EncryptionKeys[0].Key
	}
	mac := hmac.New(sha256.New, root)
	mac.Write([]byte("snout/numbers/confirm-token/v1"))
	return mac.Sum(nil)
}

func confirmMAC(key []byte, p Principal, action string, ids []uuid.UUID, exp int64) []byte {
	sorted := make([]string, len(ids))
	for i, id := range ids {
		sorted[i] = id.String()
	}
	sort.Strings(sorted)
	mac := hmac.New(sha256.New, key)
	fmt.Fprintf(mac, "%s\x00%s\x00%s\x00%s\x00%d", p.OrgID, p.UserID, action, strings.Join(sorted, ","), exp)
	return mac.Sum(nil)
}

func (s *Server) issueConfirmToken(p Principal, action string, ids []uuid.UUID) (string, time.Time) {
	exp := s.now().Add(confirmTokenTTL).Truncate(time.Second)
	mac := confirmMAC(s.confirmKey(), p, action, ids, exp.Unix())
	return strconv.FormatInt(exp.Unix(), 10) + "." + base64.RawURLEncoding.EncodeToString(mac), exp
}

func (s *Server) checkConfirmToken(p Principal, action string, ids []uuid.UUID, token string) error {
	bad := &Error{Status: http.StatusBadRequest, Code: "invalid_confirm_token",
		Message: "This confirmation does not match what was previewed. Look at the impact again and confirm.",
		Fields:  map[string]string{"confirmToken": "Use the confirmToken from the preview of this same action."}}
	expText, macText, ok := strings.Cut(token, ".")
	exp, err := strconv.ParseInt(expText, 10, 64)
	if !ok || err != nil {
		return bad
	}
	mac, err := base64.RawURLEncoding.DecodeString(macText)
	if err != nil || !hmac.Equal(mac, confirmMAC(s.confirmKey(), p, action, ids, exp)) {
		return bad
	}
	if s.now().Unix() > exp {
		bad.Message = "This confirmation has expired. Look at the impact again and confirm within five minutes."
		return bad
	}
	return nil
}

// askConfirmation answers the first call of a destructive action on ids:
// what it would change for the numbers it can act on (inScope), each
// number's outcome for a bulk action (items), and the token that confirms
// it.
func (s *Server) askConfirmation(c *gin.Context, p Principal, action string, ids, inScope []uuid.UUID, items []BulkResult, msg string) {
	imp := store.NumberImpact{}
	if len(inScope) > 0 {
		var err error
		if imp, err = s.store.Org(p.OrgID).ImpactOf(c.Request.Context(), inScope, s.now()); err != nil {
			respondError(c, s.log, err)
			return
		}
	}
	token, exp := s.issueConfirmToken(p, action, ids)
	c.JSON(http.StatusOK, ConfirmationView{Action: action, NumberIDs: ids, Impact: impactView(imp), Items: items,
		Message: msg, ConfirmToken: token, ExpiresAt: exp})
}

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

func replacementView(r store.InventoryRow) *ReplacementView {
	return &ReplacementView{ID: r.ID, E164: r.E164, Display: phone.Display(r.E164), Class: r.Class, Health: r.Health}
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

func unavailable(msg string) *Error {
	return &Error{Status: http.StatusServiceUnavailable, Code: "unavailable", Message: msg, RetryAfter: 30}
}

func (s *Server) requireTemporal() error {
	if s.temporal == nil {
		return unavailable("Background processing is not available right now. Try again in a minute.")
	}
	return nil
}

func numberSearchAttributes(orgID uuid.UUID, e164 string, numberID uuid.UUID) temporal.SearchAttributes {
	return temporal.NewSearchAttributes(contract.OrgIDKey.ValueSet(orgID.String()),
		contract.PhoneNumberKey.ValueSet(e164), contract.NumberIDKey.ValueSet(numberID.String()))
}

// workflowFailure turns a failed workflow into a plain-language 422, or
// returns err unchanged.
func workflowFailure(err error, code string) error {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) && appErr.Message() != "" {
		return unprocessable(code, appErr.Message())
	}
	return err
}

// ---- Release ----

type releaseRequest struct {
	ConfirmToken string `json:"confirmToken"`
}

// releaseBlocker explains why a number cannot be released, or is nil.
func (s *Server) releaseBlocker(ctx context.Context, org *store.OrgStore, r *store.InventoryRow) error {
	switch {
	case r.Status == store.NumberReleased:
		return conflict("This number has already been released.")
	case r.Status == store.NumberQuarantined:
		return conflict("This number is in quarantine. Use \"release now\" on its quarantine instead.")
	case r.Class == store.ClassFrontDesk:
		return conflict("The front desk number cannot be released: it is the number your clients know.")
	case r.ActiveThreads > 0:
		imp, err := org.ImpactOf(ctx, []uuid.UUID{r.ID}, s.now())
		if err != nil {
			return err
		}
		return &Error{Status: http.StatusConflict, Code: "has_active_threads",
			Message: fmt.Sprintf("This number still carries %s with %s. Move them first: quarantine the number, which moves its conversations to another number.",
				plural(r.ActiveThreads, "active conversation", "active conversations"), plural(imp.Clients, "client", "clients")),
			Fields: map[string]string{"threads": strconv.Itoa(imp.Threads), "activeThreads": strconv.Itoa(imp.ActiveThreads),
				"clients": strconv.Itoa(imp.Clients), "activeWindows": strconv.Itoa(imp.ActiveWindows)}}
	}
	return nil
}

// releaseNumber: guardrails, then the impact and a confirmation token, then
// (with the token) the release through ReleaseNumberWorkflow.
func (s *Server) releaseNumber(c *gin.Context) {
	ctx := c.Request.Context()
	p := principal(c)
	var req releaseRequest
	if err := bindOptionalJSON(c, &req); err != nil {
		respondError(c, s.log, err)
		return
	}
	row, err := s.loadNumber(c)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	org := s.store.Org(p.OrgID)
	if err := s.releaseBlocker(ctx, org, row); err != nil {
		respondError(c, s.log, err)
		return
	}
	if req.ConfirmToken == "" {
		s.askConfirmation(c, p, "release", []uuid.UUID{row.ID}, []uuid.UUID{row.ID}, nil,
			"Releasing gives "+phone.Display(row.E164)+" back to the provider. Texts to it will no longer arrive, and it may not be possible to get it back.")
		return
	}
	if err := s.checkConfirmToken(p, "release", []uuid.UUID{row.ID}, req.ConfirmToken); err != nil {
		respondError(c, s.log, err)
		return
	}
	done, err := s.runRelease(ctx, p, row)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	if !done {
		c.JSON(http.StatusAccepted, gin.H{"status": "releasing", "workflowId": contract.ReleaseNumberWorkflowID(row.ID)})
		return
	}
	s.respondNumber(c, row.ID)
}

// runRelease runs ReleaseNumberWorkflow and waits up to 30 seconds for it;
// done is false when it is still running.
func (s *Server) runRelease(ctx context.Context, p Principal, row *store.InventoryRow) (done bool, err error) {
	if err := s.requireTemporal(); err != nil {
		return false, err
	}
	s.auditNumber(ctx, p, "number.release.confirmed", row.ID, map[string]any{"e164": row.E164})
	run, err := s.temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: contract.ReleaseNumberWorkflowID(row.ID), TaskQueue: s.cfg.TemporalTaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		TypedSearchAttributes:    numberSearchAttributes(p.OrgID, row.E164, row.ID),
	}, contract.ReleaseNumberWorkflowName, contract.ReleaseNumberInput{
		OrgID: p.OrgID, NumberID: row.ID, ActorUserID: p.UserID, CorrelationID: obs.CorrelationID(ctx),
	})
	if err != nil {
		return false, err
	}
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var res contract.ReleaseNumberResult
	if err := run.Get(wctx, &res); err != nil {
		if wctx.Err() != nil && ctx.Err() == nil {
			return false, nil
		}
		return false, workflowFailure(err, "release_failed")
	}
	return true, nil
}

func (s *Server) auditNumber(ctx context.Context, p Principal, action string, numberID uuid.UUID, detail map[string]any) {
	entityType, entityID := "phone_number", numberID.String()
	if numberID == uuid.Nil {
		entityType, entityID = "phone_numbers", ""
	}
	if err := s.store.Org(p.OrgID).Audit(ctx, store.Audit{
		ActorType: "user", ActorID: p.UserID.String(), Action: action, EntityType: entityType, EntityID: entityID,
		CorrelationID: obs.CorrelationID(ctx), Detail: detail,
	}); err != nil {
		s.log.ErrorContext(ctx, "audit write failed", "action", action, "err", err)
	}
}

// respondNumber answers with the number's current inventory row.
func (s *Server) respondNumber(c *gin.Context, id uuid.UUID) {
	row, err := s.store.Org(principal(c).OrgID).InventoryNumber(c.Request.Context(), id, s.now())
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"number": numberView(*row)})
}

// ---- Assign ----

type assignRequest struct {
	// To is "sitter", "pool" or "front_desk".
	To          string     `json:"to"`
	SitterID    *uuid.UUID `json:"sitterId"`
	SitterEmail string     `json:"sitterEmail"`
}

// resolveSitter finds the sitter an assignment names, in this org only.
func (s *Server) resolveSitter(ctx context.Context, org *store.OrgStore, id *uuid.UUID, email string) (*store.Sitter, error) {
	var sitter *store.Sitter
	var err error
	switch {
	case id != nil:
		sitter, err = org.Sitter(ctx, *id)
	case strings.TrimSpace(email) != "":
		sitter, err = org.SitterByEmail(ctx, normaliseEmail(email))
	default:
		return nil, invalidField("sitterId", "Choose the sitter this number is for.")
	}
	if err != nil {
		return nil, notFoundOr(err, "The sitter")
	}
	if !sitter.Active {
		return nil, conflict(sitter.Name + " is not an active sitter.")
	}
	return sitter, nil
}

// assignOne applies one assignment with its guardrails and history.
func (s *Server) assignOne(ctx context.Context, p Principal, id uuid.UUID, req assignRequest) (*store.InventoryRow, error) {
	org := s.store.Org(p.OrgID)
	row, err := org.InventoryNumber(ctx, id, s.now())
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("The number")
	}
	if err != nil {
		return nil, err
	}
	if !oneOf(req.To, numberClasses) {
		return nil, invalidField("to", "Assign to sitter, pool or front_desk.")
	}
	switch {
	case row.Status != store.NumberActive:
		return nil, conflict("Only an active number can be reassigned; this one is " + row.Status + ".")
	case row.Class == store.ClassFrontDesk && req.To != store.ClassFrontDesk:
		return nil, conflict("The front desk number stays the front desk: clients know it. Quarantine it if it must leave service.")
	}
	var sitter *store.Sitter
	var toSitter *uuid.UUID
	label := ""
	switch req.To {
	case store.ClassSitter:
		if sitter, err = s.resolveSitter(ctx, org, req.SitterID, req.SitterEmail); err != nil {
			return nil, err
		}
		toSitter, label = &sitter.ID, "Assigned to "+sitter.Name
	case store.ClassPool:
		label = "Moved to the pool"
	case store.ClassFrontDesk:
		if row.Class == store.ClassFrontDesk {
			return row, nil
		}
		if fd, err := org.FrontDeskNumber(ctx); err == nil {
			return nil, conflict("This organisation already has a front desk number (" + phone.Display(fd.E164) + "); there can be only one.")
		} else if !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		label = "Made the front desk number"
	}
	if row.Class == req.To && equalSitter(row.SitterID, toSitter) {
		return row, nil // already so
	}
	if row.ActiveThreads > 0 {
		return nil, &Error{Status: http.StatusConflict, Code: "has_active_threads",
			Message: fmt.Sprintf("This number carries %s; reassigning it would hand them to someone else. Quarantine it to move them first.",
				plural(row.ActiveThreads, "active conversation", "active conversations")),
			Fields: map[string]string{"activeThreads": strconv.Itoa(row.ActiveThreads), "threads": strconv.Itoa(row.Threads)}}
	}
	if err := org.AssignNumber(ctx, row.ID, row.Class, row.SitterID, req.To, toSitter, label, p.UserID.String()); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return nil, conflict("The number changed meanwhile, or the organisation already has a front desk number. Reload and try again.")
		}
		return nil, err
	}
	detail := map[string]any{"e164": row.E164, "fromClass": row.Class, "toClass": req.To}
	if toSitter != nil {
		detail["sitterId"] = *toSitter
	}
	s.auditNumber(ctx, p, "number.assigned", row.ID, detail)
	return org.InventoryNumber(ctx, row.ID, s.now())
}

func equalSitter(a, b *uuid.UUID) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

func (s *Server) assignNumber(c *gin.Context) {
	var req assignRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		respondError(c, s.log, badRequest("Send a JSON body with to (sitter, pool or front_desk) and, for a sitter, sitterId.", nil))
		return
	}
	id, err := pathID(c, "id", "The number")
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	row, err := s.assignOne(c.Request.Context(), principal(c), id, req)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"number": numberView(*row)})
}

// ---- Bulk assign and release ----

const maxBulkNumbers = 200

type bulkRequest struct {
	IDs          []uuid.UUID `json:"ids"`
	ConfirmToken string      `json:"confirmToken"`
}

func (b bulkRequest) validate() error {
	if len(b.IDs) == 0 || len(b.IDs) > maxBulkNumbers {
		return invalidField("ids", "Select from 1 to "+strconv.Itoa(maxBulkNumbers)+" numbers.")
	}
	seen := map[uuid.UUID]bool{}
	for _, id := range b.IDs {
		if seen[id] {
			return invalidField("ids", "A number is selected twice.")
		}
		seen[id] = true
	}
	return nil
}

type bulkAssignRequest struct {
	bulkRequest
	assignRequest
}

func (s *Server) bulkAssignNumbers(c *gin.Context) {
	ctx := c.Request.Context()
	var req bulkAssignRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		respondError(c, s.log, badRequest("Send a JSON body with ids and to.", nil))
		return
	}
	if err := req.validate(); err != nil {
		respondError(c, s.log, err)
		return
	}
	p := principal(c)
	out := make([]BulkResult, len(req.IDs))
	okCount := 0
	for i, id := range req.IDs {
		out[i] = BulkResult{ID: id}
		row, err := s.assignOne(ctx, p, id, req.assignRequest)
		if err != nil {
			out[i].Error = s.itemError(ctx, err)
			continue
		}
		v := numberView(*row)
		out[i].OK, out[i].E164, out[i].Number = true, row.E164, &v
		okCount++
	}
	c.JSON(http.StatusOK, gin.H{"items": out, "succeeded": okCount, "failed": len(out) - okCount})
}

// bulkReleaseNumbers: without confirmToken, each number's guardrails and
// the combined impact; with it, each releasable number is released.
func (s *Server) bulkReleaseNumbers(c *gin.Context) {
	ctx := c.Request.Context()
	p := principal(c)
	var req bulkRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		respondError(c, s.log, badRequest("Send a JSON body with ids.", nil))
		return
	}
	if err := req.validate(); err != nil {
		respondError(c, s.log, err)
		return
	}
	org := s.store.Org(p.OrgID)
	if req.ConfirmToken != "" {
		if err := s.checkConfirmToken(p, "bulk-release", req.IDs, req.ConfirmToken); err != nil {
			respondError(c, s.log, err)
			return
		}
	}
	items := make([]BulkResult, len(req.IDs))
	var releasable []uuid.UUID
	rows := make([]*store.InventoryRow, len(req.IDs))
	for i, id := range req.IDs {
		items[i] = BulkResult{ID: id}
		row, err := org.InventoryNumber(ctx, id, s.now())
		if errors.Is(err, store.ErrNotFound) {
			err = notFound("The number")
		}
		if err == nil {
			err = s.releaseBlocker(ctx, org, row)
		}
		if err != nil {
			items[i].Error = s.itemError(ctx, err)
			continue
		}
		rows[i], items[i].E164, items[i].OK = row, row.E164, true
		releasable = append(releasable, id)
	}
	if req.ConfirmToken == "" {
		s.askConfirmation(c, p, "bulk-release", req.IDs, releasable, items,
			fmt.Sprintf("%s can be released; the others are listed with the reason they cannot.", plural(len(releasable), "number", "numbers")))
		return
	}
	okCount := 0
	for i, row := range rows {
		if row == nil {
			continue
		}
		done, err := s.runRelease(ctx, p, row)
		if err != nil {
			items[i].OK, items[i].Error = false, s.itemError(ctx, err)
			continue
		}
		items[i].WorkflowID = contract.ReleaseNumberWorkflowID(row.ID)
		if done {
			if now, err := org.InventoryNumber(ctx, row.ID, s.now()); err == nil {
				v := numberView(*now)
				items[i].Number = &v
			}
		}
		okCount++
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "succeeded": okCount, "failed": len(items) - okCount})
}

// ---- Buy and import (through ProvisionNumbersWorkflow) ----

type provisionItemRequest struct {
	E164         string     `json:"e164"`
	Class        string     `json:"class"`
	SitterID     *uuid.UUID `json:"sitterId"`
	SitterEmail  string     `json:"sitterEmail"`
	FriendlyName string     `json:"friendlyName"`
}

type provisionRequest struct {
	// RequestID makes a retried request safe: the same ID runs once.
	RequestID string                 `json:"requestId"`
	Items     []provisionItemRequest `json:"items"`
}

const maxProvisionItems = 50

var requestIDPatternNumbers = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// provisionCheck validates items against the org (sitters, existing
// numbers, the one front desk) and returns, per item, the workflow item or
// a plain-language error keyed by field.
type provisionCheck struct {
	item  contract.ProvisionItem
	field string
	err   string
}

func (s *Server) checkProvisionItems(ctx context.Context, org *store.OrgStore, action string, reqs []provisionItemRequest) ([]provisionCheck, error) {
	out := make([]provisionCheck, len(reqs))
	seen := map[string]int{}
	frontDeskTaken := false
	if _, err := org.FrontDeskNumber(ctx); err == nil {
		frontDeskTaken = true
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	for i, r := range reqs {
		chk := &out[i]
		e164, err := phone.Normalize(strings.TrimPrefix(strings.TrimSpace(r.E164), "'"), "US")
		if err != nil {
			var inv *phone.InvalidError
			msg := "This is not a valid phone number."
			if errors.As(err, &inv) {
				msg = "This is not a valid phone number: " + inv.Reason + "."
			}
			chk.field, chk.err = "e164", msg
			continue
		}
		class := normaliseClass(r.Class)
		chk.item = contract.ProvisionItem{Action: action, E164: e164, Class: class, FriendlyName: strings.TrimSpace(r.FriendlyName)}
		switch {
		case !oneOf(class, numberClasses):
			chk.field, chk.err = "class", "Use front_desk, sitter or pool."
			continue
		case len([]rune(chk.item.FriendlyName)) > 64:
			chk.field, chk.err = "friendlyName", "Use at most 64 characters."
			continue
		}
		if prev, dup := seen[e164]; dup {
			chk.field, chk.err = "e164", fmt.Sprintf("This number is listed twice (also item %d).", prev+1)
			continue
		}
		seen[e164] = i
		hasSitter := r.SitterID != nil || strings.TrimSpace(r.SitterEmail) != ""
		switch class {
		case store.ClassSitter:
			sitter, err := s.resolveSitter(ctx, org, r.SitterID, r.SitterEmail)
			if err != nil {
				var apiErr *Error
				if !errors.As(err, &apiErr) {
					return nil, err
				}
				chk.field, chk.err = "sitter", "No active sitter with that email or ID in this organisation."
				continue
			}
			chk.item.SitterID = &sitter.ID
		case store.ClassFrontDesk:
			if hasSitter {
				chk.field, chk.err = "sitter", "Only sitter numbers take a sitter."
				continue
			}
			if frontDeskTaken {
				chk.field, chk.err = "class", "This organisation already has a front desk number; there can be only one."
				continue
			}
			frontDeskTaken = true
		default:
			if hasSitter {
				chk.field, chk.err = "sitter", "Only sitter numbers take a sitter."
				continue
			}
		}
		if _, err := org.NumberByE164(ctx, e164); err == nil {
			chk.field, chk.err = "e164", "This number is already in your inventory."
			continue
		} else if !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
	}
	return out, nil
}

func normaliseClass(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.NewReplacer(" ", "_", "-", "_").Replace(s)
	if s == "frontdesk" {
		return store.ClassFrontDesk
	}
	return s
}

// runProvision starts (or rejoins, for the same request ID) the
// provisioning workflow and waits up to 90 seconds for its result; nil
// result means it is still running.
func (s *Server) runProvision(ctx context.Context, p Principal, requestID string, items []contract.ProvisionItem) (*contract.ProvisionResult, error) {
	if err := s.requireTemporal(); err != nil {
		return nil, err
	}
	id := contract.ProvisionWorkflowID(p.OrgID, requestID)
	run, err := s.temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: id, TaskQueue: s.cfg.TemporalTaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		TypedSearchAttributes:    temporal.NewSearchAttributes(contract.OrgIDKey.ValueSet(p.OrgID.String())),
	}, contract.ProvisionNumbersWorkflowName, contract.ProvisionInput{
		OrgID: p.OrgID, RequestID: requestID, Items: items, ActorUserID: p.UserID, CorrelationID: obs.CorrelationID(ctx),
	})
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &started) {
		run, err = s.temporal.GetWorkflow(ctx, id, ""), nil // the same request, already finished: its result
	}
	if err != nil {
		return nil, err
	}
	wctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	var res contract.ProvisionResult
	if err := run.Get(wctx, &res); err != nil {
		if wctx.Err() != nil && ctx.Err() == nil {
			return nil, nil
		}
		return nil, workflowFailure(err, "provisioning_failed")
	}
	return &res, nil
}

func (s *Server) buyNumbers(c *gin.Context)    { s.provisionNumbers(c, contract.ProvisionBuy) }
func (s *Server) importNumbers(c *gin.Context) { s.provisionNumbers(c, contract.ProvisionImport) }

// provisionNumbers buys or imports numbers (JSON items) through
// ProvisionNumbersWorkflow, which also installs and verifies each number's
// webhook and releases a bought number it cannot configure.
func (s *Server) provisionNumbers(c *gin.Context, action string) {
	ctx := c.Request.Context()
	p := principal(c)
	var req provisionRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		respondError(c, s.log, badRequest("Send a JSON body with items: [{e164, class, sitterId, friendlyName}].", nil))
		return
	}
	if len(req.Items) == 0 || len(req.Items) > maxProvisionItems {
		respondError(c, s.log, invalidField("items", "List from 1 to "+strconv.Itoa(maxProvisionItems)+" numbers."))
		return
	}
	if req.RequestID == "" {
		req.RequestID = uuid.NewString()
	} else if !requestIDPatternNumbers.MatchString(req.RequestID) {
		respondError(c, s.log, invalidField("requestId", "Use up to 64 letters, digits, - or _."))
		return
	}
	checks, err := s.checkProvisionItems(ctx, s.store.Org(p.OrgID), action, req.Items)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	fields := map[string]string{}
	items := make([]contract.ProvisionItem, len(checks))
	for i, chk := range checks {
		if chk.err != "" {
			fields[fmt.Sprintf("items[%d].%s", i, chk.field)] = chk.err
		}
		items[i] = chk.item
	}
	if len(fields) > 0 {
		respondError(c, s.log, badRequest("Some numbers cannot be "+pastTense(action)+".", fields))
		return
	}
	s.auditNumber(ctx, p, "numbers."+action+".requested", uuid.Nil, map[string]any{"requestId": req.RequestID, "count": len(items)})
	res, err := s.runProvision(ctx, p, req.RequestID, items)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	wfID := contract.ProvisionWorkflowID(p.OrgID, req.RequestID)
	if res == nil {
		c.JSON(http.StatusAccepted, gin.H{"status": "in_progress", "requestId": req.RequestID, "workflowId": wfID})
		return
	}
	ok := 0
	for _, it := range res.Items {
		if it.OK {
			ok++
		}
	}
	c.JSON(http.StatusOK, gin.H{"requestId": req.RequestID, "workflowId": wfID, "items": res.Items, "succeeded": ok, "failed": len(res.Items) - ok})
}

func pastTense(action string) string {
	if action == contract.ProvisionBuy {
		return "bought"
	}
	return "imported"
}

// ---- Numbers for sale ----

// searchNumbersForSale lists numbers the org can buy, with their monthly
// cost, through NumberSearchWorkflow (the provider is reached only from
// activities). Pick one and POST it to /api/v1/numbers/buy.
func (s *Server) searchNumbersForSale(c *gin.Context) {
	q, ok := s.numberSearchQuery(c)
	if !ok {
		return
	}
	if err := s.requireTemporal(); err != nil {
		respondError(c, s.log, err)
		return
	}
	ctx := c.Request.Context()
	p := principal(c)
	q.OrgID = p.OrgID
	run, err := s.temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: contract.NumberSearchWorkflowID(p.OrgID, uuid.NewString()), TaskQueue: s.cfg.TemporalTaskQueue,
		WorkflowExecutionTimeout: time.Minute,
		TypedSearchAttributes:    temporal.NewSearchAttributes(contract.OrgIDKey.ValueSet(p.OrgID.String())),
	}, contract.NumberSearchWorkflowName, q)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	wctx, cancel := context.WithTimeout(ctx, 50*time.Second)
	defer cancel()
	var res contract.SetupSearchResult
	if err := run.Get(wctx, &res); err != nil {
		if wctx.Err() != nil && ctx.Err() == nil {
			respondError(c, s.log, unavailable("The provider is slow to answer. Try the search again in a minute."))
			return
		}
		respondError(c, s.log, workflowFailure(err, "provider_refused"))
		return
	}
	if res.Numbers == nil {
		res.Numbers = []contract.SetupAvailableNumber{}
	}
	c.JSON(http.StatusOK, SetupSearchView{Numbers: res.Numbers, MonthlyCost: res.MonthlyCost, Currency: res.Currency})
}
