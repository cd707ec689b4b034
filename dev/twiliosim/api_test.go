package twiliosim_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/snoutos/snout/dev/twiliosim"
	"github.com/snoutos/snout/internal/twilio/provider"
)

var ctx = context.Background()

func TestFetchAccountAndBalance(t *testing.T) {
	h := newHarness(t, func(o *twiliosim.Options) { o.Accounts[0].Balance = "12.34" })
	a, err := h.client.FetchAccount(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := provider.Account{SID: h.acct.Sid, FriendlyName: "Happy Paws", Status: "active", Type: "Full"}
	if a != want {
		t.Errorf("account = %+v, want %+v", a, want)
	}
	b, err := h.client.FetchBalance(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if b != (provider.Balance{Amount: "12.34", Currency: "USD"}) {
		t.Errorf("balance = %+v", b)
	}
}

func TestSendMessage(t *testing.T) {
	h := newHarness(t)
	from := h.buy("+14155550100", "").E164
	voiceOnly := h.buy("+14155550109", "").E164
	const handset = "+14155550123"
	tests := []struct {
		name         string
		req          provider.SendRequest
		wantCode     int
		wantSegments int
		wantPrefix   string
	}{
		{name: "plain text", req: provider.SendRequest{From: from, To: handset, Body: "Rex had a great walk!"}, wantSegments: 1, wantPrefix: "SM"},
		{name: "161 GSM characters", req: provider.SendRequest{From: from, To: handset, Body: strings.Repeat("a", 161)}, wantSegments: 2, wantPrefix: "SM"},
		{name: "71 UCS-2 characters", req: provider.SendRequest{From: from, To: handset, Body: strings.Repeat("é", 0) + strings.Repeat("🐶", 1) + strings.Repeat("a", 69)}, wantSegments: 2, wantPrefix: "SM"},
		{name: "picture", req: provider.SendRequest{From: from, To: handset, Body: "Look!", MediaURLs: []string{"https://example.com/rex.jpg"}}, wantSegments: 1, wantPrefix: "MM"},
		{name: "picture only", req: provider.SendRequest{From: from, To: handset, MediaURLs: []string{"https://example.com/rex.jpg"}}, wantSegments: 1, wantPrefix: "MM"},
		{name: "too short To", req: provider.SendRequest{From: from, To: "+1555", Body: "hi"}, wantCode: 21211},
		{name: "To not a number", req: provider.SendRequest{From: from, To: "rex", Body: "hi"}, wantCode: 21211},
		{name: "missing To", req: provider.SendRequest{From: from, Body: "hi"}, wantCode: 21604},
		{name: "missing From", req: provider.SendRequest{To: handset, Body: "hi"}, wantCode: 21603},
		{name: "From not owned", req: provider.SendRequest{From: "+14155550111", To: handset, Body: "hi"}, wantCode: 21606},
		{name: "From cannot text", req: provider.SendRequest{From: voiceOnly, To: handset, Body: "hi"}, wantCode: 21606},
		{name: "empty body", req: provider.SendRequest{From: from, To: handset}, wantCode: 21602},
		{name: "body over 1600", req: provider.SendRequest{From: from, To: handset, Body: strings.Repeat("b", 1601)}, wantCode: 21617},
		{name: "To equals From", req: provider.SendRequest{From: from, To: from, Body: "hi"}, wantCode: 21266},
		{name: "bad status callback", req: provider.SendRequest{From: from, To: handset, Body: "hi", StatusCallback: "not a url"}, wantCode: 21609},
	}
	sidPattern := regexp.MustCompile(`^(SM|MM)[0-9a-f]{32}$`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := h.client.SendMessage(ctx, tt.req)
			if tt.wantCode != 0 {
				apiError(t, err, tt.wantCode, 400)
				if provider.Classify(err) == provider.Transient {
					t.Errorf("a validation error was classed transient")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !sidPattern.MatchString(m.SID) || !strings.HasPrefix(m.SID, tt.wantPrefix) {
				t.Errorf("SID %q, want %s + 32 hex", m.SID, tt.wantPrefix)
			}
			if m.Status != "queued" || m.NumSegments != tt.wantSegments || m.ErrorCode != 0 {
				t.Errorf("got %+v, want queued with %d segments", m, tt.wantSegments)
			}
		})
	}
}

func TestFetchMessage(t *testing.T) {
	h := newHarness(t)
	from := h.buy("", "").E164
	m, err := h.client.SendMessage(ctx, provider.SendRequest{From: from, To: "+14155550123", Body: "On our way"})
	if err != nil {
		t.Fatal(err)
	}
	got := h.waitStatus(m.SID, "delivered")
	if got.SID != m.SID || got.NumSegments != 1 || got.ErrorCode != 0 {
		t.Errorf("fetched %+v", got)
	}

	_, err = h.client.FetchMessage(ctx, "SM00000000000000000000000000000000")
	apiError(t, err, 20404, 404)

	// A second account cannot see the first one's message.
	other := twiliosim.GenerateAccount("Other")
	if err := h.sim.AddAccount(other); err != nil {
		t.Fatal(err)
	}
	_, err = h.clientFor(provider.Credentials{AccountSID: other.Sid, AuthToken: other.AuthToken}).FetchMessage(ctx, m.SID)
	apiError(t, err, 20404, 404)
}

func TestSearchAvailable(t *testing.T) {
	h := newHarness(t)
	owned := h.buy("+14155550100", "").E164
	fictional := regexp.MustCompile(`^\+1[2-9][0-9]{2}55501[0-9]{2}$`)
	tests := []struct {
		name     string
		q        provider.AvailableQuery
		wantN    int
		wantCode int
		check    func(t *testing.T, n provider.AvailableNumber)
	}{
		{
			name: "area code", q: provider.AvailableQuery{AreaCode: "415", Limit: 5}, wantN: 5,
			check: func(t *testing.T, n provider.AvailableNumber) {
				if !strings.HasPrefix(n.E164, "+1415") || n.Locality != "San Francisco" || n.Region != "CA" || n.PostalCode == "" {
					t.Errorf("number %+v not described as San Francisco", n)
				}
				if n.E164 == owned {
					t.Errorf("owned number %s offered for sale", owned)
				}
				if !n.Capabilities.SMS || !n.Capabilities.MMS || !n.Capabilities.Voice {
					t.Errorf("capabilities %+v, want SMS, MMS and voice", n.Capabilities)
				}
			},
		},
		{
			name: "default limit, SMS only", q: provider.AvailableQuery{AreaCode: "650"}, wantN: provider.DefaultSearchLimit,
			check: func(t *testing.T, n provider.AvailableNumber) {
				if strings.HasSuffix(n.E164, "9") {
					t.Errorf("voice-only number %s returned to an SMS search", n.E164)
				}
			},
		},
		{
			name: "region", q: provider.AvailableQuery{Region: "TX", Limit: 3}, wantN: 3,
			check: func(t *testing.T, n provider.AvailableNumber) {
				if n.Region != "TX" || !strings.HasPrefix(n.E164, "+1512") {
					t.Errorf("number %+v outside TX", n)
				}
			},
		},
		{
			name: "contains", q: provider.AvailableQuery{AreaCode: "212", Contains: "0142"}, wantN: 1,
			check: func(t *testing.T, n provider.AvailableNumber) {
				if n.E164 != "+12125550142" {
					t.Errorf("got %s, want +12125550142", n.E164)
				}
			},
		},
		{
			name: "toll free", q: provider.AvailableQuery{TollFree: true, Limit: 4}, wantN: 4,
			check: func(t *testing.T, n provider.AvailableNumber) {
				if !strings.HasPrefix(n.E164, "+18") || n.Locality != "" {
					t.Errorf("toll-free result %+v", n)
				}
			},
		},
		{
			name: "Canada", q: provider.AvailableQuery{Country: "ca", AreaCode: "604", Limit: 2}, wantN: 2,
			check: func(t *testing.T, n provider.AvailableNumber) {
				if n.Region != "BC" {
					t.Errorf("got %+v, want BC", n)
				}
			},
		},
		{name: "unknown area code still fictional", q: provider.AvailableQuery{AreaCode: "208", Limit: 2}, wantN: 2},
		{name: "no numbers in 533", q: provider.AvailableQuery{AreaCode: "533"}, wantCode: 21452},
		{name: "invalid area code", q: provider.AvailableQuery{AreaCode: "123"}, wantCode: 21451},
		{name: "unsupported country", q: provider.AvailableQuery{Country: "GB"}, wantCode: 20404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			found, err := h.client.SearchAvailable(ctx, tt.q)
			if tt.wantCode != 0 {
				var pe *provider.Error
				if !errorAs(err, &pe) || pe.Code != tt.wantCode {
					t.Fatalf("err = %v, want code %d", err, tt.wantCode)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(found) != tt.wantN {
				t.Fatalf("found %d numbers, want %d", len(found), tt.wantN)
			}
			for _, n := range found {
				if !fictional.MatchString(n.E164) {
					t.Errorf("%s is outside the fictional 555-01xx range", n.E164)
				}
				if tt.check != nil {
					tt.check(t, n)
				}
			}
		})
	}
}

func TestMonthlyPrice(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		country  string
		tollFree bool
		want     string
	}{{"US", false, "1.15"}, {"US", true, "2.15"}, {"ca", false, "1.15"}}
	for _, tt := range tests {
		p, err := h.client.MonthlyPrice(ctx, tt.country, tt.tollFree)
		if err != nil {
			t.Fatal(err)
		}
		if p != (provider.Price{Amount: tt.want, Currency: "USD"}) {
			t.Errorf("MonthlyPrice(%s, %v) = %+v, want %s USD", tt.country, tt.tollFree, p, tt.want)
		}
	}
	_, err := h.client.MonthlyPrice(ctx, "ZZ", false)
	apiError(t, err, 20404, 404)
}

func TestBuyNumber(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		name     string
		req      provider.BuyRequest
		wantE164 string
		wantCode int
	}{
		{name: "exact number", req: provider.BuyRequest{E164: "+14155550101", FriendlyName: "Front desk", SMSURL: "https://snout.example/sms"}, wantE164: "+14155550101"},
		{name: "by area code skips voice-only lines", req: provider.BuyRequest{AreaCode: "702"}, wantE164: "+17025550100"},
		{name: "next in area code", req: provider.BuyRequest{AreaCode: "702"}, wantE164: "+17025550101"},
		{name: "toll free by number", req: provider.BuyRequest{E164: "+18005550100"}, wantE164: "+18005550100"},
		{name: "already taken", req: provider.BuyRequest{E164: "+14155550101"}, wantCode: 21422},
		{name: "not for sale", req: provider.BuyRequest{E164: "+14155551234"}, wantCode: 21422},
		{name: "invalid number", req: provider.BuyRequest{E164: "+1415"}, wantCode: 21421},
		{name: "exhausted area code", req: provider.BuyRequest{AreaCode: "533"}, wantCode: 21452},
		{name: "neither number nor area", req: provider.BuyRequest{}, wantCode: 21421},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := h.client.BuyNumber(ctx, tt.req)
			if tt.wantCode != 0 {
				apiError(t, err, tt.wantCode, 400)
				if provider.Classify(err) != provider.Permanent {
					t.Errorf("class %v, want permanent", provider.Classify(err))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if n.E164 != tt.wantE164 || !regexp.MustCompile(`^PN[0-9a-f]{32}$`).MatchString(n.SID) || !n.Capabilities.SMS {
				t.Errorf("bought %+v, want %s", n, tt.wantE164)
			}
			wantName := tt.req.FriendlyName
			if wantName == "" {
				wantName = "(" + n.E164[2:5] + ") " + n.E164[5:8] + "-" + n.E164[8:]
			}
			if n.FriendlyName != wantName || n.SMSURL != tt.req.SMSURL || n.SMSMethod != "POST" {
				t.Errorf("bought %+v, want name %q, SMS URL %q via POST", n, wantName, tt.req.SMSURL)
			}
		})
	}
}

func TestOwnedNumbersLifecycle(t *testing.T) {
	h := newHarness(t)
	a := h.buy("+14155550100", "")
	b := h.buy("+14155550101", "")

	all, err := h.client.ListOwnedNumbers(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || all[0].SID != a.SID || all[1].SID != b.SID {
		t.Fatalf("listed %+v, want %s then %s", all, a.E164, b.E164)
	}
	// Twilio's filter is partial: +1415555010 matches both; the client keeps exact hits.
	one, err := h.client.ListOwnedNumbers(ctx, b.E164)
	if err != nil || len(one) != 1 || one[0].SID != b.SID {
		t.Fatalf("filter %s: %+v, %v", b.E164, one, err)
	}

	cfg, err := h.client.ConfigureNumber(ctx, a.SID, provider.NumberConfig{SMSURL: "https://snout.example/in", SMSMethod: "get", FriendlyName: "Walkers"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.SMSURL != "https://snout.example/in" || cfg.SMSMethod != "GET" || cfg.FriendlyName != "Walkers" || cfg.E164 != a.E164 {
		t.Errorf("configured %+v", cfg)
	}
	_, err = h.client.ConfigureNumber(ctx, a.SID, provider.NumberConfig{SMSMethod: "PUT"})
	apiError(t, err, 20001, 400)

	if err := h.client.ReleaseNumber(ctx, a.SID); err != nil {
		t.Fatal(err)
	}
	left, _ := h.client.ListOwnedNumbers(ctx, "")
	if len(left) != 1 || left[0].SID != b.SID {
		t.Errorf("after release: %+v", left)
	}
	apiError(t, h.client.ReleaseNumber(ctx, a.SID), 20404, 404)
	_, err = h.client.ConfigureNumber(ctx, a.SID, provider.NumberConfig{FriendlyName: "x"})
	apiError(t, err, 20404, 404)

	// A released number can no longer send.
	_, err = h.client.SendMessage(ctx, provider.SendRequest{From: a.E164, To: "+14155550123", Body: "hi"})
	apiError(t, err, 21606, 400)
}

func TestAuthentication(t *testing.T) {
	acct := twiliosim.GenerateAccount("Keys")
	acct.APIKeys = map[string]string{"SK0123456789abcdef0123456789abcdef": "keysecret"}
	closed := twiliosim.GenerateAccount("Closed")
	closed.Status = "closed"
	h := newHarness(t, func(o *twiliosim.Options) { o.Accounts = append(o.Accounts, acct, closed) })
	tests := []struct {
		name    string
		creds   provider.Credentials
		wantErr bool
	}{
		{"auth token", provider.Credentials{AccountSID: acct.Sid, AuthToken: acct.AuthToken}, false},
		{"api key", provider.Credentials{AccountSID: acct.Sid, APIKeySID: "SK0123456789abcdef0123456789abcdef", APIKeySecret: "keysecret"}, false},
		{"wrong token", provider.Credentials{AccountSID: acct.Sid, AuthToken: "nope"}, true},
		{"wrong key secret", provider.Credentials{AccountSID: acct.Sid, APIKeySID: "SK0123456789abcdef0123456789abcdef", APIKeySecret: "nope"}, true},
		{"unknown account", provider.Credentials{AccountSID: "AC00000000000000000000000000000000", AuthToken: "x"}, true},
		{"closed account", provider.Credentials{AccountSID: closed.Sid, AuthToken: closed.AuthToken}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := h.clientFor(tt.creds).FetchAccount(ctx)
			if !tt.wantErr {
				if err != nil || a.SID != tt.creds.AccountSID {
					t.Fatalf("account %+v, err %v", a, err)
				}
				return
			}
			apiError(t, err, 20003, 401)
			if provider.Classify(err) != provider.NeedsFix {
				t.Errorf("bad credentials classed %v, want needs-fix", provider.Classify(err))
			}
		})
	}
	// The API key belongs to acct: it cannot reach the harness account.
	keyClient := h.clientFor(provider.Credentials{AccountSID: h.acct.Sid, APIKeySID: "SK0123456789abcdef0123456789abcdef", APIKeySecret: "keysecret"})
	_, err := keyClient.FetchBalance(ctx)
	apiError(t, err, 20404, 404)
}

func TestSuspendedAccountMessagesFail(t *testing.T) {
	h := newHarness(t, func(o *twiliosim.Options) { o.Accounts[0].Status = "suspended" })
	from := h.buy("", "").E164
	m, err := h.client.SendMessage(ctx, provider.SendRequest{From: from, To: "+14155550123", Body: "hi"})
	if err != nil {
		t.Fatal(err)
	}
	got := h.waitStatus(m.SID, "failed")
	if got.ErrorCode != 30002 {
		t.Errorf("error code %d, want 30002", got.ErrorCode)
	}
}
