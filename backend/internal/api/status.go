package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/flicket/flicket/backend/internal/model"
)

// Status is a ticket status in the original's shape.
type Status struct {
	ID     int64       `json:"id" example:"1"`
	Links  StatusLinks `json:"links"`
	Status string      `json:"status" example:"Open"`
} // @name Status

// StatusLinks point to the status and the list.
type StatusLinks struct {
	Self     string `json:"self"`
	Statuses string `json:"statuses"`
} // @name StatusLinks

func statusJSON(l linker, st model.Status) Status {
	return Status{
		ID: st.ID, Status: st.Status,
		Links: StatusLinks{Self: l.to("/status/%d", st.ID), Statuses: l.to("/statuses/")},
	}
}

// getStatus godoc
//
//	@Summary	Get a status
//	@Tags		statuses
//	@Produce	json
//	@Security	BearerAuth
//	@Param		id	path		int	true	"status id"
//	@Success	200	{object}	Status
//	@Failure	401	{object}	ErrorBody
//	@Failure	404	{object}	ErrorBody
//	@Router		/flicket-api/status/{id} [get]
func (s *Server) getStatus(c echo.Context) error {
	id, err := pathID(c, "id", "The status")
	if err != nil {
		return err
	}
	st, err := model.FindStatus(c.Request().Context(), s.db, id)
	if err != nil {
		return notFoundAs(err, "The status")
	}
	return c.JSON(http.StatusOK, statusJSON(s.links(c), *st))
}

// listStatuses godoc
//
//	@Summary	List statuses
//	@Tags		statuses
//	@Produce	json
//	@Security	BearerAuth
//	@Param		page		query		int	false	"page number (from 1)"
//	@Param		per_page	query		int	false	"items per page (default: the configured page size, at most 100)"
//	@Success	200			{object}	Envelope[Status]
//	@Failure	400			{object}	ErrorBody
//	@Failure	401			{object}	ErrorBody
//	@Router		/flicket-api/statuses/ [get]
func (s *Server) listStatuses(c echo.Context) error {
	p, err := s.pageParams(c)
	if err != nil {
		return err
	}
	items, total, err := model.ListStatuses(c.Request().Context(), s.db, p.Offset(), p.PerPage)
	if err != nil {
		return err
	}
	l := s.links(c)
	out := make([]Status, len(items))
	for i, st := range items {
		out[i] = statusJSON(l, st)
	}
	return c.JSON(http.StatusOK, newEnvelope(out, p, total, l.list("/statuses/", queryPaged, c)))
}
