// Package seed fills a database with the demo org used by `snout dev`: an
// owner, an admin, two sitters, clients, the business's numbers, assignment
// windows and a few conversations. It is idempotent: rows have stable IDs and
// re-running refreshes the demo password and renews the windows that have
// finished (the others belong to their workflows; see seeder.window).
package seed

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/domain/message"
	"github.com/snoutos/snout/internal/domain/routing"
	"github.com/snoutos/snout/internal/domain/segments"
	"github.com/snoutos/snout/internal/platform/auth"
	"github.com/snoutos/snout/internal/platform/config"
	"github.com/snoutos/snout/internal/platform/secrets"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/internal/twilio/orgprovider"
)

// Result says how to sign in to the demo.
type Result struct {
	OrgID             uuid.UUID
	OtherOrgID        uuid.UUID
	OwnerEmail        string
	AdminEmail        string
	SitterEmails      []string
	OtherOwnerEmail   string
	Password          string
	PasswordGenerated bool
	PasswordFile      string
}

// Print writes the demo logins.
func (r *Result) Print(w io.Writer) {
	fmt.Fprintf(w, "Demo org %q (id %s)\n", "Happy Tails Pet Sitting", r.OrgID)
	fmt.Fprintf(w, "  owner:   %s\n  admin:   %s\n  sitters: %s\n", r.OwnerEmail, r.AdminEmail, strings.Join(r.SitterEmails, ", "))
	fmt.Fprintf(w, "  another org's owner (to see org isolation): %s\n", r.OtherOwnerEmail)
	switch {
	case r.PasswordGenerated:
		fmt.Fprintf(w, "  password for every demo login: %s   (generated; kept in %s; set SNOUT_DEMO_PASSWORD to choose one)\n", r.Password, r.PasswordFile)
	default:
		fmt.Fprintf(w, "  password for every demo login: %s\n", r.Password)
	}
}

// ID derives a stable UUID for a demo row.
func ID(name string) uuid.UUID {
	return uuid.NewSHA1(uuid.MustParse("6f1d7c62-4a0e-4c55-9a55-8f2c1b0d5e11"), []byte(name))
}

// Demo numbers (the 555-01xx range is reserved for fiction).
const (
	FrontDeskNumber = "+14155550100"
	SamNumber       = "+14155550101"
	RileyNumber     = "+14155550102"
	PoolNumber1     = "+14155550103"
	PoolNumber2     = "+14155550104"
	OtherOrgNumber  = "+14155550199"
)

type person struct{ key, name, phone string }

var demoClients = []person{
	{"avery", "Avery Johnson", "+16505550101"},
	{"blake", "Blake Martinez", "+16505550102"},
	{"casey", "Casey Nguyen", "+16505550103"},
	{"dana", "Dana Okafor", "+16505550104"},
	{"emerson", "Emerson Lee", "+16505550105"},
	{"frankie", "Frankie Rossi", "+16505550106"},
	{"gray", "Gray Williams", "+16505550107"},
	{"harper", "Harper Singh", "+16505550108"},
}

func demoPassword(cfg config.Config) (pw string, generated bool, file string, err error) {
	file = filepath.Join(cfg.DataDir, "demo-password")
	if cfg.DemoPassword != "" {
		return cfg.DemoPassword, false, "", nil
	}
	if b, err := os.ReadFile(file); err == nil && len(strings.TrimSpace(string(b))) >= auth.MinPasswordLength {
		return strings.TrimSpace(string(b)), true, file, nil
	}
	pw = auth.RandomPassword()
	if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
		return "", false, "", err
	}
	if err := os.WriteFile(file, []byte(pw+"\n"), 0o600); err != nil {
		return "", false, "", err
	}
	return pw, true, file, nil
}

// Demo creates or refreshes the demo orgs.
func Demo(ctx context.Context, db *bun.DB, cfg config.Config, log *slog.Logger) (*Result, error) {
	pw, generated, file, err := demoPassword(cfg)
	if err != nil {
		return nil, err
	}
	if len(pw) < auth.MinPasswordLength {
		return nil, &config.Error{Variable: "SNOUT_DEMO_PASSWORD", Reason: auth.ErrWeakPassword.Error()}
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return nil, err
	}
	box, err := secrets.NewBox(cfg.EncryptionKeys)
	if err != nil {
		return nil, err
	}
	res := &Result{OrgID: ID("org/demo"), OtherOrgID: ID("org/other"), OwnerEmail: "owner@demo.test", AdminEmail: "admin@demo.test",
		SitterEmails: []string{"sam@demo.test", "riley@demo.test"}, OtherOwnerEmail: "owner@other.test",
		Password: pw, PasswordGenerated: generated, PasswordFile: file}
	now := time.Now().UTC().Truncate(time.Minute)
	dir := orgprovider.New(store.New(db), box, cfg.TwilioBaseURL)
	err = db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		s := &seeder{tx: tx, hash: hash, now: now, dir: dir}
		if err := s.demoOrg(ctx, cfg); err != nil {
			return err
		}
		return s.otherOrg(ctx)
	})
	if err != nil {
		return nil, err
	}
	log.Info("demo data ready", "orgId", res.OrgID)
	return res, nil
}

type seeder struct {
	tx   bun.Tx
	hash string
	now  time.Time
	dir  *orgprovider.Directory
}

func (s *seeder) upsert(ctx context.Context, model any, conflict string) error {
	on := "CONFLICT DO NOTHING"
	if conflict != "" {
		on = "CONFLICT " + conflict + " DO NOTHING"
	}
	_, err := s.tx.NewInsert().Model(model).On(on).Exec(ctx)
	return err
}

func (s *seeder) user(ctx context.Context, orgID uuid.UUID, email, name, role string) (uuid.UUID, error) {
	id := ID("user/" + email)
	if err := s.upsert(ctx, &store.User{ID: id, Email: email, Name: name, PasswordHash: s.hash}, "(email)"); err != nil {
		return id, err
	}
	// Keep the printed password true on every run.
	if _, err := s.tx.NewUpdate().Model((*store.User)(nil)).Set("password_hash = ?", s.hash).Where("email = ?", email).Exec(ctx); err != nil {
		return id, err
	}
	if err := s.tx.NewSelect().Model((*store.User)(nil)).Column("id").Where("email = ?", email).Scan(ctx, &id); err != nil {
		return id, err
	}
	return id, s.upsert(ctx, &store.Membership{OrgID: orgID, UserID: id, Role: role}, "(org_id, user_id)")
}

func (s *seeder) demoOrg(ctx context.Context, cfg config.Config) error {
	orgID := ID("org/demo")
	if err := s.upsert(ctx, &store.Org{ID: orgID, Name: "Happy Tails Pet Sitting", Slug: "demo", Timezone: "America/Los_Angeles",
		HelpText: "Happy Tails Pet Sitting: text us here any time, or email hello@happytails.example. Reply STOP to opt out."}, "(id)"); err != nil {
		return err
	}
	if _, err := s.user(ctx, orgID, "owner@demo.test", "Morgan Reyes", store.RoleOwner); err != nil {
		return err
	}
	if _, err := s.user(ctx, orgID, "admin@demo.test", "Jamie Chen", store.RoleAdmin); err != nil {
		return err
	}
	sitters := map[string]uuid.UUID{}
	for _, sp := range []struct{ key, email, name, phone string }{
		{"sam", "sam@demo.test", "Sam Patel", "+16505550191"},
		{"riley", "riley@demo.test", "Riley Brooks", "+16505550192"},
	} {
		uid, err := s.user(ctx, orgID, sp.email, sp.name, store.RoleSitter)
		if err != nil {
			return err
		}
		id := ID("sitter/" + sp.key)
		sitters[sp.key] = id
		if err := s.upsert(ctx, &store.Sitter{ID: id, OrgID: orgID, UserID: &uid, Name: sp.name, PhoneE164: sp.phone, Active: true}, "(id)"); err != nil {
			return err
		}
	}
	clients := map[string]uuid.UUID{}
	for _, c := range demoClients {
		id := ID("client/" + c.key)
		clients[c.key] = id
		if err := s.upsert(ctx, &store.Client{ID: id, OrgID: orgID, Name: c.name, PhoneE164: c.phone}, "(id)"); err != nil {
			return err
		}
	}
	// Provider account: the simulator's demo account (or a real one from
	// SNOUT_DEMO_TWILIO_*), sealed like any connected account.
	ct, keyID, err := s.dir.Seal(orgID, orgprovider.Secret{Secret: cfg.DemoTwilioAuthToken})
	if err != nil {
		return err
	}
	if _, err := s.tx.NewInsert().Model(&store.ProviderAccount{OrgID: orgID, AccountSID: cfg.DemoTwilioAccountSID, SecretCiphertext: ct, SecretKeyID: keyID, FriendlyName: "Demo account"}).
		On("CONFLICT (org_id) DO UPDATE").Set("account_sid = EXCLUDED.account_sid, secret_ciphertext = EXCLUDED.secret_ciphertext, secret_key_id = EXCLUDED.secret_key_id").Exec(ctx); err != nil {
		return err
	}
	if err := s.setupFinished(ctx, orgID); err != nil {
		return err
	}
	samID, rileyID := sitters["sam"], sitters["riley"]
	numbers := []store.PhoneNumber{
		{ID: ID("number/front"), E164: FrontDeskNumber, Class: store.ClassFrontDesk, FriendlyName: "Front desk"},
		{ID: ID("number/sam"), E164: SamNumber, Class: store.ClassSitter, SitterID: &samID, FriendlyName: "Sam's line"},
		{ID: ID("number/riley"), E164: RileyNumber, Class: store.ClassSitter, SitterID: &rileyID, FriendlyName: "Riley's line"},
		{ID: ID("number/pool1"), E164: PoolNumber1, Class: store.ClassPool, FriendlyName: "Pool 1"},
		{ID: ID("number/pool2"), E164: PoolNumber2, Class: store.ClassPool, FriendlyName: "Pool 2"},
	}
	for i := range numbers {
		n := &numbers[i]
		n.OrgID, n.Status, n.WebhookStatus, n.MonthlyCost = orgID, store.NumberActive, "pending", "1.15"
		if err := s.upsert(ctx, n, ""); err != nil {
			return err
		}
	}
	// Windows: Sam is with Avery now; Riley with Blake now; Sam visits Casey
	// tomorrow; Riley's stay with Dana ended last week.
	day := 24 * time.Hour
	windows := []store.AssignmentWindow{
		{ID: ID("window/sam-avery"), SitterID: samID, ClientID: clients["avery"], StartsAt: s.now.Add(-2 * time.Hour), EndsAt: s.now.Add(3 * day), Note: "Biscuit (beagle): two walks a day"},
		{ID: ID("window/riley-blake"), SitterID: rileyID, ClientID: clients["blake"], StartsAt: s.now.Add(-day), EndsAt: s.now.Add(2 * day), Note: "Mochi and Pixel (cats): feeding and litter"},
		{ID: ID("window/sam-casey"), SitterID: samID, ClientID: clients["casey"], StartsAt: s.now.Add(day), EndsAt: s.now.Add(4 * day), Note: "Luna (husky): overnight stays"},
		{ID: ID("window/riley-dana"), SitterID: rileyID, ClientID: clients["dana"], StartsAt: s.now.Add(-9 * day), EndsAt: s.now.Add(-6 * day), Note: "Pepper (parrot)"},
	}
	for i := range windows {
		windows[i].OrgID = orgID
		if err := s.window(ctx, &windows[i]); err != nil {
			return err
		}
	}
	// Conversations.
	type line struct {
		inbound bool
		sender  string
		body    string
		ago     time.Duration
	}
	convs := []struct {
		key, client, number string
		sitter              *uuid.UUID
		lines               []line
	}{
		{"avery-sam", "avery", "sam", &samID, []line{
			{true, store.SenderClient, "Hi Sam! Biscuit's food is in the pantry, one scoop morning and night.", 90 * time.Minute},
			{false, store.SenderSitter, "Got it! We just got back from our first walk, he was very happy to see me.", 80 * time.Minute},
			{true, store.SenderClient, "Amazing, thank you! Could you send a photo later?", 20 * time.Minute},
		}},
		{"blake-riley", "blake", "riley", &rileyID, []line{
			{true, store.SenderClient, "Mochi sometimes hides under the bed, don't worry if you can't find her.", 26 * time.Hour},
			{false, store.SenderSitter, "Found her! Both cats fed, litter done.", 25 * time.Hour},
		}},
		{"emerson-front", "emerson", "front", nil, []line{
			{true, store.SenderClient, "Do you have availability Dec 20-27 for two dogs?", 3 * time.Hour},
			{false, store.SenderOwner, "We do! I'll send over the booking details shortly.", 2 * time.Hour},
			{true, store.SenderClient, "Great, thanks 🙂", 110 * time.Minute},
		}},
		{"frankie-front", "frankie", "front", nil, []line{
			{true, store.SenderClient, "Can I change my drop-in to 5pm tomorrow?", 40 * time.Minute},
		}},
	}
	numberIDs := map[string]uuid.UUID{"front": ID("number/front"), "sam": ID("number/sam"), "riley": ID("number/riley")}
	numberByKey := map[string]store.PhoneNumber{"front": numbers[0], "sam": numbers[1], "riley": numbers[2]}
	sitterNames := map[uuid.UUID]string{samID: "Sam Patel", rileyID: "Riley Brooks"}
	routingWindows := make([]routing.Window, 0, len(windows))
	for _, w := range windows {
		routingWindows = append(routingWindows, routing.Window{ID: w.ID.String(), SitterID: w.SitterID.String(), ClientID: w.ClientID.String(), StartsAt: w.StartsAt, EndsAt: w.EndsAt})
	}
	numberE164 := map[string]string{"front": FrontDeskNumber, "sam": SamNumber, "riley": RileyNumber}
	clientPhone := map[string]string{}
	for _, c := range demoClients {
		clientPhone[c.key] = c.phone
	}
	for _, cv := range convs {
		tid := ID("thread/" + cv.key)
		last := cv.lines[len(cv.lines)-1]
		unread, sitterUnread := 0, 0
		for _, l := range cv.lines {
			if l.inbound {
				unread++
				if cv.sitter != nil {
					sitterUnread++
				}
			} else {
				unread, sitterUnread = 0, 0
			}
		}
		th := &store.Thread{ID: tid, OrgID: orgID, ClientID: clients[cv.client], NumberID: numberIDs[cv.number], AssignedSitterID: cv.sitter,
			LastMessageAt: s.now.Add(-last.ago), LastMessagePreview: preview(last.body), OwnerUnreadCount: unread, SitterUnreadCount: sitterUnread}
		if err := s.upsert(ctx, th, ""); err != nil {
			return err
		}
		for i, l := range cv.lines {
			info := segments.Analyze(l.body)
			m := &store.Message{ID: ID(fmt.Sprintf("message/%s/%d", cv.key, i)), OrgID: orgID, ThreadID: tid, Body: l.body, SenderType: l.sender,
				Encoding: string(info.Encoding), Segments: info.Segments, CreatedAt: s.now.Add(-l.ago), UpdatedAt: s.now.Add(-l.ago), Media: []message.MediaItem{}}
			if l.inbound {
				m.Direction, m.Status = store.DirectionInbound, store.StatusReceived
				m.FromE164, m.ToE164 = clientPhone[cv.client], numberE164[cv.number]
				m.RoutedToSitterID = cv.sitter
				trace, _ := demoRoute(m.CreatedAt, tid, clients[cv.client], numberByKey[cv.number], routingWindows, sitterNames)
				if m.Routing, err = json.Marshal(trace); err != nil {
					return err
				}
			} else {
				m.Direction, m.Status, m.Attempts = store.DirectionOutbound, store.StatusDelivered, 1
				m.FromE164, m.ToE164 = numberE164[cv.number], clientPhone[cv.client]
				if l.sender == store.SenderSitter {
					m.SenderSitterID = cv.sitter
				}
			}
			if err := s.upsert(ctx, m, ""); err != nil {
				return err
			}
		}
	}
	return s.demoInbox(ctx, orgID)
}

// otherOrg is a second, separate business: its IDs answer 404 to the demo org.
func (s *seeder) otherOrg(ctx context.Context) error {
	orgID := ID("org/other")
	if err := s.upsert(ctx, &store.Org{ID: orgID, Name: "Whisker Watch", Slug: "other"}, "(id)"); err != nil {
		return err
	}
	if _, err := s.user(ctx, orgID, "owner@other.test", "Quinn Harlow", store.RoleOwner); err != nil {
		return err
	}
	if err := s.setupFinished(ctx, orgID); err != nil {
		return err
	}
	cid := ID("client/other/zoe")
	if err := s.upsert(ctx, &store.Client{ID: cid, OrgID: orgID, Name: "Zoe Park", PhoneE164: "+16505550180"}, "(id)"); err != nil {
		return err
	}
	nid := ID("number/other/front")
	if err := s.upsert(ctx, &store.PhoneNumber{ID: nid, OrgID: orgID, E164: OtherOrgNumber, Class: store.ClassFrontDesk, Status: store.NumberActive, WebhookStatus: "pending", FriendlyName: "Front desk"}, ""); err != nil {
		return err
	}
	tid := ID("thread/other/zoe")
	if err := s.upsert(ctx, &store.Thread{ID: tid, OrgID: orgID, ClientID: cid, NumberID: nid, LastMessageAt: s.now, LastMessagePreview: "Is Saturday still on?", OwnerUnreadCount: 1}, ""); err != nil {
		return err
	}
	return s.upsert(ctx, &store.Message{ID: ID("message/other/zoe/0"), OrgID: orgID, ThreadID: tid, Direction: store.DirectionInbound, SenderType: store.SenderClient,
		Body: "Is Saturday still on?", Status: store.StatusReceived, Encoding: "GSM-7", Segments: 1, FromE164: "+16505550180", ToE164: OtherOrgNumber, Media: []message.MediaItem{}}, "")
}

// setupFinished records the org's setup wizard as completed, every step
// done, as the wizard leaves it: the seed has connected the account and
// bought the numbers itself. A wizard state already saved is kept.
func (s *seeder) setupFinished(ctx context.Context, orgID uuid.UUID) error {
	st := contract.NewSetupState(orgID, s.now)
	for i := range st.Steps {
		done := s.now
		st.Steps[i].Status, st.Steps[i].CompletedAt = contract.StepDone, &done
	}
	st.CompletedAt = &s.now
	st.RefreshCurrent()
	raw, err := json.Marshal(st)
	if err != nil {
		return err
	}
	_, err = s.tx.NewInsert().Model(&store.SetupProgress{OrgID: orgID, CurrentStep: st.CurrentStep, Steps: raw, CompletedAt: &s.now, UpdatedAt: s.now}).
		On("CONFLICT (org_id) DO NOTHING").Exec(ctx)
	return err
}

// window stores a demo window. Each window is run by its workflow
// (window-<id>), which alone moves its status afterwards; the worker's
// window sweep starts that workflow for every seeded window that has not
// finished (service/windows.Resume), and the new run goes on from the
// stored status: an active window stays active until its end, one to come
// is armed.
//
//   - A new window is stored as its workflow would have left it by now:
//     scheduled, active (the sitter has access) or ended.
//   - An existing window that has not finished is its workflow's: the seed
//     leaves it as it is (times and status), so that the two agree.
//   - An existing finished window (ended, or cancelled in the demo) is
//     renewed with the demo's times, as a new window; the sweep gives it a
//     new run. One that would now overlap a window added since is left
//     finished.
func (s *seeder) window(ctx context.Context, w *store.AssignmentWindow) error {
	w.Status = windowStatus(w.StartsAt, w.EndsAt, s.now)
	sp, err := s.tx.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	_, err = sp.NewInsert().Model(w).On("CONFLICT (id) DO UPDATE").
		Set("starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at, status = EXCLUDED.status").
		Where("?TableAlias.status IN (?, ?)", store.WindowEnded, store.WindowCancelled).Exec(ctx)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23P01" { // exclusion: the client has another sitter then
		return sp.Rollback()
	}
	if err != nil {
		_ = sp.Rollback()
		return fmt.Errorf("window %s: %w", w.ID, err)
	}
	return sp.Commit()
}

func windowStatus(start, end, now time.Time) string {
	switch {
	case now.Before(start):
		return store.WindowScheduled
	case now.Before(end):
		return store.WindowActive
	default:
		return store.WindowEnded
	}
}

func preview(body string) string {
	r := []rune(body)
	if len(r) > 120 {
		return string(r[:117]) + "…"
	}
	return body
}

// ErrNoProvider means the demo org has no provider account to install into.
var ErrNoProvider = errors.New("demo org has no provider account")
