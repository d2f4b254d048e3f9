package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/flicket/flicket/backend/internal/model"
)

// CannedReply is a snippet of reply text the web app inserts at the cursor:
// the caller's own (private), or shared with everyone by an administrator.
type CannedReply struct {
	Can       CannedReplyCan   `json:"can"`
	Content   string           `json:"content" example:"Thanks for the report: we are looking into it."`
	CreatedAt Time             `json:"created_at" example:"Tue, 26 Nov 2024 19:13:01 GMT"`
	ID        int64            `json:"id" example:"3"`
	Links     CannedReplyLinks `json:"links"`
	Shared    bool             `json:"shared" example:"false"`
	Title     string           `json:"title" example:"Looking into it"`
	UpdatedAt Time             `json:"updated_at" example:"Tue, 26 Nov 2024 19:13:01 GMT"`
} // @name CannedReply

// CannedReplyCan is what the caller may do to the reply.
type CannedReplyCan struct {
	Edit bool `json:"edit"`
} // @name CannedReplyCan

// CannedReplyLinks point to the reply.
type CannedReplyLinks struct {
	Self string `json:"self"`
} // @name CannedReplyLinks

// CannedReplyList is every canned reply the caller sees, by title.
type CannedReplyList struct {
	Items []CannedReply `json:"items"`
} // @name CannedReplyList

// CannedReplyCreate saves a canned reply. Only administrators may share one.
type CannedReplyCreate struct {
	Title   trimmed `json:"title" validate:"required,nonblank,max=100" swaggertype:"string" example:"Looking into it"`
	Content string  `json:"content" validate:"required,nonblank,max=10000" example:"Thanks for the report: we are looking into it."`
	Shared  *bool   `json:"shared,omitempty" example:"false"`
} // @name CannedReplyCreate

// CannedReplyUpdate changes a canned reply; absent fields are left alone.
type CannedReplyUpdate struct {
	Title   *trimmed `json:"title,omitempty" validate:"omitnil,nonblank,max=100" swaggertype:"string" example:"Looking into it"`
	Content *string  `json:"content,omitempty" validate:"omitnil,nonblank,max=10000" example:"We are looking into it."`
	Shared  *bool    `json:"shared,omitempty" example:"true"`
} // @name CannedReplyUpdate

func cannedReplyJSON(l linker, r *model.CannedReply, viewer *model.User) CannedReply {
	return CannedReply{
		Can: CannedReplyCan{Edit: r.CanEdit(viewer)}, Content: r.Content, CreatedAt: apiTime(r.CreatedAt), ID: r.ID,
		Links: CannedReplyLinks{Self: l.to("/me/canned-replies/%d", r.ID)}, Shared: r.Shared, Title: r.Title,
		UpdatedAt: apiTime(r.UpdatedAt),
	}
}

// listCannedReplies godoc
//
//	@Summary		List my canned replies
//	@Description	The caller's own canned replies and every shared one, by title; all of them (not paged).
//	@Tags			me
//	@Produce		json
//	@Security		BearerAuth
//	@Success		200	{object}	CannedReplyList
//	@Failure		401	{object}	ErrorBody
//	@Router			/flicket-api/me/canned-replies [get]
func (s *Server) listCannedReplies(c echo.Context) error {
	me := currentUser(c)
	rows, err := model.ListCannedReplies(c.Request().Context(), s.db, me)
	if err != nil {
		return err
	}
	l := s.links(c)
	out := CannedReplyList{Items: make([]CannedReply, len(rows))}
	for i := range rows {
		out.Items[i] = cannedReplyJSON(l, &rows[i], me)
	}
	return c.JSON(http.StatusOK, out)
}

// getCannedReply godoc
//
//	@Summary		Get a canned reply
//	@Description	One of the caller's canned replies, or a shared one; another user's private one is a 404.
//	@Tags			me
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		int	true	"canned reply id"
//	@Success		200	{object}	CannedReply
//	@Failure		401	{object}	ErrorBody
//	@Failure		404	{object}	ErrorBody
//	@Router			/flicket-api/me/canned-replies/{id} [get]
func (s *Server) getCannedReply(c echo.Context) error {
	id, err := pathID(c, "id", "The canned reply")
	if err != nil {
		return err
	}
	me := currentUser(c)
	r, err := model.FindCannedReply(c.Request().Context(), s.db, me, id)
	if err != nil {
		return notFoundAs(err, "The canned reply")
	}
	return c.JSON(http.StatusOK, cannedReplyJSON(s.links(c), r, me))
}

// createCannedReply godoc
//
//	@Summary		Save a canned reply
//	@Description	Saves a snippet of reply text (title 1–100 characters, content 1–10,000, neither blank). Private unless shared is true, which only administrators may set (403). A title the caller already uses, or a shared reply has, is a 409 (canned_reply.duplicate).
//	@Tags			me
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body			body		CannedReplyCreate	true	"the canned reply"
//	@Param			Idempotency-Key	header		string				false	"a fresh key per create (a UUID): a retry with the same key within 24 h gets the first answer; the same key with another request is a 409"
//	@Success		201				{object}	CannedReply
//	@Header			201				{string}	Location	"absolute URL of the canned reply"
//	@Failure		400				{object}	ErrorBody
//	@Failure		401				{object}	ErrorBody
//	@Failure		403				{object}	ErrorBody	"shared by someone who is not an administrator"
//	@Failure		409				{object}	ErrorBody
//	@Failure		422				{object}	ErrorBody
//	@Router			/flicket-api/me/canned-replies [post]
func (s *Server) createCannedReply(c echo.Context) error {
	var req CannedReplyCreate
	if err := s.bind(c, &req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	title := string(req.Title)
	me := currentUser(c)
	var r *model.CannedReply
	err := s.write(ctx, func(tx *model.Tx) error {
		var err error
		r, err = model.CreateCannedReply(ctx, tx, me, model.CannedReplyInput{Title: &title, Content: &req.Content, Shared: req.Shared})
		return err
	})
	if err != nil {
		return err
	}
	l := s.links(c)
	c.Response().Header().Set(echo.HeaderLocation, l.to("/me/canned-replies/%d", r.ID))
	return c.JSON(http.StatusCreated, cannedReplyJSON(l, r, me))
}

// updateCannedReply godoc
//
//	@Summary		Change a canned reply
//	@Description	Its owner changes a private canned reply; administrators change shared ones (403 for others; another user's private one is a 404). Only administrators may set shared.
//	@Tags			me
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		int					true	"canned reply id"
//	@Param			body	body		CannedReplyUpdate	true	"the changes"
//	@Success		200		{object}	CannedReply
//	@Failure		400		{object}	ErrorBody
//	@Failure		401		{object}	ErrorBody
//	@Failure		403		{object}	ErrorBody
//	@Failure		404		{object}	ErrorBody
//	@Failure		409		{object}	ErrorBody
//	@Failure		422		{object}	ErrorBody
//	@Router			/flicket-api/me/canned-replies/{id} [patch]
func (s *Server) updateCannedReply(c echo.Context) error {
	id, err := pathID(c, "id", "The canned reply")
	if err != nil {
		return err
	}
	var req CannedReplyUpdate
	if err := s.bind(c, &req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	me := currentUser(c)
	var r *model.CannedReply
	err = s.write(ctx, func(tx *model.Tx) error {
		var err error
		r, err = model.UpdateCannedReply(ctx, tx, me, id, model.CannedReplyInput{Title: req.Title.ptr(), Content: req.Content, Shared: req.Shared})
		return err
	})
	if err != nil {
		return notFoundAs(err, "The canned reply")
	}
	return c.JSON(http.StatusOK, cannedReplyJSON(s.links(c), r, me))
}

// deleteCannedReply godoc
//
//	@Summary		Delete a canned reply
//	@Description	Its owner deletes a private canned reply; administrators delete shared ones (403 for others; another user's private one is a 404).
//	@Tags			me
//	@Security		BearerAuth
//	@Param			id	path	int	true	"canned reply id"
//	@Success		204
//	@Failure		401	{object}	ErrorBody
//	@Failure		403	{object}	ErrorBody
//	@Failure		404	{object}	ErrorBody
//	@Router			/flicket-api/me/canned-replies/{id} [delete]
func (s *Server) deleteCannedReply(c echo.Context) error {
	id, err := pathID(c, "id", "The canned reply")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	err = s.write(ctx, func(tx *model.Tx) error {
		return model.DeleteCannedReply(ctx, tx, currentUser(c), id)
	})
	if err != nil {
		return notFoundAs(err, "The canned reply")
	}
	return c.NoContent(http.StatusNoContent)
}
