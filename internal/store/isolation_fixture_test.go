package store_test

// The two-org fixture and the harness of the isolation tests
// (isolation_test.go): two orgs that look alike (same org name, same sitter
// and client names, same client phone numbers, the same text in their
// messages, the same alert dedupe keys and audit entities, a sitter who is
// the same person in both) and each holding a released number that is the
// other's live front desk, so that a query missing its org filter finds a
// twin in the other org instead of nothing.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/snoutos/snout/dev/testenv"
	"github.com/snoutos/snout/internal/domain/message"
	"github.com/snoutos/snout/internal/store"
)

// Values both orgs hold.
const (
	sharedOrgName     = "Happy Paws"
	sharedSitterEmail = "sam@both.example.test" // one person, sitter in both orgs
	averyPhone        = "+15551230001"
	blakePhone        = "+15551230002"
	caseyPhone        = "+15551230003"
	sharedEntity      = "shared-entity"
	sharedDedupe      = "number-health/shared"
	sharedCorrelation = "corr-shared"
	sharedAction      = "message.sent"
	invoiceText       = "Your invoice is ready"
)

// orgFix is everything one org of the fixture holds.
type orgFix struct {
	Tag   string // "a" or "b"
	Org   uuid.UUID
	Owner uuid.UUID // the owner's user
	Email string    // the owner's email

	Sam, Jo                    uuid.UUID // sitters (Sam is the shared person)
	Avery, Blake, Casey, Ellis uuid.UUID // clients; Blake has opted out
	EllisPhone                 string    // the one client phone the other org lacks

	// Live numbers, and a released one whose E.164 is the other org's live
	// front desk (it held that number before).
	FrontDesk, SamNumber, Pool, Spare, Released uuid.UUID
	FrontDeskE164, SamE164, PoolE164, SpareE164 string
	ReleasedE164                                string

	// Threads: T1 Avery × front desk, T2 Avery × Sam's number (assigned to
	// Sam), T3 Blake × pool (moved there off the released number, one
	// dead letter, one open violation), T4 Casey × the released number.
	T1, T2, T3, T4 uuid.UUID

	T1In, T1Out, T1Pending, T2In, T2Out, T3DeadLetter, T3Blocked uuid.UUID
	T4Out                                                        [3]uuid.UUID
	T4In                                                         uuid.UUID // Casey texting the released number
	T1InSID, T1OutSID, T2InSID, T2OutSID, T4InSID                string
	T4OutSIDs                                                    [3]string

	OpenViolation, OverriddenViolation  uuid.UUID
	WinEnded, WinActive, WinUpcoming    uuid.UUID // Sam × Avery ended and now, Jo × Blake to come
	Override                            uuid.UUID
	DeadLetterAlert, SharedAlert        uuid.UUID
	ReleasedQuarantine, SpareQuarantine uuid.UUID // finished on Released, cooling down on Spare
	Receipt                             uuid.UUID
	ReceiptKey                          string
	PendingLive, PendingExpired         uuid.UUID
	AccountSID                          string
	OutboxEmail                         uuid.UUID
	Invite, AveryPet                    uuid.UUID // an open admin invitation; Avery's dog
	AuditEvents                         []int64
	markers                             []string // every ID and provider SID of this org
	sharedSitterUser                    uuid.UUID
	now                                 time.Time
}

type fixture struct {
	db   *bun.DB
	now  time.Time
	A, B *orgFix
}

// seedTwoOrgs creates the two orgs on a fresh migrated database.
func seedTwoOrgs(t *testing.T) *fixture {
	t.Helper()
	db, _ := testenv.DB(t)
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	shared := store.NewID()
	if _, err := db.NewInsert().Model(&store.User{ID: shared, Email: sharedSitterEmail, Name: "Sam Rivera", PasswordHash: "x"}).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	a := newOrgFix("a", "+15005550001", "+15005550002", "+15005550003", "+15005550004", "+15005550101", "+15551239001", now, shared)
	b := newOrgFix("b", "+15005550101", "+15005550102", "+15005550103", "+15005550104", "+15005550001", "+15551239002", now, shared)
	for _, o := range []*orgFix{a, b} {
		if err := o.seed(ctx, db); err != nil {
			t.Fatalf("seeding org %s: %v", o.Tag, err)
		}
	}
	return &fixture{db: db, now: now, A: a, B: b}
}

func newOrgFix(tag, fd, sam, pool, spare, released, ellisPhone string, now time.Time, sharedUser uuid.UUID) *orgFix {
	id := func() uuid.UUID { return store.NewID() }
	o := &orgFix{
		Tag: tag, Org: id(), Owner: id(), Email: "owner-" + tag + "@example.test",
		Sam: id(), Jo: id(), Avery: id(), Blake: id(), Casey: id(), Ellis: id(), EllisPhone: ellisPhone,
		FrontDesk: id(), SamNumber: id(), Pool: id(), Spare: id(), Released: id(), Invite: id(), AveryPet: id(),
		FrontDeskE164: fd, SamE164: sam, PoolE164: pool, SpareE164: spare, ReleasedE164: released,
		T1: id(), T2: id(), T3: id(), T4: id(),
		T1In: id(), T1Out: id(), T1Pending: id(), T2In: id(), T2Out: id(), T3DeadLetter: id(), T3Blocked: id(),
		T4Out: [3]uuid.UUID{id(), id(), id()}, T4In: id(), T4InSID: "SM" + tag + "t4in",
		T1InSID: "SM" + tag + "t1in", T1OutSID: "SM" + tag + "t1out2", T2InSID: "SM" + tag + "t2in", T2OutSID: "SM" + tag + "t2out",
		T4OutSIDs:     [3]string{"SM" + tag + "t4o1", "SM" + tag + "t4o2", "SM" + tag + "t4o3"},
		OpenViolation: id(), OverriddenViolation: id(),
		WinEnded: id(), WinActive: id(), WinUpcoming: id(), Override: id(),
		DeadLetterAlert: id(), SharedAlert: id(), ReleasedQuarantine: id(), SpareQuarantine: id(),
		Receipt: id(), ReceiptKey: "SM" + tag + "receipt",
		PendingLive: id(), PendingExpired: id(),
		AccountSID:  "AC" + strings.Repeat(tag, 32),
		OutboxEmail: id(), sharedSitterUser: sharedUser, now: now,
	}
	return o
}

func (o *orgFix) seed(ctx context.Context, db *bun.DB) error {
	now := o.now
	ago := func(d time.Duration) time.Time { return now.Add(-d) }
	ptr := func(s string) *string { return &s }
	code := func(c int) *int { return &c }
	owner := o.Owner
	sam := o.Sam
	var rows []any
	add := func(m ...any) { rows = append(rows, m...) }

	add(&store.Org{ID: o.Org, Name: sharedOrgName, Slug: "happy-paws-" + o.Tag, Timezone: "UTC"},
		&store.User{ID: o.Owner, Email: o.Email, Name: "Olivia Owner", PasswordHash: "x"},
		&store.Membership{OrgID: o.Org, UserID: o.Owner, Role: store.RoleOwner},
		&store.Membership{OrgID: o.Org, UserID: o.sharedSitterUser, Role: store.RoleSitter},
		&store.Sitter{ID: o.Sam, OrgID: o.Org, UserID: &o.sharedSitterUser, Name: "Sam Rivera", PhoneE164: "+15557770001", Active: true},
		&store.Sitter{ID: o.Jo, OrgID: o.Org, Name: "Jo Lee", PhoneE164: "+15557770002", Active: true},
		&store.Client{ID: o.Avery, OrgID: o.Org, Name: "Avery Park", PhoneE164: averyPhone},
		&store.Client{ID: o.Blake, OrgID: o.Org, Name: "Blake Chen", PhoneE164: blakePhone, OptedOutAt: ptrTime(ago(24 * time.Hour)), OptedOutKeyword: "STOP"},
		&store.Client{ID: o.Casey, OrgID: o.Org, Name: "Casey Diaz", PhoneE164: caseyPhone},
		&store.Client{ID: o.Ellis, OrgID: o.Org, Name: "Ellis Ford", PhoneE164: o.EllisPhone},
		&store.PhoneNumber{ID: o.FrontDesk, OrgID: o.Org, E164: o.FrontDeskE164, ProviderSID: "PN" + o.Tag + "fd", Class: store.ClassFrontDesk, Status: store.NumberActive, FriendlyName: "Front desk", WebhookStatus: "installed"},
		&store.PhoneNumber{ID: o.SamNumber, OrgID: o.Org, E164: o.SamE164, ProviderSID: "PN" + o.Tag + "sam", Class: store.ClassSitter, Status: store.NumberActive, SitterID: &sam, FriendlyName: "Sam's line", WebhookStatus: "installed"},
		&store.PhoneNumber{ID: o.Pool, OrgID: o.Org, E164: o.PoolE164, ProviderSID: "PN" + o.Tag + "pool", Class: store.ClassPool, Status: store.NumberActive, FriendlyName: "Pool 1", WebhookStatus: "installed", MonthlyCost: "1.15"},
		&store.PhoneNumber{ID: o.Spare, OrgID: o.Org, E164: o.SpareE164, ProviderSID: "PN" + o.Tag + "spare", Class: store.ClassPool, Status: store.NumberQuarantined, FriendlyName: "Pool 2", WebhookStatus: "installed",
			QuarantinedAt: ptrTime(ago(time.Hour)), CooldownEndsAt: ptrTime(now.Add(72 * time.Hour))},
		&store.PhoneNumber{ID: o.Released, OrgID: o.Org, E164: o.ReleasedE164, ProviderSID: "PN" + o.Tag + "old", Class: store.ClassPool, Status: store.NumberReleased, FriendlyName: "Old pool", WebhookStatus: "installed",
			ReleasedAt: ptrTime(ago(time.Hour))},
		&store.Thread{ID: o.T1, OrgID: o.Org, ClientID: o.Avery, NumberID: o.FrontDesk, LastMessageAt: ago(time.Hour), LastMessagePreview: "Pending: leash by the door", OwnerUnreadCount: 2},
		&store.Thread{ID: o.T2, OrgID: o.Org, ClientID: o.Avery, NumberID: o.SamNumber, AssignedSitterID: &sam, LastMessageAt: ago(40 * time.Minute), LastMessagePreview: "On it", SitterUnreadCount: 1},
		&store.Thread{ID: o.T3, OrgID: o.Org, ClientID: o.Blake, NumberID: o.Pool, LastMessageAt: ago(20 * time.Minute), LastMessagePreview: invoiceText, OpenViolations: 1, FailedDeliveries: 1},
		&store.Thread{ID: o.T4, OrgID: o.Org, ClientID: o.Casey, NumberID: o.Released, LastMessageAt: ago(48 * time.Hour), LastMessagePreview: "See you Tuesday"},
	)
	msg := func(id, thread uuid.UUID, dir, sender, body, from, to, status string, at time.Time) *store.Message {
		return &store.Message{ID: id, OrgID: o.Org, ThreadID: thread, Direction: dir, SenderType: sender, Body: body, Media: []message.MediaItem{},
			FromE164: from, ToE164: to, Status: status, Encoding: "GSM-7", Segments: 1, CreatedAt: at, UpdatedAt: at}
	}
	t1in := msg(o.T1In, o.T1, store.DirectionInbound, store.SenderClient, "Is Biscuit ok for a walk at 5pm?", averyPhone, o.FrontDeskE164, store.StatusReceived, ago(3*time.Hour))
	t1in.ProviderSID = ptr(o.T1InSID)
	t1out := msg(o.T1Out, o.T1, store.DirectionOutbound, store.SenderOwner, "Yes, a walk at 5 works", o.FrontDeskE164, averyPhone, store.StatusDelivered, ago(2*time.Hour))
	t1out.SenderUserID, t1out.ProviderSID, t1out.Attempts = &owner, ptr(o.T1OutSID), 2
	t1pending := msg(o.T1Pending, o.T1, store.DirectionOutbound, store.SenderSitter, "Pending: leash by the door", o.FrontDeskE164, averyPhone, store.StatusPending, ago(time.Hour))
	t1pending.SenderSitterID = &sam
	t2in := msg(o.T2In, o.T2, store.DirectionInbound, store.SenderClient, "Biscuit walk photo please", averyPhone, o.SamE164, store.StatusReceived, ago(50*time.Minute))
	t2in.ProviderSID, t2in.RoutedToSitterID = ptr(o.T2InSID), &sam
	t2in.Routing = json.RawMessage(`{"rule":"sitter_window","reason":"window","target":{"kind":"sitter"},"steps":[]}`)
	t2out := msg(o.T2Out, o.T2, store.DirectionOutbound, store.SenderSitter, "On it", o.SamE164, averyPhone, store.StatusSent, ago(40*time.Minute))
	t2out.SenderSitterID, t2out.ProviderSID, t2out.Attempts = &sam, ptr(o.T2OutSID), 1
	t3dl := msg(o.T3DeadLetter, o.T3, store.DirectionOutbound, store.SenderOwner, invoiceText, o.PoolE164, blakePhone, store.StatusFailed, ago(30*time.Minute))
	t3dl.SenderUserID, t3dl.Attempts, t3dl.ErrorCode, t3dl.ErrorMessage, t3dl.DeadLetteredAt = &owner, 1, code(30003), "Unreachable", ptrTime(ago(25*time.Minute))
	t3blocked := msg(o.T3Blocked, o.T3, store.DirectionOutbound, store.SenderSitter, "call me on my cell", o.PoolE164, blakePhone, store.StatusBlocked, ago(20*time.Minute))
	t3blocked.SenderSitterID = &sam
	add(t1in, t1out, t1pending, t2in, t2out, t3dl, t3blocked)
	for i := range o.T4Out {
		m := msg(o.T4Out[i], o.T4, store.DirectionOutbound, store.SenderOwner, "See you Tuesday", o.ReleasedE164, caseyPhone, store.StatusUndelivered, ago(48*time.Hour-time.Duration(i)*time.Minute))
		m.ProviderSID, m.Attempts, m.ErrorCode = ptr(o.T4OutSIDs[i]), 1, code(30007)
		add(m)
	}
	t4in := msg(o.T4In, o.T4, store.DirectionInbound, store.SenderClient, "Running late, sorry", caseyPhone, o.ReleasedE164, store.StatusReceived, ago(30*time.Minute))
	t4in.ProviderSID = ptr(o.T4InSID)
	add(t4in)
	att := func(msgID uuid.UUID, n int, sid *string, status string, errCode *int, at time.Time) *store.MessageAttempt {
		return &store.MessageAttempt{ID: store.NewID(), OrgID: o.Org, MessageID: msgID, Attempt: n, ProviderSID: sid, Status: status, ErrorCode: errCode, Trigger: "automatic", StartedAt: at, FinishedAt: ptrTime(at.Add(time.Minute))}
	}
	add(att(o.T1Out, 1, nil, store.StatusFailed, code(30003), ago(2*time.Hour)),
		att(o.T1Out, 2, ptr(o.T1OutSID), store.StatusDelivered, nil, ago(2*time.Hour-time.Minute)),
		att(o.T3DeadLetter, 1, nil, store.StatusFailed, code(30003), ago(30*time.Minute)))
	// T1Pending's first send never got an answer (the delivery asks the
	// provider before sending again).
	lost := att(o.T1Pending, 1, nil, store.StatusSending, nil, ago(3*time.Minute))
	lost.FinishedAt = nil
	add(lost)
	t2att := att(o.T2Out, 1, ptr(o.T2OutSID), store.StatusSent, nil, ago(40*time.Minute))
	t2att.FinishedAt = nil
	add(t2att)
	for i := range o.T4Out {
		add(att(o.T4Out[i], 1, ptr(o.T4OutSIDs[i]), store.StatusUndelivered, code(30007), ago(48*time.Hour-time.Duration(i)*time.Minute)))
	}
	excerpts := json.RawMessage(`[{"kind":"phone","excerpt":"call me on my cell","reason":"contact details"}]`)
	add(&store.PolicyViolation{ID: o.OpenViolation, OrgID: o.Org, MessageID: o.T3Blocked, ThreadID: o.T3, SitterID: &sam, Kinds: []string{"phone"}, Excerpts: excerpts, Status: store.ViolationOpen, CreatedAt: ago(20 * time.Minute)},
		&store.PolicyViolation{ID: o.OverriddenViolation, OrgID: o.Org, MessageID: o.T1Pending, ThreadID: o.T1, SitterID: &sam, Kinds: []string{"phone"}, Excerpts: excerpts, Status: store.ViolationOverridden,
			ReviewedBy: &owner, ReviewReason: "fine", ReviewedAt: ptrTime(ago(50 * time.Minute)), CreatedAt: ago(time.Hour)},
		&store.AssignmentWindow{ID: o.WinEnded, OrgID: o.Org, SitterID: o.Sam, ClientID: o.Avery, StartsAt: ago(72 * time.Hour), EndsAt: ago(48 * time.Hour), Status: store.WindowEnded, Note: "weekend"},
		&store.AssignmentWindow{ID: o.WinActive, OrgID: o.Org, SitterID: o.Sam, ClientID: o.Avery, StartsAt: ago(time.Hour), EndsAt: now.Add(2 * time.Hour), Status: store.WindowActive, Note: "walk"},
		&store.AssignmentWindow{ID: o.WinUpcoming, OrgID: o.Org, SitterID: o.Jo, ClientID: o.Blake, StartsAt: now.Add(24 * time.Hour), EndsAt: now.Add(48 * time.Hour), Status: store.WindowScheduled, Note: "visit"},
		&store.RoutingOverride{ID: o.Override, OrgID: o.Org, ThreadID: o.T1, TargetKind: "owner_inbox", StartsAt: ago(time.Hour), EndsAt: now.Add(time.Hour), Reason: "owner covers", CreatedBy: &owner},
		&store.Alert{ID: o.DeadLetterAlert, OrgID: o.Org, Severity: store.SeverityCritical, Kind: store.AlertKindDeliveryFailed, Title: "A text could not be delivered",
			EntityType: "message", EntityID: o.T3DeadLetter.String(), Status: store.AlertOpen, DedupeKey: "dead-letter/" + o.T3DeadLetter.String()},
		&store.Alert{ID: o.SharedAlert, OrgID: o.Org, Severity: store.SeverityWarning, Kind: "number_health", Title: "Number health",
			EntityType: "number", EntityID: sharedEntity, Status: store.AlertOpen, DedupeKey: sharedDedupe},
		&store.Quarantine{ID: o.ReleasedQuarantine, OrgID: o.Org, NumberID: o.Released, ReplacementNumberID: &o.Pool, Status: store.QuarantineReleased, EndAction: "release",
			Impact: json.RawMessage(`{}`), CooldownEndsAt: ago(2 * time.Hour), CreatedAt: ago(96 * time.Hour), FinishedAt: ptrTime(ago(time.Hour))},
		&store.Quarantine{ID: o.SpareQuarantine, OrgID: o.Org, NumberID: o.Spare, Status: store.QuarantineCoolingDown, EndAction: "return_to_pool",
			Impact: json.RawMessage(`{}`), CooldownEndsAt: now.Add(72 * time.Hour), CreatedAt: ago(time.Hour)},
		&store.ThreadNumberMove{OrgID: o.Org, ThreadID: o.T3, FromNumberID: o.Released, ToNumberID: o.Pool, QuarantineID: &o.ReleasedQuarantine, MovedAt: ago(95 * time.Hour)},
		&store.WebhookReceipt{ID: o.Receipt, OrgID: o.Org, Kind: "sms", DedupeKey: o.ReceiptKey, MessageSID: o.ReceiptKey, Payload: json.RawMessage(`{}`),
			CorrelationID: sharedCorrelation, ReceivedAt: ago(10 * time.Minute)},
		&store.PendingCredential{ID: o.PendingLive, OrgID: o.Org, AccountSID: o.AccountSID, SecretCiphertext: []byte("sealed"), SecretKeyID: "k1", CreatedBy: &owner, ExpiresAt: now.Add(10 * time.Minute)},
		&store.PendingCredential{ID: o.PendingExpired, OrgID: o.Org, AccountSID: o.AccountSID, SecretCiphertext: []byte("sealed"), SecretKeyID: "k1", CreatedBy: &owner, ExpiresAt: ago(time.Hour)},
		&store.ProviderAccount{OrgID: o.Org, AccountSID: o.AccountSID, SecretCiphertext: []byte("sealed"), SecretKeyID: "k1", FriendlyName: "Main account"},
		&store.SetupProgress{OrgID: o.Org, CurrentStep: "numbers", Steps: json.RawMessage(`{"version":3}`)},
		&store.OutboxEmail{ID: o.OutboxEmail, OrgID: &o.Org, ToEmail: o.Email, Subject: "Shared subject", Body: "hello", Transport: "outbox"},
		&store.Invitation{ID: o.Invite, OrgID: o.Org, Email: "new-admin@both.example.test", Name: "Nico New", Role: store.RoleAdmin,
			TokenHash: []byte("invite-token-" + o.Tag), ExpiresAt: now.Add(72 * time.Hour), InvitedBy: &owner},
		&store.ClientPet{ID: o.AveryPet, OrgID: o.Org, ClientID: o.Avery, Name: "Biscuit", Notes: "beagle"},
	)
	return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for _, m := range rows {
			if _, err := tx.NewInsert().Model(m).Exec(ctx); err != nil {
				return fmt.Errorf("%T: %w", m, err)
			}
		}
		for _, action := range []string{sharedAction, "number.assigned"} {
			ev := &store.AuditEvent{OrgID: &o.Org, ActorType: "user", ActorID: o.sharedSitterUser.String(), Action: action,
				EntityType: "thread", EntityID: sharedEntity, CorrelationID: sharedCorrelation, Detail: json.RawMessage(`{}`)}
			if _, err := tx.NewInsert().Model(ev).Returning("id").Exec(ctx); err != nil {
				return err
			}
			o.AuditEvents = append(o.AuditEvents, ev.ID)
		}
		ev := &store.NumberEvent{OrgID: o.Org, NumberID: o.FrontDesk, Kind: "assigned", Detail: "Front desk", ActorID: o.Owner.String()}
		if _, err := tx.NewInsert().Model(ev).Exec(ctx); err != nil {
			return err
		}
		o.markers = o.collectMarkers()
		for _, m := range o.markers {
			if m == uuid.Nil.String() {
				return errors.New("a fixture ID was left unset")
			}
		}
		if len(o.markers) < 50 {
			return fmt.Errorf("only %d markers: %v", len(o.markers), o.markers)
		}
		return nil
	})
}

func ptrTime(t time.Time) *time.Time { return &t }

// collectMarkers lists the strings that only this org's rows contain:
// every UUID field of orgFix and every provider SID.
func (o *orgFix) collectMarkers() []string {
	var out []string
	v := reflect.ValueOf(o).Elem()
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		name := v.Type().Field(i).Name
		if name == "sharedSitterUser" || !v.Type().Field(i).IsExported() {
			continue
		}
		switch x := f.Interface().(type) {
		case uuid.UUID:
			out = append(out, x.String())
		case [3]uuid.UUID:
			for _, id := range x {
				out = append(out, id.String())
			}
		case [3]string:
			out = append(out, x[:]...)
		case string:
			if strings.HasPrefix(x, "SM") || strings.HasPrefix(x, "AC") {
				out = append(out, x)
			}
		}
	}
	return out
}

// ---- harness ----

// env is one isolation case: org A calls its store inside a transaction
// that is rolled back afterwards, so cases do not see each other's writes.
type env struct {
	t    *testing.T
	ctx  context.Context
	tx   bun.Tx
	now  time.Time
	A, B *orgFix
}

// try runs fn inside a savepoint. A statement that fails aborts only the
// savepoint, which is then rolled back (a failed statement changes
// nothing); otherwise the savepoint is kept, so the change is visible to
// the snapshots that follow.
func (e *env) try(fn func(st *store.Store) (any, error)) (any, error) {
	e.t.Helper()
	sp, err := e.tx.BeginTx(e.ctx, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	res, callErr := fn(store.New(sp))
	if _, err := sp.ExecContext(e.ctx, "SELECT 1"); err != nil {
		if err := sp.Rollback(); err != nil {
			e.t.Fatal(err)
		}
	} else if err := sp.Commit(); err != nil {
		e.t.Fatal(err)
	}
	return res, callErr
}

// asA runs fn as org A inside a savepoint.
func (e *env) asA(fn func(a *store.OrgStore) (any, error)) (any, error) {
	e.t.Helper()
	return e.try(func(st *store.Store) (any, error) { return fn(st.Org(e.A.Org)) })
}

// run executes one case and fails it when any row of org B changed.
func (f *fixture) run(t *testing.T, body func(e *env)) {
	t.Helper()
	ctx := context.Background()
	tx, err := f.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	e := &env{t: t, ctx: ctx, tx: tx, now: f.now, A: f.A, B: f.B}
	before := e.snapshot(f.B.Org)
	// Deferred so that it runs after a t.Fatal in body too.
	defer func() {
		if diff := diffSnapshots(before, e.snapshot(f.B.Org)); diff != "" {
			t.Errorf("org B's rows changed: %s", diff)
		}
	}()
	body(e)
}

var orgTables []string

// snapshot returns every row of every table with an org_id column (and the
// org itself) belonging to org, per table, in a stable order.
func (e *env) snapshot(org uuid.UUID) map[string]string {
	e.t.Helper()
	if orgTables == nil {
		if err := e.tx.NewRaw(`SELECT table_name FROM information_schema.columns
WHERE table_schema = 'public' AND column_name = 'org_id' ORDER BY table_name`).Scan(e.ctx, &orgTables); err != nil {
			e.t.Fatal(err)
		}
		if len(orgTables) < 15 {
			e.t.Fatalf("found only %d org-owned tables: %v", len(orgTables), orgTables)
		}
	}
	parts := []string{`SELECT 'orgs' AS name, COALESCE(string_agg(to_jsonb(t)::text, E'\n' ORDER BY to_jsonb(t)::text), '') AS rows FROM orgs t WHERE id = ?0`}
	for _, table := range orgTables {
		parts = append(parts, fmt.Sprintf(`SELECT '%[1]s', COALESCE(string_agg(to_jsonb(t)::text, E'\n' ORDER BY to_jsonb(t)::text), '') FROM %[1]s t WHERE org_id = ?0`, table))
	}
	var rows []struct {
		Name string `bun:"name"`
		Rows string `bun:"rows"`
	}
	if err := e.tx.NewRaw(strings.Join(parts, "\nUNION ALL\n"), org).Scan(e.ctx, &rows); err != nil {
		e.t.Fatal(err)
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[r.Name] = r.Rows
	}
	return out
}

// diffSnapshots lists, per table, the rows that went away (-) and the
// rows that appeared (+); a changed row shows as both.
func diffSnapshots(before, after map[string]string) string {
	tables := make([]string, 0, len(before))
	for table := range before {
		tables = append(tables, table)
	}
	sort.Strings(tables)
	var out []string
	for _, table := range tables {
		rows := before[table]
		if after[table] == rows {
			continue
		}
		was, now := lineSet(rows), lineSet(after[table])
		out = append(out, table+":")
		for _, r := range strings.Split(rows, "\n") {
			if r != "" && !now[r] {
				out = append(out, "  - "+clip(r))
			}
		}
		for _, r := range strings.Split(after[table], "\n") {
			if r != "" && !was[r] {
				out = append(out, "  + "+clip(r))
			}
		}
	}
	return strings.Join(out, "\n")
}

func lineSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, l := range strings.Split(s, "\n") {
		m[l] = true
	}
	return m
}

func clip(s string) string {
	if len(s) > 400 {
		return s[:400] + "…"
	}
	return s
}

// leaks returns the markers of org o that appear in v (marshalled as JSON).
func leaks(v any, o *orgFix) []string {
	b, err := json.Marshal(v)
	if err != nil {
		return []string{"unmarshalable result: " + err.Error()}
	}
	s := string(b)
	var found []string
	for _, m := range o.markers {
		if strings.Contains(s, m) {
			found = append(found, m)
		}
	}
	return found
}

// missing reports the IDs of want that v (as JSON) does not contain.
func missing(v any, want ...uuid.UUID) []uuid.UUID {
	b, _ := json.Marshal(v)
	var out []uuid.UUID
	for _, id := range want {
		if !strings.Contains(string(b), id.String()) {
			out = append(out, id)
		}
	}
	return out
}

// isEmpty: nil, a nil pointer, an empty slice or map, or a zero value.
func isEmpty(v any) bool {
	if v == nil {
		return true
	}
	r := reflect.ValueOf(v)
	switch r.Kind() {
	case reflect.Pointer, reflect.Interface:
		return r.IsNil()
	case reflect.Slice, reflect.Map:
		return r.Len() == 0
	}
	return r.IsZero()
}

// result lets a (value, error) pair stand as the (any, error) that cases
// return.
func result[T any](v T, err error) (any, error) { return v, err }
