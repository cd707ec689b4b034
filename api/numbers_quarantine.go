package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/domain/phone"
	"github.com/snoutos/snout/internal/platform/obs"
	"github.com/snoutos/snout/internal/store"
)

// quarantineBlocker explains why a number cannot be quarantined, or is nil.
func quarantineBlocker(r *store.InventoryRow) error {
	switch {
	case r.Status == store.NumberReleased:
		return conflict("This number has been released.")
	case r.Status == store.NumberQuarantined:
		until := ""
		if r.CooldownEndsAt != nil {
			until = " until " + r.CooldownEndsAt.UTC().Format("Jan 2, 2006")
		}
		return conflict("This number is already in quarantine" + until + ".")
	case r.Class == store.ClassFrontDesk:
		return conflict("The front desk number cannot be quarantined: it is where conversations go when other numbers leave service.")
	case r.Status != store.NumberActive:
		return conflict("Only an active number can be quarantined; this one is " + r.Status + ".")
	}
	return nil
}

// quarantinePlan is the impact of quarantining one number and the
// replacement that would take its threads. replacementID, when given, must
// be another active pool or front desk number of the org; avoid lists
// numbers that cannot be the replacement (others in the same bulk action).
func (s *Server) quarantinePlan(ctx context.Context, org *store.OrgStore, row *store.InventoryRow, replacementID *uuid.UUID, avoid []uuid.UUID) (ImpactView, error) {
	if err := quarantineBlocker(row); err != nil {
		return ImpactView{}, err
	}
	imp, err := org.ImpactOf(ctx, []uuid.UUID{row.ID}, s.now())
	if err != nil {
		return ImpactView{}, err
	}
	view := impactView(imp)
	if replacementID != nil {
		rep, err := org.InventoryNumber(ctx, *replacementID, s.now())
		if errors.Is(err, store.ErrNotFound) {
			return view, notFound("The replacement number")
		}
		if err != nil {
			return view, err
		}
		if rep.ID == row.ID || rep.Status != store.NumberActive || rep.Class == store.ClassSitter || containsID(avoid, rep.ID) {
			return view, invalidField("replacementNumberId", "Choose another active pool number, or the front desk.")
		}
		view.Replacement = replacementView(*rep)
		return view, nil
	}
	candidates, err := org.ReplacementCandidates(ctx, append([]uuid.UUID{row.ID}, avoid...), s.now())
	if err != nil {
		return view, err
	}
	if len(candidates) == 0 {
		return view, conflict("No other number can take over this number's conversations. Buy or import a pool number first.")
	}
	view.Replacement = replacementView(candidates[0])
	return view, nil
}

func containsID(ids []uuid.UUID, id uuid.UUID) bool {
	for _, v := range ids {
		if v == id {
			return true
		}
	}
	return false
}

// quarantinePreview shows what quarantining the number would do, with the
// token that confirms it.
func (s *Server) quarantinePreview(c *gin.Context) {
	var replacement *uuid.UUID
	if v := c.Query("replacementNumberId"); v != "" {
		id, err := uuid.Parse(v)
		if err != nil {
			respondError(c, s.log, notFound("The replacement number"))
			return
		}
		replacement = &id
	}
	s.respondQuarantinePreview(c, replacement)
}

func (s *Server) respondQuarantinePreview(c *gin.Context, replacement *uuid.UUID) {
	ctx := c.Request.Context()
	p := principal(c)
	row, err := s.loadNumber(c)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	org := s.store.Org(p.OrgID)
	plan, err := s.quarantinePlan(ctx, org, row, replacement, nil)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	threads, err := org.NumberThreads(ctx, row.ID, s.now())
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	if threads == nil {
		threads = []store.NumberThread{}
	}
	token, exp := s.issueConfirmToken(p, "quarantine", []uuid.UUID{row.ID})
	c.JSON(http.StatusOK, gin.H{
		"action": "quarantine", "numberIds": []uuid.UUID{row.ID}, "impact": plan, "threads": threads,
		"message": fmt.Sprintf("%s will stop being used. Its %s will move to %s; texts clients send to the old number during the cooldown still reach them.",
			phone.Display(row.E164), plural(plan.Threads, "conversation", "conversations"), plan.Replacement.Display),
		"defaults":     gin.H{"cooldownDays": s.defaultCooldownDays(), "endAction": contract.QuarantineEndReturnToPool, "notifyClients": false},
		"confirmToken": token, "expiresAt": exp,
	})
}

func (s *Server) defaultCooldownDays() int {
	d := int(s.cfg.QuarantineCooldown / (24 * time.Hour))
	if d < 1 {
		d = 1
	}
	return d
}

type quarantineRequest struct {
	ConfirmToken        string     `json:"confirmToken"`
	ReplacementNumberID *uuid.UUID `json:"replacementNumberId"`
	NotifyClients       bool       `json:"notifyClients"`
	EndAction           string     `json:"endAction"`
	CooldownDays        *int       `json:"cooldownDays"`
	Reason              string     `json:"reason"`
}

// options validates the request and returns the cooldown.
func (s *Server) quarantineOptions(req *quarantineRequest) (time.Duration, error) {
	fields := map[string]string{}
	if req.EndAction == "" {
		req.EndAction = contract.QuarantineEndReturnToPool
	}
	if req.EndAction != contract.QuarantineEndReturnToPool && req.EndAction != contract.QuarantineEndRelease {
		fields["endAction"] = "Use return_to_pool or release."
	}
	cooldown := s.cfg.QuarantineCooldown
	if req.CooldownDays != nil {
		if *req.CooldownDays < 1 || *req.CooldownDays > 365 {
			fields["cooldownDays"] = "Use from 1 to 365 days."
		}
		cooldown = time.Duration(*req.CooldownDays) * 24 * time.Hour
	}
	req.Reason = strings.TrimSpace(req.Reason)
	if len([]rune(req.Reason)) > 500 {
		fields["reason"] = "Use at most 500 characters."
	}
	if len(fields) > 0 {
		return 0, badRequest("Some fields are not valid.", fields)
	}
	return cooldown, nil
}

// quarantineNumber: without confirmToken, the preview; with it, starts the
// number's QuarantineWorkflow and waits (up to 10 seconds) until its
// threads have moved and the cooldown runs.
func (s *Server) quarantineNumber(c *gin.Context) {
	ctx := c.Request.Context()
	p := principal(c)
	var req quarantineRequest
	if err := bindOptionalJSON(c, &req); err != nil {
		respondError(c, s.log, err)
		return
	}
	cooldown, err := s.quarantineOptions(&req)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	if req.ConfirmToken == "" {
		s.respondQuarantinePreview(c, req.ReplacementNumberID)
		return
	}
	row, err := s.loadNumber(c)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	if err := s.checkConfirmToken(p, "quarantine", []uuid.UUID{row.ID}, req.ConfirmToken); err != nil {
		respondError(c, s.log, err)
		return
	}
	org := s.store.Org(p.OrgID)
	plan, err := s.quarantinePlan(ctx, org, row, req.ReplacementNumberID, nil)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	run, qid, err := s.startQuarantine(ctx, p, row, req, cooldown, plan.Replacement.ID, nil)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	state, err := s.awaitQuarantineStarted(ctx, run, 10*time.Second)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	body := gin.H{"quarantineId": qid, "workflowId": run.GetID(), "impact": plan, "state": state}
	if state == nil {
		body["status"] = "starting"
		c.JSON(http.StatusAccepted, body)
		return
	}
	if now, err := org.InventoryNumber(ctx, row.ID, s.now()); err == nil {
		body["number"] = numberView(*now)
	}
	body["status"] = state.Phase
	c.JSON(http.StatusOK, body)
}

// startQuarantine starts the number's QuarantineWorkflow, searchable in the
// Temporal Web UI by OrgId, PhoneNumber and NumberId. A quarantine already
// running for the number is 409.
func (s *Server) startQuarantine(ctx context.Context, p Principal, row *store.InventoryRow, req quarantineRequest, cooldown time.Duration, replacement uuid.UUID, avoid []uuid.UUID) (client.WorkflowRun, uuid.UUID, error) {
	if err := s.requireTemporal(); err != nil {
		return nil, uuid.Nil, err
	}
	qid := store.NewID()
	in := contract.QuarantineInput{
		OrgID: p.OrgID, QuarantineID: qid, NumberID: row.ID, PhoneNumber: row.E164, ReplacementNumberID: &replacement, Avoid: avoid,
		NotifyClients: req.NotifyClients, EndAction: req.EndAction, Cooldown: cooldown, Reason: req.Reason,
		ActorUserID: p.UserID, CorrelationID: obs.CorrelationID(ctx),
	}
	run, err := s.temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: contract.QuarantineWorkflowID(row.ID), TaskQueue: s.cfg.TemporalTaskQueue,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
		TypedSearchAttributes:    numberSearchAttributes(p.OrgID, row.E164, row.ID),
	}, contract.QuarantineWorkflowName, in)
	if err != nil {
		var started *serviceerror.WorkflowExecutionAlreadyStarted
		if errors.As(err, &started) {
			return nil, uuid.Nil, conflict("A quarantine for this number is already running.")
		}
		return nil, uuid.Nil, err
	}
	s.auditNumber(ctx, p, "number.quarantine.requested", row.ID, map[string]any{
		"quarantineId": qid, "e164": row.E164, "replacementNumberId": replacement, "endAction": req.EndAction,
		"cooldownDays": int(cooldown / (24 * time.Hour)), "notifyClients": req.NotifyClients, "reason": req.Reason,
	})
	return run, qid, nil
}

// awaitQuarantineStarted polls the workflow's state until the cooldown
// runs (or later), the workflow fails, or wait passes (nil state).
func (s *Server) awaitQuarantineStarted(ctx context.Context, run client.WorkflowRun, wait time.Duration) (*contract.QuarantineState, error) {
	deadline := time.Now().Add(wait)
	for {
		v, err := s.temporal.QueryWorkflow(ctx, run.GetID(), run.GetRunID(), contract.QueryQuarantineState)
		if err == nil {
			var st contract.QuarantineState
			if v.Get(&st) == nil {
				switch st.Phase {
				case contract.QuarantinePhaseCoolingDown, contract.QuarantinePhaseFinishing, contract.QuarantinePhaseDone:
					return &st, nil
				}
			}
		}
		desc, derr := s.temporal.DescribeWorkflowExecution(ctx, run.GetID(), run.GetRunID())
		if derr == nil && desc.WorkflowExecutionInfo.GetStatus() != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
			if gerr := run.Get(ctx, nil); gerr != nil {
				return nil, workflowFailure(gerr, "quarantine_failed")
			}
			return nil, nil
		}
		if time.Now().After(deadline) {
			return nil, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// quarantineStatus: the number's latest quarantine, and the running
// workflow's live state while it cools down.
func (s *Server) quarantineStatus(c *gin.Context) {
	ctx := c.Request.Context()
	row, err := s.loadNumber(c)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	q, err := s.store.Org(principal(c).OrgID).LatestQuarantine(ctx, row.ID)
	if errors.Is(err, store.ErrNotFound) {
		respondError(c, s.log, notFound("A quarantine of this number"))
		return
	}
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	body := gin.H{"number": numberView(*row), "quarantine": s.quarantineView(q)}
	if q.Status == store.QuarantineCoolingDown && s.temporal != nil {
		if v, err := s.temporal.QueryWorkflow(ctx, contract.QuarantineWorkflowID(row.ID), "", contract.QueryQuarantineState); err == nil {
			var st contract.QuarantineState
			if v.Get(&st) == nil && st.QuarantineID == q.ID {
				body["state"] = st
			}
		} else {
			s.log.WarnContext(ctx, "quarantine state query failed", "numberId", row.ID, "err", err)
		}
	}
	c.JSON(http.StatusOK, body)
}

type quarantineSignalRequest struct {
	Reason       string `json:"reason"`
	ConfirmToken string `json:"confirmToken"`
}

// coolingDown returns the number's running quarantine, or a 409.
func (s *Server) coolingDown(c *gin.Context) (*store.InventoryRow, *store.Quarantine, error) {
	row, err := s.loadNumber(c)
	if err != nil {
		return nil, nil, err
	}
	q, err := s.store.Org(principal(c).OrgID).LatestQuarantine(c.Request.Context(), row.ID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && q.Status != store.QuarantineCoolingDown) {
		return nil, nil, conflict("This number is not in quarantine.")
	}
	return row, q, err
}

// restoreQuarantine ends the cooldown early: the number is back in
// service; the moved threads stay where they are.
func (s *Server) restoreQuarantine(c *gin.Context) {
	s.signalQuarantine(c, contract.SignalQuarantineRestore, false)
}

// releaseQuarantineNow releases the quarantined number to the provider
// now. Destructive: it takes a confirmation.
func (s *Server) releaseQuarantineNow(c *gin.Context) {
	s.signalQuarantine(c, contract.SignalQuarantineReleaseNow, true)
}

func (s *Server) signalQuarantine(c *gin.Context, signal string, confirm bool) {
	ctx := c.Request.Context()
	p := principal(c)
	var req quarantineSignalRequest
	if err := bindOptionalJSON(c, &req); err != nil {
		respondError(c, s.log, err)
		return
	}
	if len([]rune(req.Reason)) > 500 {
		respondError(c, s.log, invalidField("reason", "Use at most 500 characters."))
		return
	}
	row, q, err := s.coolingDown(c)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	if confirm {
		if req.ConfirmToken == "" {
			s.askConfirmation(c, p, signal, []uuid.UUID{row.ID}, []uuid.UUID{row.ID}, nil,
				"Releasing gives "+phone.Display(row.E164)+" back to the provider now, before the cooldown ends. Texts to it will stop arriving.")
			return
		}
		if err := s.checkConfirmToken(p, signal, []uuid.UUID{row.ID}, req.ConfirmToken); err != nil {
			respondError(c, s.log, err)
			return
		}
	}
	if err := s.requireTemporal(); err != nil {
		respondError(c, s.log, err)
		return
	}
	err = s.temporal.SignalWorkflow(ctx, contract.QuarantineWorkflowID(row.ID), "", signal, contract.QuarantineSignal{
		UserID: p.UserID, Reason: strings.TrimSpace(req.Reason), CorrelationID: obs.CorrelationID(ctx),
	})
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		respondError(c, s.log, conflict("The quarantine is already finishing. Reload in a moment."))
		return
	}
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	s.auditNumber(ctx, p, "number.quarantine."+strings.ReplaceAll(signal, "-", "_")+"_requested", row.ID,
		map[string]any{"quarantineId": q.ID, "reason": req.Reason})
	// Wait briefly for the workflow to finish the quarantine, so the answer
	// shows the number's new state.
	org := s.store.Org(p.OrgID)
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		now, err := org.QuarantineByID(ctx, q.ID)
		if err == nil && now.Status != store.QuarantineCoolingDown {
			body := gin.H{"quarantine": s.quarantineView(now)}
			if n, err := org.InventoryNumber(ctx, row.ID, s.now()); err == nil {
				body["number"] = numberView(*n)
			}
			c.JSON(http.StatusOK, body)
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(200 * time.Millisecond):
		}
	}
	c.JSON(http.StatusAccepted, gin.H{"status": "requested", "request": signal, "workflowId": contract.QuarantineWorkflowID(row.ID)})
}

// ---- Bulk quarantine ----

type bulkQuarantineRequest struct {
	bulkRequest
	NotifyClients bool   `json:"notifyClients"`
	EndAction     string `json:"endAction"`
	CooldownDays  *int   `json:"cooldownDays"`
	Reason        string `json:"reason"`
}

// bulkQuarantineNumbers: without confirmToken, each number's guardrails,
// proposed replacement and the combined impact; with it, one
// QuarantineWorkflow per number (none of the selected numbers takes
// another's threads).
func (s *Server) bulkQuarantineNumbers(c *gin.Context) {
	ctx := c.Request.Context()
	p := principal(c)
	var req bulkQuarantineRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		respondError(c, s.log, badRequest("Send a JSON body with ids.", nil))
		return
	}
	if err := req.validate(); err != nil {
		respondError(c, s.log, err)
		return
	}
	opts := quarantineRequest{NotifyClients: req.NotifyClients, EndAction: req.EndAction, CooldownDays: req.CooldownDays, Reason: req.Reason}
	cooldown, err := s.quarantineOptions(&opts)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	if req.ConfirmToken != "" {
		if err := s.checkConfirmToken(p, "bulk-quarantine", req.IDs, req.ConfirmToken); err != nil {
			respondError(c, s.log, err)
			return
		}
	}
	org := s.store.Org(p.OrgID)
	items := make([]BulkResult, len(req.IDs))
	var ready []uuid.UUID
	for i, id := range req.IDs {
		items[i] = BulkResult{ID: id}
		row, err := org.InventoryNumber(ctx, id, s.now())
		if errors.Is(err, store.ErrNotFound) {
			err = notFound("The number")
		}
		var plan ImpactView
		if err == nil {
			items[i].E164 = row.E164
			plan, err = s.quarantinePlan(ctx, org, row, nil, req.IDs)
		}
		if err != nil {
			items[i].Error = s.itemError(ctx, err)
			continue
		}
		items[i].OK, items[i].Impact, items[i].Replacement = true, &plan, plan.Replacement
		ready = append(ready, id)
		if req.ConfirmToken == "" {
			continue
		}
		run, qid, err := s.startQuarantine(ctx, p, row, opts, cooldown, plan.Replacement.ID, req.IDs)
		if err != nil {
			items[i].OK, items[i].Error = false, s.itemError(ctx, err)
			continue
		}
		items[i].WorkflowID, items[i].QuarantineID = run.GetID(), &qid
	}
	if req.ConfirmToken == "" {
		s.askConfirmation(c, p, "bulk-quarantine", req.IDs, ready, items,
			fmt.Sprintf("%s can be quarantined; each one's conversations move to the replacement shown.", plural(len(ready), "number", "numbers")))
		return
	}
	ok := 0
	for _, it := range items {
		if it.OK {
			ok++
		}
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "succeeded": ok, "failed": len(items) - ok})
}
