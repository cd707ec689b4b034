package twiliosim

import (
	"crypto/subtle"
	"net/http"
	"strings"
	"time"
)

// accountHandler serves a request for the account named in its path.
type accountHandler func(w http.ResponseWriter, r *http.Request, acct Account)

// api wraps a 2010 API handler: simulated latency, Basic auth, and the rule
// that credentials only reach their own account (another account's SID is
// simply not found).
func (s *Server) api(h accountHandler) http.Handler {
	return s.authenticated(func(w http.ResponseWriter, r *http.Request, acct Account) {
		pathSID := r.PathValue("account")
		if pathSID == "" {
			file := r.PathValue("accountFile")
			if !strings.HasSuffix(file, ".json") {
				writeAPIError(w, notFound(r))
				return
			}
			pathSID = strings.TrimSuffix(file, ".json")
		}
		if pathSID != acct.Sid {
			writeAPIError(w, notFound(r))
			return
		}
		h(w, r, acct)
	})
}

// authenticated wraps a handler that needs valid credentials but no account
// in the path, such as the Pricing API.
func (s *Server) authenticated(h accountHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.simulateLatency(w, r) {
			return
		}
		acct, ok := s.authenticate(r)
		if !ok {
			writeAPIError(w, unauthenticated())
			return
		}
		h(w, r, acct)
	})
}

// authenticate resolves Basic credentials, either account SID and auth
// token or API key SID and secret, to an account that is not closed.
func (s *Server) authenticate(r *http.Request) (Account, bool) {
	user, password, ok := r.BasicAuth()
	if !ok || user == "" || password == "" {
		return Account{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var found *accountRecord
	if strings.HasPrefix(user, "SK") {
		for _, a := range s.st.accounts {
			if secret, ok := a.APIKeys[user]; ok && equalSecret(secret, password) {
				found = a
				break
			}
		}
	} else if a, ok := s.st.accounts[user]; ok && equalSecret(a.AuthToken, password) {
		found = a
	}
	if found == nil || found.Status == "closed" {
		return Account{}, false
	}
	return found.Account, true
}

func equalSecret(want, got string) bool {
	return subtle.ConstantTimeCompare([]byte(want), []byte(got)) == 1
}

// simulateLatency holds a REST request for the configured latency. It
// returns false, having answered the request, when the client gave up or the
// simulator closed meanwhile.
func (s *Server) simulateLatency(w http.ResponseWriter, r *http.Request) bool {
	s.mu.Lock()
	d := s.latency
	s.mu.Unlock()
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	case <-s.ctx.Done():
		writeAPIError(w, newAPIError(http.StatusServiceUnavailable, 20503, "The simulator is shutting down"))
		return false
	}
}
