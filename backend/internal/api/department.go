package api

import "github.com/labstack/echo/v4"

// TODO(stub): replaced by the real handlers.

func (s *Server) listDepartments(echo.Context) error { return errNotImplemented }

func (s *Server) getDepartment(echo.Context) error { return errNotImplemented }

func (s *Server) createDepartment(echo.Context) error { return errNotImplemented }

func (s *Server) updateDepartment(echo.Context) error { return errNotImplemented }

func (s *Server) deleteDepartment(echo.Context) error { return errNotImplemented }
