package api

import (
	"net/http"
	"testing"

	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// TestLegacyURLs: the original's page URLs, from old e-mails and bookmarks,
// redirect to the same object in the web app, with or without the
// /flicket/ prefix and the trailing slash.
func TestLegacyURLs(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		e := newTestEnv(t, tdb)
		ticket := model.Ticket{Title: "legacy", Content: "body", StatusID: 1, CategoryID: 1, TicketPriorityID: 1}
		testutil.Must(t, e.db.Omit("content_html").Create(&ticket).Error)
		post := model.Post{TicketID: ticket.ID, Content: "reply"}
		testutil.Must(t, e.db.Omit("content_html").Create(&post).Error)
		tid, pid := itoa(ticket.ID), itoa(post.ID)
		cases := map[string]string{
			"/flicket/ticket_view/" + tid + "/":         "/tickets/" + tid,
			"/ticket_view/" + tid + "/":                 "/tickets/" + tid,
			"/flicket/ticket_view/" + tid + "/3/":       "/tickets/" + tid,
			"/flicket/edit_ticket/" + tid:               "/tickets/" + tid,
			"/flicket/ticket_claim/" + tid + "/":        "/tickets/" + tid,
			"/flicket/change_status/" + tid + "/Closed": "/tickets/" + tid,
			"/flicket/unsubscribe/" + tid + "/3":        "/tickets/" + tid,
			"/history/topic/" + tid + "/":               "/tickets/" + tid,
			"/flicket/edit_post/" + pid + "/":           "/tickets/" + tid + "#post-" + pid,
			"/history/post/" + pid + "/":                "/tickets/" + tid + "#post-" + pid,
			"/flicket/user/7/":                          "/users/7",
			"/user/7/":                                  "/users/7",
			"/flicket/":                                 "/",
			"/flicket/tickets/":                         "/tickets",
			"/flicket/tickets/3/":                       "/tickets?page=3",
			"/flicket/my_tickets/2/":                    "/tickets?view=mine",
			"/subscribed/":                              "/tickets?view=subscribed",
			"/ticket_create/":                           "/tickets/new",
			"/flicket/users/2/":                         "/users?page=2",
			"/user_details":                             "/settings",
			"/markdown_primer/":                         "/markdown-help",
			"/flicket_admin/config/":                    "/admin/config",
		}
		for from, to := range cases {
			r := e.call(http.MethodGet, from, nil)
			if r.Code != http.StatusMovedPermanently || r.Header.Get("Location") != to {
				t.Errorf("GET %s: %d to %q, want 301 to %q", from, r.Code, r.Header.Get("Location"), to)
			}
		}
		// The web app's own pages at the same paths are not redirected, and
		// what is not an old page falls to the web app.
		// (The web app answers 503 in a checkout whose SPA is not built.)
		app := e.call(http.MethodGet, "/some/page/of/the/app", nil).Code
		for _, path := range []string{"/tickets/" + tid, "/users/2", "/flicket/ticket_view/abc", "/flicket/edit_post/999999"} {
			if r := e.call(http.MethodGet, path, nil); r.Code != app || r.Header.Get("Location") != "" {
				t.Errorf("GET %s: %d %q, want the web app's %d", path, r.Code, r.Header.Get("Location"), app)
			}
		}
	})
}
