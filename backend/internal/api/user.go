package api

import (
	"errors"
	"net/http"
	"regexp"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/flicket/flicket/backend/internal/auth"
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
	Groups        *[]string `json:"groups,omitempty"`
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
// groups) are shown only to administrators and to the user themself. For
// them groups is always there, [] when the user has none; for anyone else
// the key is absent (hence the pointer: omitempty drops an empty slice).
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
	if viewer.CanSeeAccountOf(u) {
		disabled, locale, groups := u.Disabled, u.Locale, u.Groups
		if groups == nil {
			groups = []string{}
		}
		out.Disabled, out.Locale, out.Groups = &disabled, &locale, &groups
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
	if err := model.LoadUserTotals(c.Request().Context(), s.db, u); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, userJSON(s.links(c), u, currentUser(c)))
}

// listUsers godoc
//
//	@Summary		List users
//	@Description	Ordered by username. `name` keeps the original's filter (a case-insensitive substring of the display name); `q` searches username, name and e-mail; `disabled=false` keeps the enabled accounts (those a ticket may be assigned to), `disabled=true` the disabled ones. `for_ticket` orders the enabled accounts for assigning that ticket: the caller first, then the people assigned the newest tickets of its department (the most recent first), then everyone else by username; its current assignee is not put first. Filters and pages apply as usual.
//	@Tags			users
//	@Produce		json
//	@Security		BearerAuth
//	@Param			name		query		string	false	"substring of the name"
//	@Param			q			query		string	false	"substring of username, name or e-mail"
//	@Param			disabled	query		bool	false	"true: disabled accounts only; false: enabled accounts only"
//	@Param			for_ticket	query		int		false	"ticket id: suggest assignees for it first (enabled accounts only; with disabled=true a 400)"
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
	switch v := c.QueryParam("disabled"); v {
	case "":
	case "true", "false":
		b := v == "true"
		f.Disabled = &b
	default:
		return errQuery("disabled", "oneof", "disabled must be true or false.").
			with(map[string]any{"values": []string{"true", "false"}})
	}
	if err := s.suggestAssignees(c, &f); err != nil {
		return err
	}
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
	return c.JSON(http.StatusOK, newEnvelope(out, p, total, l.list("/users/", queryPaged, c, "name", "q", "disabled", "for_ticket")))
}

// suggestAssignees reads for_ticket: the ticket's likely assignees come
// first (model.AssigneeSuggestions), among enabled accounts only.
func (s *Server) suggestAssignees(c echo.Context, f *model.UserFilter) error {
	id, ok, err := queryID(c, "for_ticket")
	if err != nil || !ok {
		return err
	}
	if f.Disabled != nil && *f.Disabled {
		return errQuery("disabled", "oneof", "for_ticket suggests enabled accounts only: disabled must be false or absent.").
			with(map[string]any{"values": []string{"false"}})
	}
	enabled := false
	f.Disabled = &enabled
	ctx := c.Request().Context()
	t, err := model.FindTicket(ctx, s.db, id)
	if errors.Is(err, model.ErrNotFound) {
		return errQuery("for_ticket", "not_found", "for_ticket names no ticket.")
	}
	if err != nil {
		return err
	}
	f.First, err = model.AssigneeSuggestions(ctx, s.db, t, currentUser(c))
	return err
}

// UserCreateRequest is a new account. Only these fields are read: ids,
// counters and dates are the server's. (binding:"optional" only tells swag
// that groups may be absent: validate's "required" there is for each item.)
type UserCreateRequest struct {
	Disabled bool     `json:"disabled,omitempty" example:"false"`
	Email    trimmed  `json:"email" validate:"required,email,min=6,max=60" swaggertype:"string" example:"jane@example.com"`
	Groups   []string `json:"groups" binding:"optional" validate:"omitempty,dive,required" example:"super_user"`
	JobTitle trimmed  `json:"job_title,omitempty" validate:"max=64" swaggertype:"string" example:"Technician"`
	Locale   string   `json:"locale,omitempty" validate:"omitempty,oneof=en fr" example:"en"`
	Name     trimmed  `json:"name" validate:"required,min=4,max=60" swaggertype:"string" example:"Jane Doe"`
	Password string   `json:"password" validate:"required" example:"s3cret-passw0rd"`
	Username trimmed  `json:"username" validate:"required,min=4,max=24" swaggertype:"string" example:"jdoe"`
} // @name UserCreateRequest

// UserUpdateRequest changes an account; absent (or null) fields are left
// alone. groups replaces every membership; job_title "" clears it.
type UserUpdateRequest struct {
	Disabled *bool    `json:"disabled,omitempty" example:"false"`
	Email    *trimmed `json:"email,omitempty" validate:"omitnil,email,min=6,max=60" swaggertype:"string" example:"jane@example.com"`
	Groups   []string `json:"groups" binding:"optional" validate:"omitnil,dive,required" example:"super_user"`
	JobTitle *trimmed `json:"job_title,omitempty" validate:"omitnil,max=64" swaggertype:"string" example:"Technician"`
	Locale   *string  `json:"locale,omitempty" validate:"omitnil,oneof=en fr" example:"fr"`
	Name     *trimmed `json:"name,omitempty" validate:"omitnil,min=4,max=60" swaggertype:"string" example:"Jane Doe"`
	Password *string  `json:"password,omitempty" example:"n3w-passw0rd"`
	Username *trimmed `json:"username,omitempty" validate:"omitnil,min=4,max=24" swaggertype:"string" example:"jdoe"`
} // @name UserUpdateRequest

var usernameChars = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

// checkUsername: letters, digits, '.', '_' and '-' only, so a username is
// safe in URLs, mentions and CSV files.
func checkUsername(username string) error {
	if !usernameChars.MatchString(username) {
		return errField("username", "format", "username may only contain letters, digits, '.', '_' and '-'.")
	}
	return nil
}

// checkPassword applies the password rules: at least 8 characters, at most
// 72 bytes (bcrypt ignores the rest), at least one letter and one digit.
func checkPassword(field, pw string) error {
	if utf8.RuneCountInString(pw) < 8 {
		return errField(field, "min", "%s must be at least 8 characters long.", field).
			with(map[string]any{"min": 8, "unit": "characters"})
	}
	if len(pw) > auth.MaxPasswordBytes {
		return errField(field, "pwbytes", "%s must be at most %d bytes long.", field, auth.MaxPasswordBytes).
			with(map[string]any{"max": auth.MaxPasswordBytes, "unit": "bytes"})
	}
	var letter, digit bool
	for _, r := range pw {
		letter = letter || unicode.IsLetter(r)
		digit = digit || unicode.IsDigit(r)
	}
	if !letter || !digit {
		return errField(field, "weak", "%s must contain at least one letter and one digit.", field)
	}
	return nil
}

// createUser godoc
//
//	@Summary		Create a user
//	@Description	Administrators only. username (4 to 24 letters, digits, '.', '_', '-') and email are unique in any letter case (409); the password needs 8 to 72 bytes with a letter and a digit; groups must exist.
//	@Tags			users
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body		UserCreateRequest	true	"the account"
//	@Param			Idempotency-Key	header		string	false	"a fresh key per create (a UUID): a retry with the same key within 24 h gets the first answer; the same key with another request is a 409"
//	@Success		201		{object}	User
//	@Header			201		{string}	Location	"absolute URL of the new user"
//	@Failure		400		{object}	ErrorBody
//	@Failure		401		{object}	ErrorBody
//	@Failure		403		{object}	ErrorBody
//	@Failure		409		{object}	ErrorBody	"the username or e-mail is taken"
//	@Failure		422		{object}	ErrorBody
//	@Router			/flicket-api/users [post]
func (s *Server) createUser(c echo.Context) error {
	var req UserCreateRequest
	if err := s.bind(c, &req); err != nil {
		return err
	}
	if err := checkUsername(string(req.Username)); err != nil {
		return err
	}
	if err := checkPassword("password", req.Password); err != nil {
		return err
	}
	hash, err := s.hashPassword(c.Request().Context(), req.Password)
	if err != nil {
		return err
	}
	u := &model.User{
		Username:  string(req.Username),
		Name:      string(req.Name),
		Email:     string(req.Email),
		Password:  hash,
		Locale:    "en",
		Disabled:  req.Disabled,
		DateAdded: s.now(),
	}
	if req.Locale != "" {
		u.Locale = req.Locale
	}
	if req.JobTitle != "" {
		jt := string(req.JobTitle)
		u.JobTitle = &jt
	}
	ctx := c.Request().Context()
	if err := model.CreateUser(ctx, s.writer, u, req.Groups); err != nil {
		return err
	}
	created, err := model.FindUser(ctx, s.db, u.ID)
	if err != nil {
		return err
	}
	out := userJSON(s.links(c), created, currentUser(c))
	c.Response().Header().Set(echo.HeaderLocation, out.Links.Self)
	return c.JSON(http.StatusCreated, out)
}

// updateUser godoc
//
//	@Summary		Update a user
//	@Description	Administrators only. Same rules as creating one, every field optional. A new password or disabled=true revokes the user's tokens. User 1 cannot be disabled or removed from flicket_admin (403).
//	@Tags			users
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		int					true	"user id"
//	@Param			body	body		UserUpdateRequest	true	"the changes"
//	@Success		200		{object}	User
//	@Failure		400		{object}	ErrorBody
//	@Failure		401		{object}	ErrorBody
//	@Failure		403		{object}	ErrorBody
//	@Failure		404		{object}	ErrorBody
//	@Failure		409		{object}	ErrorBody	"the username or e-mail is taken"
//	@Failure		422		{object}	ErrorBody
//	@Router			/flicket-api/user/{id} [patch]
func (s *Server) updateUser(c echo.Context) error {
	id, err := pathID(c, "id", "The user")
	if err != nil {
		return err
	}
	var req UserUpdateRequest
	if err := s.bind(c, &req); err != nil {
		return err
	}
	if req.Username != nil {
		if err := checkUsername(string(*req.Username)); err != nil {
			return err
		}
	}
	upd := model.UserUpdate{
		Username: req.Username.ptr(),
		Name:     req.Name.ptr(),
		Email:    req.Email.ptr(),
		JobTitle: req.JobTitle.ptr(),
		Locale:   req.Locale,
		Disabled: req.Disabled,
	}
	if req.Password != nil {
		if err := checkPassword("password", *req.Password); err != nil {
			return err
		}
		hash, err := s.hashPassword(c.Request().Context(), *req.Password)
		if err != nil {
			return err
		}
		upd.PasswordHash = &hash
	}
	if req.Groups != nil {
		upd.Groups = &req.Groups
	}
	// A new password or a disabled account ends every session of that user
	// (model.UpdateUser), but the administrator's own when editing themself.
	if me := currentUser(c); me.ID == id {
		upd.KeepTokenID = currentTokenID(c)
	}
	ctx := c.Request().Context()
	var u *model.User
	err = s.write(ctx, func(tx *model.Tx) error {
		var err error
		u, err = model.UpdateUser(ctx, tx, id, upd)
		return err
	})
	if err != nil {
		return notFoundAs(err, "The user")
	}
	if err := model.LoadUserTotals(ctx, s.db, u); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, userJSON(s.links(c), u, currentUser(c)))
}

// deleteUser godoc
//
//	@Summary		Delete a user
//	@Description	Administrators only; not user 1 and not oneself (403). The user's tickets and replies stay, without an author; subscriptions, tokens and memberships go.
//	@Tags			users
//	@Security		BearerAuth
//	@Param			id	path	int	true	"user id"
//	@Success		204
//	@Failure		401	{object}	ErrorBody
//	@Failure		403	{object}	ErrorBody
//	@Failure		404	{object}	ErrorBody
//	@Router			/flicket-api/user/{id} [delete]
func (s *Server) deleteUser(c echo.Context) error {
	id, err := pathID(c, "id", "The user")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	var u *model.User
	err = s.write(ctx, func(tx *model.Tx) error {
		var err error
		u, err = model.DeleteUser(ctx, tx, currentUser(c), id)
		return err
	})
	if err != nil {
		return notFoundAs(err, "The user")
	}
	if u.Avatar != nil && *u.Avatar != "" {
		s.removeAvatar(c, *u.Avatar)
	}
	return c.NoContent(http.StatusNoContent)
}
