// Package temporalx connects to Temporal (a local dev server, a self-hosted
// cluster or Temporal Cloud) and registers the product's search attributes.
package temporalx

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"

	"github.com/snoutos/snout/internal/platform/config"
	"github.com/snoutos/snout/internal/platform/correlation"
)

// SearchAttributes are the custom search attributes operators filter on in
// the Temporal Web UI (e.g. `OrgId = "…"`, `PhoneNumber = "+1…"`).
var SearchAttributes = map[string]enumspb.IndexedValueType{
	"OrgId":       enumspb.INDEXED_VALUE_TYPE_KEYWORD,
	"PhoneNumber": enumspb.INDEXED_VALUE_TYPE_KEYWORD,
	"NumberId":    enumspb.INDEXED_VALUE_TYPE_KEYWORD,
}

// Dial connects to Temporal as configured.
func Dial(ctx context.Context, cfg config.Config, log *slog.Logger, metrics client.MetricsHandler) (client.Client, error) {
	opts := client.Options{
		HostPort:       cfg.TemporalAddress,
		Namespace:      cfg.TemporalNamespace,
		Logger:         tlog.NewStructuredLogger(log.With("component", "temporal")),
		MetricsHandler: metrics,
		// The request's correlation ID rides in Temporal headers into
		// every workflow, activity and child it leads to.
		ContextPropagators: correlation.Propagators(),
	}
	if cfg.TemporalTLSCert != "" || cfg.TemporalTLSCA != "" || cfg.TemporalAPIKey != "" {
		tlsCfg := &tls.Config{MinVersion: tls.VersionTLS12}
		if cfg.TemporalTLSCert != "" {
			cert, err := tls.LoadX509KeyPair(cfg.TemporalTLSCert, cfg.TemporalTLSKey)
			if err != nil {
				return nil, fmt.Errorf("TEMPORAL_TLS_CERT/TEMPORAL_TLS_KEY: %w", err)
			}
			tlsCfg.Certificates = []tls.Certificate{cert}
		}
		if cfg.TemporalTLSCA != "" {
			pem, err := os.ReadFile(cfg.TemporalTLSCA)
			if err != nil {
				return nil, fmt.Errorf("TEMPORAL_TLS_CA: %w", err)
			}
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(pem) {
				return nil, errors.New("TEMPORAL_TLS_CA: no certificate found in the file")
			}
			tlsCfg.RootCAs = pool
		}
		opts.ConnectionOptions.TLS = tlsCfg
	}
	if cfg.TemporalAPIKey != "" {
		opts.Credentials = client.NewAPIKeyStaticCredentials(cfg.TemporalAPIKey)
	}
	dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	c, err := client.DialContext(dctx, opts)
	if err != nil {
		return nil, fmt.Errorf("Temporal is not reachable at %s (namespace %q): %w. Start the dev server with `make dev`, or set TEMPORAL_ADDRESS", cfg.TemporalAddress, cfg.TemporalNamespace, err)
	}
	return c, nil
}

// EnsureSearchAttributes registers any missing custom search attribute. On
// Temporal Cloud, where the operator API is not open to API keys, it logs
// what to add by hand instead of failing.
func EnsureSearchAttributes(ctx context.Context, c client.Client, namespace string, log *slog.Logger) error {
	resp, err := c.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: namespace})
	if err != nil {
		log.Warn("cannot list search attributes; add them by hand", "attributes", SearchAttributes, "err", err)
		return nil
	}
	missing := map[string]enumspb.IndexedValueType{}
	for name, typ := range SearchAttributes {
		if _, ok := resp.GetCustomAttributes()[name]; !ok {
			missing[name] = typ
		}
	}
	if len(missing) == 0 {
		return nil
	}
	_, err = c.OperatorService().AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{Namespace: namespace, SearchAttributes: missing})
	var exists *serviceerror.AlreadyExists
	if err != nil && !errors.As(err, &exists) {
		log.Warn("cannot add search attributes; add them by hand", "attributes", missing, "err", err)
		return nil
	}
	log.Info("registered search attributes", "attributes", missing)
	return nil
}
