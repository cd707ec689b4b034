// Package api is Snout's HTTP interface: the owner's dashboard API, the
// sitters' scoped API and Twilio's webhooks, on Gin. Handlers never call
// Twilio: work that is long or must be retried goes through a workflow.
package api

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/casbin/casbin/v2"
	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.temporal.io/sdk/client"

	"github.com/snoutos/snout/internal/platform/config"
	"github.com/snoutos/snout/internal/platform/notify"
	"github.com/snoutos/snout/internal/platform/secrets"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/internal/twilio/orgprovider"
	"github.com/snoutos/snout/policies"
	"github.com/snoutos/snout/service"
	"github.com/snoutos/snout/service/audit"
	"github.com/snoutos/snout/service/clients"
	"github.com/snoutos/snout/service/confirm"
	"github.com/snoutos/snout/service/inbox"
	"github.com/snoutos/snout/service/messaging"
	"github.com/snoutos/snout/service/numbers"
	"github.com/snoutos/snout/service/receipts"
	routingsvc "github.com/snoutos/snout/service/routing"
	"github.com/snoutos/snout/service/settings"
	"github.com/snoutos/snout/service/setup"
	"github.com/snoutos/snout/service/signin"
	"github.com/snoutos/snout/service/signup"
	"github.com/snoutos/snout/service/team"
	"github.com/snoutos/snout/service/windows"
)

// Deps are the API's collaborators, built once by the caller.
type Deps struct {
	Config    config.Config
	Store     *store.Store
	Temporal  client.Client // may be nil in tests that do not reach workflows
	Secrets   *secrets.Box
	Providers *orgprovider.Directory
	Notifier  *notify.Notifier
	Logger    *slog.Logger
	Registry  *prometheus.Registry
	Now       func() time.Time
	// UI is the built dashboard (web.UI()); nil serves a page saying how
	// to build it.
	UI fs.FS
}

// Server holds the handlers' dependencies. No globals.
type Server struct {
	cfg       config.Config
	store     *store.Store
	temporal  client.Client
	secrets   *secrets.Box
	providers *orgprovider.Directory
	notifier  *notify.Notifier
	log       *slog.Logger
	enforcer  *casbin.SyncedEnforcer
	registry  *prometheus.Registry
	metrics   *httpMetrics
	now       func() time.Time
	messaging *messaging.Service
	numbers   *numbers.Service
	setup     *setup.Service
	engine    *gin.Engine
	auditor   service.Auditor
	// The application layer.
	inbox    *inbox.Service
	windows  *windows.Service
	signin   *signin.Service
	trail    *audit.Service
	receipts *receipts.Service
	settings *settings.Service
	signup   *signup.Service
	team     *team.Service
	clients  *clients.Service
	routing  *routingsvc.Service
	// routes lists every registered route with its access class, for the
	// authorization coverage test, and its doc for the OpenAPI document.
	routes []Route
	limits *rateLimits
	// openapi is the OpenAPI document of the routes, built once.
	openapi []byte
	// ui is the dashboard served at / (ui.go).
	ui *dashboard
}

// Access classes of a route.
const (
	AccessPublic  = "public"  // no session (login, webhooks, health)
	AccessSession = "session" // signed in, decided by the Casbin policy
)

// Route is one registered endpoint.
type Route struct {
	Method, Path, Access string
	doc                  op
}

// New builds the server and its router.
func New(d Deps) (*Server, error) {
	if d.Store == nil || d.Logger == nil {
		return nil, errors.New("api: Store and Logger are required")
	}
	enf, err := policies.NewEnforcer()
	if err != nil {
		return nil, err
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Registry == nil {
		d.Registry = prometheus.NewRegistry()
	}
	s := &Server{
		cfg: d.Config, store: d.Store, temporal: d.Temporal, secrets: d.Secrets, providers: d.Providers, notifier: d.Notifier,
		log: d.Logger, enforcer: enf, registry: d.Registry, now: d.Now,
	}
	s.auditor = service.Auditor{Store: d.Store, Log: d.Logger}
	s.messaging = messaging.New(messaging.Deps{Store: d.Store, Temporal: d.Temporal, TaskQueue: d.Config.TemporalTaskQueue,
		Now: d.Now, Log: d.Logger, Audit: s.auditor})
	s.inbox = &inbox.Service{Store: d.Store, Now: d.Now, Auditor: s.auditor}
	s.windows = &windows.Service{Store: d.Store, Now: d.Now, Auditor: s.auditor, Temporal: d.Temporal, TaskQueue: d.Config.TemporalTaskQueue,
		Confirm: confirm.NewSigner(confirmSecret(d.Config), "snout/windows/confirm-token/v1", d.Now)}
	s.signin = &signin.Service{Store: d.Store, Policy: signin.PolicyFrom(d.Config), Notifier: d.Notifier, Now: d.Now, Log: d.Logger, Auditor: s.auditor}
	s.trail = &audit.Service{Store: d.Store}
	s.settings = &settings.Service{Store: d.Store, Auditor: s.auditor, Now: d.Now}
	s.signup = &signup.Service{Store: d.Store, Notifier: d.Notifier, Policy: signup.DefaultPolicy(d.Config.PublicURL), Now: d.Now, Log: d.Logger, Auditor: s.auditor}
	s.team = &team.Service{Store: d.Store, Notifier: d.Notifier, Policy: team.Policy{InviteTTL: 7 * 24 * time.Hour, PublicURL: d.Config.PublicURL},
		Now: d.Now, Log: d.Logger, Auditor: s.auditor}
	s.clients = &clients.Service{Store: d.Store, Messaging: s.messaging, Now: d.Now, Auditor: s.auditor}
	s.routing = &routingsvc.Service{Store: d.Store, Temporal: d.Temporal, TaskQueue: d.Config.TemporalTaskQueue, Now: d.Now,
		Auditor: s.auditor, Log: d.Logger}
	s.receipts = &receipts.Service{Store: d.Store, Providers: d.Providers, Temporal: d.Temporal, TaskQueue: d.Config.TemporalTaskQueue,
		PublicURL: d.Config.PublicURL, Now: d.Now, Log: d.Logger, Auditor: s.auditor}
	s.metrics = newHTTPMetrics(d.Registry)
	s.limits = newRateLimits(d.Config.APIRatePerSession, d.Config.APIRatePerIP, time.Now)
	s.numbers = numbers.New(numbers.Deps{Store: d.Store, Temporal: d.Temporal, TaskQueue: d.Config.TemporalTaskQueue,
		ConfirmSecret: confirmSecret(d.Config), Cooldown: d.Config.QuarantineCooldown, Now: d.Now, Log: d.Logger})
	s.setup = setup.New(setup.Deps{Store: d.Store, Temporal: d.Temporal, TaskQueue: d.Config.TemporalTaskQueue,
		Providers: d.Providers, Now: d.Now, Log: d.Logger})
	if s.ui, err = newDashboard(d.UI); err != nil {
		return nil, err
	}
	s.engine = s.buildRouter()
	if s.openapi, err = openAPIDocument(s.routes); err != nil {
		return nil, err
	}
	return s, nil
}

// confirmSecret is the root of the numbers' confirmation tokens: the first
// encryption key.
func confirmSecret(cfg config.Config) []byte {
	if len(cfg.EncryptionKeys) > 0 {
		return cfg.EncryptionKeys[0].Key
	}
	return nil
}

// Handler is the HTTP handler to serve.
func (s *Server) Handler() http.Handler { return s.engine }

// Routes lists every registered route and its access class.
func (s *Server) Routes() []Route { return s.routes }

func (s *Server) buildRouter() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	if err := r.SetTrustedProxies(s.cfg.TrustedProxies); err != nil {
		s.log.Warn("ignoring SNOUT_TRUSTED_PROXIES", "err", err)
	}
	r.Use(s.requestID, s.securityHeaders, s.accessLog, s.recoverer, s.cors, s.limitIP, s.bodyLimit)
	r.NoRoute(s.serveDashboard)
	r.NoMethod(func(c *gin.Context) {
		respondError(c, s.log, &Error{Status: http.StatusMethodNotAllowed, Code: "method_not_allowed", Message: "This endpoint does not accept " + c.Request.Method + "."})
	})

	public := func(rt featureRoute) {
		s.routes = append(s.routes, Route{rt.method, rt.path, AccessPublic, rt.doc})
		r.Handle(rt.method, rt.path, rt.handler)
	}
	public(featureRoute{http.MethodGet, "/healthz", s.healthz, op{}})
	public(featureRoute{http.MethodGet, "/readyz", s.readyz, op{}})
	public(featureRoute{http.MethodGet, "/metrics", gin.WrapH(promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{})), op{}})
	public(featureRoute{http.MethodGet, "/api/v1/openapi.json", s.serveOpenAPI,
		doc("This document: the OpenAPI 3.1 description of the /api/v1 surface", tagMeta).ok(map[string]any{})})
	for _, rt := range s.publicAuthRoutes() {
		public(rt)
	}
	for _, rt := range s.peoplePublicRoutes() {
		public(rt)
	}
	for _, wh := range s.webhookRoutes() {
		public(wh)
	}

	authed := r.Group("/", s.authenticate, s.limitSession, s.csrf, s.authorize)
	private := func(rt featureRoute) {
		s.routes = append(s.routes, Route{rt.method, rt.path, AccessSession, rt.doc})
		authed.Handle(rt.method, rt.path, rt.handler)
	}
	for _, rt := range s.sessionRoutes() {
		private(rt)
	}
	for _, rt := range s.featureRoutes() {
		private(rt)
	}
	return r
}

// featureRoute is a route contributed by a feature file, with its doc for
// the OpenAPI document (openapi.go).
type featureRoute struct {
	method, path string
	handler      gin.HandlerFunc
	doc          op
}

func (s *Server) healthz(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) }

func (s *Server) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()
	checks := gin.H{}
	ready := true
	if err := s.store.DB().NewRaw("SELECT 1").Scan(ctx, new(int)); err != nil {
		checks["postgres"] = "unreachable"
		ready = false
	} else {
		checks["postgres"] = "ok"
	}
	if s.temporal == nil {
		checks["temporal"] = "not configured"
		ready = false
	} else if _, err := s.temporal.WorkflowService().DescribeNamespace(ctx, describeNamespace(s.cfg.TemporalNamespace)); err != nil {
		checks["temporal"] = "unreachable"
		ready = false
	} else {
		checks["temporal"] = "ok"
	}
	status := http.StatusOK
	if !ready {
		status = http.StatusServiceUnavailable
	}
	c.JSON(status, gin.H{"ready": ready, "checks": checks})
}
