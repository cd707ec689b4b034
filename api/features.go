package api

// webhookRoutes are Twilio's public endpoints (signature-checked), from
// webhooks.go.
func (s *Server) webhookRoutes() []featureRoute {
	return s.twilioWebhookRoutes()
}

// featureRoutes are the signed-in product routes beyond auth and audit,
// contributed by each feature's file. Every one is decided by the Casbin
// policy in policies/*.csv.
func (s *Server) featureRoutes() []featureRoute {
	var out []featureRoute
	for _, group := range [][]featureRoute{
		s.inboxRoutes(),     // inbox.go: threads, messages, read state
		s.composeRoutes(),   // messages.go: sending, policy review, dead letters, alerts
		s.sitterRoutes(),    // sitter.go: the sitters' scoped API
		s.windowRoutes(),    // windows.go: assignment windows
		s.setupRoutes(),     // setup.go: the setup wizard
		s.numberRoutes(),    // numbers.go: inventory and quarantine
		s.dashboardRoutes(), // settings.go: the shell's badges, the diagnostics switch
		s.teamRoutes(),      // team.go: members, invitations, sitters
		s.clientRoutes(),    // clients.go: the client book, starting a conversation
		s.routingRoutes(),   // routing.go: rules, simulator, overrides, history
	} {
		out = append(out, group...)
	}
	return out
}
