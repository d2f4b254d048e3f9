package api

import "github.com/labstack/echo/v4"

// TODO(stub): replaced by the real handlers.

func (s *Server) getConfig(echo.Context) error { return errNotImplemented }

func (s *Server) updateConfig(echo.Context) error { return errNotImplemented }
