package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/flicket/flicket/backend/internal/model"
)

// The original Flicket's web pages, as found in years of notification
// e-mails and bookmarks, redirect (301) to the same object in the web app.
// The original served them at the root and its documentation at /flicket/;
// both are accepted. Nothing acts on these links: the page shows the
// object, and what the old link did (claim, close, ...) is a button there.
func (s *Server) registerLegacy(e *echo.Echo) {
	getHead := []string{http.MethodGet, http.MethodHead}
	ticket := func(c echo.Context) error { return s.legacyTicket(c, "ticket_id") }
	routes := []struct {
		path string
		h    echo.HandlerFunc
	}{
		{"/ticket_view/:ticket_id", ticket},
		{"/ticket_view/:ticket_id/:page", ticket},
		{"/edit_ticket/:ticket_id", ticket},
		{"/delete_ticket/:ticket_id", ticket},
		{"/ticket_assign/:ticket_id", ticket},
		{"/ticket_claim/:ticket_id", ticket},
		{"/release/:ticket_id", ticket},
		{"/change_status/:ticket_id/:status", ticket},
		{"/ticket_department_category/:ticket_id", ticket},
		{"/unsubscribe/:ticket_id/:user_id", ticket},
		{"/history/topic/:ticket_id", ticket},
		{"/edit_post/:post_id", s.legacyPost},
		{"/delete_post/:post_id", s.legacyPost},
		{"/history/post/:post_id", s.legacyPost},
		{"/user/:user_id", s.legacyUser},
		{"/my_tickets", fixed("/tickets?view=mine")},
		{"/my_tickets/:page", fixed("/tickets?view=mine")},
		{"/subscribed", fixed("/tickets?view=subscribed")},
		{"/subscribed/:page", fixed("/tickets?view=subscribed")},
		{"/ticket_create", fixed("/tickets/new")},
		{"/tickets_csv", fixed("/tickets")},
		{"/user_details", fixed("/settings")},
		{"/markdown_primer", fixed("/markdown-help")},
		{"/categories/:department_id", fixed("/departments")},
		{"/password_reset", fixed("/forgot-password")},
	}
	// Under /flicket/ every page of the original redirects, also those whose
	// path the web app kept or reuses (at the root, /tickets/2 is ticket 2
	// in the web app, not page 2 of the list).
	prefixed := append(routes[:len(routes):len(routes)], []struct {
		path string
		h    echo.HandlerFunc
	}{
		{"", fixed("/")}, {"/tickets", fixed("/tickets")}, {"/users", fixed("/users")},
		{"/departments", fixed("/departments")}, {"/login", fixed("/login")}, {"/logout", fixed("/login")},
		{"/tickets/:page", listPage("/tickets")}, {"/users/:page", listPage("/users")},
		{"/departments/:page", listPage("/departments")},
	}...)
	for _, r := range routes {
		e.Match(getHead, r.path, r.h)
	}
	for _, r := range prefixed {
		e.Match(getHead, "/flicket"+r.path, r.h)
	}
	admin := map[string]string{
		"/flicket_admin": "/admin", "/flicket_admin/users": "/admin/users", "/flicket_admin/users/:page": "/admin/users",
		"/flicket_admin/add_user": "/admin/users", "/flicket_admin/edit_user": "/admin/users",
		"/flicket_admin/groups": "/admin/groups", "/flicket_admin/edit_group": "/admin/groups",
		"/flicket_admin/config": "/admin/config",
	}
	for from, to := range admin {
		e.Match(getHead, from, fixed(to))
	}
}

func fixed(to string) echo.HandlerFunc {
	return func(c echo.Context) error { return c.Redirect(http.StatusMovedPermanently, to) }
}

// legacyID reads an id parameter; anything else is not one of the
// original's pages, so the web app's own 404 shows.
func legacyID(c echo.Context, name string) (int64, bool) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	return id, err == nil && id > 0
}

func (s *Server) legacyTicket(c echo.Context, param string) error {
	id, ok := legacyID(c, param)
	if !ok {
		return s.legacyNotFound(c)
	}
	return c.Redirect(http.StatusMovedPermanently, "/tickets/"+strconv.FormatInt(id, 10))
}

// legacyPost sends a reply's old pages to its ticket, at the reply.
func (s *Server) legacyPost(c echo.Context) error {
	id, ok := legacyID(c, "post_id")
	if !ok {
		return s.legacyNotFound(c)
	}
	p, err := model.FindPost(c.Request().Context(), s.db, id)
	if errors.Is(err, model.ErrNotFound) {
		return s.legacyNotFound(c)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusMovedPermanently, "/tickets/"+strconv.FormatInt(p.TicketID, 10)+"#post-"+strconv.FormatInt(id, 10))
}

func (s *Server) legacyUser(c echo.Context) error {
	id, ok := legacyID(c, "user_id")
	if !ok {
		return s.legacyNotFound(c)
	}
	return c.Redirect(http.StatusMovedPermanently, "/users/"+strconv.FormatInt(id, 10))
}

// listPage keeps the page number of the original's paginated lists.
func listPage(to string) echo.HandlerFunc {
	return func(c echo.Context) error {
		dest := to
		if n, ok := legacyID(c, "page"); ok && n > 1 {
			dest += "?page=" + strconv.FormatInt(n, 10)
		}
		return c.Redirect(http.StatusMovedPermanently, dest)
	}
}

// legacyNotFound lets the web app answer (its 404 page).
func (s *Server) legacyNotFound(c echo.Context) error { return s.serveApp(c) }
