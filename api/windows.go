package api

// windowRoutes: not built yet.
func (s *Server) windowRoutes() []featureRoute { return nil }
