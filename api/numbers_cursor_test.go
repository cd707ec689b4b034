package api_test

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"testing"
)

// A forged inventory cursor is a 400, never a 500 — including one whose
// number part is not valid text for PostgreSQL.
func TestNumbersRejectsForgedCursors(t *testing.T) {
	h := newHarness(t)
	token := h.login("owner@demo.test")
	for _, raw := range []string{
		"0|\xff\xfe|00000000-0000-4000-8000-000000000001",
		"0|not-a-number|00000000-0000-4000-8000-000000000001",
		"x|+14155550100|00000000-0000-4000-8000-000000000001",
		"0|+14155550100|not-a-uuid",
		"garbage",
	} {
		cur := base64.RawURLEncoding.EncodeToString([]byte(raw))
		r := h.do("GET", "/api/v1/numbers?cursor="+url.QueryEscape(cur), token, nil)
		if r.Status != http.StatusBadRequest {
			t.Errorf("cursor %q: got %d %s, want 400", raw, r.Status, r.Body)
		}
	}
}
