package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/twilio/twilio-go"
	twclient "github.com/twilio/twilio-go/client"
)

// DefaultHTTPTimeout bounds a call when New is given a zero timeout. It
// matches twilio-go's own default.
const DefaultHTTPTimeout = 10 * time.Second

// Credentials identify the Twilio account. AccountSID is always required.
// Requests authenticate with the API key (APIKeySID and APIKeySecret) when
// one is set, otherwise with AuthToken; the account SID stays in every
// request path either way.
type Credentials struct {
	AccountSID   string
	AuthToken    string
	APIKeySID    string
	APIKeySecret string
}

var (
	accountSIDPattern = regexp.MustCompile(`^AC[0-9a-fA-F]{32}$`)
	apiKeySIDPattern  = regexp.MustCompile(`^SK[0-9a-fA-F]{32}$`)
	// twilio-go refuses credentials with anything but letters and digits.
	credentialPattern = regexp.MustCompile(`^[a-zA-Z0-9]+$`)
)

// basicAuth validates the credentials and returns the HTTP Basic user and
// password to send.
func (c Credentials) basicAuth() (user, password string, err error) {
	if !accountSIDPattern.MatchString(c.AccountSID) {
		return "", "", errors.New("provider: account SID must be AC followed by 32 hex digits")
	}
	if c.APIKeySID != "" || c.APIKeySecret != "" {
		if !apiKeySIDPattern.MatchString(c.APIKeySID) {
			return "", "", errors.New("provider: API key SID must be SK followed by 32 hex digits")
		}
		if !credentialPattern.MatchString(c.APIKeySecret) {
			return "", "", errors.New("provider: API key secret must be non-empty letters and digits")
		}
		return c.APIKeySID, c.APIKeySecret, nil
	}
	if !credentialPattern.MatchString(c.AuthToken) {
		return "", "", errors.New("provider: auth token must be non-empty letters and digits")
	}
	return c.AccountSID, c.AuthToken, nil
}

// Client talks to one Twilio account. It is safe for concurrent use.
type Client struct {
	accountSID string
	user       string
	password   string
	timeout    time.Duration
	transport  http.RoundTripper
}

// New builds a Client. baseURL is empty for real Twilio, or a scheme and host
// such as "http://127.0.0.1:8099" to send every request there instead.
// httpTimeout bounds each call; zero means DefaultHTTPTimeout.
func New(creds Credentials, baseURL string, httpTimeout time.Duration) (*Client, error) {
	user, password, err := creds.basicAuth()
	if err != nil {
		return nil, err
	}
	base, err := parseBaseURL(baseURL)
	if err != nil {
		return nil, err
	}
	if httpTimeout < 0 {
		return nil, errors.New("provider: HTTP timeout must not be negative")
	}
	if httpTimeout == 0 {
		httpTimeout = DefaultHTTPTimeout
	}
	pool := http.DefaultTransport.(*http.Transport).Clone()
	return &Client{
		accountSID: creds.AccountSID,
		user:       user,
		password:   password,
		timeout:    httpTimeout,
		transport:  newTransport(base, pool),
	}, nil
}

// AccountSID returns the SID of the account this client acts for.
func (c *Client) AccountSID() string { return c.accountSID }

func parseBaseURL(raw string) (*url.URL, error) {
	if raw == "" {
		return nil, nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("provider: base URL: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("provider: base URL %q must start with http:// or https://", raw)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("provider: base URL %q has no host", raw)
	}
	if strings.TrimSuffix(u.Path, "/") != "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("provider: base URL %q must be only a scheme and host", raw)
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host}, nil
}

// rest builds a twilio-go client whose every request carries ctx.
func (c *Client) rest(ctx context.Context) *twilio.RestClient {
	base := &twclient.Client{
		Credentials: twclient.NewCredentials(c.user, c.password),
		HTTPClient: &http.Client{
			Transport: contextTransport{ctx: ctx, next: c.transport},
			// Like twilio-go's default client: report redirects, never follow.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
	base.SetAccountSid(c.accountSID)
	return twilio.NewRestClientWithParams(twilio.ClientParams{
		Username:   c.user,
		Password:   c.password,
		AccountSid: c.accountSID,
		Client:     base,
	})
}

// call runs one operation under ctx narrowed by the client's timeout and
// turns its failure into *Error or a wrapped transport error.
func call[T any](ctx context.Context, c *Client, op string, fn func(*twilio.RestClient) (T, error)) (T, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, fmt.Errorf("twilio %s: %w", op, err)
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	out, err := fn(c.rest(ctx))
	if err != nil {
		return zero, wrapError(op, err)
	}
	return out, nil
}
