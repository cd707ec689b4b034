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
		return viewOf(auditCSV)(s.trail.Export(c.Request.Context(), actor(c), q))
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

func auditPage(p audit.Page) any {
	next := ""
	if p.Next > 0 {
		next = strconv.FormatInt(p.Next, 10)
	}
	return gin.H{"events": p.Events, "nextCursor": next}
}

// csvFile is a download.
type csvFile struct {
	name string
	rows [][]string
}

func (f csvFile) render(c *gin.Context, status int) {
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", `attachment; filename="`+f.name+`"`)
	c.Status(status)
	w := csv.NewWriter(c.Writer)
	_ = w.WriteAll(f.rows)
}

func auditCSV(events []store.AuditEvent) csvFile {
	rows := [][]string{{"id", "at", "actor_type", "actor_id", "action", "entity_type", "entity_id", "correlation_id", "detail"}}
	for _, e := range events {
		rows = append(rows, []string{strconv.FormatInt(e.ID, 10), e.At.UTC().Format(time.RFC3339), e.ActorType, e.ActorID, e.Action,
			e.EntityType, e.EntityID, e.CorrelationID, csvSafe(string(e.Detail))})
	}
	return csvFile{name: "audit.csv", rows: rows}
}

// csvSafe stops spreadsheet formula injection in exported cells.
func csvSafe(v string) string {
	if v != "" && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@') {
		return "'" + v
	}
	return v
}

func (s *Server) listOutbox(c *gin.Context) (any, error) {
	return viewOf(func(mail []store.OutboxEmail) any { return gin.H{"emails": mail} })(s.trail.Outbox(c.Request.Context(), actor(c)))
}
