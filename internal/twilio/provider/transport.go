package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
)

// maxErrorBody caps how much of an error response is read.
const maxErrorBody = 64 << 10

// newTransport stacks the round trippers every call shares: error bodies are
// normalised, then (when base is set) requests are moved to base.
func newTransport(base *url.URL, next http.RoundTripper) http.RoundTripper {
	if base != nil {
		next = rewriteTransport{scheme: base.Scheme, host: base.Host, next: next}
	}
	return errorBodyTransport{next: next}
}

// rewriteTransport sends every request to one scheme and host, keeping path
// and query. twilio-go has no base-URL setting, so this is how the product
// reaches the simulator for api.twilio.com, pricing.twilio.com and the rest.
type rewriteTransport struct {
	scheme string
	host   string
	next   http.RoundTripper
}

func (t rewriteTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	out := req.Clone(req.Context())
	out.URL.Scheme = t.scheme
	out.URL.Host = t.host
	out.Host = t.host
	return t.next.RoundTrip(out)
}

// contextTransport attaches the caller's context to requests that twilio-go
// builds with context.Background.
type contextTransport struct {
	ctx  context.Context
	next http.RoundTripper
}

func (t contextTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return t.next.RoundTrip(req.WithContext(t.ctx))
}

// errorBodyTransport makes every 4xx/5xx body a Twilio error document with
// its HTTP status filled in. twilio-go only keeps the body, so without this a
// proxy's HTML 502 would lose its status and a Twilio body without "status"
// could not be classified.
type errorBodyTransport struct {
	next http.RoundTripper
}

func (t errorBodyTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil || resp.StatusCode < http.StatusBadRequest {
		return resp, err
	}
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	resp.Body.Close()
	body := normalizeErrorBody(resp.StatusCode, raw)
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
	resp.Header.Set("Content-Type", "application/json")
	return resp, nil
}

// normalizeErrorBody returns raw when it already is a Twilio error with a
// status, raw with "status" added when that is missing, and otherwise a
// synthesised error describing the HTTP status.
func normalizeErrorBody(status int, raw []byte) []byte {
	var doc map[string]any
	if json.Unmarshal(raw, &doc) == nil && doc != nil {
		_, hasCode := doc["code"].(float64)
		_, hasMessage := doc["message"].(string)
		if hasCode || hasMessage {
			if s, ok := doc["status"].(float64); ok && s != 0 {
				return raw
			}
			doc["status"] = status
			if out, err := json.Marshal(doc); err == nil {
				return out
			}
		}
	}
	msg := fmt.Sprintf("Twilio answered HTTP %d %s", status, http.StatusText(status))
	if snippet := bytes.TrimSpace(raw); len(snippet) > 0 {
		if len(snippet) > 200 {
			snippet = snippet[:200]
		}
		msg += ": " + string(snippet)
	}
	out, _ := json.Marshal(map[string]any{"code": 0, "message": msg, "more_info": "", "status": status})
	return out
}
