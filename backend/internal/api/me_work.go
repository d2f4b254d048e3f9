package api

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/flicket/flicket/backend/internal/model"
)

// QueueCounts are the totals of the web app's side bar queues, each the
// total of the list its link opens.
type QueueCounts struct {
	// All: GET /tickets/ (every ticket).
	All int64 `json:"all" example:"3012"`
	// Mine: ?view=mine (created by or assigned to the caller).
	Mine int64 `json:"mine" example:"41"`
	// Created: ?created_id={me}.
	Created int64 `json:"created" example:"12"`
	// Assigned: ?assigned_id={me}.
	Assigned int64 `json:"assigned" example:"30"`
	// Subscribed: ?view=subscribed.
	Subscribed int64 `json:"subscribed" example:"55"`
	// Waiting: ?view=waiting (open, created by the caller, the latest
	// reply someone else's).
	Waiting int64 `json:"waiting" example:"2"`
} // @name QueueCounts

// getQueueCounts godoc
//
//	@Summary		Count my queues
//	@Description	The totals of the side bar's queues, each equal to the total of the list its link opens. Cheap by design: all, mine, created and assigned are sums of counter rows (ticket_counts, the user's counters); subscribed counts the caller's subscriptions and waiting a range of (started_id, last_reply_user_id), both bounded by the caller's own tickets.
//	@Tags			me
//	@Produce		json
//	@Security		BearerAuth
//	@Success		200	{object}	QueueCounts
//	@Failure		401	{object}	ErrorBody
//	@Router			/flicket-api/me/queues [get]
func (s *Server) getQueueCounts(c echo.Context) error {
	ctx := c.Request().Context()
	me := currentUser(c).ID
	var out QueueCounts
	for _, q := range []struct {
		dst *int64
		f   model.TicketFilter
	}{
		{&out.All, model.TicketFilter{}},
		{&out.Mine, model.TicketFilter{MineOf: &me}},
		{&out.Created, model.TicketFilter{CreatedID: &me}},
		{&out.Assigned, model.TicketFilter{AssignedID: &me}},
		{&out.Subscribed, model.TicketFilter{SubscribedBy: &me}},
		{&out.Waiting, model.TicketFilter{WaitingOn: &me}},
	} {
		n, err := model.CountTickets(ctx, s.db, q.f)
		if err != nil {
			return err
		}
		*q.dst = n
	}
	return c.JSON(http.StatusOK, out)
}

// DashboardSection is one list of the personal dashboard: its total, its
// first tickets, and the ticket list's query string that shows them all.
type DashboardSection struct {
	Items []TicketListItem `json:"items"`
	// Query is the list's query string (without "?") of the whole section:
	// the web app's "see all" link is /tickets?{query}.
	Query string `json:"query" example:"assigned_id=7&state=open"`
	Total int64  `json:"total" example:"12"`
} // @name DashboardSection

// MyDashboard is the personal dashboard: what is assigned to the caller,
// what waits on them, and what changed lately among the tickets they follow.
type MyDashboard struct {
	// Assigned: open tickets assigned to the caller, highest priority first.
	Assigned DashboardSection `json:"assigned"`
	// Waiting: open tickets the caller created whose latest reply is
	// someone else's, latest activity first.
	Waiting DashboardSection `json:"waiting"`
	// Following: tickets the caller follows, latest activity first.
	Following DashboardSection `json:"following"`
} // @name MyDashboard

// dashboardItems is how many tickets each section shows.
const dashboardItems = 5

// getMyDashboard godoc
//
//	@Summary		My dashboard
//	@Description	Three lists for the signed-in user, each with its total, its first five tickets (in the list's item shape, unread included) and the ticket list's query string that shows it all: assigned (open tickets assigned to me, highest priority first), waiting (open tickets I created whose latest reply is someone else's, latest activity first) and following (tickets I follow, latest activity first).
//	@Tags			me
//	@Produce		json
//	@Security		BearerAuth
//	@Success		200	{object}	MyDashboard
//	@Failure		401	{object}	ErrorBody
//	@Router			/flicket-api/me/dashboard [get]
func (s *Server) getMyDashboard(c echo.Context) error {
	ctx := c.Request().Context()
	me := currentUser(c).ID
	meID := strconv.FormatInt(me, 10)
	type spec struct {
		dst   *DashboardSection
		f     model.TicketFilter
		sort  string
		query url.Values
	}
	var out MyDashboard
	specs := []spec{
		{&out.Assigned, model.TicketFilter{AssignedID: &me, State: model.StateOpen}, "priority_desc",
			url.Values{"assigned_id": {meID}, "state": {model.StateOpen}, "sort": {"priority_desc"}}},
		{&out.Waiting, model.TicketFilter{WaitingOn: &me}, "last_updated_desc",
			url.Values{"view": {"waiting"}, "sort": {"last_updated_desc"}}},
		{&out.Following, model.TicketFilter{SubscribedBy: &me}, "last_updated_desc",
			url.Values{"view": {"subscribed"}, "sort": {"last_updated_desc"}}},
	}
	views := make([][]model.TicketView, len(specs))
	var ids []int64
	for i, sp := range specs {
		sort, _ := model.ParseTicketSort(sp.sort)
		items, total, err := model.ListTickets(ctx, s.db, sp.f, sort, 0, dashboardItems)
		if err != nil {
			return err
		}
		views[i] = items
		sp.dst.Total, sp.dst.Query = total, sp.query.Encode()
		for j := range items {
			ids = append(ids, items[j].ID)
		}
	}
	seen, err := s.seenFor(ctx, me, ids)
	if err != nil {
		return err
	}
	l := s.links(c)
	for i, sp := range specs {
		sp.dst.Items = make([]TicketListItem, len(views[i]))
		for j := range views[i] {
			sp.dst.Items[j].Ticket = s.ticketJSON(l, &views[i][j])
			sp.dst.Items[j].Unread = seen[views[i][j].ID].Unread(views[i][j].LastUpdated)
		}
	}
	return c.JSON(http.StatusOK, out)
}

// seenFor reads the caller's seen marks of the given tickets at once.
func (s *Server) seenFor(ctx context.Context, userID int64, ids []int64) (map[int64]*model.TicketSeen, error) {
	return model.SeenMarks(ctx, s.db, userID, ids)
}
