package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"
)

// Errors every caller can branch on; the API maps them to HTTP in one place.
var (
	// ErrNotFound also covers rows that exist in another org.
	ErrNotFound = errors.New("not found")
	// ErrConflict is a uniqueness or exclusion violation.
	ErrConflict = errors.New("conflict")
)

// Store reaches rows that are not owned by one org (users, sessions, orgs,
// webhook lookups by provider account). Org-owned data goes through Org.
type Store struct {
	db bun.IDB
}

// New wraps a bun database or transaction.
func New(db bun.IDB) *Store { return &Store{db: db} }

// DB returns the underlying handle (for transactions and health checks).
func (s *Store) DB() bun.IDB { return s.db }

// Tx runs fn with a Store bound to one transaction.
func (s *Store) Tx(ctx context.Context, fn func(ctx context.Context, tx *Store) error) error {
	return s.db.RunInTx(ctx, &sql.TxOptions{}, func(ctx context.Context, tx bun.Tx) error {
		return fn(ctx, New(tx))
	})
}

// Org returns the repository scoped to one org.
func (s *Store) Org(orgID uuid.UUID) *OrgStore { return &OrgStore{db: s.db, orgID: orgID} }

// OrgStore is the only way to reach org-owned rows. Its queries go through
// sel/upd/del, which add the org filter; there is no unscoped variant.
type OrgStore struct {
	db    bun.IDB
	orgID uuid.UUID
}

// OrgID is the org this store is scoped to.
func (o *OrgStore) OrgID() uuid.UUID { return o.orgID }

// Tx runs fn with an OrgStore bound to one transaction.
func (o *OrgStore) Tx(ctx context.Context, fn func(ctx context.Context, tx *OrgStore) error) error {
	return o.db.RunInTx(ctx, &sql.TxOptions{}, func(ctx context.Context, tx bun.Tx) error {
		return fn(ctx, &OrgStore{db: tx, orgID: o.orgID})
	})
}

// sel starts a SELECT on model filtered to this org.
func (o *OrgStore) sel(model any) *bun.SelectQuery {
	return o.db.NewSelect().Model(model).Where("?TableAlias.org_id = ?", o.orgID)
}

// upd starts an UPDATE on model filtered to this org.
func (o *OrgStore) upd(model any) *bun.UpdateQuery {
	return o.db.NewUpdate().Model(model).Where("?TableAlias.org_id = ?", o.orgID)
}

// del starts a DELETE on model filtered to this org.
func (o *OrgStore) del(model any) *bun.DeleteQuery {
	return o.db.NewDelete().Model(model).Where("?TableAlias.org_id = ?", o.orgID)
}

// ins inserts model; callers set OrgID from o.orgID (checked here).
func (o *OrgStore) ins(ctx context.Context, model any, orgOf uuid.UUID) (*bun.InsertQuery, error) {
	if orgOf != o.orgID {
		return nil, fmt.Errorf("store: insert for org %s through a store scoped to %s", orgOf, o.orgID)
	}
	return o.db.NewInsert().Model(model), nil
}

// NewID returns a time-ordered UUID (v7).
func NewID() uuid.UUID { return uuid.Must(uuid.NewV7()) }

// translate maps driver errors onto the package's sentinel errors.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505", "23P01": // unique_violation, exclusion_violation
			return fmt.Errorf("%w: %s", ErrConflict, pgErr.ConstraintName)
		case "23503": // foreign key: the referenced row is not in this org
			return fmt.Errorf("%w: %s", ErrNotFound, pgErr.ConstraintName)
		}
	}
	return err
}

// IsUniqueViolation reports whether err is a conflict on the named constraint.
func IsUniqueViolation(err error, constraint string) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505" && (constraint == "" || pgErr.ConstraintName == constraint)
}

// Audit is one event to append to the audit trail.
type Audit struct {
	ActorType     string // user, system, provider, anonymous
	ActorID       string
	Action        string
	EntityType    string
	EntityID      string
	CorrelationID string
	IP            string
	Detail        map[string]any
	// DedupeKey makes a retried activity append the event once.
	DedupeKey string
}

// AppendAudit writes an event for an org (nil org: events with no org yet,
// such as a failed login for an unknown email).
func (s *Store) AppendAudit(ctx context.Context, orgID *uuid.UUID, a Audit) error {
	detail, err := json.Marshal(orDefault(a.Detail))
	if err != nil {
		return err
	}
	ev := &AuditEvent{
		OrgID: orgID, ActorType: a.ActorType, ActorID: a.ActorID, Action: a.Action,
		EntityType: a.EntityType, EntityID: a.EntityID, CorrelationID: a.CorrelationID,
		IP: a.IP, Detail: detail,
	}
	if a.DedupeKey != "" {
		ev.DedupeKey = &a.DedupeKey
	}
	_, err = s.db.NewInsert().Model(ev).On("CONFLICT (dedupe_key) DO NOTHING").Exec(ctx)
	return err
}

// Audit appends an event to this org's audit trail.
func (o *OrgStore) Audit(ctx context.Context, a Audit) error {
	id := o.orgID
	return New(o.db).AppendAudit(ctx, &id, a)
}

func orDefault(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}
