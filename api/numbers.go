package api

// numberRoutes: not built yet.
func (s *Server) numberRoutes() []featureRoute { return nil }
