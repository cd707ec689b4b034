package api

// sitterRoutes: not built yet.
func (s *Server) sitterRoutes() []featureRoute { return nil }
