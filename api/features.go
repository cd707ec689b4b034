package api

// webhookRoutes are Twilio's public endpoints (signature-checked).
func (s *Server) webhookRoutes() []featureRoute {
	return nil
}

// featureRoutes are the signed-in product routes beyond auth and audit,
// contributed by each feature's file. Every one is decided by the Casbin
// policy in policies/policy.csv.
func (s *Server) featureRoutes() []featureRoute {
	var out []featureRoute
	return out
}
