package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/flicket/flicket/backend/internal/model"
)

// UserRef is a small user object embedded in other resources; null when the
// user no longer exists.
type UserRef struct {
	ID       int64  `json:"id" example:"3"`
	Name     string `json:"name" example:"James Smith"`
	Username string `json:"username" example:"jsmith"`
} // @name UserRef

// userRef shapes a loaded user as a UserRef (nil stays nil).
func userRef(u *model.User) *UserRef {
	if u == nil {
		return nil
	}
	return &UserRef{ID: u.ID, Name: u.Name, Username: u.Username}
}

// joinedUserRef builds a UserRef from columns read with a LEFT JOIN: nil when
// there is no id or the joined row is gone.
func joinedUserRef(id *int64, username, name *string) *UserRef {
	if id == nil || username == nil {
		return nil
	}
	ref := &UserRef{ID: *id, Username: *username}
	if name != nil {
		ref.Name = *name
	}
	return ref
}

// Ticket is a ticket in the original's shape, plus the names of what its ids
// point to, its rendered body, hours and reply count.
type Ticket struct {
	AssignedID       *int64      `json:"assigned_id" extensions:"x-nullable" example:"9"`
	AssignedTo       *UserRef    `json:"assigned_to" extensions:"x-nullable"`
	Category         string      `json:"category" example:"Intranet"`
	CategoryID       int64       `json:"category_id" example:"9"`
	Content          string      `json:"content" example:"The intranet is down."`
	ContentHTML      string      `json:"content_html" example:"<p>The intranet is down.</p>"`
	DateAdded        Time        `json:"date_added" example:"Tue, 26 Nov 2024 18:13:01 GMT"`
	DateModified     *Time       `json:"date_modified" extensions:"x-nullable" example:"Tue, 26 Nov 2024 19:13:01 GMT"`
	Department       string      `json:"department" example:"IT"`
	DepartmentID     int64       `json:"department_id" example:"3"`
	Hours            model.Hours `json:"hours" swaggertype:"number" example:"1.5"`
	ID               int64       `json:"id" example:"42"`
	LastUpdated      Time        `json:"last_updated" example:"Tue, 26 Nov 2024 19:13:01 GMT"`
	Links            TicketLinks `json:"links"`
	ModifiedBy       *UserRef    `json:"modified_by" extensions:"x-nullable"`
	ModifiedID       *int64      `json:"modified_id" extensions:"x-nullable" example:"13"`
	NumReplies       int64       `json:"num_replies" example:"2"`
	Number           string      `json:"number" example:"00042"`
	Priority         string      `json:"priority" example:"high"`
	StartedBy        *UserRef    `json:"started_by" extensions:"x-nullable"`
	StartedID        *int64      `json:"started_id" extensions:"x-nullable" example:"13"`
	Status           string      `json:"status" example:"In Work"`
	StatusID         int64       `json:"status_id" example:"3"`
	TicketPriorityID int64       `json:"ticket_priority_id" example:"3"`
	Title            string      `json:"title" example:"Intranet down"`
	TotalHours       model.Hours `json:"total_hours" swaggertype:"number" example:"2.75"`
} // @name TicketFields

// TicketLinks are the original's links of a ticket (started_ny is its
// spelling, kept for old clients).
type TicketLinks struct {
	Assigned    *string `json:"assigned" extensions:"x-nullable"`
	Category    string  `json:"category"`
	Histories   string  `json:"histories"`
	ModifiedBy  *string `json:"modified_by" extensions:"x-nullable"`
	Priority    string  `json:"priority"`
	Self        string  `json:"self"`
	StartedNy   *string `json:"started_ny" extensions:"x-nullable"`
	Status      string  `json:"status"`
	Subscribers string  `json:"subscribers"`
	Tickets     string  `json:"tickets"`
} // @name TicketLinks

func (s *Server) ticketJSON(l linker, v *model.TicketView) Ticket {
	t := &v.Ticket
	return Ticket{
		AssignedID:       t.AssignedID,
		AssignedTo:       joinedUserRef(t.AssignedID, v.AssigneeUsername, v.AssigneeName),
		Category:         v.CategoryName,
		CategoryID:       t.CategoryID,
		Content:          t.Content,
		ContentHTML:      s.contentHTML(t.Content, t.ContentHTML),
		DateAdded:        apiTime(t.DateAdded),
		DateModified:     apiTimePtr(t.DateModified),
		Department:       v.DepartmentName,
		DepartmentID:     v.DepartmentID,
		Hours:            t.Hours,
		ID:               t.ID,
		LastUpdated:      apiTime(t.LastUpdated),
		Links:            ticketLinks(l, t),
		ModifiedBy:       joinedUserRef(t.ModifiedID, v.ModifierUsername, v.ModifierName),
		ModifiedID:       t.ModifiedID,
		NumReplies:       t.NumReplies,
		Number:           model.TicketNumber(t.ID),
		Priority:         v.PriorityName,
		StartedBy:        joinedUserRef(t.StartedID, v.StarterUsername, v.StarterName),
		StartedID:        t.StartedID,
		Status:           v.StatusName,
		StatusID:         t.StatusID,
		TicketPriorityID: t.TicketPriorityID,
		Title:            t.Title,
		TotalHours:       t.TotalHours,
	}
}

// ticketLinks builds a ticket's ten links in one string and slices them
// from it: a list page used to allocate 500 strings for them.
func ticketLinks(l linker, t *model.Ticket) TicketLinks {
	var b linkBuilder
	b.Grow(10*len(l.base) + 160)
	cat := b.add(l.base, "/category/", t.CategoryID, "")
	hist := b.add(l.base, "/histories/?topic_id=", t.ID, "")
	prio := b.add(l.base, "/priority/", t.TicketPriorityID, "")
	self := b.add(l.base, "/ticket/", t.ID, "")
	status := b.add(l.base, "/status/", t.StatusID, "")
	subs := b.add(l.base, "/subscriptions/", t.ID, "/")
	tickets := b.add(l.base, "/tickets/", -1, "")
	user := func(id *int64) [2]int {
		if id == nil {
			return [2]int{-1, -1}
		}
		return b.add(l.base, "/user/", *id, "")
	}
	assigned, modified, started := user(t.AssignedID), user(t.ModifiedID), user(t.StartedID)
	all := b.String()
	at := func(r [2]int) string { return all[r[0]:r[1]] }
	opt := func(r [2]int) *string {
		if r[0] < 0 {
			return nil
		}
		s := at(r)
		return &s
	}
	return TicketLinks{
		Assigned:    opt(assigned),
		Category:    at(cat),
		Histories:   at(hist),
		ModifiedBy:  opt(modified),
		Priority:    at(prio),
		Self:        at(self),
		StartedNy:   opt(started),
		Status:      at(status),
		Subscribers: at(subs),
		Tickets:     at(tickets),
	}
}

// linkBuilder writes several links into one string.
type linkBuilder struct{ strings.Builder }

// add writes base+path+id+suffix (no id when id < 0) and returns where it
// is in the string.
func (b *linkBuilder) add(base, path string, id int64, suffix string) [2]int {
	start := b.Len()
	b.WriteString(base)
	b.WriteString(path)
	if id >= 0 {
		var num [20]byte
		b.Write(strconv.AppendInt(num[:0], id, 10))
	}
	b.WriteString(suffix)
	return [2]int{start, b.Len()}
}

// TicketCan is what the caller may do to the ticket, by the server's rules:
// the web app shows these actions and no others. change_status_to lists the
// statuses a status change (or a reply) may set; subscribe is subscribing
// oneself, subscribe_others anyone.
type TicketCan struct {
	Assign          bool    `json:"assign"`
	ChangeCategory  bool    `json:"change_category"`
	ChangePriority  bool    `json:"change_priority"`
	ChangeStatus    bool    `json:"change_status"`
	ChangeStatusTo  []int64 `json:"change_status_to" example:"1,3,4"`
	Claim           bool    `json:"claim"`
	Close           bool    `json:"close"`
	Delete          bool    `json:"delete"`
	Edit            bool    `json:"edit"`
	Release         bool    `json:"release"`
	Reply           bool    `json:"reply"`
	Subscribe       bool    `json:"subscribe"`
	SubscribeOthers bool    `json:"subscribe_others"`
} // @name TicketCan

// TicketDetail is one ticket with what the caller may do to it: the answer
// of GET /ticket/{id} and of every change to a ticket. List items are
// Tickets, without can.
type TicketDetail struct {
	Ticket
	Can TicketCan `json:"can"`
} // @name TicketDetail

func ticketCanJSON(c model.TicketCan) TicketCan {
	return TicketCan{
		Assign: c.Assign, ChangeCategory: c.ChangeCategory, ChangePriority: c.ChangePriority,
		ChangeStatus: c.ChangeStatus, ChangeStatusTo: c.ChangeStatusTo, Claim: c.Claim, Close: c.Close,
		Delete: c.Delete, Edit: c.Edit, Release: c.Release, Reply: c.Reply,
		Subscribe: c.Subscribe, SubscribeOthers: c.SubscribeOthers,
	}
}

// respondTicket reloads a ticket with its names and sends it with the
// caller's permissions.
func (s *Server) respondTicket(c echo.Context, code int, id int64) error {
	detail, _, err := s.ticketDetail(c, id)
	if err != nil {
		return err
	}
	return c.JSON(code, detail)
}

// ticketDetail reads a ticket with its names and the caller's permissions
// on it: the answer of GET /ticket/{id}, and the row it was made from.
func (s *Server) ticketDetail(c echo.Context, id int64) (TicketDetail, *model.TicketView, error) {
	ctx := c.Request().Context()
	v, statuses, err := model.FindTicketDetail(ctx, s.db, id)
	if err != nil {
		return TicketDetail{}, nil, notFoundAs(err, "The ticket")
	}
	settings, err := s.settings.Get(ctx)
	if err != nil {
		return TicketDetail{}, nil, err
	}
	can := v.Can(currentUser(c), &settings, statuses)
	return TicketDetail{Ticket: s.ticketJSON(s.links(c), v), Can: ticketCanJSON(can)}, v, nil
}

// getTicket godoc
//
//	@Summary		Get a ticket
//	@Description	The ticket with what the caller may do to it. `include` adds, beside the ticket's fields (which stay as they are), what its page shows first, each part in the shape of its own endpoint's answer and by the same rules: `posts` (a page of replies, as GET /posts/{id}/{page}/: the page holding `post` when that names a reply of this ticket, else `page`; `per_page` as there), `actions` (as GET /actions/{id}?per_page=100), `subscribers` (as GET /subscriptions/{id}/?per_page=100), `uploads` (the ticket's attachments, as GET /uploads/?ticket_id={id}&per_page=100) and `seen` (the caller's mark as it stands, with what PUT /ticket/{id}/seen would count as new; a GET never moves it). `page`, `per_page` and `post` are read only with include=posts.
//	@Tags			tickets
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id			path		int		true	"ticket id"
//	@Param			include		query		string	false	"parts to add, comma-separated: posts, actions, subscribers, uploads, seen"
//	@Param			page		query		int		false	"with include=posts: the page of replies (from 1)"
//	@Param			per_page	query		int		false	"with include=posts: replies per page (default: the configured page size, at most 100)"
//	@Param			post		query		string	false	"with include=posts: a reply's id, or unread for the caller's first unread reply; its page is the one included"
//	@Success		200			{object}	TicketWithParts
//	@Failure		400			{object}	ErrorBody
//	@Failure		401			{object}	ErrorBody
//	@Failure		404			{object}	ErrorBody
//	@Router			/flicket-api/ticket/{id} [get]
func (s *Server) getTicket(c echo.Context) error {
	id, err := pathID(c, "id", "The ticket")
	if err != nil {
		return err
	}
	parts, err := ticketParts(c)
	if err != nil {
		return err
	}
	if parts != 0 {
		return s.respondTicketWithParts(c, id, parts)
	}
	return s.respondTicket(c, http.StatusOK, id)
}

// TicketCreate opens a ticket. Lengths follow the original's form.
type TicketCreate struct {
	CategoryID       *int64   `json:"category_id" validate:"required" example:"9"`
	Content          string   `json:"content" validate:"required,nonblank,min=5,max=5000" example:"The intranet is down since 9am."`
	Hours            *float64 `json:"hours,omitempty" validate:"omitnil,gte=0,lte=9999.99" example:"0.5"`
	TicketPriorityID *int64   `json:"ticket_priority_id" validate:"required" example:"2"`
	Title            string   `json:"title" validate:"required,nonblank,min=3,max=128" example:"Intranet down"`
} // @name TicketCreate

// createTicket godoc
//
//	@Summary		Create a ticket
//	@Description	Opens a ticket as the caller: status Open, the caller subscribed. Location is the new ticket's absolute URL.
//	@Tags			tickets
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body		TicketCreate	true	"the ticket"
//	@Param			Idempotency-Key	header		string	false	"a fresh key per create (a UUID): a retry with the same key within 24 h gets the first answer; the same key with another request is a 409"
//	@Success		201		{object}	TicketDetail
//	@Header			201		{string}	Location	"absolute URL of the ticket"
//	@Failure		400		{object}	ErrorBody
//	@Failure		401		{object}	ErrorBody
//	@Failure		422		{object}	ErrorBody
//	@Failure		409		{object}	ErrorBody
//	@Router			/flicket-api/tickets [post]
func (s *Server) createTicket(c echo.Context) error {
	var req TicketCreate
	if err := s.bind(c, &req); err != nil {
		return err
	}
	me := currentUser(c)
	t := &model.Ticket{
		Title:            req.Title,
		Content:          req.Content,
		ContentHTML:      s.renderHTML(req.Content),
		CategoryID:       *req.CategoryID,
		TicketPriorityID: *req.TicketPriorityID,
	}
	t.StartedBy(me)
	if req.Hours != nil {
		t.Hours = model.HoursFromFloat(*req.Hours)
	}
	ctx := c.Request().Context()
	err := s.write(ctx, func(tx *model.Tx) error {
		return model.CreateTicket(ctx, tx, t)
	})
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, s.links(c).to("/ticket/%d", t.ID))
	return s.respondTicket(c, http.StatusCreated, t.ID)
}

// TicketUpdate changes a ticket's body; absent fields are left alone.
type TicketUpdate struct {
	CategoryID       *int64   `json:"category_id,omitempty" example:"9"`
	Content          *string  `json:"content,omitempty" validate:"omitnil,nonblank,min=5,max=5000" example:"The intranet is down since 9am."`
	Hours            *float64 `json:"hours,omitempty" validate:"omitnil,gte=0,lte=9999.99" example:"1.25"`
	TicketPriorityID *int64   `json:"ticket_priority_id,omitempty" example:"3"`
	Title            *string  `json:"title,omitempty" validate:"omitnil,nonblank,min=3,max=128" example:"Intranet down"`
} // @name TicketUpdate

// updateTicket godoc
//
//	@Summary		Edit a ticket
//	@Description	The creator or an administrator, while the ticket is not closed. A changed body keeps the previous text in the history; priority and category changes are logged as actions (a category change also needs the change-category switches).
//	@Tags			tickets
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		int				true	"ticket id"
//	@Param			body	body		TicketUpdate	true	"the fields to change"
//	@Success		200		{object}	TicketDetail
//	@Failure		400		{object}	ErrorBody
//	@Failure		401		{object}	ErrorBody
//	@Failure		403		{object}	ErrorBody
//	@Failure		404		{object}	ErrorBody
//	@Failure		409		{object}	ErrorBody
//	@Failure		422		{object}	ErrorBody
//	@Router			/flicket-api/ticket/{id} [patch]
func (s *Server) updateTicket(c echo.Context) error {
	id, err := pathID(c, "id", "The ticket")
	if err != nil {
		return err
	}
	var req TicketUpdate
	if err := s.bind(c, &req); err != nil {
		return err
	}
	edit := model.TicketEdit{
		Title: req.Title, Content: req.Content, ContentHTML: s.renderHTMLPtr(req.Content),
		TicketPriorityID: req.TicketPriorityID, CategoryID: req.CategoryID,
	}
	if req.Hours != nil {
		h := model.HoursFromFloat(*req.Hours)
		edit.Hours = &h
	}
	ctx := c.Request().Context()
	err = s.write(ctx, func(tx *model.Tx) error {
		_, err := model.EditTicket(ctx, tx, id, currentUser(c), edit)
		return err
	})
	if err != nil {
		return notFoundAs(err, "The ticket")
	}
	return s.respondTicket(c, http.StatusOK, id)
}

// deleteTicket godoc
//
//	@Summary		Delete a ticket
//	@Description	Administrators only. Removes the ticket with its replies, attachments, history, subscriptions and actions, and corrects every counter.
//	@Tags			tickets
//	@Security		BearerAuth
//	@Param			id	path	int	true	"ticket id"
//	@Success		204
//	@Failure		401	{object}	ErrorBody
//	@Failure		403	{object}	ErrorBody
//	@Failure		404	{object}	ErrorBody
//	@Router			/flicket-api/ticket/{id} [delete]
func (s *Server) deleteTicket(c echo.Context) error {
	id, err := pathID(c, "id", "The ticket")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	var deleted *model.DeletedTicket
	err = s.write(ctx, func(tx *model.Tx) error {
		var err error
		deleted, err = model.DeleteTicket(ctx, tx, id, currentUser(c))
		return err
	})
	if err != nil {
		return notFoundAs(err, "The ticket")
	}
	s.removeFiles(c, deleted.Files...)
	return c.NoContent(http.StatusNoContent)
}

// write runs fn in the one write transaction helper (model.Writer): deadlock
// retry, and the change's events handed to the mail outbox before the commit.
// fn must not have effects outside the transaction.
func (s *Server) write(ctx context.Context, fn func(tx *model.Tx) error) error {
	return s.writer.Do(ctx, fn)
}
