package api

// composeRoutes: not built yet.
func (s *Server) composeRoutes() []featureRoute { return nil }
