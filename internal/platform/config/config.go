// Package config reads Snout's configuration from environment variables,
// applies safe defaults and validates everything at start-up, naming the
// variable at fault.
package config

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is the whole runtime configuration. Secrets are never printed: use
// Redacted for logs.
type Config struct {
	DatabaseURL string // DATABASE_URL

	HTTPAddr string // SNOUT_HTTP_ADDR
	// WorkerMetricsAddr serves /metrics and /healthz of a standalone worker.
	WorkerMetricsAddr string // SNOUT_WORKER_METRICS_ADDR
	PublicURL         string // SNOUT_PUBLIC_URL: how Twilio and browsers reach the API

	LogLevel  string // SNOUT_LOG_LEVEL
	LogFormat string // SNOUT_LOG_FORMAT: json or text

	// EncryptionKeys seals provider credentials. The first key encrypts; all
	// keys decrypt, so keys can rotate. SNOUT_ENCRYPTION_KEY holds
	// comma-separated "keyID:base64-32-bytes" entries.
	EncryptionKeys []EncryptionKey

	SessionTTL         time.Duration // SNOUT_SESSION_TTL
	SessionIdleTimeout time.Duration // SNOUT_SESSION_IDLE_TIMEOUT
	PasswordResetTTL   time.Duration // SNOUT_PASSWORD_RESET_TTL

	LoginMaxFailuresPerAccount int           // SNOUT_LOGIN_MAX_FAILURES_PER_ACCOUNT
	LoginMaxFailuresPerIP      int           // SNOUT_LOGIN_MAX_FAILURES_PER_IP
	LoginThrottleWindow        time.Duration // SNOUT_LOGIN_THROTTLE_WINDOW

	TrustedProxies []string // SNOUT_TRUSTED_PROXIES

	// APIRatePerSession and APIRatePerIP are the authenticated API's
	// sustained requests per second (bursts of five times that pass); 0
	// turns a limit off.
	APIRatePerSession float64 // SNOUT_API_RATE_PER_SESSION
	APIRatePerIP      float64 // SNOUT_API_RATE_PER_IP
	// CORSOrigins are origins besides the dashboard's own that browsers may
	// call the API from (a front-end dev server, for example).
	CORSOrigins []string // SNOUT_CORS_ORIGINS

	TemporalAddress   string // TEMPORAL_ADDRESS
	TemporalNamespace string // TEMPORAL_NAMESPACE
	TemporalTaskQueue string // SNOUT_TASK_QUEUE
	TemporalTLSCert   string // TEMPORAL_TLS_CERT (file)
	TemporalTLSKey    string // TEMPORAL_TLS_KEY (file)
	TemporalTLSCA     string // TEMPORAL_TLS_CA (file)
	TemporalAPIKey    string // TEMPORAL_API_KEY (Temporal Cloud)
	TemporalUIURL     string // SNOUT_TEMPORAL_UI_URL, printed for operators

	TwilioBaseURL string // SNOUT_TWILIO_BASE_URL: empty = real Twilio

	SMTPAddr     string // SNOUT_SMTP_ADDR host:port; empty = outbox only
	SMTPUsername string // SNOUT_SMTP_USERNAME
	SMTPPassword string // SNOUT_SMTP_PASSWORD
	SMTPFrom     string // SNOUT_SMTP_FROM

	DeliveryStatusWait time.Duration // SNOUT_DELIVERY_STATUS_WAIT
	// DeadLetterExpiry is how long a dead-lettered message waits for the
	// owner to retry or discard it before it is discarded as expired.
	DeadLetterExpiry   time.Duration // SNOUT_DEAD_LETTER_EXPIRY
	QuarantineCooldown time.Duration // SNOUT_QUARANTINE_COOLDOWN

	DemoPassword         string // SNOUT_DEMO_PASSWORD
	DemoTwilioAccountSID string // SNOUT_DEMO_TWILIO_ACCOUNT_SID
	DemoTwilioAuthToken  string // SNOUT_DEMO_TWILIO_AUTH_TOKEN

	DataDir string // SNOUT_DATA_DIR (dev: Temporal's database, simulator state)
}

// EncryptionKey is one AES-256 key with the ID stored beside its ciphertexts.
type EncryptionKey struct {
	ID  string
	Key []byte
}

// DevEncryptionKey is used when SNOUT_ENCRYPTION_KEY is unset and the public
// URL is a loopback address. It is public knowledge: never use it for real
// credentials (FromEnv refuses it for any non-local deployment).
const DevEncryptionKey = "dev1:c25vdXQtZGV2LWtleS1kby1ub3QtdXNlLWluLXByb2Q="

// Error names the variable that is wrong and why.
type Error struct {
	Variable string
	Reason   string
}

func (e *Error) Error() string { return e.Variable + ": " + e.Reason }

// FromEnv reads the configuration from the process environment.
func FromEnv() (Config, error) { return FromLookup(os.LookupEnv) }

// FromLookup reads the configuration through lookup (os.LookupEnv in
// production, a map in tests).
func FromLookup(lookup func(string) (string, bool)) (Config, error) {
	r := reader{lookup: lookup}
	c := Config{
		DatabaseURL:                r.str("DATABASE_URL", "postgres://snout:snout@127.0.0.1:5432/snout?sslmode=disable"),
		HTTPAddr:                   r.str("SNOUT_HTTP_ADDR", "127.0.0.1:8080"),
		WorkerMetricsAddr:          r.str("SNOUT_WORKER_METRICS_ADDR", "127.0.0.1:9464"),
		LogLevel:                   r.str("SNOUT_LOG_LEVEL", "info"),
		LogFormat:                  r.str("SNOUT_LOG_FORMAT", "json"),
		SessionTTL:                 r.duration("SNOUT_SESSION_TTL", 12*time.Hour),
		SessionIdleTimeout:         r.duration("SNOUT_SESSION_IDLE_TIMEOUT", 2*time.Hour),
		PasswordResetTTL:           r.duration("SNOUT_PASSWORD_RESET_TTL", 30*time.Minute),
		LoginMaxFailuresPerAccount: r.integer("SNOUT_LOGIN_MAX_FAILURES_PER_ACCOUNT", 5),
		LoginMaxFailuresPerIP:      r.integer("SNOUT_LOGIN_MAX_FAILURES_PER_IP", 20),
		LoginThrottleWindow:        r.duration("SNOUT_LOGIN_THROTTLE_WINDOW", 15*time.Minute),
		TrustedProxies:             r.list("SNOUT_TRUSTED_PROXIES"),
		APIRatePerSession:          r.rate("SNOUT_API_RATE_PER_SESSION", 10),
		APIRatePerIP:               r.rate("SNOUT_API_RATE_PER_IP", 30),
		CORSOrigins:                r.list("SNOUT_CORS_ORIGINS"),
		TemporalAddress:            r.str("TEMPORAL_ADDRESS", "127.0.0.1:7233"),
		TemporalNamespace:          r.str("TEMPORAL_NAMESPACE", "default"),
		TemporalTaskQueue:          r.str("SNOUT_TASK_QUEUE", "snout"),
		TemporalTLSCert:            r.str("TEMPORAL_TLS_CERT", ""),
		TemporalTLSKey:             r.str("TEMPORAL_TLS_KEY", ""),
		TemporalTLSCA:              r.str("TEMPORAL_TLS_CA", ""),
		TemporalAPIKey:             r.str("TEMPORAL_API_KEY", ""),
		TemporalUIURL:              r.str("SNOUT_TEMPORAL_UI_URL", "http://127.0.0.1:8233"),
		TwilioBaseURL:              r.str("SNOUT_TWILIO_BASE_URL", ""),
		SMTPAddr:                   r.str("SNOUT_SMTP_ADDR", ""),
		SMTPUsername:               r.str("SNOUT_SMTP_USERNAME", ""),
		SMTPPassword:               r.str("SNOUT_SMTP_PASSWORD", ""),
		SMTPFrom:                   r.str("SNOUT_SMTP_FROM", "Snout <no-reply@snout.localhost>"),
		DeliveryStatusWait:         r.duration("SNOUT_DELIVERY_STATUS_WAIT", 2*time.Minute),
		DeadLetterExpiry:           r.duration("SNOUT_DEAD_LETTER_EXPIRY", 14*24*time.Hour),
		QuarantineCooldown:         r.duration("SNOUT_QUARANTINE_COOLDOWN", 30*24*time.Hour),
		DemoPassword:               r.str("SNOUT_DEMO_PASSWORD", ""),
		DemoTwilioAccountSID:       r.str("SNOUT_DEMO_TWILIO_ACCOUNT_SID", "ACde300000000000000000000000000001"),
		DemoTwilioAuthToken:        r.str("SNOUT_DEMO_TWILIO_AUTH_TOKEN", "d3e0d3e0d3e0d3e0d3e0d3e0d3e0d3e0"),
		DataDir:                    r.str("SNOUT_DATA_DIR", ".data"),
	}
	c.PublicURL = strings.TrimRight(r.str("SNOUT_PUBLIC_URL", "http://"+c.HTTPAddr), "/")
	keys := r.str("SNOUT_ENCRYPTION_KEY", "")
	if r.err != nil {
		return Config{}, r.err
	}
	if err := c.validate(keys); err != nil {
		return Config{}, err
	}
	return c, nil
}

func (c *Config) validate(keys string) error {
	if _, err := url.Parse(c.DatabaseURL); err != nil || !strings.HasPrefix(c.DatabaseURL, "postgres") {
		return &Error{"DATABASE_URL", "must be a postgres:// URL"}
	}
	if _, _, err := net.SplitHostPort(c.HTTPAddr); err != nil {
		return &Error{"SNOUT_HTTP_ADDR", "must be host:port, e.g. 127.0.0.1:8080"}
	}
	if _, _, err := net.SplitHostPort(c.WorkerMetricsAddr); err != nil {
		return &Error{"SNOUT_WORKER_METRICS_ADDR", "must be host:port, e.g. 127.0.0.1:9464"}
	}
	pu, err := url.Parse(c.PublicURL)
	if err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" {
		return &Error{"SNOUT_PUBLIC_URL", "must be an absolute http(s) URL such as https://snout.example.com"}
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return &Error{"SNOUT_LOG_LEVEL", "must be debug, info, warn or error"}
	}
	if c.LogFormat != "json" && c.LogFormat != "text" {
		return &Error{"SNOUT_LOG_FORMAT", "must be json or text"}
	}
	if c.SessionTTL < time.Minute {
		return &Error{"SNOUT_SESSION_TTL", "must be at least 1m"}
	}
	if c.SessionIdleTimeout < time.Minute || c.SessionIdleTimeout > c.SessionTTL {
		return &Error{"SNOUT_SESSION_IDLE_TIMEOUT", "must be at least 1m and no longer than SNOUT_SESSION_TTL"}
	}
	if c.PasswordResetTTL < time.Minute || c.PasswordResetTTL > 24*time.Hour {
		return &Error{"SNOUT_PASSWORD_RESET_TTL", "must be between 1m and 24h"}
	}
	if c.LoginMaxFailuresPerAccount < 1 {
		return &Error{"SNOUT_LOGIN_MAX_FAILURES_PER_ACCOUNT", "must be at least 1"}
	}
	if c.LoginMaxFailuresPerIP < 1 {
		return &Error{"SNOUT_LOGIN_MAX_FAILURES_PER_IP", "must be at least 1"}
	}
	if c.TemporalTaskQueue == "" {
		return &Error{"SNOUT_TASK_QUEUE", "must not be empty"}
	}
	if (c.TemporalTLSCert == "") != (c.TemporalTLSKey == "") {
		return &Error{"TEMPORAL_TLS_CERT", "TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be set together"}
	}
	if c.TwilioBaseURL != "" {
		u, err := url.Parse(c.TwilioBaseURL)
		if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
			return &Error{"SNOUT_TWILIO_BASE_URL", "must be an http(s) URL, or empty for real Twilio"}
		}
	}
	if c.DeliveryStatusWait < time.Second {
		return &Error{"SNOUT_DELIVERY_STATUS_WAIT", "must be at least 1s"}
	}
	if c.DeadLetterExpiry < time.Minute {
		return &Error{"SNOUT_DEAD_LETTER_EXPIRY", "must be at least 1m (the default is 336h, 14 days)"}
	}
	if c.QuarantineCooldown < time.Minute {
		return &Error{"SNOUT_QUARANTINE_COOLDOWN", "must be at least 1m"}
	}
	if keys == "" {
		if !c.IsLocal() {
			return &Error{"SNOUT_ENCRYPTION_KEY", "is required when SNOUT_PUBLIC_URL is not a loopback address (generate one with `snout keygen`)"}
		}
		keys = DevEncryptionKey
	}
	parsed, err := ParseEncryptionKeys(keys)
	if err != nil {
		return &Error{"SNOUT_ENCRYPTION_KEY", err.Error()}
	}
	if !c.IsLocal() && parsed[0].ID == "dev1" {
		return &Error{"SNOUT_ENCRYPTION_KEY", "the development key must not be used outside localhost"}
	}
	c.EncryptionKeys = parsed
	return nil
}

// ParseEncryptionKeys parses "id:base64key[,id:base64key...]".
func ParseEncryptionKeys(s string) ([]EncryptionKey, error) {
	var out []EncryptionKey
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		id, b64, ok := strings.Cut(part, ":")
		if !ok || id == "" {
			return nil, errors.New(`each key must look like "keyID:base64-of-32-bytes"`)
		}
		key, err := base64.StdEncoding.DecodeString(b64)
		if err != nil || len(key) != 32 {
			return nil, fmt.Errorf("key %q must be 32 bytes, base64-encoded", id)
		}
		if seen[id] {
			return nil, fmt.Errorf("key ID %q appears twice", id)
		}
		seen[id] = true
		out = append(out, EncryptionKey{ID: id, Key: key})
	}
	return out, nil
}

// IsLocal reports whether the public URL points at this machine only.
func (c Config) IsLocal() bool {
	u, err := url.Parse(c.PublicURL)
	if err != nil {
		return false
	}
	host := u.Hostname()
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// SecureCookies reports whether session cookies carry the Secure flag: always,
// except when serving plain HTTP on a loopback address.
func (c Config) SecureCookies() bool {
	return !(c.IsLocal() && strings.HasPrefix(c.PublicURL, "http://"))
}

// Redacted returns the configuration as key/value pairs safe to log.
func (c Config) Redacted() map[string]any {
	db := c.DatabaseURL
	if u, err := url.Parse(db); err == nil && u.User != nil {
		u.User = url.User(u.User.Username())
		db = u.String()
	}
	return map[string]any{
		"databaseURL":       db,
		"httpAddr":          c.HTTPAddr,
		"publicURL":         c.PublicURL,
		"temporalAddress":   c.TemporalAddress,
		"temporalNamespace": c.TemporalNamespace,
		"taskQueue":         c.TemporalTaskQueue,
		"temporalTLS":       c.TemporalTLSCert != "" || c.TemporalAPIKey != "",
		"twilioBaseURL":     c.TwilioBaseURL,
		"smtp":              c.SMTPAddr != "",
		"encryptionKeyIDs":  keyIDs(c.EncryptionKeys),
	}
}

func keyIDs(keys []EncryptionKey) []string {
	ids := make([]string, len(keys))
	for i, k := range keys {
		ids[i] = k.ID
	}
	return ids
}

type reader struct {
	lookup func(string) (string, bool)
	err    error
}

func (r *reader) str(name, def string) string {
	if v, ok := r.lookup(name); ok && strings.TrimSpace(v) != "" {
		return strings.TrimSpace(v)
	}
	return def
}

func (r *reader) list(name string) []string {
	v := r.str(name, "")
	if v == "" {
		return nil
	}
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (r *reader) duration(name string, def time.Duration) time.Duration {
	v := r.str(name, "")
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil && r.err == nil {
		r.err = &Error{name, fmt.Sprintf("%q is not a duration (use e.g. 30s, 15m, 12h)", v)}
	}
	return d
}

// rate reads a non-negative number of requests per second.
func (r *reader) rate(name string, def float64) float64 {
	v := r.str(name, "")
	if v == "" {
		return def
	}
	f, err := strconv.ParseFloat(v, 64)
	if (err != nil || f < 0) && r.err == nil {
		r.err = &Error{name, fmt.Sprintf("%q is not a number of requests per second, 0 or more (0 turns the limit off)", v)}
	}
	return f
}

func (r *reader) integer(name string, def int) int {
	v := r.str(name, "")
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil && r.err == nil {
		r.err = &Error{name, fmt.Sprintf("%q is not a whole number", v)}
	}
	return n
}
