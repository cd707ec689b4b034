package store

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// ---- The client book ----

// ClientPhone is one phone number of a client.
type ClientPhone struct {
	bun.BaseModel `bun:"table:client_phones"`
	ID            uuid.UUID `bun:"id,pk,type:uuid"`
	OrgID         uuid.UUID `bun:"org_id,type:uuid"`
	ClientID      uuid.UUID `bun:"client_id,type:uuid"`
	E164          string    `bun:"e164"`
	Label         string    `bun:"label"`
	IsPrimary     bool      `bun:"is_primary"`
	CreatedAt     time.Time `bun:"created_at,nullzero,default:now()"`
}

// ClientPet is one of a client's pets.
type ClientPet struct {
	bun.BaseModel `bun:"table:client_pets"`
	ID            uuid.UUID `bun:"id,pk,type:uuid"`
	OrgID         uuid.UUID `bun:"org_id,type:uuid"`
	ClientID      uuid.UUID `bun:"client_id,type:uuid"`
	Name          string    `bun:"name"`
	Notes         string    `bun:"notes"`
	Position      int       `bun:"position"`
	CreatedAt     time.Time `bun:"created_at,nullzero,default:now()"`
}

// ClientRecord is what the client book writes: the client row (name,
// email, address, tags, notes), its phones (the first primary, unless one
// says IsPrimary) and its pets, in order.
type ClientRecord struct {
	Client Client
	Phones []ClientPhone
	Pets   []ClientPet
}

// PhoneHolders maps each of the numbers that a client of the org other
// than except holds to that client (the one refused duplicate is named by
// the caller).
func (o *OrgStore) PhoneHolders(ctx context.Context, e164s []string, except uuid.UUID) (map[string]Client, error) {
	out := map[string]Client{}
	if len(e164s) == 0 {
		return out, nil
	}
	var rows []struct {
		E164     string    `bun:"e164"`
		ClientID uuid.UUID `bun:"client_id"`
	}
	if err := o.sel((*ClientPhone)(nil)).Column("e164", "client_id").Where("e164 IN (?)", bun.In(e164s)).
		Where("client_id <> ?", except).Scan(ctx, &rows); err != nil {
		return nil, translate(err)
	}
	for _, r := range rows {
		c, err := o.ClientByID(ctx, r.ClientID)
		if err != nil {
			return nil, err
		}
		out[r.E164] = *c
	}
	return out, nil
}

// SaveClientRecord creates the client (ID unset) or replaces its details,
// phones and pets (ID set), in one transaction. A phone another client
// holds is ErrConflict (client_phones_org_e164_key); an unknown client
// ErrNotFound.
func (o *OrgStore) SaveClientRecord(ctx context.Context, r *ClientRecord) error {
	return o.Tx(ctx, func(ctx context.Context, tx *OrgStore) error {
		c := &r.Client
		c.OrgID = tx.orgID
		primary := primaryOf(r.Phones)
		if primary == "" {
			return ErrNotFound
		}
		c.PhoneE164 = primary
		if c.Tags == nil {
			c.Tags = []string{}
		}
		if c.ID == uuid.Nil {
			c.ID = NewID()
			q, err := tx.ins(ctx, c, c.OrgID)
			if err != nil {
				return err
			}
			if _, err := q.Exec(ctx); err != nil {
				return translate(err)
			}
		} else {
			// Free the phones first so that a swap of primary and second
			// numbers does not collide with itself.
			if _, err := tx.del((*ClientPhone)(nil)).Where("client_id = ?", c.ID).Exec(ctx); err != nil {
				return translate(err)
			}
			res, err := tx.upd((*Client)(nil)).
				Set("name = ?, email = ?, address = ?, tags = ?, notes = ?, phone_e164 = ?", c.Name, c.Email, c.Address, pgArray(c.Tags), c.Notes, c.PhoneE164).
				Where("id = ?", c.ID).Exec(ctx)
			if err != nil {
				return translate(err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return ErrNotFound
			}
		}
		// The insert trigger stored the primary of a new client.
		if _, err := tx.del((*ClientPhone)(nil)).Where("client_id = ?", c.ID).Exec(ctx); err != nil {
			return translate(err)
		}
		for i := range r.Phones {
			p := &r.Phones[i]
			p.ID, p.OrgID, p.ClientID, p.IsPrimary = NewID(), tx.orgID, c.ID, p.E164 == primary
			q, err := tx.ins(ctx, p, p.OrgID)
			if err != nil {
				return err
			}
			if _, err := q.Exec(ctx); err != nil {
				return translate(err)
			}
		}
		if _, err := tx.del((*ClientPet)(nil)).Where("client_id = ?", c.ID).Exec(ctx); err != nil {
			return translate(err)
		}
		for i := range r.Pets {
			p := &r.Pets[i]
			p.ID, p.OrgID, p.ClientID, p.Position = NewID(), tx.orgID, c.ID, i
			q, err := tx.ins(ctx, p, p.OrgID)
			if err != nil {
				return err
			}
			if _, err := q.Exec(ctx); err != nil {
				return translate(err)
			}
		}
		stored, err := tx.ClientByID(ctx, c.ID)
		if err != nil {
			return err
		}
		*c = *stored
		return nil
	})
}

func primaryOf(phones []ClientPhone) string {
	for _, p := range phones {
		if p.IsPrimary {
			return p.E164
		}
	}
	if len(phones) > 0 {
		return phones[0].E164
	}
	return ""
}

func pgArray(s []string) any {
	if s == nil {
		s = []string{}
	}
	return pgdialect.Array(s)
}

// ClientPhones lists the phones of the given clients, primary first.
func (o *OrgStore) ClientPhones(ctx context.Context, clientIDs []uuid.UUID) ([]ClientPhone, error) {
	out := []ClientPhone{}
	if len(clientIDs) == 0 {
		return out, nil
	}
	err := o.sel(&out).Where("client_id IN (?)", bun.In(clientIDs)).Order("client_id").OrderExpr("is_primary DESC, created_at, e164").Scan(ctx)
	return out, translate(err)
}

// ClientPets lists the pets of the given clients, in their order.
func (o *OrgStore) ClientPets(ctx context.Context, clientIDs []uuid.UUID) ([]ClientPet, error) {
	out := []ClientPet{}
	if len(clientIDs) == 0 {
		return out, nil
	}
	err := o.sel(&out).Where("client_id IN (?)", bun.In(clientIDs)).Order("client_id", "position", "id").Scan(ctx)
	return out, translate(err)
}

// SetClientArchived archives (at set) or restores (nil) a client.
func (o *OrgStore) SetClientArchived(ctx context.Context, id uuid.UUID, at *time.Time) error {
	res, err := o.upd((*Client)(nil)).Set("archived_at = ?", at).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return translate(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// SetClientConsent records a consent change made by staff or an import:
// optedOut true blocks texts from now on, false allows them again.
func (o *OrgStore) SetClientConsent(ctx context.Context, id uuid.UUID, optedOut bool, source string, at time.Time) error {
	q := o.upd((*Client)(nil)).Set("consent_source = ?, consent_at = ?", source, at).Where("id = ?", id)
	if optedOut {
		q = q.Set("opted_out_at = ?, opted_out_keyword = ''", at)
	} else {
		q = q.Set("opted_out_at = NULL, opted_out_keyword = ''")
	}
	res, err := q.Exec(ctx)
	if err != nil {
		return translate(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// MergeResult says what moved in a merge.
type MergeResult struct {
	ThreadsMoved    int // threads that changed client
	ThreadsJoined   int // threads folded into the target's thread on the same number
	MessagesMoved   int // messages of joined threads
	WindowsMoved    int
	PhonesMoved     int
	PetsMoved       int
	ConsentFollowed bool // the source's opt-out now holds for the target
}

// MergeClients folds client from into client into, in one transaction: its
// threads move (a thread on a number where into already has one is joined
// into it, messages, violations, overrides and moves included), its
// windows, phones (as second numbers) and pets move, its tags join, an
// opt-out of from holds for into, and from is deleted. A window overlap
// is ErrConflict.
func (o *OrgStore) MergeClients(ctx context.Context, from, into uuid.UUID, now time.Time) (MergeResult, error) {
	var res MergeResult
	err := o.Tx(ctx, func(ctx context.Context, tx *OrgStore) error {
		var err error
		res, err = tx.mergeClients(ctx, from, into, now)
		return err
	})
	return res, err
}

// errDryRun rolls back a merge preview.
var errDryRun = errors.New("store: dry run")

// PreviewMerge is what MergeClients would do, computed by running it in a
// transaction that is rolled back: the same counts, the same ErrConflict,
// and nothing changed. History counts every message of from's threads.
func (o *OrgStore) PreviewMerge(ctx context.Context, from, into uuid.UUID, now time.Time) (MergeResult, int, error) {
	var res MergeResult
	history := 0
	err := o.Tx(ctx, func(ctx context.Context, tx *OrgStore) error {
		n, err := tx.sel((*Message)(nil)).Where("thread_id IN (SELECT id FROM threads WHERE org_id = ? AND client_id = ?)", tx.orgID, from).Count(ctx)
		if err != nil {
			return translate(err)
		}
		history = int(n)
		if res, err = tx.mergeClients(ctx, from, into, now); err != nil {
			return err
		}
		return errDryRun
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	return res, history, err
}

// mergeClients is MergeClients inside the caller's transaction.
func (o *OrgStore) mergeClients(ctx context.Context, from, into uuid.UUID, now time.Time) (MergeResult, error) {
	var res MergeResult
	err := func(tx *OrgStore) error {
		src, dst := new(Client), new(Client)
		if err := tx.sel(src).Where("id = ?", from).For("UPDATE").Scan(ctx); err != nil {
			return translate(err)
		}
		if err := tx.sel(dst).Where("id = ?", into).For("UPDATE").Scan(ctx); err != nil {
			return translate(err)
		}
		var threads []Thread
		if err := tx.sel(&threads).Where("client_id = ?", from).Order("id").Scan(ctx); err != nil {
			return translate(err)
		}
		for _, t := range threads {
			target := new(Thread)
			err := tx.sel(target).Where("client_id = ? AND number_id = ?", into, t.NumberID).Scan(ctx)
			switch translate(err) {
			case ErrNotFound:
				if _, err := tx.upd((*Thread)(nil)).Set("client_id = ?", into).Where("id = ?", t.ID).Exec(ctx); err != nil {
					return translate(err)
				}
				res.ThreadsMoved++
				continue
			case nil:
			default:
				return translate(err)
			}
			n, err := tx.joinThread(ctx, t.ID, target.ID)
			if err != nil {
				return err
			}
			res.ThreadsJoined++
			res.MessagesMoved += n
		}
		r, err := tx.upd((*AssignmentWindow)(nil)).Set("client_id = ?", into).Where("client_id = ?", from).Exec(ctx)
		if err != nil {
			return translate(err)
		}
		res.WindowsMoved = rows(r)
		if r, err = tx.upd((*ClientPhone)(nil)).Set("client_id = ?, is_primary = false", into).Where("client_id = ?", from).Exec(ctx); err != nil {
			return translate(err)
		}
		res.PhonesMoved = rows(r)
		if r, err = tx.upd((*ClientPet)(nil)).Set("client_id = ?, position = position + 1000", into).Where("client_id = ?", from).Exec(ctx); err != nil {
			return translate(err)
		}
		res.PetsMoved = rows(r)
		q := tx.upd((*Client)(nil)).Where("id = ?", into).
			Set("tags = ARRAY(SELECT DISTINCT unnest(tags || ?::text[]) ORDER BY 1)", pgArray(src.Tags))
		if dst.Email == "" && src.Email != "" {
			q = q.Set("email = ?", src.Email)
		}
		if dst.Address == "" && src.Address != "" {
			q = q.Set("address = ?", src.Address)
		}
		if dst.OptedOutAt == nil && src.OptedOutAt != nil {
			q = q.Set("opted_out_at = ?, opted_out_keyword = ?, consent_source = ?, consent_at = ?", src.OptedOutAt, src.OptedOutKeyword, ConsentMerge, now)
			res.ConsentFollowed = true
		}
		if _, err := q.Exec(ctx); err != nil {
			return translate(err)
		}
		_, err = tx.del((*Client)(nil)).Where("id = ?", from).Exec(ctx)
		return translate(err)
	}(o)
	return res, err
}

func rows(r interface{ RowsAffected() (int64, error) }) int {
	n, _ := r.RowsAffected()
	return int(n)
}

// joinThread moves everything of thread from into thread into (same org,
// same number) and deletes from; into's activity, preview and counters
// take from's into account. It returns how many messages moved.
func (o *OrgStore) joinThread(ctx context.Context, from, into uuid.UUID) (int, error) {
	r, err := o.upd((*Message)(nil)).Set("thread_id = ?", into).Where("thread_id = ?", from).Exec(ctx)
	if err != nil {
		return 0, translate(err)
	}
	moved := rows(r)
	for _, m := range []any{(*PolicyViolation)(nil), (*RoutingOverride)(nil), (*ThreadNumberMove)(nil)} {
		if _, err := o.upd(m).Set("thread_id = ?", into).Where("thread_id = ?", from).Exec(ctx); err != nil {
			return 0, translate(err)
		}
	}
	src := new(Thread)
	if err := o.sel(src).Where("id = ?", from).Scan(ctx); err != nil {
		return 0, translate(err)
	}
	_, err = o.upd((*Thread)(nil)).Where("id = ?", into).
		Set("owner_unread_count = owner_unread_count + ?, sitter_unread_count = sitter_unread_count + ?", src.OwnerUnreadCount, src.SitterUnreadCount).
		Set("open_violations = open_violations + ?, failed_deliveries = failed_deliveries + ?", src.OpenViolations, src.FailedDeliveries).
		Set("last_message_preview = CASE WHEN last_message_at < ? THEN ? ELSE last_message_preview END", src.LastMessageAt, src.LastMessagePreview).
		Set("last_message_at = GREATEST(last_message_at, ?)", src.LastMessageAt).
		Exec(ctx)
	if err != nil {
		return 0, translate(err)
	}
	_, err = o.del((*Thread)(nil)).Where("id = ?", from).Exec(ctx)
	return moved, translate(err)
}

// ClientBookFilter narrows the client book.
type ClientBookFilter struct {
	// Search matches any part of the name or email, a tag, or, when it
	// looks like one, any of the client's phone numbers.
	Search string
	// Archived: only archived clients (true), only current ones (false),
	// or both (nil).
	Archived *bool
	Tag      string
	After    *ClientCursor
}

// ClientBook lists clients by name.
func (o *OrgStore) ClientBook(ctx context.Context, f ClientBookFilter, limit int) ([]Client, error) {
	out := []Client{}
	q := o.sel(&out).OrderExpr("?TableAlias.name, ?TableAlias.id").Limit(int64(limit))
	if s := strings.TrimSpace(f.Search); s != "" {
		sr := parseInboxSearch(s)
		cond := "(?TableAlias.name ILIKE ? OR ?TableAlias.email ILIKE ? OR ? = ANY(?TableAlias.tags)"
		args := []any{sr.like, sr.like, strings.ToLower(s)}
		if sr.digits != "" {
			cond += " OR EXISTS (SELECT 1 FROM client_phones AS p WHERE p.org_id = ?TableAlias.org_id AND p.client_id = ?TableAlias.id AND p.e164 LIKE ?)"
			args = append(args, sr.digits)
		}
		q.Where(cond+")", args...)
	}
	if f.Archived != nil {
		if *f.Archived {
			q.Where("?TableAlias.archived_at IS NOT NULL")
		} else {
			q.Where("?TableAlias.archived_at IS NULL")
		}
	}
	if f.Tag != "" {
		q.Where("? = ANY(?TableAlias.tags)", f.Tag)
	}
	if f.After != nil {
		q.Where("(?TableAlias.name, ?TableAlias.id) > (?, ?)", f.After.Name, f.After.ID)
	}
	return out, translate(q.Scan(ctx))
}
