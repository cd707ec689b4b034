package activities

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/temporal"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/domain/phone"
	"github.com/snoutos/snout/internal/platform/obs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/internal/twilio/orgprovider"
	"github.com/snoutos/snout/internal/twilio/provider"
	"github.com/snoutos/snout/workflows/steps"
)

// Setup wizard activities. None of them receives a secret: credentials
// reach them as the ID of a sealed pending_credentials row.

// Error types of the setup activities (non-retryable).
const (
	ErrTypeAccountTaken = "ProviderAccountTaken"
)

// SetupConnectProvider checks the pending credential against the provider.
// Accepted: its ciphertext becomes the org's provider account and the
// pending row goes. Refused: the pending row goes and nothing is stored.
func (a *Activities) SetupConnectProvider(ctx context.Context, in steps.SetupConnectInput) (contract.SetupProvider, error) {
	log := a.provisionLog(ctx, in.OrgID, in.WorkflowID)
	o := a.Store.Org(in.OrgID)
	pending, err := o.PendingCredential(ctx, in.PendingID, a.now())
	if errors.Is(err, store.ErrNotFound) {
		// A retry after a successful promotion finds the account in place.
		if acct, aerr := o.ProviderAccount(ctx); aerr == nil && acct.AccountSID == in.AccountSID && a.now().Sub(acct.UpdatedAt) < 15*time.Minute {
			return a.setupDescribeAccount(ctx, in.OrgID, acct)
		}
		return contract.SetupProvider{}, temporal.NewNonRetryableApplicationError(
			"Those credentials expired before they could be checked. Enter them again.", steps.ErrTypeCredentialsExpired, err)
	}
	if err != nil {
		return contract.SetupProvider{}, err
	}
	acctRow := &store.ProviderAccount{OrgID: in.OrgID, AccountSID: pending.AccountSID, APIKeySID: pending.APIKeySID,
		SecretCiphertext: pending.SecretCiphertext, SecretKeyID: pending.SecretKeyID}
	secret, err := a.Providers.Open(acctRow)
	if err != nil {
		_ = o.DeletePendingCredential(ctx, pending.ID)
		return contract.SetupProvider{}, temporal.NewNonRetryableApplicationError(
			"Snout couldn't read those credentials back. Enter them again.", steps.ErrTypeCredentialsExpired, err)
	}
	reject := func(code int, msg string, cause error) (contract.SetupProvider, error) {
		if err := o.DeletePendingCredential(ctx, pending.ID); err != nil {
			return contract.SetupProvider{}, err
		}
		if err := o.Audit(ctx, store.Audit{ActorType: "user", ActorID: in.ActorUserID.String(), Action: "setup.provider_rejected",
			EntityType: "provider_account", CorrelationID: obs.CorrelationID(ctx), Detail: map[string]any{"providerCode": code},
			DedupeKey: in.WorkflowID + "/provider-rejected/" + pending.ID.String()}); err != nil {
			return contract.SetupProvider{}, err
		}
		log.Info("provider credentials refused", "providerCode", code)
		return contract.SetupProvider{}, temporal.NewNonRetryableApplicationError(msg, steps.ErrTypeCredentialsRejected, cause, steps.ProviderFailure{Code: code})
	}
	check := func(s orgprovider.Secret) (provider.Account, error) {
		pc, err := a.Providers.Client(s)
		if err != nil {
			return provider.Account{}, err
		}
		return pc.FetchAccount(ctx)
	}
	acct, err := check(secret)
	if err != nil {
		var pe *provider.Error
		if provider.Classify(err) == provider.Transient || !errors.As(err, &pe) {
			return contract.SetupProvider{}, err // retried
		}
		return reject(pe.Code, provider.Explain(pe.Code), err)
	}
	if secret.APIKeySID != "" {
		// With an API key, the auth token is still what Twilio signs
		// incoming texts with: check it too.
		if _, err := check(orgprovider.Secret{AccountSID: secret.AccountSID, Secret: secret.SigningToken}); err != nil {
			var pe *provider.Error
			if provider.Classify(err) == provider.Transient || !errors.As(err, &pe) {
				return contract.SetupProvider{}, err
			}
			return reject(pe.Code, "Twilio accepted the API key but not the auth token. Snout needs the account's auth token to check that incoming texts really come from Twilio.", err)
		}
	}
	if err := o.PromotePendingCredential(ctx, pending, acct.FriendlyName); err != nil {
		if errors.Is(err, store.ErrConflict) {
			_ = o.DeletePendingCredential(ctx, pending.ID)
			return contract.SetupProvider{}, temporal.NewNonRetryableApplicationError(
				"That Twilio account is already connected to another business on Snout.", ErrTypeAccountTaken, err)
		}
		return contract.SetupProvider{}, err
	}
	kind := "auth_token"
	if pending.APIKeySID != "" {
		kind = "api_key"
	}
	if err := o.Audit(ctx, store.Audit{ActorType: "user", ActorID: in.ActorUserID.String(), Action: "setup.provider_connected",
		EntityType: "provider_account", EntityID: in.OrgID.String(), CorrelationID: obs.CorrelationID(ctx),
		Detail:    map[string]any{"authKind": kind, "accountStatus": acct.Status, "accountType": acct.Type},
		DedupeKey: in.WorkflowID + "/provider-connected/" + pending.ID.String()}); err != nil {
		return contract.SetupProvider{}, err
	}
	log.Info("provider account connected", "authKind", kind, "accountStatus", acct.Status)
	return contract.SetupProvider{AccountSID: pending.AccountSID, APIKeySID: pending.APIKeySID, AuthKind: kind,
		FriendlyName: acct.FriendlyName, Status: acct.Status, Type: acct.Type}, nil
}

func (a *Activities) setupDescribeAccount(ctx context.Context, orgID uuid.UUID, row *store.ProviderAccount) (contract.SetupProvider, error) {
	pc, err := a.providerClient(ctx, orgID)
	if err != nil {
		return contract.SetupProvider{}, err
	}
	acct, err := pc.FetchAccount(ctx)
	if err != nil {
		return contract.SetupProvider{}, providerRefusal(err)
	}
	kind := "auth_token"
	if row.APIKeySID != "" {
		kind = "api_key"
	}
	return contract.SetupProvider{AccountSID: row.AccountSID, APIKeySID: row.APIKeySID, AuthKind: kind,
		FriendlyName: acct.FriendlyName, Status: acct.Status, Type: acct.Type}, nil
}

// SetupCheckConnectivity runs the connection checks, each with its own
// result. Provider trouble is reported in the checks, never as an error.
func (a *Activities) SetupCheckConnectivity(ctx context.Context, in steps.SetupOrgInput) (out steps.SetupConnectivity, err error) {
	stored := contract.SetupCheck{Key: "credentials_stored", Title: "Credentials stored safely"}
	reach := contract.SetupCheck{Key: "api_reachable", Title: "Twilio can be reached"}
	accepted := contract.SetupCheck{Key: "credentials_accepted", Title: "Twilio accepts the credentials"}
	active := contract.SetupCheck{Key: "account_active", Title: "Twilio account is active"}
	balance := contract.SetupCheck{Key: "balance", Title: "Account balance"}
	skip := func(c *contract.SetupCheck, why string) {
		c.Detail, c.Fix = "Not checked: "+why, "Fix the checks above first."
	}
	defer func() { out.Checks = []contract.SetupCheck{stored, reach, accepted, active, balance} }()

	pc, perr := a.providerClient(ctx, in.OrgID)
	if perr != nil {
		var appErr *temporal.ApplicationError
		if !errors.As(perr, &appErr) {
			return out, perr
		}
		stored.Detail, stored.Fix = "No readable Twilio credentials are stored.", "Go back to the first step and connect your Twilio account."
		for _, c := range []*contract.SetupCheck{&reach, &accepted, &active, &balance} {
			skip(c, "no credentials.")
		}
		return out, nil
	}
	stored.OK, stored.Detail = true, "Your Twilio credentials are stored encrypted and can be read back."
	acct, err := pc.FetchAccount(ctx)
	var pe *provider.Error
	switch {
	case err == nil:
		reach.OK, reach.Detail = true, "Twilio answered."
		accepted.OK, accepted.Detail = true, "Twilio accepted the stored credentials."
	case errors.As(err, &pe):
		reach.OK, reach.Detail = true, "Twilio answered."
		accepted.Detail, accepted.Fix, accepted.ProviderCode, accepted.Diagnostic = "Twilio refused the stored credentials.", provider.Explain(pe.Code), pe.Code, pe.Message
		skip(&active, "Twilio refused the credentials.")
		skip(&balance, "Twilio refused the credentials.")
		return out, nil
	default:
		reach.Detail, reach.Fix, reach.Diagnostic = "Twilio couldn't be reached.", "Check this server's internet connection, then run the check again.", err.Error()
		skip(&accepted, "Twilio couldn't be reached.")
		skip(&active, "Twilio couldn't be reached.")
		skip(&balance, "Twilio couldn't be reached.")
		return out, nil
	}
	if acct.Status == "active" {
		active.OK, active.Detail = true, fmt.Sprintf("%q is active (%s account).", acct.FriendlyName, strings.ToLower(acct.Type))
	} else {
		active.Detail = fmt.Sprintf("The Twilio account is %s.", acct.Status)
		active.Fix = "Reactivate the account in Twilio (check billing), then run the check again."
	}
	bal, err := pc.FetchBalance(ctx)
	switch {
	case err == nil:
		out.Balance, out.Currency = bal.Amount, bal.Currency
		balance.OK, balance.Detail = true, fmt.Sprintf("Balance: %s %s.", bal.Amount, bal.Currency)
		if strings.HasPrefix(bal.Amount, "-") || strings.Trim(bal.Amount, "0.") == "" {
			balance.OK = false
			balance.Detail = fmt.Sprintf("Balance: %s %s. Numbers and texts can't be paid for.", bal.Amount, bal.Currency)
			balance.Fix = "Add funds to the Twilio account, then run the check again."
		}
	case errors.As(err, &pe) && pe.Code == 20404:
		balance.OK, balance.Detail = true, "This account has no balance of its own (it is billed through its parent account)."
	case errors.As(err, &pe):
		balance.Detail, balance.Fix, balance.ProviderCode, balance.Diagnostic = "The balance couldn't be read.", provider.Explain(pe.Code), pe.Code, pe.Message
	default:
		balance.Detail, balance.Fix, balance.Diagnostic = "The balance couldn't be read.", "Run the check again in a minute.", err.Error()
	}
	return out, nil
}

// SetupSearchNumbers lists SMS-capable numbers for sale, each with what it
// costs a month, so the owner sees the price before buying.
func (a *Activities) SetupSearchNumbers(ctx context.Context, in contract.NumberSearchInput) (contract.SetupSearchResult, error) {
	pc, err := a.providerClient(ctx, in.OrgID)
	if err != nil {
		return contract.SetupSearchResult{}, err
	}
	found, err := pc.SearchAvailable(ctx, provider.AvailableQuery{AreaCode: in.AreaCode, Region: strings.ToUpper(in.Region), TollFree: in.TollFree, Limit: in.Limit})
	if err != nil {
		return contract.SetupSearchResult{}, providerRefusal(err)
	}
	price, err := pc.MonthlyPrice(ctx, "US", in.TollFree)
	if err != nil {
		return contract.SetupSearchResult{}, providerRefusal(err)
	}
	out := contract.SetupSearchResult{Numbers: []contract.SetupAvailableNumber{}, MonthlyCost: price.Amount, Currency: price.Currency}
	for _, n := range found {
		if !n.Capabilities.SMS {
			continue
		}
		out.Numbers = append(out.Numbers, contract.SetupAvailableNumber{E164: n.E164, Display: phone.Display(n.E164), Locality: n.Locality,
			Region: n.Region, MMS: n.Capabilities.MMS, MonthlyCost: price.Amount, Currency: price.Currency})
	}
	return out, nil
}

// SetupOwnedNumbers lists the numbers the connected account has, marking
// those the org has in Snout already, so the owner picks what to import
// instead of typing it.
func (a *Activities) SetupOwnedNumbers(ctx context.Context, in steps.SetupOrgInput) (contract.SetupOwnedResult, error) {
	pc, err := a.providerClient(ctx, in.OrgID)
	if err != nil {
		return contract.SetupOwnedResult{}, err
	}
	owned, err := pc.ListOwnedNumbers(ctx, "")
	if err != nil {
		return contract.SetupOwnedResult{}, providerRefusal(err)
	}
	live, err := a.Store.Org(in.OrgID).ActiveNumbers(ctx)
	if err != nil {
		return contract.SetupOwnedResult{}, err
	}
	inUse := make(map[string]bool, len(live))
	for _, n := range live {
		inUse[n.E164] = true
	}
	out := contract.SetupOwnedResult{Numbers: make([]contract.SetupOwnedNumber, 0, len(owned))}
	for _, n := range owned {
		out.Numbers = append(out.Numbers, contract.SetupOwnedNumber{E164: n.E164, Display: phone.Display(n.E164), FriendlyName: n.FriendlyName,
			SMS: n.Capabilities.SMS, InUse: inUse[n.E164]})
	}
	sort.Slice(out.Numbers, func(i, j int) bool { return out.Numbers[i].E164 < out.Numbers[j].E164 })
	return out, nil
}

// SetupListNumbers lists the org's active numbers.
func (a *Activities) SetupListNumbers(ctx context.Context, in steps.SetupOrgInput) ([]contract.SetupNumber, error) {
	rows, err := a.Store.Org(in.OrgID).ActiveNumbers(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]contract.SetupNumber, 0, len(rows))
	for _, n := range rows {
		out = append(out, contract.SetupNumber{NumberID: n.ID, E164: n.E164, Class: n.Class, SitterID: n.SitterID, Status: n.Status,
			ProviderSID: n.ProviderSID, MonthlyCost: n.MonthlyCost, WebhookStatus: n.WebhookStatus, WebhookError: n.WebhookError})
	}
	return out, nil
}

// SetupCheckReadiness runs every readiness check, each with pass/fail and
// what to do. Failures are results, not errors.
func (a *Activities) SetupCheckReadiness(ctx context.Context, in steps.SetupOrgInput) ([]contract.SetupCheck, error) {
	o := a.Store.Org(in.OrgID)
	connected := contract.SetupCheck{Key: "provider_connected", Title: "Twilio account connected"}
	decrypt := contract.SetupCheck{Key: "credentials_readable", Title: "Stored credentials can be read"}
	account := contract.SetupCheck{Key: "provider_account_active", Title: "Twilio accepts the credentials and the account is active"}
	frontDesk := contract.SetupCheck{Key: "front_desk_ready", Title: "Front desk number active and connected"}
	webhooks := contract.SetupCheck{Key: "number_webhooks", Title: "Every active number sends its texts to Snout"}
	owned := contract.SetupCheck{Key: "numbers_in_account", Title: "Every active number is still in the Twilio account"}
	endpoint := contract.SetupCheck{Key: "webhook_endpoint", Title: "Snout's address for incoming texts answers"}
	worker := contract.SetupCheck{Key: "worker_reachable", Title: "Background worker running", OK: true,
		Detail: "A Snout worker picked up and ran these checks."}

	acctRow, err := o.ProviderAccount(ctx)
	switch {
	case err == nil:
		connected.OK, connected.Detail = true, "A Twilio account is connected."
	case errors.Is(err, store.ErrNotFound):
		connected.Detail, connected.Fix = "No Twilio account is connected.", "Go back to the first step and connect your Twilio account."
	default:
		return nil, err
	}
	var pc *provider.Client
	if connected.OK {
		if _, err := a.Providers.Open(acctRow); err != nil {
			decrypt.Detail = "The stored credentials can't be decrypted with the current encryption keys."
			decrypt.Fix = "Restore the previous SNOUT_ENCRYPTION_KEY entry, or connect the Twilio account again."
		} else if pc, err = a.Providers.ForOrg(ctx, in.OrgID); err != nil {
			decrypt.Detail, decrypt.Fix = "The stored credentials are not usable.", "Connect the Twilio account again."
		} else {
			decrypt.OK, decrypt.Detail = true, "The credentials decrypt with the current keys."
		}
	} else {
		decrypt.Detail, decrypt.Fix = "Nothing to read yet.", connected.Fix
	}
	if pc != nil {
		acct, err := pc.FetchAccount(ctx)
		var pe *provider.Error
		switch {
		case err == nil && acct.Status == "active":
			account.OK, account.Detail = true, "Twilio accepted the credentials; the account is active."
		case err == nil:
			account.Detail, account.Fix = "The Twilio account is "+acct.Status+".", "Reactivate the account in Twilio (check billing)."
		case errors.As(err, &pe):
			account.Detail, account.Fix, account.ProviderCode, account.Diagnostic = "Twilio refused the request.", provider.Explain(pe.Code), pe.Code, pe.Message
		default:
			account.Detail, account.Fix, account.Diagnostic = "Twilio couldn't be reached.", "Check this server's internet connection, then run the checks again.", err.Error()
		}
	} else {
		account.Detail, account.Fix = "Not checked: no usable credentials.", "Fix the checks above first."
	}

	numbers, err := o.ActiveNumbers(ctx)
	if err != nil {
		return nil, err
	}
	var fd *store.PhoneNumber
	var notVerified []string
	for i := range numbers {
		n := &numbers[i]
		if n.Class == store.ClassFrontDesk {
			fd = n
		}
		if n.WebhookStatus != "verified" {
			notVerified = append(notVerified, phone.Display(n.E164))
		}
	}
	switch {
	case fd == nil:
		frontDesk.Detail, frontDesk.Fix = "There is no active front desk number.", "Go back to the front desk step and buy or import a number."
	case fd.WebhookStatus != "verified":
		frontDesk.Detail = "The front desk number " + phone.Display(fd.E164) + " isn't connected to Snout yet."
		frontDesk.Fix = "Run the webhook step again, or retry that number."
	default:
		frontDesk.OK, frontDesk.Detail = true, "The front desk number "+phone.Display(fd.E164)+" is active and connected."
	}
	switch {
	case len(numbers) == 0:
		webhooks.Detail, webhooks.Fix = "There are no active numbers.", "Add a front desk number."
	case len(notVerified) > 0:
		webhooks.Detail = "Not connected yet: " + strings.Join(notVerified, ", ") + "."
		webhooks.Fix = "Go back to the webhook step and retry these numbers."
	default:
		webhooks.OK, webhooks.Detail = true, fmt.Sprintf("All %d active numbers send their texts to Snout.", len(numbers))
	}
	if pc != nil {
		list, err := pc.ListOwnedNumbers(ctx, "")
		var pe *provider.Error
		switch {
		case err == nil:
			have := map[string]bool{}
			for _, n := range list {
				have[n.E164] = true
			}
			var missing []string
			for _, n := range numbers {
				if !have[n.E164] {
					missing = append(missing, phone.Display(n.E164))
				}
			}
			if len(missing) == 0 {
				owned.OK, owned.Detail = true, "Twilio lists every active number in the account."
			} else {
				owned.Detail = "Not in the Twilio account: " + strings.Join(missing, ", ") + "."
				owned.Fix = "Import these numbers into the Twilio account, or release them from the number inventory."
			}
		case errors.As(err, &pe):
			owned.Detail, owned.Fix, owned.ProviderCode, owned.Diagnostic = "The account's numbers couldn't be listed.", provider.Explain(pe.Code), pe.Code, pe.Message
		default:
			owned.Detail, owned.Fix, owned.Diagnostic = "Twilio couldn't be reached.", "Run the checks again in a minute.", err.Error()
		}
	} else {
		owned.Detail, owned.Fix = "Not checked: no usable credentials.", "Fix the checks above first."
	}
	a.setupProbeEndpoint(ctx, &endpoint)
	return []contract.SetupCheck{connected, decrypt, account, frontDesk, webhooks, owned, endpoint, worker}, nil
}

// setupProbeEndpoint checks that Snout's webhook receiver answers at the
// public address, and that real Twilio could reach that address. The probe
// is a GET: the receiver only takes POST, so Snout answers 405 with its own
// error shape, and nothing is stored or audited (an unsigned POST would be
// recorded as a rejected webhook).
func (a *Activities) setupProbeEndpoint(ctx context.Context, c *contract.SetupCheck) {
	target := a.setupSMSWebhookURL()
	c.Diagnostic = target
	u, err := url.Parse(target)
	if err != nil || u.Host == "" {
		c.Detail, c.Fix = "Snout's public address is not a valid URL.", "Set SNOUT_PUBLIC_URL to the https address Twilio should call."
		return
	}
	if a.Config.TwilioBaseURL == "" && setupIsPrivateHost(u.Hostname()) {
		c.Detail = "Snout's public address points at this machine or a private network, which Twilio can't reach."
		c.Fix = "Set SNOUT_PUBLIC_URL to an https address that the internet can reach (for example through a tunnel)."
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.Detail, c.Fix = "Snout's address for incoming texts didn't answer.", "Check that the Snout API is running and reachable at SNOUT_PUBLIC_URL."
		c.Diagnostic = target + ": " + err.Error()
		return
	}
	defer resp.Body.Close()
	var body struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	_ = json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&body)
	c.Diagnostic = fmt.Sprintf("GET %s answered HTTP %d (%s)", target, resp.StatusCode, body.Error.Code)
	if resp.StatusCode == http.StatusMethodNotAllowed && body.Error.Code == "method_not_allowed" {
		c.OK, c.Detail = true, "Snout's receiver for incoming texts answers at its public address."
		return
	}
	c.Detail = "Snout's receiver for incoming texts isn't answering at its public address."
	c.Fix = "Check that SNOUT_PUBLIC_URL points at this Snout API and that the API is running."
}

func setupIsPrivateHost(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") || strings.HasSuffix(host, ".local") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && (ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsUnspecified())
}

// SetupSaveProgress writes the mirror (newer versions only) and the step's
// audit event (once per version, however often the activity retries).
func (a *Activities) SetupSaveProgress(ctx context.Context, in steps.SetupProgressInput) error {
	o := a.Store.Org(in.OrgID)
	state, err := json.Marshal(in.State)
	if err != nil {
		return temporal.NewNonRetryableApplicationError("setup state is not JSON", "InvalidSetupState", err)
	}
	if err := o.SaveSetupProgress(ctx, in.CurrentStep, in.Version, state, in.Diagnostics, in.CompletedAt); err != nil {
		return err
	}
	if in.Audit == nil {
		return nil
	}
	actorType := "user"
	if in.Audit.ActorID == "" || in.Audit.ActorID == uuid.Nil.String() {
		actorType = "system"
	}
	return o.Audit(ctx, store.Audit{ActorType: actorType, ActorID: in.Audit.ActorID, Action: in.Audit.Action,
		EntityType: "setup", EntityID: in.OrgID.String(), CorrelationID: obs.CorrelationID(ctx), Detail: in.Audit.Detail,
		DedupeKey: fmt.Sprintf("%s/%s/v%d", in.WorkflowID, in.RunKey, in.Version)})
}
