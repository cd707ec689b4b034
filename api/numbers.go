package api

import (
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/domain/phone"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/internal/twilio/provider"
)

// numberRoutes: the number inventory (list, detail, CSV export), its
// guarded actions (buy, import, assign, release, bulk versions) and the
// quarantine lifecycle. Admins and owners only (policies/policy.csv).
func (s *Server) numberRoutes() []featureRoute {
	return []featureRoute{
		{http.MethodGet, "/api/v1/numbers", s.listNumbers},
		{http.MethodGet, "/api/v1/numbers/:id", s.numberDetail},
		{http.MethodGet, "/api/v1/numbers/available", s.searchNumbersForSale},
		{http.MethodPost, "/api/v1/numbers/buy", s.buyNumbers},
		{http.MethodPost, "/api/v1/numbers/import", s.importNumbers},
		{http.MethodPost, "/api/v1/numbers/:id/assign", s.assignNumber},
		{http.MethodPost, "/api/v1/numbers/:id/release", s.releaseNumber},
		{http.MethodGet, "/api/v1/numbers/:id/quarantine-preview", s.quarantinePreview},
		{http.MethodPost, "/api/v1/numbers/:id/quarantine", s.quarantineNumber},
		{http.MethodGet, "/api/v1/numbers/:id/quarantine", s.quarantineStatus},
		{http.MethodPost, "/api/v1/numbers/:id/quarantine/restore", s.restoreQuarantine},
		{http.MethodPost, "/api/v1/numbers/:id/quarantine/release-now", s.releaseQuarantineNow},
		{http.MethodPost, "/api/v1/numbers/bulk/assign", s.bulkAssignNumbers},
		{http.MethodPost, "/api/v1/numbers/bulk/release", s.bulkReleaseNumbers},
		{http.MethodPost, "/api/v1/numbers/bulk/quarantine", s.bulkQuarantineNumbers},
		{http.MethodPost, "/api/v1/numbers/bulk/import", s.bulkImportNumbers},
	}
}

// NumberView is one number in the inventory.
type NumberView struct {
	ID             uuid.UUID      `json:"id"`
	E164           string         `json:"e164"`
	Display        string         `json:"display"`
	FriendlyName   string         `json:"friendlyName"`
	Class          string         `json:"class"`
	Status         string         `json:"status"`
	AssignedTo     AssignmentView `json:"assignedTo"`
	Health         HealthView     `json:"health"`
	LastUsedAt     *time.Time     `json:"lastUsedAt"`
	Volume7d       int            `json:"volume7d"`
	Threads        int            `json:"threads"`
	ActiveThreads  int            `json:"activeThreads"`
	WebhookStatus  string         `json:"webhookStatus"`
	MonthlyCost    string         `json:"monthlyCost,omitempty"`
	QuarantinedAt  *time.Time     `json:"quarantinedAt,omitempty"`
	CooldownEndsAt *time.Time     `json:"cooldownEndsAt,omitempty"`
	ReleasedAt     *time.Time     `json:"releasedAt,omitempty"`
	CreatedAt      time.Time      `json:"createdAt"`
}

// AssignmentView says who a number serves: the front desk, a sitter, client
// threads on a pool number, or the idle pool.
type AssignmentView struct {
	Kind        string     `json:"kind"` // front_desk, sitter, clients, pool, unassigned
	Label       string     `json:"label"`
	SitterID    *uuid.UUID `json:"sitterId,omitempty"`
	SitterName  string     `json:"sitterName,omitempty"`
	ThreadCount int        `json:"threadCount"`
}

// HealthView is a number's delivery health over the last 7 days (the
// thresholds are documented on store.HealthWindow's block).
type HealthView struct {
	Level            string  `json:"level"` // green, yellow, red
	ErrorRate        float64 `json:"errorRate"`
	Attempts         int     `json:"attempts"`
	Failed           int     `json:"failed"`
	ReputationErrors int     `json:"reputationErrors"` // 30007 and 21610
}

func numberView(r store.InventoryRow) NumberView {
	v := NumberView{
		ID: r.ID, E164: r.E164, Display: phone.Display(r.E164), FriendlyName: r.FriendlyName, Class: r.Class, Status: r.Status,
		Health:     HealthView{Level: r.Health, ErrorRate: roundRate(r.ErrorRate()), Attempts: r.Attempts7d, Failed: r.Failed7d, ReputationErrors: r.Storm7d},
		LastUsedAt: r.LastUsedAt, Volume7d: r.Volume7d, Threads: r.Threads, ActiveThreads: r.ActiveThreads,
		WebhookStatus: r.WebhookStatus, MonthlyCost: r.MonthlyCost, QuarantinedAt: r.QuarantinedAt, CooldownEndsAt: r.CooldownEndsAt,
		ReleasedAt: r.ReleasedAt, CreatedAt: r.CreatedAt,
	}
	v.AssignedTo = AssignmentView{Kind: r.AssignedTo, SitterID: r.SitterID, ThreadCount: r.Threads}
	switch r.AssignedTo {
	case store.AssignedFrontDesk:
		v.AssignedTo.Label = "Front desk"
	case store.AssignedSitter:
		if r.SitterName != nil {
			v.AssignedTo.SitterName = *r.SitterName
			v.AssignedTo.Label = *r.SitterName
		}
	case store.AssignedClients:
		v.AssignedTo.Label = plural(r.Threads, "client thread", "client threads")
	case store.AssignedPool:
		v.AssignedTo.Label = "Pool"
	default:
		v.AssignedTo.Label = "Unassigned"
	}
	return v
}

func roundRate(f float64) float64 { return float64(int(f*10000+0.5)) / 10000 }

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// Query values the inventory filters accept.
var (
	numberClasses     = []string{store.ClassFrontDesk, store.ClassSitter, store.ClassPool}
	numberStatuses    = []string{store.NumberActive, store.NumberQuarantined, store.NumberInactive, store.NumberReleased}
	numberAssignments = []string{store.AssignedFrontDesk, store.AssignedSitter, store.AssignedClients, store.AssignedPool, store.AssignedUnassigned}
	numberHealths     = []string{store.HealthGreen, store.HealthYellow, store.HealthRed}
)

func oneOf(v string, allowed []string) bool {
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	return false
}

// inventoryFilter reads the list's query string. A sitter of another org
// answers 404, like any other org's ID.
func (s *Server) inventoryFilter(c *gin.Context, org *store.OrgStore) (store.InventoryFilter, error) {
	f := store.InventoryFilter{Now: s.now()}
	fields := map[string]string{}
	enum := func(name string, allowed []string) string {
		v := strings.TrimSpace(c.Query(name))
		if v != "" && !oneOf(v, allowed) {
			fields[name] = "Use one of: " + strings.Join(allowed, ", ") + "."
		}
		return v
	}
	count := func(name string) *int {
		v := strings.TrimSpace(c.Query(name))
		if v == "" {
			return nil
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 1_000_000 {
			fields[name] = "Use a whole number, 0 or more."
			return nil
		}
		return &n
	}
	f.Class = enum("class", numberClasses)
	f.Status = enum("status", numberStatuses)
	f.AssignedTo = enum("assignedTo", numberAssignments)
	f.Health = enum("health", numberHealths)
	f.MinVolume, f.MaxVolume, f.IdleDays = count("minVolume"), count("maxVolume"), count("idleDays")
	f.Query = strings.TrimSpace(c.Query("q"))
	if len(f.Query) > 100 {
		fields["q"] = "Search with at most 100 characters."
	}
	if v := strings.TrimSpace(c.Query("sitterId")); v != "" {
		id, err := uuid.Parse(v)
		if err != nil {
			fields["sitterId"] = "Use a sitter ID from the sitters list."
		} else {
			f.SitterID = &id
		}
	}
	if v := strings.TrimSpace(c.Query("ids")); v != "" {
		for _, part := range strings.Split(v, ",") {
			id, err := uuid.Parse(strings.TrimSpace(part))
			if err != nil {
				fields["ids"] = "Use number IDs separated by commas."
				break
			}
			f.IDs = append(f.IDs, id)
		}
		if len(f.IDs) > 500 {
			fields["ids"] = "Select at most 500 numbers."
		}
	}
	if cur := c.Query("cursor"); cur != "" {
		after, err := decodeNumberCursor(cur)
		if err != nil {
			fields["cursor"] = "Use the nextCursor value from the previous page."
		} else {
			f.After = after
		}
	}
	if len(fields) > 0 {
		return f, badRequest("Some filters are not valid.", fields)
	}
	if len(f.IDs) > 0 {
		// Another org's number in the selection is "not found", not an
		// empty result.
		found, err := org.Inventory(c.Request.Context(), store.InventoryFilter{IDs: f.IDs, Now: f.Now}, 0)
		if err != nil {
			return f, err
		}
		if len(found) != len(uniqueIDs(f.IDs)) {
			return f, notFound("A selected number")
		}
	}
	if f.SitterID != nil {
		if _, err := org.Sitter(c.Request.Context(), *f.SitterID); err != nil {
			return f, notFoundOr(err, "The sitter")
		}
	}
	return f, nil
}

func uniqueIDs(ids []uuid.UUID) map[uuid.UUID]bool {
	m := make(map[uuid.UUID]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

func encodeNumberCursor(r store.InventoryRow) string {
	cur := r.Cursor()
	return base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("%d|%s|%s", cur.ClassRank, cur.E164, cur.ID)))
}

func decodeNumberCursor(s string) (*store.InventoryCursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, err
	}
	parts := strings.Split(string(b), "|")
	if len(parts) != 3 {
		return nil, errors.New("bad cursor")
	}
	rank, err := strconv.Atoi(parts[0])
	if err != nil {
		return nil, err
	}
	// Every cursor we issue carries an E.164; anything else (including bytes
	// PostgreSQL would refuse as text) is a forged cursor.
	if !phone.IsE164(parts[1]) {
		return nil, errors.New("bad cursor")
	}
	id, err := uuid.Parse(parts[2])
	if err != nil {
		return nil, err
	}
	return &store.InventoryCursor{ClassRank: rank, E164: parts[1], ID: id}, nil
}

// listNumbers serves the inventory with filters and cursor pagination;
// ?format=csv exports every matching number (up to 10,000).
func (s *Server) listNumbers(c *gin.Context) {
	p := principal(c)
	org := s.store.Org(p.OrgID)
	f, err := s.inventoryFilter(c, org)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	if c.Query("format") == "csv" {
		f.After = nil
		rows, err := org.Inventory(c.Request.Context(), f, 10000)
		if err != nil {
			respondError(c, s.log, err)
			return
		}
		s.writeNumbersCSV(c, rows)
		return
	}
	limit, err := pageLimit(c, 50, 200)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	rows, err := org.Inventory(c.Request.Context(), f, limit+1)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	next := ""
	if len(rows) > limit {
		rows = rows[:limit]
		next = encodeNumberCursor(rows[len(rows)-1])
	}
	out := make([]NumberView, len(rows))
	for i, r := range rows {
		out[i] = numberView(r)
	}
	c.JSON(http.StatusOK, gin.H{"numbers": out, "nextCursor": next})
}

// numberCSVHeader is the export's first line; bulk import reads the same
// e164, class and friendly_name columns back.
var numberCSVHeader = []string{"id", "e164", "friendly_name", "class", "status", "assigned_to", "sitter_id", "sitter_name", "client_threads",
	"health", "error_rate_7d", "attempts_7d", "failed_7d", "volume_7d", "last_used_at", "cooldown_ends_at"}

// writeNumbersCSV exports rows. Free-text cells go through csvSafe so a
// spreadsheet never runs them as formulas; E.164 numbers are written as is
// (the database only holds "+" and digits there, which no spreadsheet reads
// as anything but a number).
func (s *Server) writeNumbersCSV(c *gin.Context, rows []store.InventoryRow) {
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", `attachment; filename="numbers.csv"`)
	w := csv.NewWriter(c.Writer)
	_ = w.Write(numberCSVHeader)
	for _, r := range rows {
		v := numberView(r)
		sitterID := ""
		if r.SitterID != nil {
			sitterID = r.SitterID.String()
		}
		_ = w.Write([]string{
			r.ID.String(), r.E164, csvSafe(r.FriendlyName), r.Class, r.Status, v.AssignedTo.Kind, sitterID, csvSafe(v.AssignedTo.SitterName),
			strconv.Itoa(r.Threads), r.Health, strconv.FormatFloat(v.Health.ErrorRate, 'f', 4, 64), strconv.Itoa(r.Attempts7d),
			strconv.Itoa(r.Failed7d), strconv.Itoa(r.Volume7d), csvTime(r.LastUsedAt), csvTime(r.CooldownEndsAt),
		})
	}
	w.Flush()
}

func csvTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// loadNumber loads a number's inventory row for the caller's org.
func (s *Server) loadNumber(c *gin.Context) (*store.InventoryRow, error) {
	id, err := pathID(c, "id", "The number")
	if err != nil {
		return nil, err
	}
	row, err := s.store.Org(principal(c).OrgID).InventoryNumber(c.Request.Context(), id, s.now())
	if err != nil {
		return nil, notFoundOr(err, "The number")
	}
	return row, nil
}

// DeliveryErrorView is one failed send from a number, in plain words.
type DeliveryErrorView struct {
	Code       int       `json:"code"`
	Reason     string    `json:"reason"`
	Status     string    `json:"status"`
	At         time.Time `json:"at"`
	ClientName string    `json:"clientName"`
	ThreadID   uuid.UUID `json:"threadId"`
	MessageID  uuid.UUID `json:"messageId"`
}

// QuarantineView is a number's quarantine as the dashboard shows it.
type QuarantineView struct {
	ID                  uuid.UUID          `json:"id"`
	Status              string             `json:"status"`
	EndAction           string             `json:"endAction"`
	NotifyClients       bool               `json:"notifyClients"`
	Reason              string             `json:"reason"`
	ReplacementNumberID *uuid.UUID         `json:"replacementNumberId,omitempty"`
	CooldownEndsAt      time.Time          `json:"cooldownEndsAt"`
	CoolingDown         bool               `json:"coolingDown"`
	Impact              store.NumberImpact `json:"impact"`
	CreatedAt           time.Time          `json:"createdAt"`
	FinishedAt          *time.Time         `json:"finishedAt,omitempty"`
	WorkflowID          string             `json:"workflowId"`
	WorkflowURL         string             `json:"workflowUrl,omitempty"`
}

func (s *Server) quarantineView(q *store.Quarantine) *QuarantineView {
	v := &QuarantineView{
		ID: q.ID, Status: q.Status, EndAction: q.EndAction, NotifyClients: q.NotifyClients, Reason: q.Reason,
		ReplacementNumberID: q.ReplacementNumberID, CooldownEndsAt: q.CooldownEndsAt, CoolingDown: q.Status == store.QuarantineCoolingDown,
		CreatedAt: q.CreatedAt, FinishedAt: q.FinishedAt, WorkflowID: contract.QuarantineWorkflowID(q.NumberID),
	}
	_ = json.Unmarshal(q.Impact, &v.Impact)
	if s.cfg.TemporalUIURL != "" {
		v.WorkflowURL = strings.TrimRight(s.cfg.TemporalUIURL, "/") + "/namespaces/" + s.cfg.TemporalNamespace + "/workflows/" + v.WorkflowID
	}
	return v
}

// numberDetail: the number, its assignment history, current threads,
// recent delivery errors and cooldown status.
func (s *Server) numberDetail(c *gin.Context) {
	ctx := c.Request.Context()
	row, err := s.loadNumber(c)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	org := s.store.Org(principal(c).OrgID)
	history, err := org.NumberEvents(ctx, row.ID, 100)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	threads, err := org.NumberThreads(ctx, row.ID, s.now())
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	failures, err := org.NumberDeliveryErrors(ctx, row.E164, 20)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	errs := make([]DeliveryErrorView, len(failures))
	for i, f := range failures {
		errs[i] = DeliveryErrorView{Code: f.Code, Reason: provider.Explain(f.Code), Status: f.Status, At: f.At,
			ClientName: f.ClientName, ThreadID: f.ThreadID, MessageID: f.MessageID}
	}
	var cooldown *QuarantineView
	if q, err := org.LatestQuarantine(ctx, row.ID); err == nil {
		cooldown = s.quarantineView(q)
	} else if !errors.Is(err, store.ErrNotFound) {
		respondError(c, s.log, err)
		return
	}
	if history == nil {
		history = []store.NumberEvent{}
	}
	if threads == nil {
		threads = []store.NumberThread{}
	}
	c.JSON(http.StatusOK, gin.H{"number": numberView(*row), "history": history, "threads": threads,
		"deliveryErrors": errs, "quarantine": cooldown})
}
