// Package app wires Snout's processes (API, worker) from configuration, so
// `snout api`, `snout worker` and `snout dev` build them the same way.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/uptrace/bun"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/snoutos/snout/activities"
	"github.com/snoutos/snout/api"
	"github.com/snoutos/snout/internal/platform/config"
	"github.com/snoutos/snout/internal/platform/db"
	"github.com/snoutos/snout/internal/platform/notify"
	"github.com/snoutos/snout/internal/platform/obs"
	"github.com/snoutos/snout/internal/platform/secrets"
	"github.com/snoutos/snout/internal/platform/temporalx"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/internal/twilio/orgprovider"
	"github.com/snoutos/snout/web"
	"github.com/snoutos/snout/worker"
)

// App holds the shared dependencies of one process.
type App struct {
	Config    config.Config
	Log       *slog.Logger
	DB        *bun.DB
	Store     *store.Store
	Secrets   *secrets.Box
	Providers *orgprovider.Directory
	Notifier  *notify.Notifier
	Registry  *prometheus.Registry
	Temporal  client.Client
}

// New connects to PostgreSQL and Temporal.
func New(ctx context.Context, cfg config.Config, log *slog.Logger) (*App, error) {
	box, err := secrets.NewBox(cfg.EncryptionKeys)
	if err != nil {
		return nil, err
	}
	bdb, err := db.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	tc, err := temporalx.Dial(ctx, cfg, log, obs.NewTemporalMetrics(reg))
	if err != nil {
		bdb.Close()
		return nil, err
	}
	st := store.New(bdb)
	return &App{
		Config: cfg, Log: log, DB: bdb, Store: st, Secrets: box,
		Providers: orgprovider.New(st, box, cfg.TwilioBaseURL),
		Notifier:  notify.New(st, notify.SMTP{Addr: cfg.SMTPAddr, Username: cfg.SMTPUsername, Password: cfg.SMTPPassword, From: cfg.SMTPFrom}, log),
		Registry:  reg, Temporal: tc,
	}, nil
}

// Close releases connections.
func (a *App) Close() {
	a.Temporal.Close()
	_ = a.DB.Close()
}

// RunAPI serves HTTP until ctx ends, then drains in-flight requests.
func (a *App) RunAPI(ctx context.Context) error {
	srv, err := api.New(api.Deps{Config: a.Config, Store: a.Store, Temporal: a.Temporal, Secrets: a.Secrets,
		Providers: a.Providers, Notifier: a.Notifier, Logger: a.Log, Registry: a.Registry, UI: web.UI()})
	if err != nil {
		return err
	}
	hs := &http.Server{Addr: a.Config.HTTPAddr, Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- hs.ListenAndServe() }()
	a.Log.Info("api listening", "addr", a.Config.HTTPAddr, "publicURL", a.Config.PublicURL)
	select {
	case err := <-errc:
		return fmt.Errorf("api: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	a.Log.Info("api stopped")
	return nil
}

// ServeWorkerMetrics serves /metrics (the worker's and the Temporal SDK's)
// and /healthz on SNOUT_WORKER_METRICS_ADDR for a standalone worker. The
// returned function stops it.
func (a *App) ServeWorkerMetrics() func() {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(a.Registry, promhttp.HandlerOpts{}))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(`{"status":"ok"}`)) })
	hs := &http.Server{Addr: a.Config.WorkerMetricsAddr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := hs.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			a.Log.Warn("worker metrics server stopped", "addr", a.Config.WorkerMetricsAddr, "err", err)
		}
	}()
	a.Log.Info("worker metrics listening", "addr", a.Config.WorkerMetricsAddr)
	return func() { _ = hs.Close() }
}

// RunWorker polls the task queue until ctx ends, then stops gracefully
// (in-flight activities get the worker's stop timeout to finish).
func (a *App) RunWorker(ctx context.Context) error {
	if err := temporalx.EnsureSearchAttributes(ctx, a.Temporal, a.Config.TemporalNamespace, a.Log); err != nil {
		return err
	}
	acts := &activities.Activities{Config: a.Config, Store: a.Store, Providers: a.Providers, Temporal: a.Temporal, Notifier: a.Notifier, Log: a.Log}
	w := sdkworker.New(a.Temporal, a.Config.TemporalTaskQueue, sdkworker.Options{WorkerStopTimeout: 20 * time.Second})
	worker.Register(w, acts)
	if err := worker.EnsureSchedules(ctx, a.Temporal, a.Config); err != nil {
		return err
	}
	if err := w.Start(); err != nil {
		return fmt.Errorf("worker: %w", err)
	}
	a.Log.Info("worker polling", "taskQueue", a.Config.TemporalTaskQueue, "namespace", a.Config.TemporalNamespace)
	<-ctx.Done()
	w.Stop()
	a.Log.Info("worker stopped")
	return nil
}
