package api

import "github.com/labstack/echo/v4"

// TODO(stub): replaced by the real handlers.

func (s *Server) requestPasswordReset(echo.Context) error { return errNotImplemented }

func (s *Server) confirmPasswordReset(echo.Context) error { return errNotImplemented }
