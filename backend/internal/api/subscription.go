package api

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/flicket/flicket/backend/internal/model"
)

// Subscription is a ticket subscription in the original's shape (user_def
// is the subscriber's name), plus the subscriber's username and what the
// caller may do to it.
type Subscription struct {
	Can      SubscriptionCan   `json:"can"`
	ID       int64             `json:"id" example:"1"`
	Links    SubscriptionLinks `json:"links"`
	TicketID int64             `json:"ticket_id" example:"1"`
	UserDef  string            `json:"user_def" example:"William Hernandez"`
	UserID   int64             `json:"user_id" example:"13"`
	Username string            `json:"username" example:"whernandez"`
} // @name Subscription

// SubscriptionCan is what the caller may do to the subscription.
type SubscriptionCan struct {
	Remove bool `json:"remove"`
} // @name SubscriptionCan

// SubscriptionLinks point to the subscription, the list, the ticket and the
// subscriber.
type SubscriptionLinks struct {
	Self          string `json:"self"`
	Subscriptions string `json:"subscriptions"`
	Ticket        string `json:"ticket"`
	User          string `json:"user"`
} // @name SubscriptionLinks

func subscriptionJSON(l linker, v *model.SubscriptionView, viewer *model.User) Subscription {
	return Subscription{
		Can:      SubscriptionCan{Remove: v.Can(viewer).Remove},
		ID:       v.ID,
		TicketID: v.TicketID,
		UserDef:  v.UserName,
		UserID:   v.UserID,
		Username: v.Username,
		Links: SubscriptionLinks{
			Self:          l.to("/subscription/%d", v.ID),
			Subscriptions: l.to("/subscriptions/"),
			Ticket:        l.to("/ticket/%d", v.TicketID),
			User:          l.to("/user/%d", v.UserID),
		},
	}
}

// listSubscriptions godoc
//
//	@Summary		List subscriptions
//	@Description	Every subscription, by id, paged with ?page= (unlike the original, the next link really gives the next page). /subscriptions/{ticket_id}/ and /subscriptions/{ticket_id}/{page}/ list one ticket's subscribers with the page in the path.
//	@Tags			subscriptions
//	@Produce		json
//	@Security		BearerAuth
//	@Param			page		query		int	false	"page number (from 1)"
//	@Param			per_page	query		int	false	"items per page (default: the configured page size, at most 100)"
//	@Success		200			{object}	Envelope[Subscription]
//	@Failure		400			{object}	ErrorBody
//	@Failure		401			{object}	ErrorBody
//	@Failure		404			{object}	ErrorBody
//	@Router			/flicket-api/subscriptions/ [get]
func (s *Server) listSubscriptions(c echo.Context) error {
	p, err := s.pageParams(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	l := s.links(c)
	list := l.list("/subscriptions/", queryPaged, c)
	var ticketID *int64
	if c.Param("ticket_id") != "" {
		id, err := pathID(c, "ticket_id", "The ticket")
		if err != nil {
			return err
		}
		if err := model.TicketExists(ctx, s.db, id); err != nil {
			return notFoundAs(err, "The ticket")
		}
		ticketID = &id
		list = l.list(fmt.Sprintf("/subscriptions/%d/", id), pathPaged, c)
	}
	env, err := s.subscriptionsPage(c, ticketID, p, list)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, env)
}

// subscriptionsPage is one page of subscriptions, of one ticket or (nil)
// of all, as GET /subscriptions/ answers it (and ?include=subscribers of
// GET /ticket/{id}), with the caller's can on each.
func (s *Server) subscriptionsPage(c echo.Context, ticketID *int64, p pageRequest, list lister) (Envelope[Subscription], error) {
	rows, total, err := model.ListSubscriptions(c.Request().Context(), s.db, ticketID, p.Offset(), p.PerPage)
	if err != nil {
		return Envelope[Subscription]{}, err
	}
	l := s.links(c)
	out := make([]Subscription, len(rows))
	for i := range rows {
		out[i] = subscriptionJSON(l, &rows[i], currentUser(c))
	}
	return newEnvelope(out, p, total, list), nil
}

// listTicketSubscriptions godoc (documentation only: listSubscriptions
// serves both routes).
//
//	@Summary		List a ticket's subscribers
//	@Description	By id. The page may also be given in the path: /subscriptions/{ticket_id}/{page}/.
//	@Tags			subscriptions
//	@Produce		json
//	@Security		BearerAuth
//	@Param			ticket_id	path		int	true	"ticket id"
//	@Param			page		query		int	false	"page number (from 1)"
//	@Param			per_page	query		int	false	"items per page (default: the configured page size, at most 100)"
//	@Success		200			{object}	Envelope[Subscription]
//	@Failure		400			{object}	ErrorBody
//	@Failure		401			{object}	ErrorBody
//	@Failure		404			{object}	ErrorBody
//	@Router			/flicket-api/subscriptions/{ticket_id}/ [get]
func _() {}

// listTicketSubscriptionsPage godoc (documentation only: listSubscriptions
// serves every subscription list).
//
//	@Summary	List a ticket's subscribers (page in the path)
//	@Tags		subscriptions
//	@Produce	json
//	@Security	BearerAuth
//	@Param		ticket_id	path		int	true	"ticket id"
//	@Param		page		path		int	true	"page number (from 1)"	minimum(1)
//	@Param		per_page	query		int	false	"items per page (default: the configured page size, at most 100)"
//	@Success	200			{object}	Envelope[Subscription]
//	@Failure	400			{object}	ErrorBody
//	@Failure	401			{object}	ErrorBody
//	@Failure	404			{object}	ErrorBody
//	@Router		/flicket-api/subscriptions/{ticket_id}/{page}/ [get]
func _() {}

// getSubscription godoc
//
//	@Summary	Get a subscription
//	@Tags		subscriptions
//	@Produce	json
//	@Security	BearerAuth
//	@Param		id	path		int	true	"subscription id"
//	@Success	200	{object}	Subscription
//	@Failure	401	{object}	ErrorBody
//	@Failure	404	{object}	ErrorBody
//	@Router		/flicket-api/subscription/{id} [get]
func (s *Server) getSubscription(c echo.Context) error {
	id, err := pathID(c, "id", "The subscription")
	if err != nil {
		return err
	}
	v, err := model.FindSubscription(c.Request().Context(), s.db, id)
	if err != nil {
		return notFoundAs(err, "The subscription")
	}
	return c.JSON(http.StatusOK, subscriptionJSON(s.links(c), v, currentUser(c)))
}

// CreateSubscriptionRequest subscribes a user to a ticket.
type CreateSubscriptionRequest struct {
	TicketID int64 `json:"ticket_id" validate:"required" example:"1"`
	UserID   int64 `json:"user_id" validate:"required" example:"13"`
} // @name CreateSubscriptionRequest

// createSubscription godoc
//
//	@Summary		Subscribe a user to a ticket
//	@Description	Anyone may subscribe themself; subscribing someone else is for administrators, super users, and the ticket's creator and assignee (403 otherwise: in the original anyone could, which let any account have the help desk mail anything to everybody). Logs a subscribe action naming the user.
//	@Tags			subscriptions
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body		CreateSubscriptionRequest	true	"ticket and user"
//	@Param			Idempotency-Key	header		string	false	"a fresh key per create (a UUID): a retry with the same key within 24 h gets the first answer; the same key with another request is a 409"
//	@Success		201		{object}	Subscription
//	@Header			201		{string}	Location	"absolute URL of the new subscription"
//	@Failure		400		{object}	ErrorBody
//	@Failure		401		{object}	ErrorBody
//	@Failure		403		{object}	ErrorBody
//	@Failure		409		{object}	ErrorBody
//	@Failure		422		{object}	ErrorBody
//	@Router			/flicket-api/subscriptions [post]
func (s *Server) createSubscription(c echo.Context) error {
	var req CreateSubscriptionRequest
	if err := s.bind(c, &req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	me := currentUser(c)
	var id int64
	err := s.write(ctx, func(wtx *model.Tx) error {
		tx := wtx.DB
		t, err := model.LockTicket(ctx, tx, req.TicketID)
		if errors.Is(err, model.ErrNotFound) {
			return errField("ticket_id", "not_found", "ticket_id names no ticket.")
		}
		if err != nil {
			return err
		}
		if err := t.CanSubscribe(me, req.UserID); err != nil {
			return err
		}
		if _, err := model.FindUser(ctx, tx, req.UserID); errors.Is(err, model.ErrNotFound) {
			return errField("user_id", "not_found", "user_id names no user.")
		} else if err != nil {
			return err
		}
		id, err = model.SubscribeUser(ctx, tx, t.ID, req.UserID, me.ID, s.now())
		return err
	})
	if err != nil {
		return err
	}
	v, err := model.FindSubscription(ctx, s.db, id)
	if err != nil {
		return err
	}
	l := s.links(c)
	c.Response().Header().Set(echo.HeaderLocation, l.to("/subscription/%d", id))
	return c.JSON(http.StatusCreated, subscriptionJSON(l, v, currentUser(c)))
}

// deleteSubscription godoc
//
//	@Summary		Unsubscribe
//	@Description	Users may unsubscribe themselves; administrators and super users anyone. Logs an unsubscribe action naming the user.
//	@Tags			subscriptions
//	@Security		BearerAuth
//	@Param			id	path	int	true	"subscription id"
//	@Success		204
//	@Failure		401	{object}	ErrorBody
//	@Failure		403	{object}	ErrorBody
//	@Failure		404	{object}	ErrorBody
//	@Router			/flicket-api/subscription/{id} [delete]
func (s *Server) deleteSubscription(c echo.Context) error {
	id, err := pathID(c, "id", "The subscription")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	v, err := model.FindSubscription(ctx, s.db, id)
	if err != nil {
		return notFoundAs(err, "The subscription")
	}
	me := currentUser(c)
	if err := v.CanUnsubscribe(me); err != nil {
		return err
	}
	err = s.write(ctx, func(wtx *model.Tx) error {
		tx := wtx.DB
		if _, err := model.LockTicket(ctx, tx, v.TicketID); err != nil {
			return notFoundAs(err, "The subscription")
		}
		return notFoundAs(model.Unsubscribe(ctx, tx, v, me.ID, s.now()), "The subscription")
	})
	if err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
