package provider

import (
	"net/url"
	"strings"
	"testing"

	twclient "github.com/twilio/twilio-go/client"
)

const vectorURL = "https://mycompany.com/myapp.php?foo=1&bar=2"

// The test vectors of TWILIO.md §3.4 (token 12345).
func TestSignMatchesPublishedVectors(t *testing.T) {
	tests := []struct {
		name   string
		params url.Values
		want   string
	}{
		{
			name: "Twilio's published example",
			params: url.Values{
				"CallSid": {"CA1234567890ABCDE"}, "Caller": {"+12349013030"}, "Digits": {"1234"},
				"From": {"+12349013030"}, "To": {"+18005551212"},
			},
			want: "0/KCTR6DLpKmkAf8muzZqo1nDgQ=",
		},
		{
			name: "twilio-go's vector with prefix-sharing names",
			params: url.Values{
				"CallSid": {"CA1234567890ABCDE"}, "Caller": {"+14158675309"}, "Digits": {"1234"},
				"From": {"+14158675309"}, "To": {"+18005551212"},
				"Reason": {"Participant"}, "ReasonConferenceEnded": {"test"},
			},
			want: "vOEb5UThFn24KEfnOFLQY2AE5FY=",
		},
		{
			name:   "JSON body hash in the URL, no params",
			params: nil,
			want:   "a9nBmqA0ju/hNViExpshrM61xv4=",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := vectorURL
			if tt.params == nil {
				u += "&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"
			}
			if got := Sign("12345", u, tt.params); got != tt.want {
				t.Errorf("Sign = %s, want %s", got, tt.want)
			}
			if !ValidateSignature("12345", u, tt.params, tt.want) {
				t.Error("ValidateSignature rejected the published signature")
			}
		})
	}
}

func TestValidateSignature(t *testing.T) {
	params := url.Values{"MessageSid": {"SM1"}, "Body": {"hi"}}
	good := Sign("secret", "https://app.example/sms", params)
	tests := []struct {
		name   string
		token  string
		url    string
		params url.Values
		sig    string
		want   bool
	}{
		{"exact", "secret", "https://app.example/sms", params, good, true},
		{"default port added by a proxy", "secret", "https://app.example:443/sms", params, good, true},
		{"wrong token", "other", "https://app.example/sms", params, good, false},
		{"tampered body", "secret", "https://app.example/sms", url.Values{"MessageSid": {"SM1"}, "Body": {"hi!"}}, good, false},
		{"extra param", "secret", "https://app.example/sms", url.Values{"MessageSid": {"SM1"}, "Body": {"hi"}, "X": {""}}, good, false},
		{"other path", "secret", "https://app.example/sms2", params, good, false},
		{"empty signature", "secret", "https://app.example/sms", params, "", false},
		{"empty token", "", "https://app.example/sms", params, Sign("", "https://app.example/sms", params), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ValidateSignature(tt.token, tt.url, tt.params, tt.sig); got != tt.want {
				t.Errorf("ValidateSignature = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestValidateSignatureRepeatedNames(t *testing.T) {
	params := url.Values{"MediaUrl": {"https://b.example/2", "https://a.example/1"}, "To": {"+14155550100"}}
	sig := Sign("tok", "https://app.example/hook", params)
	if !ValidateSignature("tok", "https://app.example/hook", params, sig) {
		t.Error("a signature over every repeated value was rejected")
	}
	// twilio-go's reading: first value only.
	first := map[string]string{"MediaUrl": "https://b.example/2", "To": "+14155550100"}
	v := twclient.NewRequestValidator("tok")
	var b strings.Builder
	b.WriteString("https://app.example/hook")
	b.WriteString("MediaUrlhttps://b.example/2To+14155550100")
	firstOnly := Sign("tok", b.String(), nil)
	if !v.Validate("https://app.example/hook", first, firstOnly) {
		t.Fatal("test setup: twilio-go rejects its own first-value signature")
	}
	if !ValidateSignature("tok", "https://app.example/hook", params, firstOnly) {
		t.Error("a first-value signature was rejected")
	}
}

// FuzzSignRoundTrip checks that whatever a request carries, Sign and
// twilio-go's validator agree, and that any change to a value breaks the
// signature.
func FuzzSignRoundTrip(f *testing.F) {
	f.Add("12345", vectorURL, "Digits", "1234", "To", "+18005551212")
	f.Add("tok", "http://localhost:8080/sms?x=1", "Body", "héllo wörld 🐶", "Body2", "")
	f.Add("t", "https://h/p", "", "", "a", "b")
	f.Fuzz(func(t *testing.T, token, rawURL, k1, v1, k2, v2 string) {
		if token == "" || k1 == k2 {
			t.Skip()
		}
		params := url.Values{k1: {v1}, k2: {v2}}
		sig := Sign(token, rawURL, params)
		if !ValidateSignature(token, rawURL, params, sig) {
			t.Fatalf("ValidateSignature rejected Sign's own signature for %q %v", rawURL, params)
		}
		v := twclient.NewRequestValidator(token)
		if !v.Validate(rawURL, map[string]string{k1: v1, k2: v2}, sig) {
			t.Fatalf("twilio-go rejected Sign's signature for %q %v", rawURL, params)
		}
		// A form round trip through encoding keeps the signature valid.
		decoded, err := url.ParseQuery(params.Encode())
		if err == nil && !ValidateSignature(token, rawURL, decoded, sig) {
			t.Fatalf("signature invalid after form encoding %v", params)
		}
		tampered := url.Values{k1: {v1 + "x"}, k2: {v2}}
		if ValidateSignature(token, rawURL, tampered, sig) {
			t.Fatalf("tampered value %q accepted", v1+"x")
		}
	})
}
