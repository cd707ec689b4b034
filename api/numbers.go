package api

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/snoutos/snout/contract"
	domain "github.com/snoutos/snout/internal/domain/numbers"
	"github.com/snoutos/snout/internal/domain/phone"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/internal/twilio/provider"
	"github.com/snoutos/snout/service/numbers"
)

// numberRoutes: the number inventory (list, detail, CSV export), its
// guarded actions (buy, import, assign, release, bulk versions) and the
// quarantine lifecycle. Admins and owners only (policies/policy.csv). The
// use cases are service/numbers'; these handlers bind and render.
func (s *Server) numberRoutes() []featureRoute {
	guarded := []int{http.StatusConflict, http.StatusUnprocessableEntity, http.StatusServiceUnavailable}
	return []featureRoute{
		{http.MethodGet, "/api/v1/numbers", s.listNumbers,
			doc("The number inventory with filters; ?format=csv exports every matching number", tagNumbers).query(numberQueryParams...).
				ok(NumberPage{}).also(http.StatusOK, "text/csv")},
		{http.MethodGet, "/api/v1/numbers/:id", s.reply(http.StatusOK, ofNumber(s.numberDetail)),
			doc("One number: assignment history, threads, recent delivery errors, quarantine", tagNumbers).ok(NumberDetailView{})},
		{http.MethodGet, "/api/v1/numbers/available", s.reply(http.StatusOK, s.searchNumbersForSale),
			doc("Numbers for sale, with their monthly cost", tagNumbers).query(numberSearchParams...).ok(contract.SetupSearchResult{}).fails(guarded...)},
		{http.MethodPost, "/api/v1/numbers/buy", s.reply(http.StatusOK, s.provisionNumbers(contract.ProvisionBuy)),
			doc("Buy numbers (safe to retry with the same requestId)", tagNumbers).body(ProvisionRequest{}).ok(ProvisionView{}).
				returns(http.StatusAccepted, ProvisionPendingView{}).fails(guarded...)},
		{http.MethodPost, "/api/v1/numbers/import", s.reply(http.StatusOK, s.provisionNumbers(contract.ProvisionImport)),
			doc("Import numbers the Twilio account owns", tagNumbers).body(ProvisionRequest{}).ok(ProvisionView{}).
				returns(http.StatusAccepted, ProvisionPendingView{}).fails(guarded...)},
		{http.MethodPost, "/api/v1/numbers/:id/assign", s.reply(http.StatusOK, ofNumber(s.assignNumber)),
			doc("Assign a number to a sitter, the pool or the front desk", tagNumbers).body(AssignRequest{}).ok(NumberResultView{}).fails(guarded...)},
		{http.MethodPost, "/api/v1/numbers/:id/release", s.reply(http.StatusOK, ofNumber(s.releaseNumber)),
			doc("Release a number: without confirmToken, its impact and the token; with it, the release", tagNumbers).
				optionalBody(ConfirmRequest{}).ok(ConfirmationView{}, NumberResultView{}).returns(http.StatusAccepted, WorkflowPendingView{}).fails(guarded...)},
		{http.MethodGet, "/api/v1/numbers/:id/quarantine-preview", s.reply(http.StatusOK, ofNumber(s.quarantinePreview)),
			doc("What quarantining the number would do, with the token that confirms it", tagNumbers).
				query(qUUID("replacementNumberId", "The number to move its threads to.")).ok(QuarantinePreviewView{}).fails(guarded...)},
		{http.MethodPost, "/api/v1/numbers/:id/quarantine", s.reply(http.StatusOK, ofNumber(s.quarantineNumber)),
			doc("Quarantine a number: without confirmToken, the preview; with it, the quarantine starts", tagNumbers).
				optionalBody(QuarantineRequest{}).ok(QuarantinePreviewView{}, QuarantineStartedView{}).
				returns(http.StatusAccepted, QuarantineStartedView{}).fails(guarded...)},
		{http.MethodGet, "/api/v1/numbers/:id/quarantine", s.reply(http.StatusOK, ofNumber(s.quarantineStatus)),
			doc("The number's latest quarantine and, while it cools down, its live state", tagNumbers).ok(QuarantineStatusView{}).fails(http.StatusServiceUnavailable)},
		{http.MethodPost, "/api/v1/numbers/:id/quarantine/restore", s.reply(http.StatusOK, ofNumber(s.restoreQuarantine)),
			doc("End the cooldown early: the number is back in service", tagNumbers).optionalBody(QuarantineEndRequest{}).
				ok(ConfirmationView{}, QuarantineEndedView{}).returns(http.StatusAccepted, EndRequestedView{}).fails(guarded...)},
		{http.MethodPost, "/api/v1/numbers/:id/quarantine/release-now", s.reply(http.StatusOK, ofNumber(s.releaseQuarantineNow)),
			doc("Release the quarantined number now (takes a confirmation)", tagNumbers).optionalBody(QuarantineEndRequest{}).
				ok(ConfirmationView{}, QuarantineEndedView{}).returns(http.StatusAccepted, EndRequestedView{}).fails(guarded...)},
		{http.MethodPost, "/api/v1/numbers/bulk/assign", s.reply(http.StatusOK, s.bulkAssignNumbers),
			doc("Assign several numbers", tagNumbers).body(BulkAssignRequest{}).ok(BulkOutcomeView{}).fails(guarded...)},
		{http.MethodPost, "/api/v1/numbers/bulk/release", s.reply(http.StatusOK, s.bulkReleaseNumbers),
			doc("Release several numbers: without confirmToken, the combined impact", tagNumbers).body(BulkRequest{}).
				ok(ConfirmationView{}, BulkOutcomeView{}).fails(guarded...)},
		{http.MethodPost, "/api/v1/numbers/bulk/quarantine", s.reply(http.StatusOK, s.bulkQuarantineNumbers),
			doc("Quarantine several numbers: without confirmToken, the combined impact", tagNumbers).body(BulkQuarantineRequest{}).
				ok(ConfirmationView{}, BulkOutcomeView{}).fails(guarded...)},
		{http.MethodPost, "/api/v1/numbers/bulk/import", s.reply(http.StatusOK, s.bulkImportNumbers),
			doc("Import numbers from a CSV (e164,class,sitter_email|sitter_id,friendly_name), as text/csv or a multipart \"file\"", tagNumbers).
				raw("text/csv").query(qString("requestId", "Makes a retried import safe.")).ok(ImportView{}).returns(http.StatusAccepted, ImportView{}).
				fails(guarded...)},
	}
}

// numberQueryParams are the inventory's filters.
var numberQueryParams = []param{
	qString("class", "front_desk, sitter or pool."), qString("status", "active, quarantined, inactive or released."),
	qString("assignedTo", "front_desk, sitter, clients, pool or unassigned."), qString("health", "green, yellow or red."),
	qString("minVolume", "At least this many messages in 7 days."), qString("maxVolume", "At most this many messages in 7 days."),
	qString("idleDays", "Unused for at least this many days."), qString("q", "Search by number or name."),
	qUUID("sitterId", "Only this sitter's."), qString("ids", "Comma-separated number IDs."),
	qString("cursor", "The nextCursor of the previous page."), qInt("limit", "Items per page.", 1, 200),
	qEnum("format", "csv exports every matching number.", "csv"),
}

// numberSearchParams search numbers for sale.
var numberSearchParams = []param{
	qString("areaCode", "A US or Canadian area code."), qString("region", "A state or province."),
	qString("tollFree", "true for toll-free numbers."), qString("limit", "At most this many."),
}

// NumberPage is a page of the inventory.
type NumberPage struct {
	Numbers    []NumberView `json:"numbers"`
	NextCursor string       `json:"nextCursor"`
}

// NumberDetailView is the number's page.
type NumberDetailView struct {
	Number         NumberView           `json:"number"`
	History        []store.NumberEvent  `json:"history"`
	Threads        []store.NumberThread `json:"threads"`
	DeliveryErrors []DeliveryErrorView  `json:"deliveryErrors"`
	Quarantine     *QuarantineView      `json:"quarantine"`
}

// NumberResultView is a number after an action.
type NumberResultView struct {
	Number NumberView `json:"number"`
}

// WorkflowPendingView answers an action its workflow is still carrying out.
type WorkflowPendingView struct {
	Status     string `json:"status"`
	WorkflowID string `json:"workflowId"`
}

var (
	_ = schemaEnum[NumberView]("class", store.ClassFrontDesk, store.ClassSitter, store.ClassPool)
	_ = schemaEnum[NumberView]("status", domain.StatusActive, domain.StatusQuarantined, domain.StatusInactive, domain.StatusReleased)
	_ = schemaEnum[HealthView]("level", domain.HealthGreen, domain.HealthYellow, domain.HealthRed)
	_ = schemaEnum[AssignmentView]("kind", domain.AssignedFrontDesk, domain.AssignedSitter, domain.AssignedClients, domain.AssignedPool, domain.AssignedUnassigned)
)

// ofNumber adapts a handler of one number, named by the :id path
// parameter: a malformed ID is the number's 404, like another org's.
func ofNumber(h func(c *gin.Context, id uuid.UUID) (any, error)) handlerFunc {
	return func(c *gin.Context) (any, error) {
		id, err := pathID(c, "id", "The number")
		if err != nil {
			return nil, err
		}
		return h(c, id)
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
// rule is numbers.Health in internal/domain/numbers).
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
	case domain.AssignedFrontDesk:
		v.AssignedTo.Label = "Front desk"
	case domain.AssignedSitter:
		if r.SitterName != nil {
			v.AssignedTo.SitterName = *r.SitterName
			v.AssignedTo.Label = *r.SitterName
		}
	case domain.AssignedClients:
		v.AssignedTo.Label = domain.Plural(r.Threads, "client thread", "client threads")
	case domain.AssignedPool:
		v.AssignedTo.Label = "Pool"
	default:
		v.AssignedTo.Label = "Unassigned"
	}
	return v
}

func numberViewOf(r *store.InventoryRow) *NumberView {
	if r == nil {
		return nil
	}
	v := numberView(*r)
	return &v
}

func roundRate(f float64) float64 { return float64(int(f*10000+0.5)) / 10000 }

func listQuery(c *gin.Context) numbers.ListQuery {
	return numbers.ListQuery{Class: c.Query("class"), Status: c.Query("status"), AssignedTo: c.Query("assignedTo"), Health: c.Query("health"),
		MinVolume: c.Query("minVolume"), MaxVolume: c.Query("maxVolume"), IdleDays: c.Query("idleDays"), Search: c.Query("q"),
		SitterID: c.Query("sitterId"), IDs: c.Query("ids"), Cursor: c.Query("cursor")}
}

// listNumbers serves the inventory with filters and cursor pagination;
// ?format=csv exports every matching number (up to 10,000).
func (s *Server) listNumbers(c *gin.Context) {
	ctx := c.Request.Context()
	if c.Query("format") == "csv" {
		rows, err := s.numbers.Export(ctx, actor(c), listQuery(c))
		if err != nil {
			respondError(c, s.log, err)
			return
		}
		writeNumbersCSV(c, rows)
		return
	}
	s.reply(http.StatusOK, func(c *gin.Context) (any, error) {
		limit, err := pageLimit(c, 50, 200)
		if err != nil {
			return nil, err
		}
		page, err := s.numbers.List(ctx, actor(c), listQuery(c), limit)
		if err != nil {
			return nil, err
		}
		out := make([]NumberView, len(page.Rows))
		for i, r := range page.Rows {
			out[i] = numberView(r)
		}
		return NumberPage{Numbers: out, NextCursor: page.Next}, nil
	})(c)
}

// numberCSVHeader is the export's first line; bulk import reads the same
// e164, class and friendly_name columns back.
var numberCSVHeader = []string{"id", "e164", "friendly_name", "class", "status", "assigned_to", "sitter_id", "sitter_name", "client_threads",
	"health", "error_rate_7d", "attempts_7d", "failed_7d", "volume_7d", "last_used_at", "cooldown_ends_at"}

// writeNumbersCSV exports rows. Free-text cells go through csvSafe so a
// spreadsheet never runs them as formulas; E.164 numbers are written as is
// (the database only holds "+" and digits there, which no spreadsheet reads
// as anything but a number).
func writeNumbersCSV(c *gin.Context, rows []store.InventoryRow) {
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

// DeliveryErrorView is one failed send from a number, in plain words.
type DeliveryErrorView struct {
	// Code is the raw provider code, with diagnostics on.
	Code       *int      `json:"code,omitempty"`
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
	if q == nil {
		return nil
	}
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
func (s *Server) numberDetail(c *gin.Context, id uuid.UUID) (any, error) {
	d, err := s.numbers.Detail(c.Request.Context(), actor(c), id)
	if err != nil {
		return nil, err
	}
	failures := make([]DeliveryErrorView, len(d.DeliveryErrors))
	for i, f := range d.DeliveryErrors {
		code := f.Code
		failures[i] = DeliveryErrorView{Code: &code, Reason: provider.Explain(f.Code), Status: f.Status, At: f.At,
			ClientName: f.ClientName, ThreadID: f.ThreadID, MessageID: f.MessageID}
	}
	v := NumberDetailView{Number: numberView(*d.Number), History: d.History, Threads: d.Threads,
		DeliveryErrors: failures, Quarantine: s.quarantineView(d.Quarantine)}
	if v.History == nil {
		v.History = []store.NumberEvent{}
	}
	if v.Threads == nil {
		v.Threads = []store.NumberThread{}
	}
	return v, nil
}
