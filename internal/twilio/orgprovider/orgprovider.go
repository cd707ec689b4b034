// Package orgprovider finds an org's Twilio account: it opens the sealed
// credentials and builds a twilio-go backed provider client, and it answers
// "which org owns this AccountSid, and what is its auth token" for webhook
// signature checks.
package orgprovider

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/platform/secrets"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/internal/twilio/provider"
)

// ErrNotConnected means the org has not connected a provider account yet.
var ErrNotConnected = errors.New("no provider account is connected for this organisation")

// Directory resolves provider accounts.
type Directory struct {
	store   *store.Store
	box     *secrets.Box
	baseURL string
	timeout time.Duration
	now     func() time.Time

	// keys caches webhook signing keys by AccountSid, so a flood of forged
	// webhooks costs no query per request.
	mu   sync.Mutex
	keys map[string]signingKey
}

// signingKeyTTL is how long a signing key is used before it is read again;
// an AccountSid no org has is remembered for unknownAccountTTL, so a newly
// connected account is recognised within seconds.
const (
	signingKeyTTL     = 30 * time.Second
	unknownAccountTTL = 5 * time.Second
	// refreshInterval bounds how often a signature mismatch may re-read a key
	// (the owner may have rotated the auth token).
	refreshInterval = 5 * time.Second
	maxCachedKeys   = 10000
)

type signingKey struct {
	org   uuid.UUID
	token string
	err   error // store.ErrNotFound for an unknown account
	at    time.Time
}

// New builds a directory; baseURL is empty for real Twilio.
func New(st *store.Store, box *secrets.Box, baseURL string) *Directory {
	return &Directory{store: st, box: box, baseURL: baseURL, timeout: 15 * time.Second, now: time.Now, keys: map[string]signingKey{}}
}

// BaseURL is the provider base URL (empty for real Twilio).
func (d *Directory) BaseURL() string { return d.baseURL }

// Secret is the decrypted credential material of an account.
type Secret struct {
	AccountSID   string
	APIKeySID    string
	Secret       string // auth token, or API key secret when APIKeySID is set
	SigningToken string // the auth token Twilio signs webhooks with
}

// sealed is what is encrypted: the secret plus, with API keys, the auth token
// needed to check webhook signatures.
func sealContext(orgID uuid.UUID) []byte { return []byte("provider:" + orgID.String()) }

// Seal encrypts credentials for storage in provider_accounts.
func (d *Directory) Seal(orgID uuid.UUID, s Secret) (ciphertext []byte, keyID string, err error) {
	return d.box.Seal([]byte(encode(s)), sealContext(orgID))
}

// Open decrypts an account row.
func (d *Directory) Open(acct *store.ProviderAccount) (Secret, error) {
	plain, err := d.box.Open(acct.SecretCiphertext, acct.SecretKeyID, sealContext(acct.OrgID))
	if err != nil {
		return Secret{}, err
	}
	s, err := decode(string(plain))
	if err != nil {
		return Secret{}, err
	}
	s.AccountSID = acct.AccountSID
	s.APIKeySID = acct.APIKeySID
	return s, nil
}

// Client builds a provider client for credentials (used before they are
// stored, to check them).
func (d *Directory) Client(s Secret) (*provider.Client, error) {
	creds := provider.Credentials{AccountSID: s.AccountSID, AuthToken: s.Secret}
	if s.APIKeySID != "" {
		creds = provider.Credentials{AccountSID: s.AccountSID, APIKeySID: s.APIKeySID, APIKeySecret: s.Secret}
	}
	return provider.New(creds, d.baseURL, d.timeout)
}

// ForOrg returns the org's provider client.
func (d *Directory) ForOrg(ctx context.Context, orgID uuid.UUID) (*provider.Client, error) {
	acct, err := d.store.Org(orgID).ProviderAccount(ctx)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNotConnected
	}
	if err != nil {
		return nil, err
	}
	s, err := d.Open(acct)
	if err != nil {
		return nil, fmt.Errorf("opening provider credentials: %w", err)
	}
	return d.Client(s)
}

// SigningKey returns the org owning accountSID and the token its webhooks are
// signed with (store.ErrNotFound when no org has the account). Answers are
// cached for a short time.
func (d *Directory) SigningKey(ctx context.Context, accountSID string) (uuid.UUID, string, error) {
	d.mu.Lock()
	k, ok := d.keys[accountSID]
	d.mu.Unlock()
	ttl := signingKeyTTL
	if k.err != nil {
		ttl = unknownAccountTTL
	}
	if ok && d.now().Sub(k.at) < ttl {
		return k.org, k.token, k.err
	}
	return d.readSigningKey(ctx, accountSID)
}

// RefreshSigningKey reads accountSID's key again unless it was read in the
// last few seconds, and says whether it did: a signature that does not
// match the cached token is checked once more against a rotated one,
// without letting forged requests turn into a query each.
func (d *Directory) RefreshSigningKey(ctx context.Context, accountSID string) (uuid.UUID, string, bool, error) {
	d.mu.Lock()
	k, ok := d.keys[accountSID]
	d.mu.Unlock()
	if ok && d.now().Sub(k.at) < refreshInterval {
		return k.org, k.token, false, k.err
	}
	org, token, err := d.readSigningKey(ctx, accountSID)
	return org, token, true, err
}

func (d *Directory) readSigningKey(ctx context.Context, accountSID string) (uuid.UUID, string, error) {
	k := signingKey{at: d.now()}
	acct, err := d.store.ProviderAccountBySID(ctx, accountSID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		k.err = store.ErrNotFound
	case err != nil:
		return uuid.Nil, "", err // a database error is not remembered
	default:
		s, err := d.Open(acct)
		if err != nil {
			return uuid.Nil, "", err
		}
		k.org, k.token = acct.OrgID, s.SigningToken
	}
	d.mu.Lock()
	if len(d.keys) >= maxCachedKeys {
		clear(d.keys) // a flood of made-up AccountSids cannot grow the cache without bound
	}
	d.keys[accountSID] = k
	d.mu.Unlock()
	return k.org, k.token, k.err
}

// SetClock replaces the directory's clock (tests).
func (d *Directory) SetClock(now func() time.Time) { d.now = now }
