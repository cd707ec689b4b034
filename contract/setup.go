package contract

import (
	"time"

	"github.com/google/uuid"
)

// ---- Setup wizard (one long-lived workflow per org: SetupWorkflowID) ----
//
// Each wizard step is an update whose validator enforces the order: an
// update for a step is rejected until every earlier step is done or
// skipped. The "progress" query returns SetupState; every change is also
// mirrored into setup_progress for the dashboard.
//
// No secret ever travels through Temporal: the API seals the provider
// credentials into a short-lived pending_credentials row and the
// connect-provider update carries only that row's ID.

// SetupWorkflowName is the registered workflow type name.
const SetupWorkflowName = "SetupWorkflow"

// Setup updates and queries.
const (
	UpdateSetupConnectProvider    = "connect-provider"    // SetupConnectArgs
	UpdateSetupVerifyConnectivity = "verify-connectivity" // SetupActor
	UpdateSetupSearchNumbers      = "search-numbers"      // SetupSearchArgs → SetupSearchResult
	UpdateSetupOwnedNumbers       = "owned-numbers"       // SetupActor → SetupOwnedResult
	UpdateSetupFrontDesk          = "front-desk"          // SetupFrontDeskArgs
	UpdateSetupSitterNumbers      = "sitter-numbers"      // SetupNumbersArgs
	UpdateSetupSkipSitterNumbers  = "skip-sitter-numbers" // SetupActor
	UpdateSetupPoolNumbers        = "pool-numbers"        // SetupNumbersArgs
	UpdateSetupSkipPoolNumbers    = "skip-pool-numbers"   // SetupActor
	UpdateSetupInstallWebhooks    = "install-webhooks"    // SetupActor
	UpdateSetupRetryWebhook       = "retry-webhook"       // SetupRetryWebhookArgs
	UpdateSetupCheckReadiness     = "check-readiness"     // SetupActor
	UpdateSetupDiagnostics        = "set-diagnostics"     // SetupDiagnosticsArgs
	// QuerySetupProgress returns SetupState.
	QuerySetupProgress = "progress"
)

// Every step update except search-numbers returns the whole SetupState.

// Setup step keys, in wizard order.
const (
	StepProvider      = "provider"
	StepConnectivity  = "connectivity"
	StepFrontDesk     = "front_desk"
	StepSitterNumbers = "sitter_numbers"
	StepPoolNumbers   = "pool_numbers"
	StepWebhooks      = "webhooks"
	StepReadiness     = "readiness"
)

// SetupStepOrder lists the steps in the order they must be completed.
var SetupStepOrder = []string{StepProvider, StepConnectivity, StepFrontDesk, StepSitterNumbers, StepPoolNumbers, StepWebhooks, StepReadiness}

// setupStepTitles and setupStepBlockers say, per step, what it is and what
// the owner must finish before the next step opens.
var (
	setupStepTitles = map[string]string{
		StepProvider:      "Connect your Twilio account",
		StepConnectivity:  "Check the connection",
		StepFrontDesk:     "Front desk number",
		StepSitterNumbers: "Sitter numbers",
		StepPoolNumbers:   "Pool numbers",
		StepWebhooks:      "Connect your numbers to Snout",
		StepReadiness:     "Ready to go",
	}
	setupStepBlockers = map[string]string{
		StepProvider:      "Connect your provider first.",
		StepConnectivity:  "Check the connection to your provider first.",
		StepFrontDesk:     "Set up your front desk number first.",
		StepSitterNumbers: "Add sitter numbers, or skip that step, first.",
		StepPoolNumbers:   "Add pool numbers, or skip that step, first.",
		StepWebhooks:      "Connect every number to Snout first.",
		StepReadiness:     "Finish the readiness checks first.",
	}
)

// Step statuses.
const (
	StepPending = "pending"
	StepDone    = "done"
	StepSkipped = "skipped"
)

// Error types of failed or rejected setup updates (temporal.ApplicationError
// types). The API maps them to HTTP; the message is always plain language.
const (
	// SetupErrOutOfOrder: an earlier step is not finished (validator). → 409
	SetupErrOutOfOrder = "SetupOutOfOrder"
	// SetupErrComplete: the wizard has finished. → 409
	SetupErrComplete = "SetupComplete"
	// SetupErrInvalid: the request itself is wrong. → 400
	SetupErrInvalid = "SetupInvalid"
	// SetupErrProvider: the provider refused (details: SetupProviderFailure). → 422
	SetupErrProvider = "SetupProviderError"
)

// SetupProviderFailure is the detail of a SetupErrProvider error.
type SetupProviderFailure struct {
	ProviderCode int `json:"providerCode,omitempty"`
}

// SetupInput starts (or continues as new) SetupWorkflow.
type SetupInput struct {
	OrgID     uuid.UUID `json:"orgId"`
	StartedBy uuid.UUID `json:"startedBy"`

	// State is set when the workflow continues as new.
	State *SetupState `json:"state,omitempty"`
}

// SetupResult is returned when the wizard completes.
type SetupResult struct {
	CompletedAt time.Time `json:"completedAt"`
}

// SetupActor says who asked for an update; every update argument has one.
type SetupActor struct {
	UserID        uuid.UUID `json:"userId"`
	CorrelationID string    `json:"correlationId"`
}

// SetupConnectArgs connects the provider account whose sealed credentials
// the API stored in pending_credentials. AccountSID is not a secret.
type SetupConnectArgs struct {
	SetupActor
	PendingCredentialID uuid.UUID `json:"pendingCredentialId"`
	AccountSID          string    `json:"accountSid"`
}

// NumberSearchQuery narrows a search of numbers for sale (the zero value
// lists any SMS-capable local numbers); numbers.CheckSearch is its rule.
type NumberSearchQuery struct {
	AreaCode string `json:"areaCode,omitempty"`
	Region   string `json:"region,omitempty"`
	TollFree bool   `json:"tollFree,omitempty"`
	Limit    int    `json:"limit,omitempty"`
}

// SetupSearchArgs searches numbers to buy.
type SetupSearchArgs struct {
	SetupActor
	NumberSearchQuery
}

// SetupAvailableNumber is one number that can be bought, with its cost
// (the search activity's answer too).
type SetupAvailableNumber struct {
	E164        string `json:"e164"`
	Display     string `json:"display"`
	Locality    string `json:"locality,omitempty"`
	Region      string `json:"region,omitempty"`
	MMS         bool   `json:"mms"`
	MonthlyCost string `json:"monthlyCost"`
	Currency    string `json:"currency"`
}

// SetupSearchResult answers search-numbers and NumberSearchWorkflow, as the
// search activity returns it.
type SetupSearchResult struct {
	Numbers     []SetupAvailableNumber `json:"numbers"`
	MonthlyCost string                 `json:"monthlyCost"`
	Currency    string                 `json:"currency"`
}

// SetupOwnedNumber is a number the connected Twilio account already has:
// one to import. InUse says the business has it in Snout already.
type SetupOwnedNumber struct {
	E164         string `json:"e164"`
	Display      string `json:"display"`
	FriendlyName string `json:"friendlyName,omitempty"`
	SMS          bool   `json:"sms"`
	InUse        bool   `json:"inUse"`
}

// SetupOwnedResult answers owned-numbers, as the activity returns it.
type SetupOwnedResult struct {
	Numbers []SetupOwnedNumber `json:"numbers"`
}

// SetupFrontDeskArgs buys or imports the front desk number.
type SetupFrontDeskArgs struct {
	SetupActor
	Action string `json:"action"` // ProvisionBuy or ProvisionImport
	E164   string `json:"e164"`
}

// SetupNumberItem is one sitter or pool number to buy or import.
type SetupNumberItem struct {
	Action   string     `json:"action"`
	E164     string     `json:"e164"`
	SitterID *uuid.UUID `json:"sitterId,omitempty"`
}

// SetupNumbersArgs buys or imports sitter or pool numbers in bulk.
type SetupNumbersArgs struct {
	SetupActor
	Items []SetupNumberItem `json:"items"`
}

// SetupRetryWebhookArgs retries one number's webhook installation.
type SetupRetryWebhookArgs struct {
	SetupActor
	NumberID uuid.UUID `json:"numberId"`
}

// SetupDiagnosticsArgs shows or hides provider internals (webhook URLs,
// SIDs, raw provider codes) in the wizard.
type SetupDiagnosticsArgs struct {
	SetupActor
	Enabled bool `json:"enabled"`
}

// SetupStep is one wizard step's progress.
type SetupStep struct {
	Key         string     `json:"key"`
	Title       string     `json:"title"`
	Status      string     `json:"status"` // pending, done, skipped
	Error       string     `json:"error,omitempty"`
	CompletedAt *time.Time `json:"completedAt,omitempty"`
}

// SetupProvider describes the connected provider account (no secrets). The
// connect activity returns it without ConnectedAt, which the wizard sets.
type SetupProvider struct {
	AccountSID   string    `json:"accountSid"`
	APIKeySID    string    `json:"apiKeySid,omitempty"`
	AuthKind     string    `json:"authKind"` // auth_token or api_key
	FriendlyName string    `json:"friendlyName"`
	Status       string    `json:"status"`
	Type         string    `json:"type"`
	ConnectedAt  time.Time `json:"connectedAt"`
}

// SetupCheck is one connectivity or readiness check, as the check
// activities return it.
type SetupCheck struct {
	Key    string `json:"key"`
	Title  string `json:"title"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
	// Fix says what to do when the check fails.
	Fix          string `json:"fix,omitempty"`
	ProviderCode int    `json:"providerCode,omitempty"`
	// Diagnostic holds provider internals, shown only with diagnostics on.
	Diagnostic string `json:"diagnostic,omitempty"`
}

// Webhook statuses of a number (phone_numbers.webhook_status).
const (
	WebhookPending   = "pending"
	WebhookInstalled = "installed"
	WebhookVerified  = "verified"
	WebhookFailed    = "failed"
)

// SetupNumber is a number the wizard knows about, with its webhook state
// (the list activity returns the org's active numbers in this shape; the
// wizard keeps Bought from what it knew).
type SetupNumber struct {
	NumberID      uuid.UUID  `json:"numberId"`
	E164          string     `json:"e164"`
	Class         string     `json:"class"`
	SitterID      *uuid.UUID `json:"sitterId,omitempty"`
	Status        string     `json:"status"` // active, released…
	Bought        bool       `json:"bought"`
	MonthlyCost   string     `json:"monthlyCost,omitempty"`
	WebhookStatus string     `json:"webhookStatus"`
	WebhookError  string     `json:"webhookError,omitempty"`
	ProviderCode  int        `json:"providerCode,omitempty"`
	ProviderSID   string     `json:"providerSid,omitempty"`
	WebhookURL    string     `json:"webhookUrl,omitempty"`
}

// SetupState is the wizard's whole state: the "progress" query answer, the
// setup_progress mirror, and what the workflow continues as new with.
type SetupState struct {
	OrgID       uuid.UUID      `json:"orgId"`
	Version     int64          `json:"version"`
	Steps       []SetupStep    `json:"steps"`
	CurrentStep string         `json:"currentStep"`
	Diagnostics bool           `json:"diagnostics"`
	Provider    *SetupProvider `json:"provider,omitempty"`
	// Connectivity holds the last step-2 checks; Balance is shown there.
	Connectivity []SetupCheck `json:"connectivity,omitempty"`
	Balance      string       `json:"balance,omitempty"`
	Currency     string       `json:"currency,omitempty"`
	// Numbers lists every number bought, imported or checked by the wizard.
	Numbers []SetupNumber `json:"numbers,omitempty"`
	// LastProvision holds the per-item results of the latest number step.
	LastProvision []ProvisionItemResult `json:"lastProvision,omitempty"`
	Readiness     []SetupCheck          `json:"readiness,omitempty"`
	// ProvisionSeq numbers the provisioning child workflows (their IDs).
	ProvisionSeq int        `json:"provisionSeq"`
	StartedAt    time.Time  `json:"startedAt"`
	CompletedAt  *time.Time `json:"completedAt,omitempty"`
}

// NewSetupState is the state of a wizard nobody has touched yet.
func NewSetupState(orgID uuid.UUID, now time.Time) SetupState {
	s := SetupState{OrgID: orgID, StartedAt: now}
	for _, key := range SetupStepOrder {
		s.Steps = append(s.Steps, SetupStep{Key: key, Title: setupStepTitles[key], Status: StepPending})
	}
	s.CurrentStep = StepProvider
	return s
}

// Step returns the step named key (nil for an unknown key).
func (s *SetupState) Step(key string) *SetupStep {
	for i := range s.Steps {
		if s.Steps[i].Key == key {
			return &s.Steps[i]
		}
	}
	return nil
}

// Finished reports whether a step is done or skipped.
func (s *SetupState) Finished(key string) bool {
	st := s.Step(key)
	return st != nil && (st.Status == StepDone || st.Status == StepSkipped)
}

// Blocker returns the plain-language reason the step key cannot be worked
// on yet ("" when every earlier step is finished).
func (s *SetupState) Blocker(key string) string {
	for _, k := range SetupStepOrder {
		if k == key {
			return ""
		}
		if !s.Finished(k) {
			return setupStepBlockers[k]
		}
	}
	return ""
}

// RefreshCurrent sets CurrentStep to the first unfinished step ("complete"
// when none is left).
func (s *SetupState) RefreshCurrent() {
	for _, k := range SetupStepOrder {
		if !s.Finished(k) {
			s.CurrentStep = k
			return
		}
	}
	s.CurrentStep = "complete"
}

// Number returns the wizard's entry for a number ID (nil if unknown).
func (s *SetupState) Number(id uuid.UUID) *SetupNumber {
	for i := range s.Numbers {
		if s.Numbers[i].NumberID == id {
			return &s.Numbers[i]
		}
	}
	return nil
}
