package twiliosim

import (
	"fmt"
	"net/http"
	"sort"
)

// Accounts through the control API: any number of businesses can each
// connect their own simulated Twilio account (the setup wizard checks the
// SID and token against the simulator like against Twilio).
//
//	POST /_sim/accounts {"friendly_name"?, "sid"?, "auth_token"?} → 201 the account
//	     (SID and token generated when left out)
//	GET  /_sim/accounts → {"accounts": […]}

// CreateAccount adds an account, generating its SID and auth token when
// they are empty, and returns it as stored.
func (s *Server) CreateAccount(a Account) (Account, error) {
	if a.Sid == "" {
		a.Sid = newSID("AC")
	}
	if a.AuthToken == "" {
		a.AuthToken = randomHex(16)
	}
	if err := s.AddAccount(a); err != nil {
		return Account{}, fmt.Errorf("%w: %v", ErrInvalidRequest, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.accounts[a.Sid].Account, nil
}

// Accounts lists the simulated accounts by SID.
func (s *Server) Accounts() []Account {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Account, 0, len(s.st.accounts))
	for _, rec := range s.st.accounts {
		out = append(out, rec.Account)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Sid < out[j].Sid })
	return out
}

func (s *Server) accountControlRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /_sim/accounts", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"accounts": s.Accounts()})
	})
	mux.HandleFunc("POST /_sim/accounts", func(w http.ResponseWriter, r *http.Request) {
		var a Account
		if decodeControl(w, r, &a) {
			created, err := s.CreateAccount(a)
			respondControl(w, http.StatusCreated, created, err)
		}
	})
}
