package api

import "github.com/labstack/echo/v4"

// TODO(stub): replaced by the real handlers.

func (s *Server) listGroups(echo.Context) error { return errNotImplemented }

func (s *Server) getGroup(echo.Context) error { return errNotImplemented }

func (s *Server) createGroup(echo.Context) error { return errNotImplemented }

func (s *Server) updateGroup(echo.Context) error { return errNotImplemented }

func (s *Server) deleteGroup(echo.Context) error { return errNotImplemented }
