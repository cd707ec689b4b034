package provider

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestClassify(t *testing.T) {
	apiErr := func(code, status int) error { return &Error{Code: code, HTTPStatus: status} }
	tests := []struct {
		name string
		err  error
		want Class
	}{
		{"nil", nil, 0},
		{"connection refused", &url.Error{Op: "Post", URL: "https://api.twilio.com", Err: &net.OpError{Op: "dial", Err: errors.New("connection refused")}}, Transient},
		{"timeout", fmt.Errorf("twilio send message: %w", context.DeadlineExceeded), Transient},
		{"wrapped api error", fmt.Errorf("sending reminder: %w", apiErr(21610, 400)), Permanent},
		{"unknown 5xx", apiErr(0, 502), Transient},
		{"unknown 429", apiErr(0, 429), Transient},
		{"unknown 401", apiErr(12345, 401), NeedsFix},
		{"unknown 403", apiErr(12345, 403), NeedsFix},
		{"unknown 400", apiErr(12345, 400), Permanent},
	}
	codes := map[Class][]int{
		Transient: {20429, 30001, 30003, 30008, 30036, 21611},
		Permanent: {21211, 21610, 21614, 30004, 30005, 30006, 20404, 21421, 21422, 21452, 21617},
		NeedsFix:  {20003, 21408, 21606, 21608, 21612, 30002, 30007, 30032, 30034},
	}
	for class, list := range codes {
		for _, code := range list {
			tests = append(tests, struct {
				name string
				err  error
				want Class
			}{fmt.Sprintf("code %d", code), apiErr(code, 400), class})
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Classify(tt.err); got != tt.want {
				t.Errorf("Classify(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}

// Every code in TWILIO.md §4 has its own plain-language sentence.
func TestExplainCoversEveryDocumentedCode(t *testing.T) {
	documented := []int{
		20003, 20404, 21211, 21408, 21606, 21608, 21610, 21612, 21614, 21617,
		30001, 30002, 30003, 30004, 30005, 30006, 30007, 30008, 30032, 30034, 30036,
		11200, 11205, 21421, 21422, 21452, 11217, 21611, 20429,
	}
	generic := Explain(99999)
	seen := map[string]int{}
	for _, code := range documented {
		s := Explain(code)
		if s == generic || strings.Contains(s, fmt.Sprint(code)) {
			t.Errorf("Explain(%d) = %q, want a specific sentence", code, s)
		}
		if !strings.HasSuffix(s, ".") {
			t.Errorf("Explain(%d) = %q is not a sentence", code, s)
		}
		if prev, dup := seen[s]; dup {
			t.Errorf("Explain(%d) repeats Explain(%d)", code, prev)
		}
		seen[s] = code
	}
}

func TestExplain(t *testing.T) {
	tests := []struct {
		code int
		want string
	}{
		{30006, "The number is a landline or its carrier can't receive texts."},
		{21610, "This client replied STOP, so texts to them are blocked until they text START."},
		{99999, "Twilio couldn't complete the request (error 99999)."},
		{0, "Twilio couldn't complete the request."},
	}
	for _, tt := range tests {
		if got := Explain(tt.code); got != tt.want {
			t.Errorf("Explain(%d) = %q, want %q", tt.code, got, tt.want)
		}
	}
}

func TestFormatPrice(t *testing.T) {
	tests := []struct {
		in   float32
		want string
	}{{1.15, "1.15"}, {2.15, "2.15"}, {2, "2.00"}, {0.5, "0.50"}, {0.575, "0.575"}}
	for _, tt := range tests {
		if got := formatPrice(tt.in); got != tt.want {
			t.Errorf("formatPrice(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNewValidatesCredentials(t *testing.T) {
	const sid = "AC0123456789abcdef0123456789abcdef"
	const key = "SK0123456789abcdef0123456789abcdef"
	tests := []struct {
		name    string
		creds   Credentials
		timeout int
		wantErr bool
	}{
		{"auth token", Credentials{AccountSID: sid, AuthToken: "tok123"}, 0, false},
		{"api key", Credentials{AccountSID: sid, APIKeySID: key, APIKeySecret: "s3cret"}, 0, false},
		{"missing account", Credentials{AuthToken: "tok"}, 0, true},
		{"malformed account", Credentials{AccountSID: "AC123", AuthToken: "tok"}, 0, true},
		{"missing token", Credentials{AccountSID: sid}, 0, true},
		{"token with symbols", Credentials{AccountSID: sid, AuthToken: "to-ken"}, 0, true},
		{"key without secret", Credentials{AccountSID: sid, APIKeySID: key}, 0, true},
		{"secret without key", Credentials{AccountSID: sid, APIKeySecret: "x"}, 0, true},
		{"negative timeout", Credentials{AccountSID: sid, AuthToken: "tok"}, -1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.creds, "", timeoutOf(tt.timeout))
			if (err != nil) != tt.wantErr {
				t.Errorf("New error = %v, wantErr %v", err, tt.wantErr)
			}
		})
	}
}

func timeoutOf(n int) time.Duration { return time.Duration(n) * time.Second }
