package api

import "github.com/labstack/echo/v4"

// TODO(stub): replaced by the real handlers.

func (s *Server) listSubscriptions(echo.Context) error { return errNotImplemented }

func (s *Server) getSubscription(echo.Context) error { return errNotImplemented }

func (s *Server) createSubscription(echo.Context) error { return errNotImplemented }

func (s *Server) deleteSubscription(echo.Context) error { return errNotImplemented }
