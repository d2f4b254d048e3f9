package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// guard says who may call a route.
type guard int

const (
	public       guard = iota // anyone, no token
	anyUser                   // any enabled user with a valid token
	adminOrSuper              // members of flicket_admin or super_user
	adminOnly                 // members of flicket_admin
)

// route is one line of the route table.
type route struct {
	method  string
	path    string // under /flicket-api; trailing slashes are ignored
	guard   guard
	handler echo.HandlerFunc
}

// apiRoutes is the whole API on one screen: method, path, who may call it,
// handler. Object-level rules (may this user edit this ticket?) live in the
// model, next to the data.
func (s *Server) apiRoutes() []route {
	return []route{
		{http.MethodPost, "/tokens", public, s.createToken},
		{http.MethodDelete, "/tokens", anyUser, s.revokeToken},

		{http.MethodGet, "/statuses", anyUser, s.listStatuses},
		{http.MethodGet, "/status/:id", anyUser, s.getStatus},
		{http.MethodGet, "/priorities", anyUser, s.listPriorities},
		{http.MethodGet, "/priorities/:page", anyUser, s.listPriorities},
		{http.MethodGet, "/priority/:id", anyUser, s.getPriority},

		{http.MethodGet, "/users", anyUser, s.listUsers},
		{http.MethodGet, "/user/:id", anyUser, s.getUser},
	}
}

// register mounts the route table on the API group.
func (s *Server) register(g *echo.Group) {
	guards := map[guard][]echo.MiddlewareFunc{
		public:       nil,
		anyUser:      {s.requireUser},
		adminOrSuper: {s.requireAdminOrSuper},
		adminOnly:    {s.requireAdmin},
	}
	for _, r := range s.apiRoutes() {
		g.Add(r.method, r.path, r.handler, guards[r.guard]...)
	}
}
