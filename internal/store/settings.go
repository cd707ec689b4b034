package store

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// SetDiagnostics turns the org's diagnostics on or off.
func (o *OrgStore) SetDiagnostics(ctx context.Context, on bool) error {
	// The orgs table is keyed by id; the scope names the store's org as
	// org_id like every other table's filter.
	res, err := o.db.NewRaw(`UPDATE orgs AS o SET diagnostics = ?0 FROM (SELECT ?1::uuid AS org_id) AS scope
		WHERE o.id = scope.org_id AND scope.org_id = ?1`, on, o.orgID).Exec(ctx)
	if err != nil {
		return translate(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// InboxCounts are the numbers on the dashboard's badges.
type InboxCounts struct {
	// UnreadThreads is the threads with messages the owner's side has not
	// read.
	UnreadThreads int
	// OpenAlerts is the alerts nobody has acknowledged, resolved or
	// dismissed.
	OpenAlerts int
}

// InboxCounts counts the org's unread threads and open alerts.
func (o *OrgStore) InboxCounts(ctx context.Context) (InboxCounts, error) {
	var out InboxCounts
	n, err := o.sel((*Thread)(nil)).Where("owner_unread_count > 0").Count(ctx)
	if err != nil {
		return out, translate(err)
	}
	out.UnreadThreads = int(n)
	if n, err = o.sel((*Alert)(nil)).Where("status = ?", AlertOpen).Count(ctx); err != nil {
		return out, translate(err)
	}
	out.OpenAlerts = int(n)
	return out, nil
}

// SitterUnreadThreads counts the threads the sitter may see now (the rule
// of SitterThreads) with messages the sitter has not read.
func (o *OrgStore) SitterUnreadThreads(ctx context.Context, sitterID uuid.UUID, now time.Time) (int, error) {
	var rows []SitterInboxThread
	n, err := o.sitterSelect(&rows, sitterID, orNow(now)).Where("?TableAlias.sitter_unread_count > 0").Count(ctx)
	return int(n), translate(err)
}
