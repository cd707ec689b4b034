package api

// setupRoutes: not built yet.
func (s *Server) setupRoutes() []featureRoute { return nil }
