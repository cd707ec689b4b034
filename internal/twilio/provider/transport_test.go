package provider

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// recordingTransport answers 200 and remembers the requests it saw.
type recordingTransport struct {
	seen []*http.Request
}

func (t *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.seen = append(t.seen, req)
	return &http.Response{StatusCode: http.StatusOK, Body: io.NopCloser(strings.NewReader("{}")), Header: http.Header{}}, nil
}

func TestTransportRewritesEveryTwilioHost(t *testing.T) {
	base, err := parseBaseURL("http://127.0.0.1:8099")
	if err != nil {
		t.Fatal(err)
	}
	rec := &recordingTransport{}
	tr := newTransport(base, rec)
	for _, raw := range []string{
		"https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json?PageSize=2",
		"https://pricing.twilio.com/v1/PhoneNumbers/Countries/US",
		"https://messaging.us1.twilio.com/v1/Services",
	} {
		req, _ := http.NewRequest(http.MethodGet, raw, nil)
		if _, err := tr.RoundTrip(req); err != nil {
			t.Fatal(err)
		}
		got := rec.seen[len(rec.seen)-1]
		orig, _ := url.Parse(raw)
		if got.URL.Scheme != "http" || got.URL.Host != "127.0.0.1:8099" || got.Host != "127.0.0.1:8099" {
			t.Errorf("%s went to %s://%s (Host %q), want http://127.0.0.1:8099", raw, got.URL.Scheme, got.URL.Host, got.Host)
		}
		if got.URL.Path != orig.Path || got.URL.RawQuery != orig.RawQuery {
			t.Errorf("%s: path/query changed to %s?%s", raw, got.URL.Path, got.URL.RawQuery)
		}
		if req.URL.Host != orig.Host {
			t.Errorf("the caller's request was modified: host %s", req.URL.Host)
		}
	}
}

func TestTransportWithoutBaseURLLeavesHostsAlone(t *testing.T) {
	rec := &recordingTransport{}
	tr := newTransport(nil, rec)
	for _, raw := range []string{
		"https://api.twilio.com/2010-04-01/Accounts/AC1.json",
		"https://pricing.twilio.com/v1/PhoneNumbers/Countries/US",
	} {
		req, _ := http.NewRequest(http.MethodGet, raw, nil)
		if _, err := tr.RoundTrip(req); err != nil {
			t.Fatal(err)
		}
		if got := rec.seen[len(rec.seen)-1].URL.String(); got != raw {
			t.Errorf("request went to %s, want %s", got, raw)
		}
	}
}

func TestContextTransportBindsCallerContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rec := &recordingTransport{}
	req, _ := http.NewRequest(http.MethodGet, "https://api.twilio.com/", nil)
	if _, err := (contextTransport{ctx: ctx, next: rec}).RoundTrip(req); err != nil {
		t.Fatal(err)
	}
	if rec.seen[0].Context().Err() == nil {
		t.Error("the outgoing request does not carry the caller's (cancelled) context")
	}
}

func TestParseBaseURL(t *testing.T) {
	tests := []struct {
		raw     string
		want    string
		wantErr bool
	}{
		{raw: "", want: ""},
		{raw: "http://localhost:8099", want: "http://localhost:8099"},
		{raw: "https://sim.internal/", want: "https://sim.internal"},
		{raw: "localhost:8099", wantErr: true},
		{raw: "ftp://host", wantErr: true},
		{raw: "http://", wantErr: true},
		{raw: "http://host/twilio", wantErr: true},
		{raw: "http://host?x=1", wantErr: true},
	}
	for _, tt := range tests {
		u, err := parseBaseURL(tt.raw)
		if (err != nil) != tt.wantErr {
			t.Errorf("parseBaseURL(%q) error = %v, wantErr %v", tt.raw, err, tt.wantErr)
			continue
		}
		got := ""
		if u != nil {
			got = u.String()
		}
		if !tt.wantErr && got != tt.want {
			t.Errorf("parseBaseURL(%q) = %q, want %q", tt.raw, got, tt.want)
		}
	}
}

func TestNormalizeErrorBody(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		body       string
		wantCode   int
		wantStatus int
		wantInMsg  string
	}{
		{"twilio error kept", 400, `{"code":21211,"message":"bad To","more_info":"x","status":400}`, 21211, 400, "bad To"},
		{"missing status filled", 429, `{"code":20429,"message":"Too Many Requests"}`, 20429, 429, "Too Many"},
		{"html from a proxy", 502, `<html>Bad Gateway</html>`, 0, 502, "502 Bad Gateway"},
		{"empty body", 503, ``, 0, 503, "503"},
		{"json that is not an error", 500, `{"hello":"world"}`, 0, 500, "500"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var doc struct {
				Code    int    `json:"code"`
				Message string `json:"message"`
				Status  int    `json:"status"`
			}
			if err := json.Unmarshal(normalizeErrorBody(tt.status, []byte(tt.body)), &doc); err != nil {
				t.Fatal(err)
			}
			if doc.Code != tt.wantCode || doc.Status != tt.wantStatus || !strings.Contains(doc.Message, tt.wantInMsg) {
				t.Errorf("got %+v, want code %d status %d message containing %q", doc, tt.wantCode, tt.wantStatus, tt.wantInMsg)
			}
		})
	}
}
