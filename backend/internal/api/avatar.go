package api

import "github.com/labstack/echo/v4"

// TODO(stub): replaced by the real handlers.

func (s *Server) getAvatar(echo.Context) error { return errNotImplemented }

func (s *Server) uploadAvatar(echo.Context) error { return errNotImplemented }

func (s *Server) deleteAvatar(echo.Context) error { return errNotImplemented }
