package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/snoutos/snout/api"
	"github.com/snoutos/snout/policies"
)

// access is the product's access table: which roles may call each signed-in
// route. Adding a route without a row fails TestEveryRouteHasAPolicy. Feature
// test files add their rows with allow() in an init function.
var access = map[string][]string{
	"GET /api/v1/auth/me":      {"owner", "admin", "sitter"},
	"POST /api/v1/auth/logout": {"owner", "admin", "sitter"},
	"GET /api/v1/audit":        {"owner"},
	"GET /api/v1/ops/outbox":   {"owner"},
}

var roles = []string{"owner", "admin", "sitter"}

// Role sets for access rows.
var (
	everyone   = []string{"owner", "admin", "sitter"}
	staff      = []string{"owner", "admin"}
	ownerOnly  = []string{"owner"}
	sitterOnly = []string{"sitter"}
)

// allow adds rows to the access table.
func allow(rows map[string][]string) {
	for k, v := range rows {
		access[k] = v
	}
}

func TestEveryRouteHasAPolicy(t *testing.T) {
	h := newHarness(t)
	enf, err := policies.NewEnforcer()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, rt := range h.api.Routes() {
		key := rt.Method + " " + rt.Path
		if rt.Access == api.AccessPublic {
			if !strings.HasPrefix(rt.Path, "/webhooks/") && !strings.HasPrefix(rt.Path, "/api/v1/auth/") && rt.Path != "/healthz" && rt.Path != "/readyz" && rt.Path != "/metrics" && rt.Path != "/api/v1/openapi.json" {
				t.Errorf("%s is public but is neither auth, health, the API document nor a webhook", key)
			}
			continue
		}
		allowed, ok := access[key]
		if !ok {
			t.Errorf("%s has no row in the access table", key)
			continue
		}
		seen[key] = true
		for _, role := range roles {
			want := contains(allowed, role)
			got, err := enf.Enforce(role, h.demo.OrgID.String(), rt.Path, rt.Method)
			if err != nil || got != want {
				t.Errorf("%s as %s: policy says %v, table says %v (err %v)", key, role, got, want, err)
			}
		}
	}
	for key := range access {
		if !seen[key] {
			t.Errorf("access table row %s matches no registered route", key)
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestRoleRouteStatus(t *testing.T) {
	h := newHarness(t)
	tokens := map[string]string{
		"owner":  h.login("owner@demo.test"),
		"admin":  h.login("admin@demo.test"),
		"sitter": h.login("sam@demo.test"),
	}
	for _, tc := range []struct {
		role, method, path string
		want               int
	}{
		{"owner", "GET", "/api/v1/audit", http.StatusOK},
		{"admin", "GET", "/api/v1/audit", http.StatusForbidden},
		{"sitter", "GET", "/api/v1/audit", http.StatusForbidden},
		{"sitter", "GET", "/api/v1/ops/outbox", http.StatusForbidden},
		{"sitter", "GET", "/api/v1/auth/me", http.StatusOK},
		{"owner", "GET", "/api/v1/nope", http.StatusNotFound},
	} {
		r := h.do(tc.method, tc.path, tokens[tc.role], nil)
		if r.Status != tc.want {
			t.Errorf("%s %s %s = %d, want %d (%s)", tc.role, tc.method, tc.path, r.Status, tc.want, r.Body)
		}
	}
	assertAudit(t, h, "access.denied")
}
