package api

import "github.com/labstack/echo/v4"

// TODO(stub): replaced by the real handlers.

func (s *Server) getMe(echo.Context) error { return errNotImplemented }

func (s *Server) updateMe(echo.Context) error { return errNotImplemented }
