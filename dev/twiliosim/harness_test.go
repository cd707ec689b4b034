package twiliosim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	twclient "github.com/twilio/twilio-go/client"

	"github.com/snoutos/snout/dev/twiliosim"
	"github.com/snoutos/snout/internal/twilio/provider"
)

// harness is a simulator behind httptest with one account and a provider
// client for it.
type harness struct {
	t      *testing.T
	sim    *twiliosim.Server
	srv    *httptest.Server
	acct   twiliosim.Account
	client *provider.Client
}

func quietLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

func newHarness(t *testing.T, configure ...func(*twiliosim.Options)) *harness {
	t.Helper()
	acct := twiliosim.GenerateAccount("Happy Paws")
	opts := twiliosim.Options{Accounts: []twiliosim.Account{acct}, Logger: quietLogger()}
	for _, c := range configure {
		c(&opts)
	}
	sim := twiliosim.New(opts)
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	t.Cleanup(sim.Close) // runs first: stops deliveries before the server goes
	h := &harness{t: t, sim: sim, srv: srv, acct: acct}
	h.client = h.clientFor(provider.Credentials{AccountSID: acct.Sid, AuthToken: acct.AuthToken})
	return h
}

func (h *harness) clientFor(creds provider.Credentials) *provider.Client {
	h.t.Helper()
	c, err := provider.New(creds, h.srv.URL, 5*time.Second)
	if err != nil {
		h.t.Fatal(err)
	}
	return c
}

// buy buys a number in area code 415 (or the given E.164) with an SMS URL.
func (h *harness) buy(e164, smsURL string) provider.OwnedNumber {
	h.t.Helper()
	req := provider.BuyRequest{E164: e164, SMSURL: smsURL}
	if e164 == "" {
		req.AreaCode = "415"
	}
	n, err := h.client.BuyNumber(context.Background(), req)
	if err != nil {
		h.t.Fatalf("buy number: %v", err)
	}
	return n
}

// control calls the /_sim/ API and decodes a JSON answer into out.
func (h *harness) control(method, path string, body any, out any) int {
	h.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			h.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, h.srv.URL+path, rd)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil && !errors.Is(err, io.EOF) {
			h.t.Fatalf("%s %s: decode: %v", method, path, err)
		}
	}
	return resp.StatusCode
}

// rest makes a raw authenticated REST call and returns status and JSON body.
func (h *harness) rest(method, path string, form url.Values) (int, map[string]any) {
	h.t.Helper()
	var rd io.Reader
	if form != nil {
		rd = bytes.NewBufferString(form.Encode())
	}
	req, _ := http.NewRequest(method, h.srv.URL+path, rd)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.SetBasicAuth(h.acct.Sid, h.acct.AuthToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&doc)
	return resp.StatusCode, doc
}

func (h *harness) accountPath() string { return "/2010-04-01/Accounts/" + h.acct.Sid }

// waitStatus polls FetchMessage until the message reaches want.
func (h *harness) waitStatus(sid, want string) provider.SentMessage {
	h.t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		m, err := h.client.FetchMessage(context.Background(), sid)
		if err != nil {
			h.t.Fatalf("fetch %s: %v", sid, err)
		}
		if m.Status == want {
			return m
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("message %s stuck in %s, want %s", sid, m.Status, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// hook is one request the app received from the simulator.
type hook struct {
	Method    string
	URL       string
	Form      url.Values
	Header    http.Header
	Signature string
	// Valid is twilio-go's own verdict on the signature.
	Valid bool
}

// app is a fake Snout webhook endpoint that checks every signature with
// twilio-go's RequestValidator.
type app struct {
	srv   *httptest.Server
	token string
	hooks chan hook

	mu     sync.Mutex
	status int
	reply  string
}

func newApp(t *testing.T, authToken string) *app {
	t.Helper()
	a := &app{token: authToken, hooks: make(chan hook, 100), status: http.StatusOK}
	a.srv = httptest.NewServer(http.HandlerFunc(a.serve))
	t.Cleanup(a.srv.Close)
	return a
}

func (a *app) serve(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	full := a.srv.URL + r.URL.RequestURI()
	validator := twclient.NewRequestValidator(a.token)
	params := map[string]string{}
	form := r.URL.Query()
	if r.Method == http.MethodPost {
		form = r.PostForm
		for k, v := range r.PostForm {
			params[k] = v[0]
		}
	}
	sig := r.Header.Get("X-Twilio-Signature")
	a.hooks <- hook{
		Method:    r.Method,
		URL:       full,
		Form:      form,
		Header:    r.Header.Clone(),
		Signature: sig,
		Valid:     validator.Validate(full, params, sig),
	}
	a.mu.Lock()
	status, reply := a.status, a.reply
	a.mu.Unlock()
	if reply != "" {
		w.Header().Set("Content-Type", "text/xml")
	}
	w.WriteHeader(status)
	io.WriteString(w, reply)
}

func (a *app) answer(status int, reply string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.status, a.reply = status, reply
}

func (a *app) url(path string) string { return a.srv.URL + path }

// next waits for the next webhook.
func (a *app) next(t *testing.T) hook {
	t.Helper()
	select {
	case h := <-a.hooks:
		return h
	case <-time.After(3 * time.Second):
		t.Fatal("no webhook arrived")
		return hook{}
	}
}

// none asserts that no webhook arrives within d.
func (a *app) none(t *testing.T, d time.Duration) {
	t.Helper()
	select {
	case h := <-a.hooks:
		t.Fatalf("unexpected webhook %s %s %v", h.Method, h.URL, h.Form)
	case <-time.After(d):
	}
}

// apiError asserts err is a provider error with the code and HTTP status.
func apiError(t *testing.T, err error, code, status int) *provider.Error {
	t.Helper()
	var pe *provider.Error
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T) is not a *provider.Error", err, err)
	}
	if pe.Code != code || pe.HTTPStatus != status {
		t.Fatalf("got error %d (HTTP %d) %q, want %d (HTTP %d)", pe.Code, pe.HTTPStatus, pe.Message, code, status)
	}
	return pe
}

func errorAs(err error, target any) bool { return errors.As(err, target) }
