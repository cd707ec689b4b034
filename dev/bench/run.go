package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
	"go.temporal.io/sdk/testsuite"

	"github.com/snoutos/snout/app"
	"github.com/snoutos/snout/internal/platform/auth"
	"github.com/snoutos/snout/internal/platform/config"
	"github.com/snoutos/snout/internal/platform/db"
	"github.com/snoutos/snout/internal/platform/secrets"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/internal/twilio/orgprovider"
	"github.com/snoutos/snout/internal/twilio/provider"
)

// Options sizes a run.
type Options struct {
	// Database is the name of the bench database on DATABASE_URL's server.
	Database string
	// Queries per list/search case.
	Queries int
	// WebhookDuration is how long signed webhooks are fired.
	WebhookDuration time.Duration
	// Concurrency is the number of concurrent webhook senders.
	Concurrency int
	// TemporalCLI is the path of the temporal binary.
	TemporalCLI string
	Out         io.Writer
}

const (
	benchAccountSID = "ACb0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0"
	benchAuthToken  = "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0"
	benchOwnerEmail = "owner@bench.test"
	benchPassword   = "bench-password-123"
)

// Run measures and prints the figures.
func Run(ctx context.Context, cfg config.Config, o Options) error {
	w := o.Out
	logf := func(f string, a ...any) { fmt.Fprintf(w, f+"\n", a...) }
	dsn, err := db.WithDatabase(cfg.DatabaseURL, o.Database)
	if err != nil {
		return err
	}
	if err := db.EnsureDatabase(ctx, dsn); err != nil {
		return err
	}
	bdb, err := db.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer bdb.Close()
	if _, err := db.Migrate(ctx, bdb); err != nil {
		return err
	}
	if err := EnsureDataset(ctx, bdb, logf); err != nil {
		return err
	}
	if err := ensureBenchAccess(ctx, bdb, cfg); err != nil {
		return err
	}

	// Temporal: a fresh in-memory dev server for the run.
	logf("starting a Temporal dev server for the run…")
	ds, err := testsuite.StartDevServer(ctx, testsuite.DevServerOptions{ExistingPath: o.TemporalCLI, LogLevel: "error",
		ExtraArgs: []string{"--search-attribute", "OrgId=Keyword", "--search-attribute", "PhoneNumber=Keyword", "--search-attribute", "NumberId=Keyword"}})
	if err != nil {
		return fmt.Errorf("temporal dev server: %w", err)
	}
	defer ds.Stop()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	addr := ln.Addr().String()
	ln.Close()
	cfg.DatabaseURL = dsn
	cfg.HTTPAddr = addr
	cfg.PublicURL = "http://" + addr
	cfg.TemporalAddress = ds.FrontendHostPort()
	cfg.TemporalNamespace = "default"
	cfg.TwilioBaseURL = "http://127.0.0.1:1" // no provider calls are expected on the inbound path
	// The bench is one client measuring as fast as it can: the API's rate
	// limits would measure themselves.
	cfg.APIRatePerSession, cfg.APIRatePerIP = 0, 0
	quiet := slog.New(slog.NewJSONHandler(io.Discard, nil))
	a, err := app.New(ctx, cfg, quiet)
	if err != nil {
		return err
	}
	defer a.Close()
	runCtx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for _, run := range []func(context.Context) error{a.RunWorker, a.RunAPI} {
		wg.Add(1)
		go func(run func(context.Context) error) {
			defer wg.Done()
			if err := run(runCtx); err != nil {
				logf("process stopped: %v", err)
			}
		}(run)
	}
	defer func() { cancel(); wg.Wait() }()
	base := "http://" + addr
	if err := waitHTTP(ctx, base+"/healthz"); err != nil {
		return err
	}
	token, err := login(base)
	if err != nil {
		return err
	}

	logf("\n== Inbox at %d threads / %d messages (%d queries each, through the HTTP API) ==", DatasetThreads, DatasetMessages, o.Queries)
	cases := []struct{ name, query string }{
		{"list: newest first", ""},
		{"list: unread", "unread=true"},
		{"list: by sitter", "sitterId="},
		{"list: delivery failures", "failures=true"},
		{"list: page 3 via cursor", "cursor"},
		{"search: message text", "q=squeaky"},
		{"search: client name", "q=Tanaka"},
		{"search: sitter name", "q=Nakamura"},
		{"search: phone digits", "q=6302004242"},
	}
	var sitterID string
	if err := bdb.NewRaw("SELECT id::text FROM sitters WHERE org_id = ? ORDER BY name LIMIT 1", BenchOrgID).Scan(ctx, &sitterID); err == nil {
		cases[2].query = "sitterId=" + sitterID
	}
	fmt.Fprintf(w, "%-28s %9s %9s %9s\n", "case", "p50", "p95", "max")
	var listP95, searchP95 time.Duration
	for _, c := range cases {
		lat, err := measureList(base, token, c.query, o.Queries)
		if err != nil {
			return fmt.Errorf("%s: %w", c.name, err)
		}
		p50, p95, pmax := percentile(lat, 0.50), percentile(lat, 0.95), percentile(lat, 1)
		fmt.Fprintf(w, "%-28s %9s %9s %9s\n", c.name, ms(p50), ms(p95), ms(pmax))
		if strings.HasPrefix(c.name, "list") && p95 > listP95 {
			listP95 = p95
		}
		if strings.HasPrefix(c.name, "search") && p95 > searchP95 {
			searchP95 = p95
		}
	}
	fmt.Fprintf(w, "worst list p95 %s (goal ≤ 30 ms: %s); worst search p95 %s (goal ≤ 100 ms: %s)\n",
		ms(listP95), verdict(listP95 <= 30*time.Millisecond), ms(searchP95), verdict(searchP95 <= 100*time.Millisecond))

	logf("\n== Inbound pipeline: signed webhooks → API → Temporal → PostgreSQL (%s, %d senders) ==", o.WebhookDuration, o.Concurrency)
	pipe, err := fireWebhooks(ctx, bdb, base, o.WebhookDuration, o.Concurrency)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "webhooks sent %d (of which %d duplicate deliveries of an already-sent MessageSid)\n", pipe.sent, pipe.duplicates)
	fmt.Fprintf(w, "acknowledgement      p50 %s  p99 %s\n", ms(percentile(pipe.ack, 0.5)), ms(percentile(pipe.ack, 0.99)))
	fmt.Fprintf(w, "visible in inbox     p50 %s  p99 %s  (polled every %s)\n", ms(percentile(pipe.visible, 0.5)), ms(percentile(pipe.visible, 0.99)), pollEvery)
	fmt.Fprintf(w, "throughput           %.1f messages/s\n", pipe.rate)
	fmt.Fprintf(w, "lost %d (not in the inbox %s after the last webhook), duplicated %d, non-2xx acknowledgements %d\n", pipe.lost, settleTime, pipe.duplicated, pipe.errors)

	logf("\n== Floor: the same rows written straight to PostgreSQL, no workflow (%d writers) ==", o.Concurrency)
	floor, err := floorWrites(ctx, bdb, pipe.unique, o.Concurrency)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "throughput           %.1f messages/s (%d messages)\n", floor, pipe.unique)
	if floor > 0 {
		fmt.Fprintf(w, "pipeline / floor     %.2f (the durable workflow path runs at %.0f%% of raw PostgreSQL inserts)\n", pipe.rate/floor, 100*pipe.rate/floor)
	}
	return nil
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000) }

func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := int(float64(len(s)-1) * p)
	return s[i]
}

func waitHTTP(ctx context.Context, u string) error {
	for i := 0; i < 100; i++ {
		if resp, err := http.Get(u); err == nil {
			resp.Body.Close()
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return fmt.Errorf("%s did not answer", u)
}

func login(base string) (string, error) {
	b, _ := json.Marshal(map[string]string{"email": benchOwnerEmail, "password": benchPassword})
	resp, err := http.Post(base+"/api/v1/auth/login", "application/json", bytes.NewReader(b))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var v struct{ Token string }
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil || v.Token == "" {
		return "", fmt.Errorf("bench login failed (%d)", resp.StatusCode)
	}
	return v.Token, nil
}

func measureList(base, token, query string, n int) ([]time.Duration, error) {
	client := &http.Client{Timeout: 10 * time.Second}
	get := func(q string) (string, time.Duration, error) {
		req, _ := http.NewRequest("GET", base+"/api/v1/threads?"+q, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return "", 0, err
		}
		var v struct {
			NextCursor string `json:"nextCursor"`
		}
		err = json.NewDecoder(resp.Body).Decode(&v)
		resp.Body.Close()
		d := time.Since(start)
		if resp.StatusCode != 200 {
			return "", 0, fmt.Errorf("GET /api/v1/threads?%s: %d", q, resp.StatusCode)
		}
		return v.NextCursor, d, err
	}
	var out []time.Duration
	for i := 0; i < n; i++ {
		if query == "cursor" {
			c1, _, err := get("")
			if err != nil {
				return nil, err
			}
			c2, _, err := get("cursor=" + url.QueryEscape(c1))
			if err != nil {
				return nil, err
			}
			_, d, err := get("cursor=" + url.QueryEscape(c2))
			if err != nil {
				return nil, err
			}
			out = append(out, d)
			continue
		}
		_, d, err := get(query)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// ensureBenchAccess gives the bench org an owner and a provider account so
// its webhooks are signed and its inbox can be read.
func ensureBenchAccess(ctx context.Context, bdb *bun.DB, cfg config.Config) error {
	hash, err := auth.HashPassword(benchPassword)
	if err != nil {
		return err
	}
	uid := uuid.NewMD5(BenchOrgID, []byte("owner"))
	if _, err := bdb.NewInsert().Model(&store.User{ID: uid, Email: benchOwnerEmail, Name: "Bench Owner", PasswordHash: hash}).
		On("CONFLICT (email) DO UPDATE").Set("password_hash = EXCLUDED.password_hash").Exec(ctx); err != nil {
		return err
	}
	if _, err := bdb.NewInsert().Model(&store.Membership{OrgID: BenchOrgID, UserID: uid, Role: store.RoleOwner}).On("CONFLICT DO NOTHING").Exec(ctx); err != nil {
		return err
	}
	box, err := secrets.NewBox(cfg.EncryptionKeys)
	if err != nil {
		return err
	}
	dir := orgprovider.New(store.New(bdb), box, "")
	ct, keyID, err := dir.Seal(BenchOrgID, orgprovider.Secret{Secret: benchAuthToken})
	if err != nil {
		return err
	}
	_, err = bdb.NewInsert().Model(&store.ProviderAccount{OrgID: BenchOrgID, AccountSID: benchAccountSID, SecretCiphertext: ct, SecretKeyID: keyID}).
		On("CONFLICT (org_id) DO UPDATE").Set("secret_ciphertext = EXCLUDED.secret_ciphertext, secret_key_id = EXCLUDED.secret_key_id").Exec(ctx)
	if err != nil {
		return err
	}
	// Clear the previous run's webhook traffic so counts are this run's.
	if _, err := bdb.NewRaw("DELETE FROM messages WHERE org_id = ? AND provider_sid LIKE 'SMb0%'", BenchOrgID).Exec(ctx); err != nil {
		return err
	}
	_, err = bdb.NewRaw("DELETE FROM webhook_receipts WHERE org_id = ?", BenchOrgID).Exec(ctx)
	return err
}

const pollEvery = 20 * time.Millisecond

// settleTime is how long after the last webhook a message may still appear
// before it counts as lost.
const settleTime = 3 * time.Minute

type pipelineResult struct {
	sent, duplicates, unique, lost, duplicated, errors int
	ack, visible                                       []time.Duration
	rate                                               float64
}

func fireWebhooks(ctx context.Context, bdb *bun.DB, base string, d time.Duration, conc int) (*pipelineResult, error) {
	res := &pipelineResult{}
	var mu sync.Mutex
	sentAt := map[string]time.Time{}
	var seq atomic.Int64
	var errs atomic.Int64
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: conc}}
	hookURL := base + "/webhooks/twilio/sms"
	post := func(sid string, n int64) (time.Duration, error) {
		form := url.Values{
			"MessageSid": {sid}, "SmsSid": {sid}, "SmsMessageSid": {sid}, "AccountSid": {benchAccountSID},
			"From": {clientNumber(1 + n%DatasetThreads)}, "To": {businessNumber(n % 251)},
			"Body": {"Bench text " + strconv.FormatInt(n, 10) + ": is the walk still on for today?"}, "NumMedia": {"0"}, "NumSegments": {"1"},
			"SmsStatus": {"received"}, "ApiVersion": {"2010-04-01"},
		}
		req, _ := http.NewRequest("POST", hookURL, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set(provider.SignatureHeader, provider.Sign(benchAuthToken, hookURL, form))
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode/100 != 2 {
			return 0, fmt.Errorf("status %d", resp.StatusCode)
		}
		return time.Since(start), nil
	}
	deadline := time.Now().Add(d)
	first := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < conc; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) && ctx.Err() == nil {
				n := seq.Add(1)
				sid := fmt.Sprintf("SMb0%030x", n)
				mu.Lock()
				if _, dup := sentAt[sid]; !dup {
					sentAt[sid] = time.Now()
				}
				mu.Unlock()
				lat, err := post(sid, n)
				if err != nil {
					errs.Add(1)
					continue
				}
				mu.Lock()
				res.ack = append(res.ack, lat)
				res.sent++
				mu.Unlock()
				// Every 20th webhook is delivered a second time, as Twilio may.
				if n%20 == 0 {
					if _, err := post(sid, n); err == nil {
						mu.Lock()
						res.sent++
						res.duplicates++
						mu.Unlock()
					}
				}
			}
		}()
	}
	// Watch the inbox while sending.
	seen := map[string]time.Time{}
	var lastSeen time.Time
	poll := func() error {
		var rows []struct {
			SID string `bun:"provider_sid"`
		}
		err := bdb.NewRaw("SELECT provider_sid FROM messages WHERE org_id = ? AND provider_sid LIKE 'SMb0%'", BenchOrgID).Scan(ctx, &rows)
		if err != nil {
			return err
		}
		now := time.Now()
		for _, r := range rows {
			if _, ok := seen[r.SID]; !ok {
				seen[r.SID] = now
				lastSeen = now
			}
		}
		return nil
	}
	sendDone := make(chan struct{})
	go func() { wg.Wait(); close(sendDone) }()
	settle := time.Time{}
	for {
		if err := poll(); err != nil {
			return nil, err
		}
		select {
		case <-sendDone:
			if settle.IsZero() {
				settle = time.Now().Add(settleTime)
			}
		default:
		}
		mu.Lock()
		total := len(sentAt)
		mu.Unlock()
		if !settle.IsZero() && (len(seen) >= total || time.Now().After(settle)) {
			break
		}
		time.Sleep(pollEvery)
	}
	mu.Lock()
	defer mu.Unlock()
	res.unique = len(sentAt)
	res.errors = int(errs.Load())
	for sid, at := range sentAt {
		if v, ok := seen[sid]; ok {
			res.visible = append(res.visible, v.Sub(at))
		} else {
			res.lost++
		}
	}
	var dupRows int
	if err := bdb.NewRaw("SELECT count(*) - count(DISTINCT provider_sid) FROM messages WHERE org_id = ? AND provider_sid LIKE 'SMb0%'", BenchOrgID).Scan(ctx, &dupRows); err != nil {
		return nil, err
	}
	res.duplicated = dupRows
	if span := lastSeen.Sub(first); span > 0 {
		res.rate = float64(len(seen)) / span.Seconds()
	}
	return res, nil
}

// floorWrites writes n inbound messages the way the pipeline's activities
// end up writing them (receipt, client, thread, message, thread counters,
// audit) but directly, with no HTTP, no signature check and no workflow.
func floorWrites(ctx context.Context, bdb *bun.DB, n, conc int) (float64, error) {
	if n == 0 {
		return 0, nil
	}
	var seq atomic.Int64
	start := time.Now()
	var wg sync.WaitGroup
	var firstErr atomic.Value
	for i := 0; i < conc; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := seq.Add(1)
				if k > int64(n) {
					return
				}
				if err := floorOne(ctx, bdb, k); err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if e, ok := firstErr.Load().(error); ok && e != nil {
		return 0, e
	}
	rate := float64(n) / time.Since(start).Seconds()
	_, err := bdb.NewRaw("DELETE FROM messages WHERE org_id = ? AND provider_sid LIKE 'FLOOR%'", BenchOrgID).Exec(ctx)
	if err == nil {
		_, err = bdb.NewRaw("DELETE FROM webhook_receipts WHERE org_id = ? AND message_sid LIKE 'FLOOR%'", BenchOrgID).Exec(ctx)
	}
	return rate, err
}

func floorOne(ctx context.Context, bdb *bun.DB, k int64) error {
	sid := fmt.Sprintf("FLOOR%029x", k)
	from := clientNumber(1 + k%DatasetThreads)
	body := "Bench text " + strconv.FormatInt(k, 10) + ": is the walk still on for today?"
	return bdb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewRaw(`INSERT INTO webhook_receipts (id, org_id, kind, dedupe_key, message_sid, payload, correlation_id, dispatched_at, processed_at)
VALUES (?, ?, 'sms', ?, ?, ?, ?, now(), now()) ON CONFLICT DO NOTHING`, store.NewID(), BenchOrgID, sid, sid, `{"Body":"`+body+`"}`, sid).Exec(ctx); err != nil {
			return err
		}
		var clientID uuid.UUID
		if err := tx.NewRaw(`INSERT INTO clients (id, org_id, name, phone_e164) VALUES (?, ?, ?, ?)
ON CONFLICT (org_id, phone_e164) DO UPDATE SET name = clients.name RETURNING id`, store.NewID(), BenchOrgID, from, from).Scan(ctx, &clientID); err != nil {
			return err
		}
		var threadID uuid.UUID
		if err := tx.NewRaw(`INSERT INTO threads (id, org_id, client_id, number_id) VALUES (?, ?, ?, (SELECT id FROM phone_numbers WHERE org_id = ? AND e164 = ?))
ON CONFLICT (org_id, client_id, number_id) DO UPDATE SET last_message_at = now() RETURNING id`, store.NewID(), BenchOrgID, clientID, BenchOrgID, businessNumber(k%251)).Scan(ctx, &threadID); err != nil {
			return err
		}
		if _, err := tx.NewRaw(`INSERT INTO messages (id, org_id, thread_id, direction, sender_type, body, status, provider_sid, from_e164, routing, media)
VALUES (?, ?, ?, 'inbound', 'client', ?, 'received', ?, ?, '{"rule":"owner_inbox"}', '[]')`, store.NewID(), BenchOrgID, threadID, body, sid, from).Exec(ctx); err != nil {
			return err
		}
		if _, err := tx.NewRaw(`UPDATE threads SET last_message_at = now(), last_message_preview = ?, owner_unread_count = owner_unread_count + 1 WHERE org_id = ? AND id = ?`, body, BenchOrgID, threadID).Exec(ctx); err != nil {
			return err
		}
		_, err := tx.NewRaw(`INSERT INTO audit_events (org_id, actor_type, action, entity_type, entity_id, correlation_id) VALUES (?, 'provider', 'message.received', 'message', ?, ?)`, BenchOrgID, sid, sid).Exec(ctx)
		return err
	})
}

// DefaultOptions reads the run size from the environment.
func DefaultOptions() Options {
	o := Options{Database: "snout_bench", Queries: 200, WebhookDuration: 20 * time.Second, Concurrency: 16,
		TemporalCLI: filepath.Join("bin", "temporal"), Out: os.Stdout}
	if v, err := time.ParseDuration(os.Getenv("SNOUT_BENCH_DURATION")); err == nil && v > 0 {
		o.WebhookDuration = v
	}
	if v, err := strconv.Atoi(os.Getenv("SNOUT_BENCH_CONCURRENCY")); err == nil && v > 0 {
		o.Concurrency = v
	}
	if v, err := strconv.Atoi(os.Getenv("SNOUT_BENCH_QUERIES")); err == nil && v > 0 {
		o.Queries = v
	}
	return o
}

// clientNumber and businessNumber are the dataset's numbers (valid NANP:
// exchanges 200 and 550).
func clientNumber(i int64) string   { return fmt.Sprintf("+1630%d", 2000000+i) }
func businessNumber(i int64) string { return fmt.Sprintf("+162955%05d", i) }
