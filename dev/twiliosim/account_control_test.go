package twiliosim_test

import (
	"net/http"
	"testing"

	"github.com/snoutos/snout/dev/twiliosim"
	"github.com/snoutos/snout/internal/twilio/provider"
)

func TestAccountsCreatedThroughTheControlAPI(t *testing.T) {
	h := newHarness(t)
	var first, second twiliosim.Account
	if status := h.control(http.MethodPost, "/_sim/accounts", map[string]string{"friendly_name": "Paws Up"}, &first); status != http.StatusCreated {
		t.Fatalf("create: %d", status)
	}
	if status := h.control(http.MethodPost, "/_sim/accounts", map[string]string{}, &second); status != http.StatusCreated {
		t.Fatalf("create: %d", status)
	}
	if first.Sid == second.Sid || first.AuthToken == "" || first.FriendlyName != "Paws Up" || first.Status != "active" {
		t.Fatalf("accounts = %+v, %+v", first, second)
	}
	// Each business's credentials work, each on its own account.
	for _, a := range []twiliosim.Account{first, second} {
		c := h.clientFor(provider.Credentials{AccountSID: a.Sid, AuthToken: a.AuthToken})
		info, err := c.FetchAccount(ctx)
		if err != nil || info.SID != a.Sid {
			t.Errorf("account %s: %+v (%v)", a.Sid, info, err)
		}
	}
	wrong := h.clientFor(provider.Credentials{AccountSID: first.Sid, AuthToken: second.AuthToken})
	if _, err := wrong.FetchAccount(ctx); err == nil {
		t.Error("another account's token was accepted")
	}
	var list struct {
		Accounts []twiliosim.Account `json:"accounts"`
	}
	h.control(http.MethodGet, "/_sim/accounts", nil, &list)
	if len(list.Accounts) != 3 {
		t.Errorf("accounts listed = %d, want the harness's and the two new", len(list.Accounts))
	}
	var bad map[string]string
	if status := h.control(http.MethodPost, "/_sim/accounts", map[string]string{"sid": "ACnope"}, &bad); status != http.StatusBadRequest || bad["error"] == "" {
		t.Errorf("bad SID: %d %v", status, bad)
	}
}
