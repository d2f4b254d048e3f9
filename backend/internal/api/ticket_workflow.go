package api

import "github.com/labstack/echo/v4"

// TODO(stub): replaced by the real handlers.

func (s *Server) assignTicket(echo.Context) error { return errNotImplemented }

func (s *Server) claimTicket(echo.Context) error { return errNotImplemented }

func (s *Server) releaseTicket(echo.Context) error { return errNotImplemented }

func (s *Server) closeTicket(echo.Context) error { return errNotImplemented }

func (s *Server) setTicketStatus(echo.Context) error { return errNotImplemented }

func (s *Server) setTicketPriority(echo.Context) error { return errNotImplemented }

func (s *Server) setTicketCategory(echo.Context) error { return errNotImplemented }
