package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/snoutos/snout/api"
	"github.com/snoutos/snout/dev/seed"
	"github.com/snoutos/snout/dev/testenv"
	"github.com/snoutos/snout/internal/platform/config"
	"github.com/snoutos/snout/internal/platform/notify"
	"github.com/snoutos/snout/internal/platform/secrets"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/internal/twilio/orgprovider"
)

const demoPassword = "demo-password-123"

type harness struct {
	t     *testing.T
	srv   *httptest.Server
	api   *api.Server
	store *store.Store
	cfg   config.Config
	demo  *seed.Result
	clock *fakeClock
	tc    client.Client
}

type fakeClock struct{ now time.Time }

func (c *fakeClock) Now() time.Time { return c.now }

func testConfig(t testing.TB, env map[string]string) config.Config {
	t.Helper()
	base := map[string]string{
		"SNOUT_DEMO_PASSWORD": demoPassword,
		"SNOUT_DATA_DIR":      t.TempDir(),
		"SNOUT_LOG_LEVEL":     "error",
		// Tests drive the API faster than anyone could; the limits have
		// their own tests (limits_test.go), and the browser suite runs
		// with the defaults.
		"SNOUT_API_RATE_PER_SESSION": "0",
		"SNOUT_API_RATE_PER_IP":      "0",
	}
	for k, v := range env {
		base[k] = v
	}
	cfg, err := config.FromLookup(func(k string) (string, bool) { v, ok := base[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// newHarness serves the API on a fresh database holding the demo orgs.
func newHarness(t *testing.T, opts ...func(*api.Deps)) *harness {
	t.Helper()
	bdb, dsn := testenv.DB(t)
	cfg := testConfig(t, map[string]string{"DATABASE_URL": dsn})
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	demo, err := seed.Demo(context.Background(), bdb, cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	st := store.New(bdb)
	box, _ := secrets.NewBox(cfg.EncryptionKeys)
	clock := &fakeClock{now: time.Now()}
	deps := api.Deps{Config: cfg, Store: st, Secrets: box, Providers: orgprovider.New(st, box, ""),
		Notifier: notify.New(st, notify.SMTP{}, log), Logger: log, Now: clock.Now}
	for _, o := range opts {
		o(&deps)
	}
	s, err := api.New(deps)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return &harness{t: t, srv: srv, api: s, store: st, cfg: cfg, demo: demo, clock: clock, tc: deps.Temporal}
}

type response struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r response) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decoding %s: %v", r.Body, err)
	}
}

// do sends a request; token is a Bearer token ("" for none).
func (h *harness) do(method, path, token string, body any, headers ...string) response {
	h.t.Helper()
	var rdr io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rdr = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, h.srv.URL+path, rdr)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

// login signs in and returns the Bearer token.
func (h *harness) login(email string) string {
	h.t.Helper()
	r := h.do("POST", "/api/v1/auth/login", "", map[string]string{"email": email, "password": demoPassword})
	if r.Status != http.StatusOK {
		h.t.Fatalf("login %s: %d %s", email, r.Status, r.Body)
	}
	var v api.SessionView
	r.json(h.t, &v)
	return v.Token
}
