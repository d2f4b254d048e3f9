package api

import "github.com/labstack/echo/v4"

// TODO(stub): replaced by the real handlers.

func (s *Server) sendTestEmail(echo.Context) error { return errNotImplemented }

func (s *Server) listOutbox(echo.Context) error { return errNotImplemented }
