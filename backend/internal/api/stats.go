package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/flicket/flicket/backend/internal/model"
)

// highPriorityLimit is how many open high-priority tickets the dashboard shows.
const highPriorityLimit = 100

// Stats is the dashboard: ticket counts per department and status, and the
// open high-priority tickets.
type Stats struct {
	Departments      []DepartmentStats `json:"departments"`
	HighPriorityOpen []TicketSummary   `json:"high_priority_open"`
	Statuses         []StatusRef       `json:"statuses"`
} // @name Stats

// DepartmentStats counts one department's tickets by status (every status,
// in status order, zeros included).
type DepartmentStats struct {
	Department   string        `json:"department" example:"IT"`
	DepartmentID int64         `json:"department_id" example:"3"`
	Statuses     []StatusCount `json:"statuses"`
	Total        int64         `json:"total" example:"12"`
} // @name DepartmentStats

// StatusCount is the number of tickets with one status.
type StatusCount struct {
	Count    int64  `json:"count" example:"4"`
	Status   string `json:"status" example:"Open"`
	StatusID int64  `json:"status_id" example:"1"`
} // @name StatusCount

// StatusRef names a status.
type StatusRef struct {
	ID     int64  `json:"id" example:"1"`
	Status string `json:"status" example:"Open"`
} // @name StatusRef

// TicketSummary is a ticket card: no body, names instead of ids.
type TicketSummary struct {
	AssignedTo  *UserRef           `json:"assigned_to" extensions:"x-nullable"`
	Category    string             `json:"category" example:"Intranet"`
	DateAdded   Time               `json:"date_added" example:"Tue, 26 Nov 2024 18:13:01 GMT"`
	Department  string             `json:"department" example:"IT"`
	ID          int64              `json:"id" example:"42"`
	LastUpdated Time               `json:"last_updated" example:"Tue, 26 Nov 2024 19:13:01 GMT"`
	Links       TicketSummaryLinks `json:"links"`
	NumReplies  int64              `json:"num_replies" example:"2"`
	Number      string             `json:"number" example:"00042"`
	Priority    string             `json:"priority" example:"high"`
	StartedBy   *UserRef           `json:"started_by" extensions:"x-nullable"`
	Status      string             `json:"status" example:"Open"`
	Title       string             `json:"title" example:"Intranet down"`
	TotalHours  model.Hours        `json:"total_hours" swaggertype:"number" example:"2.75"`
} // @name TicketSummary

// TicketSummaryLinks point to the full ticket.
type TicketSummaryLinks struct {
	Self string `json:"self"`
} // @name TicketSummaryLinks

func ticketSummaryJSON(l linker, v *model.TicketView) TicketSummary {
	return TicketSummary{
		AssignedTo:  joinedUserRef(v.AssignedID, v.AssigneeUsername, v.AssigneeName),
		Category:    v.CategoryName,
		DateAdded:   apiTime(v.DateAdded),
		Department:  v.DepartmentName,
		ID:          v.ID,
		LastUpdated: apiTime(v.LastUpdated),
		Links:       TicketSummaryLinks{Self: l.to("/ticket/%d", v.ID)},
		NumReplies:  v.NumReplies,
		Number:      model.TicketNumber(v.ID),
		Priority:    v.PriorityName,
		StartedBy:   joinedUserRef(v.StartedID, v.StarterUsername, v.StarterName),
		Status:      v.StatusName,
		Title:       v.Title,
		TotalHours:  v.TotalHours,
	}
}

// getStats godoc
//
//	@Summary		Dashboard statistics
//	@Description	Ticket counts for every department × status (read from the ticket counters), and up to 100 Open tickets of high priority, oldest first.
//	@Tags			stats
//	@Produce		json
//	@Security		BearerAuth
//	@Success		200	{object}	Stats
//	@Failure		401	{object}	ErrorBody
//	@Router			/flicket-api/stats [get]
func (s *Server) getStats(c echo.Context) error {
	ctx := c.Request().Context()
	counts, err := model.CountByDepartmentAndStatus(ctx, s.db)
	if err != nil {
		return err
	}
	high, err := model.HighPriorityOpenTickets(ctx, s.db, highPriorityLimit)
	if err != nil {
		return err
	}
	out := Stats{Departments: []DepartmentStats{}, Statuses: []StatusRef{}, HighPriorityOpen: []TicketSummary{}}
	seenStatus := map[int64]bool{}
	for _, r := range counts {
		n := len(out.Departments)
		if n == 0 || out.Departments[n-1].DepartmentID != r.DepartmentID {
			out.Departments = append(out.Departments, DepartmentStats{
				DepartmentID: r.DepartmentID, Department: r.DepartmentName, Statuses: []StatusCount{},
			})
			n++
		}
		d := &out.Departments[n-1]
		d.Statuses = append(d.Statuses, StatusCount{StatusID: r.StatusID, Status: r.StatusName, Count: r.N})
		d.Total += r.N
		if !seenStatus[r.StatusID] {
			seenStatus[r.StatusID] = true
			out.Statuses = append(out.Statuses, StatusRef{ID: r.StatusID, Status: r.StatusName})
		}
	}
	l := s.links(c)
	for i := range high {
		out.HighPriorityOpen = append(out.HighPriorityOpen, ticketSummaryJSON(l, &high[i]))
	}
	return c.JSON(http.StatusOK, out)
}
