package api

import "github.com/labstack/echo/v4"

// TODO(stub): replaced by the real handlers.

func (s *Server) createSession(echo.Context) error { return errNotImplemented }

func (s *Server) deleteSession(echo.Context) error { return errNotImplemented }
