package api

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/model"
)

// UndoWindow is how long the mails of a workflow change (assign, claim,
// release, close, status, priority, category) wait in the outbox, so that
// the same user changing the field back within it sends nothing (see
// mail.Outbox.EnqueueUndoable). The web app's undo toast shows for 10 s;
// the extra seconds let an undo clicked at its last moment arrive in time.
const UndoWindow = 15 * time.Second

// undoableEvents is the outbox's way of holding a change's mails for its
// undo window (mail.Outbox implements it); without it they go out at once.
type undoableEvents interface {
	EnqueueUndoable(ctx context.Context, tx *gorm.DB, ev model.Event, until time.Time) error
}

// enqueueUndoable is serverEvents' way for a workflow change: it reports
// whether the context asked for an undo window (model.WithUndoWindow) and
// the sink can hold.
func enqueueUndoable(ctx context.Context, sink model.EventSink, tx *gorm.DB, ev model.Event) (bool, error) {
	until, hold := model.UndoWindowEnd(ctx)
	u, ok := sink.(undoableEvents)
	if !hold || !ok {
		return false, nil
	}
	return true, u.EnqueueUndoable(ctx, tx, ev, until)
}

// ticketChange is one domain change run in a write transaction; the
// change produces its own event (model.Writer hands it to the mail outbox).
type ticketChange func(ctx context.Context, tx *model.Tx, id int64, me *model.User) error

// changeTicket runs a domain change on the ticket named in the path and
// answers with the updated ticket. The change's mails wait out UndoWindow,
// and an undo within it withdraws its in-app notifications.
func (s *Server) changeTicket(c echo.Context, change ticketChange) error {
	id, err := pathID(c, "id", "The ticket")
	if err != nil {
		return err
	}
	ctx := model.WithUndoWindow(c.Request().Context(), s.now().Add(UndoWindow))
	me := currentUser(c)
	err = s.write(ctx, func(tx *model.Tx) error {
		return change(ctx, tx, id, me)
	})
	if err != nil {
		return notFoundAs(err, "The ticket")
	}
	return s.respondTicket(c, http.StatusOK, id)
}

// pathTicketID reads the ticket id first, so an unknown ticket is a 404 even
// when the body is also wrong.
func pathTicketID(c echo.Context) error {
	_, err := pathID(c, "id", "The ticket")
	return err
}

// TicketAssign names the new assignee.
type TicketAssign struct {
	UserID *int64 `json:"user_id" validate:"required" example:"9"`
} // @name TicketAssign

// assignTicket godoc
//
//	@Summary		Assign a ticket
//	@Description	Anyone may assign an open ticket to an enabled user. The ticket goes In Work, the assignee is subscribed and notified. Its mails wait 15 s in the outbox (the undo window): changed back by the same user within it, nothing is mailed and the assignee's in-app notification is withdrawn.
//	@Tags			tickets
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		int				true	"ticket id"
//	@Param			body	body		TicketAssign	true	"the assignee"
//	@Success		200		{object}	TicketDetail
//	@Failure		400		{object}	ErrorBody
//	@Failure		401		{object}	ErrorBody
//	@Failure		404		{object}	ErrorBody
//	@Failure		409		{object}	ErrorBody	"closed, or already assigned to that user"
//	@Failure		422		{object}	ErrorBody	"unknown or disabled user"
//	@Router			/flicket-api/ticket/{id}/assign [post]
func (s *Server) assignTicket(c echo.Context) error {
	if err := pathTicketID(c); err != nil {
		return err
	}
	var req TicketAssign
	if err := s.bind(c, &req); err != nil {
		return err
	}
	return s.changeTicket(c, func(ctx context.Context, tx *model.Tx, id int64, me *model.User) error {
		return model.Assign(ctx, tx, id, me, *req.UserID)
	})
}

// claimTicket godoc
//
//	@Summary		Claim a ticket
//	@Description	Assigns an open ticket to the caller: In Work, the caller subscribed; subscribers are notified. Its mails wait 15 s in the outbox (the undo window): changed back by the same user within it, nothing is mailed.
//	@Tags			tickets
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		int	true	"ticket id"
//	@Success		200	{object}	TicketDetail
//	@Failure		401	{object}	ErrorBody
//	@Failure		404	{object}	ErrorBody
//	@Failure		409	{object}	ErrorBody	"closed, or already mine"
//	@Router			/flicket-api/ticket/{id}/claim [post]
func (s *Server) claimTicket(c echo.Context) error {
	return s.changeTicket(c, func(ctx context.Context, tx *model.Tx, id int64, me *model.User) error {
		return model.Claim(ctx, tx, id, me)
	})
}

// releaseTicket godoc
//
//	@Summary		Release a ticket
//	@Description	The assignee or an administrator un-assigns the ticket; it goes back to Open and subscribers are notified. Its mails wait 15 s in the outbox (the undo window): changed back by the same user within it, nothing is mailed.
//	@Tags			tickets
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		int	true	"ticket id"
//	@Success		200	{object}	TicketDetail
//	@Failure		401	{object}	ErrorBody
//	@Failure		403	{object}	ErrorBody
//	@Failure		404	{object}	ErrorBody
//	@Failure		409	{object}	ErrorBody	"not assigned"
//	@Router			/flicket-api/ticket/{id}/release [post]
func (s *Server) releaseTicket(c echo.Context) error {
	return s.changeTicket(c, func(ctx context.Context, tx *model.Tx, id int64, me *model.User) error {
		return model.Release(ctx, tx, id, me)
	})
}

// closeTicket godoc
//
//	@Summary		Close a ticket
//	@Description	The creator, the assignee or an administrator closes the ticket; the assignee is cleared and subscribers are notified. Its mails wait 15 s in the outbox (the undo window): changed back by the same user within it, nothing is mailed.
//	@Tags			tickets
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		int	true	"ticket id"
//	@Success		200	{object}	TicketDetail
//	@Failure		401	{object}	ErrorBody
//	@Failure		403	{object}	ErrorBody
//	@Failure		404	{object}	ErrorBody
//	@Failure		409	{object}	ErrorBody	"already closed"
//	@Router			/flicket-api/ticket/{id}/close [post]
func (s *Server) closeTicket(c echo.Context) error {
	return s.changeTicket(c, func(ctx context.Context, tx *model.Tx, id int64, me *model.User) error {
		return model.Close(ctx, tx, id, me)
	})
}

// TicketStatusChange names the new status (not Closed: use /close).
type TicketStatusChange struct {
	StatusID *int64 `json:"status_id" validate:"required" example:"4"`
} // @name TicketStatusChange

// setTicketStatus godoc
//
//	@Summary		Change a ticket's status
//	@Description	Anyone may set any status but Closed (use /close). Setting a status on a closed ticket reopens it. Its mails wait 15 s in the outbox (the undo window): changed back by the same user within it, nothing is mailed.
//	@Tags			tickets
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		int					true	"ticket id"
//	@Param			body	body		TicketStatusChange	true	"the status"
//	@Success		200		{object}	TicketDetail
//	@Failure		400		{object}	ErrorBody
//	@Failure		401		{object}	ErrorBody
//	@Failure		404		{object}	ErrorBody
//	@Failure		409		{object}	ErrorBody	"the ticket already has that status"
//	@Failure		422		{object}	ErrorBody	"unknown status, or Closed"
//	@Router			/flicket-api/ticket/{id}/status [post]
func (s *Server) setTicketStatus(c echo.Context) error {
	if err := pathTicketID(c); err != nil {
		return err
	}
	var req TicketStatusChange
	if err := s.bind(c, &req); err != nil {
		return err
	}
	return s.changeTicket(c, func(ctx context.Context, tx *model.Tx, id int64, me *model.User) error {
		return model.ChangeStatus(ctx, tx, id, me, *req.StatusID)
	})
}

// TicketPriorityChange names the new priority.
type TicketPriorityChange struct {
	TicketPriorityID *int64 `json:"ticket_priority_id" validate:"required" example:"3"`
} // @name TicketPriorityChange

// setTicketPriority godoc
//
//	@Summary		Change a ticket's priority
//	@Description	Not on a closed ticket. Its mails wait 15 s in the outbox (the undo window): changed back by the same user within it, nothing is mailed.
//	@Tags		tickets
//	@Accept		json
//	@Produce	json
//	@Security	BearerAuth
//	@Param		id		path		int						true	"ticket id"
//	@Param		body	body		TicketPriorityChange	true	"the priority"
//	@Success	200		{object}	TicketDetail
//	@Failure	400		{object}	ErrorBody
//	@Failure	401		{object}	ErrorBody
//	@Failure	404		{object}	ErrorBody
//	@Failure	409		{object}	ErrorBody	"closed, or already that priority"
//	@Failure	422		{object}	ErrorBody	"unknown priority"
//	@Router		/flicket-api/ticket/{id}/priority [post]
func (s *Server) setTicketPriority(c echo.Context) error {
	if err := pathTicketID(c); err != nil {
		return err
	}
	var req TicketPriorityChange
	if err := s.bind(c, &req); err != nil {
		return err
	}
	return s.changeTicket(c, func(ctx context.Context, tx *model.Tx, id int64, me *model.User) error {
		return model.ChangePriority(ctx, tx, id, me, *req.TicketPriorityID)
	})
}

// TicketCategoryChange names the new category.
type TicketCategoryChange struct {
	CategoryID *int64 `json:"category_id" validate:"required" example:"9"`
} // @name TicketCategoryChange

// setTicketCategory godoc
//
//	@Summary		Change a ticket's department and category
//	@Description	Allowed when the config's change_category switch is on (administrators always), restricted to administrators and super users when change_category_only_admin_or_super_user is on; never on a closed ticket. Its mails wait 15 s in the outbox (the undo window): changed back by the same user within it, nothing is mailed.
//	@Tags			tickets
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		int						true	"ticket id"
//	@Param			body	body		TicketCategoryChange	true	"the category"
//	@Success		200		{object}	TicketDetail
//	@Failure		400		{object}	ErrorBody
//	@Failure		401		{object}	ErrorBody
//	@Failure		403		{object}	ErrorBody
//	@Failure		404		{object}	ErrorBody
//	@Failure		409		{object}	ErrorBody	"closed, or already that category"
//	@Failure		422		{object}	ErrorBody	"unknown category"
//	@Router			/flicket-api/ticket/{id}/category [post]
func (s *Server) setTicketCategory(c echo.Context) error {
	if err := pathTicketID(c); err != nil {
		return err
	}
	var req TicketCategoryChange
	if err := s.bind(c, &req); err != nil {
		return err
	}
	return s.changeTicket(c, func(ctx context.Context, tx *model.Tx, id int64, me *model.User) error {
		return model.ChangeCategory(ctx, tx, id, me, *req.CategoryID)
	})
}
