package api

import "github.com/labstack/echo/v4"

// TODO(stub): replaced by the real handlers.

func (s *Server) listHistories(echo.Context) error { return errNotImplemented }

func (s *Server) getHistory(echo.Context) error { return errNotImplemented }
