package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/flicket/flicket/backend/internal/model"
)

// Notification is one in-app notification of the signed-in user: kind
// "assigned" (someone assigned them the ticket) or "reply" (someone replied
// on a ticket they follow).
type Notification struct {
	Actor       *UserRef          `json:"actor" extensions:"x-nullable"`
	CreatedAt   Time              `json:"created_at" example:"Tue, 26 Nov 2024 19:13:01 GMT"`
	ID          int64             `json:"id" example:"7"`
	Kind        string            `json:"kind" enums:"assigned,reply" example:"reply"`
	Links       NotificationLinks `json:"links"`
	PostID      *int64            `json:"post_id" extensions:"x-nullable" example:"17"`
	Read        bool              `json:"read" example:"false"`
	ReadAt      *Time             `json:"read_at" extensions:"x-nullable" example:"Tue, 26 Nov 2024 19:20:00 GMT"`
	TicketID    int64             `json:"ticket_id" example:"42"`
	TicketTitle string            `json:"ticket_title" example:"Intranet down"`
} // @name Notification

// NotificationLinks point to the notification's ticket and to marking it read.
type NotificationLinks struct {
	Read   string `json:"read"`
	Ticket string `json:"ticket"`
} // @name NotificationLinks

// NotificationsRead says how many notifications were marked read.
type NotificationsRead struct {
	Marked int64 `json:"marked" example:"3"`
} // @name NotificationsRead

func notificationJSON(l linker, v *model.NotificationView) Notification {
	return Notification{
		Actor:     joinedUserRef(v.ActorID, v.ActorUsername, v.ActorName),
		CreatedAt: apiTime(v.CreatedAt), ID: v.ID, Kind: v.Kind, PostID: v.PostID,
		Read: v.ReadAt != nil, ReadAt: apiTimePtr(v.ReadAt), TicketID: v.TicketID, TicketTitle: v.TicketTitle,
		Links: NotificationLinks{Read: l.to("/me/notification/%d/read", v.ID), Ticket: l.to("/ticket/%d", v.TicketID)},
	}
}

// listNotifications godoc
//
//	@Summary		List my notifications
//	@Description	The signed-in user's in-app notifications, newest first: "assigned" when someone else assigned them a ticket, "reply" when someone replied on a ticket they follow (are subscribed to). They are written with the change itself, in its transaction. unread=true keeps the unread ones, so `?unread=true&per_page=1` gives the bell's count in _meta.total_items.
//	@Tags			me
//	@Produce		json
//	@Security		BearerAuth
//	@Param			unread		query		bool	false	"true: unread only; false: all (the default)"
//	@Param			page		query		int		false	"page number (from 1)"
//	@Param			per_page	query		int		false	"items per page (default: the configured page size, at most 100)"
//	@Success		200			{object}	Envelope[Notification]
//	@Failure		400			{object}	ErrorBody
//	@Failure		401			{object}	ErrorBody
//	@Router			/flicket-api/me/notifications [get]
func (s *Server) listNotifications(c echo.Context) error {
	var unread bool
	switch v := c.QueryParam("unread"); v {
	case "", "false":
	case "true":
		unread = true
	default:
		return errQuery("unread", "oneof", "unread must be true or false.").
			with(map[string]any{"values": []string{"true", "false"}})
	}
	p, err := s.pageParams(c)
	if err != nil {
		return err
	}
	rows, total, err := model.ListNotifications(c.Request().Context(), s.db, currentUser(c).ID, unread, p.Offset(), p.PerPage)
	if err != nil {
		return err
	}
	l := s.links(c)
	out := make([]Notification, len(rows))
	for i := range rows {
		out[i] = notificationJSON(l, &rows[i])
	}
	return c.JSON(http.StatusOK, newEnvelope(out, p, total, l.list("/me/notifications/", queryPaged, c, "unread")))
}

// readNotification godoc
//
//	@Summary		Mark one of my notifications read
//	@Description	Marks it read (one already read stays as it was). Another user's notification is a 404, as an unknown one.
//	@Tags			me
//	@Security		BearerAuth
//	@Param			id	path	int	true	"notification id"
//	@Success		204
//	@Failure		401	{object}	ErrorBody
//	@Failure		404	{object}	ErrorBody
//	@Router			/flicket-api/me/notification/{id}/read [post]
func (s *Server) readNotification(c echo.Context) error {
	id, err := pathID(c, "id", "The notification")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	me := currentUser(c)
	err = s.write(ctx, func(tx *model.Tx) error {
		return model.MarkNotificationRead(ctx, tx, me.ID, id)
	})
	if err != nil {
		return notFoundAs(err, "The notification")
	}
	return c.NoContent(http.StatusNoContent)
}

// readAllNotifications godoc
//
//	@Summary		Mark all my notifications read
//	@Description	Marks every unread notification of the signed-in user read and says how many.
//	@Tags			me
//	@Produce		json
//	@Security		BearerAuth
//	@Success		200	{object}	NotificationsRead
//	@Failure		401	{object}	ErrorBody
//	@Router			/flicket-api/me/notifications/read [post]
func (s *Server) readAllNotifications(c echo.Context) error {
	ctx := c.Request().Context()
	me := currentUser(c)
	var n int64
	err := s.write(ctx, func(tx *model.Tx) error {
		var err error
		n, err = model.MarkAllNotificationsRead(ctx, tx, me.ID)
		return err
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, NotificationsRead{Marked: n})
}
