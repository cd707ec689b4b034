package api

// twilioWebhookRoutes: not built yet.
func (s *Server) twilioWebhookRoutes() []featureRoute { return nil }
