package provider

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base64"
	"net/url"
	"slices"
	"strings"

	twclient "github.com/twilio/twilio-go/client"
)

// SignatureHeader is the header that carries a webhook's signature.
const SignatureHeader = "X-Twilio-Signature"

// Sign returns the X-Twilio-Signature value Twilio would send when it POSTs
// params as a form to fullURL: HMAC-SHA1, keyed by the auth token, over the
// URL followed by each parameter's name and value in byte order of names,
// base64 encoded. Repeated names contribute every value, in sorted order.
// For a GET webhook pass the complete URL, query included, and nil params.
func Sign(authToken, fullURL string, params url.Values) string {
	var b strings.Builder
	b.WriteString(fullURL)
	names := make([]string, 0, len(params))
	for name := range params {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		values := slices.Clone(params[name])
		slices.Sort(values)
		for _, v := range values {
			b.WriteString(name)
			b.WriteString(v)
		}
	}
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(b.String()))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// ValidateSignature reports whether signature is the one Twilio computes
// for a form request to fullURL with params, using twilio-go's validator
// (which also accepts the URL with or without its default port). Twilio's
// rule for a repeated name is not documented and twilio-go only looks at the
// first value, so when a name repeats, Sign's every-value reading of the
// exact URL is accepted too.
func ValidateSignature(authToken, fullURL string, params url.Values, signature string) bool {
	if authToken == "" || signature == "" {
		return false
	}
	first := make(map[string]string, len(params))
	repeated := false
	for name, values := range params {
		if len(values) == 0 {
			continue
		}
		first[name] = values[0]
		repeated = repeated || len(values) > 1
	}
	validator := twclient.NewRequestValidator(authToken)
	if validator.Validate(fullURL, first, signature) {
		return true
	}
	if !repeated {
		return false
	}
	want := Sign(authToken, fullURL, params)
	return subtle.ConstantTimeCompare([]byte(want), []byte(signature)) == 1
}
