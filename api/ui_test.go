package api_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/snoutos/snout/api"
)

const testIndex = `<!doctype html><html><head><meta name="csp-nonce" content="__CSP_NONCE__"><script type="module" src="/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>`

func withUI(files fstest.MapFS) func(*api.Deps) {
	return func(d *api.Deps) { d.UI = files }
}

func builtUI() fstest.MapFS {
	return fstest.MapFS{
		"index.html":             {Data: []byte(testIndex)},
		"favicon.svg":            {Data: []byte("<svg/>")},
		"assets/index-abc123.js": {Data: []byte("console.log('app')")},
	}
}

func TestDashboardIsServedWithHistoryFallback(t *testing.T) {
	h := newHarness(t, withUI(builtUI()))
	for _, p := range []string{"/", "/inbox", "/inbox/threads/0193a0c4-0000-7000-8000-000000000000", "/sitter", "/reset-password"} {
		r := h.do("GET", p, "", nil)
		if r.Status != http.StatusOK || !strings.Contains(string(r.Body), `<div id="root">`) {
			t.Errorf("GET %s = %d %s, want the dashboard's index.html", p, r.Status, r.Body)
		}
		if got := r.Header.Get("Cache-Control"); got != "no-cache" {
			t.Errorf("GET %s: Cache-Control %q, want no-cache (index.html is never cached)", p, got)
		}
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("GET %s: Content-Type %q", p, ct)
		}
	}

	js := h.do("GET", "/assets/index-abc123.js", "", nil)
	if js.Status != http.StatusOK || string(js.Body) != "console.log('app')" {
		t.Fatalf("asset = %d %s", js.Status, js.Body)
	}
	if got := js.Header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
		t.Errorf("hashed asset Cache-Control = %q", got)
	}
	if ct := js.Header.Get("Content-Type"); !strings.Contains(ct, "javascript") {
		t.Errorf("asset Content-Type = %q", ct)
	}
	if fav := h.do("GET", "/favicon.svg", "", nil); fav.Status != http.StatusOK || fav.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("favicon = %d, Cache-Control %q", fav.Status, fav.Header.Get("Cache-Control"))
	}

	// A missing asset is a 404, never index.html passed off as a script.
	if r := h.do("GET", "/assets/index-gone.js", "", nil); r.Status != http.StatusNotFound || strings.Contains(string(r.Body), "<html") {
		t.Errorf("missing asset = %d %s, want a plain 404", r.Status, r.Body)
	}
	// API and webhook paths keep the API's JSON 404; so do writes.
	for _, tc := range []struct{ method, path string }{
		{"GET", "/api/v1/nope"}, {"GET", "/api"}, {"GET", "/webhooks/twilio/nope"}, {"POST", "/inbox"},
	} {
		r := h.do(tc.method, tc.path, "", nil)
		if r.Status != http.StatusNotFound || !strings.Contains(string(r.Body), `"not_found"`) {
			t.Errorf("%s %s = %d %s, want the API's JSON 404", tc.method, tc.path, r.Status, r.Body)
		}
	}
}

func TestDashboardNotBuiltSaysHowToBuildIt(t *testing.T) {
	h := newHarness(t)
	for _, p := range []string{"/", "/inbox"} {
		r := h.do("GET", p, "", nil)
		if r.Status != http.StatusOK || !strings.Contains(string(r.Body), "make web") {
			t.Errorf("GET %s without a build = %d %s, want the page saying to run make web", p, r.Status, r.Body)
		}
	}
	if r := h.do("GET", "/api/v1/auth/me", "", nil); r.Status != http.StatusUnauthorized {
		t.Errorf("the API still answers: /me = %d", r.Status)
	}
}

var noncePattern = regexp.MustCompile(`<meta name="csp-nonce" content="([^"]+)">`)

func TestDashboardPageCarriesAFreshStyleNonce(t *testing.T) {
	h := newHarness(t, withUI(builtUI()))
	seen := map[string]bool{}
	for range 2 {
		r := h.do("GET", "/", "", nil)
		m := noncePattern.FindStringSubmatch(string(r.Body))
		if m == nil || m[1] == "__CSP_NONCE__" {
			t.Fatalf("index.html's nonce was not filled in: %s", r.Body)
		}
		csp := r.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "style-src 'self' 'nonce-"+m[1]+"'") {
			t.Errorf("CSP %q does not allow the page's nonce %s for styles", csp, m[1])
		}
		if strings.Contains(csp, "script-src 'self' 'nonce") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("CSP %q allows inline script", csp)
		}
		seen[m[1]] = true
	}
	if len(seen) != 2 {
		t.Error("two pages had the same nonce")
	}
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	h := newHarness(t, withUI(builtUI()))
	token := h.login("owner@demo.test")
	for _, tc := range []struct {
		name, method, path, token string
		body                      any
		noStore                   bool
	}{
		{"dashboard page", "GET", "/inbox", "", nil, false},
		{"asset", "GET", "/assets/index-abc123.js", "", nil, false},
		{"build-less 404 asset", "GET", "/assets/nope.js", "", nil, true},
		{"signed-in JSON", "GET", "/api/v1/auth/me", token, nil, true},
		{"signed-in list", "GET", "/api/v1/threads", token, nil, true},
		{"login (answers a token)", "POST", "/api/v1/auth/login", "", map[string]string{"email": "owner@demo.test", "password": demoPassword}, true},
		{"an API error", "GET", "/api/v1/threads", "", nil, true},
		{"the API document", "GET", "/api/v1/openapi.json", "", nil, false},
		{"health", "GET", "/healthz", "", nil, false},
	} {
		r := h.do(tc.method, tc.path, tc.token, tc.body)
		csp := r.Header.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %s", tc.name, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP %q allows inline code", tc.name, csp)
		}
		if !regexp.MustCompile(`(^|; )script-src 'self'(;|$)`).MatchString(csp) {
			t.Errorf("%s: script-src is not exactly 'self': %q", tc.name, csp)
		}
		if got := r.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options = %q", tc.name, got)
		}
		if got := r.Header.Get("Referrer-Policy"); got != "strict-origin-when-cross-origin" {
			t.Errorf("%s: Referrer-Policy = %q", tc.name, got)
		}
		if got := r.Header.Get("X-Frame-Options"); got != "DENY" {
			t.Errorf("%s: X-Frame-Options = %q", tc.name, got)
		}
		if cc := r.Header.Get("Cache-Control"); tc.noStore && cc != "no-store" {
			t.Errorf("%s: Cache-Control = %q, want no-store", tc.name, cc)
		}
	}
	if cc := h.do("GET", "/api/v1/openapi.json", "", nil).Header.Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("the API document's Cache-Control = %q, want no-cache", cc)
	}
}
