package twiliosim

import (
	"net/http"
)

type accountJSON struct {
	AuthToken       string            `json:"auth_token"`
	DateCreated     string            `json:"date_created"`
	DateUpdated     string            `json:"date_updated"`
	FriendlyName    string            `json:"friendly_name"`
	OwnerAccountSid string            `json:"owner_account_sid"`
	Sid             string            `json:"sid"`
	Status          string            `json:"status"`
	SubresourceUris map[string]string `json:"subresource_uris"`
	Type            string            `json:"type"`
	URI             string            `json:"uri"`
}

type balanceJSON struct {
	AccountSid string `json:"account_sid"`
	Balance    string `json:"balance"`
	Currency   string `json:"currency"`
}

func accountPath(sid string) string { return "/2010-04-01/Accounts/" + sid }

func (s *Server) fetchAccount(w http.ResponseWriter, r *http.Request, acct Account) {
	s.mu.Lock()
	rec := s.st.accounts[acct.Sid]
	s.mu.Unlock()
	if rec == nil {
		writeAPIError(w, notFound(r))
		return
	}
	base := accountPath(rec.Sid)
	created := twilioTime(rec.DateCreated)
	writeJSON(w, http.StatusOK, accountJSON{
		AuthToken:       rec.AuthToken,
		DateCreated:     created,
		DateUpdated:     created,
		FriendlyName:    rec.FriendlyName,
		OwnerAccountSid: rec.Sid,
		Sid:             rec.Sid,
		Status:          rec.Status,
		SubresourceUris: map[string]string{
			"available_phone_numbers": base + "/AvailablePhoneNumbers.json",
			"balance":                 base + "/Balance.json",
			"incoming_phone_numbers":  base + "/IncomingPhoneNumbers.json",
			"messages":                base + "/Messages.json",
		},
		Type: "Full",
		URI:  base + ".json",
	})
}

func (s *Server) fetchBalance(w http.ResponseWriter, r *http.Request, acct Account) {
	writeJSON(w, http.StatusOK, balanceJSON{AccountSid: acct.Sid, Balance: acct.Balance, Currency: "USD"})
}
