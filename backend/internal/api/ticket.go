package api

import "github.com/labstack/echo/v4"

// TODO(stub): replaced by the real handlers.

func (s *Server) listTickets(echo.Context) error { return errNotImplemented }

func (s *Server) getTicket(echo.Context) error { return errNotImplemented }

func (s *Server) createTicket(echo.Context) error { return errNotImplemented }

func (s *Server) updateTicket(echo.Context) error { return errNotImplemented }

func (s *Server) deleteTicket(echo.Context) error { return errNotImplemented }
