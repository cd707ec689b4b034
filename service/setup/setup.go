// Package setup holds the setup wizard's use cases. Every step is an update
// on the org's SetupWorkflow, which enforces the order and keeps the
// progress; this package checks each step's input first, starts the wizard
// on first use (or again from its saved progress), and turns the wizard's
// answers into refusals the owner can act on.
//
// Provider credentials never reach Temporal: ConnectProvider seals them
// (AES-256-GCM, key ID stored beside) into a pending_credentials row that
// lives minutes, and the update carries only the row's ID. The workflow's
// activity checks them against the provider and either moves the
// ciphertext into provider_accounts or drops the row.
package setup

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"time"

	"github.com/google/uuid"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/platform/obs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/internal/twilio/orgprovider"
	"github.com/snoutos/snout/service"
)

const (
	// callTimeout bounds how long a request waits for a step (below the
	// HTTP server's 60 s write timeout). Buying and configuring a few
	// numbers takes seconds; a long bulk step keeps running in the wizard
	// after the request gives up, and a missing worker turns into
	// Unavailable rather than a hung request.
	callTimeout = 50 * time.Second
	// queryTimeout bounds the progress query before falling back to the
	// mirrored copy.
	queryTimeout = 5 * time.Second
	// pendingCredentialTTL is how long sealed credentials wait for the check.
	pendingCredentialTTL = 10 * time.Minute
)

// Deps are the service's collaborators.
type Deps struct {
	Store *store.Store
	// Temporal reaches the wizard; nil answers Unavailable.
	Temporal  client.Client
	TaskQueue string
	// Providers seals provider credentials.
	Providers *orgprovider.Directory
	Now       func() time.Time
	Log       *slog.Logger
}

// Service runs the wizard's use cases.
type Service struct {
	store     *store.Store
	temporal  client.Client
	taskQueue string
	providers *orgprovider.Directory
	now       func() time.Time
	log       *slog.Logger
}

// New builds the service.
func New(d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	return &Service{store: d.Store, temporal: d.Temporal, taskQueue: d.TaskQueue, providers: d.Providers, now: d.Now, log: d.Log}
}

// Progress is the wizard as the owner sees it. Live is false when the
// wizard did not answer in time (or has completed) and State is its last
// saved copy; Notice then says why, when there is something to say.
type Progress struct {
	State  contract.SetupState
	Live   bool
	Notice string
}

// Progress returns the wizard's progress, starting the wizard on first use.
func (s *Service) Progress(ctx context.Context, a service.Actor) (Progress, error) {
	saved, err := s.ensure(ctx, a)
	if err != nil {
		return Progress{}, err
	}
	if saved != nil && saved.CompletedAt != nil {
		return Progress{State: savedState(saved, a.OrgID, s.now())}, nil
	}
	qctx, cancel := context.WithTimeout(ctx, queryTimeout)
	defer cancel()
	res, qerr := s.temporal.QueryWorkflow(qctx, contract.SetupWorkflowID(a.OrgID), "", contract.QuerySetupProgress)
	var st contract.SetupState
	if qerr == nil {
		qerr = res.Get(&st)
	}
	if qerr != nil {
		s.log.WarnContext(ctx, "setup progress query failed; showing the saved copy", "orgId", a.OrgID, "err", qerr)
		return Progress{State: savedState(saved, a.OrgID, s.now()),
			Notice: "Setup is paused while Snout's background worker is unavailable. Your progress is saved."}, nil
	}
	return Progress{State: st, Live: true}, nil
}

// savedState decodes the mirrored state (a fresh one when none).
func savedState(saved *store.SetupProgress, orgID uuid.UUID, now time.Time) contract.SetupState {
	if saved != nil && len(saved.Steps) > 0 {
		var st contract.SetupState
		if json.Unmarshal(saved.Steps, &st) == nil && len(st.Steps) == len(contract.SetupStepOrder) {
			return st
		}
	}
	return contract.NewSetupState(orgID, now)
}

// ensure starts the org's wizard unless it runs already or has completed
// (the saved progress says which). A wizard that ended without completing
// (terminated, failed, timed out) starts again from its saved progress. It
// returns the saved progress (nil when there is none).
func (s *Service) ensure(ctx context.Context, a service.Actor) (*store.SetupProgress, error) {
	if s.temporal == nil {
		return nil, errs.Unavailable("", "Setup needs Snout's workflow service, which isn't configured.", 30*time.Second)
	}
	saved, err := s.store.Org(a.OrgID).SetupProgress(ctx)
	switch {
	case errors.Is(err, store.ErrNotFound):
		saved = nil
	case err != nil:
		return nil, err
	case saved.CompletedAt != nil:
		return saved, nil
	}
	in := contract.SetupInput{OrgID: a.OrgID, StartedBy: a.UserID}
	if saved != nil {
		st := savedState(saved, a.OrgID, s.now())
		in.State = &st
	}
	_, err = s.temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                       contract.SetupWorkflowID(a.OrgID),
		TaskQueue:                s.taskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY,
		TypedSearchAttributes:    temporal.NewSearchAttributes(contract.OrgIDKey.ValueSet(a.OrgID.String())),
	}, contract.SetupWorkflowName, in)
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if err != nil && !errors.As(err, &started) { // already started: completed, updates answer "already complete"
		return nil, err
	}
	return saved, nil
}

// update sends a step to the wizard and waits (up to callTimeout) for its
// outcome, decoded into out.
func (s *Service) update(ctx context.Context, a service.Actor, name string, args, out any) error {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	saved, err := s.ensure(ctx, a)
	if err != nil {
		return err
	}
	if saved != nil && saved.CompletedAt != nil {
		return errs.Conflict("", "Setup is already complete.")
	}
	h, err := s.temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: contract.SetupWorkflowID(a.OrgID), UpdateName: name, Args: []any{args},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err == nil {
		err = h.Get(ctx, out)
	}
	return refusal(ctx, err)
}

// step runs an update that answers with the wizard's whole state.
func (s *Service) step(ctx context.Context, a service.Actor, name string, args any) (contract.SetupState, error) {
	var st contract.SetupState
	err := s.update(ctx, a, name, args, &st)
	return st, err
}

// refusal gives a wizard outcome its meaning: the order → conflict, bad
// input → invalid, a provider refusal → blocked (plain words), no worker
// in time → unavailable.
func refusal(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		switch appErr.Type() {
		case contract.SetupErrOutOfOrder, contract.SetupErrComplete:
			return errs.Conflict("", appErr.Message())
		case contract.SetupErrInvalid:
			return errs.Invalid(appErr.Message(), nil)
		case contract.SetupErrProvider:
			return errs.Blocked("provider_error", appErr.Message())
		}
	}
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return errs.Conflict("", "Setup is already complete.")
	}
	var deadline *serviceerror.DeadlineExceeded
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &deadline) || ctx.Err() != nil {
		return errs.Unavailable("setup_unavailable",
			"Setup is still working on this, or Snout's background worker is restarting. Your progress is saved; reload it in a moment.", 10*time.Second)
	}
	return err
}

func actorOf(ctx context.Context, a service.Actor) contract.SetupActor {
	return contract.SetupActor{UserID: a.UserID, CorrelationID: obs.CorrelationID(ctx)}
}
