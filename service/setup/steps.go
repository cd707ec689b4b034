package setup

import (
	"context"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/snoutos/snout/contract"
	domain "github.com/snoutos/snout/internal/domain/numbers"
	"github.com/snoutos/snout/internal/domain/phone"
	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/internal/twilio/orgprovider"
	"github.com/snoutos/snout/service"
	"github.com/snoutos/snout/service/numbers"
)

var (
	accountSIDFormat = regexp.MustCompile(`^AC[0-9a-fA-F]{32}$`)
	apiKeySIDFormat  = regexp.MustCompile(`^SK[0-9a-fA-F]{32}$`)
	secretFormat     = regexp.MustCompile(`^[A-Za-z0-9]{16,128}$`)
)

// The steps that take no input.
var simpleSteps = map[string]bool{
	contract.UpdateSetupVerifyConnectivity: true,
	contract.UpdateSetupSkipSitterNumbers:  true,
	contract.UpdateSetupSkipPoolNumbers:    true,
	contract.UpdateSetupInstallWebhooks:    true,
	contract.UpdateSetupCheckReadiness:     true,
}

// Step runs one of the steps that take no input (contract.UpdateSetup…:
// verify-connectivity, skip-sitter-numbers, skip-pool-numbers,
// install-webhooks, check-readiness).
func (s *Service) Step(ctx context.Context, a service.Actor, update string) (contract.SetupState, error) {
	if !simpleSteps[update] {
		return contract.SetupState{}, errs.NotFound("This setup step")
	}
	return s.step(ctx, a, update, actorOf(ctx, a))
}

// Credentials are a provider account's credentials as the owner pastes
// them: the account SID with its auth token, and optionally an API key.
type Credentials struct {
	AccountSID, AuthToken, APIKeySID, APIKeySecret string
}

// ConnectProvider seals the credentials into a pending row and asks the
// wizard to check and keep them. Refused credentials leave nothing behind.
func (s *Service) ConnectProvider(ctx context.Context, a service.Actor, c Credentials) (contract.SetupState, error) {
	c.AccountSID, c.APIKeySID = strings.TrimSpace(c.AccountSID), strings.TrimSpace(c.APIKeySID)
	c.AuthToken, c.APIKeySecret = strings.TrimSpace(c.AuthToken), strings.TrimSpace(c.APIKeySecret)
	fields := map[string]string{}
	if !accountSIDFormat.MatchString(c.AccountSID) {
		fields["accountSid"] = "The Account SID starts with AC followed by 32 letters and digits; copy it from the Twilio console."
	}
	if c.APIKeySID != "" || c.APIKeySecret != "" {
		if !apiKeySIDFormat.MatchString(c.APIKeySID) {
			fields["apiKeySid"] = "An API key SID starts with SK followed by 32 letters and digits."
		}
		if !secretFormat.MatchString(c.APIKeySecret) {
			fields["apiKeySecret"] = "Paste the API key's secret (letters and digits)."
		}
	}
	if !secretFormat.MatchString(c.AuthToken) {
		fields["authToken"] = "Paste the account's Auth Token (letters and digits). Snout needs it, even with an API key, to check that incoming texts come from Twilio."
	}
	if len(fields) > 0 {
		return contract.SetupState{}, errs.Invalid("", fields)
	}
	if s.providers == nil {
		return contract.SetupState{}, errors.New("setup: no provider directory configured")
	}
	secret := orgprovider.Secret{AccountSID: c.AccountSID, Secret: c.AuthToken, SigningToken: c.AuthToken}
	if c.APIKeySID != "" {
		secret = orgprovider.Secret{AccountSID: c.AccountSID, APIKeySID: c.APIKeySID, Secret: c.APIKeySecret, SigningToken: c.AuthToken}
	}
	ciphertext, keyID, err := s.providers.Seal(a.OrgID, secret)
	if err != nil {
		return contract.SetupState{}, err
	}
	org := s.store.Org(a.OrgID)
	userID := a.UserID
	pending := &store.PendingCredential{AccountSID: c.AccountSID, APIKeySID: c.APIKeySID, SecretCiphertext: ciphertext,
		SecretKeyID: keyID, CreatedBy: &userID, ExpiresAt: s.now().Add(pendingCredentialTTL)}
	if err := org.SavePendingCredential(ctx, pending); err != nil {
		return contract.SetupState{}, err
	}
	// Whatever happens, the pending row goes: accepted credentials were
	// moved into provider_accounts, refused ones must leave no trace.
	defer func() {
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := org.DeletePendingCredential(dctx, pending.ID); err != nil {
			s.log.ErrorContext(dctx, "deleting pending credentials failed", "orgId", a.OrgID, "err", err)
		}
	}()
	return s.step(ctx, a, contract.UpdateSetupConnectProvider, contract.SetupConnectArgs{
		SetupActor: actorOf(ctx, a), PendingCredentialID: pending.ID, AccountSID: c.AccountSID})
}

// SearchNumbers searches numbers to buy, each with its monthly cost.
func (s *Service) SearchNumbers(ctx context.Context, a service.Actor, r numbers.SearchRequest) (contract.SetupSearchResult, error) {
	q, err := r.Query()
	if err != nil {
		return contract.SetupSearchResult{}, err
	}
	var res contract.SetupSearchResult
	if err := s.update(ctx, a, contract.UpdateSetupSearchNumbers, contract.SetupSearchArgs{SetupActor: actorOf(ctx, a), NumberSearchQuery: q}, &res); err != nil {
		return contract.SetupSearchResult{}, err
	}
	if res.Numbers == nil {
		res.Numbers = []contract.SetupAvailableNumber{}
	}
	return res, nil
}

// OwnedNumbers lists the numbers the connected account already has, to import.
func (s *Service) OwnedNumbers(ctx context.Context, a service.Actor) (contract.SetupOwnedResult, error) {
	var res contract.SetupOwnedResult
	if err := s.update(ctx, a, contract.UpdateSetupOwnedNumbers, actorOf(ctx, a), &res); err != nil {
		return contract.SetupOwnedResult{}, err
	}
	if res.Numbers == nil {
		res.Numbers = []contract.SetupOwnedNumber{}
	}
	return res, nil
}

// FrontDesk buys (buy) or imports (imp) the front desk number: exactly one
// of them, the number as typed.
func (s *Service) FrontDesk(ctx context.Context, a service.Actor, buy, imp *string) (contract.SetupState, error) {
	if (buy == nil) == (imp == nil) {
		return contract.SetupState{}, errs.Invalid(`Send either {"buy":{"e164":"+1…"}} or {"import":{"e164":"+1…"}}.`, nil)
	}
	action, raw, field := contract.ProvisionBuy, buy, "buy.e164"
	if imp != nil {
		action, raw, field = contract.ProvisionImport, imp, "import.e164"
	}
	e164, err := phone.Normalize(*raw, "US")
	if err != nil {
		return contract.SetupState{}, errs.InvalidField(field, enterANumber)
	}
	return s.step(ctx, a, contract.UpdateSetupFrontDesk, contract.SetupFrontDeskArgs{SetupActor: actorOf(ctx, a), Action: action, E164: e164})
}

const enterANumber = "Enter a phone number, like +1 415 555 0100."

// NumberItem is one sitter or pool number to buy or import, as typed.
type NumberItem struct {
	Action   string
	E164     string
	SitterID string
}

// SitterNumbers buys or imports the sitters' own numbers, each for its
// sitter.
func (s *Service) SitterNumbers(ctx context.Context, a service.Actor, items []NumberItem) (contract.SetupState, error) {
	return s.addNumbers(ctx, a, contract.UpdateSetupSitterNumbers, domain.ClassSitter, items)
}

// PoolNumbers buys or imports pool numbers.
func (s *Service) PoolNumbers(ctx context.Context, a service.Actor, items []NumberItem) (contract.SetupState, error) {
	return s.addNumbers(ctx, a, contract.UpdateSetupPoolNumbers, domain.ClassPool, items)
}

// addNumbers checks every item by the provisioning rule, naming each bad
// field, and sends the step.
func (s *Service) addNumbers(ctx context.Context, a service.Actor, update, class string, items []NumberItem) (contract.SetupState, error) {
	if len(items) == 0 {
		return contract.SetupState{}, errs.Invalid(`Send {"items":[{"action":"buy"|"import","e164":"+1…"}]}.`, nil)
	}
	if len(items) > domain.MaxProvisionItems {
		return contract.SetupState{}, errs.InvalidField("items", "Add at most 50 numbers at a time.")
	}
	fields := map[string]string{}
	args := contract.SetupNumbersArgs{SetupActor: actorOf(ctx, a)}
	for i, it := range items {
		prefix := "items[" + strconv.Itoa(i) + "]."
		item := contract.SetupNumberItem{Action: strings.ToLower(strings.TrimSpace(it.Action))}
		e164, err := phone.Normalize(it.E164, "US")
		if err != nil {
			fields[prefix+"e164"] = enterANumber
		}
		item.E164 = e164
		if it.SitterID != "" {
			if id, err := uuid.Parse(it.SitterID); err == nil {
				item.SitterID = &id
			} else if class == domain.ClassSitter {
				fields[prefix+"sitterId"] = "Choose the sitter this number belongs to."
			}
		}
		// The rule's own words, unless what was typed is already refused.
		for _, p := range domain.ProvisionProblems(domain.Provision{Action: item.Action, E164: e164, Class: class, Sitter: it.SitterID != ""}) {
			key := prefix + p.Field
			if p.Field == "sitter" {
				key = prefix + "sitterId"
			}
			if _, set := fields[key]; !set {
				fields[key] = p.Reason
			}
		}
		args.Items = append(args.Items, item)
	}
	if len(fields) > 0 {
		return contract.SetupState{}, errs.Invalid("Some numbers are not valid.", fields)
	}
	return s.step(ctx, a, update, args)
}

// RetryWebhook retries one number's webhook installation. Another org's
// number is not found, like a missing one.
func (s *Service) RetryWebhook(ctx context.Context, a service.Actor, numberID uuid.UUID) (contract.SetupState, error) {
	if _, err := s.store.Org(a.OrgID).Number(ctx, numberID); errors.Is(err, store.ErrNotFound) {
		return contract.SetupState{}, errs.NotFound("That number")
	} else if err != nil {
		return contract.SetupState{}, err
	}
	return s.step(ctx, a, contract.UpdateSetupRetryWebhook, contract.SetupRetryWebhookArgs{SetupActor: actorOf(ctx, a), NumberID: numberID})
}
