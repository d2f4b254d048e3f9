package api

import "github.com/labstack/echo/v4"

// TODO(stub): replaced by the real handlers.

func (s *Server) listActions(echo.Context) error { return errNotImplemented }

func (s *Server) getAction(echo.Context) error { return errNotImplemented }
