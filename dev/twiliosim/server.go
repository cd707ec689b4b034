package twiliosim

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Account is a simulated Twilio account. APIKeys maps API key SIDs (SK…) to
// their secrets; either the auth token or any key authenticates requests.
type Account struct {
	Sid          string            `json:"sid"`
	AuthToken    string            `json:"auth_token"`
	FriendlyName string            `json:"friendly_name"`
	Status       string            `json:"status"`  // active (default), suspended or closed
	Balance      string            `json:"balance"` // decimal string; default "20.00"
	APIKeys      map[string]string `json:"api_keys,omitempty"`
}

// Options configure a Server.
type Options struct {
	// Accounts the simulator knows. They replace accounts of the same SID
	// loaded from StatePath.
	Accounts []Account
	// StatePath, when set, is a JSON file that keeps accounts, owned
	// numbers, messages and opt-outs across restarts.
	StatePath string
	// Logger receives the simulator's logs; nil means slog.Default().
	Logger *slog.Logger
	// HTTPClient makes webhook and status callback requests; nil means a
	// client with Twilio's 15-second limit.
	HTTPClient *http.Client
}

// ErrClosed is returned by control methods after Close.
var ErrClosed = errors.New("twiliosim: server closed")

var (
	accountSIDPattern = regexp.MustCompile(`^AC[0-9a-fA-F]{32}$`)
	apiKeySIDPattern  = regexp.MustCompile(`^SK[0-9a-fA-F]{32}$`)
	secretPattern     = regexp.MustCompile(`^[a-zA-Z0-9]+$`)
)

// Server simulates Twilio. Create it with New, serve Handler, and Close it
// when done. All methods are safe for concurrent use.
type Server struct {
	log        *slog.Logger
	httpClient *http.Client
	statePath  string
	handler    http.Handler

	ctx    context.Context // cancelled by Close; bounds background work
	cancel context.CancelFunc
	wg     sync.WaitGroup
	once   sync.Once

	saveMu     sync.Mutex    // serialises writes of the state file
	saveSignal chan struct{} // nudges the save loop

	mu           sync.Mutex
	closed       bool
	st           store
	faults       []*faultRule
	numberFaults []*numberFaultRule
	callbacks    CallbackMode
	latency      time.Duration
}

// New starts a simulator. Accounts that fail validation are logged and
// skipped; use AddAccount to get the error instead.
func New(opts Options) *Server {
	s := &Server{
		log:        opts.Logger,
		httpClient: opts.HTTPClient,
		statePath:  opts.StatePath,
		saveSignal: make(chan struct{}, 1),
		st:         newStore(),
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.httpClient == nil {
		s.httpClient = &http.Client{Timeout: 15 * time.Second}
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	if s.statePath != "" {
		s.load()
	}
	for _, a := range opts.Accounts {
		if err := s.AddAccount(a); err != nil {
			s.log.Error("twiliosim: account skipped", "accountSid", a.Sid, "error", err)
		}
	}
	s.handler = s.routes()
	s.mu.Lock()
	s.resumeDeliveries()
	s.mu.Unlock()
	if s.statePath != "" {
		s.wg.Go(s.saveLoop)
	}
	return s
}

// GenerateAccount returns an active account with a random SID and auth
// token, for tests and local setups.
func GenerateAccount(friendlyName string) Account {
	return Account{
		Sid:          newSID("AC"),
		AuthToken:    randomHex(16),
		FriendlyName: friendlyName,
		Status:       "active",
		Balance:      "20.00",
	}
}

// AddAccount adds an account, or replaces the one with the same SID.
func (s *Server) AddAccount(a Account) error {
	if err := normalizeAccount(&a); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	created := time.Now().UTC()
	if old, ok := s.st.accounts[a.Sid]; ok {
		created = old.DateCreated
	}
	s.st.accounts[a.Sid] = &accountRecord{Account: a, DateCreated: created}
	s.markDirty()
	return nil
}

func normalizeAccount(a *Account) error {
	if !accountSIDPattern.MatchString(a.Sid) {
		return fmt.Errorf("twiliosim: account SID %q must be AC followed by 32 hex digits", a.Sid)
	}
	if !secretPattern.MatchString(a.AuthToken) {
		return fmt.Errorf("twiliosim: account %s: auth token must be non-empty letters and digits", a.Sid)
	}
	for sid, secret := range a.APIKeys {
		if !apiKeySIDPattern.MatchString(sid) || !secretPattern.MatchString(secret) {
			return fmt.Errorf("twiliosim: account %s: API key %q needs an SK… SID and a letters-and-digits secret", a.Sid, sid)
		}
	}
	switch a.Status {
	case "":
		a.Status = "active"
	case "active", "suspended", "closed":
	default:
		return fmt.Errorf("twiliosim: account %s: status %q is not active, suspended or closed", a.Sid, a.Status)
	}
	if a.Balance == "" {
		a.Balance = "20.00"
	}
	if a.FriendlyName == "" {
		a.FriendlyName = "Snout simulator " + a.Sid[len(a.Sid)-6:]
	}
	keys := make(map[string]string, len(a.APIKeys))
	for k, v := range a.APIKeys {
		keys[k] = v
	}
	a.APIKeys = keys
	return nil
}

// Handler serves the REST API, the Pricing API and the /_sim/ control API.
func (s *Server) Handler() http.Handler { return s.handler }

// Close stops status deliveries and the save loop, waits for them, and
// writes the state file one last time. Requests after Close get 503.
func (s *Server) Close() {
	s.once.Do(func() {
		s.mu.Lock()
		s.closed = true
		s.mu.Unlock()
		s.cancel()
		s.wg.Wait()
		if s.statePath != "" {
			if err := s.save(); err != nil {
				s.log.Error("twiliosim: final save failed", "path", s.statePath, "error", err)
			}
		}
	})
}

func (s *Server) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	const acct = "/2010-04-01/Accounts/{account}"
	mux.Handle("GET /2010-04-01/Accounts/{accountFile}", s.api(s.fetchAccount))
	mux.Handle("GET "+acct+"/Balance.json", s.api(s.fetchBalance))
	mux.Handle("POST "+acct+"/Messages.json", s.api(s.createMessage))
	mux.Handle("GET "+acct+"/Messages.json", s.api(s.listMessages))
	mux.Handle("GET "+acct+"/Messages/{file}", s.api(s.fetchMessage))
	mux.Handle("GET "+acct+"/IncomingPhoneNumbers.json", s.api(s.listNumbers))
	mux.Handle("POST "+acct+"/IncomingPhoneNumbers.json", s.api(s.buyNumber("")))
	mux.Handle("POST "+acct+"/IncomingPhoneNumbers/Local.json", s.api(s.buyNumber(numberTypeLocal)))
	mux.Handle("POST "+acct+"/IncomingPhoneNumbers/TollFree.json", s.api(s.buyNumber(numberTypeTollFree)))
	mux.Handle("GET "+acct+"/IncomingPhoneNumbers/{file}", s.api(s.fetchNumber))
	mux.Handle("POST "+acct+"/IncomingPhoneNumbers/{file}", s.api(s.updateNumber))
	mux.Handle("DELETE "+acct+"/IncomingPhoneNumbers/{file}", s.api(s.releaseNumber))
	mux.Handle("GET "+acct+"/AvailablePhoneNumbers/{country}/Local.json", s.api(s.searchAvailable(false)))
	mux.Handle("GET "+acct+"/AvailablePhoneNumbers/{country}/TollFree.json", s.api(s.searchAvailable(true)))
	mux.Handle("GET /v1/PhoneNumbers/Countries/{iso}", s.authenticated(s.numberPricing))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeAPIError(w, notFound(r))
	})
	s.controlRoutes(mux)
	return s.logRequests(mux)
}

// logRequests logs each request at debug level and turns requests after
// Close away.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.isClosed() {
			if strings.HasPrefix(r.URL.Path, "/_sim/") {
				writeControlError(w, http.StatusServiceUnavailable, ErrClosed)
				return
			}
			writeAPIError(w, newAPIError(http.StatusServiceUnavailable, 20503, "The simulator is shutting down"))
			return
		}
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		start := time.Now()
		next.ServeHTTP(rec, r)
		s.log.Debug("twiliosim: request", "method", r.Method, "path", r.URL.Path,
			"status", rec.status, "durationMs", time.Since(start).Milliseconds())
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// sleep waits d unless the simulator closes first; it reports whether the
// full time passed.
func (s *Server) sleep(d time.Duration) bool {
	if d <= 0 {
		return s.ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-s.ctx.Done():
		return false
	}
}

// drainBody reads what is left of a response body so the connection can be
// reused, then closes it.
func drainBody(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, 1<<20))
	body.Close()
}
