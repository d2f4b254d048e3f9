package api

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/flicket/flicket/backend/internal/model"
)

// Action is one entry of a ticket's activity log in the original's shape,
// plus the actor and the recipient. data is a JSON object with the values
// the action set (e.g. {"status_id": 3, "status": "In Work"}), or null.
type Action struct {
	Action      string          `json:"action" example:"assign"`
	Data        json.RawMessage `json:"data" extensions:"x-nullable"`
	Date        Time            `json:"date" example:"Tue, 26 Nov 2024 18:13:01 GMT"`
	ID          int64           `json:"id" example:"1"`
	Links       ActionLinks     `json:"links"`
	PostID      *int64          `json:"post_id" extensions:"x-nullable" example:"7"`
	Recipient   *UserRef        `json:"recipient" extensions:"x-nullable"`
	RecipientID *int64          `json:"recipient_id" extensions:"x-nullable" example:"9"`
	TicketID    int64           `json:"ticket_id" example:"42"`
	User        *UserRef        `json:"user" extensions:"x-nullable"`
	UserID      *int64          `json:"user_id" extensions:"x-nullable" example:"1"`
} // @name Action

// ActionLinks point to the action and its ticket's log.
type ActionLinks struct {
	Actions string `json:"actions"`
	Self    string `json:"self"`
} // @name ActionLinks

func actionJSON(l linker, v *model.ActionView) Action {
	a := &v.Action
	var data json.RawMessage
	// Stored data is always an object; anything else (a damaged import) is null.
	if a.Data != nil && json.Valid([]byte(*a.Data)) {
		data = json.RawMessage(*a.Data)
	}
	return Action{
		Action:      a.Action,
		Data:        data,
		Date:        apiTime(a.DateAdded),
		ID:          a.ID,
		Links:       ActionLinks{Self: l.to("/action/%d", a.ID), Actions: l.to("/actions/%d", a.TicketID)},
		PostID:      a.PostID,
		Recipient:   joinedUserRef(a.RecipientID, v.RecipientUsername, v.RecipientName),
		RecipientID: a.RecipientID,
		TicketID:    a.TicketID,
		User:        joinedUserRef(a.UserID, v.UserUsername, v.UserName),
		UserID:      a.UserID,
	}
}

// listActions godoc
//
//	@Summary	List a ticket's actions
//	@Tags		actions
//	@Produce	json
//	@Security	BearerAuth
//	@Param		ticket_id	path		int	true	"ticket id"
//	@Param		page		query		int	false	"page number (from 1)"
//	@Param		per_page	query		int	false	"items per page (default: the configured page size, at most 100)"
//	@Success	200			{object}	Envelope[Action]
//	@Failure	400			{object}	ErrorBody
//	@Failure	401			{object}	ErrorBody
//	@Failure	404			{object}	ErrorBody
//	@Router		/flicket-api/actions/{ticket_id} [get]
func (s *Server) listActions(c echo.Context) error {
	ticketID, err := pathID(c, "ticket_id", "The ticket")
	if err != nil {
		return err
	}
	p, err := s.pageParams(c)
	if err != nil {
		return err
	}
	if err := model.TicketExists(c.Request().Context(), s.db, ticketID); err != nil {
		return notFoundAs(err, "The ticket")
	}
	env, err := s.actionsPage(c, ticketID, p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, env)
}

// actionsPage is one page of a ticket's activity log as GET
// /actions/{ticket_id} answers it (and ?include=actions of GET /ticket/{id}).
func (s *Server) actionsPage(c echo.Context, ticketID int64, p pageRequest) (Envelope[Action], error) {
	items, total, err := model.ListActions(c.Request().Context(), s.db, ticketID, p.Offset(), p.PerPage)
	if err != nil {
		return Envelope[Action]{}, err
	}
	l := s.links(c)
	out := make([]Action, len(items))
	for i := range items {
		out[i] = actionJSON(l, &items[i])
	}
	return newEnvelope(out, p, total, l.list(fmt.Sprintf("/actions/%d", ticketID), queryPaged, c)), nil
}

// getAction godoc
//
//	@Summary	Get an action
//	@Tags		actions
//	@Produce	json
//	@Security	BearerAuth
//	@Param		id	path		int	true	"action id"
//	@Success	200	{object}	Action
//	@Failure	401	{object}	ErrorBody
//	@Failure	404	{object}	ErrorBody
//	@Router		/flicket-api/action/{id} [get]
func (s *Server) getAction(c echo.Context) error {
	id, err := pathID(c, "id", "The action")
	if err != nil {
		return err
	}
	v, err := model.FindActionView(c.Request().Context(), s.db, id)
	if err != nil {
		return notFoundAs(err, "The action")
	}
	return c.JSON(http.StatusOK, actionJSON(s.links(c), v))
}
