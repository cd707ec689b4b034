package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service/numbers"
)

// quarantinePreview shows what quarantining the number would do, with the
// token that confirms it.
func (s *Server) quarantinePreview(c *gin.Context, id uuid.UUID) (any, error) {
	var replacement *uuid.UUID
	if v := c.Query("replacementNumberId"); v != "" {
		id, err := uuid.Parse(v)
		if err != nil {
			return nil, notFound("The replacement number")
		}
		replacement = &id
	}
	p, err := s.numbers.QuarantinePreview(c.Request.Context(), actor(c), id, replacement)
	if err != nil {
		return nil, err
	}
	return previewView(p), nil
}

// QuarantinePreviewView is what quarantining a number would do, with the
// token that confirms it.
type QuarantinePreviewView struct {
	Action       string               `json:"action"`
	NumberIDs    []uuid.UUID          `json:"numberIds"`
	Impact       ImpactView           `json:"impact"`
	Threads      []store.NumberThread `json:"threads"`
	Message      string               `json:"message"`
	Defaults     QuarantineDefaults   `json:"defaults"`
	ConfirmToken string               `json:"confirmToken"`
	ExpiresAt    time.Time            `json:"expiresAt"`
}

// QuarantineDefaults are the quarantine form's defaults.
type QuarantineDefaults struct {
	CooldownDays  int    `json:"cooldownDays"`
	EndAction     string `json:"endAction"`
	NotifyClients bool   `json:"notifyClients"`
}

// QuarantineStartedView answers a confirmed quarantine: its state once
// the threads have moved (null, with status starting, while it starts).
type QuarantineStartedView struct {
	QuarantineID uuid.UUID                 `json:"quarantineId"`
	WorkflowID   string                    `json:"workflowId"`
	Impact       ImpactView                `json:"impact"`
	State        *contract.QuarantineState `json:"state"`
	Number       *NumberView               `json:"number,omitempty"`
	Status       string                    `json:"status"`
}

// QuarantineStatusView is the number's latest quarantine.
type QuarantineStatusView struct {
	Number     NumberView                `json:"number"`
	Quarantine *QuarantineView           `json:"quarantine"`
	State      *contract.QuarantineState `json:"state,omitempty"`
}

// QuarantineEndedView is a finished quarantine.
type QuarantineEndedView struct {
	Quarantine *QuarantineView `json:"quarantine"`
	Number     *NumberView     `json:"number,omitempty"`
}

// EndRequestedView answers a restore or a release-now still finishing.
type EndRequestedView struct {
	Status     string `json:"status"`
	Request    string `json:"request"`
	WorkflowID string `json:"workflowId"`
}

var (
	_ = schemaEnum[QuarantineView]("endAction", contract.QuarantineEndReturnToPool, contract.QuarantineEndRelease)
	_ = schemaEnum[QuarantineDefaults]("endAction", contract.QuarantineEndReturnToPool, contract.QuarantineEndRelease)
	_ = schemaEnum[QuarantineRequest]("endAction", contract.QuarantineEndReturnToPool, contract.QuarantineEndRelease)
	_ = schemaEnum[QuarantineView]("status", store.QuarantineCoolingDown, store.QuarantineRestored, store.QuarantineReturnedToPool, store.QuarantineReleased)
)

func previewView(p numbers.Preview) QuarantinePreviewView {
	threads := p.Threads
	if threads == nil {
		threads = []store.NumberThread{}
	}
	return QuarantinePreviewView{
		Action: numbers.ActionQuarantine, NumberIDs: []uuid.UUID{p.Number.ID}, Impact: planView(p.Plan), Threads: threads,
		Message:      p.Message,
		Defaults:     QuarantineDefaults{CooldownDays: p.DefaultCooldownDays, EndAction: contract.QuarantineEndReturnToPool},
		ConfirmToken: p.Token, ExpiresAt: p.ExpiresAt,
	}
}

// QuarantineOptions are a quarantine's choices.
type QuarantineOptions struct {
	NotifyClients bool   `json:"notifyClients"`
	EndAction     string `json:"endAction"`
	CooldownDays  *int   `json:"cooldownDays"`
	Reason        string `json:"reason"`
}

func (o QuarantineOptions) options() numbers.QuarantineOptions { return numbers.QuarantineOptions(o) }

// QuarantineRequest asks for a quarantine: without confirmToken, the
// preview.
type QuarantineRequest struct {
	QuarantineOptions
	ConfirmToken        string     `json:"confirmToken"`
	ReplacementNumberID *uuid.UUID `json:"replacementNumberId"`
}

// quarantineNumber: without confirmToken, the preview; with it, the
// quarantine starts, and the answer waits until the number's threads have
// moved and the cooldown runs (202 when it is still starting).
func (s *Server) quarantineNumber(c *gin.Context, id uuid.UUID) (any, error) {
	var req QuarantineRequest
	if err := bindOptionalJSON(c, &req); err != nil {
		return nil, err
	}
	out, err := s.numbers.Quarantine(c.Request.Context(), actor(c), id, numbers.QuarantineRequest{
		QuarantineOptions: req.options(), Token: req.ConfirmToken, ReplacementNumberID: req.ReplacementNumberID})
	switch {
	case err != nil:
		return nil, err
	case out.Preview != nil:
		return previewView(*out.Preview), nil
	}
	body := QuarantineStartedView{QuarantineID: out.QuarantineID, WorkflowID: out.WorkflowID, Impact: planView(out.Plan), State: out.State}
	if out.State == nil {
		body.Status = contract.QuarantinePhaseStarting
		return status(http.StatusAccepted, body), nil
	}
	body.Number = numberViewOf(out.Row)
	body.Status = out.State.Phase
	return body, nil
}

// quarantineStatus: the number's latest quarantine, and the running
// workflow's live state while it cools down.
func (s *Server) quarantineStatus(c *gin.Context, id uuid.UUID) (any, error) {
	st, err := s.numbers.QuarantineStatus(c.Request.Context(), actor(c), id)
	if err != nil {
		return nil, err
	}
	return QuarantineStatusView{Number: numberView(*st.Number), Quarantine: s.quarantineView(st.Quarantine), State: st.State}, nil
}

// QuarantineEndRequest ends a quarantine early.
type QuarantineEndRequest struct {
	Reason       string `json:"reason"`
	ConfirmToken string `json:"confirmToken"`
}

// restoreQuarantine ends the cooldown early: the number is back in
// service; the moved threads stay where they are.
func (s *Server) restoreQuarantine(c *gin.Context, id uuid.UUID) (any, error) {
	var req QuarantineEndRequest
	if err := bindOptionalJSON(c, &req); err != nil {
		return nil, err
	}
	out, err := s.numbers.Restore(c.Request.Context(), actor(c), id, req.Reason)
	return s.endedView(c, out, contract.SignalQuarantineRestore, err)
}

// releaseQuarantineNow releases the quarantined number to the provider
// now. Destructive: it takes a confirmation.
func (s *Server) releaseQuarantineNow(c *gin.Context, id uuid.UUID) (any, error) {
	var req QuarantineEndRequest
	if err := bindOptionalJSON(c, &req); err != nil {
		return nil, err
	}
	out, err := s.numbers.ReleaseNow(c.Request.Context(), actor(c), id, req.Reason, req.ConfirmToken)
	return s.endedView(c, out, contract.SignalQuarantineReleaseNow, err)
}

// endedView answers restore and release-now: the preview to confirm, the
// finished quarantine with the number, or 202 while it is finishing.
func (s *Server) endedView(c *gin.Context, out numbers.Ended, request string, err error) (any, error) {
	switch {
	case err != nil:
		return nil, err
	case out.Confirmation != nil:
		return s.confirmationView(c.Request.Context(), out.Confirmation), nil
	case out.Quarantine == nil:
		return status(http.StatusAccepted, EndRequestedView{Status: "requested", Request: request, WorkflowID: out.WorkflowID}), nil
	}
	return QuarantineEndedView{Quarantine: s.quarantineView(out.Quarantine), Number: numberViewOf(out.Row)}, nil
}

// BulkQuarantineRequest quarantines several numbers.
type BulkQuarantineRequest struct {
	BulkRequest
	QuarantineOptions
}

// bulkQuarantineNumbers: without confirmToken, each number's guardrails,
// proposed replacement and the combined impact; with it, one quarantine
// per number (none of the selected numbers takes another's threads).
func (s *Server) bulkQuarantineNumbers(c *gin.Context) (any, error) {
	var req BulkQuarantineRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		return nil, badRequest("Send a JSON body with ids.", nil)
	}
	conf, items, err := s.numbers.BulkQuarantine(c.Request.Context(), actor(c), req.IDs, req.options(), req.ConfirmToken)
	switch {
	case err != nil:
		return nil, err
	case conf != nil:
		return s.confirmationView(c.Request.Context(), conf), nil
	}
	return s.bulkOutcome(c.Request.Context(), items), nil
}
