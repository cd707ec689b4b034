package api

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/snoutos/snout/internal/platform/auth"
	"github.com/snoutos/snout/internal/platform/obs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
)

const (
	sessionCookie = "snout_session"
	csrfHeader    = "X-CSRF-Token"
	requestHeader = "X-Request-ID"
	principalKey  = "snout.principal"
)

var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

// requestID gives every request an ID (the caller's if sane), echoed in the
// response and carried in the context to every log line and workflow.
func (s *Server) requestID(c *gin.Context) {
	id := c.GetHeader(requestHeader)
	if !requestIDPattern.MatchString(id) {
		id = uuid.NewString()
	}
	c.Header(requestHeader, id)
	c.Request = c.Request.WithContext(obs.WithCorrelationID(c.Request.Context(), id))
	c.Next()
}

type httpMetrics struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

func newHTTPMetrics(reg prometheus.Registerer) *httpMetrics {
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "snout_http_requests_total", Help: "HTTP requests by route and status."}, []string{"method", "route", "status"}),
		latency:  prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "snout_http_request_duration_seconds", Help: "HTTP request latency by route.", Buckets: prometheus.DefBuckets}, []string{"method", "route"}),
	}
	reg.MustRegister(m.requests, m.latency)
	return m
}

func (s *Server) accessLog(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	d := time.Since(start)
	s.metrics.requests.WithLabelValues(c.Request.Method, route, strconv.Itoa(c.Writer.Status())).Inc()
	s.metrics.latency.WithLabelValues(c.Request.Method, route).Observe(d.Seconds())
	s.log.InfoContext(c.Request.Context(), "http request", "method", c.Request.Method, "route", route,
		"status", c.Writer.Status(), "durationMs", d.Milliseconds(), "ip", c.ClientIP())
}

func (s *Server) recoverer(c *gin.Context) {
	defer func() {
		if r := recover(); r != nil {
			respondError(c, s.log, fmt.Errorf("panic: %v", r))
		}
	}()
	c.Next()
}

// Principal is who is calling, resolved from the session.
type Principal struct {
	UserID    uuid.UUID
	OrgID     uuid.UUID
	Role      string
	SessionID uuid.UUID
	CSRFToken string
	ViaCookie bool
	ExpiresAt time.Time
}

func principal(c *gin.Context) Principal {
	p, _ := c.Get(principalKey)
	return p.(Principal)
}

// actor is the signed-in caller as the application layer knows them.
func actor(c *gin.Context) service.Actor {
	p := principal(c)
	return service.Actor{OrgID: p.OrgID, UserID: p.UserID, Role: p.Role, IP: c.ClientIP()}
}

func sessionToken(c *gin.Context) (token string, viaCookie bool) {
	if h := c.GetHeader("Authorization"); h != "" {
		if t, ok := strings.CutPrefix(h, "Bearer "); ok {
			return strings.TrimSpace(t), false
		}
		return "", false
	}
	if ck, err := c.Cookie(sessionCookie); err == nil {
		return ck, true
	}
	return "", false
}

// authenticate resolves the session (cookie or Bearer) into a Principal.
func (s *Server) authenticate(c *gin.Context) {
	ctx := c.Request.Context()
	token, viaCookie := sessionToken(c)
	if token == "" {
		respondError(c, s.log, unauthorized("Sign in to continue."))
		return
	}
	sess, err := s.store.SessionByTokenHash(ctx, auth.HashToken(token), s.now(), s.cfg.SessionIdleTimeout)
	if err != nil {
		if err == store.ErrNotFound {
			respondError(c, s.log, unauthorized("Your session has expired or is not valid. Sign in again."))
			return
		}
		respondError(c, s.log, err)
		return
	}
	m, err := s.store.MembershipFor(ctx, sess.OrgID, sess.UserID)
	if err != nil {
		respondError(c, s.log, unauthorized("Your access to this organisation has ended. Sign in again."))
		return
	}
	c.Set(principalKey, Principal{UserID: sess.UserID, OrgID: sess.OrgID, Role: m.Role, SessionID: sess.ID,
		CSRFToken: sess.CSRFToken, ViaCookie: viaCookie, ExpiresAt: sess.ExpiresAt})
	c.Next()
}

// csrf requires the session's CSRF token on writes authenticated by cookie.
// Bearer tokens are not sent by browsers on their own, so they need none.
func (s *Server) csrf(c *gin.Context) {
	p := principal(c)
	switch c.Request.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		c.Next()
		return
	}
	if p.ViaCookie && subtle.ConstantTimeCompare([]byte(c.GetHeader(csrfHeader)), []byte(p.CSRFToken)) != 1 {
		respondError(c, s.log, &Error{Status: http.StatusForbidden, Code: "csrf", Message: "This request is missing its " + csrfHeader + " header; reload the page and try again."})
		return
	}
	c.Next()
}

// authorize asks Casbin whether the caller's role may use this route in its
// org. Deny is 403 (and audited); an enforcer error is 500.
func (s *Server) authorize(c *gin.Context) {
	p := principal(c)
	ok, err := s.enforcer.Enforce(p.Role, p.OrgID.String(), c.FullPath(), c.Request.Method)
	if err != nil {
		respondError(c, s.log, fmt.Errorf("authorization: %w", err))
		return
	}
	if !ok {
		org := p.OrgID
		_ = s.store.AppendAudit(c.Request.Context(), &org, store.Audit{
			ActorType: "user", ActorID: p.UserID.String(), Action: "access.denied",
			EntityType: "route", EntityID: c.Request.Method + " " + c.FullPath(),
			CorrelationID: obs.CorrelationID(c.Request.Context()), IP: c.ClientIP(),
			Detail: map[string]any{"role": p.Role},
		})
		respondError(c, s.log, forbidden("Your role ("+p.Role+") does not allow this."))
		return
	}
	c.Next()
}
