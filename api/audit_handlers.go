package api

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/snoutos/snout/internal/store"
)

// listAudit serves the org's audit trail, newest first, with filters and
// cursor pagination; ?format=csv exports up to 10,000 rows.
func (s *Server) listAudit(c *gin.Context) {
	p := principal(c)
	f := store.AuditFilter{
		Action: c.Query("action"), ActorID: c.Query("actor"), EntityType: c.Query("entityType"),
		EntityID: c.Query("entityId"), CorrelationID: c.Query("correlationId"),
	}
	var err error
	if f.From, err = optionalTime(c, "from"); err != nil {
		respondError(c, s.log, err)
		return
	}
	if f.To, err = optionalTime(c, "to"); err != nil {
		respondError(c, s.log, err)
		return
	}
	if cur := c.Query("cursor"); cur != "" {
		n, err := strconv.ParseInt(cur, 10, 64)
		if err != nil || n <= 0 {
			respondError(c, s.log, invalidField("cursor", "Use the nextCursor value from the previous page."))
			return
		}
		f.BeforeID = n
	}
	csvOut := c.Query("format") == "csv"
	limit, err := pageLimit(c, 50, 200)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	if csvOut {
		limit = 10000
	}
	events, err := s.store.Org(p.OrgID).AuditEvents(c.Request.Context(), f, limit+1)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	if csvOut {
		if len(events) > limit {
			events = events[:limit]
		}
		c.Header("Content-Type", "text/csv; charset=utf-8")
		c.Header("Content-Disposition", `attachment; filename="audit.csv"`)
		w := csv.NewWriter(c.Writer)
		_ = w.Write([]string{"id", "at", "actor_type", "actor_id", "action", "entity_type", "entity_id", "correlation_id", "detail"})
		for _, e := range events {
			_ = w.Write([]string{strconv.FormatInt(e.ID, 10), e.At.UTC().Format(time.RFC3339), e.ActorType, e.ActorID, e.Action, e.EntityType, e.EntityID, e.CorrelationID, csvSafe(string(e.Detail))})
		}
		w.Flush()
		return
	}
	next := ""
	if len(events) > limit {
		events = events[:limit]
		next = strconv.FormatInt(events[len(events)-1].ID, 10)
	}
	c.JSON(http.StatusOK, gin.H{"events": events, "nextCursor": next})
}

// csvSafe stops spreadsheet formula injection in exported cells.
func csvSafe(v string) string {
	if v != "" && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@') {
		return "'" + v
	}
	return v
}

func (s *Server) listOutbox(c *gin.Context) {
	p := principal(c)
	mail, err := s.store.Org(p.OrgID).Outbox(c.Request.Context(), 100)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"emails": mail})
}

func optionalTime(c *gin.Context, name string) (*time.Time, error) {
	v := c.Query(name)
	if v == "" {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return nil, invalidField(name, "Use an RFC 3339 time such as 2026-11-25T09:00:00Z.")
	}
	return &t, nil
}

func pageLimit(c *gin.Context, def, max int) (int, error) {
	v := c.Query("limit")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > max {
		return 0, invalidField("limit", "Use a number from 1 to "+strconv.Itoa(max)+".")
	}
	return n, nil
}
