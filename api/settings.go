package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/snoutos/snout/service/inbox"
)

// The dashboard shell's own routes: the badge counts (service/inbox) and
// the owner's diagnostics switch (service/settings).

func (s *Server) dashboardRoutes() []featureRoute {
	return []featureRoute{
		{http.MethodGet, "/api/v1/inbox/counts", s.reply(http.StatusOK, s.counts),
			doc("The badges: unread threads and open alerts (a sitter's own unread conversations, no alerts)", tagInbox).ok(CountsView{})},
		{http.MethodPut, "/api/v1/settings/diagnostics", s.reply(http.StatusOK, handle(bindDiagnostics, s.settings.SetDiagnostics, diagnosticsView)),
			doc("Turn diagnostics on or off (owner only, at any time): provider SIDs, webhook URLs and raw provider codes", tagSettings).
				body(DiagnosticsRequest{}).ok(DiagnosticsView{})},
	}
}

// CountsView is what the badges show. OpenAlerts is left out for a sitter.
type CountsView struct {
	UnreadThreads int  `json:"unreadThreads"`
	OpenAlerts    *int `json:"openAlerts,omitempty"`
}

func countsView(c inbox.Counts) CountsView {
	return CountsView{UnreadThreads: c.UnreadThreads, OpenAlerts: c.OpenAlerts}
}

// DiagnosticsView says whether diagnostics is on.
type DiagnosticsView struct {
	Enabled bool `json:"enabled"`
}

func diagnosticsView(on bool) DiagnosticsView { return DiagnosticsView{Enabled: on} }

func (s *Server) counts(c *gin.Context) (any, error) {
	return viewOf(countsView)(s.inbox.Counts(c.Request.Context(), actor(c)))
}

// bindDiagnostics reads {"enabled": true|false}; anything else is a
// missing value, which the use case refuses naming the field.
func bindDiagnostics(c *gin.Context) (*bool, error) {
	var req DiagnosticsRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		return nil, nil
	}
	return req.Enabled, nil
}
