package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/flicket/flicket/backend/internal/model"
)

// Department is a department in the original's shape, plus its categories.
type Department struct {
	Categories []CategoryBrief `json:"categories"`
	Department string          `json:"department" example:"Design"`
	ID         int64           `json:"id" example:"1"`
	Links      DepartmentLinks `json:"links"`
} // @name Department

// CategoryBrief is a category listed inside its department.
type CategoryBrief struct {
	Category string `json:"category" example:"Dataset"`
	ID       int64  `json:"id" example:"1"`
} // @name CategoryBrief

// DepartmentLinks point to the department and the list.
type DepartmentLinks struct {
	Departments string `json:"departments"`
	Self        string `json:"self"`
} // @name DepartmentLinks

// DepartmentRequest creates or renames a department.
type DepartmentRequest struct {
	Department trimmed `json:"department" validate:"required,min=3,max=30" swaggertype:"string" example:"Logistics"`
} // @name DepartmentRequest

func departmentJSON(l linker, d model.Department, cats []model.Category) Department {
	out := Department{
		Categories: make([]CategoryBrief, len(cats)),
		Department: d.Department,
		ID:         d.ID,
		Links:      DepartmentLinks{Departments: l.to("/departments/"), Self: l.to("/department/%d", d.ID)},
	}
	for i, c := range cats {
		out.Categories[i] = CategoryBrief{Category: c.Category, ID: c.ID}
	}
	return out
}

// departmentResponse loads the department's categories and shapes it.
func (s *Server) departmentResponse(c echo.Context, d *model.Department) (Department, error) {
	cats, err := model.CategoriesOf(c.Request().Context(), s.db, d.ID)
	if err != nil {
		return Department{}, err
	}
	return departmentJSON(s.links(c), *d, cats[d.ID]), nil
}

// getDepartment godoc
//
//	@Summary	Get a department
//	@Tags		departments
//	@Produce	json
//	@Security	BearerAuth
//	@Param		id	path		int	true	"department id"
//	@Success	200	{object}	Department
//	@Failure	401	{object}	ErrorBody
//	@Failure	404	{object}	ErrorBody
//	@Router		/flicket-api/department/{id} [get]
func (s *Server) getDepartment(c echo.Context) error {
	id, err := pathID(c, "id", "The department")
	if err != nil {
		return err
	}
	d, err := model.FindDepartment(c.Request().Context(), s.db, id)
	if err != nil {
		return notFoundAs(err, "The department")
	}
	out, err := s.departmentResponse(c, d)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// listDepartments godoc
//
//	@Summary		List departments
//	@Description	Ordered by name, each with its categories.
//	@Tags			departments
//	@Produce		json
//	@Security		BearerAuth
//	@Param			page		query		int	false	"page number (from 1)"
//	@Param			per_page	query		int	false	"items per page (default: the configured page size, at most 100)"
//	@Success		200			{object}	Envelope[Department]
//	@Failure		400			{object}	ErrorBody
//	@Failure		401			{object}	ErrorBody
//	@Router			/flicket-api/departments/ [get]
func (s *Server) listDepartments(c echo.Context) error {
	p, err := s.pageParams(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	deps, total, err := model.ListDepartments(ctx, s.db, p.Offset(), p.PerPage)
	if err != nil {
		return err
	}
	ids := make([]int64, len(deps))
	for i, d := range deps {
		ids[i] = d.ID
	}
	cats, err := model.CategoriesOf(ctx, s.db, ids...)
	if err != nil {
		return err
	}
	l := s.links(c)
	out := make([]Department, len(deps))
	for i, d := range deps {
		out[i] = departmentJSON(l, d, cats[d.ID])
	}
	return c.JSON(http.StatusOK, newEnvelope(out, p, total, l.list("/departments/", queryPaged, c)))
}

// createDepartment godoc
//
//	@Summary		Create a department
//	@Description	Administrators and super users. The name (3 to 30 characters, trimmed) must be new in any letter case.
//	@Tags			departments
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body		DepartmentRequest	true	"the department"
//	@Param			Idempotency-Key	header		string	false	"a fresh key per create (a UUID): a retry with the same key within 24 h gets the first answer; the same key with another request is a 409"
//	@Success		201		{object}	Department
//	@Header			201		{string}	Location	"absolute URL of the new department"
//	@Failure		400		{object}	ErrorBody
//	@Failure		401		{object}	ErrorBody
//	@Failure		403		{object}	ErrorBody
//	@Failure		409		{object}	ErrorBody	"the name is taken"
//	@Failure		422		{object}	ErrorBody
//	@Router			/flicket-api/departments [post]
func (s *Server) createDepartment(c echo.Context) error {
	var req DepartmentRequest
	if err := s.bind(c, &req); err != nil {
		return err
	}
	d, err := model.CreateDepartment(c.Request().Context(), s.writer, string(req.Department))
	if err != nil {
		return err
	}
	out, err := s.departmentResponse(c, d)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, out.Links.Self)
	return c.JSON(http.StatusCreated, out)
}

// updateDepartment godoc
//
//	@Summary		Rename a department
//	@Description	Administrators and super users; same rules as creating one.
//	@Tags			departments
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		int					true	"department id"
//	@Param			body	body		DepartmentRequest	true	"the new name"
//	@Success		200		{object}	Department
//	@Failure		400		{object}	ErrorBody
//	@Failure		401		{object}	ErrorBody
//	@Failure		403		{object}	ErrorBody
//	@Failure		404		{object}	ErrorBody
//	@Failure		409		{object}	ErrorBody	"the name is taken"
//	@Failure		422		{object}	ErrorBody
//	@Router			/flicket-api/department/{id} [patch]
func (s *Server) updateDepartment(c echo.Context) error {
	id, err := pathID(c, "id", "The department")
	if err != nil {
		return err
	}
	var req DepartmentRequest
	if err := s.bind(c, &req); err != nil {
		return err
	}
	d, err := model.RenameDepartment(c.Request().Context(), s.writer, id, string(req.Department))
	if err != nil {
		return notFoundAs(err, "The department")
	}
	out, err := s.departmentResponse(c, d)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// deleteDepartment godoc
//
//	@Summary		Delete a department
//	@Description	Administrators and super users. A department that still has categories cannot be deleted (409).
//	@Tags			departments
//	@Security		BearerAuth
//	@Param			id	path	int	true	"department id"
//	@Success		204
//	@Failure		401	{object}	ErrorBody
//	@Failure		403	{object}	ErrorBody
//	@Failure		404	{object}	ErrorBody
//	@Failure		409	{object}	ErrorBody	"the department has categories"
//	@Router			/flicket-api/department/{id} [delete]
func (s *Server) deleteDepartment(c echo.Context) error {
	id, err := pathID(c, "id", "The department")
	if err != nil {
		return err
	}
	if err := model.DeleteDepartment(c.Request().Context(), s.writer, id); err != nil {
		return notFoundAs(err, "The department")
	}
	return c.NoContent(http.StatusNoContent)
}
