package activities

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/domain/message"
	"github.com/snoutos/snout/internal/domain/segments"
	"github.com/snoutos/snout/internal/platform/obs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service/windows"
	"github.com/snoutos/snout/workflows/steps"
)

// WindowActivate marks a scheduled window active, which is what gives its
// sitter access, and audits "window.started" once.
func (a *Activities) WindowActivate(ctx context.Context, in steps.WindowStatusInput) error {
	return a.moveWindow(ctx, in, store.WindowActive, "window.started", store.WindowScheduled)
}

// WindowFinish ends a window (ended by the clock, cancelled by an
// operator) and audits it once. A window already finished stays as it is.
func (a *Activities) WindowFinish(ctx context.Context, in steps.WindowStatusInput) error {
	action := "window.ended"
	if in.Status == store.WindowCancelled {
		action = "window.cancelled"
	} else if in.Status != store.WindowEnded {
		return temporal.NewNonRetryableApplicationError("a window finishes as ended or cancelled", "InvalidWindowStatus", nil)
	}
	return a.moveWindow(ctx, in, in.Status, action, store.WindowScheduled, store.WindowActive)
}

func (a *Activities) moveWindow(ctx context.Context, in steps.WindowStatusInput, to, action string, from ...string) error {
	ctx = obs.WithCorrelationID(ctx, obs.CorrelationID(ctx))
	return a.Store.Org(in.OrgID).Tx(ctx, func(ctx context.Context, org *store.OrgStore) error {
		moved, err := org.MoveWindowStatus(ctx, in.WindowID, to, from...)
		if errors.Is(err, store.ErrNotFound) {
			return temporal.NewNonRetryableApplicationError("the window is gone", "WindowNotFound", err)
		}
		if err != nil || !moved {
			return err
		}
		w, err := org.Window(ctx, in.WindowID)
		if err != nil {
			return err
		}
		ev := store.Audit{ActorType: "system", ActorID: contract.WindowWorkflowID(in.WindowID), Action: action, EntityType: "assignment_window",
			EntityID: in.WindowID.String(), CorrelationID: obs.CorrelationID(ctx),
			Detail:    map[string]any{"sitterId": w.SitterID, "clientId": w.ClientID, "startsAt": w.StartsAt, "endsAt": w.EndsAt, "status": to},
			DedupeKey: contract.WindowWorkflowID(in.WindowID) + "/" + to}
		if in.ActorUserID != uuid.Nil {
			ev.ActorType, ev.ActorID = "user", in.ActorUserID.String()
		}
		if in.Reason != "" {
			ev.Detail["reason"] = in.Reason
		}
		return org.Audit(ctx, ev)
	})
}

// ResumeWindows starts the workflow of every window older than MinAge
// that has not finished and has none running (service/windows.Resume).
func (a *Activities) ResumeWindows(ctx context.Context, in contract.WindowSweepInput) (contract.WindowSweepResult, error) {
	limit := in.Limit
	if limit <= 0 {
		limit = 500
	}
	r, err := windows.Resume(ctx, a.Store, a.Temporal, a.Config.TemporalTaskQueue, a.now().Add(-in.MinAge), limit, a.Log)
	return contract.WindowSweepResult{Open: r.Open, Started: r.Started, Running: r.Running, Failed: r.Failed}, err
}

// WindowApplyEdit writes an accepted edit and audits "window.edited". An
// overlap with another of the client's windows is a non-retryable
// contract.WindowErrOverlap: the workflow keeps the window as it was.
func (a *Activities) WindowApplyEdit(ctx context.Context, in steps.WindowApplyEditInput) error {
	ctx = obs.WithCorrelationID(ctx, obs.CorrelationID(ctx))
	return a.Store.Org(in.OrgID).Tx(ctx, func(ctx context.Context, org *store.OrgStore) error {
		before, err := org.Window(ctx, in.WindowID)
		if errors.Is(err, store.ErrNotFound) {
			return temporal.NewNonRetryableApplicationError("the window is gone", "WindowNotFound", err)
		}
		if err != nil {
			return err
		}
		err = org.UpdateWindow(ctx, in.WindowID, in.SitterID, in.StartsAt.UTC(), in.EndsAt.UTC(), in.Note)
		switch {
		case errors.Is(err, store.ErrConflict):
			return temporal.NewNonRetryableApplicationError("The client already has a sitter for part of that time.", contract.WindowErrOverlap, nil)
		case errors.Is(err, store.ErrNotFound):
			return temporal.NewNonRetryableApplicationError("The sitter is not one of this business's sitters.", contract.WindowErrInvalidEdit, nil)
		case err != nil:
			return err
		}
		return org.Audit(ctx, store.Audit{ActorType: "user", ActorID: in.ActorUserID.String(), Action: "window.edited",
			EntityType: "assignment_window", EntityID: in.WindowID.String(), CorrelationID: obs.CorrelationID(ctx),
			Detail: map[string]any{
				"before": map[string]any{"sitterId": before.SitterID, "startsAt": before.StartsAt, "endsAt": before.EndsAt},
				"after":  map[string]any{"sitterId": in.SitterID, "startsAt": in.StartsAt.UTC(), "endsAt": in.EndsAt.UTC()},
			},
			DedupeKey: fmt.Sprintf("%s/edit/%d", contract.WindowWorkflowID(in.WindowID), in.Seq)})
	})
}

// ReassignmentMessageID is the ID of a window's reassignment text: the
// same on every retry of the same step.
func ReassignmentMessageID(windowID uuid.UUID, key string) uuid.UUID {
	return uuid.NewSHA1(windowID, []byte("reassignment/"+key))
}

// WindowNotifyClient texts the client who is caring for them, from the
// sitter's own number (a thread on it is opened if needed) or, for a
// sitter without one, in the client's latest thread. The text is a
// pending system message handed to its DeliveryWorkflow, like any other.
// Clients who opted out are not texted.
func (a *Activities) WindowNotifyClient(ctx context.Context, in steps.WindowNotifyInput) (steps.WindowNotifyResult, error) {
	ctx = obs.WithCorrelationID(ctx, obs.CorrelationID(ctx))
	orgRow, err := a.Store.OrgByID(ctx, in.OrgID)
	if err != nil {
		return steps.WindowNotifyResult{}, err
	}
	org := a.Store.Org(in.OrgID)
	sitter, err := org.Sitter(ctx, in.SitterID)
	if err != nil {
		return steps.WindowNotifyResult{}, err
	}
	cl, err := org.ClientByID(ctx, in.ClientID)
	if err != nil {
		return steps.WindowNotifyResult{}, err
	}
	id := ReassignmentMessageID(in.WindowID, in.Key)
	if cl.OptedOutAt != nil {
		return steps.WindowNotifyResult{MessageID: id, Skipped: true, Reason: "The client has opted out of texts."}, nil
	}
	var thread *store.Thread
	line, err := org.SitterLine(ctx, in.SitterID)
	switch {
	case err == nil:
		thread, _, err = org.EnsureThread(ctx, cl.ID, line.ID, a.now())
	case errors.Is(err, store.ErrNotFound):
		thread, err = org.LatestClientThread(ctx, cl.ID)
		if errors.Is(err, store.ErrNotFound) {
			return steps.WindowNotifyResult{MessageID: id, Skipped: true, Reason: "The sitter has no number and the client has no conversation yet."}, nil
		}
	}
	if err != nil {
		return steps.WindowNotifyResult{}, err
	}
	_, _, num, err := org.NoticeRecipient(ctx, thread.ID)
	if err != nil {
		return steps.WindowNotifyResult{}, err
	}
	loc, lerr := time.LoadLocation(orgRow.Timezone)
	if lerr != nil {
		loc = time.UTC
	}
	body := ReassignmentNotice(orgRow.Name, sitter.Name, cl.Name, in.StartsAt, in.EndsAt, loc)
	info := segments.Analyze(body)
	now := a.now()
	m := &store.Message{
		ID: id, ThreadID: thread.ID, Direction: store.DirectionOutbound, SenderType: store.SenderSystem, Body: body,
		Media: []message.MediaItem{}, FromE164: num.E164, ToE164: cl.PhoneE164, Status: store.StatusPending,
		Encoding: string(info.Encoding), Segments: info.Segments, CorrelationID: obs.CorrelationID(ctx), CreatedAt: now, UpdatedAt: now,
	}
	if _, err := org.AddNumberChangeNotice(ctx, m); err != nil {
		return steps.WindowNotifyResult{}, err
	}
	if a.Temporal == nil {
		return steps.WindowNotifyResult{}, errors.New("no Temporal client to start the reassignment text's delivery")
	}
	_, err = a.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: contract.DeliveryWorkflowID(id), TaskQueue: a.Config.TemporalTaskQueue,
		WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		TypedSearchAttributes: temporal.NewSearchAttributes(contract.OrgIDKey.ValueSet(in.OrgID.String())),
	}, contract.DeliveryWorkflowName, contract.DeliveryInput{OrgID: in.OrgID, MessageID: id})
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if err != nil && !errors.As(err, &started) {
		return steps.WindowNotifyResult{}, fmt.Errorf("starting the reassignment text's delivery: %w", err)
	}
	return steps.WindowNotifyResult{MessageID: id}, nil
}

// ReassignmentNotice is the text telling a client who cares for them, in
// the org's time zone: "Whisker Watch: Sam will be caring for Bella from
// Mon Dec 7, 8:00 AM to Fri Dec 11, 6:00 PM; you can text this number."
func ReassignmentNotice(orgName, sitterName, clientName string, start, end time.Time, loc *time.Location) string {
	first := strings.Fields(sitterName)
	who := "Your sitter"
	if len(first) > 0 {
		who = first[0]
	}
	whom := "you"
	if n := strings.Fields(clientName); len(n) > 0 && !strings.ContainsAny(clientName, "0123456789") {
		whom = n[0]
	}
	const layout = "Mon Jan 2, 3:04 PM"
	body := fmt.Sprintf("%s will be caring for %s from %s to %s; you can text this number.", who, whom,
		start.In(loc).Format(layout), end.In(loc).Format(layout))
	if name := strings.TrimSpace(orgName); name != "" {
		body = name + ": " + body
	}
	return body
}
