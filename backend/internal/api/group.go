package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/flicket/flicket/backend/internal/model"
)

// Group is a user group with its number of members.
type Group struct {
	GroupName string     `json:"group_name" example:"flicket_admin"`
	ID        int64      `json:"id" example:"1"`
	Links     GroupLinks `json:"links"`
	Members   int64      `json:"members" example:"1"`
} // @name Group

// GroupLinks point to the group and the list.
type GroupLinks struct {
	Groups string `json:"groups"`
	Self   string `json:"self"`
} // @name GroupLinks

// GroupRequest creates or renames a group.
type GroupRequest struct {
	GroupName trimmed `json:"group_name" validate:"required,min=3,max=64" swaggertype:"string" example:"helpdesk"`
} // @name GroupRequest

func groupJSON(l linker, g model.GroupInfo) Group {
	return Group{
		GroupName: g.GroupName,
		ID:        g.ID,
		Links:     GroupLinks{Groups: l.to("/groups/"), Self: l.to("/group/%d", g.ID)},
		Members:   g.Members,
	}
}

// groupResponse reloads a group with its member count and shapes it.
func (s *Server) groupResponse(c echo.Context, id int64) (Group, error) {
	g, err := model.FindGroup(c.Request().Context(), s.db, id)
	if err != nil {
		return Group{}, notFoundAs(err, "The group")
	}
	return groupJSON(s.links(c), *g), nil
}

// getGroup godoc
//
//	@Summary	Get a group
//	@Tags		groups
//	@Produce	json
//	@Security	BearerAuth
//	@Param		id	path		int	true	"group id"
//	@Success	200	{object}	Group
//	@Failure	401	{object}	ErrorBody
//	@Failure	403	{object}	ErrorBody
//	@Failure	404	{object}	ErrorBody
//	@Router		/flicket-api/group/{id} [get]
func (s *Server) getGroup(c echo.Context) error {
	id, err := pathID(c, "id", "The group")
	if err != nil {
		return err
	}
	out, err := s.groupResponse(c, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// listGroups godoc
//
//	@Summary		List groups
//	@Description	Administrators only. Ordered by name, with member counts.
//	@Tags			groups
//	@Produce		json
//	@Security		BearerAuth
//	@Param			page		query		int	false	"page number (from 1)"
//	@Param			per_page	query		int	false	"items per page (default: the configured page size, at most 100)"
//	@Success		200			{object}	Envelope[Group]
//	@Failure		400			{object}	ErrorBody
//	@Failure		401			{object}	ErrorBody
//	@Failure		403			{object}	ErrorBody
//	@Router			/flicket-api/groups/ [get]
func (s *Server) listGroups(c echo.Context) error {
	p, err := s.pageParams(c)
	if err != nil {
		return err
	}
	items, total, err := model.ListGroups(c.Request().Context(), s.db, p.Offset(), p.PerPage)
	if err != nil {
		return err
	}
	l := s.links(c)
	out := make([]Group, len(items))
	for i, g := range items {
		out[i] = groupJSON(l, g)
	}
	return c.JSON(http.StatusOK, newEnvelope(out, p, total, l.list("/groups/", queryPaged, c)))
}

// createGroup godoc
//
//	@Summary		Create a group
//	@Description	Administrators only. The name (3 to 64 characters, trimmed) must be new in any letter case. Groups other than flicket_admin and super_user carry no permissions.
//	@Tags			groups
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body		GroupRequest	true	"the group"
//	@Param			Idempotency-Key	header		string	false	"a fresh key per create (a UUID): a retry with the same key within 24 h gets the first answer; the same key with another request is a 409"
//	@Success		201		{object}	Group
//	@Header			201		{string}	Location	"absolute URL of the new group"
//	@Failure		400		{object}	ErrorBody
//	@Failure		401		{object}	ErrorBody
//	@Failure		403		{object}	ErrorBody
//	@Failure		409		{object}	ErrorBody	"the name is taken"
//	@Failure		422		{object}	ErrorBody
//	@Router			/flicket-api/groups [post]
func (s *Server) createGroup(c echo.Context) error {
	var req GroupRequest
	if err := s.bind(c, &req); err != nil {
		return err
	}
	g, err := model.CreateGroup(c.Request().Context(), s.writer, string(req.GroupName))
	if err != nil {
		return err
	}
	out, err := s.groupResponse(c, g.ID)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, out.Links.Self)
	return c.JSON(http.StatusCreated, out)
}

// updateGroup godoc
//
//	@Summary		Rename a group
//	@Description	Administrators only. flicket_admin and super_user carry permissions and cannot be renamed (403).
//	@Tags			groups
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		int				true	"group id"
//	@Param			body	body		GroupRequest	true	"the new name"
//	@Success		200		{object}	Group
//	@Failure		400		{object}	ErrorBody
//	@Failure		401		{object}	ErrorBody
//	@Failure		403		{object}	ErrorBody
//	@Failure		404		{object}	ErrorBody
//	@Failure		409		{object}	ErrorBody	"the name is taken"
//	@Failure		422		{object}	ErrorBody
//	@Router			/flicket-api/group/{id} [patch]
func (s *Server) updateGroup(c echo.Context) error {
	id, err := pathID(c, "id", "The group")
	if err != nil {
		return err
	}
	var req GroupRequest
	if err := s.bind(c, &req); err != nil {
		return err
	}
	if err := model.RenameGroup(c.Request().Context(), s.writer, id, string(req.GroupName)); err != nil {
		return notFoundAs(err, "The group")
	}
	out, err := s.groupResponse(c, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// deleteGroup godoc
//
//	@Summary		Delete a group
//	@Description	Administrators only. Its memberships go with it. flicket_admin and super_user cannot be deleted (403).
//	@Tags			groups
//	@Security		BearerAuth
//	@Param			id	path	int	true	"group id"
//	@Success		204
//	@Failure		401	{object}	ErrorBody
//	@Failure		403	{object}	ErrorBody
//	@Failure		404	{object}	ErrorBody
//	@Router			/flicket-api/group/{id} [delete]
func (s *Server) deleteGroup(c echo.Context) error {
	id, err := pathID(c, "id", "The group")
	if err != nil {
		return err
	}
	if err := model.DeleteGroup(c.Request().Context(), s.writer, id); err != nil {
		return notFoundAs(err, "The group")
	}
	return c.NoContent(http.StatusNoContent)
}
