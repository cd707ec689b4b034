package policies

import "testing"

func TestEnforcerDecisions(t *testing.T) {
	e, err := NewEnforcer()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		role, obj, act string
		want           bool
	}{
		{"owner", "/api/v1/setup/provider", "POST", true},
		{"admin", "/api/v1/setup/provider", "POST", false},
		{"owner", "/api/v1/threads/:id", "GET", true},
		{"admin", "/api/v1/threads/:id", "GET", true},
		{"sitter", "/api/v1/threads/:id", "GET", false},
		{"sitter", "/api/v1/sitter/threads", "GET", true},
		{"sitter", "/api/v1/sitter/threads/:id/messages", "POST", true},
		{"sitter", "/api/v1/sitter/threads", "DELETE", false},
		{"admin", "/api/v1/audit", "GET", false},
		{"owner", "/api/v1/audit", "GET", true},
		{"stranger", "/api/v1/auth/me", "GET", false},
	} {
		got, err := e.Enforce(tc.role, "org-1", tc.obj, tc.act)
		if err != nil || got != tc.want {
			t.Errorf("%s %s %s = %v (%v), want %v", tc.role, tc.act, tc.obj, got, err, tc.want)
		}
	}
}
