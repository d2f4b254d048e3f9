package api

import (
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/flicket/flicket/backend/internal/model"
)

// guard says who may call a route: anyone, any user, or the users whose
// role rule (model.UserCan, also reported by GET /me's can) allows it.
type guard int

const (
	public            guard = iota // anyone, no token
	anyUser                        // any enabled user with a valid token
	manageDepartments              // departments and categories: administrators and super users
	manageUsers                    // users and groups: administrators
	manageConfig                   // configuration and mail outbox: administrators
	deleteTickets                  // administrators
)

// route is one line of the route table.
type route struct {
	method  string
	path    string // under /flicket-api; trailing slashes are ignored
	guard   guard
	handler echo.HandlerFunc
}

// apiRoutes is the whole API on one screen: method, path, who may call it,
// handler. Every create is wrapped in idempotent: it honours an
// Idempotency-Key header (see idempotency.go). Object-level rules (may this user edit this ticket?) live in the
// model, next to the data.
func (s *Server) apiRoutes() []route {
	return []route{
		// Tokens and browser sessions.
		{http.MethodPost, "/tokens", public, s.createToken},
		{http.MethodDelete, "/tokens", anyUser, s.revokeToken},
		{http.MethodPost, "/session", public, s.createSession},
		{http.MethodGet, "/session", public, s.getSession},
		{http.MethodDelete, "/session", public, s.deleteSession},
		{http.MethodPost, "/password-reset", public, s.requestPasswordReset},
		{http.MethodPost, "/password-reset/confirm", public, s.confirmPasswordReset},

		// Lookups.
		{http.MethodGet, "/statuses", anyUser, s.listStatuses},
		{http.MethodGet, "/status/:id", anyUser, s.getStatus},
		{http.MethodGet, "/priorities", anyUser, s.listPriorities},
		{http.MethodGet, "/priorities/:page", anyUser, s.listPriorities},
		{http.MethodGet, "/priority/:id", anyUser, s.getPriority},

		// Tickets and their workflow.
		{http.MethodGet, "/tickets", anyUser, s.listTickets},
		{http.MethodGet, "/tickets/export.csv", anyUser, s.exportTickets},
		{http.MethodGet, "/tickets/:page", anyUser, s.listTickets},
		{http.MethodPost, "/tickets", anyUser, s.idempotent(s.createTicket)},
		{http.MethodPost, "/tickets/bulk", anyUser, s.idempotent(s.bulkTickets)}, // each ticket's own rule
		{http.MethodGet, "/ticket/:id", anyUser, s.getTicket},
		{http.MethodPatch, "/ticket/:id", anyUser, s.updateTicket}, // creator or admin, not closed
		{http.MethodDelete, "/ticket/:id", deleteTickets, s.deleteTicket},
		{http.MethodPost, "/ticket/:id/assign", anyUser, s.assignTicket},
		{http.MethodPost, "/ticket/:id/claim", anyUser, s.claimTicket},
		{http.MethodPost, "/ticket/:id/release", anyUser, s.releaseTicket}, // assignee or admin
		{http.MethodPost, "/ticket/:id/close", anyUser, s.closeTicket},     // creator, assignee or admin
		{http.MethodPost, "/ticket/:id/status", anyUser, s.setTicketStatus},
		{http.MethodPost, "/ticket/:id/priority", anyUser, s.setTicketPriority},
		{http.MethodPost, "/ticket/:id/category", anyUser, s.setTicketCategory}, // config switches
		{http.MethodPut, "/ticket/:id/seen", anyUser, s.markTicketSeen},
		{http.MethodGet, "/stats", anyUser, s.getStats},
		{http.MethodGet, "/actions/:ticket_id", anyUser, s.listActions},
		{http.MethodGet, "/action/:id", anyUser, s.getAction},
		{http.MethodGet, "/histories", anyUser, s.listHistories},
		{http.MethodGet, "/histories/:page", anyUser, s.listHistories},
		{http.MethodGet, "/history/:id", anyUser, s.getHistory},

		// Replies, subscriptions, attachments, markdown.
		{http.MethodGet, "/posts/:ticket_id", anyUser, s.listPosts},
		{http.MethodGet, "/posts/:ticket_id/:page", anyUser, s.listPosts},
		{http.MethodPost, "/posts", anyUser, s.idempotent(s.createPost)},
		{http.MethodGet, "/post/:id", anyUser, s.getPost},
		{http.MethodPatch, "/post/:id", anyUser, s.updatePost},  // author or admin, not closed
		{http.MethodDelete, "/post/:id", anyUser, s.deletePost}, // author or admin
		{http.MethodGet, "/subscriptions", anyUser, s.listSubscriptions},
		{http.MethodGet, "/subscriptions/:ticket_id", anyUser, s.listSubscriptions},
		{http.MethodGet, "/subscriptions/:ticket_id/:page", anyUser, s.listSubscriptions},
		{http.MethodPost, "/subscriptions", anyUser, s.idempotent(s.createSubscription)},
		{http.MethodGet, "/subscription/:id", anyUser, s.getSubscription},
		{http.MethodDelete, "/subscription/:id", anyUser, s.deleteSubscription}, // self, or admin/super
		{http.MethodGet, "/uploads", anyUser, s.listUploads},
		{http.MethodGet, "/uploads/:page", anyUser, s.listUploads},
		{http.MethodPost, "/uploads", anyUser, s.idempotent(s.createUploads)}, // whoever may edit the ticket or reply
		{http.MethodGet, "/upload/:id", anyUser, s.getUpload},
		{http.MethodGet, "/upload/:id/download", anyUser, s.downloadUpload},
		{http.MethodDelete, "/upload/:id", anyUser, s.deleteUpload}, // whoever may edit its post
		{http.MethodPost, "/markdown", anyUser, s.renderMarkdown},

		// Departments and categories.
		{http.MethodGet, "/departments", anyUser, s.listDepartments},
		{http.MethodPost, "/departments", manageDepartments, s.idempotent(s.createDepartment)},
		{http.MethodGet, "/department/:id", anyUser, s.getDepartment},
		{http.MethodPatch, "/department/:id", manageDepartments, s.updateDepartment},
		{http.MethodDelete, "/department/:id", manageDepartments, s.deleteDepartment},
		{http.MethodGet, "/categories", anyUser, s.listCategories},
		{http.MethodPost, "/categories", manageDepartments, s.idempotent(s.createCategory)},
		{http.MethodGet, "/category/:id", anyUser, s.getCategory},
		{http.MethodPatch, "/category/:id", manageDepartments, s.updateCategory},
		{http.MethodDelete, "/category/:id", manageDepartments, s.deleteCategory},
		{http.MethodGet, "/department_categories", anyUser, s.listDepartmentCategories},
		{http.MethodGet, "/department_category/:id", anyUser, s.getDepartmentCategory},

		// Users, the signed-in user, groups.
		{http.MethodGet, "/users", anyUser, s.listUsers},
		{http.MethodPost, "/users", manageUsers, s.idempotent(s.createUser)},
		{http.MethodGet, "/user/:id", anyUser, s.getUser},
		{http.MethodPatch, "/user/:id", manageUsers, s.updateUser},
		{http.MethodDelete, "/user/:id", manageUsers, s.deleteUser},
		{http.MethodGet, "/user/:id/avatar", anyUser, s.getAvatar},
		{http.MethodGet, "/me", anyUser, s.getMe},
		{http.MethodPatch, "/me", anyUser, s.updateMe},
		{http.MethodPut, "/me/avatar", anyUser, s.uploadAvatar},
		{http.MethodDelete, "/me/avatar", anyUser, s.deleteAvatar},
		{http.MethodGet, "/me/notifications", anyUser, s.listNotifications},
		{http.MethodPost, "/me/notifications/read", anyUser, s.readAllNotifications},
		{http.MethodPost, "/me/notification/:id/read", anyUser, s.readNotification},
		{http.MethodGet, "/me/queues", anyUser, s.getQueueCounts},
		{http.MethodGet, "/me/dashboard", anyUser, s.getMyDashboard},
		{http.MethodGet, "/me/views", anyUser, s.listSavedViews},
		{http.MethodPost, "/me/views", anyUser, s.idempotent(s.createSavedView)}, // shared: administrators
		{http.MethodGet, "/me/views/:id", anyUser, s.getSavedView},
		{http.MethodPatch, "/me/views/:id", anyUser, s.updateSavedView},  // owner; shared: administrators
		{http.MethodDelete, "/me/views/:id", anyUser, s.deleteSavedView}, // owner; shared: administrators
		{http.MethodGet, "/me/canned-replies", anyUser, s.listCannedReplies},
		{http.MethodPost, "/me/canned-replies", anyUser, s.idempotent(s.createCannedReply)}, // shared: administrators
		{http.MethodGet, "/me/canned-replies/:id", anyUser, s.getCannedReply},
		{http.MethodPatch, "/me/canned-replies/:id", anyUser, s.updateCannedReply},  // owner; shared: administrators
		{http.MethodDelete, "/me/canned-replies/:id", anyUser, s.deleteCannedReply}, // owner; shared: administrators
		{http.MethodGet, "/groups", manageUsers, s.listGroups},
		{http.MethodPost, "/groups", manageUsers, s.idempotent(s.createGroup)},
		{http.MethodGet, "/group/:id", manageUsers, s.getGroup},
		{http.MethodPatch, "/group/:id", manageUsers, s.updateGroup},
		{http.MethodDelete, "/group/:id", manageUsers, s.deleteGroup},

		// Administration.
		{http.MethodGet, "/config", manageConfig, s.getConfig},
		{http.MethodPatch, "/config", manageConfig, s.updateConfig},
		{http.MethodPost, "/config/test-email", manageConfig, s.sendTestEmail},
		{http.MethodGet, "/mail/outbox", manageConfig, s.listOutbox},
	}
}

// register mounts the route table on the API group.
func (s *Server) register(g *echo.Group) {
	const admins, adminsAndSupers = "Only administrators may do this.", "Only administrators and super users may do this."
	guards := map[guard][]echo.MiddlewareFunc{
		public:            nil,
		anyUser:           {s.requireUser},
		manageDepartments: {s.requireCan(func(c model.UserCan) bool { return c.ManageDepartments }, adminsAndSupers)},
		manageUsers:       {s.requireCan(func(c model.UserCan) bool { return c.ManageUsers }, admins)},
		manageConfig:      {s.requireCan(func(c model.UserCan) bool { return c.ManageConfig }, admins)},
		deleteTickets:     {s.requireCan(func(c model.UserCan) bool { return c.DeleteTickets }, admins)},
	}
	s.routes = s.apiRoutes()
	for _, r := range s.routes {
		g.Add(r.method, r.path, r.handler, guards[r.guard]...)
		if r.method == http.MethodGet {
			g.Add(http.MethodHead, r.path, r.handler, guards[r.guard]...)
		}
	}
	// Every other method and path under the API ends here, so that the web
	// app's GET catch-all never answers for an API path: a known path with
	// a wrong method is a 405 with Allow, anything else a 404.
	g.Any("", s.apiFallback)
	g.Any("/*", s.apiFallback)
}

// apiFallback answers the requests no API route took.
func (s *Server) apiFallback(c echo.Context) error {
	req := c.Request()
	allowed := allowedMethods(s.routes, strings.TrimPrefix(req.URL.Path, apiPrefix))
	if len(allowed) == 0 {
		return echo.ErrNotFound
	}
	allow := strings.Join(allowed, ", ")
	if req.Method == http.MethodOptions {
		c.Response().Header().Set(echo.HeaderAllow, allow)
		return c.NoContent(http.StatusNoContent)
	}
	return &APIError{
		Status: http.StatusMethodNotAllowed, Code: "route.method_not_allowed",
		Message: fmt.Sprintf("This endpoint does not accept %s; it accepts %s.", req.Method, allow),
		Header:  map[string]string{echo.HeaderAllow: allow},
	}
}

// allowedMethods lists, sorted, the methods the route table accepts for path
// (under the API prefix, without a trailing slash): HEAD wherever GET is, and
// OPTIONS; none when no route matches the path.
func allowedMethods(routes []route, path string) []string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	set := map[string]bool{}
	for _, r := range routes {
		if matchPath(strings.Split(strings.Trim(r.path, "/"), "/"), segs) {
			set[r.method] = true
			if r.method == http.MethodGet {
				set[http.MethodHead] = true
			}
		}
	}
	if len(set) == 0 {
		return nil
	}
	set[http.MethodOptions] = true
	out := make([]string, 0, len(set))
	for m := range set {
		out = append(out, m)
	}
	sort.Strings(out)
	return out
}

// matchPath says whether the path's segments fit a route pattern's: a
// ":param" takes any one non-empty segment.
func matchPath(pattern, segs []string) bool {
	if len(pattern) != len(segs) {
		return false
	}
	for i, p := range pattern {
		if strings.HasPrefix(p, ":") {
			if segs[i] == "" {
				return false
			}
		} else if p != segs[i] {
			return false
		}
	}
	return true
}
