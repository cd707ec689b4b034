package provider

import (
	"strings"
	"testing"
)

func TestReasonIsPlainWords(t *testing.T) {
	for _, tc := range []struct {
		code int
		text string
		want string
	}{
		{30003, "Twilio error 30003: Unreachable destination handset", explanations[30003]},
		{0, "The text could not be sent (error 30999).", "The text could not be sent."},
		{31999, "Twilio couldn't complete the request (error 31999).", "Twilio couldn't complete the request."},
		{31999, "", "Twilio couldn't complete the request."},
		{0, "Message SM0123456789abcdef0123456789abcdef failed", "Message (hidden) failed"},
		{0, "Twilio could not reach https://snout.example/webhooks/twilio/sms?x=1 in time", "Twilio could not reach (the webhook address) in time"},
		{0, "", ""},
	} {
		got := Reason(tc.code, tc.text)
		if got != tc.want {
			t.Errorf("Reason(%d, %q) = %q, want %q", tc.code, tc.text, got, tc.want)
		}
		if strings.Contains(got, "3099") || strings.Contains(got, "31999") || strings.Contains(got, "SM0123") {
			t.Errorf("Reason(%d, %q) = %q names a raw code or SID", tc.code, tc.text, got)
		}
	}
}
