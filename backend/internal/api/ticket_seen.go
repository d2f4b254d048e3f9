package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/flicket/flicket/backend/internal/model"
)

// TicketSeenRequest says how far the caller read a ticket.
type TicketSeenRequest struct {
	// PostID is the last reply read (absent: the ticket's latest reply).
	PostID *int64 `json:"post_id,omitempty" validate:"omitnil,min=1" example:"17"`
} // @name TicketSeenRequest

// TicketSeen is the caller's mark on a ticket as set, and what was new to
// them since the mark before.
type TicketSeen struct {
	TicketID       int64  `json:"ticket_id" example:"42"`
	LastSeenPostID *int64 `json:"last_seen_post_id" extensions:"x-nullable" example:"17"`
	SeenAt         Time   `json:"seen_at" example:"Tue, 26 Nov 2024 19:13:01 GMT"`
	// PreviousSeenAt is the mark before this one (null: first visit).
	PreviousSeenAt *Time `json:"previous_seen_at" extensions:"x-nullable" example:"Mon, 25 Nov 2024 09:00:00 GMT"`
	// NewReplies counts the replies by others after the reply the previous
	// mark had seen (0 on a first visit: the whole ticket is new).
	NewReplies int64 `json:"new_replies" example:"3"`
	// FirstUnreadPostID is the first of those replies (null when none).
	FirstUnreadPostID *int64 `json:"first_unread_post_id" extensions:"x-nullable" example:"15"`
} // @name TicketSeen

// markTicketSeen godoc
//
//	@Summary		Mark a ticket seen
//	@Description	Records that the caller read the ticket up to post_id (absent or no body: its latest reply), now, and answers with what was new to them since their previous mark: new_replies by others and the first of them, for the web app's "3 new replies" and its scroll to the first. The ticket list's unread flag compares each ticket's last activity with this mark; the caller's own changes move it too. Any user may mark any ticket they can read.
//	@Tags			tickets
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		int					true	"ticket id"
//	@Param			body	body		TicketSeenRequest	false	"how far the caller read"
//	@Success		200		{object}	TicketSeen
//	@Failure		400		{object}	ErrorBody
//	@Failure		401		{object}	ErrorBody
//	@Failure		404		{object}	ErrorBody
//	@Failure		422		{object}	ErrorBody	"post_id names no reply of this ticket"
//	@Router			/flicket-api/ticket/{id}/seen [put]
func (s *Server) markTicketSeen(c echo.Context) error {
	id, err := pathID(c, "id", "The ticket")
	if err != nil {
		return err
	}
	var req TicketSeenRequest
	if c.Request().ContentLength != 0 {
		if err := s.bind(c, &req); err != nil {
			return err
		}
	}
	ctx := c.Request().Context()
	me := currentUser(c)
	var res *model.SeenResult
	err = s.write(ctx, func(tx *model.Tx) error {
		var err error
		res, err = model.MarkTicketSeen(ctx, tx, id, me, req.PostID)
		return err
	})
	if err != nil {
		return notFoundAs(err, "The ticket")
	}
	out := TicketSeen{
		TicketID: id, LastSeenPostID: res.Seen.LastSeenPostID, SeenAt: apiTime(res.Seen.SeenAt),
		NewReplies: res.NewReplies, FirstUnreadPostID: res.FirstUnreadPostID,
	}
	if res.Previous != nil {
		out.PreviousSeenAt = apiTimePtr(&res.Previous.SeenAt)
	}
	return c.JSON(http.StatusOK, out)
}
