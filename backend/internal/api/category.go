package api

import "github.com/labstack/echo/v4"

// TODO(stub): replaced by the real handlers.

func (s *Server) listCategories(echo.Context) error { return errNotImplemented }

func (s *Server) getCategory(echo.Context) error { return errNotImplemented }

func (s *Server) createCategory(echo.Context) error { return errNotImplemented }

func (s *Server) updateCategory(echo.Context) error { return errNotImplemented }

func (s *Server) deleteCategory(echo.Context) error { return errNotImplemented }
