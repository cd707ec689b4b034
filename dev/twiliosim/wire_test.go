package twiliosim_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/twilio/twilio-go"
	twclient "github.com/twilio/twilio-go/client"
	api "github.com/twilio/twilio-go/rest/api/v2010"

	"github.com/snoutos/snout/internal/twilio/provider"
)

func TestErrorDocument(t *testing.T) {
	h := newHarness(t)
	status, doc := h.rest(http.MethodPost, h.accountPath()+"/Messages.json", url.Values{"Body": {"hi"}})
	if status != http.StatusBadRequest {
		t.Fatalf("status %d", status)
	}
	if doc["code"] != float64(21604) || doc["status"] != float64(400) ||
		doc["more_info"] != "https://www.twilio.com/docs/errors/21604" || doc["message"] == "" {
		t.Errorf("error document %v", doc)
	}
}

func TestUnauthenticatedRequests(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		name       string
		user, pass string
	}{
		{"no credentials", "", ""},
		{"wrong token", h.acct.Sid, "wrong"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, h.srv.URL+h.accountPath()+".json", nil)
			if tt.user != "" {
				req.SetBasicAuth(tt.user, tt.pass)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusUnauthorized || !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Basic") {
				t.Errorf("status %d, WWW-Authenticate %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
			}
		})
	}
}

func TestNotFoundRoutes(t *testing.T) {
	h := newHarness(t)
	for _, path := range []string{
		"/2010-04-01/Accounts/AC00000000000000000000000000000000/Balance.json", // another account
		h.accountPath() + "/Messages/SMnope.json",
		h.accountPath() + "/Messages/SM00000000000000000000000000000000", // no .json
		h.accountPath() + "/Calls.json",
		"/nothing-here",
	} {
		status, doc := h.rest(http.MethodGet, path, nil)
		if status != http.StatusNotFound || doc["code"] != float64(20404) {
			t.Errorf("GET %s: %d %v, want 404 / 20404", path, status, doc)
		}
	}
}

func TestMessageJSONShape(t *testing.T) {
	h := newHarness(t)
	from := h.buy("", "").E164
	status, doc := h.rest(http.MethodPost, h.accountPath()+"/Messages.json", url.Values{
		"To": {"+14155550123"}, "From": {from}, "Body": {"Walk done <3 & fed"},
	})
	if status != http.StatusCreated {
		t.Fatalf("status %d: %v", status, doc)
	}
	wantStrings := map[string]string{
		"num_segments": "1", "num_media": "0", "status": "queued", "direction": "outbound-api",
		"api_version": "2010-04-01", "price_unit": "USD", "body": "Walk done <3 & fed",
		"account_sid": h.acct.Sid, "from": from, "to": "+14155550123",
	}
	for k, want := range wantStrings {
		if doc[k] != want {
			t.Errorf("%s = %#v, want %q", k, doc[k], want)
		}
	}
	for _, k := range []string{"price", "error_code", "error_message", "date_sent", "messaging_service_sid"} {
		if v, ok := doc[k]; !ok || v != nil {
			t.Errorf("%s = %#v, want null", k, v)
		}
	}
	created, _ := doc["date_created"].(string)
	if _, err := time.Parse(time.RFC1123Z, created); err != nil || !strings.HasSuffix(created, "+0000") {
		t.Errorf("date_created %q is not RFC 2822 GMT", created)
	}
	sid, _ := doc["sid"].(string)
	if doc["uri"] != h.accountPath()+"/Messages/"+sid+".json" {
		t.Errorf("uri %v", doc["uri"])
	}
	media, _ := doc["subresource_uris"].(map[string]any)
	if media["media"] != h.accountPath()+"/Messages/"+sid+"/Media.json" {
		t.Errorf("subresource_uris %v", doc["subresource_uris"])
	}
}

func TestTypedBuyRejectsAreaCode(t *testing.T) {
	h := newHarness(t)
	status, doc := h.rest(http.MethodPost, h.accountPath()+"/IncomingPhoneNumbers/Local.json", url.Values{"AreaCode": {"415"}})
	if status != http.StatusBadRequest || doc["code"] != float64(21457) {
		t.Errorf("%d %v, want 400 / 21457", status, doc)
	}
	status, doc = h.rest(http.MethodPost, h.accountPath()+"/IncomingPhoneNumbers/TollFree.json", url.Values{"PhoneNumber": {"+14155550100"}})
	if status != http.StatusBadRequest || doc["code"] != float64(21422) {
		t.Errorf("local number via TollFree.json: %d %v, want 400 / 21422", status, doc)
	}
	status, doc = h.rest(http.MethodPost, h.accountPath()+"/IncomingPhoneNumbers/TollFree.json", url.Values{"PhoneNumber": {"+18885550100"}})
	if status != http.StatusCreated || doc["type"] != "tollfree" {
		t.Errorf("toll-free buy: %d %v", status, doc)
	}
}

func TestAvailableNumbersWireShape(t *testing.T) {
	h := newHarness(t)
	status, doc := h.rest(http.MethodGet, h.accountPath()+"/AvailablePhoneNumbers/US/Local.json?AreaCode=415&PageSize=1", nil)
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	list, _ := doc["available_phone_numbers"].([]any)
	if len(list) != 1 || doc["next_page_uri"] != nil {
		t.Fatalf("page %v", doc)
	}
	n := list[0].(map[string]any)
	caps := n["capabilities"].(map[string]any)
	if caps["SMS"] != true || caps["voice"] != true || n["latitude"] != "37.772600" || n["iso_country"] != "US" {
		t.Errorf("number %v", n)
	}
}

// restClient is a bare twilio-go client aimed at the simulator, to exercise
// features the provider does not expose, such as paging.
func restClient(h *harness) *twilio.RestClient {
	base, _ := url.Parse(h.srv.URL)
	c := &twclient.Client{
		Credentials: twclient.NewCredentials(h.acct.Sid, h.acct.AuthToken),
		HTTPClient:  &http.Client{Transport: hostSwap{base: base}},
	}
	c.SetAccountSid(h.acct.Sid)
	return twilio.NewRestClientWithParams(twilio.ClientParams{Client: c})
}

type hostSwap struct{ base *url.URL }

func (s hostSwap) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host, r.Host = s.base.Scheme, s.base.Host, s.base.Host
	return http.DefaultTransport.RoundTrip(r)
}

func TestMessagePagingWithTwilioGo(t *testing.T) {
	h := newHarness(t)
	from := h.buy("", "").E164
	var sids []string
	for i := range 5 {
		m, err := h.client.SendMessage(ctx, provider.SendRequest{From: from, To: "+14155550123", Body: "update " + string(rune('A'+i))})
		if err != nil {
			t.Fatal(err)
		}
		sids = append(sids, m.SID)
	}
	// A message to someone else, filtered out below.
	if _, err := h.client.SendMessage(ctx, provider.SendRequest{From: from, To: "+14155550124", Body: "other"}); err != nil {
		t.Fatal(err)
	}

	params := &api.ListMessageParams{}
	params.SetTo("+14155550123").SetPageSize(2).SetDateSentAfter(time.Now().Add(-24 * time.Hour))
	got, err := restClient(h).Api.ListMessage(params)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 5 {
		t.Fatalf("twilio-go read %d messages across pages, want 5", len(got))
	}
	for i, m := range got { // newest first
		if *m.Sid != sids[len(sids)-1-i] {
			t.Errorf("message %d is %s, want %s", i, *m.Sid, sids[len(sids)-1-i])
		}
	}

	status, doc := h.rest(http.MethodGet, h.accountPath()+"/Messages.json?To=%2B14155550123&PageSize=2&Page=1&PageToken=PT1", nil)
	if status != http.StatusOK {
		t.Fatalf("page 1: %d %v", status, doc)
	}
	next, _ := doc["next_page_uri"].(string)
	prev, _ := doc["previous_page_uri"].(string)
	if doc["page"] != float64(1) || doc["page_size"] != float64(2) || doc["start"] != float64(2) || doc["end"] != float64(3) ||
		!strings.Contains(next, "Page=2") || !strings.Contains(next, "PageToken=PT2") || !strings.Contains(next, "To=%2B14155550123") ||
		!strings.Contains(prev, "Page=0") || !strings.HasPrefix(doc["first_page_uri"].(string), h.accountPath()+"/Messages.json?") {
		t.Errorf("envelope %v", doc)
	}
	_, doc = h.rest(http.MethodGet, h.accountPath()+"/Messages.json?To=%2B14155550123&PageSize=2&Page=2&PageToken=PT2", nil)
	if doc["next_page_uri"] != nil || len(doc["messages"].([]any)) != 1 {
		t.Errorf("last page %v", doc)
	}
	status, doc = h.rest(http.MethodGet, h.accountPath()+"/Messages.json?PageSize=2&Page=1&PageToken=bogus", nil)
	if status != http.StatusBadRequest || doc["code"] != float64(21481) {
		t.Errorf("bad token: %d %v", status, doc)
	}
}

func TestListMessageFilters(t *testing.T) {
	h := newHarness(t)
	a, b := h.buy("+14155550100", "").E164, h.buy("+14155550101", "").E164
	for _, req := range []provider.SendRequest{
		{From: a, To: "+14155550123", Body: "1"},
		{From: b, To: "+14155550123", Body: "2"},
		{From: a, To: "+14155550124", Body: "3"},
	} {
		if _, err := h.client.SendMessage(ctx, req); err != nil {
			t.Fatal(err)
		}
	}
	today := time.Now().UTC().Format(time.DateOnly)
	tests := []struct {
		query string
		want  int
	}{
		{"From=%2B14155550100", 2},
		{"To=%2B14155550123", 2},
		{"From=%2B14155550100&To=%2B14155550124", 1},
		{"DateSent=" + today, 3},
		{"DateSent%3C=2001-01-01", 0},
		{"DateSent%3E=" + today, 3},
	}
	for _, tt := range tests {
		_, doc := h.rest(http.MethodGet, h.accountPath()+"/Messages.json?"+tt.query, nil)
		if n := len(doc["messages"].([]any)); n != tt.want {
			t.Errorf("%s: %d messages, want %d", tt.query, n, tt.want)
		}
	}
}
