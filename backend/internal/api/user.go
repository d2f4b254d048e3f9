package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/flicket/flicket/backend/internal/model"
)

// User is an account in the original's shape (no password, no hash, ever),
// plus role flags, counters and, for administrators and the user themself,
// the account settings.
type User struct {
	Avatar        string    `json:"avatar" example:"http://localhost:5000/flicket-api/user/1/avatar"`
	DateAdded     Time      `json:"date_added" example:"Thu, 26 Nov 2026 17:58:16 GMT"`
	Disabled      *bool     `json:"disabled,omitempty"`
	Email         string    `json:"email" example:"admin@example.com"`
	Groups        []string  `json:"groups,omitempty"`
	ID            int64     `json:"id" example:"1"`
	IsAdmin       bool      `json:"is_admin"`
	IsSuperUser   bool      `json:"is_super_user"`
	JobTitle      string    `json:"job_title" example:"admin"`
	Links         UserLinks `json:"links"`
	Locale        *string   `json:"locale,omitempty" example:"en"`
	Name          string    `json:"name" example:"admin"`
	TotalAssigned int64     `json:"total_assigned"`
	TotalPosts    int64     `json:"total_posts"`
	Username      string    `json:"username" example:"admin"`
} // @name User

// UserLinks point to the user and the list.
type UserLinks struct {
	Self  string `json:"self"`
	Users string `json:"users"`
} // @name UserLinks

// userJSON shapes a user for the viewer: account settings (locale, disabled,
// groups) are shown only to administrators and to the user themself.
func userJSON(l linker, u *model.User, viewer *model.User) User {
	out := User{
		Avatar:        l.to("/user/%d/avatar", u.ID),
		DateAdded:     apiTime(u.DateAdded),
		Email:         u.Email,
		ID:            u.ID,
		IsAdmin:       u.IsAdmin,
		IsSuperUser:   u.IsSuperUser,
		JobTitle:      "unknown",
		Links:         UserLinks{Self: l.to("/user/%d", u.ID), Users: l.to("/users/")},
		Name:          u.Name,
		TotalAssigned: u.TotalAssigned,
		TotalPosts:    u.TotalPosts,
		Username:      u.Username,
	}
	if u.JobTitle != nil && *u.JobTitle != "" {
		out.JobTitle = *u.JobTitle
	}
	if viewer != nil && (viewer.IsAdmin || viewer.ID == u.ID) {
		disabled, locale := u.Disabled, u.Locale
		out.Disabled, out.Locale, out.Groups = &disabled, &locale, u.Groups
		if out.Groups == nil {
			out.Groups = []string{}
		}
	}
	return out
}

// getUser godoc
//
//	@Summary	Get a user
//	@Tags		users
//	@Produce	json
//	@Security	BearerAuth
//	@Param		id	path		int	true	"user id"
//	@Success	200	{object}	User
//	@Failure	401	{object}	ErrorBody
//	@Failure	404	{object}	ErrorBody
//	@Router		/flicket-api/user/{id} [get]
func (s *Server) getUser(c echo.Context) error {
	id, err := pathID(c, "id", "The user")
	if err != nil {
		return err
	}
	u, err := model.FindUser(c.Request().Context(), s.db, id)
	if err != nil {
		return notFoundAs(err, "The user")
	}
	return c.JSON(http.StatusOK, userJSON(s.links(c), u, currentUser(c)))
}

// listUsers godoc
//
//	@Summary		List users
//	@Description	Ordered by username. `name` keeps the original's filter (a case-insensitive substring of the display name); `q` searches username, name and e-mail.
//	@Tags			users
//	@Produce		json
//	@Security		BearerAuth
//	@Param			name		query		string	false	"substring of the name"
//	@Param			q			query		string	false	"substring of username, name or e-mail"
//	@Param			page		query		int		false	"page number (from 1)"
//	@Param			per_page	query		int		false	"items per page (default: the configured page size, at most 100)"
//	@Success		200			{object}	Envelope[User]
//	@Failure		400			{object}	ErrorBody
//	@Failure		401			{object}	ErrorBody
//	@Router			/flicket-api/users/ [get]
func (s *Server) listUsers(c echo.Context) error {
	p, err := s.pageParams(c)
	if err != nil {
		return err
	}
	f := model.UserFilter{Name: c.QueryParam("name"), Q: c.QueryParam("q")}
	users, total, err := model.ListUsers(c.Request().Context(), s.db, f, p.Offset(), p.PerPage)
	if err != nil {
		return err
	}
	l := s.links(c)
	viewer := currentUser(c)
	out := make([]User, len(users))
	for i := range users {
		out[i] = userJSON(l, &users[i], viewer)
	}
	return c.JSON(http.StatusOK, newEnvelope(out, p, total, l.list("/users/", queryPaged, c, "name", "q")))
}

// TODO(stub): replaced by the real handlers.

func (s *Server) createUser(echo.Context) error { return errNotImplemented }

func (s *Server) updateUser(echo.Context) error { return errNotImplemented }

func (s *Server) deleteUser(echo.Context) error { return errNotImplemented }
