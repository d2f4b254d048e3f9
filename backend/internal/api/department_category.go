package api

import "github.com/labstack/echo/v4"

// TODO(stub): replaced by the real handlers.

func (s *Server) listDepartmentCategories(echo.Context) error { return errNotImplemented }

func (s *Server) getDepartmentCategory(echo.Context) error { return errNotImplemented }
