package api

import (
	"encoding/csv"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service/audit"
)

// The audit trail (service/audit), newest first, with filters and cursor
// pagination; ?format=csv exports up to audit.ExportLimit rows.

func (s *Server) listAudit(c *gin.Context) (any, error) {
	q, err := bindAuditQuery(c)
	if err != nil {
		return nil, err
	}
	if c.Query("format") == "csv" {
		events, truncated, err := s.trail.Export(c.Request.Context(), actor(c), q)
		if err != nil {
			return nil, err
		}
		return auditCSV(events, truncated), nil
	}
	return viewOf(auditPage)(s.trail.Events(c.Request.Context(), actor(c), q))
}

func bindAuditQuery(c *gin.Context) (audit.Query, error) {
	q := audit.Query{Action: c.Query("action"), ActorID: c.Query("actor"), EntityType: c.Query("entityType"),
		EntityID: c.Query("entityId"), CorrelationID: c.Query("correlationId")}
	var err error
	if q.ThreadID, err = queryUUID(c, "threadId", "Use a conversation ID."); err != nil {
		return q, err
	}
	if q.From, err = optionalTime(c, "from"); err != nil {
		return q, err
	}
	if q.To, err = optionalTime(c, "to"); err != nil {
		return q, err
	}
	if cur := c.Query("cursor"); cur != "" {
		if q.BeforeID, err = strconv.ParseInt(cur, 10, 64); err != nil || q.BeforeID <= 0 {
			return q, errBadCursor
		}
	}
	q.Limit, err = pageLimit(c, audit.DefaultPageSize, audit.MaxPageSize)
	return q, err
}

// auditQueryParams are the audit trail's filters.
var auditQueryParams = append([]param{
	qString("action", "An action, such as message.sent, or a family of them ending in a dot, such as message."), qString("actor", "The actor's ID."),
	qString("entityType", "The entity's type."), qString("entityId", "The entity's ID."),
	qString("correlationId", "A request's correlation ID."), qUUID("threadId", "A conversation: its events and its messages'."),
	qTime("from", "Events at or after."), qTime("to", "Events before."), qEnum("format", "csv downloads the matching events.", "csv"),
}, qPage(audit.MaxPageSize)...)

// AuditPage is a page of the audit trail, newest first.
type AuditPage struct {
	Events     []store.AuditEvent `json:"events"`
	NextCursor string             `json:"nextCursor"`
}

// OutboxView lists the emails sent.
type OutboxView struct {
	Emails []store.OutboxEmail `json:"emails"`
}

func auditPage(p audit.Page) AuditPage {
	next := ""
	if p.Next > 0 {
		next = strconv.FormatInt(p.Next, 10)
	}
	events := p.Events
	if events == nil {
		events = []store.AuditEvent{}
	}
	return AuditPage{Events: events, NextCursor: next}
}

// csvFile is a download.
type csvFile struct {
	name string
	rows [][]string
	// truncated: the export stopped at its row limit.
	truncated bool
}

func (f csvFile) render(c *gin.Context, status int) {
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", `attachment; filename="`+f.name+`"`)
	if f.truncated {
		c.Header("X-Export-Truncated", "true")
	}
	c.Status(status)
	w := csv.NewWriter(c.Writer)
	_ = w.WriteAll(f.rows)
}

func auditCSV(events []store.AuditEvent, truncated bool) csvFile {
	rows := [][]string{{"id", "at", "actor_type", "actor_id", "action", "entity_type", "entity_id", "correlation_id", "detail"}}
	for _, e := range events {
		rows = append(rows, []string{strconv.FormatInt(e.ID, 10), e.At.UTC().Format(time.RFC3339), e.ActorType, e.ActorID, e.Action,
			e.EntityType, e.EntityID, e.CorrelationID, csvSafe(string(e.Detail))})
	}
	return csvFile{name: "audit.csv", rows: rows, truncated: truncated}
}

// csvSafe stops spreadsheet formula injection in exported cells.
func csvSafe(v string) string {
	if v != "" && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@') {
		return "'" + v
	}
	return v
}

func (s *Server) listOutbox(c *gin.Context) (any, error) {
	return viewOf(func(mail []store.OutboxEmail) OutboxView {
		if mail == nil {
			mail = []store.OutboxEmail{}
		}
		return OutboxView{Emails: mail}
	})(s.trail.Outbox(c.Request.Context(), actor(c)))
}
