package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
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
	"github.com/snoutos/snout/internal/twilio/orgprovider"
)

// The setup wizard's API. Every step is an update on the org's
// SetupWorkflow, which enforces the order; these handlers validate input,
// translate outcomes into HTTP and hide provider internals unless the owner
// turned diagnostics on.
//
// Provider credentials never reach Temporal: the handler seals them
// (AES-256-GCM, key ID stored beside) into a pending_credentials row that
// lives minutes, and the update carries only the row's ID. The workflow's
// activity checks them against the provider and either moves the
// ciphertext into provider_accounts or drops the row.

const (
	// setupCallTimeout bounds how long a request waits for a step (below
	// the HTTP server's 60 s write timeout). Buying and configuring a few
	// numbers takes seconds; a long bulk step keeps running in the wizard
	// after the request gives up, and a missing worker turns into a 503
	// rather than a hung request.
	setupCallTimeout = 50 * time.Second
	// setupQueryTimeout bounds the progress query before falling back to
	// the mirrored copy.
	setupQueryTimeout = 5 * time.Second
	// pendingCredentialTTL is how long sealed credentials wait for the check.
	pendingCredentialTTL = 10 * time.Minute
)

var (
	accountSIDFormat = regexp.MustCompile(`^AC[0-9a-fA-F]{32}$`)
	apiKeySIDFormat  = regexp.MustCompile(`^SK[0-9a-fA-F]{32}$`)
	secretFormat     = regexp.MustCompile(`^[A-Za-z0-9]{16,128}$`)
	areaCodeFormat   = regexp.MustCompile(`^[2-9][0-9]{2}$`)
	regionFormat     = regexp.MustCompile(`^[A-Za-z]{2}$`)
	rawProviderCode  = regexp.MustCompile(`\s*\((?:Twilio )?error \d+\)`)
)

func (s *Server) setupRoutes() []featureRoute {
	return []featureRoute{
		{http.MethodGet, "/api/v1/setup", s.getSetup},
		{http.MethodPost, "/api/v1/setup/provider", s.setupConnectProvider},
		{http.MethodPost, "/api/v1/setup/connectivity", s.setupStep(contract.UpdateSetupVerifyConnectivity)},
		{http.MethodGet, "/api/v1/setup/available-numbers", s.setupAvailableNumbers},
		{http.MethodPost, "/api/v1/setup/front-desk", s.setupFrontDesk},
		{http.MethodPost, "/api/v1/setup/sitter-numbers", s.setupBulkNumbers(contract.UpdateSetupSitterNumbers, true)},
		{http.MethodPost, "/api/v1/setup/sitter-numbers/skip", s.setupStep(contract.UpdateSetupSkipSitterNumbers)},
		{http.MethodPost, "/api/v1/setup/pool-numbers", s.setupBulkNumbers(contract.UpdateSetupPoolNumbers, false)},
		{http.MethodPost, "/api/v1/setup/pool-numbers/skip", s.setupStep(contract.UpdateSetupSkipPoolNumbers)},
		{http.MethodPost, "/api/v1/setup/webhooks", s.setupStep(contract.UpdateSetupInstallWebhooks)},
		{http.MethodPost, "/api/v1/setup/webhooks/:numberId/retry", s.setupRetryWebhook},
		{http.MethodPost, "/api/v1/setup/readiness", s.setupStep(contract.UpdateSetupCheckReadiness)},
		{http.MethodPost, "/api/v1/setup/diagnostics", s.setupDiagnostics},
	}
}

// ---- views (what the owner sees) ----

// SetupView is the wizard as the dashboard shows it.
type SetupView struct {
	OrgID       uuid.UUID `json:"orgId"`
	CurrentStep string    `json:"currentStep"`
	Complete    bool      `json:"complete"`
	// Live is false when the wizard did not answer in time and this is the
	// last saved copy of its progress.
	Live         bool               `json:"live"`
	Diagnostics  bool               `json:"diagnostics"`
	Steps        []SetupStepView    `json:"steps"`
	Provider     *SetupProviderView `json:"provider,omitempty"`
	Connectivity []SetupCheckView   `json:"connectivity"`
	Balance      string             `json:"balance,omitempty"`
	Currency     string             `json:"currency,omitempty"`
	Numbers      []SetupNumberView  `json:"numbers"`
	LastResults  []SetupResultView  `json:"lastResults"`
	Readiness    []SetupCheckView   `json:"readiness"`
	StartedAt    time.Time          `json:"startedAt"`
	CompletedAt  *time.Time         `json:"completedAt,omitempty"`
	Version      int64              `json:"version"`
	Notice       string             `json:"notice,omitempty"`
}

// SetupStepView is one step; Available says whether it can be worked on.
type SetupStepView struct {
	Key         string     `json:"key"`
	Title       string     `json:"title"`
	Status      string     `json:"status"`
	Available   bool       `json:"available"`
	Error       string     `json:"error,omitempty"`
	CompletedAt *time.Time `json:"completedAt,omitempty"`
}

// SetupProviderView describes the connected account; SIDs only with
// diagnostics on.
type SetupProviderView struct {
	FriendlyName string    `json:"friendlyName"`
	Status       string    `json:"status"`
	Type         string    `json:"type"`
	AuthKind     string    `json:"authKind"`
	ConnectedAt  time.Time `json:"connectedAt"`
	AccountSID   string    `json:"accountSid,omitempty"`
	APIKeySID    string    `json:"apiKeySid,omitempty"`
}

// SetupCheckView is one check with what to do when it fails.
type SetupCheckView struct {
	Key          string `json:"key"`
	Title        string `json:"title"`
	OK           bool   `json:"ok"`
	Detail       string `json:"detail"`
	Fix          string `json:"fix,omitempty"`
	ProviderCode int    `json:"providerCode,omitempty"`
	Diagnostic   string `json:"diagnostic,omitempty"`
}

// SetupNumberView is a number with its webhook status.
type SetupNumberView struct {
	ID            uuid.UUID  `json:"id"`
	E164          string     `json:"e164"`
	Display       string     `json:"display"`
	Class         string     `json:"class"`
	SitterID      *uuid.UUID `json:"sitterId,omitempty"`
	Bought        bool       `json:"bought"`
	MonthlyCost   string     `json:"monthlyCost,omitempty"`
	WebhookStatus string     `json:"webhookStatus"`
	WebhookError  string     `json:"webhookError,omitempty"`
	ProviderCode  int        `json:"providerCode,omitempty"`
	ProviderSID   string     `json:"providerSid,omitempty"`
	WebhookURL    string     `json:"webhookUrl,omitempty"`
}

// SetupResultView is one number's outcome in the latest number step.
type SetupResultView struct {
	E164          string     `json:"e164"`
	NumberID      *uuid.UUID `json:"numberId,omitempty"`
	OK            bool       `json:"ok"`
	Error         string     `json:"error,omitempty"`
	Bought        bool       `json:"bought"`
	Compensated   bool       `json:"compensated"`
	MonthlyCost   string     `json:"monthlyCost,omitempty"`
	WebhookStatus string     `json:"webhookStatus,omitempty"`
	ProviderCode  int        `json:"providerCode,omitempty"`
	ProviderSID   string     `json:"providerSid,omitempty"`
}

// SetupSearchView lists numbers for sale with their monthly cost.
type SetupSearchView struct {
	Numbers     []contract.SetupAvailableNumber `json:"numbers"`
	MonthlyCost string                          `json:"monthlyCost"`
	Currency    string                          `json:"currency"`
}

// setupView renders the state, hiding webhook URLs, SIDs and raw provider
// codes unless diagnostics are on.
func setupView(st contract.SetupState, live bool) SetupView {
	diag := st.Diagnostics
	text := func(s string) string {
		if diag {
			return s
		}
		return rawProviderCode.ReplaceAllString(s, "")
	}
	code := func(c int) int {
		if diag {
			return c
		}
		return 0
	}
	secretish := func(s string) string {
		if diag {
			return s
		}
		return ""
	}
	v := SetupView{OrgID: st.OrgID, CurrentStep: st.CurrentStep, Complete: st.CompletedAt != nil, Live: live, Diagnostics: diag,
		Balance: st.Balance, Currency: st.Currency, StartedAt: st.StartedAt, CompletedAt: st.CompletedAt, Version: st.Version,
		Connectivity: []SetupCheckView{}, Numbers: []SetupNumberView{}, LastResults: []SetupResultView{}, Readiness: []SetupCheckView{}}
	for _, step := range st.Steps {
		v.Steps = append(v.Steps, SetupStepView{Key: step.Key, Title: step.Title, Status: step.Status, Error: text(step.Error),
			CompletedAt: step.CompletedAt, Available: st.CompletedAt == nil && st.Blocker(step.Key) == ""})
	}
	if p := st.Provider; p != nil {
		v.Provider = &SetupProviderView{FriendlyName: p.FriendlyName, Status: p.Status, Type: p.Type, AuthKind: p.AuthKind,
			ConnectedAt: p.ConnectedAt, AccountSID: secretish(p.AccountSID), APIKeySID: secretish(p.APIKeySID)}
	}
	checks := func(in []contract.SetupCheck) []SetupCheckView {
		out := []SetupCheckView{}
		for _, c := range in {
			out = append(out, SetupCheckView{Key: c.Key, Title: c.Title, OK: c.OK, Detail: text(c.Detail), Fix: text(c.Fix),
				ProviderCode: code(c.ProviderCode), Diagnostic: secretish(c.Diagnostic)})
		}
		return out
	}
	v.Connectivity, v.Readiness = checks(st.Connectivity), checks(st.Readiness)
	for _, n := range st.Numbers {
		v.Numbers = append(v.Numbers, SetupNumberView{ID: n.NumberID, E164: n.E164, Display: phone.Display(n.E164), Class: n.Class,
			SitterID: n.SitterID, Bought: n.Bought, MonthlyCost: n.MonthlyCost, WebhookStatus: n.WebhookStatus, WebhookError: text(n.WebhookError),
			ProviderCode: code(n.ProviderCode), ProviderSID: secretish(n.ProviderSID), WebhookURL: secretish(n.WebhookURL)})
	}
	for _, r := range st.LastProvision {
		v.LastResults = append(v.LastResults, SetupResultView{E164: r.E164, NumberID: r.NumberID, OK: r.OK, Error: text(r.Error),
			Bought: r.Bought, Compensated: r.Compensated, MonthlyCost: r.MonthlyCost, WebhookStatus: r.WebhookStatus,
			ProviderCode: code(r.ProviderCode), ProviderSID: secretish(r.ProviderSID)})
	}
	return v
}

// ---- handlers ----

// getSetup returns the wizard's progress, starting the wizard on first use.
func (s *Server) getSetup(c *gin.Context) {
	ctx := c.Request.Context()
	p := principal(c)
	view, err := s.setupProgress(ctx, p)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	c.JSON(http.StatusOK, view)
}

func (s *Server) setupProgress(ctx context.Context, p Principal) (SetupView, error) {
	saved, err := s.ensureSetup(ctx, p)
	if err != nil {
		return SetupView{}, err
	}
	if saved != nil && saved.CompletedAt != nil {
		return setupView(savedSetupState(saved, p.OrgID, s.now()), false), nil
	}
	qctx, cancel := context.WithTimeout(ctx, setupQueryTimeout)
	defer cancel()
	res, qerr := s.temporal.QueryWorkflow(qctx, contract.SetupWorkflowID(p.OrgID), "", contract.QuerySetupProgress)
	var st contract.SetupState
	if qerr == nil {
		qerr = res.Get(&st)
	}
	if qerr != nil {
		s.log.WarnContext(ctx, "setup progress query failed; showing the saved copy", "orgId", p.OrgID, "err", qerr)
		v := setupView(savedSetupState(saved, p.OrgID, s.now()), false)
		v.Notice = "Setup is paused while Snout's background worker is unavailable. Your progress is saved."
		return v, nil
	}
	return setupView(st, true), nil
}

// savedSetupState decodes the mirrored state (a fresh one when none).
func savedSetupState(saved *store.SetupProgress, orgID uuid.UUID, now time.Time) contract.SetupState {
	if saved != nil && len(saved.Steps) > 0 {
		var st contract.SetupState
		if json.Unmarshal(saved.Steps, &st) == nil && len(st.Steps) == len(contract.SetupStepOrder) {
			return st
		}
	}
	return contract.NewSetupState(orgID, now)
}

// ensureSetup starts the org's wizard unless it runs already or has
// completed (the saved progress says which). A wizard that ended without
// completing (terminated, failed, timed out) starts again from its saved
// progress. It returns the saved progress (nil when there is none).
func (s *Server) ensureSetup(ctx context.Context, p Principal) (*store.SetupProgress, error) {
	if s.temporal == nil {
		return nil, &Error{Status: http.StatusServiceUnavailable, Code: "unavailable", Message: "Setup needs Snout's workflow service, which isn't configured.", RetryAfter: 30}
	}
	saved, err := s.store.Org(p.OrgID).SetupProgress(ctx)
	switch {
	case errors.Is(err, store.ErrNotFound):
		saved = nil
	case err != nil:
		return nil, err
	case saved.CompletedAt != nil:
		return saved, nil
	}
	in := contract.SetupInput{OrgID: p.OrgID, StartedBy: p.UserID, CorrelationID: obs.CorrelationID(ctx)}
	if saved != nil {
		st := savedSetupState(saved, p.OrgID, s.now())
		in.State = &st
	}
	_, err = s.temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                       contract.SetupWorkflowID(p.OrgID),
		TaskQueue:                s.cfg.TemporalTaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY,
		TypedSearchAttributes:    temporal.NewSearchAttributes(contract.OrgIDKey.ValueSet(p.OrgID.String())),
	}, contract.SetupWorkflowName, in)
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if err != nil && !errors.As(err, &started) { // already started: completed, updates answer "already complete"
		return nil, err
	}
	return saved, nil
}

// setupUpdate sends a step to the wizard and waits for its outcome.
func (s *Server) setupUpdate(ctx context.Context, p Principal, name string, args, out any) error {
	saved, err := s.ensureSetup(ctx, p)
	if err != nil {
		return err
	}
	if saved != nil && saved.CompletedAt != nil {
		return conflict("Setup is already complete.")
	}
	h, err := s.temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: contract.SetupWorkflowID(p.OrgID), UpdateName: name, Args: []any{args},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err == nil {
		err = h.Get(ctx, out)
	}
	return setupError(ctx, err)
}

// setupError maps a wizard outcome to HTTP: order → 409, bad input → 400,
// provider refusal → 422 (plain words), no worker in time → 503.
func setupError(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		switch appErr.Type() {
		case contract.SetupErrOutOfOrder, contract.SetupErrComplete:
			return conflict(appErr.Message())
		case contract.SetupErrInvalid:
			return badRequest(appErr.Message(), nil)
		case contract.SetupErrProvider:
			return unprocessable("provider_error", appErr.Message())
		}
	}
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return conflict("Setup is already complete.")
	}
	var deadline *serviceerror.DeadlineExceeded
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &deadline) || ctx.Err() != nil {
		return &Error{Status: http.StatusServiceUnavailable, Code: "setup_unavailable", RetryAfter: 10,
			Message: "Setup is still working on this, or Snout's background worker is restarting. Your progress is saved; reload it in a moment."}
	}
	return err
}

// respondSetup runs a step and answers with the resulting progress.
func (s *Server) respondSetup(c *gin.Context, name string, args any) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), setupCallTimeout)
	defer cancel()
	var st contract.SetupState
	if err := s.setupUpdate(ctx, principal(c), name, args, &st); err != nil {
		respondError(c, s.log, err)
		return
	}
	c.JSON(http.StatusOK, setupView(st, true))
}

func setupActor(c *gin.Context) contract.SetupActor {
	return contract.SetupActor{UserID: principal(c).UserID, CorrelationID: obs.CorrelationID(c.Request.Context())}
}

// numberSearchQuery reads and checks the search options of a numbers-for-sale
// search (setup wizard and inventory); on a bad option it has answered 400.
func (s *Server) numberSearchQuery(c *gin.Context) (contract.NumberSearchInput, bool) {
	q := contract.NumberSearchInput{AreaCode: strings.TrimSpace(c.Query("areaCode")),
		Region: strings.ToUpper(strings.TrimSpace(c.Query("region")))}
	fields := map[string]string{}
	if q.AreaCode != "" && !areaCodeFormat.MatchString(q.AreaCode) {
		fields["areaCode"] = "An area code is three digits, like 415."
	}
	if q.Region != "" && !regionFormat.MatchString(q.Region) {
		fields["region"] = "A region is a two-letter state or province code, like CA."
	}
	if v := c.Query("tollFree"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			fields["tollFree"] = "Use true or false."
		}
		q.TollFree = b
	}
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 50 {
			fields["limit"] = "Ask for 1 to 50 numbers."
		}
		q.Limit = n
	}
	if len(fields) > 0 {
		respondError(c, s.log, badRequest("Some search options are not valid.", fields))
		return q, false
	}
	return q, true
}

// setupStep handles the steps that take no input.
func (s *Server) setupStep(update string) gin.HandlerFunc {
	return func(c *gin.Context) { s.respondSetup(c, update, setupActor(c)) }
}

type setupProviderRequest struct {
	AccountSID   string `json:"accountSid"`
	AuthToken    string `json:"authToken"`
	APIKeySID    string `json:"apiKeySid"`
	APIKeySecret string `json:"apiKeySecret"`
}

// setupConnectProvider seals the credentials into a pending row and asks
// the wizard to check and keep them. Wrong credentials: 422, nothing kept.
func (s *Server) setupConnectProvider(c *gin.Context) {
	p := principal(c)
	var req setupProviderRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		respondError(c, s.log, badRequest("Send a JSON body with accountSid and authToken (or apiKeySid and apiKeySecret).", nil))
		return
	}
	req.AccountSID, req.APIKeySID = strings.TrimSpace(req.AccountSID), strings.TrimSpace(req.APIKeySID)
	req.AuthToken, req.APIKeySecret = strings.TrimSpace(req.AuthToken), strings.TrimSpace(req.APIKeySecret)
	fields := map[string]string{}
	if !accountSIDFormat.MatchString(req.AccountSID) {
		fields["accountSid"] = "The Account SID starts with AC followed by 32 letters and digits; copy it from the Twilio console."
	}
	if req.APIKeySID != "" || req.APIKeySecret != "" {
		if !apiKeySIDFormat.MatchString(req.APIKeySID) {
			fields["apiKeySid"] = "An API key SID starts with SK followed by 32 letters and digits."
		}
		if !secretFormat.MatchString(req.APIKeySecret) {
			fields["apiKeySecret"] = "Paste the API key's secret (letters and digits)."
		}
	}
	if !secretFormat.MatchString(req.AuthToken) {
		fields["authToken"] = "Paste the account's Auth Token (letters and digits). Snout needs it, even with an API key, to check that incoming texts come from Twilio."
	}
	if len(fields) > 0 {
		respondError(c, s.log, badRequest("Some fields are not valid.", fields))
		return
	}
	if s.providers == nil {
		respondError(c, s.log, errors.New("setup: no provider directory configured"))
		return
	}
	secret := orgprovider.Secret{AccountSID: req.AccountSID, Secret: req.AuthToken, SigningToken: req.AuthToken}
	if req.APIKeySID != "" {
		secret = orgprovider.Secret{AccountSID: req.AccountSID, APIKeySID: req.APIKeySID, Secret: req.APIKeySecret, SigningToken: req.AuthToken}
	}
	ciphertext, keyID, err := s.providers.Seal(p.OrgID, secret)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), setupCallTimeout)
	defer cancel()
	org := s.store.Org(p.OrgID)
	userID := p.UserID
	pending := &store.PendingCredential{AccountSID: req.AccountSID, APIKeySID: req.APIKeySID, SecretCiphertext: ciphertext,
		SecretKeyID: keyID, CreatedBy: &userID, ExpiresAt: s.now().Add(pendingCredentialTTL)}
	if err := org.SavePendingCredential(ctx, pending); err != nil {
		respondError(c, s.log, err)
		return
	}
	// Whatever happens, the pending row goes: accepted credentials were
	// moved into provider_accounts, refused ones must leave no trace.
	defer func() {
		dctx, dcancel := context.WithTimeout(context.WithoutCancel(c.Request.Context()), 5*time.Second)
		defer dcancel()
		if err := org.DeletePendingCredential(dctx, pending.ID); err != nil {
			s.log.ErrorContext(dctx, "deleting pending credentials failed", "orgId", p.OrgID, "err", err)
		}
	}()
	var st contract.SetupState
	err = s.setupUpdate(ctx, p, contract.UpdateSetupConnectProvider, contract.SetupConnectArgs{
		SetupActor: setupActor(c), PendingCredentialID: pending.ID, AccountSID: req.AccountSID}, &st)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	c.JSON(http.StatusOK, setupView(st, true))
}

// setupAvailableNumbers searches numbers to buy, each with its monthly cost.
func (s *Server) setupAvailableNumbers(c *gin.Context) {
	q, ok := s.numberSearchQuery(c)
	if !ok {
		return
	}
	args := contract.SetupSearchArgs{SetupActor: setupActor(c), AreaCode: q.AreaCode, Region: q.Region, TollFree: q.TollFree, Limit: q.Limit}
	ctx, cancel := context.WithTimeout(c.Request.Context(), setupCallTimeout)
	defer cancel()
	var res contract.SetupSearchResult
	if err := s.setupUpdate(ctx, principal(c), contract.UpdateSetupSearchNumbers, args, &res); err != nil {
		respondError(c, s.log, err)
		return
	}
	if res.Numbers == nil {
		res.Numbers = []contract.SetupAvailableNumber{}
	}
	c.JSON(http.StatusOK, SetupSearchView{Numbers: res.Numbers, MonthlyCost: res.MonthlyCost, Currency: res.Currency})
}

type setupE164 struct {
	E164 string `json:"e164"`
}

type setupFrontDeskRequest struct {
	Buy    *setupE164 `json:"buy"`
	Import *setupE164 `json:"import"`
}

func (s *Server) setupFrontDesk(c *gin.Context) {
	var req setupFrontDeskRequest
	if err := c.ShouldBindJSON(&req); err != nil || (req.Buy == nil) == (req.Import == nil) {
		respondError(c, s.log, badRequest(`Send either {"buy":{"e164":"+1…"}} or {"import":{"e164":"+1…"}}.`, nil))
		return
	}
	action, raw, field := contract.ProvisionBuy, req.Buy, "buy.e164"
	if req.Import != nil {
		action, raw, field = contract.ProvisionImport, req.Import, "import.e164"
	}
	e164, err := phone.Normalize(raw.E164, "US")
	if err != nil {
		respondError(c, s.log, invalidField(field, "Enter a phone number, like +1 415 555 0100."))
		return
	}
	s.respondSetup(c, contract.UpdateSetupFrontDesk, contract.SetupFrontDeskArgs{SetupActor: setupActor(c), Action: action, E164: e164})
}

type setupBulkRequest struct {
	Items []struct {
		Action   string `json:"action"`
		E164     string `json:"e164"`
		SitterID string `json:"sitterId"`
	} `json:"items"`
}

func (s *Server) setupBulkNumbers(update string, sitters bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req setupBulkRequest
		if err := c.ShouldBindJSON(&req); err != nil || len(req.Items) == 0 {
			respondError(c, s.log, badRequest(`Send {"items":[{"action":"buy"|"import","e164":"+1…"}]}.`, nil))
			return
		}
		if len(req.Items) > 50 {
			respondError(c, s.log, invalidField("items", "Add at most 50 numbers at a time."))
			return
		}
		fields := map[string]string{}
		args := contract.SetupNumbersArgs{SetupActor: setupActor(c)}
		for i, it := range req.Items {
			prefix := "items[" + strconv.Itoa(i) + "]."
			item := contract.SetupNumberItem{Action: strings.ToLower(strings.TrimSpace(it.Action))}
			if item.Action != contract.ProvisionBuy && item.Action != contract.ProvisionImport {
				fields[prefix+"action"] = "Use buy or import."
			}
			e164, err := phone.Normalize(it.E164, "US")
			if err != nil {
				fields[prefix+"e164"] = "Enter a phone number, like +1 415 555 0100."
			}
			item.E164 = e164
			switch {
			case sitters:
				id, err := uuid.Parse(it.SitterID)
				if err != nil {
					fields[prefix+"sitterId"] = "Choose the sitter this number belongs to."
				}
				item.SitterID = &id
			case it.SitterID != "":
				fields[prefix+"sitterId"] = "Pool numbers aren't assigned to a sitter."
			}
			args.Items = append(args.Items, item)
		}
		if len(fields) > 0 {
			respondError(c, s.log, badRequest("Some numbers are not valid.", fields))
			return
		}
		s.respondSetup(c, update, args)
	}
}

func (s *Server) setupRetryWebhook(c *gin.Context) {
	id, err := pathID(c, "numberId", "That number")
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	if _, err := s.store.Org(principal(c).OrgID).Number(c.Request.Context(), id); err != nil {
		respondError(c, s.log, err) // another org's number answers 404 like a missing one
		return
	}
	s.respondSetup(c, contract.UpdateSetupRetryWebhook, contract.SetupRetryWebhookArgs{SetupActor: setupActor(c), NumberID: id})
}

func (s *Server) setupDiagnostics(c *gin.Context) {
	var req struct {
		Enabled *bool `json:"enabled"`
	}
	if err := c.ShouldBindJSON(&req); err != nil || req.Enabled == nil {
		respondError(c, s.log, invalidField("enabled", "Send true to show provider details, false to hide them."))
		return
	}
	s.respondSetup(c, contract.UpdateSetupDiagnostics, contract.SetupDiagnosticsArgs{SetupActor: setupActor(c), Enabled: *req.Enabled})
}
