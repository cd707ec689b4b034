package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/snoutos/snout/contract"
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

func previewView(p numbers.Preview) gin.H {
	return gin.H{
		"action": numbers.ActionQuarantine, "numberIds": []uuid.UUID{p.Number.ID}, "impact": planView(p.Plan), "threads": p.Threads,
		"message":      p.Message,
		"defaults":     gin.H{"cooldownDays": p.DefaultCooldownDays, "endAction": contract.QuarantineEndReturnToPool, "notifyClients": false},
		"confirmToken": p.Token, "expiresAt": p.ExpiresAt,
	}
}

type quarantineOptions struct {
	NotifyClients bool   `json:"notifyClients"`
	EndAction     string `json:"endAction"`
	CooldownDays  *int   `json:"cooldownDays"`
	Reason        string `json:"reason"`
}

func (o quarantineOptions) options() numbers.QuarantineOptions { return numbers.QuarantineOptions(o) }

// quarantineNumber: without confirmToken, the preview; with it, the
// quarantine starts, and the answer waits until the number's threads have
// moved and the cooldown runs (202 when it is still starting).
func (s *Server) quarantineNumber(c *gin.Context, id uuid.UUID) (any, error) {
	var req struct {
		quarantineOptions
		ConfirmToken        string     `json:"confirmToken"`
		ReplacementNumberID *uuid.UUID `json:"replacementNumberId"`
	}
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
	body := gin.H{"quarantineId": out.QuarantineID, "workflowId": out.WorkflowID, "impact": planView(out.Plan), "state": out.State}
	if out.State == nil {
		body["status"] = "starting"
		return status(http.StatusAccepted, body), nil
	}
	if out.Row != nil {
		body["number"] = numberView(*out.Row)
	}
	body["status"] = out.State.Phase
	return body, nil
}

// quarantineStatus: the number's latest quarantine, and the running
// workflow's live state while it cools down.
func (s *Server) quarantineStatus(c *gin.Context, id uuid.UUID) (any, error) {
	st, err := s.numbers.QuarantineStatus(c.Request.Context(), actor(c), id)
	if err != nil {
		return nil, err
	}
	body := gin.H{"number": numberView(*st.Number), "quarantine": s.quarantineView(st.Quarantine)}
	if st.State != nil {
		body["state"] = st.State
	}
	return body, nil
}

type quarantineEndRequest struct {
	Reason       string `json:"reason"`
	ConfirmToken string `json:"confirmToken"`
}

// restoreQuarantine ends the cooldown early: the number is back in
// service; the moved threads stay where they are.
func (s *Server) restoreQuarantine(c *gin.Context, id uuid.UUID) (any, error) {
	var req quarantineEndRequest
	if err := bindOptionalJSON(c, &req); err != nil {
		return nil, err
	}
	out, err := s.numbers.Restore(c.Request.Context(), actor(c), id, req.Reason)
	return s.endedView(c, out, contract.SignalQuarantineRestore, err)
}

// releaseQuarantineNow releases the quarantined number to the provider
// now. Destructive: it takes a confirmation.
func (s *Server) releaseQuarantineNow(c *gin.Context, id uuid.UUID) (any, error) {
	var req quarantineEndRequest
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
		return status(http.StatusAccepted, gin.H{"status": "requested", "request": request, "workflowId": out.WorkflowID}), nil
	}
	body := gin.H{"quarantine": s.quarantineView(out.Quarantine)}
	if out.Row != nil {
		body["number"] = numberView(*out.Row)
	}
	return body, nil
}

// bulkQuarantineNumbers: without confirmToken, each number's guardrails,
// proposed replacement and the combined impact; with it, one quarantine
// per number (none of the selected numbers takes another's threads).
func (s *Server) bulkQuarantineNumbers(c *gin.Context) (any, error) {
	var req struct {
		bulkRequest
		quarantineOptions
	}
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
