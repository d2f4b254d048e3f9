package api

import "github.com/labstack/echo/v4"

// TODO(stub): replaced by the real handlers.

func (s *Server) getStats(echo.Context) error { return errNotImplemented }
