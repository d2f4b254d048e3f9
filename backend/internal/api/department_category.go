package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/flicket/flicket/backend/internal/model"
)

// DepartmentCategory is a category with its department, in the original's
// read-only shape; its id is the category's.
type DepartmentCategory struct {
	Category           string                  `json:"category" example:"Dataset"`
	CategoryID         int64                   `json:"category_id" example:"1"`
	Department         string                  `json:"department" example:"Design"`
	DepartmentCategory string                  `json:"department_category" example:"Design / Dataset"`
	DepartmentID       int64                   `json:"department_id" example:"1"`
	Links              DepartmentCategoryLinks `json:"links"`
} // @name DepartmentCategory

// DepartmentCategoryLinks point to the pair, its parts and the list.
type DepartmentCategoryLinks struct {
	Category             string `json:"category"`
	Department           string `json:"department"`
	DepartmentCategories string `json:"department_categories"`
	Self                 string `json:"self"`
} // @name DepartmentCategoryLinks

func departmentCategoryJSON(l linker, dc model.DepartmentCategory) DepartmentCategory {
	return DepartmentCategory{
		Category:           dc.Category,
		CategoryID:         dc.CategoryID,
		Department:         dc.Department,
		DepartmentCategory: dc.Name(),
		DepartmentID:       dc.DepartmentID,
		Links: DepartmentCategoryLinks{
			Category:             l.to("/category/%d", dc.CategoryID),
			Department:           l.to("/department/%d", dc.DepartmentID),
			DepartmentCategories: l.to("/department_categories/"),
			Self:                 l.to("/department_category/%d", dc.CategoryID),
		},
	}
}

// getDepartmentCategory godoc
//
//	@Summary	Get a department / category pair
//	@Tags		categories
//	@Produce	json
//	@Security	BearerAuth
//	@Param		id	path		int	true	"category id"
//	@Success	200	{object}	DepartmentCategory
//	@Failure	401	{object}	ErrorBody
//	@Failure	404	{object}	ErrorBody
//	@Router		/flicket-api/department_category/{id} [get]
func (s *Server) getDepartmentCategory(c echo.Context) error {
	id, err := pathID(c, "id", "The category")
	if err != nil {
		return err
	}
	dc, err := model.FindDepartmentCategory(c.Request().Context(), s.db, id)
	if err != nil {
		return notFoundAs(err, "The category")
	}
	return c.JSON(http.StatusOK, departmentCategoryJSON(s.links(c), *dc))
}

// listDepartmentCategories godoc
//
//	@Summary		List department / category pairs
//	@Description	Ordered by department then category; used to pick a ticket's category. The filters are kept in the page links.
//	@Tags			categories
//	@Produce		json
//	@Security		BearerAuth
//	@Param			department_category	query		string	false	"case-insensitive substring of \"Department / Category\""
//	@Param			department_id		query		int		false	"only this department"
//	@Param			department			query		string	false	"only the department with this name (any letter case)"
//	@Param			page				query		int		false	"page number (from 1)"
//	@Param			per_page			query		int		false	"items per page (default: the configured page size, at most 100)"
//	@Success		200					{object}	Envelope[DepartmentCategory]
//	@Failure		400					{object}	ErrorBody
//	@Failure		401					{object}	ErrorBody
//	@Router			/flicket-api/department_categories/ [get]
func (s *Server) listDepartmentCategories(c echo.Context) error {
	p, err := s.pageParams(c)
	if err != nil {
		return err
	}
	depID, _, err := queryID(c, "department_id")
	if err != nil {
		return err
	}
	f := model.DepartmentCategoryFilter{
		Term:         c.QueryParam("department_category"),
		DepartmentID: depID,
		Department:   c.QueryParam("department"),
	}
	items, total, err := model.ListDepartmentCategories(c.Request().Context(), s.db, f, p.Offset(), p.PerPage)
	if err != nil {
		return err
	}
	l := s.links(c)
	out := make([]DepartmentCategory, len(items))
	for i, it := range items {
		out[i] = departmentCategoryJSON(l, it)
	}
	return c.JSON(http.StatusOK, newEnvelope(out, p, total,
		l.list("/department_categories/", queryPaged, c, "department_category", "department_id", "department")))
}
