package api_test

import (
	"net/http"
	"testing"

	"github.com/snoutos/snout/api"
	"github.com/snoutos/snout/dev/seed"
)

func init() {
	allow(map[string][]string{
		"GET /api/v1/clients/:id/merge-preview": staff,
	})
}

func TestMergePreviewThroughTheAPI(t *testing.T) {
	h := newHarness(t)
	admin, other := h.login("admin@demo.test"), h.login(h.demo.OtherOwnerEmail)
	r := h.do("POST", "/api/v1/clients", admin, map[string]any{"name": "+16505550166", "phones": []map[string]any{{"number": "+16505550166"}},
		"pets": []map[string]string{{"name": "Biscuit"}}})
	var unknown api.ClientDetailView
	r.json(t, &unknown)
	if r.Status != http.StatusCreated || !unknown.NamedByNumber {
		t.Fatalf("create = %d %s", r.Status, r.Body)
	}
	avery := seed.ID("client/avery").String()
	path := "/api/v1/clients/" + unknown.ID.String() + "/merge-preview?intoId="
	r = h.do("GET", path+avery, admin, nil)
	var p api.MergePreviewView
	r.json(t, &p)
	if r.Status != http.StatusOK || p.Phones != 1 || p.Pets != 1 || p.Threads != 0 {
		t.Errorf("preview = %d %s", r.Status, r.Body)
	}
	// Nothing changed: the client is still there with their pet.
	var still api.ClientDetailView
	r = h.do("GET", "/api/v1/clients/"+unknown.ID.String(), admin, nil)
	r.json(t, &still)
	if r.Status != http.StatusOK || len(still.Pets) != 1 {
		t.Errorf("after the preview = %d %s", r.Status, r.Body)
	}
	if r := h.do("GET", path+"not-an-id", admin, nil); r.Status != http.StatusBadRequest || errorOf(t, r).Fields["intoId"] == "" {
		t.Errorf("bad intoId = %d %s", r.Status, r.Body)
	}
	if r := h.do("GET", path+unknown.ID.String(), admin, nil); r.Status != http.StatusBadRequest {
		t.Errorf("into itself = %d %s", r.Status, r.Body)
	}
	if r := h.do("GET", path+avery, other, nil); r.Status != http.StatusNotFound {
		t.Errorf("another org's preview = %d, want 404", r.Status)
	}
}
