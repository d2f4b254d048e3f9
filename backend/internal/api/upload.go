package api

import "github.com/labstack/echo/v4"

// TODO(stub): replaced by the real handlers.

func (s *Server) listUploads(echo.Context) error { return errNotImplemented }

func (s *Server) getUpload(echo.Context) error { return errNotImplemented }

func (s *Server) downloadUpload(echo.Context) error { return errNotImplemented }

func (s *Server) createUploads(echo.Context) error { return errNotImplemented }

func (s *Server) deleteUpload(echo.Context) error { return errNotImplemented }
