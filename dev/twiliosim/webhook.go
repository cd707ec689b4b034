package twiliosim

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/snoutos/snout/internal/twilio/provider"
)

// maxWebhookBody caps how much of an app's webhook answer is kept.
const maxWebhookBody = 64 << 10

type webhookResult struct {
	status      int
	body        string
	contentType string
	err         error
}

// callWebhook makes a signed request to the app the way Twilio does. POST
// sends params as a form and signs URL plus params; GET appends params to the
// URL's query and signs the resulting URL alone. A URL fragment (Twilio's
// connection overrides) is neither sent nor signed.
func (s *Server) callWebhook(ctx context.Context, method, target string, params url.Values, authToken, idempotencyToken string) webhookResult {
	target, _, _ = strings.Cut(target, "#")
	var (
		req *http.Request
		err error
	)
	if method == http.MethodGet {
		full := appendQuery(target, params)
		req, err = http.NewRequestWithContext(ctx, http.MethodGet, full, nil)
		if err == nil {
			req.Header.Set(provider.SignatureHeader, provider.Sign(authToken, full, nil))
		}
	} else {
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(params.Encode()))
		if err == nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set(provider.SignatureHeader, provider.Sign(authToken, target, params))
		}
	}
	if err != nil {
		return webhookResult{err: err}
	}
	req.Header.Set("User-Agent", "TwilioProxy/1.1")
	req.Header.Set("Accept", "*/*")
	req.Header.Set("I-Twilio-Idempotency-Token", idempotencyToken)
	resp, err := s.httpClient.Do(req)
	if err != nil {
		return webhookResult{err: err}
	}
	defer drainBody(resp.Body)
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxWebhookBody))
	return webhookResult{
		status:      resp.StatusCode,
		body:        string(body),
		contentType: resp.Header.Get("Content-Type"),
		err:         err,
	}
}

// appendQuery adds params to target's query string.
func appendQuery(target string, params url.Values) string {
	if len(params) == 0 {
		return target
	}
	switch {
	case !strings.Contains(target, "?"):
		target += "?"
	case !strings.HasSuffix(target, "?") && !strings.HasSuffix(target, "&"):
		target += "&"
	}
	return target + params.Encode()
}
