package api

// Load protection at the front door: request body limits, the API's rate
// limits per session and per IP, and the CORS policy. Webhooks have their
// own cheap refusal of forged requests (service/receipts, with the signing
// key cached by the provider directory).

import (
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

const (
	// maxBody is the largest JSON body or webhook form the API reads.
	maxBody = 1 << 20
	// maxImportBody is the largest upload to an import endpoint (a CSV).
	maxImportBody = 8 << 20
	// burstFactor: a limit of r requests/s lets bursts of burstFactor*r pass.
	burstFactor = 5
)

const bodyTooLargeKey = "snout.bodyTooLarge"

// bodyLimit refuses a body larger than the route allows: at once when the
// request declares its length, and by cutting the read short otherwise (the
// handler's error is then answered as 413 by respondError).
func (s *Server) bodyLimit(c *gin.Context) {
	limit := int64(maxBody)
	if strings.HasSuffix(c.Request.URL.Path, "/import") {
		limit = maxImportBody
	}
	if c.Request.ContentLength > limit {
		respondError(c, s.log, bodyTooLarge(limit))
		return
	}
	if c.Request.Body != nil && c.Request.Body != http.NoBody {
		c.Request.Body = &limitedBody{rc: http.MaxBytesReader(c.Writer, c.Request.Body, limit), c: c}
	}
	c.Next()
}

type limitedBody struct {
	rc interface {
		Read([]byte) (int, error)
		Close() error
	}
	c *gin.Context
}

func (b *limitedBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		b.c.Set(bodyTooLargeKey, tooLarge.Limit)
	}
	return n, err
}

func (b *limitedBody) Close() error { return b.rc.Close() }

func bodyTooLarge(limit int64) *Error {
	return &Error{Status: http.StatusRequestEntityTooLarge, Code: "body_too_large",
		Message: "This request is larger than the " + strconv.FormatInt(limit>>20, 10) + " MiB the API accepts. Send less at a time."}
}

// rateLimits holds the per-session and per-IP token buckets of one API
// instance, on the wall clock (not the business clock tests move). Each instance limits on its own: behind a load balancer the
// effective limit is the sum over instances, which still stops a runaway
// client or script from starving everyone else.
type rateLimits struct {
	perSession, perIP *buckets
}

func newRateLimits(perSession, perIP float64, now func() time.Time) *rateLimits {
	return &rateLimits{perSession: newBuckets(perSession, now), perIP: newBuckets(perIP, now)}
}

// limitIP answers 429 when an address has made too many API requests.
func (s *Server) limitIP(c *gin.Context) {
	if !strings.HasPrefix(c.Request.URL.Path, "/api/") {
		c.Next()
		return
	}
	if wait, ok := s.limits.perIP.take(c.ClientIP()); !ok {
		respondError(c, s.log, tooManyRequests(wait, "Too many requests from this address. Wait a moment and try again."))
		return
	}
	c.Next()
}

// limitSession answers 429 when one session makes too many requests.
func (s *Server) limitSession(c *gin.Context) {
	if wait, ok := s.limits.perSession.take(principal(c).SessionID.String()); !ok {
		respondError(c, s.log, tooManyRequests(wait, "Too many requests in this session. Wait a moment and try again."))
		return
	}
	c.Next()
}

func tooManyRequests(wait time.Duration, msg string) *Error {
	return &Error{Status: http.StatusTooManyRequests, Code: "rate_limited", Message: msg, RetryAfter: int(math.Ceil(wait.Seconds()))}
}

// buckets is a set of token buckets by key, refilled at rate per second up
// to burstFactor*rate. A rate of 0 means no limit. Idle buckets (full
// again) are dropped as new keys arrive, so memory stays bounded by the
// keys active in the last few seconds.
type buckets struct {
	rate, burst float64
	now         func() time.Time
	mu          sync.Mutex
	m           map[string]*bucket
	swept       time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newBuckets(rate float64, now func() time.Time) *buckets {
	return &buckets{rate: rate, burst: math.Max(1, rate*burstFactor), now: now, m: map[string]*bucket{}}
}

// take spends a token of key's bucket; when none is left it returns how
// long until one is.
func (b *buckets) take(key string) (time.Duration, bool) {
	if b.rate <= 0 {
		return 0, true
	}
	now := b.now()
	b.mu.Lock()
	defer b.mu.Unlock()
	b.sweep(now)
	k, ok := b.m[key]
	if !ok {
		k = &bucket{tokens: b.burst, at: now}
		b.m[key] = k
	}
	k.tokens = math.Min(b.burst, k.tokens+now.Sub(k.at).Seconds()*b.rate)
	k.at = now
	if k.tokens < 1 {
		return time.Duration((1 - k.tokens) / b.rate * float64(time.Second)), false
	}
	k.tokens--
	return 0, true
}

// sweep drops buckets that have refilled completely, at most once per the
// time a bucket takes to refill.
func (b *buckets) sweep(now time.Time) {
	full := time.Duration(b.burst / b.rate * float64(time.Second))
	if now.Sub(b.swept) < full {
		return
	}
	b.swept = now
	for key, k := range b.m {
		if now.Sub(k.at) >= full {
			delete(b.m, key)
		}
	}
}

// cors lets browsers call the API only from the dashboard's own origin (the
// public URL, or the host the request was sent to) and from the origins
// SNOUT_CORS_ORIGINS adds. A write from any other origin is refused even
// though browsers would hide the answer: it must not take effect.
func (s *Server) cors(c *gin.Context) {
	origin := c.GetHeader("Origin")
	if origin == "" {
		c.Next()
		return
	}
	c.Header("Vary", "Origin")
	if !s.allowedOrigin(origin, c.Request.Host) {
		switch c.Request.Method {
		case http.MethodGet, http.MethodHead:
			c.Next() // answered without CORS headers: the browser keeps it from the page
		default:
			respondError(c, s.log, &Error{Status: http.StatusForbidden, Code: "cross_origin",
				Message: "Requests from " + origin + " are not allowed. Use the Snout dashboard."})
		}
		return
	}
	c.Header("Access-Control-Allow-Origin", origin)
	c.Header("Access-Control-Allow-Credentials", "true")
	if c.Request.Method == http.MethodOptions && c.GetHeader("Access-Control-Request-Method") != "" {
		c.Header("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE")
		c.Header("Access-Control-Allow-Headers", "Content-Type, "+csrfHeader)
		c.Header("Access-Control-Max-Age", "600")
		c.AbortWithStatus(http.StatusNoContent)
		return
	}
	c.Next()
}

func (s *Server) allowedOrigin(origin, host string) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	if strings.EqualFold(u.Host, host) {
		return true
	}
	if pub, err := url.Parse(s.cfg.PublicURL); err == nil && strings.EqualFold(pub.Scheme+"://"+pub.Host, origin) {
		return true
	}
	for _, o := range s.cfg.CORSOrigins {
		if strings.EqualFold(strings.TrimRight(o, "/"), origin) {
			return true
		}
	}
	return false
}
