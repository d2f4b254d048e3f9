package api

import "github.com/labstack/echo/v4"

// TODO(stub): replaced by the real handlers.

func (s *Server) listPosts(echo.Context) error { return errNotImplemented }

func (s *Server) getPost(echo.Context) error { return errNotImplemented }

func (s *Server) createPost(echo.Context) error { return errNotImplemented }

func (s *Server) updatePost(echo.Context) error { return errNotImplemented }

func (s *Server) deletePost(echo.Context) error { return errNotImplemented }
