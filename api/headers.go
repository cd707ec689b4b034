package api

import (
	"crypto/rand"
	"encoding/base64"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
)

// Security headers on every response, page or API: a Content Security
// Policy without inline scripts (scripts and styles from the API's own
// origin only; a style nonce for the dashboard page when it asks for one),
// no framing, no MIME sniffing, a strict referrer policy, and no caching
// of API answers (they are per user: the session's data, a login's token).

const cspNonceKey = "snout.cspNonce"

// contentSecurityPolicy is the policy; nonce (may be "") is allowed for
// styles, imgOrigins may show images (MMS media).
func contentSecurityPolicy(nonce string, imgOrigins []string) string {
	style := "'self'"
	if nonce != "" {
		style += " 'nonce-" + nonce + "'"
	}
	img := append([]string{"'self'", "data:", "blob:", "https:"}, imgOrigins...)
	return strings.Join([]string{
		"default-src 'self'",
		"script-src 'self'",
		"style-src " + style,
		"img-src " + strings.Join(img, " "),
		"connect-src 'self'",
		"font-src 'self'",
		"object-src 'none'",
		"base-uri 'self'",
		"form-action 'self'",
		"frame-ancestors 'none'",
	}, "; ")
}

// mediaOrigins are the extra origins MMS images come from: the Twilio
// simulator's in development (real Twilio media is https, already allowed).
func (s *Server) mediaOrigins() []string {
	if s.cfg.TwilioBaseURL == "" {
		return nil
	}
	u, err := url.Parse(s.cfg.TwilioBaseURL)
	if err != nil || u.Host == "" {
		return nil
	}
	return []string{u.Scheme + "://" + u.Host}
}

func newNonce() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

// cspNonce is the request's style nonce ("" when it has none).
func cspNonce(c *gin.Context) string { return c.GetString(cspNonceKey) }

func (s *Server) securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	nonce := ""
	if !isAPIPath(c.Request.URL.Path) {
		nonce = newNonce() // only a page needs one
		c.Set(cspNonceKey, nonce)
	}
	h.Set("Content-Security-Policy", contentSecurityPolicy(nonce, s.mediaOrigins()))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
	if s.cfg.SecureCookies() {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
	if strings.HasPrefix(c.Request.URL.Path, "/api/") {
		h.Set("Cache-Control", "no-store")
	}
	c.Next()
}
