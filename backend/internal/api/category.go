package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/flicket/flicket/backend/internal/model"
)

// Category is a category in the original's shape, plus department_id.
type Category struct {
	Category     string        `json:"category" example:"Dataset"`
	Department   string        `json:"department" example:"Design"`
	DepartmentID int64         `json:"department_id" example:"1"`
	ID           int64         `json:"id" example:"1"`
	Links        CategoryLinks `json:"links"`
} // @name Category

// CategoryLinks point to the category, the list and the department.
type CategoryLinks struct {
	Categories string `json:"categories"`
	Department string `json:"department"`
	Self       string `json:"self"`
} // @name CategoryLinks

// CategoryCreateRequest adds a category to a department.
type CategoryCreateRequest struct {
	Category     trimmed `json:"category" validate:"required,min=3,max=30" swaggertype:"string" example:"Shipping"`
	DepartmentID int64   `json:"department_id" validate:"required,gt=0" example:"1"`
} // @name CategoryCreateRequest

// CategoryUpdateRequest renames a category and/or moves it to another
// department; absent fields are left alone.
type CategoryUpdateRequest struct {
	Category     *trimmed `json:"category,omitempty" validate:"omitnil,min=3,max=30" swaggertype:"string" example:"Shipping"`
	DepartmentID *int64   `json:"department_id,omitempty" validate:"omitnil,gt=0" example:"2"`
} // @name CategoryUpdateRequest

func categoryJSON(l linker, dc model.DepartmentCategory) Category {
	return Category{
		Category:     dc.Category,
		Department:   dc.Department,
		DepartmentID: dc.DepartmentID,
		ID:           dc.CategoryID,
		Links: CategoryLinks{
			Categories: l.to("/categories/"),
			Department: l.to("/department/%d", dc.DepartmentID),
			Self:       l.to("/category/%d", dc.CategoryID),
		},
	}
}

// categoryResponse reloads a category with its department and shapes it.
func (s *Server) categoryResponse(c echo.Context, id int64) (Category, error) {
	dc, err := model.FindDepartmentCategory(c.Request().Context(), s.db, id)
	if err != nil {
		return Category{}, notFoundAs(err, "The category")
	}
	return categoryJSON(s.links(c), *dc), nil
}

// getCategory godoc
//
//	@Summary	Get a category
//	@Tags		categories
//	@Produce	json
//	@Security	BearerAuth
//	@Param		id	path		int	true	"category id"
//	@Success	200	{object}	Category
//	@Failure	401	{object}	ErrorBody
//	@Failure	404	{object}	ErrorBody
//	@Router		/flicket-api/category/{id} [get]
func (s *Server) getCategory(c echo.Context) error {
	id, err := pathID(c, "id", "The category")
	if err != nil {
		return err
	}
	out, err := s.categoryResponse(c, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// listCategories godoc
//
//	@Summary		List categories
//	@Description	Ordered by name. The filters are kept in the page links.
//	@Tags			categories
//	@Produce		json
//	@Security		BearerAuth
//	@Param			department_id	query		int		false	"only this department's categories"
//	@Param			department		query		string	false	"only the categories of the department with this name (any letter case)"
//	@Param			page			query		int		false	"page number (from 1)"
//	@Param			per_page		query		int		false	"items per page (default: the configured page size, at most 100)"
//	@Success		200				{object}	Envelope[Category]
//	@Failure		400				{object}	ErrorBody
//	@Failure		401				{object}	ErrorBody
//	@Router			/flicket-api/categories/ [get]
func (s *Server) listCategories(c echo.Context) error {
	p, err := s.pageParams(c)
	if err != nil {
		return err
	}
	depID, _, err := queryID(c, "department_id")
	if err != nil {
		return err
	}
	f := model.CategoryFilter{DepartmentID: depID, Department: c.QueryParam("department")}
	items, total, err := model.ListCategories(c.Request().Context(), s.db, f, p.Offset(), p.PerPage)
	if err != nil {
		return err
	}
	l := s.links(c)
	out := make([]Category, len(items))
	for i, it := range items {
		out[i] = categoryJSON(l, it)
	}
	return c.JSON(http.StatusOK, newEnvelope(out, p, total,
		l.list("/categories/", queryPaged, c, "department_id", "department")))
}

// createCategory godoc
//
//	@Summary		Create a category
//	@Description	Administrators and super users. The name (3 to 30 characters, trimmed) must be new in its department in any letter case; an unknown department_id is a 422.
//	@Tags			categories
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body		CategoryCreateRequest	true	"the category"
//	@Param			Idempotency-Key	header		string	false	"a fresh key per create (a UUID): a retry with the same key within 24 h gets the first answer; the same key with another request is a 409"
//	@Success		201		{object}	Category
//	@Header			201		{string}	Location	"absolute URL of the new category"
//	@Failure		400		{object}	ErrorBody
//	@Failure		401		{object}	ErrorBody
//	@Failure		403		{object}	ErrorBody
//	@Failure		409		{object}	ErrorBody	"the name is taken in the department"
//	@Failure		422		{object}	ErrorBody
//	@Router			/flicket-api/categories [post]
func (s *Server) createCategory(c echo.Context) error {
	var req CategoryCreateRequest
	if err := s.bind(c, &req); err != nil {
		return err
	}
	cat, err := model.CreateCategory(c.Request().Context(), s.writer, string(req.Category), req.DepartmentID)
	if err != nil {
		return err
	}
	out, err := s.categoryResponse(c, cat.ID)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, out.Links.Self)
	return c.JSON(http.StatusCreated, out)
}

// updateCategory godoc
//
//	@Summary		Rename or move a category
//	@Description	Administrators and super users. Moving a category moves its tickets with it.
//	@Tags			categories
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		int						true	"category id"
//	@Param			body	body		CategoryUpdateRequest	true	"the changes"
//	@Success		200		{object}	Category
//	@Failure		400		{object}	ErrorBody
//	@Failure		401		{object}	ErrorBody
//	@Failure		403		{object}	ErrorBody
//	@Failure		404		{object}	ErrorBody
//	@Failure		409		{object}	ErrorBody	"the name is taken in the department"
//	@Failure		422		{object}	ErrorBody
//	@Router			/flicket-api/category/{id} [patch]
func (s *Server) updateCategory(c echo.Context) error {
	id, err := pathID(c, "id", "The category")
	if err != nil {
		return err
	}
	var req CategoryUpdateRequest
	if err := s.bind(c, &req); err != nil {
		return err
	}
	upd := model.CategoryUpdate{Category: req.Category.ptr(), DepartmentID: req.DepartmentID}
	if _, err := model.UpdateCategory(c.Request().Context(), s.writer, id, upd); err != nil {
		return notFoundAs(err, "The category")
	}
	out, err := s.categoryResponse(c, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// deleteCategory godoc
//
//	@Summary		Delete a category
//	@Description	Administrators and super users. A category that tickets are filed under cannot be deleted (409).
//	@Tags			categories
//	@Security		BearerAuth
//	@Param			id	path	int	true	"category id"
//	@Success		204
//	@Failure		401	{object}	ErrorBody
//	@Failure		403	{object}	ErrorBody
//	@Failure		404	{object}	ErrorBody
//	@Failure		409	{object}	ErrorBody	"tickets use the category"
//	@Router			/flicket-api/category/{id} [delete]
func (s *Server) deleteCategory(c echo.Context) error {
	id, err := pathID(c, "id", "The category")
	if err != nil {
		return err
	}
	if err := model.DeleteCategory(c.Request().Context(), s.writer, id); err != nil {
		return notFoundAs(err, "The category")
	}
	return c.NoContent(http.StatusNoContent)
}
