package api

// inboxRoutes: not built yet.
func (s *Server) inboxRoutes() []featureRoute { return nil }
