package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/domain/phone"
	"github.com/snoutos/snout/internal/twilio/provider"
	"github.com/snoutos/snout/service"
	"github.com/snoutos/snout/service/setup"
)

// The setup wizard's API: the use cases are service/setup's; these
// handlers bind, and render the wizard's state, hiding provider internals
// unless the owner turned diagnostics on.

func (s *Server) setupRoutes() []featureRoute {
	step := func(summary string) op {
		return doc(summary, tagSetup).ok(SetupView{}).fails(http.StatusConflict, http.StatusUnprocessableEntity, http.StatusServiceUnavailable)
	}
	return []featureRoute{
		{http.MethodGet, "/api/v1/setup", s.reply(http.StatusOK, s.getSetup),
			doc("The setup wizard's progress (starting the wizard on first use)", tagSetup).ok(SetupView{}).fails(http.StatusServiceUnavailable)},
		{http.MethodPost, "/api/v1/setup/provider", s.reply(http.StatusOK, s.setupConnectProvider),
			step("Connect the Twilio account: credentials are checked, then kept encrypted").body(ProviderRequest{})},
		{http.MethodPost, "/api/v1/setup/connectivity", s.setupStep(contract.UpdateSetupVerifyConnectivity), step("Check the account can send")},
		{http.MethodGet, "/api/v1/setup/available-numbers", s.reply(http.StatusOK, s.setupAvailableNumbers),
			doc("Numbers for sale, with their monthly cost", tagSetup).query(numberSearchParams...).ok(contract.SetupSearchResult{}).
				fails(http.StatusConflict, http.StatusUnprocessableEntity, http.StatusServiceUnavailable)},
		{http.MethodGet, "/api/v1/setup/owned-numbers", s.reply(http.StatusOK, s.setupOwnedNumbers),
			doc("Numbers the connected Twilio account already has, to import", tagSetup).ok(contract.SetupOwnedResult{}).
				fails(http.StatusConflict, http.StatusUnprocessableEntity, http.StatusServiceUnavailable)},
		{http.MethodPost, "/api/v1/setup/front-desk", s.reply(http.StatusOK, s.setupFrontDesk),
			step("Buy or import the front desk number").body(FrontDeskRequest{})},
		{http.MethodPost, "/api/v1/setup/sitter-numbers", s.reply(http.StatusOK, s.setupNumbers(s.setup.SitterNumbers)),
			step("Buy or import sitters' numbers").body(SetupNumbersRequest{})},
		{http.MethodPost, "/api/v1/setup/sitter-numbers/skip", s.setupStep(contract.UpdateSetupSkipSitterNumbers), step("Skip sitters' numbers")},
		{http.MethodPost, "/api/v1/setup/pool-numbers", s.reply(http.StatusOK, s.setupNumbers(s.setup.PoolNumbers)),
			step("Buy or import pool numbers").body(SetupNumbersRequest{})},
		{http.MethodPost, "/api/v1/setup/pool-numbers/skip", s.setupStep(contract.UpdateSetupSkipPoolNumbers), step("Skip pool numbers")},
		{http.MethodPost, "/api/v1/setup/webhooks", s.setupStep(contract.UpdateSetupInstallWebhooks), step("Install the webhooks on every number")},
		{http.MethodPost, "/api/v1/setup/webhooks/:numberId/retry", s.reply(http.StatusOK, s.setupRetryWebhook), step("Retry one number's webhook")},
		{http.MethodPost, "/api/v1/setup/readiness", s.setupStep(contract.UpdateSetupCheckReadiness), step("Check everything is ready, finishing setup")},
		{http.MethodPost, "/api/v1/setup/diagnostics", s.reply(http.StatusOK, s.setupDiagnostics),
			step("Show or hide provider internals (SIDs, webhook URLs, raw provider codes)").body(DiagnosticsRequest{})},
	}
}

// ProviderRequest connects the Twilio account: an auth token, or an API
// key and its secret.
type ProviderRequest struct {
	AccountSID   string `json:"accountSid" required:"true"`
	AuthToken    string `json:"authToken"`
	APIKeySID    string `json:"apiKeySid"`
	APIKeySecret string `json:"apiKeySecret"`
}

// E164Request names one number.
type E164Request struct {
	E164 string `json:"e164" required:"true"`
}

// FrontDeskRequest buys or imports the front desk number: one of the two.
type FrontDeskRequest struct {
	Buy    *E164Request `json:"buy"`
	Import *E164Request `json:"import"`
}

// SetupNumberRequest is one number to buy or import.
type SetupNumberRequest struct {
	Action   string `json:"action" required:"true"`
	E164     string `json:"e164" required:"true"`
	SitterID string `json:"sitterId"`
}

// SetupNumbersRequest buys or imports numbers.
type SetupNumbersRequest struct {
	Items []SetupNumberRequest `json:"items" required:"true"`
}

// DiagnosticsRequest turns diagnostics on or off.
type DiagnosticsRequest struct {
	Enabled *bool `json:"enabled" required:"true"`
}

var _ = schemaEnum[SetupNumberRequest]("action", contract.ProvisionBuy, contract.ProvisionImport)

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

// setupResult is the wizard's state as a step answered it, rendered for
// its reader (diagnostics.go).
type setupResult struct {
	state  contract.SetupState
	live   bool
	notice string
}

func (r setupResult) forViewer(vw viewer) any {
	v := setupView(r.state, r.live, vw.diagnostics)
	v.Notice = r.notice
	return v
}

// setupView renders the state, hiding webhook URLs, SIDs and raw provider
// codes unless diagnostics are on (the org's switch, for its owner).
func setupView(st contract.SetupState, live, diag bool) SetupView {
	text := func(s string) string {
		if diag {
			return s
		}
		return provider.Redact(s)
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
func (s *Server) getSetup(c *gin.Context) (any, error) {
	p, err := s.setup.Progress(c.Request.Context(), actor(c))
	if err != nil {
		return nil, err
	}
	return setupResult{state: p.State, live: p.Live, notice: p.Notice}, nil
}

// liveSetup renders the state a step answered with.
func liveSetup(st contract.SetupState, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return setupResult{state: st, live: true}, nil
}

// setupStep handles the steps that take no input.
func (s *Server) setupStep(update string) gin.HandlerFunc {
	return s.reply(http.StatusOK, func(c *gin.Context) (any, error) {
		return liveSetup(s.setup.Step(c.Request.Context(), actor(c), update))
	})
}

// setupConnectProvider checks and keeps the provider credentials. Wrong
// credentials: 422, nothing kept.
func (s *Server) setupConnectProvider(c *gin.Context) (any, error) {
	var req ProviderRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		return nil, badRequest("Send a JSON body with accountSid and authToken (or apiKeySid and apiKeySecret).", nil)
	}
	return liveSetup(s.setup.ConnectProvider(c.Request.Context(), actor(c), setup.Credentials(req)))
}

// setupAvailableNumbers searches numbers to buy, each with its monthly cost.
func (s *Server) setupAvailableNumbers(c *gin.Context) (any, error) {
	return s.setup.SearchNumbers(c.Request.Context(), actor(c), searchRequest(c))
}

func (s *Server) setupOwnedNumbers(c *gin.Context) (any, error) {
	return s.setup.OwnedNumbers(c.Request.Context(), actor(c))
}

func (s *Server) setupFrontDesk(c *gin.Context) (any, error) {
	var req FrontDeskRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		return nil, badRequest(`Send either {"buy":{"e164":"+1…"}} or {"import":{"e164":"+1…"}}.`, nil)
	}
	var buy, imp *string
	if req.Buy != nil {
		buy = &req.Buy.E164
	}
	if req.Import != nil {
		imp = &req.Import.E164
	}
	return liveSetup(s.setup.FrontDesk(c.Request.Context(), actor(c), buy, imp))
}

// setupNumbers handles the sitter and pool number steps.
func (s *Server) setupNumbers(add func(context.Context, service.Actor, []setup.NumberItem) (contract.SetupState, error)) handlerFunc {
	return func(c *gin.Context) (any, error) {
		var req SetupNumbersRequest
		if err := c.ShouldBindJSON(&req); err != nil {
			return nil, badRequest(`Send {"items":[{"action":"buy"|"import","e164":"+1…"}]}.`, nil)
		}
		items := make([]setup.NumberItem, len(req.Items))
		for i, it := range req.Items {
			items[i] = setup.NumberItem(it)
		}
		return liveSetup(add(c.Request.Context(), actor(c), items))
	}
}

func (s *Server) setupRetryWebhook(c *gin.Context) (any, error) {
	id, err := pathID(c, "numberId", "That number")
	if err != nil {
		return nil, err
	}
	return liveSetup(s.setup.RetryWebhook(c.Request.Context(), actor(c), id))
}

// setupDiagnostics is the wizard's diagnostics switch: the org's one switch
// (service/settings), usable during setup and after it.
func (s *Server) setupDiagnostics(c *gin.Context) (any, error) {
	enabled, _ := bindDiagnostics(c)
	if _, err := s.settings.SetDiagnostics(c.Request.Context(), actor(c), enabled); err != nil {
		return nil, err
	}
	return s.getSetup(c)
}
