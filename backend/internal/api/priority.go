package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/flicket/flicket/backend/internal/model"
)

// Priority is a ticket priority in the original's shape.
type Priority struct {
	ID       int64         `json:"id" example:"1"`
	Links    PriorityLinks `json:"links"`
	Priority string        `json:"priority" example:"low"`
} // @name Priority

// PriorityLinks point to the priority and the list.
type PriorityLinks struct {
	Priorities string `json:"priorities"`
	Self       string `json:"self"`
} // @name PriorityLinks

func priorityJSON(l linker, p model.Priority) Priority {
	return Priority{
		ID: p.ID, Priority: p.Priority,
		Links: PriorityLinks{Self: l.to("/priority/%d", p.ID), Priorities: l.to("/priorities/")},
	}
}

// getPriority godoc
//
//	@Summary	Get a priority
//	@Tags		priorities
//	@Produce	json
//	@Security	BearerAuth
//	@Param		id	path		int	true	"priority id"
//	@Success	200	{object}	Priority
//	@Failure	401	{object}	ErrorBody
//	@Failure	404	{object}	ErrorBody
//	@Router		/flicket-api/priority/{id} [get]
func (s *Server) getPriority(c echo.Context) error {
	id, err := pathID(c, "id", "The priority")
	if err != nil {
		return err
	}
	p, err := model.FindPriority(c.Request().Context(), s.db, id)
	if err != nil {
		return notFoundAs(err, "The priority")
	}
	return c.JSON(http.StatusOK, priorityJSON(s.links(c), *p))
}

// listPrioritiesPage godoc (documentation only: listPriorities serves both routes).
//
//	@Summary	List priorities (page in the path)
//	@Tags		priorities
//	@Produce	json
//	@Security	BearerAuth
//	@Param		page		path		int	true	"page number (from 1)"	minimum(1)
//	@Param		per_page	query		int	false	"items per page (default: the configured page size, at most 100)"
//	@Success	200			{object}	Envelope[Priority]
//	@Failure	400			{object}	ErrorBody
//	@Failure	401			{object}	ErrorBody
//	@Failure	404			{object}	ErrorBody
//	@Router		/flicket-api/priorities/{page}/ [get]
func _() {}

// listPriorities godoc
//
//	@Summary		List priorities
//	@Description	The page may also be given in the path: /priorities/{page}/.
//	@Tags			priorities
//	@Produce		json
//	@Security		BearerAuth
//	@Param			page		query		int	false	"page number (from 1)"
//	@Param			per_page	query		int	false	"items per page (default: the configured page size, at most 100)"
//	@Success		200			{object}	Envelope[Priority]
//	@Failure		400			{object}	ErrorBody
//	@Failure		401			{object}	ErrorBody
//	@Router			/flicket-api/priorities/ [get]
func (s *Server) listPriorities(c echo.Context) error {
	p, err := s.pageParams(c)
	if err != nil {
		return err
	}
	items, total, err := model.ListPriorities(c.Request().Context(), s.db, p.Offset(), p.PerPage)
	if err != nil {
		return err
	}
	l := s.links(c)
	out := make([]Priority, len(items))
	for i, it := range items {
		out[i] = priorityJSON(l, it)
	}
	return c.JSON(http.StatusOK, newEnvelope(out, p, total, l.list("/priorities/", pathPaged, c)))
}
