package api

import (
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/flicket/flicket/backend/internal/model"
)

// SavedView is a named set of the ticket list's filters: the caller's own
// (private), or shared with everyone by an administrator.
type SavedView struct {
	Can       SavedViewCan   `json:"can"`
	CreatedAt Time           `json:"created_at" example:"Tue, 26 Nov 2024 19:13:01 GMT"`
	ID        int64          `json:"id" example:"4"`
	Links     SavedViewLinks `json:"links"`
	Name      string         `json:"name" example:"Urgent printers"`
	Owner     *UserRef       `json:"owner" extensions:"x-nullable"`
	// Query is the ticket list's query string (without "?"), normalised:
	// GET /tickets/?{query} lists the view's tickets.
	Query     string `json:"query" example:"priority=high&q=printer&state=open"`
	Shared    bool   `json:"shared" example:"false"`
	UpdatedAt Time   `json:"updated_at" example:"Tue, 26 Nov 2024 19:13:01 GMT"`
} // @name SavedView

// SavedViewCan is what the caller may do to the view.
type SavedViewCan struct {
	Edit bool `json:"edit"`
} // @name SavedViewCan

// SavedViewLinks point to the view and to its tickets.
type SavedViewLinks struct {
	Self    string `json:"self"`
	Tickets string `json:"tickets"`
} // @name SavedViewLinks

// SavedViewCreate saves a view. Only administrators may share one.
type SavedViewCreate struct {
	Name   trimmed `json:"name" validate:"required,nonblank,max=60" swaggertype:"string" example:"Urgent printers"`
	Query  string  `json:"query" validate:"max=1000" example:"priority=high&q=printer&state=open"`
	Shared *bool   `json:"shared,omitempty" example:"false"`
} // @name SavedViewCreate

// SavedViewUpdate changes a view; absent fields are left alone.
type SavedViewUpdate struct {
	Name   *trimmed `json:"name,omitempty" validate:"omitnil,nonblank,max=60" swaggertype:"string" example:"Urgent printers"`
	Query  *string  `json:"query,omitempty" validate:"omitnil,max=1000" example:"state=open&view=mine"`
	Shared *bool    `json:"shared,omitempty" example:"true"`
} // @name SavedViewUpdate

// viewEnums are the list parameters with a closed set of values.
var viewEnums = map[string][]string{
	"view":  {"mine", "subscribed", "waiting"},
	"state": {model.StateOpen, model.StateClosed},
}

// normalizeViewQuery checks that a view's query holds only the ticket
// list's filters, with values the list takes where they are a closed set,
// and gives it in one spelling (keys sorted; page and per_page dropped: a
// view is a set of filters, not a place).
func normalizeViewQuery(raw string) (string, error) {
	vals, err := url.ParseQuery(strings.TrimPrefix(strings.TrimSpace(raw), "?"))
	if err != nil {
		return "", errField("query", "invalid", "query must be a URL query string (a=1&b=2).")
	}
	delete(vals, "page")
	delete(vals, "per_page")
	out := url.Values{}
	for k, vs := range vals {
		known := false
		for _, p := range ticketListParams {
			known = known || p == k
		}
		if !known {
			return "", errField("query", "oneof", "query may only hold the ticket list's filters: %s.", strings.Join(ticketListParams, ", ")).
				with(map[string]any{"values": ticketListParams})
		}
		v := strings.TrimSpace(vs[len(vs)-1])
		if strings.IndexByte(v, 0) >= 0 || !utf8.ValidString(v) {
			return "", errField("query", "invalid", "query's %s must be valid UTF-8 text without NUL characters.", k)
		}
		if allowed, ok := viewEnums[k]; ok && v != "" {
			found := false
			for _, a := range allowed {
				found = found || a == v
			}
			if !found {
				return "", errField("query", "oneof", "query's %s must be one of: %s.", k, strings.Join(allowed, ", ")).
					with(map[string]any{"values": allowed})
			}
		}
		if k == "sort" && v != "" {
			if _, ok := model.ParseTicketSort(v); !ok {
				return "", errField("query", "oneof", "query's sort must be one of: %s.", strings.Join(model.TicketSortKeys(), ", ")).
					with(map[string]any{"values": model.TicketSortKeys()})
			}
		}
		if v != "" {
			out.Set(k, v)
		}
	}
	return out.Encode(), nil
}

func savedViewJSON(l linker, v *model.SavedViewView, viewer *model.User) SavedView {
	return SavedView{
		Can: SavedViewCan{Edit: v.CanEdit(viewer)}, CreatedAt: apiTime(v.CreatedAt), ID: v.ID, Name: v.Name,
		Owner: joinedUserRef(&v.UserID, v.OwnerUsername, v.OwnerName), Query: v.Query, Shared: v.Shared,
		UpdatedAt: apiTime(v.UpdatedAt),
		Links:     SavedViewLinks{Self: l.to("/me/views/%d", v.ID), Tickets: l.to("/tickets/") + "?" + v.Query},
	}
}

// listSavedViews godoc
//
//	@Summary		List my saved views
//	@Description	The views the caller sees: those shared by an administrator (first), then their own, each by name.
//	@Tags			me
//	@Produce		json
//	@Security		BearerAuth
//	@Param			page		query		int	false	"page number (from 1)"
//	@Param			per_page	query		int	false	"items per page (default: the configured page size, at most 100)"
//	@Success		200			{object}	Envelope[SavedView]
//	@Failure		400			{object}	ErrorBody
//	@Failure		401			{object}	ErrorBody
//	@Router			/flicket-api/me/views [get]
func (s *Server) listSavedViews(c echo.Context) error {
	p, err := s.pageParams(c)
	if err != nil {
		return err
	}
	me := currentUser(c)
	rows, total, err := model.ListSavedViews(c.Request().Context(), s.db, me, p.Offset(), p.PerPage)
	if err != nil {
		return err
	}
	l := s.links(c)
	out := make([]SavedView, len(rows))
	for i := range rows {
		out[i] = savedViewJSON(l, &rows[i], me)
	}
	return c.JSON(http.StatusOK, newEnvelope(out, p, total, l.list("/me/views/", queryPaged, c)))
}

// getSavedView godoc
//
//	@Summary		Get a saved view
//	@Description	One of the caller's views, or a shared one; another user's private view is a 404.
//	@Tags			me
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		int	true	"view id"
//	@Success		200	{object}	SavedView
//	@Failure		401	{object}	ErrorBody
//	@Failure		404	{object}	ErrorBody
//	@Router			/flicket-api/me/views/{id} [get]
func (s *Server) getSavedView(c echo.Context) error {
	id, err := pathID(c, "id", "The view")
	if err != nil {
		return err
	}
	return s.respondSavedView(c, http.StatusOK, id)
}

func (s *Server) respondSavedView(c echo.Context, status int, id int64) error {
	me := currentUser(c)
	v, err := model.FindSavedView(c.Request().Context(), s.db, me, id)
	if err != nil {
		return notFoundAs(err, "The view")
	}
	return c.JSON(status, savedViewJSON(s.links(c), v, me))
}

// createSavedView godoc
//
//	@Summary		Save a view
//	@Description	Saves a named set of the ticket list's filters (query: the list's query string; only its filter parameters, page and per_page dropped). Private unless shared is true, which only administrators may set (403). A name the caller already uses, or a shared view has, is a 409 (view.duplicate).
//	@Tags			me
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body			body		SavedViewCreate	true	"the view"
//	@Param			Idempotency-Key	header		string			false	"a fresh key per create (a UUID): a retry with the same key within 24 h gets the first answer; the same key with another request is a 409"
//	@Success		201				{object}	SavedView
//	@Header			201				{string}	Location	"absolute URL of the view"
//	@Failure		400				{object}	ErrorBody
//	@Failure		401				{object}	ErrorBody
//	@Failure		403				{object}	ErrorBody	"shared by someone who is not an administrator"
//	@Failure		409				{object}	ErrorBody
//	@Failure		422				{object}	ErrorBody
//	@Router			/flicket-api/me/views [post]
func (s *Server) createSavedView(c echo.Context) error {
	var req SavedViewCreate
	if err := s.bind(c, &req); err != nil {
		return err
	}
	query, err := normalizeViewQuery(req.Query)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	name := string(req.Name)
	var v *model.SavedView
	err = s.write(ctx, func(tx *model.Tx) error {
		var err error
		v, err = model.CreateSavedView(ctx, tx, currentUser(c), model.SavedViewInput{Name: &name, Query: &query, Shared: req.Shared})
		return err
	})
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, s.links(c).to("/me/views/%d", v.ID))
	return s.respondSavedView(c, http.StatusCreated, v.ID)
}

// updateSavedView godoc
//
//	@Summary		Change a saved view
//	@Description	Its owner changes a private view; administrators change shared ones (403 for others; another user's private view is a 404). Only administrators may set shared.
//	@Tags			me
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		int				true	"view id"
//	@Param			body	body		SavedViewUpdate	true	"the changes"
//	@Success		200		{object}	SavedView
//	@Failure		400		{object}	ErrorBody
//	@Failure		401		{object}	ErrorBody
//	@Failure		403		{object}	ErrorBody
//	@Failure		404		{object}	ErrorBody
//	@Failure		409		{object}	ErrorBody
//	@Failure		422		{object}	ErrorBody
//	@Router			/flicket-api/me/views/{id} [patch]
func (s *Server) updateSavedView(c echo.Context) error {
	id, err := pathID(c, "id", "The view")
	if err != nil {
		return err
	}
	var req SavedViewUpdate
	if err := s.bind(c, &req); err != nil {
		return err
	}
	in := model.SavedViewInput{Name: req.Name.ptr(), Shared: req.Shared}
	if req.Query != nil {
		q, err := normalizeViewQuery(*req.Query)
		if err != nil {
			return err
		}
		in.Query = &q
	}
	ctx := c.Request().Context()
	err = s.write(ctx, func(tx *model.Tx) error {
		return model.UpdateSavedView(ctx, tx, currentUser(c), id, in)
	})
	if err != nil {
		return notFoundAs(err, "The view")
	}
	return s.respondSavedView(c, http.StatusOK, id)
}

// deleteSavedView godoc
//
//	@Summary		Delete a saved view
//	@Description	Its owner deletes a private view; administrators delete shared ones (403 for others; another user's private view is a 404).
//	@Tags			me
//	@Security		BearerAuth
//	@Param			id	path	int	true	"view id"
//	@Success		204
//	@Failure		401	{object}	ErrorBody
//	@Failure		403	{object}	ErrorBody
//	@Failure		404	{object}	ErrorBody
//	@Router			/flicket-api/me/views/{id} [delete]
func (s *Server) deleteSavedView(c echo.Context) error {
	id, err := pathID(c, "id", "The view")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	err = s.write(ctx, func(tx *model.Tx) error {
		return model.DeleteSavedView(ctx, tx, currentUser(c), id)
	})
	if err != nil {
		return notFoundAs(err, "The view")
	}
	return c.NoContent(http.StatusNoContent)
}
